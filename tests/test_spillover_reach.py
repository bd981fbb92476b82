"""Spillover reach: exposure (checked against networkx), hops to the nearest source, summaries."""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError


@pytest.fixture
def two_sources() -> cm.ClusterNetwork:
    """Two universities u1, u2; firms f1..f5; a supplier s1; an isolated firm f6.

    Knowledge ties: u1 - f1 - f2 - f3, u2 - f4 - f3, f4 - s1, u2 - f5.
    Hops: f1 1 (u1), f2 2 (u1), f3 2 (u2 via f4), f4 1 (u2), f5 1 (u2),
    s1 2 (u2), f6 unreachable.
    """
    ids = ["u1", "u2", "f1", "f2", "f3", "f4", "f5", "f6", "s1"]
    kind = ["institution"] * 2 + ["firm"] * 6 + ["supplier"]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [x.upper() for x in ids],
            "kind": kind,
            "category": ["university"] * 2 + ["OEM"] * 6 + ["tier 1"],
            "region": ["N", "S", "N", "N", "S", "S", "S", "N", "S"],
        }
    )
    pairs = [("u1", "f1"), ("f1", "f2"), ("f2", "f3"), ("u2", "f4"), ("f4", "f3"), ("f4", "s1")]
    pairs.append(("u2", "f5"))
    edges = pd.DataFrame(pairs, columns=["source", "target"]).assign(layer="knowledge")
    return cm.from_tables(nodes, edges)


def test_hops_and_nearest_source(two_sources):
    reach = cm.spillover_reach(two_sources, sources={"category": "university"}, max_hops=1)
    a = reach.actors
    assert a["hops"].drop("f6").to_dict() == {
        "u1": 0,
        "u2": 0,
        "f1": 1,
        "f2": 2,
        "f3": 2,
        "f4": 1,
        "f5": 1,
        "s1": 2,
    }
    assert pd.isna(a.loc["f6", "hops"])
    assert str(a["hops"].dtype) == "Int64"
    assert a.loc[["f1", "f2", "f4", "f5", "s1", "f3"], "nearest_source"].tolist() == [
        "u1",
        "u1",
        "u2",
        "u2",
        "u2",
        "u2",
    ]
    assert a.loc["f4", "nearest_source_name"] == "U2"
    assert pd.isna(a.loc["f6", "nearest_source"])
    assert a["reachable"].tolist() == [True] * 7 + [False, True]
    assert a.loc[["f1", "f2"], "within"].tolist() == [True, False]
    assert a["source"].sum() == 2


def test_nearest_source_is_at_the_minimum_distance():
    G = nx.gnm_random_graph(40, 60, seed=3)
    ids = [f"a{i:02d}" for i in range(40)]
    nodes = pd.DataFrame({"id": ids, "name": ids, "kind": "firm"})
    edges = pd.DataFrame(
        [(ids[u], ids[v]) for u, v in G.edges()], columns=["source", "target"]
    ).assign(layer="knowledge")
    net = cm.from_tables(nodes, edges)
    sources = ["a00", "a07", "a19"]
    reach = cm.spillover_reach(net, sources=sources).actors
    H = net.to_networkx(layers="knowledge")
    per_source = {s: nx.single_source_shortest_path_length(H, s) for s in sources}
    for actor, row in reach.iterrows():
        dists = [per_source[s][actor] for s in sources if actor in per_source[s]]
        if dists:
            assert row["hops"] == min(dists)
            assert per_source[row["nearest_source"]][actor] == min(dists)
        else:
            assert pd.isna(row["hops"])
            assert not row["reachable"]
    assert reach["reachable"].sum() < 40  # the graph has unreachable parts


def test_ppr_exposure_matches_networkx(supply_chain):
    """Mixed layers: supply arcs forwards, knowledge ties both ways; p = w / out-strength."""
    reach = cm.spillover_reach(supply_chain, sources=["UNI", "RC"], layers=None, alpha=0.7)
    G = supply_chain.to_networkx(directed=True)
    expected = nx.pagerank(
        G, alpha=0.7, personalization={"UNI": 1, "RC": 1}, weight="weight", tol=1e-12
    )
    got = reach.actors["exposure"]
    assert got.to_dict() == pytest.approx(expected, abs=1e-6)
    assert got.sum() == pytest.approx(1.0)


def test_cascade_exposure_is_diffusion_probability(two_sources):
    reach = cm.spillover_reach(two_sources, sources=["u1"], method="cascade", seed=5)
    sim = cm.simulate_diffusion(two_sources, sources=["u1"], seed=5)
    pd.testing.assert_series_equal(reach.actors["exposure"], sim["probability"], check_names=False)
    assert reach.provenance["seed"] == 5
    assert reach.provenance["method"] == "spillover_reach/cascade"


