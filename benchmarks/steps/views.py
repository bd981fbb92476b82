"""Benchmark steps for the HTML views: writing the file, and drawing it in Chromium.

- ``views: write HTML``: :func:`clustermap.save_html` coloured by a
  partition found beforehand (untimed, as a user who ran
  ``find_communities`` first). 500 and 5,000 actors are drawn actor by
  actor (5,000: positions precomputed, physics off); 50,000 through the
  community-level view. Baseline: pyvis's own way, ``Network.from_nx`` on
  the networkx graph and ``write_html`` with the code inlined (pyvis adds
  edges one by one, checking each against all before it).
- ``views: drawn in Chromium``: the file written beforehand (untimed) is
  opened from disk in headless Chromium; timed from launching the browser
  until the page sets ``window.__clustermapReady`` (drawn, and with live
  physics, settled). ``page s`` is the page's own time from navigation to
  ready, without the browser's start.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pyvis.network import Network

import clustermap as cm
from benchmarks.harness import BenchData, Step

SIZES = (500, 5_000, 50_000)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _partition(data: BenchData) -> Any:
    return cm.find_communities(data.net, seed=1)


def _write(data: BenchData) -> dict[str, Any]:
    path = Path(tempfile.mkdtemp()) / "view.html"
    cm.save_html(data.net, path, results={"partition": data.prepared})
    return {"path": path}


def _nx_pyvis(data: BenchData) -> Path:
    path = Path(tempfile.mkdtemp()) / "pyvis.html"
    g = Network(cdn_resources="in_line", directed=False)
    g.from_nx(data.nx_graph())
    g.write_html(str(path))
    return path


def _sizes(data: BenchData, result: dict[str, Any]) -> dict[str, str]:
    path: Path = result["path"]
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', html, re.S)
    payload = json.loads(match.group(1)) if match else {"nodes": {"id": []}, "edges": {"from": []}}
    return {
        "MiB": f"{path.stat().st_size / 2**20:.2f}",
        "drawn": f"{len(payload['nodes']['id']):,} nodes, {len(payload['edges']['from']):,} lines",
    }


def _prepare_page(data: BenchData) -> dict[str, Any]:
    part = _partition(data)
    path = Path(tempfile.mkdtemp()) / "view.html"
    cm.save_html(data.net, path, results={"partition": part})
    return {"path": path}


def _draw(data: BenchData) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    path: Path = data.prepared["path"]
    chromium = shutil.which("chromium")
    if chromium is None:
        msg = "chromium is not installed (apt-get install chromium)"
        raise RuntimeError(msg)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri())
        page.wait_for_function("() => window.__clustermapReady === true", timeout=600_000)
        timings = page.evaluate("() => window.__clustermapTimings")
        drawn = page.evaluate("() => window.clustermap.drawn()")
        browser.close()
    if errors:
        msg = f"the page reported errors: {errors[:3]}"
        raise RuntimeError(msg)
    return {"path": path, "timings": timings, "drawn": drawn}


def _page_extra(data: BenchData, result: dict[str, Any]) -> dict[str, str]:
    t = result["timings"]
    d = result["drawn"]
    return {
        "MiB": f"{result['path'].stat().st_size / 2**20:.2f}",
        "page s": f"{t['sinceNavigation'] / 1000:.2f}",
        "drawn": f"{d['nodes']:,} nodes, {d['edges']:,} lines",
    }


STEPS = [
    Step(
        "views: write HTML",
        _write,
        baseline=_nx_pyvis,
        sizes=SIZES,
        prepare=_partition,
        extra=_sizes,
    ),
    Step(
        "views: drawn in Chromium",
        _draw,
        sizes=SIZES,
        prepare=_prepare_page,
        extra=_page_extra,
    ),
]
