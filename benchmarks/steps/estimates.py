"""How good the betweenness estimate is, measured against the exact values.

On the 20,000-actor cluster (about 136,000 arcs) the exact betweenness is
computed once (one search from every actor; many minutes, cached in
``.bench-cache/`` and never timed). The step then runs
``centrality(net, measures="betweenness", seed=s)`` for five seeds, the
adaptive estimate a user gets, and reports:

- ``top-20 found``: how many of the exact top 20 are in the estimate's top
  20, mean and lowest over the seeds (the goal: at least 17 on average);
- ``spearman top 1%``: Spearman's rank correlation between estimate and
  exact value over the exact top 1% of actors (mean over the seeds);
- ``sources``: sampled sources used (mean), and the agreement of the two
  halves at the stop (mean), which the result itself reports.

The time is the five estimates together.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import spearmanr

import clustermap as cm
from benchmarks.harness import BenchData, Step
from clustermap.analysis._betweenness import top_agreement
from clustermap.analysis._centrality_tools import path_lengths

SEEDS = (1, 2, 3, 4, 5)
SIZE = 20_000


def _exact(data: BenchData) -> np.ndarray:
    path = data.folder / "exact-betweenness.npy"
    if path.exists():
        return np.asarray(np.load(path))
    g = data.net.to_igraph()
    values = np.asarray(g.betweenness(weights=path_lengths(g, True), directed=True))
    np.save(path, values)
    return values


def _estimates(data: BenchData) -> list[Any]:
    out = []
    for seed in SEEDS:
        net = cm.ClusterNetwork.load(data.folder / "network.cmap")  # no shared cache
        table = cm.centrality(net, measures="betweenness", normalized=False, seed=seed)
        out.append(table)
    return out


def quality(exact: np.ndarray, estimates: list[Any]) -> dict[str, float]:
    """Top-20 overlap (mean, min), Spearman over the exact top 1%, sources, halves."""
    top1 = np.argsort(-exact, kind="stable")[: max(len(exact) // 100, 2)]
    found, rho, sources, halves = [], [], [], []
    for table in estimates:
        est = table["betweenness"].to_numpy()
        found.append(top_agreement(est, exact, 20))
        rho.append(float(spearmanr(est[top1], exact[top1]).statistic))
        info = table.attrs["estimated"]["betweenness"]
        sources.append(info["samples"])
        halves.append(info["halves_agreement"])
    return {
        "found_mean": float(np.mean(found)),
        "found_min": float(np.min(found)),
        "rho": float(np.mean(rho)),
        "sources": float(np.mean(sources)),
        "halves": float(np.mean(halves)),
    }


def _extra(data: BenchData, result: list[Any]) -> dict[str, str]:
    q = quality(data.prepared, result)
    return {
        "top-20 found": f"{q['found_mean']:.1f} (min {q['found_min']:.0f})",
        "spearman top 1%": f"{q['rho']:.3f}",
        "sources": f"{q['sources']:.0f}",
        "halves agree": f"{q['halves']:.1f}/20",
    }


STEPS = [
    Step(
        "centrality: betweenness estimate vs exact (5 seeds)",
        _estimates,
        sizes=(SIZE,),
        prepare=_exact,
        extra=_extra,
    ),
]
