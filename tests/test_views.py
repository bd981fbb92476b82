"""Tests for clustermap.views: payload building, escaping, options, limits, layouts.

Right answers come from the hand-drawn supply chain of conftest (9 actors,
6 supply and 5 knowledge links, whose lines are counted by hand), from
Web-Mercator values worked out by hand, and from the generator's clusters
for the limits. What the page does in a browser is in test_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_module
import json
import logging
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from pyvis.network import Network

import clustermap as cm
from clustermap import settings
from clustermap.cli import main
from clustermap.demo import DemoContext
from clustermap.errors import ConfigError, EmptyNetworkError, InputError
from clustermap.views import ViewOptions
from clustermap.views._data import (
    MISSING_COLOR,
    OTHER_COLOR,
    aggregate_links,
    binned,
    categorical,
    gather_results,
    layer_styles,
    scale,
    strongest_lines,
)
from clustermap.views._layout import geo_layout, grouped_layout, mercator, spread
from clustermap.views._page import build_payload, script_json
from clustermap.views.html import prepare_view

INJECTION = "<img src=x onerror=alert(1)>"
CLOSER = "Evil </script><script>alert(2)</script> Ltd"


def payload_of(html: str) -> dict:
    """The JSON payload embedded in a page."""
    match = re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match.group(1))


def write(net: cm.ClusterNetwork, tmp_path: Path, **kwargs) -> tuple[str, dict]:
    path = cm.save_html(net, tmp_path / "view.html", **kwargs)
    html = path.read_text(encoding="utf-8")
    return html, payload_of(html)


@pytest.fixture
def hostile(supply_chain) -> cm.ClusterNetwork:
    """The supply chain with hostile names, categories and extra columns."""
    nodes = supply_chain.nodes.reset_index()
    nodes.loc[nodes["id"] == "T1b", "name"] = INJECTION
    nodes.loc[nodes["id"] == "T2a", "name"] = CLOSER
    nodes.loc[nodes["id"] == "RC", "category"] = "<!-- \u2028 & \u2029 -->"
    return cm.from_tables(nodes, supply_chain.edges)


@pytest.fixture
def partition(supply_chain):
    return cm.find_communities(supply_chain, seed=1)


# ---------------------------------------------------------------- payload


def test_counts_by_hand(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path)
    assert p["nodes"]["id"] == supply_chain.nodes.index.tolist()
    # 6 supply pairs and 5 knowledge pairs, all distinct: 11 lines
    assert len(p["edges"]["from"]) == 11
    layers = [p["layers"][code]["name"] for code in p["edges"]["layer"]]
    assert layers.count("supply") == 6
    assert layers.count("knowledge") == 5
    ids = p["nodes"]["id"]
    pairs = {
        (ids[a], ids[b], layer)
        for a, b, layer in zip(p["edges"]["from"], p["edges"]["to"], layers, strict=True)
    }
    assert ("T2c", "T1a", "supply") in pairs
    assert ("T1a", "OEM", "supply") in pairs


def test_parallel_links_merge_and_direction_is_kept(supply_chain, tmp_path):
    extra = pd.DataFrame(
        {
            "source": ["T1a", "OEM", "T1b", "UNI"],
            "target": ["OEM", "T1a", "T1a", "T1a"],
            "layer": ["supply", "supply", "knowledge", "knowledge"],
            "weight": [4.0, 1.0, 3.0, 2.0],
        }
    )
    net = cm.from_tables(supply_chain.nodes.reset_index(), pd.concat([supply_chain.edges, extra]))
    _, p = write(net, tmp_path)
    ids = p["nodes"]["id"]
    lines = {}
    for a, b, code, w, c in zip(
        p["edges"]["from"],
        p["edges"]["to"],
        p["edges"]["layer"],
        p["edges"]["weight"],
        p["edges"]["count"],
        strict=True,
    ):
        lines[(ids[a], ids[b], p["layers"][code]["name"])] = (w, c)
    assert lines[("T1a", "OEM", "supply")] == (7.0, 2)  # 3 + 4, same direction
    assert lines[("OEM", "T1a", "supply")] == (1.0, 1)  # the other direction stays apart
    knowledge = {k: v for k, v in lines.items() if k[2] == "knowledge"}
    # T1a-T1b (2) and T1b->T1a (3) are one undirected line; UNI-T1a 1 + 2
    merged = [v for k, v in knowledge.items() if set(k[:2]) == {"T1a", "T1b"}]
    assert merged == [(5.0, 2)]
    assert [v for k, v in knowledge.items() if set(k[:2]) == {"UNI", "T1a"}] == [(3.0, 2)]
    assert len(p["edges"]["from"]) == 12


def test_aggregate_links_drops_undrawn_and_counts_internal():
    edges = pd.DataFrame({"weight": [1.0, 2.0, 3.0, 4.0]})
    ends = np.array([[0, 0, 1, -1], [1, 0, 0, 1]])
    links, internal = aggregate_links(
        edges, ends, np.zeros(4, dtype=int), np.array([False]), n=2, drop_internal=True
    )
    assert links[["source", "target", "weight", "count"]].values.tolist() == [[0, 1, 4.0, 2]]
    assert internal.tolist() == [1, 0]


@pytest.mark.parametrize("drop_internal", [False, True])
def test_aggregate_links_counting_and_sorting_agree(monkeypatch, drop_internal):
    """Few drawn nodes: pairs are counted in an array; many: sorted. Same lines, same sums."""
    from clustermap.views import _data

    rng = np.random.default_rng(7)
    n, rows = 40, 300
    edges = pd.DataFrame({"weight": rng.random(rows) * 10.0 ** rng.integers(-3, 4, rows)})
    ends = rng.integers(-1, n, size=(2, rows))
    layers = rng.integers(0, 2, rows)
    directed = np.array([True, False])
    args = (edges, ends, layers, directed)
    counted = aggregate_links(*args, n=n, drop_internal=drop_internal)
    monkeypatch.setattr(_data, "_DENSE_KEYS", 0)  # 2 * 40 * 40 keys > 2 * 300 rows: sorted
    monkeypatch.setattr(np, "bincount", _no_dense_bincount(np.bincount, 2 * n * n))
    sorted_ = aggregate_links(*args, n=n, drop_internal=drop_internal)
    pd.testing.assert_frame_equal(counted[0], sorted_[0], check_exact=True)
    assert counted[1].tolist() == sorted_[1].tolist()
    assert len(counted[0]) > 100


def _no_dense_bincount(bincount, n_keys):
    def guarded(x, weights=None, minlength=0):
        assert minlength != n_keys, "the sorting path should not count in a dense array"
        return bincount(x, weights=weights, minlength=minlength)

    return guarded


def test_top_actors_and_community_numbers_match_full_sorts():
    from clustermap.views._data import top_positions as _top
    from clustermap.views._summary import _numbered

    rng = np.random.default_rng(3)
    for trial in range(50):
        n = int(rng.integers(0, 500))
        ranking = rng.integers(0, 4, n).astype(float)  # many ties
        ranking[rng.random(n) < 0.2] = np.nan
        for top_n in (0, 1, 7, n, n + 1):
            expected = np.sort(
                np.argsort(-np.nan_to_num(ranking, nan=-np.inf), kind="stable")[:top_n]
            )
            assert _top(ranking, top_n).tolist() == expected.tolist(), (trial, top_n)
        comm = rng.integers(-1 if trial % 2 else 0, 30, n)
        numbers, code = np.unique(comm, return_inverse=True)
        got_numbers, got_code = _numbered(comm)
        assert got_numbers.tolist() == numbers.tolist()
        assert got_code.tolist() == code.tolist()


def test_layer_styles_follow_settings_and_invent_for_new_layers():
    styles = layer_styles(["supply", "knowledge", "ownership"], {"supply": True, "ownership": True})
    supply, knowledge, own = styles
    assert supply["arrows"] == "to"
    assert supply["dashes"] is False
    assert knowledge["arrows"] == ""
    assert knowledge["dashes"] is True
    assert own["arrows"] == "to"
    assert own["dashes"]
    assert own["color"].startswith("#")


def test_widths_grow_with_weight(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path)
    w = np.array(p["edges"]["weight"])
    width = np.array(p["edges"]["width"])
    assert width[w.argmax()] == pytest.approx(7.0)
    assert width[w.argmin()] == pytest.approx(1.0)
    assert (np.diff(width[np.argsort(w)]) >= 0).all()


# ---------------------------------------------------------------- escaping


def test_script_json_escapes_and_round_trips():
    data = {"name": "</script><!-- & \u2028\u2029 >", "n": [1.5, None]}
    text = script_json(data)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == data


def test_hostile_names_cannot_break_out_of_the_page(hostile, tmp_path):
    html, p = write(hostile, tmp_path, title="<b>Title</b> & co")
    # exactly our three scripts end: the JSON data, vis-network, ours
    assert html.lower().count("</script") == 3
    assert html.count('<script type="application/json"') == 1
    assert "<img" not in html
    assert "<!-- \u2028" not in html
    assert "<title>&lt;b&gt;Title&lt;/b&gt; &amp; co</title>" in html
    assert '<h1 id="cm-title">&lt;b&gt;Title&lt;/b&gt; &amp; co</h1>' in html
    labels = dict(zip(p["nodes"]["id"], p["nodes"]["label"], strict=True))
    assert labels["T1b"] == INJECTION
    assert labels["T2a"] == CLOSER
    assert "title" not in p["nodes"]  # no vis-network HTML tooltips


def test_page_is_offline_and_scripts_are_pinned_by_csp(supply_chain, tmp_path):
    html, _ = write(supply_chain, tmp_path)
    assert "<link" not in html
    assert not re.search(r"\ssrc\s*=", html)
    assert "@import" not in html
    assert re.findall(r"url\(\s*(?!['\"]?data:)", html) == []
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    csp = html_module.unescape(csp)
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "vis-network" in scripts[0][:300]


def test_anonymize_removes_every_name(supply_chain, tmp_path):
    html, p = write(supply_chain, tmp_path, options={"anonymize": True})
    for name in supply_chain.nodes["name"]:
        assert name not in html
    assert p["nodes"]["label"] == p["nodes"]["id"]
    assert "name" not in p["attributes"]
    assert "Names are replaced by ids." in html


def test_anonymize_refuses_to_show_names(supply_chain, tmp_path):
    with pytest.raises(ConfigError, match="anonymize"):
        cm.save_html(
            supply_chain,
            tmp_path / "x.html",
            options={"anonymize": True, "tooltip_columns": ["name", "kind"]},
        )
    with pytest.raises(ConfigError, match="anonymize"):
        cm.save_html(
            supply_chain, tmp_path / "x.html", color_by="name", options={"anonymize": True}
        )
    assert not (tmp_path / "x.html").exists()


def test_tooltip_columns_choose_what_is_shown(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path, options={"tooltip_columns": ["region", "category"]})
    assert p["attributes"] == ["region", "category"]
    assert set(p["nodes"]["attrs"]) == {"region", "category"}
    i = p["nodes"]["id"].index("UNI")
    assert p["nodes"]["attrs"]["category"][i] == "university"
    with pytest.raises(ConfigError, match=r"`tooltip_columns` must be one of .*'nope'"):
        cm.save_html(supply_chain, tmp_path / "x.html", options={"tooltip_columns": ["nope"]})


def test_default_tooltips_show_every_column_but_the_name(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path)
    assert p["attributes"] == ["kind", "category", "sector", "region"]


def test_missing_values_are_null_and_numbers_stay_numbers(supply_chain, tmp_path):
    scores = pd.DataFrame({"score": [0.5, np.nan], "flag": [True, None]}, index=["OEM", "UNI"])
    _, p = write(supply_chain, tmp_path, results={"scores": scores})
    ids = p["nodes"]["id"]
    attrs = p["nodes"]["attrs"]
    assert attrs["score"][ids.index("OEM")] == 0.5
    assert attrs["score"][ids.index("UNI")] is None
    assert attrs["score"][ids.index("T1a")] is None
    assert attrs["flag"][ids.index("OEM")] is True


# ---------------------------------------------------------------- colours and sizes


def test_colour_by_kind_uses_fixed_kind_colours(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path)
    colors = [p["colors"][c] for c in p["nodes"]["color"]]
    kinds = supply_chain.nodes["kind"].tolist()
    assert colors == [settings.kind_colors[k] for k in kinds]
    kind = p["filters"][0]
    assert kind["key"] == "kind"
    assert kind["colored"] is True
    assert [o["label"] for o in kind["options"]] == ["firm", "supplier", "institution"]
    assert [o["count"] for o in kind["options"]] == [1, 5, 3]
    assert [o["shape"] for o in kind["options"]] == ["dot", "square", "triangle"]


def test_colour_by_community_from_partition(supply_chain, partition, tmp_path):
    _, p = write(supply_chain, tmp_path, results={"partition": partition})
    community = next(f for f in p["filters"] if f["key"] == "community")
    assert community["colored"] is True
    kind = next(f for f in p["filters"] if f["key"] == "kind")
    assert kind["colored"] is False
    membership = partition.membership.reindex(p["nodes"]["id"]).to_numpy()
    colors = np.array([p["colors"][c] for c in p["nodes"]["color"]])
    for k in range(1, partition.n_communities + 1):
        assert len(set(colors[membership == k])) == 1
        assert colors[membership == k][0] == settings.palette[k - 1]
    assert [o["count"] for o in community["options"]] == partition.sizes.tolist()
    assert community["options"][0]["label"].startswith("1")


def test_colour_by_community_needs_a_partition(supply_chain, tmp_path):
    with pytest.raises(ConfigError, match="needs a partition"):
        cm.save_html(supply_chain, tmp_path / "x.html", color_by="community")


def test_colour_by_a_text_column(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path, color_by="region")
    colour = next(f for f in p["filters"] if f["key"] == "color")
    assert colour["colored"]
    # UKG (7 actors) is the most frequent value: first palette colour
    assert [(o["label"], o["count"], o["color"]) for o in colour["options"]] == [
        ("UKG", 7, settings.palette[0]),
        ("UKF", 2, settings.palette[1]),
    ]


def test_categorical_beyond_the_palette_and_missing():
    values = pd.Series([f"v{i:02d}" for i in range(20)] + [None])
    enc = categorical(values, key="c", title="c")
    assert len(enc.options) == len(settings.palette) + 2
    assert enc.options[-2] == {
        "label": "other (4 values)",
        "value": None,
        "color": OTHER_COLOR,
        "count": 4,
    }
    assert enc.options[-1]["color"] == MISSING_COLOR
    assert enc.codes[-1] == len(enc.options) - 1
    cycled = categorical(values.iloc[:20], key="c", title="c", order=values.iloc[:20], cycle=True)
    assert len(cycled.options) == 20
    assert cycled.options[16]["color"] == settings.palette[0]


def test_numeric_column_colour_classes():
    enc = binned(pd.Series(np.arange(100.0)), key="x", title="x")
    assert [o["count"] for o in enc.options] == [20] * 5
    assert enc.options[0]["label"] == "0 – 19.8"
    assert enc.codes[0] == 0
    assert enc.codes[-1] == 4


def test_size_by_metric_from_results(supply_chain, tmp_path):
    table = cm.centrality(supply_chain, measures=["pagerank"])
    _, p = write(supply_chain, tmp_path, size_by="pagerank", results={"centrality": table})
    sizes = dict(zip(p["nodes"]["id"], p["nodes"]["size"], strict=True))
    top = table["pagerank"].idxmax()
    low = table["pagerank"].idxmin()
    assert sizes[top] == 40.0
    assert sizes[low] == 8.0
    assert p["sizeNote"].startswith("Size: pagerank")
    # result columns that repeat node columns are not added twice
    assert "centrality.name" not in p["attributes"]
    assert "pagerank" in p["attributes"]


def test_scale_is_by_area():
    s = scale(np.array([0.0, 0.25, 1.0, np.nan]), 10, 30)
    assert s.tolist() == [10.0, 20.0, 30.0, 10.0]
    assert scale(np.array([2.0, 2.0]), 10, 30).tolist() == [20.0, 20.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size_by": "region"}, "`size_by` must name a numeric column"),
        ({"size_by": "nope"}, "`size_by` must be one of"),
        ({"color_by": "nope"}, "`color_by` must be one of 'kind', 'community'"),
        ({"layers": "trade"}, "`layers` must be among"),
        ({"options": {"layout": "spiral"}}, "`layout` must be one of 'auto'"),
        ({"options": {"max_nodes": -1}}, "`max_nodes` must be a whole number"),
        ({"options": {"top_actors": 2.5}}, "`top_actors` must be a whole number"),
        ({"options": {"colour": "red"}}, "unknown view option"),
        ({"options": 3}, "`options` must be a ViewOptions or a dict"),
        ({"results": {"x": 3}}, "result 'x' is a int"),
        ({"options": {"layout": "geo"}}, "needs `lat` and `lon`"),
    ],
)
def test_bad_options(supply_chain, tmp_path, kwargs, message):
    with pytest.raises(ConfigError, match=message):
        cm.save_html(supply_chain, tmp_path / "x.html", **kwargs)
    assert not (tmp_path / "x.html").exists()


def test_empty_network(supply_chain, tmp_path):
    net = supply_chain.select(kinds=[])
    with pytest.raises(EmptyNetworkError, match="no actors"):
        cm.save_html(net, tmp_path / "x.html")


def test_results_join(supply_chain, caplog):
    left = pd.DataFrame({"score": [1.0], "name": ["X"]}, index=["OEM"])
    other = pd.DataFrame({"score": [2.0]}, index=["T1a"])
    stray = pd.DataFrame({"score": [3.0]}, index=["nobody"])
    with caplog.at_level(logging.INFO, logger="clustermap._results"):
        table, part, added = gather_results(
            supply_chain, {"a": left, "b": other, "c": stray, "s": pd.Series([5], index=["RC"])}
        )
    assert part is None
    # clustermap._results: a name that differs from the node table's is kept, renamed
    assert added == ["score", "a.name", "b.score", "s"]
    assert table.loc["OEM", "score"] == 1.0
    assert table.loc["T1a", "b.score"] == 2.0
    assert table.loc["RC", "s"] == 5
    assert table.loc["OEM", "name"] == "Midland Motors"
    assert "not indexed by actor id" in caplog.text


def test_layers_option_draws_only_those_links(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path, layers="supply")
    assert [layer["name"] for layer in p["layers"]] == ["supply"]
    assert len(p["edges"]["from"]) == 6
    assert len(p["nodes"]["id"]) == 9


# ---------------------------------------------------------------- scale and limits


def test_physics_up_to_the_limit_then_fixed(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path, options={"physics_max_nodes": 9})
    assert p["physics"] is True
    assert p["nodes"]["x"] is not None  # physics starts from a precomputed layout
    html, p = write(supply_chain, tmp_path, options={"physics_max_nodes": 8})
    assert p["physics"] is False
    assert "because the view has 9 nodes (live physics up to 8)" in html
    _, p = write(supply_chain, tmp_path, options={"layout": "physics", "physics_max_nodes": 1})
    assert p["physics"] is True


def test_settings_are_read_at_call_time(supply_chain, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "view_physics_max_nodes", 3)
    _, p = write(supply_chain, tmp_path)
    assert p["physics"] is False


def test_same_seed_same_file(supply_chain, tmp_path):
    a = cm.save_html(supply_chain, tmp_path / "a.html", options={"seed": 3}).read_bytes()
    b = cm.save_html(supply_chain, tmp_path / "b.html", options={"seed": 3}).read_bytes()
    c = cm.save_html(supply_chain, tmp_path / "c.html", options={"seed": 4}).read_bytes()
    assert a == b
    assert a != c


@pytest.fixture(scope="module")
def mid_cluster() -> tuple[cm.ClusterNetwork, object]:
    net = cm.make_cluster(n_actors=400, seed=5)
    return net, cm.find_communities(net, seed=1)


def test_community_level_view_above_the_limit(mid_cluster, tmp_path):
    net, part = mid_cluster
    table = cm.centrality(net, measures=["degree"])
    html, p = write(
        net,
        tmp_path,
        results={"partition": part, "centrality": table},
        size_by="degree",
        options={"max_nodes": 100, "top_actors": 20},
    )
    k = part.n_communities
    ids = p["nodes"]["id"]
    assert len(ids) == k + 20
    top = table["degree"].sort_values(ascending=False, kind="stable").index[:20]
    assert set(ids[:20]) == set(top)
    assert ids[20:] == [f"community:{c}" for c in range(1, k + 1)]
    members = p["nodes"]["attrs"]["members"][20:]
    assert members == [float(s) for s in part.sizes]
    assert p["nodes"]["shape"][20:] == [p["shapes"].index("hexagon")] * k
    # what is left out is said on the page
    assert f"the other {400 - 20:,} actors appear only inside their community" in html
    assert "more than the 100 actors a page draws one by one" in html
    assert "with the highest degree" in html
    community = next(f for f in p["filters"] if f["key"] == "community")
    assert [o["count"] for o in community["options"]] == part.sizes.tolist()


def test_community_level_lines_sum_links(mid_cluster):
    net, part = mid_cluster
    nodes, links, _ = prepare_view(
        net, results={"partition": part}, options={"max_nodes": 100, "top_actors": 0}
    )
    # top_actors=0: only communities; summed line weights + links inside = all link weight
    m = part.membership
    e = net.edges
    inside = m.loc[e["source"]].to_numpy() == m.loc[e["target"]].to_numpy()
    internal = nodes["links inside"].sum()
    assert internal == inside.sum()
    full = aggregate_links(
        e,
        np.vstack([m.loc[e["source"]].to_numpy() - 1, m.loc[e["target"]].to_numpy() - 1]),
        pd.Index(net.layers).get_indexer(e["layer"]),
        np.array([net.directed[x] for x in net.layers]),
        n=part.n_communities,
        drop_internal=True,
    )[0]
    assert len(links) <= len(full)
    assert links["weight"].max() == pytest.approx(full["weight"].max())


def test_strongest_lines_keep_every_node_linked():
    links = pd.DataFrame(
        {"source": [0, 0, 1, 2], "target": [1, 2, 2, 3], "weight": [5.0, 4.0, 3.0, 1.0]}
    )
    kept = strongest_lines(links, 1)
    assert kept["weight"].tolist() == [5.0, 4.0, 1.0]
    assert strongest_lines(links, 10) is links


def test_community_view_computes_a_partition_when_none_is_given(mid_cluster, tmp_path, caplog):
    net, _ = mid_cluster
    with caplog.at_level(logging.WARNING, logger="clustermap.views"):
        html, p = write(net, tmp_path, options={"max_nodes": 100})
    assert "computing them with find_communities defaults" in caplog.text
    assert "Communities were computed for this view with find_communities defaults" in html
    expected = cm.find_communities(net)
    assert sum(1 for i in p["nodes"]["id"] if i.startswith("community:")) == (
        expected.n_communities
    )


def test_geo_layout_places_actors_and_counts_the_missing(tmp_path):
    nodes = pd.DataFrame(
        {
            "id": ["n", "s", "e", "x"],
            "name": ["North", "South", "East", "Nowhere"],
            "kind": "firm",
            "lat": [53.0, 52.0, 52.5, np.nan],
            "lon": [-1.0, -1.0, 0.0, np.nan],
        }
    )
    edges = pd.DataFrame({"source": ["n"], "target": ["s"], "layer": ["supply"]})
    net = cm.from_tables(nodes, edges)
    html, p = write(net, tmp_path, options={"layout": "geo"})
    x = dict(zip(p["nodes"]["id"], p["nodes"]["x"], strict=True))
    y = dict(zip(p["nodes"]["id"], p["nodes"]["y"], strict=True))
    assert p["physics"] is False
    assert y["n"] < y["s"]  # north is up
    assert x["e"] > x["n"]
    assert x["n"] == pytest.approx(x["s"])
    assert y["x"] > y["s"]  # lined up below the map
    assert "1 actor without coordinates is lined up below the map." in html
    assert "Web-Mercator" in html


def test_mercator_by_hand():
    x, y = mercator(np.array([0.0, 45.0, 89.9, -45.0]), np.array([0.0, 90.0, 180.0, -180.0]))
    assert x.tolist() == pytest.approx([0.0, np.pi / 2, np.pi, -np.pi])
    # y = -ln(tan(pi/4 + lat/2)); lat 45 -> -0.881374; clipped at 85.0511 -> -pi
    assert y.tolist() == pytest.approx([0.0, -0.881374, -np.pi, 0.881374], abs=1e-5)


def test_geo_layout_keeps_proportions():
    x, y, missing = geo_layout(np.array([0.0, 0.0, 10.0]), np.array([0.0, 10.0, 0.0]))
    assert not missing.any()
    east = np.hypot(x[1] - x[0], y[1] - y[0])
    north = np.hypot(x[2] - x[0], y[2] - y[0])
    mx, my = mercator(np.array([0.0, 0.0, 10.0]), np.array([0.0, 10.0, 0.0]))
    assert north / east == pytest.approx(abs(my[2] - my[0]) / abs(mx[1] - mx[0]))


def test_spread_and_grouped_layout():
    xy = spread(np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]]), neighbour=10)
    assert xy[:, 0].tolist() == [-15.0, -5.0, 15.0]
    groups = np.repeat([1, 2, 3], 20)
    rng = np.random.default_rng(0)
    src = rng.integers(0, 20, 60) + np.repeat([0, 20, 40], 20)
    dst = rng.integers(0, 20, 60) + np.repeat([0, 20, 40], 20)
    x, y = grouped_layout(60, src, dst, np.ones(60), groups, seed=1)
    centres = np.array([[x[groups == g].mean(), y[groups == g].mean()] for g in (1, 2, 3)])
    spread_in = max(np.hypot(x[groups == 1] - centres[0, 0], y[groups == 1] - centres[0, 1]))
    apart = min(np.hypot(*(centres[i] - centres[j])) for i, j in ((0, 1), (0, 2), (1, 2)))
    assert apart > spread_in  # communities do not overlap


# ---------------------------------------------------------------- pyvis, files, CLI, demo


def test_to_pyvis_renders_our_offline_page(supply_chain, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    g = cm.to_pyvis(supply_chain, options={"layout": "fixed"})
    assert isinstance(g, Network)
    assert g.num_nodes() == 9
    assert g.num_edges() == 11
    g.add_node("NEW", label="Added later")
    g.add_edge("NEW", "OEM")
    g.write_html("notebook.html")
    html = (tmp_path / "notebook.html").read_text(encoding="utf-8")
    assert not (tmp_path / "lib").exists()
    assert "cdnjs" not in html
    assert "jsdelivr" not in html
    p = payload_of(html)
    assert "NEW" in p["nodes"]["id"]
    assert len(p["edges"]["from"]) == 12
    assert p["physics"] is False
    g.toggle_physics(True)
    assert payload_of(g.generate_html())["physics"] is True


def test_save_html_does_not_import_pyvis(tmp_path):
    """pyvis (and the IPython it imports) is for to_pyvis; a page only reads vis-network's files."""
    import subprocess
    import sys

    code = (
        "import sys, clustermap as cm\n"
        "cm.save_html(cm.make_cluster(n_actors=30, seed=1), sys.argv[1])\n"
        "print(sorted(m for m in ('pyvis', 'IPython') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "v.html")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(cm.__file__).parents[1])},
    )
    assert out.stdout.strip() == "[]"
    assert "vis-network" in (tmp_path / "v.html").read_text(encoding="utf-8")


