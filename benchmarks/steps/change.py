"""Benchmark steps for change over time: snapshots, indicators and comparisons.

``snapshots + network_indicators`` cuts the cluster's links (dated
2015-2024) into ten yearly periods and measures every indicator in each; the
networkx baseline builds one graph per year and computes the few indicators
networkx offers directly (density, transitivity, connected components).
``compare_networks`` compares 2015-2017 with 2022-2024: once with the tables
only, once with the default 200 bootstrap rounds and 20 rewired pairs.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

import clustermap as cm
from benchmarks.harness import BenchData, Step


def _indicators(data: BenchData) -> pd.DataFrame:
    return cm.network_indicators(data.net.snapshots(by="year"))


def _nx_indicators(data: BenchData) -> list[dict[str, float]]:
    edges = data.net.edges
    rows = []
    for _, group in edges.groupby("year"):
        G = nx.from_pandas_edgelist(group, "source", "target")
        rows.append(
            {
                "density": nx.density(G),
                "clustering": nx.transitivity(G),
                "components": nx.number_connected_components(G),
            }
        )
    return rows


def _periods(data: BenchData) -> list[cm.ClusterNetwork]:
    return list(data.net.snapshots(periods=[(2015, 2017), (2022, 2024)]).values())


def _compare_tables(data: BenchData) -> Any:
    before, after = data.prepared
    return cm.compare_networks(before, after, bootstrap=0, null_models=0, seed=1)


def _compare_full(data: BenchData) -> Any:
    before, after = data.prepared
    return cm.compare_networks(before, after, seed=1)


def _periods_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {"periods": str(len(result)), "indicators": str(result.shape[1])}


def _compare_extra(data: BenchData, result: Any) -> dict[str, str]:
    counts = result.actor_counts.loc["all"]
    return {
        "actors": f"{counts['before']:,} -> {counts['after']:,}",
        "ties": f"{len(result.ties):,}",
    }


STEPS = [
    Step(
        "change: snapshots + network_indicators, 10 yearly periods",
        _indicators,
        baseline=_nx_indicators,
        extra=_periods_extra,
    ),
    Step(
        "change: compare_networks, tables only",
        _compare_tables,
        prepare=_periods,
        extra=_compare_extra,
    ),
    Step(
        "change: compare_networks, 200 bootstrap + 20 null models",
        _compare_full,
        prepare=_periods,
        extra=_compare_extra,
    ),
]
