"""The HTML report (clustermap.views.report): sections, escaping, optional parts, methods."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pytest

import clustermap as cm
from clustermap.views.report import save_report

INJECTION = "<img src=x onerror=alert(1)>"
CLOSER = "Evil </script><script>alert(2)</script> Ltd"


@pytest.fixture(scope="module")
def demo():
    net = cm.make_cluster(n_actors=120, seed=5)
    part = cm.find_communities(net, seed=5, runs=2)
    unis = {"category": ["university", "research centre"]}
    firms = {"kind": ["firm", "supplier"]}
    results = {
        "partition": part,
        "centrality": cm.centrality(net, seed=5),
        "brokerage": cm.brokerage(net, groups=part.membership.rename("community")),
        "resilience": cm.resilience(net),
        "spillover_paths": cm.spillover_paths(net, sources=unis, targets=firms),
        "spillover_brokers": cm.spillover_brokers(net, sources=unis, targets=firms),
        "spillover_reach": cm.spillover_reach(
            net, sources=unis, groups=part.membership.rename("community")
        ),
        "knowledge_roles": cm.knowledge_roles(net, internal=firms),
    }
    return net, results


def sections(html: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)"', html)


def test_every_section_from_a_full_set_of_results(demo, tmp_path):
    net, results = demo
    html = save_report(net, tmp_path / "r.html", results=results, seed=5).read_text("utf-8")
    assert sections(html) == [
        "summary",
        "key-actors",
        "sub-clusters",
        "spillovers",
        "network",
        "methods",
        "data",
    ]
    for heading in (
        "Most central actors",
        "Brokers between sub-clusters",
        "Single points of failure",
        "Buyers that depend on one supplier",
        "Sole sources",
        "Strongest channels",
        "Gatekeepers",
        "Reach by group",
    ):
        assert f"<h3>{heading}</h3>" in html
    assert "Not computed" not in html
    n_comm = results["partition"].n_communities
    assert html.count('<article class="card"') == n_comm
    # degree, sizes, composition, reach, and the network picture for print
    assert html.count('<svg role="img" aria-label="') == 5
    assert "<!--" not in html.split("<iframe")[0]  # chart comments stripped
    assert "https://" not in html.split("<iframe")[0]
    assert "default-src &#39;none&#39;" in html


def test_top_actors_are_the_highest_pagerank(demo, tmp_path):
    net, results = demo
    html = save_report(net, tmp_path / "r.html", results=results, interactive=False).read_text(
        "utf-8"
    )
    top = results["centrality"].sort_values("pagerank", ascending=False).index[:3]
    table = html.split("<h3>Most central actors</h3>")[1].split("</table>")[0]
    positions = [table.index(f"<td>{net.nodes.loc[i, 'name']}</td>") for i in top]
    assert positions == sorted(positions)


def test_missing_results_say_so(tmp_path):
    net = cm.make_cluster(n_actors=40, seed=1)
    html = save_report(net, tmp_path / "r.html", interactive=False).read_text("utf-8")
    assert "Not computed: the ranking of actors needs the centrality results." in html
    assert "Not computed: sub-clusters needs a partition" in html
    assert "Not computed: knowledge spillovers needs the spillover results." in html
    assert 'id="network"' not in html
    assert "No result carried a record of how it was made." in html
    # the data section falls back on the network's own record
    assert "make_cluster" in html


def test_methods_come_from_provenance(demo, tmp_path):
    net, results = demo
    html = save_report(net, tmp_path / "r.html", results=results, interactive=False).read_text(
        "utf-8"
    )
    methods = html.split('<section id="methods">')[1].split("</section>")[0]
    assert "<code>leiden</code>" in methods
    assert "resolution = 1" in methods
    assert "<dt>seed</dt><dd>5</dd>" in methods
    assert "Traag, Waltman" in methods  # the plain sentence for leiden
    assert "<code>spillover_paths</code>" in methods


def test_hostile_names_are_text(tmp_path):
    net = cm.make_cluster(n_actors=40, seed=1)
    nodes = net.nodes.reset_index()
    nodes.loc[0, "name"] = INJECTION
    nodes.loc[1, "name"] = CLOSER
    nodes.loc[2, "sector"] = INJECTION
    hostile = cm.from_tables(nodes, net.edges)
    part = cm.find_communities(hostile, seed=1)
    scores = cm.centrality(hostile, seed=1)
    scores.loc[:, "pagerank"] = 0.0
    scores.loc[nodes.loc[[0, 1], "id"], "pagerank"] = [1.0, 0.9]  # both in the top table
    inputs = {"files": [{"file": INJECTION, "role": "nodes", "rows": 1}], "messages": [CLOSER]}
    html = save_report(
        hostile,
        tmp_path / "r.html",
        results={"partition": part, "centrality": scores},
        title=CLOSER,
        inputs=inputs,
    ).read_text("utf-8")
    outside = html.split("<iframe")[0] + html.split("</iframe>")[1]
    assert INJECTION not in outside
    assert "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in outside
    assert "Evil &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; Ltd" in outside


@dataclass
class FakeComparison:
    """The shape compare_networks returns (DESIGN: change -> views interface)."""

    before: Any
    after: Any
    actors: pd.DataFrame
    ties: pd.DataFrame
    provenance: dict = field(default_factory=lambda: {"method": "compare_networks"})


def test_specialisation_and_change_when_given(tmp_path):
    net = cm.make_cluster(n_actors=40, seed=1)
    lq = pd.DataFrame(
        {"region": ["XA11", "XA12", "XA11"], "cluster": ["Automotive", "Automotive", "IT"],
         "employment": [5000, 300, 80], "lq": [2.5, 0.4, 1.1], "strong": [True, False, False]}
    )  # fmt: skip
    lq.attrs = {"method": "location_quotients", "parameters": {"denominator": "traded"}}
    actors = pd.DataFrame(
        {"kind": ["firm", "firm", "supplier"], "status": ["entered", "stayed", "left"]},
        index=["a", "b", "c"],
    )
    ties = pd.DataFrame(
        {"source": ["a", "b"], "target": ["b", "c"], "layer": ["supply", "knowledge"],
         "change": ["formed", "dissolved"], "weight_before": [0, 1], "weight_after": [1, 0]}
    )  # fmt: skip
    comparison = FakeComparison(net, net, actors, ties)
    html = save_report(
        net, tmp_path / "r.html", results=[lq, comparison], interactive=False
    ).read_text("utf-8")
    assert sections(html)[4:6] == ["specialisation", "change"]
    special = html.split('<section id="specialisation">')[1].split("</section>")[0]
    assert special.index("Automotive") < special.index("IT")  # highest LQ first
    assert "1 strong cluster-region pairs." in special
    change = html.split('<section id="change">')[1].split("</section>")[0]
    assert "entered" in change
    assert "formed" in change
    assert '<a href="#change">' in html


def test_empty_network_and_bad_results(tmp_path):
    net = cm.make_cluster(n_actors=30, seed=1)
    with pytest.raises(cm.EmptyNetworkError, match="no actors"):
        save_report(net.select(kinds=[]), tmp_path / "r.html")
    with pytest.raises(cm.ConfigError, match="result 'x' is a int"):
        save_report(net, tmp_path / "r.html", results={"x": 3})
    assert not (tmp_path / "r.html").exists()


def test_same_results_same_bytes(demo, tmp_path):
    net, results = demo
    a = save_report(net, tmp_path / "a.html", results=results, seed=1).read_bytes()
    b = save_report(net, tmp_path / "b.html", results=results, seed=1).read_bytes()
    assert a == b