def test_save_html_is_atomic(supply_chain, tmp_path, monkeypatch):
    target = tmp_path / "out" / "view.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("clustermap.views._page.render_page", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        cm.save_html(supply_chain, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["view.html"]


def test_build_payload_rejects_unknown_shapes():
    nodes = pd.DataFrame(
        {
            "id": ["a"],
            "label": ["A"],
            "size": [1.0],
            "shape": ["star"],
            "color": ["#000000"],
            "x": [np.nan],
            "y": [np.nan],
            "font": [12.0],
        }
    )
    links = pd.DataFrame(columns=["source", "target", "layer", "weight", "count", "width"])
    from clustermap.views._page import PageSpec

    with pytest.raises(ValueError, match="unknown node shape"):
        build_payload(nodes, links, PageSpec("t"))


@pytest.fixture
def table_files(supply_chain, tmp_path):
    nodes = supply_chain.nodes.reset_index().assign(employees=[900, 120, 80, 40, 30, 20, 0, 0, 0])
    nodes.to_csv(tmp_path / "actors.csv", index=False)
    supply_chain.edges.to_csv(tmp_path / "links.csv", index=False)
    scores = pd.DataFrame({"id": nodes["id"], "pagerank": np.linspace(0.1, 0.9, 9)})
    scores.to_csv(tmp_path / "scores.csv", index=False)
    return tmp_path


