"""The HTML report in a real browser (Debian's chromium, headless, via Playwright).

It opens from ``file://`` with nothing leaving the file and no console
error, shows every section, runs the embedded interactive network, and
shows a corpus of hostile actor names as text (in the report and in the
embedded view) without running anything. Without chromium the tests skip,
except under ``CI=true`` (see ``chromium_path`` in conftest).
"""

from __future__ import annotations

import pytest
import test_browser

import clustermap as cm

pytestmark = pytest.mark.browser

# the browser fixtures of the views' browser tests: one chromium per module
launcher = test_browser.launcher
browser = test_browser.browser
watched = test_browser.watched

#: Payloads that must show as text: markup, script closers, attribute breakers, URLs.
XSS = [
    "<img src=x onerror=alert(1)>",
    "Evil </script><script>alert(2)</script> Ltd",
    '"><svg onload=alert(3)>',
    "' onmouseover='alert(4)",
    "javascript:alert(5)",
    "</style><script>alert(6)</script>",
    "<!-- --><iframe srcdoc='<script>alert(7)</script>'>",
    "{{7*7}} ${alert(8)}",
    '=HYPERLINK("http://example.com")',
]

READY = "() => window.__clustermapReady === true"

SECTIONS = ["summary", "key-actors", "sub-clusters", "spillovers", "network", "methods", "data"]


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    net = cm.make_cluster(n_actors=60, seed=4)
    nodes = net.nodes.reset_index()
    ids = nodes["id"].iloc[: len(XSS)].tolist()
    nodes.loc[: len(XSS) - 1, "name"] = XSS
    nodes.loc[0, "sector"] = XSS[1]
    net = cm.from_tables(nodes, net.edges)
    part = cm.find_communities(net, seed=4)
    scores = cm.centrality(net, seed=4)
    scores["pagerank"] = 0.0
    scores.loc[ids, "pagerank"] = range(len(ids), 0, -1)  # every payload in the top table
    unis = {"category": ["university", "research centre"]}
    firms = {"kind": ["firm", "supplier"]}
    results = {
        "partition": part,
        "centrality": scores,
        "brokerage": cm.brokerage(net, groups=part.membership.rename("community")),
        "resilience": cm.resilience(net),
        "spillover_paths": cm.spillover_paths(net, sources=unis, targets=firms),
        "spillover_brokers": cm.spillover_brokers(net, sources=unis, targets=firms),
        "spillover_reach": cm.spillover_reach(net, sources=unis),
        "knowledge_roles": cm.knowledge_roles(net, internal=firms),
    }
    inputs = {"files": [{"file": XSS[0], "role": "nodes", "rows": 60}], "messages": XSS[:3]}
    path = tmp_path_factory.mktemp("report") / "report.html"
    cm.save_report(net, path, results=results, title=XSS[1], inputs=inputs, seed=4)
    return path


def embedded(page):
    """The embedded view's frame, once its network is drawn."""
    page.wait_for_selector("iframe.view")
    frame = next(f for f in page.frames if f.url == "about:srcdoc")
    frame.wait_for_function(READY, timeout=60_000)
    return frame


def test_report_opens_offline_with_every_section(watched, hostile_report):
    page = watched.page
    page.goto(hostile_report.resolve().as_uri())
    view = embedded(page)
    assert watched.console_errors() == []
    assert watched.blocked == []
    assert set(watched.requests) <= {hostile_report.resolve().as_uri()}
    ids = page.eval_on_selector_all("main > section", "els => els.map(e => e.id)")
    assert ids == SECTIONS
    for section in SECTIONS:
        assert page.locator(f"#{section} h2").is_visible()
    assert page.locator("svg[role=img][aria-label]").count() == 5
    assert page.locator("figure.network-picture").is_hidden()  # on screen: the live view
    assert view.evaluate("() => window.clustermap.drawn()")["nodes"] == 60
    # the view is sandboxed: an opaque origin that cannot reach the report
    assert (
        page.evaluate(
            "() => { try { return document.querySelector('iframe.view').contentWindow.document, 1 }"
            " catch (e) { return 0 } }"
        )
        == 0
    )


def test_hostile_names_show_as_text_and_run_nothing(watched, hostile_report):
    page = watched.page
    page.goto(hostile_report.resolve().as_uri())
    embedded(page)
    page.wait_for_timeout(300)
    assert watched.dialogs == []
    assert page.title() == XSS[1]
    top = page.locator("#key-actors table").first.inner_text()
    for payload in XSS:
        assert payload in top, payload
    # no element, handler or script came from a name
    assert page.locator("main img, main svg[onload], main iframe:not(.view)").count() == 0
    assert page.locator("iframe").count() == 1
    assert page.evaluate("() => document.scripts.length") == 0
    data = page.locator("#data").inner_text()
    assert XSS[0] in data
    # and inside the embedded view, the payloads are text too
    view = page.frame_locator("iframe.view")
    found = view.locator("#cm-search")
    found.fill(XSS[0])
    view.locator("#cm-find").click()
    page.wait_for_timeout(300)
    assert watched.dialogs == []
    assert watched.console_errors() == []