def test_summary_by_kind_and_group(two_sources):
    reach = cm.spillover_reach(two_sources, sources="institution", max_hops=1, groups="region")
    s = reach.summary.set_index(["by", "group"])
    # non-source actors: f1..f6 (firms) and s1 (supplier)
    assert s.loc[("all", "all"), "actors"] == 7
    firm = s.loc[("kind", "firm")]
    assert firm["actors"] == 6
    assert firm["share_within"] == pytest.approx(3 / 6)  # f1, f4, f5
    assert firm["share_unreachable"] == pytest.approx(1 / 6)  # f6
    assert firm["mean_hops"] == pytest.approx((1 + 2 + 2 + 1 + 1) / 5)
    supplier = s.loc[("kind", "supplier")]
    assert (supplier["actors"], supplier["share_within"]) == (1, 0.0)
    north = s.loc[("region", "N")]  # f1 (1), f2 (2), f6 (-)
    assert north["actors"] == 3
    assert north["share_within"] == pytest.approx(1 / 3)
    assert north["share_unreachable"] == pytest.approx(1 / 3)
    assert s.xs("kind")["exposure_share"].sum() == pytest.approx(1.0)
    assert s.xs("region")["exposure_share"].sum() == pytest.approx(1.0)
    assert "region" in reach.actors.columns
    assert list(s.xs("kind").index) == ["firm", "supplier"]


def test_groups_as_series_and_partition(two_sources):
    membership = pd.Series({"f1": 1, "f2": 1, "f3": 2, "f4": 2}, name="community")
    by_series = cm.spillover_reach(two_sources, sources="institution", groups=membership)
    s = by_series.summary.set_index(["by", "group"])
    assert s.loc[("community", "1"), "actors"] == 2
    assert s.loc[("community", "(none)"), "actors"] == 3  # f5, f6, s1 have no group
    assert by_series.actors.loc["f3", "community"] == 2
    partition = SimpleNamespace(membership=membership)
    by_partition = cm.spillover_reach(two_sources, sources="institution", groups=partition)
    pd.testing.assert_frame_equal(by_partition.summary, by_series.summary)


def test_result_object_and_exports(two_sources, tmp_path):
    reach = cm.spillover_reach(two_sources, sources="institution")
    assert reach.to_frame() is reach.actors
    assert set(reach.to_sheets()) == {"actors", "summary"}
    assert reach.provenance["method"] == "spillover_reach/ppr"
    assert reach.summary.attrs["parameters"]["max_hops"] == 2
    assert "SpilloverReach" in repr(reach)
    cm.write_csv(reach, tmp_path / "reach.csv")
    header = (tmp_path / "reach.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("id,name,kind,source,exposure,hops,nearest_source")
    cm.write_excel(reach, tmp_path / "reach.xlsx")
    assert (tmp_path / "reach.xlsx").stat().st_size > 0


def test_directed_layer_reach_follows_links():
    nodes = pd.DataFrame({"id": list("abc"), "name": list("ABC"), "kind": "firm"})
    edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "layer": "supply"})
    net = cm.from_tables(nodes, edges)
    assert cm.spillover_reach(net, sources=["b"], layers="supply").actors["reachable"].tolist() == [
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "katz"}, r"`method` must be one of 'ppr', 'cascade'"),
        ({"alpha": 1.0}, r"`alpha` must be a number between 0 and 1"),
        ({"alpha": 0}, r"`alpha` must be a number between 0 and 1"),
        ({"alpha": True}, r"`alpha`"),
        ({"max_hops": 0}, r"`max_hops` must be a whole number >= 1"),
        ({"groups": "sector"}, r"`groups` names column 'sector'"),
        ({"groups": 3}, r"`groups` must be a node column name"),
        ({"groups": pd.Series([1, 2], index=["f1", "f1"])}, r"repeated ids"),
        ({"layers": "gossip"}, r"unknown layer"),
    ],
)
def test_config_errors(two_sources, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        cm.spillover_reach(two_sources, sources="institution", **kwargs)


def test_selection_matching_nobody(two_sources):
    with pytest.raises(InputError, match=r"`sources` selects nobody: no actor has category in"):
        cm.spillover_reach(two_sources, sources={"category": ["research centre"]})


def test_input_untouched(two_sources):
    before = two_sources.nodes.copy(), two_sources.edges.copy()
    cm.spillover_reach(two_sources, sources="institution", groups="region")
    pd.testing.assert_frame_equal(two_sources.nodes, before[0])
    pd.testing.assert_frame_equal(two_sources.edges, before[1])
    assert np.isfinite(before[1]["weight"]).all()


def test_ppr_matches_igraph_on_the_cluster():
    """The power iteration gives igraph's personalised PageRank (PRPACK) values."""
    from clustermap.analysis._spillover_graph import transfer_graph

    net = cm.make_cluster(n_actors=150, seed=4)
    sources = net.nodes.index[net.nodes["kind"] == "institution"]
    reach = cm.spillover_reach(net, sources=list(sources), alpha=0.6)
    tg = transfer_graph(net, layers="knowledge")
    positions = net.nodes.index.get_indexer(sources).tolist()
    expected = tg.graph.personalized_pagerank(
        directed=True, damping=0.6, reset_vertices=positions, weights=tg.p.tolist()
    )
    assert reach.actors["exposure"].to_numpy() == pytest.approx(expected, abs=1e-9)
