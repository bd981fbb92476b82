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
and cached on disk between steps, and building it is never timed: the time
spent in these builders is recorded in :attr:`BenchData.untimed` and the
runner subtracts it from the step's time.
"""

from __future__ import annotations

import contextlib
import hashlib
import resource
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

import clustermap as cm

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench-cache"
_GENERATOR_FILES = ("generator.py", "_vocab.py")


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished helper processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _fingerprint() -> str:
    """A short hash of the generator's source, so a changed generator rebuilds the cache."""
    digest = hashlib.sha256()
    folder = Path(cm.__file__).resolve().parent / "loaders"
    for name in _GENERATOR_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:10]


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
    details : callable, optional
        ``details(data, result) -> list[dict]``: sub-rows printed under the
        step's row, each with ``step``, ``seconds``, ``cpu``, ``peak_mib``
        and optionally ``floor`` (seconds) and ``note``.
    """

    name: str
    run: Callable[[BenchData], Any]
    baseline: Callable[[BenchData], Any] | None = None
    sizes: tuple[int, ...] | None = None
    prepare: Callable[[BenchData], Any] | None = None
    extra: Callable[[BenchData, Any], dict[str, str]] | None = None
    details: Callable[[BenchData, Any], list[dict[str, Any]]] | None = None


@dataclass
class BenchData:
    """The data of one benchmark size, built lazily and cached on disk.

    Attributes
    ----------
    untimed : float
        Seconds spent so far building data (loading the network, writing
        files, building networkx graphs); the runner does not count them.
    untimed_cpu : float
        The CPU seconds of the same builds.
    building : bool
        Whether a build is under way (the runner's time limit waits for it).
    """

    n_actors: int
    seed: int = 7
    prepared: Any = None
    untimed: float = 0.0
    untimed_cpu: float = 0.0
    building: bool = False
    _nx: dict[tuple[Any, ...], nx.Graph] = field(default_factory=dict)

    @contextlib.contextmanager
    def _build(self) -> Iterator[None]:
        """Count the time of the enclosed build as untimed (nested builds once)."""
        if self.building:
            yield
            return
        self.building = True
        start, cpu = time.perf_counter(), cpu_seconds()
        try:
            yield
        finally:
            self.untimed += time.perf_counter() - start
            self.untimed_cpu += cpu_seconds() - cpu
            self.building = False

    @property
    def folder(self) -> Path:
        """Where this size's files are cached (keyed by the generator's source)."""
        path = CACHE / f"cluster-{self.n_actors}-{self.seed}-{_fingerprint()}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @cached_property
    def net(self) -> cm.ClusterNetwork:
        """The synthetic cluster as a network (read from the cache when present)."""
        with self._build():
            path = self.folder / "network.cmap"
            if path.exists():
                return cm.ClusterNetwork.load(path)
            net = cm.make_cluster(n_actors=self.n_actors, seed=self.seed)
            net.save(path)
            return net

    def _csv(self, name: str) -> Path:
        path = self.folder / name
        if not path.exists():
            from clustermap.loaders.generator import write_cluster

            with self._build():
                write_cluster(self.net, self.folder)
        return path

    @property
    def nodes_csv(self) -> Path:
        """The node table as CSV (written once, as ``data/demo/nodes.csv`` is)."""
        return self._csv("nodes.csv")

    @property
    def links_csv(self) -> Path:
        """The edge table as CSV (written once, as ``data/demo/links.csv`` is)."""
        return self._csv("links.csv")

    @property
    def nodes_parquet(self) -> Path:
        """The node table as Parquet, index written as an ``id`` column (written once)."""
        path = self.folder / "nodes.parquet"
        if not path.exists():
            with self._build():
                self.net.nodes.reset_index().to_parquet(path, index=False)
        return path

    @property
    def links_parquet(self) -> Path:
        """The edge table as Parquet (written once)."""
        path = self.folder / "links.parquet"
        if not path.exists():
            with self._build():
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
            with self._build():
                e = self.net.edges
                if layers is not None:
                    e = e[e["layer"].isin(layers)]
                self._nx[key] = nx_from_edges(self.net.nodes.index, e, directed=directed)
        return self._nx[key]

    def prepare_files(self) -> None:
        """Build and cache the network and every file steps may ask for.

        Caches of this size and seed made by an older generator are removed.
        """
        current = self.folder
        for old in CACHE.glob(f"cluster-{self.n_actors}-{self.seed}*"):
            stale = old.name == f"cluster-{self.n_actors}-{self.seed}" or (
                old.name.startswith(f"cluster-{self.n_actors}-{self.seed}-") and old != current
            )
            if stale and old.is_dir():
                shutil.rmtree(old)
        _ = self.net, self.nodes_csv, self.links_csv, self.nodes_parquet, self.links_parquet


def nx_from_edges(nodes: pd.Index, edges: pd.DataFrame, *, directed: bool = False) -> nx.Graph:
    """Aggregate parallel links into ``weight`` and build a networkx graph from them."""
    if directed:
        agg = edges.groupby(["source", "target"], as_index=False)["weight"].sum()
    else:
        src, dst = edges["source"], edges["target"]
        first = (src <= dst).to_numpy()
        pairs = pd.DataFrame(
            {
                "source": src.where(first, dst),
                "target": dst.where(first, src),
                "weight": edges["weight"],
            }
        )
        agg = pairs.groupby(["source", "target"], as_index=False)["weight"].sum()
    G = nx.from_pandas_edgelist(
        agg,
        "source",
        "target",
        edge_attr="weight",
        create_using=nx.DiGraph if directed else nx.Graph,
    )
    G.add_nodes_from(nodes)
    return G


def tables(data: BenchData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The node and edge tables of ``data`` (a convenience for steps)."""
    return data.net.nodes, data.net.edges