def test_cli_view(table_files):
    out = table_files / "map.html"
    result = CliRunner().invoke(
        main,
        [
            "view",
            "--nodes", str(table_files / "actors.csv"),
            "--links", str(table_files / "links.csv"),
            "--results", str(table_files / "scores.csv"),
            "--size-by", "pagerank",
            "--color-by", "region",
            "--layers", "supply,knowledge",
            "--max-nodes", "100",
            "--layout", "fixed",
            "--tooltip-columns", "category,pagerank",
            "--title", "Car parts",
            "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    html = out.read_text(encoding="utf-8")
    p = payload_of(html)
    assert p["title"] == "Car parts"
    assert p["attributes"] == ["category", "pagerank"]
    assert max(p["nodes"]["size"]) == 40.0
    assert p["nodes"]["size"][p["nodes"]["id"].index("ISO")] == 40.0


def test_cli_view_communities_and_anonymize(table_files):
    out = table_files / "anon.html"
    result = CliRunner().invoke(
        main,
        [
            "view", "--nodes", str(table_files / "actors.csv"),
            "--links", str(table_files / "links.csv"),
            "--communities", "--anonymize", "--seed", "1", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Midland Motors" not in html
    assert any(f["key"] == "community" and f["colored"] for f in payload_of(html)["filters"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--color-by", "nope"], "`color_by` must be one of"),
        (["--size-by", "region"], "`size_by` must name a numeric column"),
        (["--layers", "trade"], "`layers` must be among"),
        (["--results", "links.csv"], "needs an `id` column"),
    ],
)
def test_cli_view_errors_are_one_line(table_files, args, message):
    args = [str(table_files / a) if a.endswith(".csv") else a for a in args]
    result = CliRunner().invoke(
        main,
        [
            "view", "--nodes", str(table_files / "actors.csv"),
            "--links", str(table_files / "links.csv"), "-o", str(table_files / "x.html"), *args,
        ],
    )  # fmt: skip
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_demo_step_colours_by_community_and_sizes_by_centrality(tmp_path):
    from clustermap.commands.view import _demo

    net = cm.make_cluster(n_actors=80, seed=3)
    ctx = DemoContext(tmp_path, net, seed=3)
    ctx.results["partition"] = cm.find_communities(net, seed=3)
    ctx.results["centrality"] = cm.centrality(net, seed=3)
    _demo(ctx)
    assert ctx.written == [tmp_path / "network.html"]
    p = payload_of((tmp_path / "network.html").read_text(encoding="utf-8"))
    assert next(f for f in p["filters"] if f["key"] == "community")["colored"]
    assert p["sizeNote"].startswith("Size: pagerank")


def test_demo_step_without_results(tmp_path):
    from clustermap.commands.view import _demo

    ctx = DemoContext(tmp_path, cm.make_cluster(n_actors=40, seed=3), seed=3)
    _demo(ctx)
    p = payload_of((tmp_path / "network.html").read_text(encoding="utf-8"))
    assert p["filters"][0]["colored"]  # kind
    assert p["sizeNote"].startswith("All actors are drawn the same size")


def test_view_options_object(supply_chain, tmp_path):
    opts = ViewOptions(tooltip_columns="region", layout="fixed")
    assert opts.tooltip_columns == ("region",)
    _, p = write(supply_chain, tmp_path, options=opts)
    assert p["attributes"] == ["region"]


def test_input_error_type_for_results_file(table_files):
    from clustermap.commands.view import read_results

    with pytest.raises(InputError, match="needs an `id` column"):
        read_results(str(table_files / "links.csv"))


def test_community_column_with_gaps_and_colour_column(supply_chain, tmp_path):
    nodes = supply_chain.nodes.reset_index()
    nodes["community"] = [1, 1, 1, 2, 2, 2, None, 3, 3]
    net = cm.from_tables(nodes, supply_chain.edges)
    html, p = write(
        net,
        tmp_path,
        color_by="region",
        options={"max_nodes": 5, "top_actors": 2, "layout": "fixed"},
    )
    ids = p["nodes"]["id"]
    assert ids[2:] == ["community:0", "community:1", "community:2", "community:3"]
    assert p["nodes"]["label"][2] == "No community (1)"
    community = next(f for f in p["filters"] if f["key"] == "community")
    by_label = {o["label"]: o["count"] for o in community["options"]}
    assert by_label["(missing)"] == 1
    assert sum(by_label.values()) == 9
    colour = next(f for f in p["filters"] if f["key"] == "color")
    # every legend option has a colour: a null one crashed the page (issue 10)
    assert colour["options"][-1] == {
        "label": "communities",
        "value": None,
        "color": OTHER_COLOR,
        "count": 4,
    }
    assert "Communities: the `community` column of the actors." in html


def test_many_lines_are_drawn_solid(monkeypatch, supply_chain, tmp_path):
    monkeypatch.setattr("clustermap.views._build.DASHED_MAX_LINES", 10)
    html, p = write(supply_chain, tmp_path)
    assert [layer["dashes"] for layer in p["layers"]] == [False, False]
    assert "Lines of knowledge are drawn solid, not dashed" in html


def test_results_may_be_a_list():
    import clustermap as cm
    from clustermap.views.html import prepare_view

    net = cm.make_cluster(n_actors=40, seed=3)
    part = cm.find_communities(net, seed=1)
    scores = cm.centrality(net, measures=["degree"])
    as_list, _, _ = prepare_view(
        net, color_by="community", size_by="degree", results=[part, scores]
    )
    as_dict, _, _ = prepare_view(
        net, color_by="community", size_by="degree", results={"p": part, "c": scores}
    )
    pd.testing.assert_frame_equal(as_list, as_dict)
    assert as_list["color"].nunique() == part.membership.nunique()


def test_unlinked_actors_do_not_shrink_a_dense_drawing():
    from clustermap.views._layout import force_layout

    rng = np.random.default_rng(0)
    s, t = rng.integers(0, 60, 3000), rng.integers(0, 60, 3000)
    keep = s != t
    x, y = force_layout(62, s[keep], t[keep], np.ones(keep.sum()), seed=1)
    core = max(np.ptp(x[:60]), np.ptp(y[:60]))
    whole = max(np.ptp(x), np.ptp(y))
    assert whole < 1.5 * core  # the two loose actors sit just below, not far away
    assert (y[60:] > y[:60].max()).all()


# ---------------------------------------------------------------- comparison view (issue 12)


class Comparison:
    """A hand-made comparison with the attributes compare_networks returns (duck-typed)."""

    def __init__(self, before: cm.ClusterNetwork, after: cm.ClusterNetwork) -> None:
        self.before, self.after = before, after
        ids_b, ids_a = set(before.nodes.index), set(after.nodes.index)
        every = sorted(ids_b | ids_a)
        kinds = pd.concat([after.nodes["kind"], before.nodes["kind"]])
        kinds = kinds[~kinds.index.duplicated()]
        self.actors = pd.DataFrame(
            {
                "kind": kinds.reindex(every).to_numpy(),
                "status": [
                    "stayed" if i in ids_b and i in ids_a else "entered" if i in ids_a else "left"
                    for i in every
                ],
            },
            index=pd.Index(every, name="id"),
        )
        key = ["source", "target", "layer"]
        b = before.edges[[*key, "weight"]].groupby(key, as_index=False)["weight"].sum()
        a = after.edges[[*key, "weight"]].groupby(key, as_index=False)["weight"].sum()
        ties = b.merge(a, on=key, how="outer", suffixes=("_before", "_after"))
        ties["change"] = np.where(
            ties["weight_before"].isna(),
            "formed",
            np.where(ties["weight_after"].isna(), "dissolved", "kept"),
        )
        self.ties = ties
        self.provenance = {"method": "compare_networks", "periods": "2014 vs 2018"}


@pytest.fixture
def comparison() -> Comparison:
    # before: a-b (supply), b-c (knowledge); after: a-b kept, c left, d entered with b-d formed
    before = cm.from_tables(
        {
            "id": ["a", "b", "c"],
            "name": ["Alpha", "Beta", "Gamma"],
            "kind": ["firm", "supplier", "institution"],
        },
        {"source": ["b", "b"], "target": ["a", "c"], "layer": ["supply", "knowledge"]},
    )
    after = cm.from_tables(
        {
            "id": ["a", "b", "d"],
            "name": ["Alpha", "Beta", "Delta"],
            "kind": ["firm", "supplier", "firm"],
        },
        {"source": ["b", "b"], "target": ["a", "d"], "layer": ["supply", "supply"]},
    )
    return Comparison(before, after)


def test_comparison_view_counts_and_colours(comparison, tmp_path):
    html, p = write(comparison, tmp_path, options={"layout": "fixed"})
    assert p["nodes"]["id"] == ["a", "b", "c", "d"]
    assert p["nodes"]["label"] == ["Alpha", "Beta", "Gamma", "Delta"]
    change = p["edgeFilters"][0]
    assert change["colored"] is True
    counts = {o["value"]: o["count"] for o in change["options"]}
    assert counts == {"formed": 1, "dissolved": 1, "kept": 1}
    colours = {o["value"]: o["color"] for o in change["options"]}
    assert colours["formed"] != colours["dissolved"] != colours["kept"]
    status = next(f for f in p["filters"] if f["key"] == "status")
    assert {o["value"]: o["count"] for o in status["options"]} == {
        "stayed": 2, "left": 1, "entered": 1,
    }  # fmt: skip
    # each line's change code points at the right option
    codes = p["edges"]["filters"]["change"]
    values = [change["options"][c]["value"] for c in codes]
    pairs = {
        (p["nodes"]["id"][s], p["nodes"]["id"][t]): v
        for s, t, v in zip(p["edges"]["from"], p["edges"]["to"], values, strict=True)
    }
    assert pairs[("b", "d")] == "formed"
    assert pairs[("b", "c")] == "dissolved"
    assert pairs[("b", "a")] == "kept"
    assert "1 tie formed (green), 1 tie dissolved (red), 1 tie kept (grey)" in html
    assert "2014 vs 2018" in html
    assert "https://" not in html.split("<script>")[0]


def test_comparison_view_escapes_and_pseudonymises(comparison, tmp_path):
    comparison.after = cm.from_tables(
        {"id": ["a", "b", "d"], "name": ["Alpha", "Beta", INJECTION], "kind": "firm"},
        {"source": ["b"], "target": ["a"], "layer": ["supply"]},
    )
    html, p = write(comparison, tmp_path, options={"layout": "fixed"})
    assert INJECTION not in html
    assert INJECTION in p["nodes"]["label"]
    salt = "a long secret salt"
    html, p = write(comparison, tmp_path, options={"layout": "fixed", "anonymize": salt})
    assert salt not in html
    assert "Alpha" not in json.dumps(p)
    assert all(i.startswith("A-") for i in p["nodes"]["id"])
    assert p["nodes"]["label"] == p["nodes"]["id"]


def test_comparison_view_rejects_options_that_do_not_apply(comparison, tmp_path):
    with pytest.raises(ConfigError, match="do not apply"):
        cm.save_html(comparison, tmp_path / "x.html", color_by="kind")
    with pytest.raises(ConfigError, match="not available for a comparison"):
        cm.save_html(comparison, tmp_path / "x.html", options={"layout": "tiers"})
    comparison.ties = comparison.ties.drop(columns="change")
    with pytest.raises(ConfigError, match="lacks column"):
        cm.save_html(comparison, tmp_path / "x.html")


# ---------------------------------------------------------------- issue 15/16 options


def run_view(table_files, *args: str) -> tuple[object, dict | None]:
    out = table_files / "v.html"
    result = CliRunner().invoke(
        main,
        [
            "view", "--nodes", str(table_files / "actors.csv"),
            "--links", str(table_files / "links.csv"), "-o", str(out), *args,
        ],
    )  # fmt: skip
    html = out.read_text(encoding="utf-8") if out.exists() and result.exit_code == 0 else None
    return result, (payload_of(html) | {"html": html} if html else None)


def test_cli_view_reuses_a_saved_partition(table_files, supply_chain, monkeypatch):
    from clustermap.exports import write_csv

    part = cm.find_communities(supply_chain, seed=4)
    write_csv(part.to_frame(supply_chain), table_files / "communities.csv")

    def no_recompute(*args, **kwargs):
        raise AssertionError("the saved partition should be reused")

    monkeypatch.setattr("clustermap.analysis.communities.find_communities", no_recompute)
    result, p = run_view(
        table_files, "--results", str(table_files / "communities.csv"), "--communities",
        "--layout", "fixed",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert p is not None
    community = next(f for f in p["filters"] if f["key"] == "community")
    assert community["colored"] is True
    codes = p["nodes"]["filters"]["community"]
    got = {
        i: community["options"][c]["value"] for i, c in zip(p["nodes"]["id"], codes, strict=True)
    }
    assert got == {k: str(v) for k, v in part.membership.items()}
    assert "leiden (read from communities.csv)" in p["html"]
    assert "seed 4" in p["html"]


def test_cli_view_salt_pseudonymises_and_never_writes_the_salt(table_files):
    salt = "our very secret phrase"
    result, p = run_view(table_files, "--anonymize-salt", salt, "--layout", "fixed")
    assert result.exit_code == 0, result.output
    assert p is not None
    assert salt not in p["html"]
    assert "Midland Motors" not in json.dumps(p)
    assert "OEM" not in p["nodes"]["id"]
    from clustermap._anonymize import pseudonyms

    ids = pd.read_csv(table_files / "actors.csv")["id"]
    assert set(p["nodes"]["id"]) == set(pseudonyms(ids, salt))
    assert p["nodes"]["label"] == p["nodes"]["id"]
    assert "salted pseudonyms" in p["html"]
    result, _ = run_view(table_files, "--anonymize-salt", "short")
    assert result.exit_code == 2
    assert "at least 8 characters" in result.output


def test_keep_columns_decides_what_leaves(supply_chain, tmp_path):
    nodes = supply_chain.nodes.reset_index().assign(vat="DE123", employees=10)
    net = cm.from_tables(nodes, supply_chain.edges)
    html, p = write(net, tmp_path, options={"layout": "fixed", "columns": ["region"]})
    assert "DE123" not in html
    assert p["attributes"] == ["kind", "region"]
    with pytest.raises(ConfigError, match="`columns` must be one of"):
        write(net, tmp_path, options={"columns": ["nope"]})
    with pytest.raises(ConfigError, match="`size_by` must be one of"):
        write(net, tmp_path, size_by="employees", options={"columns": ["region"]})


def test_tier_layout_places_columns_by_depth(supply_chain, tmp_path):
    html, p = write(supply_chain, tmp_path, options={"layout": "tiers"})
    tiers = cm.supply_tiers(supply_chain)
    x = dict(zip(p["nodes"]["id"], p["nodes"]["x"], strict=True))
    for actor, depth in tiers["depth"].dropna().items():
        same = [a for a, d in tiers["depth"].dropna().items() if d == depth]
        assert {x[a] for a in same} == {x[actor]}  # one column per depth
    assert x["OEM"] > x["T1a"] > x["T2a"]
    texts = [g["text"] for g in p["guides"]]
    assert texts[0].startswith("final buyers")
    assert "tier 1" in texts[1]
    knowledge = next(s for s in p["layers"] if s["name"] == "knowledge")
    assert knowledge["smooth"] is True
    assert "supply-chain tiers" in html


def test_tier_layout_needs_a_directed_layer(supply_chain, tmp_path):
    with pytest.raises(ConfigError, match="needs a directed supply layer"):
        write(supply_chain, tmp_path, layers="knowledge", options={"layout": "tiers"})


GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "North </script>"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-3, 52], [0, 52], [0, 54], [-3, 52]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"NUTS_ID": "UKG"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[-3, 50], [0, 50], [0, 52], [-3, 50]]],
                    [[[1, 1], [2, 1], [2, 2], [1, 1]]],
                ],
            },
        },
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
    ],
}


