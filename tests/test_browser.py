"""The HTML views in a real browser (Debian's chromium, headless, via Playwright).

Each test opens a page written by :func:`clustermap.save_html` from
``file://`` and checks what a person would: it loads with no console error
and no request leaving the file, draws what was asked, finds an actor by
name, hides what a filter hides, and shows hostile names as text. Without
chromium the tests skip (``chromium_path`` in conftest), except under
``CI=true``, where they fail.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import clustermap as cm

pytestmark = pytest.mark.browser

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
INJECTION = "<img src=x onerror=alert(1)>"
CLOSER = "Evil </script><script>alert(2)</script> Ltd"
READY = "() => window.__clustermapReady === true"


@dataclass
class Watched:
    """A page and everything it did: console messages, errors, requests, dialogs."""

    page: Any
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(READY, timeout=60_000)
        return self.page

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def drawn(self) -> dict[str, int]:
        return self.js("() => window.clustermap.drawn()")

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.errors


class _Launcher:
    """One headless chromium for the whole module, started on first use."""

    def __init__(self) -> None:
        self.playwright: Any = None
        self.browser: Any = None

    def get(self, executable: str) -> Any:
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=executable, args=ARGS)
        return self.browser

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.playwright.stop()


@pytest.fixture(scope="module")
def launcher() -> Iterator[_Launcher]:
    holder = _Launcher()
    try:
        yield holder
    finally:
        holder.close()


@pytest.fixture
def browser(chromium_path: str, launcher: _Launcher) -> Any:
    """The module's chromium (skips without it, fails under CI=true: see conftest)."""
    return launcher.get(chromium_path)


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    w = Watched(page)
    page.on("console", lambda m: w.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    page.on("request", lambda r: w.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            w.blocked.append(url)
            route.abort()

    page.route("**/*", guard)
    try:
        yield w
    finally:
        context.close()


@pytest.fixture
def hostile(supply_chain) -> cm.ClusterNetwork:
    nodes = supply_chain.nodes.reset_index()
    nodes.loc[nodes["id"] == "T1b", "name"] = INJECTION
    nodes.loc[nodes["id"] == "T2a", "name"] = CLOSER
    nodes.loc[nodes["id"] == "RC", "category"] = INJECTION
    return cm.from_tables(nodes, supply_chain.edges)


def fixed(net: cm.ClusterNetwork, path: Path, **kwargs: Any) -> Path:
    options = {"layout": "fixed", **kwargs.pop("options", {})}
    return cm.save_html(net, path, options=options, **kwargs)


def hover(w: Watched, node_id: str) -> None:
    """Move the mouse over a node."""
    x, y = w.js(
        """(id) => {
            const net = window.clustermap.network;
            const i = window.clustermap.index(id);
            const p = net.canvasToDOM(net.getPositions([i])[i]);
            const r = document.getElementById('cm-network').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        node_id,
    )
    w.page.mouse.move(x - 30, y - 30)
    w.page.mouse.move(x, y, steps=5)


def test_loads_offline_without_errors(watched, supply_chain, tmp_path):
    path = cm.save_html(supply_chain, tmp_path / "chain.html")  # live physics
    watched.open(path)
    watched.page.wait_for_timeout(300)
    assert watched.console_errors() == []
    assert watched.blocked == []
    assert set(watched.requests) <= {path.resolve().as_uri()}
    assert watched.page.locator("#cm-loading").is_hidden()
    assert watched.page.title() == "Cluster network"


def test_draws_what_was_asked(watched, supply_chain, tmp_path):
    watched.open(fixed(supply_chain, tmp_path / "chain.html"))
    assert watched.drawn() == {"nodes": 9, "edges": 11}
    assert watched.js("() => [window.clustermap.nodes.length, window.clustermap.edges.length]") == [
        9,
        11,
    ]
    labels = watched.js("() => window.clustermap.label(window.clustermap.index('T1a'))")
    assert labels == "Axle Works"
    dashes = watched.js(
        "() => window.clustermap.edges.get().map(e => [e.dashes, Boolean(e.arrows.to.enabled)])"
    )
    assert dashes.count([False, True]) == 6  # supply: solid arrows
    assert dashes.count([True, False]) == 5  # knowledge: dashed, no arrow
    assert watched.page.locator("#cm-shown").inner_text() == (
        "Drawn: 9 of 9 nodes, 11 of 11 lines."
    )


def test_draws_a_generated_cluster_in_full(watched, tmp_path):
    from clustermap.views.html import prepare_view

    net = cm.make_cluster(n_actors=500, seed=11)
    nodes, links, _ = prepare_view(net, options={"layout": "fixed"})
    watched.open(fixed(net, tmp_path / "c500.html"))
    assert watched.drawn() == {"nodes": 500, "edges": len(links)}
    assert len(nodes) == 500
    assert watched.console_errors() == []


def test_search_focuses_the_actor(watched, supply_chain, tmp_path):
    watched.open(fixed(supply_chain, tmp_path / "chain.html"))
    page = watched.page
    page.fill("#cm-search", "brake sys")
    page.click("#cm-find")
    assert watched.js(
        "() => window.clustermap.network.getSelectedNodes().map(window.clustermap.idOf)"
    ) == ["T1b"]
    assert watched.js("() => window.clustermap.focused") == "T1b"
    page.wait_for_function(
        """() => {
            const n = window.clustermap.network;
            const i = window.clustermap.index('T1b');
            const p = n.getPositions([i])[i];
            const v = n.getViewPosition();
            return Math.abs(p.x - v.x) < 1 && Math.abs(p.y - v.y) < 1;
        }""",
        timeout=5_000,
    )
    assert "Brake Systems" in page.locator("#cm-details").inner_text()
    assert page.locator("#cm-search-status").inner_text() == "Found “Brake Systems”."
    page.fill("#cm-search", "no such firm")
    page.press("#cm-search", "Enter")
    assert "No actor on this page matches" in page.locator("#cm-search-status").inner_text()
    assert watched.console_errors() == []


def test_filters_hide_kinds_and_layers(watched, supply_chain, tmp_path):
    watched.open(fixed(supply_chain, tmp_path / "chain.html"))
    page = watched.page
    page.locator("#cm-legend label", has_text="institution").locator("input").uncheck()
    # UNI, RC and ISO go; their 4 knowledge lines go; T1a-T1b stays with the 6 supply lines
    assert watched.drawn() == {"nodes": 6, "edges": 7}
    page.locator("#cm-legend label", has_text="knowledge").locator("input").uncheck()
    assert watched.drawn() == {"nodes": 6, "edges": 6}
    assert watched.js("() => window.clustermap.edgeView.get().every(e => !e.dashes)")
    page.fill("#cm-search", "University of Midland")
    page.click("#cm-find")
    assert "hidden by the filters" in page.locator("#cm-search-status").inner_text()
    kinds = page.locator("#cm-legend .cm-group").nth(0)
    kinds.get_by_role("button", name="all").click()
    assert watched.drawn() == {"nodes": 9, "edges": 6}
    kinds.get_by_role("button", name="none").click()
    assert watched.drawn() == {"nodes": 0, "edges": 0}
    assert watched.console_errors() == []


def test_community_filter(watched, supply_chain, tmp_path):
    part = cm.find_communities(supply_chain, seed=1)
    watched.open(fixed(supply_chain, tmp_path / "chain.html", results={"partition": part}))
    community = watched.page.locator("#cm-legend .cm-group").nth(1)
    assert community.locator("h3").inner_text().startswith("Community")
    community.locator("input").nth(0).uncheck()
    left = int((part.membership != 1).sum())
    assert watched.drawn()["nodes"] == left
    ids = set(watched.js("() => window.clustermap.shownIds()"))
    assert ids == set(part.membership.index[part.membership != 1])


def test_hostile_names_are_text_and_run_nothing(watched, hostile, tmp_path):
    path = fixed(hostile, tmp_path / "hostile.html", title=f"Map {INJECTION}")
    watched.open(path)
    page = watched.page
    assert page.title() == f"Map {INJECTION}"
    assert page.locator("#cm-title").inner_text() == f"Map {INJECTION}"
    label = "(id) => window.clustermap.label(window.clustermap.index(id))"
    assert watched.js(label, "T1b") == INJECTION
    assert watched.js(label, "T2a") == CLOSER
    hover(watched, "RC")
    page.wait_for_selector("#cm-tip:not([hidden])", timeout=5_000)
    assert INJECTION in page.locator("#cm-tip").inner_text()
    hover(watched, "T2a")
    page.wait_for_function(
        "(t) => document.getElementById('cm-tip').textContent.includes(t)", arg=CLOSER
    )
    page.fill("#cm-search", INJECTION)
    page.click("#cm-find")
    assert watched.js("() => window.clustermap.focused") == "T1b"
    assert INJECTION in page.locator("#cm-details").inner_text()
    page.wait_for_timeout(300)
    assert watched.js("() => document.querySelectorAll('img').length") == 0
    assert watched.js("() => document.querySelectorAll('script').length") == 3
    assert watched.dialogs == []
    assert watched.console_errors() == []
    assert watched.blocked == []


def test_tooltip_shows_attributes(watched, supply_chain, tmp_path):
    scores = pd.DataFrame({"pagerank": [0.25]}, index=["OEM"])
    watched.open(fixed(supply_chain, tmp_path / "chain.html", results={"scores": scores}))
    hover(watched, "OEM")
    tip = watched.page.locator("#cm-tip")
    tip.wait_for(state="visible", timeout=5_000)
    text = tip.inner_text()
    assert "Midland Motors" in text
    assert "category" in text
    assert "pagerank" in text
    assert "0.25" in text


def test_community_level_view(watched, tmp_path):
    net = cm.make_cluster(n_actors=400, seed=5)
    part = cm.find_communities(net, seed=1)
    path = cm.save_html(
        net, tmp_path / "big.html", results={"partition": part},
        options={"max_nodes": 100, "top_actors": 10},
    )  # fmt: skip
    watched.open(path)
    assert watched.drawn()["nodes"] == part.n_communities + 10
    notes = watched.page.locator("#cm-notes").inner_text()
    assert "the other 390 actors appear only inside their community" in notes
    assert watched.console_errors() == []
    assert watched.blocked == []


def test_pyvis_page_works_offline(watched, supply_chain, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    g = cm.to_pyvis(supply_chain, options={"layout": "fixed"})
    g.write_html("notebook.html")
    watched.open(tmp_path / "notebook.html")
    assert watched.drawn() == {"nodes": 9, "edges": 11}
    assert watched.console_errors() == []
    assert watched.blocked == []


# ---------------------------------------------------------------- readable at any size (issue 15)

BOXES = "() => window.clustermap.labelBoxes()"


def many_components(seed: int = 3) -> cm.ClusterNetwork:
    """A 300-actor cluster plus 40 small chains of 2 to 6 actors and 25 loners."""
    big = cm.make_cluster(n_actors=300, seed=seed)
    nodes = [big.nodes.reset_index()[["id", "name", "kind"]]]
    edges = [big.edges[["source", "target", "layer"]]]
    rows, links = [], []
    for c in range(40):
        size = 2 + c % 5
        ids = [f"c{c}-{k}" for k in range(size)]
        rows += [(i, f"Chain {c} firm {k}", "supplier") for k, i in enumerate(ids)]
        links += [(a, b, "supply") for a, b in itertools.pairwise(ids)]
    rows += [(f"loner{k}", f"Loner {k}", "firm") for k in range(25)]
    nodes.append(pd.DataFrame(rows, columns=["id", "name", "kind"]))
    edges.append(pd.DataFrame(links, columns=["source", "target", "layer"]))
    return cm.from_tables(pd.concat(nodes), pd.concat(edges))


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]:
                bad.append((a["node"], b["node"]))
    return bad


MAIN_BOX = """(ids) => {
    const c = window.clustermap, net = c.network;
    const pos = net.getPositions(ids.map(c.index));
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    Object.values(pos).forEach((p) => {
        const d = net.canvasToDOM(p);
        x0 = Math.min(x0, d.x); x1 = Math.max(x1, d.x);
        y0 = Math.min(y0, d.y); y1 = Math.max(y1, d.y);
    });
    const box = document.getElementById('cm-network');
    const W = box.clientWidth, H = box.clientHeight;
    const cx0 = Math.max(0, x0), cx1 = Math.min(W, x1);
    const cy0 = Math.max(0, y0), cy1 = Math.min(H, y1);
    return (Math.max(0, cx1 - cx0) * Math.max(0, cy1 - cy0)) / (W * H);
}"""


@pytest.mark.parametrize("layout", ["fixed", "physics"])
def test_main_component_fills_the_canvas(watched, tmp_path, layout):
    net = many_components()
    watched.open(cm.save_html(net, tmp_path / "parts.html", options={"layout": layout}))
    main = [i for i in net.nodes.index if not i.startswith(("c", "loner"))]
    covered = watched.js(MAIN_BOX, main)
    assert covered >= 0.5, covered
    # the small components are on the page, packed around it
    assert watched.drawn()["nodes"] == net.n_nodes
    assert "smaller component" in watched.page.locator("#cm-notes").inner_text()
    assert watched.console_errors() == []


def test_real_supplier_network_opens_on_its_main_component(watched, realdata, tmp_path):
    folder = realdata("willems2008_supply_chains")
    import csv

    rows, links = [], []
    for chain in (7, 8, 9, 10, 11, 12, 13, 14):
        with (folder / "data" / f"willems_{chain:02d}.csv").open() as fh:
            for row in list(csv.reader(fh))[1:]:
                sid = f"C{chain}:{row[0]}"
                rows.append((sid, row[0], "supplier"))
                ups = [x for x in row[8:] if x]
                links += [(f"C{chain}:{u}", sid, "supply") for u in ups[0::2]]
    net = cm.from_tables(
        pd.DataFrame(rows, columns=["id", "name", "kind"]).drop_duplicates("id"),
        pd.DataFrame(links, columns=["source", "target", "layer"]),
    )
    watched.open(cm.save_html(net, tmp_path / "willems.html", options={"layout": "fixed"}))
    sizes = net.to_igraph(directed=False).connected_components().sizes()
    assert len(sizes) == 8
    ig_graph = net.to_igraph(directed=False)
    biggest = max(ig_graph.connected_components(), key=len)
    main = [net.nodes.index[v] for v in biggest]
    assert watched.js(MAIN_BOX, main) >= 0.5
    assert overlapping(watched.js(BOXES)) == []


def test_labels_never_overlap_and_more_appear_on_zoom(watched, tmp_path):
    net = cm.make_cluster(n_actors=800, seed=4)
    watched.open(cm.save_html(net, tmp_path / "labels.html", options={"layout": "fixed"}))
    page_boxes = watched.js(BOXES)
    assert len(page_boxes) >= 5
    assert overlapping(page_boxes) == []
    watched.js(
        "() => window.clustermap.network.moveTo({scale: window.clustermap.network.getScale() * 4})"
    )
    watched.page.wait_for_timeout(300)
    zoomed = watched.js(BOXES)
    assert overlapping(zoomed) == []
    # zoomed in, labels of lesser actors show: some label not shown before
    assert {b["node"] for b in zoomed} - {b["node"] for b in page_boxes}


def test_community_labels_never_overlap(watched, tmp_path):
    net = cm.make_cluster(n_actors=3000, seed=2)
    part = cm.find_communities(net, resolution=3.0, seed=1)
    path = cm.save_html(
        net, tmp_path / "c.html", results={"partition": part},
        options={"max_nodes": 500, "top_actors": 30, "layout": "fixed"},
    )  # fmt: skip
    watched.open(path)
    boxes = watched.js(BOXES)
    assert sum(b["node"].startswith("community:") for b in boxes) >= 3
    assert overlapping(boxes) == []
    watched.js("() => window.clustermap.network.moveTo({scale: 0.05})")
    watched.page.wait_for_timeout(300)
    assert overlapping(watched.js(BOXES)) == []


def test_thinned_lines_show_on_select_and_on_request(watched, tmp_path):
    net = cm.make_cluster(n_actors=1200, seed=6)
    from clustermap.views.html import prepare_view

    _, links, _ = prepare_view(net, options={"layout": "fixed"})
    thin = int(links["thin"].sum())
    assert thin > 0
    watched.open(cm.save_html(net, tmp_path / "dense.html", options={"layout": "fixed"}))
    assert watched.drawn()["edges"] == len(links) - thin
    assert f"{thin:,} of {len(links):,} lines" in watched.page.locator("#cm-notes").inner_text()
    watched.page.locator("#cm-all-lines").check()
    assert watched.drawn()["edges"] == len(links)
    watched.page.locator("#cm-all-lines").uncheck()
    watched.page.fill("#cm-search", net.nodes.index[0])
    watched.page.click("#cm-find")
    ends = links[(links["source"] == 0) | (links["target"] == 0)]
    extra = int(ends["thin"].sum())
    assert watched.drawn()["edges"] == len(links) - thin + extra


def test_drill_down_opens_a_community_and_goes_back(watched, tmp_path):
    net = cm.make_cluster(n_actors=600, seed=5)
    part = cm.find_communities(net, seed=1)
    path = cm.save_html(
        net, tmp_path / "drill.html", results={"partition": part},
        options={"max_nodes": 100, "top_actors": 10, "drill_members": 12},
    )  # fmt: skip
    watched.open(path)
    before = watched.drawn()
    hexagon = "community:1"
    members = part.membership[part.membership == 1].index
    watched.js(f"() => window.clustermap.openCommunity(window.clustermap.index('{hexagon}'))")
    watched.page.wait_for_timeout(200)
    after = watched.drawn()
    assert after["nodes"] == before["nodes"] + 12
    shown = set(watched.js("() => window.clustermap.shownIds()"))
    assert len(shown & set(members)) >= 12
    bar = watched.page.locator("#cm-back")
    assert bar.is_visible()
    text = bar.inner_text()
    assert "12 members shown" in text
    assert "more not shown" in text
    assert overlapping(watched.js(BOXES)) == []
    bar.get_by_role("button").click()
    assert watched.drawn() == before
    assert bar.is_hidden()
    assert watched.console_errors() == []


def test_ego_view_from_the_panel(watched, supply_chain, tmp_path):
    watched.open(fixed(supply_chain, tmp_path / "chain.html"))
    page = watched.page
    page.fill("#cm-search", "T2a")
    page.click("#cm-find")
    page.locator("#cm-details").get_by_role("button", name="1 step").click()
    # T2a supplies T1a (supply) and nothing else: itself and T1a
    neighbours = set(
        supply_chain.edges.query("source == 'T2a' or target == 'T2a'")[["source", "target"]].stack()
    )
    assert set(watched.js("() => window.clustermap.shownIds()")) == neighbours | {"T2a"}
    page.locator("#cm-details").get_by_role("button", name="2 steps").click()
    two = set(watched.js("() => window.clustermap.shownIds()"))
    assert two > neighbours
    page.locator("#cm-back").get_by_role("button").click()
    assert watched.drawn()["nodes"] == 9


def test_tier_columns_run_along_supply_ties(watched, tmp_path):
    net = cm.make_cluster(n_actors=400, seed=9)
    tiers = cm.supply_tiers(net)
    watched.open(cm.save_html(net, tmp_path / "tiers.html", options={"layout": "tiers"}))
    xs = watched.js(
        """() => {
            const c = window.clustermap, pos = c.network.getPositions();
            const out = {};
            Object.keys(pos).forEach((k) => { out[c.idOf(Number(k))] = pos[k].x; });
            return out;
        }"""
    )
    e = net.edges
    e = e[(e["layer"] == "supply") & (e["source"] != e["target"])]
    broken = {tuple(p) for p in tiers.attrs["broken_ties"]}
    checked = 0
    for s, t in zip(e["source"], e["target"], strict=True):
        if (s, t) in broken or tiers.at[s, "buyer"] or pd.isna(tiers.at[s, "depth"]):
            continue
        assert xs[s] < xs[t], (s, t)
        checked += 1
    assert checked > 100
    # columns are monotone: a deeper actor is never right of a shallower one
    depth = tiers["depth"].dropna()
    order = depth.sort_values().index
    x = pd.Series(xs).reindex(order)
    assert (x.groupby(depth.reindex(order).to_numpy()).max().diff().dropna() < 0).all()
    # search and filters work as elsewhere
    watched.page.fill("#cm-search", net.nodes["name"].iloc[3])
    watched.page.click("#cm-find")
    assert watched.js("() => window.clustermap.focused") == net.nodes.index[3]
    watched.page.locator("#cm-legend label", has_text="institution").locator("input").uncheck()
    assert watched.drawn()["nodes"] == int((net.nodes["kind"] != "institution").sum())
    assert watched.console_errors() == []


# ---------------------------------------------------------------- hostile ids (issue 10)


def test_ids_that_are_object_properties_are_drawn(watched, tmp_path):
    ids = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "plain"]
    nodes = pd.DataFrame({"id": ids, "name": ids, "kind": "firm"})
    edges = pd.DataFrame({"source": ids[:-1], "target": ids[1:], "layer": "knowledge"})
    net = cm.from_tables(nodes, edges)
    for layout in ("physics", "fixed"):
        watched.open(cm.save_html(net, tmp_path / f"{layout}.html", options={"layout": layout}))
        assert watched.drawn() == {"nodes": 6, "edges": 5}
        assert sorted(watched.js("() => window.clustermap.shownIds()")) == sorted(ids)
        watched.page.fill("#cm-search", "__proto__")
        watched.page.click("#cm-find")
        assert watched.js("() => window.clustermap.focused") == "__proto__"
        assert watched.console_errors() == []


def test_community_view_coloured_by_a_text_column(watched, supply_chain, tmp_path):
    path = cm.save_html(
        supply_chain, tmp_path / "text.html", color_by="region",
        options={"max_nodes": 5, "top_actors": 2, "layout": "fixed"},
    )  # fmt: skip
    watched.open(path)
    assert watched.console_errors() == []
    assert watched.page.locator("#cm-legend").inner_text().count("communities") >= 1


# ---------------------------------------------------------------- comparison (issue 12)


def test_comparison_view_filters_by_change(watched, tmp_path):
    from tests.test_views import Comparison

    net = cm.make_cluster(n_actors=60, seed=2)
    e = net.edges
    nodes = net.nodes.reset_index()
    before = cm.from_tables(nodes, e.iloc[: int(len(e) * 0.7)])
    after = cm.from_tables(nodes, e.iloc[int(len(e) * 0.3) :])
    comp = Comparison(before, after)
    path = cm.save_html(comp, tmp_path / "change.html", options={"layout": "fixed"})
    watched.open(path)
    counts = comp.ties["change"].value_counts()
    assert watched.drawn()["edges"] == len(comp.ties)
    legend = watched.page.locator("#cm-legend")
    legend.locator("label", has_text="dissolved").locator("input").uncheck()
    assert watched.drawn()["edges"] == len(comp.ties) - counts["dissolved"]
    legend.locator("label", has_text="kept").locator("input").uncheck()
    assert watched.drawn()["edges"] == counts["formed"]
    colours = watched.js(
        "() => [...new Set(window.clustermap.edgeView.get().map(e => e.color.color))]"
    )
    assert colours == ["#009E73"]
    assert watched.console_errors() == []
    assert watched.blocked == []
