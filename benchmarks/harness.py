"""What a benchmark step is, and the data every step gets.

Each part of clustermap adds its steps in one place: a module
``benchmarks/steps/<part>.py`` that defines ``STEPS``, a list of
:class:`Step`. The runner (``benchmarks/run.py``, ``make bench``) finds them,
runs each step for each size in a fresh subprocess (so peak memory is the
step's own), and runs the networkx baseline in another subprocess with a
time limit, reported as "> limit" when it does not finish.

A step's functions receive a :class:`BenchData` for the size being run:
the synthetic cluster of ``n_actors`` actors (about five links per actor)
from :func:`clustermap.make_cluster`, as a network, as plain tables, as
files, and as a networkx graph for baselines. Everything is built lazily
and cached on disk between steps, and building it is never timed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

import clustermap as cm

CACHE = Path(__file__).resolve().parent.parent / ".bench-cache"


@dataclass(frozen=True)
class Step:
    """One benchmark step.

    Attributes
    ----------
    name : str
        What is measured, as printed in the table ("centrality: default set").
    run : callable
        ``run(data) -> Any``: the clustermap way; only this call is timed.
    baseline : callable, optional
        ``baseline(data) -> Any``: the same work done with plain networkx
        (built from ``data.nx_graph()``, whose construction is not timed).
    sizes : tuple of int, optional
        Restrict the step to these sizes (for example views of 500, 5,000
        and 50,000 actors); ``None`` means the runner's sizes.
    prepare : callable, optional
        ``prepare(data) -> Any``: untimed work whose result is passed to
        ``run`` and ``baseline`` as ``data.prepared``.
    extra : callable, optional
        ``extra(data, result) -> dict[str, str]``: more columns for the
        table (file size, pages drawn...).
    """

    name: str
    run: Callable[[BenchData], Any]
    baseline: Callable[[BenchData], Any] | None = None
    sizes: tuple[int, ...] | None = None
    prepare: Callable[[BenchData], Any] | None = None
    extra: Callable[[BenchData, Any], dict[str, str]] | None = None


@dataclass
class BenchData:
    """The data of one benchmark size, built lazily and cached on disk."""

    n_actors: int
    seed: int = 7
    prepared: Any = None
    _nx: dict[tuple[Any, ...], nx.Graph] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        """Where this size's files are cached."""
        path = CACHE / f"cluster-{self.n_actors}-{self.seed}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @cached_property
    def net(self) -> cm.ClusterNetwork:
        """The synthetic cluster as a network (read from the cache when present)."""
        path = self.folder / "network.cmap"
        if path.exists():
            return cm.ClusterNetwork.load(path)
        net = cm.make_cluster(n_actors=self.n_actors, seed=self.seed)
        net.save(path)
        return net

    @property
    def nodes_csv(self) -> Path:
        """The node table as CSV (written once)."""
        path = self.folder / "nodes.csv"
        if not path.exists():
            self.net.nodes.to_csv(path)
        return path

    @property
    def links_csv(self) -> Path:
        """The edge table as CSV (written once)."""
        path = self.folder / "links.csv"
        if not path.exists():
            self.net.edges.to_csv(path, index=False)
        return path

    @property
    def links_parquet(self) -> Path:
        """The edge table as Parquet (written once)."""
        path = self.folder / "links.parquet"
        if not path.exists():
            self.net.edges.to_parquet(path, index=False)
        return path

    def nx_graph(
        self, *, layers: tuple[str, ...] | None = None, directed: bool = False
    ) -> nx.Graph:
        """A plain networkx graph of the cluster, built the way a networkx user would.

        Parallel links are summed into ``weight``, as clustermap's engines do.
        """
        key = (layers, directed)
        if key not in self._nx:
            e = self.net.edges
            if layers is not None:
                e = e[e["layer"].isin(layers)]
            agg = e.groupby(["source", "target"], as_index=False)["weight"].sum()
            G = nx.from_pandas_edgelist(
                agg,
                "source",
                "target",
                edge_attr="weight",
                create_using=nx.DiGraph if directed else nx.Graph,
            )
            G.add_nodes_from(self.net.nodes.index)
            self._nx[key] = G
        return self._nx[key]


def tables(data: BenchData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The node and edge tables of ``data`` (a convenience for steps)."""
    return data.net.nodes, data.net.edges
