"""Benchmark steps for exports: the community workbook, CSV and GEXF.

- community workbook: membership, profiles and about sheets of the Leiden
  partition (computed untimed), written by :func:`clustermap.write_excel`
  (XlsxWriter, streamed). Baseline: the same sheets through pandas'
  ``to_excel`` with openpyxl, as clustermap wrote them before.
- centrality CSV: a default centrality table (computed untimed) written by
  :func:`clustermap.write_csv`, guard and ``.meta.json`` included; baseline
  ``DataFrame.to_csv``.
- GEXF: the network with its communities, default attributes (no event
  lists); the file size is in the table.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

import clustermap as cm
from benchmarks.harness import BenchData, Step

SEED = 1


def _folder() -> Path:
    """A fresh folder for one file, removed when the step's process ends."""
    folder = tempfile.mkdtemp(prefix="cm-bench-exports-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)


def _sheets(data: BenchData) -> dict[str, pd.DataFrame]:
    part = cm.find_communities(data.net, seed=SEED)
    return part.to_sheets(data.net)


def _workbook(data: BenchData) -> Path:
    return cm.write_excel(data.prepared, _folder() / "communities.xlsx")


def _openpyxl_workbook(data: BenchData) -> Path:
    out = _folder() / "communities.xlsx"
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, table in data.prepared.items():
            table.to_excel(writer, sheet_name=name)
    return out


def _centrality(data: BenchData) -> pd.DataFrame:
    return cm.centrality(data.net, measures=["degree", "strength", "pagerank"], seed=SEED)


def _csv(data: BenchData) -> Path:
    return cm.write_csv(data.prepared, _folder() / "centrality.csv")


def _pandas_csv(data: BenchData) -> Path:
    out = _folder() / "centrality.csv"
    data.prepared.to_csv(out, encoding="utf-8-sig")
    return out


def _partition(data: BenchData) -> Any:
    return cm.find_communities(data.net, seed=SEED)


def _gexf(data: BenchData) -> Path:
    return cm.write_gexf(data.net, _folder() / "network.gexf", results=data.prepared)


def _size(data: BenchData, result: Any) -> dict[str, str]:
    if isinstance(result, Path) and result.exists():
        return {"file": f"{result.stat().st_size / 2**20:,.1f} MiB"}
    return {}


STEPS = [
    Step(
        "exports: community workbook (xlsx)",
        _workbook,
        baseline=_openpyxl_workbook,
        prepare=_sheets,
        extra=_size,
    ),
    Step(
        "exports: centrality CSV",
        _csv,
        baseline=_pandas_csv,
        prepare=_centrality,
        extra=_size,
    ),
    # networkx builds the whole XML tree in memory: 3 GiB at 100,000 actors, so no 1M row
    Step(
        "exports: GEXF with communities",
        _gexf,
        prepare=_partition,
        extra=_size,
        sizes=(10_000, 100_000),
    ),
]
