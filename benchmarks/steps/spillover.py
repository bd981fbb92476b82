"""Benchmark steps for knowledge spillovers: channels, brokers, reach, roles, diffusion.

Sources are 100 institutions of the synthetic cluster (its universities,
research centres, training bodies and trade associations, in id order);
targets are its firms (the OEM-level actors, 2% of the cluster), so that the
channel table stays a table and not the whole network twice over.

Baselines do the same work as a careful networkx user would, on the same
directed transfer graph (``p = w / strength``, arc length ``-ln p``):
``single_source_dijkstra`` per source for the channels (and
``shortest_simple_paths`` for the alternatives of the 100 strongest pairs;
the baseline builds no table of paths), personalised
``pagerank`` plus ``multi_source_dijkstra_path_length`` for reach, and a
Python loop over runs for diffusion (each run samples its live ties with
numpy and searches them with ``multi_source_dijkstra_path_length``).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

import clustermap as cm
from benchmarks.harness import BenchData, Step

N_SOURCES = 100
RUNS = 1_000


def _sources(data: BenchData) -> list[str]:
    nodes = data.net.nodes
    return nodes.index[nodes["kind"] == "institution"][:N_SOURCES].tolist()


def _transfer(data: BenchData) -> nx.DiGraph:
    """The transfer graph the networkx user builds: knowledge ties both ways, p = w / s.

    Building the undirected graph is untimed (the harness builds it); turning
    it into arcs with probabilities is part of the baseline's work, as building
    the transfer graph is part of clustermap's.
    """
    G = data.nx_graph(layers=("knowledge",))
    H = G.to_directed()
    strength = dict(H.out_degree(weight="weight"))
    for u, _, d in H.edges(data=True):
        d["p"] = d["weight"] / strength[u]
        d["cost"] = -np.log(d["p"])
    return H


def _prepare(data: BenchData) -> dict[str, Any]:
    sources = _sources(data)
    firms = data.net.nodes.index[data.net.nodes["kind"] == "firm"].tolist()
    return {"sources": sources, "firms": firms}


# ------------------------------------------------------------------- channels


def _paths(k: int) -> Any:
    def run(data: BenchData) -> pd.DataFrame:
        p = data.prepared
        return cm.spillover_paths(data.net, sources=p["sources"], targets="firm", k=k)

    return run


def _paths_nx(k: int) -> Any:
    def baseline(data: BenchData) -> int:
        p = data.prepared
        G, firms = _transfer(data), set(p["firms"])
        best: list[tuple[float, Any, Any]] = []
        for s in p["sources"]:
            lengths, paths = nx.single_source_dijkstra(G, s, weight="cost")
            best.extend(
                (lengths[t], s, t)
                for t, path in paths.items()
                if t in firms and 1 <= len(path) - 1 <= 4
            )
        found = len(best)
        if k > 1:
            for _, s, t in sorted(best)[:100]:
                gen = nx.shortest_simple_paths(G, s, t, weight="cost")
                found += sum(1 for _, path in zip(range(k), gen, strict=False) if len(path) <= 5)
        return found

    return baseline


def _paths_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {
        "channels": f"{len(result):,}",
        "pairs": f"{result.attrs['pairs_with_channel']:,}",
    }


def _brokers(data: BenchData) -> pd.DataFrame:
    p = data.prepared
    return cm.spillover_brokers(data.net, sources=p["sources"], targets="firm")


# ---------------------------------------------------------------------- reach


def _reach(data: BenchData) -> cm.SpilloverReach:
    return cm.spillover_reach(data.net, sources=data.prepared["sources"])


def _reach_nx(data: BenchData) -> tuple[dict[Any, float], dict[Any, int]]:
    p = data.prepared
    G = _transfer(data)
    exposure = nx.pagerank(
        G, alpha=0.85, personalization=dict.fromkeys(p["sources"], 1), weight="p"
    )
    hops = nx.multi_source_dijkstra_path_length(G, set(p["sources"]), weight=lambda u, v, d: 1)
    return exposure, hops


def _reach_extra(data: BenchData, result: Any) -> dict[str, str]:
    everyone = result.summary[result.summary["by"] == "all"].iloc[0]
    return {"within 2 hops": f"{everyone['share_within']:.1%}"}


def _roles(data: BenchData) -> pd.DataFrame:
    return cm.knowledge_roles(data.net, internal={"kind": ["firm", "supplier"]})


# ------------------------------------------------------------------ diffusion


def _diffusion(model: str) -> Any:
    def run(data: BenchData) -> pd.DataFrame:
        return cm.simulate_diffusion(
            data.net, sources=data.prepared["sources"], model=model, runs=RUNS, seed=1
        )

    return run


def _diffusion_nx(data: BenchData) -> np.ndarray:
    p = data.prepared
    G = _transfer(data)
    edges = list(G.edges(data="p"))
    probs = np.array([e[2] for e in edges])
    index = {x: i for i, x in enumerate(data.net.nodes.index)}
    reached = np.zeros(len(index))
    rng = np.random.default_rng(1)
    sources = set(p["sources"])
    for _ in range(RUNS):
        live = rng.random(len(edges)) < probs
        H = nx.DiGraph()
        H.add_nodes_from(sources)
        H.add_edges_from(e[:2] for e, keep in zip(edges, live, strict=True) if keep)
        for v in nx.multi_source_dijkstra_path_length(H, sources, weight=lambda u, v, d: 1):
            reached[index[v]] += 1
    return reached / RUNS


def _diffusion_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {"reached per run": f"{result.attrs['spread_mean']:,.1f}"}


STEPS = [
    Step(
        "spillover: best channels, 100 sources -> firms",
        _paths(1),
        baseline=_paths_nx(1),
        prepare=_prepare,
        extra=_paths_extra,
    ),
    Step(
        "spillover: channels + 2 alternatives for 100 top pairs",
        _paths(3),
        baseline=_paths_nx(3),
        prepare=_prepare,
        extra=_paths_extra,
    ),
    Step("spillover: brokers, 100 sources -> firms", _brokers, prepare=_prepare),
    Step(
        "spillover: reach (PPR + hops) from 100 sources",
        _reach,
        baseline=_reach_nx,
        prepare=_prepare,
        extra=_reach_extra,
    ),
    Step("spillover: knowledge roles", _roles),
    Step(
        "spillover: 1,000 diffusion runs (independent cascade)",
        _diffusion("independent_cascade"),
        baseline=_diffusion_nx,
        prepare=_prepare,
        extra=_diffusion_extra,
    ),
    Step(
        "spillover: 1,000 diffusion runs (linear threshold)",
        _diffusion("linear_threshold"),
        prepare=_prepare,
        extra=_diffusion_extra,
    ),
]