def test_geo_layout_draws_region_outlines(supply_chain, tmp_path):
    nodes = supply_chain.nodes.reset_index()
    nodes["lat"] = np.linspace(50.5, 53.5, 9)
    nodes["lon"] = np.linspace(-2.5, -0.5, 9)
    net = cm.from_tables(nodes, supply_chain.edges)
    regions = tmp_path / "regions.geojson"
    regions.write_text(json.dumps(GEOJSON), encoding="utf-8")
    html, p = write(net, tmp_path, options={"layout": "geo", "regions": str(regions)})
    assert [o["name"] for o in p["outlines"]] == ["North </script>", "UKG"]
    assert "North </script>" not in html
    assert [len(o["rings"]) for o in p["outlines"]] == [1, 2]
    # the outline is projected like the actors: an actor at (52.0, -1.5) lies inside North's box
    ring = np.array(p["outlines"][0]["rings"][0]).reshape(-1, 2)
    xs = p["nodes"]["x"]
    assert ring[:, 0].min() < min(xs)
    assert max(xs) <= ring[:, 0].max() + 1
    # north is up: the ring's corner at 54N is above (smaller y than) the one at 52N
    assert ring[2, 1] < ring[0, 1]
    assert "Outlines: 2 regions" in html


def test_geo_regions_errors(supply_chain, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    nodes = supply_chain.nodes.reset_index().assign(lat=51.0, lon=0.0)
    net = cm.from_tables(nodes, supply_chain.edges)
    with pytest.raises(InputError, match=r"bad\.geojson: not a readable GeoJSON"):
        write(net, tmp_path, options={"layout": "geo", "regions": str(bad)})
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(InputError, match="no Polygon"):
        write(net, tmp_path, options={"layout": "geo", "regions": str(bad)})
    with pytest.raises(InputError, match="does not exist"):
        write(net, tmp_path, options={"layout": "geo", "regions": str(tmp_path / "none.json")})
    with pytest.raises(ConfigError, match="layout='geo'"):
        write(net, tmp_path, options={"regions": str(bad)})


def test_drill_down_data_within_budget(monkeypatch, tmp_path):
    net = cm.make_cluster(n_actors=400, seed=5)
    part = cm.find_communities(net, seed=1)
    opts = {"max_nodes": 100, "top_actors": 10, "drill_members": 20}
    _, p = write(net, tmp_path, results={"partition": part}, options=opts)
    d = p["drill"]
    assert d["shown"] == 20
    t = 10
    k = part.n_communities
    members = part.membership
    for j, (actor, hexagon) in enumerate(zip(d["id"], d["community"], strict=True)):
        number = int(p["nodes"]["id"][hexagon].split(":")[1])
        assert members[actor] == number, j
    counts = pd.Series(d["community"]).value_counts()
    assert (counts <= 20).all()
    # the rest: members - drawn separately - shown
    for h in range(t, t + k):
        number = int(p["nodes"]["id"][h].split(":")[1])
        size = int((members == number).sum())
        separately = int(p["nodes"]["attrs"]["drawn separately"][h])
        assert d["rest"][h] == size - separately - int(counts.get(h, 0))
    # ties join members of one community (or its top actors)
    n_drawn = t + k
    for a, b in zip(d["ties"]["from"], d["ties"]["to"], strict=True):
        assert a >= n_drawn or b >= n_drawn
    monkeypatch.setattr("clustermap.views._drill.DRILL_BUDGET_BYTES", 2_000)
    html, p = write(net, tmp_path, results={"partition": part}, options=opts)
    assert p["drill"]["shown"] < 20
    assert "members per community (of the 20 asked) are embedded" in html
    _, p = write(net, tmp_path, results={"partition": part}, options={**opts, "drill_members": 0})
    assert p["drill"] is None


def test_drill_down_leaders_without_sorting_everyone():
    from clustermap.views._drill import _may_lead

    def leaders(items, key, code, k, asked):
        order = np.lexsort((items, key, code))
        c = code[order]
        place = np.arange(len(order)) - np.searchsorted(c, np.arange(k))[c]
        return items[order][place < asked].tolist()

    rng = np.random.default_rng(5)
    reduced = 0
    for trial in range(200):
        n, k, asked = int(rng.integers(0, 3000)), int(rng.integers(1, 30)), int(rng.integers(1, 9))
        items = np.sort(rng.choice(10 * n + 1, n, replace=False))
        key = rng.integers(0, 6, n).astype(float) if trial % 2 else rng.random(n)
        code = np.minimum(rng.geometric(0.3, n) - 1, k - 1) if trial % 3 else rng.integers(0, k, n)
        mask = _may_lead(key, code, asked, k)
        reduced += int(mask.sum() < n)
        expected = leaders(items, key, code, k, asked)
        assert leaders(items[mask], key[mask], code[mask], k, asked) == expected, trial
    assert reduced > 50


def test_drill_down_with_missing_attributes(mid_cluster, tmp_path):
    net, _ = mid_cluster
    nodes = net.nodes.copy()
    nodes.loc[nodes.index[::3], "employees"] = np.nan
    nodes.loc[nodes.index[1::3], "sector"] = None
    net = cm.from_tables(nodes.reset_index(), net.edges)
    part = cm.find_communities(net, seed=1)
    opts = {"max_nodes": 100, "top_actors": 10, "drill_members": 20}
    _, p = write(net, tmp_path, results={"partition": part}, options=opts)
    d = p["drill"]
    assert d["shown"] == 20
    employees = nodes["employees"].reindex(d["id"])
    assert [v is None for v in d["attrs"]["employees"]] == employees.isna().tolist()
    assert None in d["attrs"]["employees"]


def test_a_view_profiles_communities_once(mid_cluster, tmp_path, monkeypatch):
    from clustermap.analysis import _profiles

    net, _ = mid_cluster
    part = cm.find_communities(net, seed=1)  # a fresh partition: nothing remembered yet
    calls = []
    original = _profiles.community_labels

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(_profiles, "community_labels", counted)
    label = part.labels(net)[1]
    for options in ({"max_nodes": 100}, {}):  # community-level view, then every actor
        _, p = write(net, tmp_path, results={"partition": part}, options=options)
        assert len(calls) == 1  # the partition remembers its labels for this network
        legend = [o["label"] for f in p["filters"] if f["key"] == "community" for o in f["options"]]
        assert f"1 · {label}" in legend
        assert label in p["nodes"]["attrs"]["community_label"] or options


def test_lines_are_thinned_above_a_density(tmp_path):
    from clustermap.views._build import THIN_MIN_LINES, thin_lines

    net = cm.make_cluster(n_actors=1500, seed=2)
    html, p = write(net, tmp_path, options={"layout": "fixed"})
    thin = np.array(p["edges"]["thin"], dtype=bool)
    m = len(thin)
    assert m > THIN_MIN_LINES
    assert 0 < thin.sum() < m
    # every drawn actor with a line keeps at least one line drawn
    ends = np.concatenate([np.array(p["edges"]["from"])[~thin], np.array(p["edges"]["to"])[~thin]])
    linked = np.union1d(p["edges"]["from"], p["edges"]["to"])
    assert set(linked) <= set(ends)
    assert f"{int(thin.sum()):,} of {m:,} lines" in html
    sparse = pd.DataFrame({"source": [0, 1], "target": [1, 2], "weight": [1.0, 1.0]})
    assert thin_lines(sparse, 3)[1] is None


def test_packed_components_open_on_the_largest(tmp_path):
    nodes = pd.DataFrame({"id": list("abcdefgh"), "name": list("ABCDEFGH"), "kind": "firm"})
    edges = pd.DataFrame(
        {"source": ["a", "b", "c", "f"], "target": ["b", "c", "d", "g"], "layer": "knowledge"}
    )
    _, p = write(cm.from_tables(nodes, edges), tmp_path, options={"layout": "fixed"})
    assert p["fit"] == [0, 1, 2, 3]
    x = dict(zip(p["nodes"]["id"], p["nodes"]["x"], strict=True))
    y = dict(zip(p["nodes"]["id"], p["nodes"]["y"], strict=True))
    # e and h have no links: a grid below everything else
    assert min(y["e"], y["h"]) > max(y[i] for i in "abcdfg")
    assert x["e"] != x["h"]


def test_tier_tooltips_carry_tier_and_depth(supply_chain, tmp_path):
    _, p = write(supply_chain, tmp_path, options={"layout": "tiers"})
    assert p["attributes"][:2] == ["supply tier", "chain depth"]
    tiers = cm.supply_tiers(supply_chain)
    got = dict(zip(p["nodes"]["id"], p["nodes"]["attrs"]["supply tier"], strict=True))
    assert got["OEM"] == 0
    assert got["T1a"] == tiers.at["T1a", "tier"]


def test_kind_colouring_at_scale_suggests_communities(tmp_path):
    net = cm.make_cluster(n_actors=120, seed=1)
    html, _ = write(net, tmp_path, options={"physics_max_nodes": 50, "layout": "fixed"})
    assert "colouring by community shows the sub-clusters" in html
    html, _ = write(net, tmp_path, options={"layout": "fixed"})
    assert "colouring by community" not in html
