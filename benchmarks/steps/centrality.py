"""Benchmark steps for centrality, brokerage and resilience, with networkx baselines.

Each clustermap step runs on the loaded network, building its igraph views
inside the timed call (as a user's first call does). The networkx baselines
do the same work the way a networkx user would, on ``data.nx_graph()``
(whose construction is not timed):

- centrality: the default set (degree, in/out degree, strength, in/out
  strength, betweenness, PageRank, eigenvector, coreness). Betweenness is
  exact up to ``settings.exact_betweenness_max_nodes`` actors, estimated
  above (networkx: ``k=2048``, about what clustermap's adaptive sample
  uses), and left out of both above ``settings.betweenness_default_max_arcs``
  arcs, where clustermap's default set leaves it out.
- brokerage of every actor: networkx's ``constraint`` and per-actor
  ``effective_size`` (its all-actor shortcut builds an n x n dense matrix and
  disagrees with its own definition on weighted graphs); networkx has no
  Gould-Fernandez roles, which clustermap computes as well.
- resilience: articulation points, bridges, sole suppliers, and the actors
  each articulation point cuts off, found by removing it and recounting (the
  networkx way; clustermap reads them off the block-cut tree).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

import clustermap as cm
from benchmarks.harness import BenchData, Step
from clustermap import settings

SEED = 1


# ------------------------------------------------------------------ centrality


def _centrality(data: BenchData) -> Any:
    return cm.centrality(data.net, seed=SEED)


def _nx_centrality(data: BenchData) -> dict[str, Any]:
    directed = data.nx_graph(directed=True)
    undirected = data.nx_graph()
    n = directed.number_of_nodes()
    for _, _, d in directed.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    k = None if n <= settings.exact_betweenness_max_nodes else 2048
    wanted = k is None or directed.number_of_edges() <= settings.betweenness_default_max_arcs
    between = (
        nx.betweenness_centrality(directed, k=k, weight="distance", seed=SEED) if wanted else None
    )
    return {
        "degree": nx.degree_centrality(undirected),
        "in_degree": nx.in_degree_centrality(directed),
        "out_degree": nx.out_degree_centrality(directed),
        "strength": dict(undirected.degree(weight="weight")),
        "in_strength": dict(directed.in_degree(weight="weight")),
        "out_strength": dict(directed.out_degree(weight="weight")),
        "betweenness": between,
        "pagerank": nx.pagerank(directed, weight="weight"),
        "eigenvector": nx.eigenvector_centrality(undirected, weight="weight", max_iter=1000),
        "coreness": nx.core_number(undirected),
    }


def _centrality_extra(data: BenchData, result: Any) -> dict[str, str]:
    if not hasattr(result, "attrs"):
        return {}
    estimated = result.attrs.get("estimated", {})
    if "betweenness" in result.attrs.get("left_out", {}):
        return {"betweenness": "left out of the default set"}
    if "betweenness" in estimated:
        return {"betweenness": f"estimate, {estimated['betweenness']['samples']} sources"}
    return {"betweenness": "exact"}


# ------------------------------------------------------------------ brokerage


def _all_ids(data: BenchData) -> list[str]:
    return list(data.net.nodes.index)


def _brokerage_all(data: BenchData) -> Any:
    return cm.brokerage(data.net, nodes=data.prepared)


def _brokerage_default(data: BenchData) -> Any:
    return cm.brokerage(data.net)


def _nx_burt_all(data: BenchData) -> tuple[dict[Any, float], dict[Any, float]]:
    G = data.nx_graph(directed=True)
    constraint = nx.constraint(G, weight="weight")
    effective = nx.effective_size(G, nodes=list(G), weight="weight")
    return constraint, effective


def _brokerage_extra(data: BenchData, result: Any) -> dict[str, str]:
    if not hasattr(result, "attrs"):
        return {}
    return {"actors covered": f"{len(result):,}", "roles": "yes"}


# ------------------------------------------------------------------ resilience


def _resilience(data: BenchData) -> Any:
    return cm.resilience(data.net)


def _nx_resilience(data: BenchData) -> dict[str, Any]:
    G = data.nx_graph(layers=("supply",))
    D = data.nx_graph(layers=("supply",), directed=True)
    points = list(nx.articulation_points(G))
    bridges = list(nx.bridges(G))
    firms = {v for v, kind in data.net.nodes["kind"].items() if kind != "institution"}
    sole = Counter(next(iter(D.pred[b])) for b in D if b in firms and D.in_degree(b) == 1)
    cut = {}
    for c in points:
        group = nx.node_connected_component(G, c)
        rest = G.subgraph(group - {c})
        cut[c] = len(group) - 1 - max(len(x) for x in nx.connected_components(rest))
    return {"points": points, "bridges": bridges, "sole": sole, "cut": cut}


def _resilience_extra(data: BenchData, result: Any) -> dict[str, str]:
    if isinstance(result, cm.Resilience):
        return {
            "articulation pts": f"{len(result.articulation_points):,}",
            "bridges": f"{len(result.bridges):,}",
        }
    return {
        "articulation pts": f"{len(result['points']):,}",
        "bridges": f"{len(result['bridges']):,}",
    }


STEPS = [
    Step(
        "centrality: default set",
        _centrality,
        baseline=_nx_centrality,
        extra=_centrality_extra,
    ),
    Step(
        "brokerage: every actor (Burt + roles)",
        _brokerage_all,
        baseline=_nx_burt_all,
        prepare=_all_ids,
        extra=_brokerage_extra,
    ),
    Step(
        "brokerage: default (everyone, or top by betweenness when cheaper)",
        _brokerage_default,
        extra=_brokerage_extra,
    ),
    Step("resilience: full scan", _resilience, baseline=_nx_resilience, extra=_resilience_extra),
]
