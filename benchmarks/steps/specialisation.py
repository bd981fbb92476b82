"""Benchmark steps for regional specialisation and input-output tables, on the real data.

These steps read the public files in ``../shared/realdata`` (County Business
Patterns 2019: 569,017 rows; the US benchmark cluster definitions; the BEA
2017 detail Use and Make tables). They do not depend on the synthetic
cluster's size, so they run once, at the smallest default size; reading the
files is not timed. Without the real data the step fails with a message
saying where the files are expected.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

import clustermap as cm
from benchmarks.harness import ROOT, BenchData, Step

REALDATA = Path(os.environ.get("CLUSTERMAP_REALDATA", ROOT.parent / "shared" / "realdata"))
_SIZE = (10_000,)


def _folder(name: str) -> Path:
    folder = REALDATA / name
    if not folder.is_dir():
        msg = f"real data folder {folder} is absent (set CLUSTERMAP_REALDATA)"
        raise FileNotFoundError(msg)
    return folder


def _cbp(data: BenchData) -> dict[str, Any]:
    cbp = _folder("cbp2019_metro_employment") / "cbp2019_cbsa_naics_emp.csv.gz"
    defs = _folder("us_cluster_definitions")
    return {
        "table": cm.read_table(cbp),
        "mapping": cm.read_table(defs / "naics2012_to_cluster.csv"),
        "links": cm.read_table(defs / "cluster_linkages.csv"),
    }


def _lq_strength(data: BenchData) -> pd.DataFrame:
    p = data.prepared
    lq = cm.location_quotients(
        p["table"],
        region="cbsa_code",
        industry="naics_code",
        value="EMP",
        establishments="ESTAB",
        mapping=p["mapping"],
        level=6,
    )
    return cm.cluster_strength(lq, links=p["links"])


def _lq_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {
        "input rows": f"{len(data.prepared['table']):,}",
        "cluster-regions": f"{len(result):,}",
        "strong": f"{int(result['strong'].sum()):,}",
    }


def _io(data: BenchData) -> dict[str, pd.DataFrame]:
    folder = _folder("bea_io_2017")
    read = {"index_col": 0, "dtype": {0: str}}
    return {
        "use": pd.read_csv(folder / "Detail_Use_2017_PRO_BeforeRedef_17sch.csv", **read),
        "make": pd.read_csv(folder / "Detail_Make_2017_BeforeRedef_17sch.csv", **read),
    }


def _from_io(data: BenchData) -> cm.ClusterNetwork:
    return cm.from_io_tables(data.prepared["use"], data.prepared["make"])


def _io_extra(data: BenchData, result: Any) -> dict[str, str]:
    return {"industries": f"{result.n_nodes:,}", "links": f"{result.n_edges:,}"}


STEPS = [
    Step(
        "specialisation: LQ + strength, CBP 2019 (real data)",
        _lq_strength,
        sizes=_SIZE,
        prepare=_cbp,
        extra=_lq_extra,
    ),
    Step(
        "specialisation: from_io_tables, BEA 2017 detail (real data)",
        _from_io,
        sizes=_SIZE,
        prepare=_io,
        extra=_io_extra,
    ),
]
