"""Benchmark steps for communities: clustermap (igraph Leiden / Louvain) vs networkx Louvain.

Both sides work on the same undirected weighted view of all layers
(parallel links and both directions summed into ``weight``). The extra
columns give the modularity each side reaches and how many communities it
finds, so speed is never bought with quality.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

import clustermap as cm
from benchmarks.harness import BenchData, Step


def _leiden(data: BenchData) -> cm.Partition:
    return cm.find_communities(data.net, method="leiden", seed=1)


def _leiden_runs(data: BenchData) -> cm.Partition:
    return cm.find_communities(data.net, method="leiden", seed=1, runs=10)


def _louvain(data: BenchData) -> cm.Partition:
    return cm.find_communities(data.net, method="louvain", seed=1)


def _nx_louvain(data: BenchData) -> list[set[Any]]:
    return nx.community.louvain_communities(data.nx_graph(), weight="weight", seed=1)


def _nx_louvain_runs(data: BenchData) -> list[list[set[Any]]]:
    G = data.nx_graph()
    return [nx.community.louvain_communities(G, weight="weight", seed=1 + i) for i in range(10)]


def _quality(data: BenchData, result: Any) -> dict[str, str]:
    part = result
    return {
        "communities": str(part.n_communities),
        "modularity": f"{part.quality['modularity']:.4f}",
    }


def _profiles(data: BenchData) -> Any:
    return cm.find_communities(data.net, seed=1)


def _run_profiles(data: BenchData) -> Any:
    return data.prepared.profiles(data.net)


STEPS = [
    Step("communities: leiden", _leiden, baseline=_nx_louvain, extra=_quality),
    Step(
        "communities: leiden, 10 runs + stability",
        _leiden_runs,
        baseline=_nx_louvain_runs,
        extra=_quality,
    ),
    Step("communities: louvain", _louvain, baseline=_nx_louvain, extra=_quality),
    Step("communities: profiles", _run_profiles, prepare=_profiles),
]
