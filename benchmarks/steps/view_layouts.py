"""Benchmark steps for each layout of the HTML view, written and drawn, at 5k and 50k actors.

- ``views: write, layout=fixed``: packed components (largest first), at 5k
  actor by actor, at 50k the community-level view with its drill-down data.
- ``views: write, layout=geo``: actors at their coordinates (the generator's
  lat/lon); at 50k the community-level view at community centroids.
- ``views: write, layout=tiers``: supply-chain tiers (``supply_tiers`` and
  barycentre sweeps), actor by actor at both sizes (``max_nodes`` raised).
- ``views: drawn, layout=...``: the file written beforehand (untimed) opened
  in headless Chromium, timed until the page is drawn and fitted
  (``window.__clustermapReady``), as in :mod:`benchmarks.steps.views`.

No baseline: pyvis has no such layouts (its write is the baseline of
:mod:`benchmarks.steps.views`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import clustermap as cm
from benchmarks.harness import BenchData, Step
from benchmarks.steps.views import _draw, _page_extra, _sizes

SIZES = (5_000, 50_000)
LAYOUTS: dict[str, dict[str, Any]] = {
    "fixed": {"layout": "fixed"},
    "geo": {"layout": "geo"},
    "tiers": {"layout": "tiers", "max_nodes": 60_000},
}


def _partition(data: BenchData) -> Any:
    return cm.find_communities(data.net, seed=1)


def _writer(layout: str) -> Any:
    def write(data: BenchData) -> dict[str, Any]:
        path = Path(tempfile.mkdtemp()) / f"{layout}.html"
        results = None if layout == "tiers" else {"partition": data.prepared}
        cm.save_html(data.net, path, results=results, options=LAYOUTS[layout])
        return {"path": path}

    return write


def _preparer(layout: str) -> Any:
    def prepare(data: BenchData) -> dict[str, Any]:
        data_prepared = _partition(data) if layout != "tiers" else None
        path = Path(tempfile.mkdtemp()) / f"{layout}.html"
        results = None if data_prepared is None else {"partition": data_prepared}
        cm.save_html(data.net, path, results=results, options=LAYOUTS[layout])
        return {"path": path}

    return prepare


STEPS = [
    step
    for layout in LAYOUTS
    for step in (
        Step(
            f"views: write, layout={layout}",
            _writer(layout),
            sizes=SIZES,
            prepare=_partition if layout != "tiers" else None,
            extra=_sizes,
        ),
        Step(
            f"views: drawn, layout={layout}",
            _draw,
            sizes=SIZES,
            prepare=_preparer(layout),
            extra=_page_extra,
        ),
    )
]
