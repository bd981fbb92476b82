"""The default pipeline a user runs, end to end (see :mod:`benchmarks.pipeline`).

One row for the whole pipeline (read CSV tables -> network -> default
centrality -> Leiden communities -> profiles -> resilience -> spillover reach
from institutions -> knowledge roles -> community-level HTML -> community
list to Excel and centrality to CSV) with, beside it, the floor: the same
work done by the bare igraph / SciPy / pyarrow / XlsxWriter primitives in
the same process and run (untimed for the row; its own figures in the
columns ``floor s``, ``floor cpu``, ``x floor`` and ``x floor cpu``). The
per-step rows follow it. The networkx baseline is the plain networkx script doing the same analyses.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from benchmarks import pipeline
from benchmarks.harness import BenchData, Step


def _run(data: BenchData) -> dict[str, Any]:
    nodes, links = data.nodes_csv, data.links_csv
    out = pipeline.scratch()
    try:
        steps = pipeline.run_pipeline(nodes, links, out)
        samples = _samples(steps)
        floor: list[pipeline.StepRecord] = []
        if os.environ.get("CLUSTERMAP_BENCH_FLOOR", "1") != "0":  # run.py --no-floor
            with data._build():  # the floor is measured, not counted in the row's time
                floor = pipeline.run_floor(nodes, links, out, samples)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"steps": steps, "floor": floor}


def _samples(steps: list[pipeline.StepRecord]) -> int:
    note = next((s.note for s in steps if s.step == "centrality"), "")
    words = note.split()
    if note.startswith("betweenness from"):
        return int(words[2])
    return 0 if "left out" in note else 10**9


def _baseline(data: BenchData) -> None:
    out = pipeline.scratch()
    try:
        pipeline.run_networkx(data.nodes_csv, data.links_csv, out)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _extra(data: BenchData, result: dict[str, Any]) -> dict[str, str]:
    if not result["floor"]:
        return {}
    ours, floor = pipeline.total(result["steps"]), pipeline.total(result["floor"])
    return {
        "floor s": f"{floor.seconds:.3g}",
        "floor cpu": f"{floor.cpu:.3g}",
        "x floor": f"{ours.seconds / max(floor.seconds, 1e-9):.2f}",
        "x floor cpu": f"{ours.cpu / max(floor.cpu, 1e-9):.2f}",
    }


def _details(data: BenchData, result: dict[str, Any]) -> list[dict[str, Any]]:
    floors = {r.step: r for r in result["floor"]}
    rows = []
    for record in result["steps"]:
        floor = floors.get(record.step)
        row = pipeline.as_dicts([record])[0]
        if floor is not None:
            row["floor"] = floor.seconds
            row["floor_cpu"] = floor.cpu
        rows.append(row)
    return rows


STEPS = [
    Step(
        "pipeline",
        _run,
        baseline=_baseline,
        extra=_extra,
        details=_details,
    ),
]
