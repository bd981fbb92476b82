"""Benchmark steps for the foundation: reading tables, building the network, the generator.

Each clustermap step has a plain pandas + networkx baseline doing the same
work the way a networkx user would: read the files with pandas and build a
graph with ``nx.from_pandas_edgelist`` (a multigraph keeping every link and
its columns, plus the actors and their attributes). clustermap also checks
every row of its input (ids, kinds, weights, dangling links), which the
baseline does not.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

import clustermap as cm
from benchmarks.harness import BenchData, Step, nx_from_edges
from clustermap.graphs.network import ClusterNetwork


def _mib(*paths: Any) -> str:
    return f"{sum(p.stat().st_size for p in paths) / 2**20:.1f}"


def _nx_multigraph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.MultiDiGraph:
    G = nx.from_pandas_edgelist(
        edges, "source", "target", edge_attr=True, create_using=nx.MultiDiGraph
    )
    G.add_nodes_from(zip(nodes["id"], nodes.drop(columns="id").to_dict("records"), strict=True))
    return G


# ----------------------------------------------------------------- CSV


def _read_csv(data: BenchData) -> cm.ClusterNetwork:
    return cm.read_tables(data.nodes_csv, data.links_csv)


def _nx_read_csv(data: BenchData) -> nx.MultiDiGraph:
    return _nx_multigraph(pd.read_csv(data.nodes_csv), pd.read_csv(data.links_csv))


def _csv_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {"file MiB": _mib(data.nodes_csv, data.links_csv), "links": f"{result.n_edges:,}"}


# ----------------------------------------------------------------- Parquet


def _read_parquet(data: BenchData) -> cm.ClusterNetwork:
    return cm.read_tables(data.nodes_parquet, data.links_parquet)


def _nx_read_parquet(data: BenchData) -> nx.MultiDiGraph:
    return _nx_multigraph(pd.read_parquet(data.nodes_parquet), pd.read_parquet(data.links_parquet))


def _parquet_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {
        "file MiB": _mib(data.nodes_parquet, data.links_parquet),
        "links": f"{result.n_edges:,}",
    }


# ----------------------------------------------------------------- tables -> network


def _tables(data: BenchData) -> tuple[pd.DataFrame, pd.DataFrame]:
    return data.net.nodes.reset_index(), data.net.edges


def _from_tables(data: BenchData) -> cm.ClusterNetwork:
    nodes, edges = data.prepared
    return cm.from_tables(nodes, edges)


def _nx_from_tables(data: BenchData) -> nx.MultiDiGraph:
    nodes, edges = data.prepared
    return _nx_multigraph(nodes, edges)


# ----------------------------------------------------------------- igraph view


def _unviewed(data: BenchData) -> ClusterNetwork:
    """A copy of the network with an empty view cache."""
    net = data.net
    return ClusterNetwork._trusted(net.nodes, net.edges, net.directed, net.meta)


def _igraph_view(data: BenchData) -> Any:
    return data.prepared._igraph(directed=False)


def _nx_view(data: BenchData) -> nx.Graph:
    net = data.prepared
    return nx_from_edges(net.nodes.index, net.edges, directed=False)


def _view_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {"links": f"{result.ecount():,} pairs"}


# ----------------------------------------------------------------- generator


def _make_cluster(data: BenchData) -> cm.ClusterNetwork:
    return cm.make_cluster(n_actors=data.n_actors, seed=data.seed)


def _cluster_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {"links": f"{result.n_edges:,}"}


STEPS = [
    Step("foundation: read CSV (read_tables)", _read_csv, baseline=_nx_read_csv, extra=_csv_extra),
    Step(
        "foundation: read Parquet (read_tables)",
        _read_parquet,
        baseline=_nx_read_parquet,
        extra=_parquet_extra,
    ),
    Step(
        "foundation: tables -> network (from_tables)",
        _from_tables,
        baseline=_nx_from_tables,
        prepare=_tables,
        extra=_cluster_extra,
    ),
    Step(
        "foundation: igraph view, all layers undirected",
        _igraph_view,
        baseline=_nx_view,
        prepare=_unviewed,
        extra=_view_extra,
    ),
    Step("foundation: make_cluster", _make_cluster, extra=_cluster_extra),
]
