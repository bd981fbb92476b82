"""Benchmark steps for real-world inputs: wide supplier lists, duplicate actors.

- lists: the supply links of the synthetic cluster reshaped as a supplier
  database export (one row per buyer, ``Supplier 1`` ... ``Supplier 20``,
  unused cells ``#N/A``), read back by :func:`clustermap.from_lists`.
- duplicates: :func:`clustermap.suggest_duplicates` over every actor's
  name, within regions and across the whole network (blocks of rapidfuzz
  ``cdist``, never a Python loop over pairs), then :func:`merge_actors` of
  every suggestion.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import clustermap as cm
from benchmarks.harness import BenchData, Step

MAX_SUPPLIERS = 20


def _wide(data: BenchData) -> pd.DataFrame:
    e = data.net.edges
    e = e[e["layer"] == "supply"]
    rank = e.groupby("target").cumcount().to_numpy()
    e = e[rank < MAX_SUPPLIERS].assign(col=rank[rank < MAX_SUPPLIERS] + 1)
    wide = e.pivot_table(index="target", columns="col", values="source", aggfunc="first")
    wide.columns = [f"Supplier {c}" for c in wide.columns]
    wide = wide.astype(object).where(wide.notna(), "#N/A")
    return wide.rename_axis("buyer").reset_index()


def _from_lists(data: BenchData) -> cm.ClusterNetwork:
    return cm.from_lists(data.prepared, actor="buyer", partner_prefix="Supplier")


def _lists_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {
        "cells": f"{data.prepared.shape[0] * (data.prepared.shape[1] - 1):,}",
        "links": f"{result.n_edges:,}",
        "placeholders": f"{result.meta['placeholders_dropped']:,}",
    }


def _suggest_region(data: BenchData) -> pd.DataFrame:
    return cm.suggest_duplicates(data.net)


def _suggest_all(data: BenchData) -> pd.DataFrame:
    return cm.suggest_duplicates(data.net, within=None)


def _suggest_extra(data: BenchData, result: Any) -> dict[str, str]:
    groups = int(np.unique(result["group"]).size) if len(result) else 0
    return {"to merge": f"{len(result):,}", "groups": f"{groups:,}"}


def _merge(data: BenchData) -> cm.ClusterNetwork:
    return cm.merge_actors(data.net, data.prepared)


def _merge_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {"actors after": f"{result.n_nodes:,}", "links after": f"{result.n_edges:,}"}


STEPS = [
    Step("lists: from_lists, 20 supplier columns", _from_lists, prepare=_wide, extra=_lists_extra),
    Step("duplicates: suggest within regions", _suggest_region, extra=_suggest_extra),
    Step("duplicates: suggest across the network", _suggest_all, extra=_suggest_extra),
    Step(
        "duplicates: merge every suggestion",
        _merge,
        prepare=lambda data: cm.suggest_duplicates(data.net),
        extra=_merge_extra,
    ),
]
