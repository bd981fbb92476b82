"""Tests for clustermap.analysis.communities and clustermap.analysis.partition.

Right answers come from hand-worked fixtures (two triangles, a profiled
six-actor cluster), from networkx's own modularity on the same partitions,
from published values (karate club, Brandes et al. 2008), from known
groupings (football conferences) and from planted structure (LFR graphs,
the generator's sub-clusters).
"""

from __future__ import annotations

import json
import math
import random
import sys

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import clustermap as cm
from clustermap.analysis.communities import METHODS, seeded_igraph
from clustermap.analysis.partition import renumber
from clustermap.cli import main  # before any command module, so that all register
from clustermap.errors import ConfigError, EmptyNetworkError, InputError

# ---------------------------------------------------------------- fixtures


@pytest.fixture
def karate() -> cm.ClusterNetwork:
    """Zachary's karate club, unweighted (34 actors, 78 ties)."""
    G = nx.Graph(nx.karate_club_graph().edges())
    return cm.from_networkx(G)


@pytest.fixture
def profiled() -> cm.ClusterNetwork:
    """Two groups of three, worked out by hand in test_profiles_by_hand.

    Knowledge (undirected, weight 1): triangles a-b-c and d-e-f, bridge c-d.
    Supply (directed): a -> b (weight 2), e -> d (weight 3).
    """
    nodes = pd.DataFrame(
        {
            "id": list("abcdef"),
            "name": [
                "Acme Castings",
                "Bolt Works",
                "Uni of X",
                "Dev Ltd",
                "Edge Soft",
                "Flow Data",
            ],
            "kind": ["firm", "supplier", "institution", "firm", "supplier", "supplier"],
            "sector": ["C24", "C25", "P85", "J62", "J62", "J63"],
            "sector_name": [
                "Castings & machining",
                "Castings & machining",
                "Education",
                "Software",
                "Software",
                "Data services",
            ],
            "region": ["UKG", "UKG", "UKG", "UKF", "UKF", "UKG"],
            "region_name": ["West Midlands"] * 3 + ["East Midlands"] * 2 + ["West Midlands"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "a", "d", "e", "d", "c", "a", "e"],
            "target": ["b", "c", "c", "e", "f", "f", "d", "b", "d"],
            "layer": ["knowledge"] * 7 + ["supply"] * 2,
            "weight": [1.0] * 7 + [2.0, 3.0],
        }
    )
    return cm.from_tables(nodes, edges)


@pytest.fixture
def two_layers() -> cm.ClusterNetwork:
    """Knowledge splits {a,b,c}/{d,e,f}; supply splits {a,b,d}/{c,e,f}."""
    nodes = pd.DataFrame({"id": list("abcdef"), "name": list("ABCDEF"), "kind": "firm"})
    know = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
    supp = [("a", "b"), ("b", "d"), ("a", "d"), ("c", "e"), ("e", "f"), ("c", "f"), ("d", "c")]
    edges = pd.DataFrame(
        [(s, t, "knowledge") for s, t in know] + [(s, t, "supply") for s, t in supp],
        columns=["source", "target", "layer"],
    )
    return cm.from_tables(nodes, edges)


def _nx_modularity(net: cm.ClusterNetwork, part: cm.Partition, weighted: bool) -> float:
    G = net.to_networkx(layers=part.layers, directed=False)
    groups = [set(part.members(c)) for c in range(1, part.n_communities + 1)]
    return float(nx.community.modularity(G, groups, weight="weight" if weighted else None))


# ---------------------------------------------------------- hand-worked


def test_two_triangles_by_hand(two_triangles):
    part = cm.find_communities(two_triangles, seed=1)
    assert part.membership.tolist() == [1, 1, 1, 2, 2, 2]
    assert part.membership.name == "community"
    assert part.membership.index.name == "id"
    assert part.membership.dtype == np.int64
    # m = 7; each side: 3 ties inside, degree sum 7 -> Q = 2 (3/7 - (7/14)^2) = 5/14
    assert part.quality["modularity"] == pytest.approx(5 / 14)
    assert part.quality["coverage"] == pytest.approx(6 / 7)
    assert part.quality["sizes"] == [3, 3]
    assert part.quality["conductance"] == pytest.approx([1 / 7, 1 / 7])
    assert part.n_communities == 2
    assert part.members(2) == ["d", "e", "f"]


@pytest.mark.parametrize(
    ("labels", "ids", "expected"),
    [
        ([0, 0, 1, 1, 1], list("abcde"), [2, 2, 1, 1, 1]),  # larger first
        ([5, 5, 9, 9], ["x", "y", "a", "b"], [2, 2, 1, 1]),  # tie: smallest id "a" first
        ([1, 2, 3], ["c", "b", "a"], [3, 2, 1]),  # singletons ordered by id
        ([4, 4, 4], ["q", "r", "s"], [1, 1, 1]),
    ],
)
def test_renumber(labels, ids, expected):
    assert renumber(labels, pd.Index(ids)).tolist() == expected


def test_numbering_by_size_then_smallest_id():
    # a 4-clique of late ids, then two triangles whose first member ids are "m" and "b"
    ids = ["w", "x", "y", "z", "m", "n", "o", "b", "c", "d"]
    nodes = pd.DataFrame({"id": ids, "name": ids, "kind": "firm"})
    pairs = [("w", "x"), ("w", "y"), ("w", "z"), ("x", "y"), ("x", "z"), ("y", "z")]
    pairs += [("m", "n"), ("n", "o"), ("m", "o"), ("b", "c"), ("c", "d"), ("b", "d")]
    pairs += [("z", "m"), ("o", "b")]
    edges = pd.DataFrame(pairs, columns=["source", "target"]).assign(layer="knowledge")
    part = cm.find_communities(cm.from_tables(nodes, edges), seed=3)
    m = part.membership
    assert set(m[["w", "x", "y", "z"]]) == {1}
    assert set(m[["b", "c", "d"]]) == {2}
    assert set(m[["m", "n", "o"]]) == {3}


def test_isolated_actor_is_its_own_community(supply_chain):
    part = cm.find_communities(supply_chain, seed=1)
    iso = part.membership["ISO"]
    assert (part.membership == iso).sum() == 1
    assert iso == part.n_communities  # singletons come last
    assert part.quality["singletons"] == 1
    assert part.quality["conductance"][iso - 1] is None


# ------------------------------------------------ agreement with networkx


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("weighted", [True, False])
def test_modularity_matches_networkx(supply_chain, method, weighted):
    part = cm.find_communities(supply_chain, method=method, weighted=weighted, seed=2)
    assert part.quality["modularity"] == pytest.approx(
        _nx_modularity(supply_chain, part, weighted), abs=1e-12
    )


@pytest.mark.parametrize("method", METHODS)
def test_modularity_matches_networkx_karate(karate, method):
    part = cm.find_communities(karate, method=method, seed=4, runs=3)
    assert part.quality["modularity"] == pytest.approx(
        _nx_modularity(karate, part, True), abs=1e-12
    )


def test_resolution_objective_matches_networkx(karate):
    part = cm.find_communities(karate, resolution=1.7, seed=1)
    G = karate.to_networkx(directed=False)
    groups = [set(part.members(c)) for c in range(1, part.n_communities + 1)]
    expected = nx.community.modularity(G, groups, weight="weight", resolution=1.7)
    assert part.quality["objective"] == pytest.approx(expected, abs=1e-12)


def test_directed_layers_are_symmetrised():
    nodes = pd.DataFrame({"id": list("abcd"), "name": list("ABCD"), "kind": "supplier"})
    arcs = [("a", "b", 2.0), ("b", "a", 1.0), ("c", "d", 1.0), ("b", "c", 0.5)]
    directed = cm.from_tables(
        nodes, pd.DataFrame(arcs, columns=["source", "target", "weight"]).assign(layer="supply")
    )
    merged = [("a", "b", 3.0), ("c", "d", 1.0), ("b", "c", 0.5)]
    undirected = cm.from_tables(
        nodes,
        pd.DataFrame(merged, columns=["source", "target", "weight"]).assign(layer="knowledge"),
    )
    pd_ = cm.find_communities(directed, seed=1)
    pu = cm.find_communities(undirected, seed=1)
    assert pd_.membership.tolist() == pu.membership.tolist() == [1, 1, 2, 2]
    assert pd_.quality["modularity"] == pytest.approx(pu.quality["modularity"])
    assert pd_.parameters["direction"] == "symmetrised"


# ----------------------------------------------------------- randomness


def test_infomap_seeds_zero_and_negative(karate):
    a = cm.find_communities(karate, method="infomap", seed=0, runs=2)
    b = cm.find_communities(karate, method="infomap", seed=-5)
    assert a.seed == 0
    assert b.n_communities >= 2


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_partition(karate, method):
    a = cm.find_communities(karate, method=method, seed=11)
    b = cm.find_communities(karate, method=method, seed=11)
    pd.testing.assert_series_equal(a.membership, b.membership)
    assert a.seed == 11


def test_default_seed_comes_from_settings(karate, monkeypatch):
    monkeypatch.setattr(cm.settings, "seed", 5)
    assert cm.find_communities(karate).seed == 5


def test_run_i_uses_seed_plus_i(karate):
    best = cm.find_communities(karate, method="label_propagation", seed=20, runs=4)
    singles = [
        cm.find_communities(karate, method="label_propagation", seed=20 + i) for i in range(4)
    ]
    objectives = [s.quality["objective"] for s in singles]
    assert best.stability is not None
    i = best.stability["best_run"]
    assert i == int(np.argmax(objectives))
    pd.testing.assert_series_equal(best.membership, singles[i].membership)
    assert best.quality["objective"] == pytest.approx(max(objectives))
    assert best.stability["objective_min"] == pytest.approx(min(objectives))


def test_stability_reports_agreement_between_runs(karate):
    part = cm.find_communities(karate, method="label_propagation", seed=1, runs=6)
    s = part.stability
    assert s is not None
    assert s["runs"] == 6
    assert 0 < s["ari"] <= 1
    assert 0 < s["nmi"] <= 1
    single = cm.find_communities(karate, seed=1)
    assert single.stability is None


def test_stability_of_identical_runs_is_one(two_triangles):
    s = cm.find_communities(two_triangles, seed=1, runs=4).stability
    assert s is not None
    assert (s["ari"], s["nmi"]) == (pytest.approx(1.0), pytest.approx(1.0))


def test_python_global_random_is_untouched(karate):
    random.seed(123)
    expected = [random.random() for _ in range(3)]
    random.seed(123)
    cm.find_communities(karate, method="label_propagation", seed=1, runs=3)
    assert [random.random() for _ in range(3)] == expected


def test_igraph_generator_restored_to_default(karate):
    g = karate.to_igraph(directed=False)
    cm.find_communities(karate, method="label_propagation", seed=1)
    # igraph draws from Python's random module again: reseeding it repeats igraph's draws
    random.seed(9)
    a = g.community_label_propagation().membership
    random.seed(9)
    b = g.community_label_propagation().membership
    assert a == b


def test_seeded_igraph_nests():
    g = ig.Graph.Famous("Zachary")
    with seeded_igraph(1):
        with seeded_igraph(2):
            pass
        a = g.community_label_propagation().membership
    with seeded_igraph(1):
        b = g.community_label_propagation().membership
    assert a == b


# ------------------------------------------------------------ multiplex


def test_layer_weights_follow_the_heavier_layer(two_layers):
    know = cm.find_communities(two_layers, layer_weights={"knowledge": 10.0, "supply": 0.1})
    supp = cm.find_communities(two_layers, layer_weights={"knowledge": 0.1, "supply": 10.0})
    assert know.membership.tolist() == [1, 1, 1, 2, 2, 2]
    assert supp.membership.tolist() == [1, 1, 2, 1, 2, 2]
    assert know.parameters["layer_weights"] == {"knowledge": 10.0, "supply": 0.1}
    assert know.layers == ["knowledge", "supply"]


def test_layer_weights_modularity_uses_weighted_sum(two_layers):
    part = cm.find_communities(two_layers, layer_weights={"knowledge": 2.0, "supply": 1.0}, seed=3)
    G = nx.Graph()
    for layer, factor in (("knowledge", 2.0), ("supply", 1.0)):
        for u, v, d in two_layers.to_networkx(layers=layer, directed=False).edges(data=True):
            old = G.get_edge_data(u, v, {"weight": 0.0})["weight"]
            G.add_edge(u, v, weight=old + factor * d["weight"])
    groups = [set(part.members(c)) for c in range(1, part.n_communities + 1)]
    assert part.quality["modularity"] == pytest.approx(nx.community.modularity(G, groups))


def test_layer_weights_same_seed_same_partition(karate):
    a = cm.find_communities(karate, layer_weights={"knowledge": 1.0}, seed=8)
    b = cm.find_communities(karate, layer_weights={"knowledge": 1.0}, seed=8)
    pd.testing.assert_series_equal(a.membership, b.membership)
    assert a.quality["modularity"] == pytest.approx(0.4198, abs=5e-3)


# ---------------------------------------------------------------- errors


def test_empty_network_raises(two_triangles):
    nobody = two_triangles.select(kinds="institution")
    with pytest.raises(EmptyNetworkError, match="no actors"):
        cm.find_communities(nobody)


def test_edgeless_network_raises():
    net = cm.from_tables({"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"})
    with pytest.raises(EmptyNetworkError, match="no links"):
        cm.find_communities(net)


def test_layer_without_links_raises(supply_chain):
    institutions = supply_chain.select(kinds="institution")  # no supply links among them
    with pytest.raises(EmptyNetworkError, match="no links in layer\\(s\\) 'supply'"):
        cm.find_communities(institutions, layers="supply")


def test_layer_weights_skip_a_layer_without_links(two_triangles):
    net = cm.ClusterNetwork(
        two_triangles.nodes, two_triangles.edges, directed={"knowledge": False, "supply": True}
    )
    part = cm.find_communities(net, layer_weights={"knowledge": 1.0, "supply": 5.0}, seed=1)
    assert part.layers == ["knowledge"]
    assert part.membership.tolist() == [1, 1, 1, 2, 2, 2]


def test_layer_weights_all_empty_raises():
    nodes = pd.DataFrame({"id": list("ab"), "name": list("AB"), "kind": "firm"})
    edges = pd.DataFrame({"source": ["a"], "target": ["b"], "layer": ["supply"]})
    net = cm.from_tables(nodes, edges, directed={"knowledge": False}).select(layers="supply")
    empty = net.select(nodes=["a"])
    with pytest.raises(EmptyNetworkError, match="no links"):
        cm.find_communities(empty, layer_weights={"supply": 1.0})


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"method": "walktrap"}, r"`method` must be one of 'leiden', 'louvain'"),
        ({"resolution": 0}, r"`resolution` must be a finite number > 0"),
        ({"resolution": -1.0}, r"`resolution` must be a finite number > 0"),
        ({"resolution": math.nan}, r"`resolution` must be a finite number > 0"),
        ({"resolution": "high"}, r"`resolution` must be a finite number > 0"),
        ({"resolution": True}, r"`resolution` must be a finite number > 0"),
        ({"method": "label_propagation", "resolution": 2.0}, r"`resolution` applies to"),
        ({"method": "infomap", "resolution": 0.5}, r"`resolution` applies to"),
        ({"runs": 0}, r"`runs` must be a whole number >= 1"),
        ({"runs": 2.5}, r"`runs` must be a whole number >= 1"),
        ({"runs": True}, r"`runs` must be a whole number >= 1"),
        ({"weighted": "yes"}, r"`weighted` must be True or False"),
        ({"seed": "one"}, r"`seed` must be a whole number"),
        ({"seed": 1.5}, r"`seed` must be a whole number"),
        ({"layers": 3}, r"`layers` must be a layer name or a list"),
        ({"layers": "ownership"}, r"`layers` must be among 'supply', 'knowledge'"),
        ({"layers": ["supply", "mobility"]}, r"unknown layer\(s\) 'mobility'"),
        ({"layer_weights": {"supply": 1.0}, "method": "louvain"}, r"'leiden' only"),
        ({"layer_weights": {"supply": 1.0}, "layers": "supply"}, r"either `layers` or"),
        ({"layer_weights": {}}, r"non-empty"),
        ({"layer_weights": {"supply": 0.0}}, r"`layer_weights\['supply'\]` must be"),
        ({"layer_weights": {"supply": "x"}}, r"`layer_weights\['supply'\]` must be"),
        ({"layer_weights": {"ownership": 1.0}}, r"`layers` must be among"),
    ],
)
def test_bad_options_raise_config_error(supply_chain, options, match):
    with pytest.raises(ConfigError, match=match):
        cm.find_communities(supply_chain, **options)


def test_infomap_missing_names_the_extra(supply_chain, monkeypatch):
    monkeypatch.setitem(sys.modules, "infomap", None)
    with pytest.raises(ConfigError, match=r"pip install clustermap\[infomap\]"):
        cm.find_communities(supply_chain, method="infomap")


def test_input_network_is_not_changed(supply_chain):
    nodes, edges = supply_chain.nodes.copy(), supply_chain.edges.copy()
    part = cm.find_communities(supply_chain, seed=1, runs=2)
    part.profiles(supply_chain)
    cm.significance(part, supply_chain, samples=3)
    pd.testing.assert_frame_equal(supply_chain.nodes, nodes)
    pd.testing.assert_frame_equal(supply_chain.edges, edges)


# ------------------------------------------------------------- Partition


def test_partition_records_how_it_was_made(supply_chain):
    part = cm.find_communities(supply_chain, resolution=1.5, seed=7, runs=2, layers="knowledge")
    assert part.method == "leiden"
    assert part.parameters == {
        "resolution": 1.5,
        "weighted": True,
        "runs": 2,
        "direction": "symmetrised",
    }
    assert part.seed == 7
    assert part.layers == ["knowledge"]
    prov = part.provenance
    assert prov["method"] == "leiden"
    assert prov["seed"] == 7
    assert prov["layers"] == ["knowledge"]
    assert prov["quality"]["n_communities"] == part.n_communities
    assert prov["stability"]["runs"] == 2
    assert "clustermap_version" in prov
    assert part.membership.attrs["method"] == "leiden"
    assert "communities of 9 actors (leiden" in repr(part)


def test_to_frame_without_and_with_network(profiled):
    part = cm.find_communities(profiled, seed=1)
    bare = part.to_frame()
    assert bare.columns.tolist() == ["community", "community_size"]
    full = part.to_frame(profiled)
    assert full.columns.tolist() == [
        "name",
        "kind",
        "community",
        "community_label",
        "community_size",
    ]
    assert full.loc["a", "community_label"] == "Castings & machining (C24-C25), West Midlands"
    assert full.attrs["method"] == "leiden"
    score = pd.Series([1.0, 2.0, 3.0, 6.0, 5.0, 4.0], index=list("abcdef"), name="betweenness")
    ranked = part.to_frame(profiled, centrality=score)
    assert ranked.index.tolist() == ["c", "b", "a", "d", "e", "f"]
    assert ranked["betweenness"].tolist() == [3.0, 2.0, 1.0, 6.0, 5.0, 4.0]


def test_to_frame_rejects_other_network(profiled, two_triangles):
    part = cm.find_communities(profiled, seed=1)
    with pytest.raises(InputError, match="another network"):
        part.to_frame(two_triangles.select(nodes=["a", "b", "c", "d", "e"]))


def test_to_json(profiled):
    part = cm.find_communities(profiled, seed=1)
    doc = json.loads(part.to_json())
    assert doc["meta"]["method"] == "leiden"
    assert doc["communities"] == [
        {"community": 1, "size": 3, "members": ["a", "b", "c"]},
        {"community": 2, "size": 3, "members": ["d", "e", "f"]},
    ]
    assert doc["data"][3] == {"id": "d", "community": 2}


def test_to_sheets(profiled):
    part = cm.find_communities(profiled, seed=1)
    assert list(part.to_sheets()) == ["membership", "communities"]
    sheets = part.to_sheets(profiled)
    assert list(sheets) == ["membership", "profiles"]
    assert sheets["profiles"].loc[1, "label"] == "Castings & machining (C24-C25), West Midlands"
    assert sheets["membership"].attrs["seed"] == 1


def test_members_rejects_unknown_community(two_triangles):
    part = cm.find_communities(two_triangles, seed=1)
    with pytest.raises(ConfigError, match="`community` must be between 1 and 2"):
        part.members(3)


# -------------------------------------------------------------- profiles


def test_profiles_by_hand(profiled):
    part = cm.find_communities(profiled, seed=1)
    assert part.membership.tolist() == [1, 1, 1, 2, 2, 2]
    prof = part.profiles(profiled)
    one, two = prof.loc[1], prof.loc[2]
    assert one["label"] == "Castings & machining (C24-C25), West Midlands"
    assert two["label"] == "Software (J62), East Midlands"
    assert (one["size"], one["firms"], one["suppliers"], one["institutions"]) == (3, 1, 1, 1)
    assert (two["firms"], two["suppliers"], two["institutions"]) == (1, 2, 0)
    assert one["main_sector"] == "C24"  # three-way tie, broken by code
    assert one["main_sector_share"] == pytest.approx(1 / 3)
    assert one["sectors"] == "C24 (33%), C25 (33%), P85 (33%)"
    assert two["sectors"] == "J62 (67%), J63 (33%)"
    assert one["main_sector_name"] == "Castings & machining"
    assert one["regions"] == "UKG (100%)"
    assert two["main_region"] == "UKF"
    assert two["main_region_name"] == "East Midlands"
    assert one["institutions_present"] == "Uni of X"
    assert two["institutions_present"] == ""
    # degree (distinct partners, all layers): c 3, a 2, b 2 / d 3, e 2, f 2
    assert one["top_members"] == "Uni of X; Acme Castings; Bolt Works"
    assert two["top_members"] == "Dev Ltd; Edge Soft; Flow Data"
    assert (one["internal_links"], one["external_links"]) == (4, 1)
    assert (two["internal_links"], two["external_links"]) == (4, 1)
    assert (one["internal_weight"], one["external_weight"]) == (5.0, 1.0)
    assert two["internal_weight"] == 6.0
    assert one["internal_density"] == 1.0
    assert (one["share_supply"], one["share_knowledge"]) == (0.25, 0.75)
    # volumes 11 and 13, cut 1
    assert one["conductance"] == pytest.approx(1 / 11)
    assert two["conductance"] == pytest.approx(1 / 11)
    assert prof.attrs["method"] == "leiden"
    assert prof.attrs["top_members_by"] == "degree"


def test_profiles_top_members_by_given_centrality(profiled):
    part = cm.find_communities(profiled, seed=1)
    score = pd.Series([0.1, 0.9, 0.5, 0.0, 0.2, 0.7], index=list("abcdef"), name="betweenness")
    prof = part.profiles(profiled, centrality=score)
    assert prof.loc[1, "top_members"] == "Bolt Works; Uni of X; Acme Castings"
    assert prof.loc[2, "top_members"] == "Flow Data; Edge Soft; Dev Ltd"
    assert prof.attrs["top_members_by"] == "betweenness"


def test_profiles_reject_a_table_as_centrality(profiled):
    part = cm.find_communities(profiled, seed=1)
    with pytest.raises(ConfigError, match="`centrality` must be a Series"):
        part.profiles(profiled, centrality=pd.DataFrame({"x": [1.0] * 6}, index=list("abcdef")))


def test_labels_fall_back_to_codes_then_numbers(profiled, two_triangles):
    codes = profiled.select()  # same network
    plain = cm.ClusterNetwork(codes.nodes.drop(columns=["sector_name", "region_name"]), codes.edges)
    part = cm.find_communities(plain, seed=1)
    assert part.labels(plain).tolist() == ["C24, UKG", "J62, UKF"]
    tri = cm.find_communities(two_triangles, seed=1)
    assert tri.labels(two_triangles).tolist() == ["Community 1", "Community 2"]


def test_repeated_labels_are_numbered(two_triangles):
    net = two_triangles.annotate(pd.Series("C29", index=list("abcdef"), name="sector"))
    part = cm.find_communities(net, seed=1)
    assert part.labels(net).tolist() == ["C29", "C29 #2"]


def test_profile_links_agree_with_pandas(supply_chain):
    part = cm.find_communities(supply_chain, seed=1)
    prof = part.profiles(supply_chain)
    e = supply_chain.edges
    cs = e["source"].map(part.membership)
    ct = e["target"].map(part.membership)
    inside = e[cs == ct].assign(c=cs)
    assert prof["internal_links"].tolist() == [int((inside["c"] == c).sum()) for c in prof.index]
    assert prof["internal_weight"].tolist() == pytest.approx(
        [inside.loc[inside["c"] == c, "weight"].sum() for c in prof.index]
    )
    assert int(prof["size"].sum()) == supply_chain.n_nodes


# ---------------------------------------------------------- comparison


def test_compare_partitions_by_hand():
    a = pd.Series([1, 1, 2, 2], index=list("wxyz"))
    b = pd.Series(["p", "p", "p", "q"], index=list("wxyz"))
    cmp = cm.compare_partitions(a, b)
    # contingency 2,1,1: sum C(nij,2) = 1; rows 1+1; columns 3+0; C(4,2) = 6
    # ARI = (1 - 2*3/6) / ((2+3)/2 - 2*3/6) = 0
    assert cmp.ari == pytest.approx(0.0)
    h_a, h_b = math.log(2), -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    h_ab = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25))
    assert cmp.nmi == pytest.approx(2 * (h_a + h_b - h_ab) / (h_a + h_b))
    assert cmp.cross_table.values.tolist() == [[2, 0], [1, 1]]
    assert cmp.n_actors == 4


def test_compare_partitions_identical_and_relabelled(karate):
    part = cm.find_communities(karate, seed=1)
    relabelled = part.membership.map(lambda c: f"group {10 - c}")
    cmp = cm.compare_partitions(part, relabelled)
    assert (cmp.ari, cmp.nmi) == (pytest.approx(1.0), pytest.approx(1.0))
    assert cmp.provenance["method"] == "compare_partitions"
    assert list(cmp.to_sheets()) == ["agreement", "cross_table"]


def test_compare_partitions_uses_common_actors_only():
    a = pd.Series([1, 1, 2], index=["x", "y", "z"])
    b = pd.Series([3, 3, 4, 4], index=["x", "y", "z", "w"])
    assert cm.compare_partitions(a, b).n_actors == 3
    with pytest.raises(InputError, match="no actor in common"):
        cm.compare_partitions(a, pd.Series([1], index=["q"]))
    with pytest.raises(ConfigError, match="`b` must be a Partition or a membership Series"):
        cm.compare_partitions(a, [1, 2, 3])  # type: ignore[arg-type]


# ----------------------------------------------------------- significance


@pytest.fixture
def ring_of_cliques() -> cm.ClusterNetwork:
    return cm.from_networkx(nx.ring_of_cliques(6, 5))


def test_significance_of_strong_structure(ring_of_cliques):
    part = cm.find_communities(ring_of_cliques, seed=1)
    assert part.n_communities == 6
    sig = cm.significance(part, ring_of_cliques, samples=30, seed=2)
    assert sig["modularity"] == pytest.approx(part.quality["modularity"])
    assert sig["z_score"] > 3
    assert sig["p_value"] == pytest.approx(1 / 31)
    assert sig["samples"] == 30
    assert len(sig.attrs["null_modularity"]) == 30
    assert max(sig.attrs["null_modularity"]) < sig["modularity"]
    assert sig.attrs["method"] == "significance"


def test_significance_of_random_network_is_not_significant():
    net = cm.from_networkx(nx.gnm_random_graph(60, 180, seed=3))
    part = cm.find_communities(net, seed=1)
    sig = cm.significance(part, net, samples=30, seed=1)
    assert sig["p_value"] > 0.05
    assert abs(sig["z_score"]) < 2.5


def test_significance_rewires_a_copy_and_is_reproducible(karate):
    part = cm.find_communities(karate, seed=1)
    edges_before = karate._igraph(directed=False).get_edgelist()
    a = cm.significance(part, karate, samples=5, seed=4)
    b = cm.significance(part, karate, samples=5, seed=4)
    pd.testing.assert_series_equal(a, b)
    assert karate._igraph(directed=False).get_edgelist() == edges_before


def test_significance_of_multiplex_partition(two_layers):
    part = cm.find_communities(two_layers, layer_weights={"knowledge": 1.0, "supply": 1.0})
    sig = cm.significance(part, two_layers, samples=4, seed=1)
    assert sig["samples"] == 4
    assert np.isfinite(sig["null_mean"])


def test_significance_bad_options(karate, two_triangles):
    part = cm.find_communities(karate, seed=1)
    with pytest.raises(ConfigError, match="`samples` must be a whole number >= 2"):
        cm.significance(part, karate, samples=1)
    with pytest.raises(ConfigError, match="`seed` must be a whole number"):
        cm.significance(part, karate, seed=2.5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="`partition` must be a Partition"):
        cm.significance(part.membership, karate)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="another network"):
        cm.significance(part, two_triangles)


# -------------------------------------------------------- resolution scan


def test_scan_resolution(karate):
    scan = cm.scan_resolution(karate, resolutions=[0.5, 1.0, 2.0], weighted=False, seed=1, runs=3)
    assert scan.index.tolist() == [0.5, 1.0, 2.0]
    assert scan["n_communities"].is_monotonic_increasing
    assert scan["n_communities"].iloc[0] < scan["n_communities"].iloc[-1]
    at_one = cm.find_communities(karate, weighted=False, seed=1, runs=3)
    assert scan.loc[1.0, "modularity"] == pytest.approx(at_one.quality["modularity"])
    assert scan.loc[1.0, "stability_ari"] == pytest.approx(at_one.stability["ari"])
    assert np.isnan(scan.loc[0.5, "nmi_to_previous"])
    assert 0 < scan.loc[1.0, "nmi_to_previous"] <= 1
    assert scan.attrs["parameters"]["resolutions"] == [0.5, 1.0, 2.0]


def test_scan_resolution_defaults_and_single_run(two_triangles):
    scan = cm.scan_resolution(two_triangles, runs=1)
    assert len(scan) == 9
    assert scan["stability_ari"].isna().all()


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"method": "label_propagation"}, r"`method` must be one of 'leiden', 'louvain'"),
        ({"resolutions": []}, r"at least one"),
        ({"resolutions": [1.0, 0.0]}, r"`resolution` must be a finite number > 0"),
        ({"runs": 0}, r"`runs` must be"),
        ({"seed": "x"}, r"`seed` must be a whole number"),
        ({"layers": "ownership"}, r"`layers` must be among"),
    ],
)
def test_scan_resolution_bad_options(karate, options, match):
    with pytest.raises(ConfigError, match=match):
        cm.scan_resolution(karate, **options)


# ---------------------------------------------- checked against what is known

LFR = {"n": 500, "tau1": 2.5, "tau2": 1.5, "average_degree": 10, "max_degree": 50}
LFR_FLOORS = {0.1: 0.98, 0.2: 0.95, 0.3: 0.9}


@pytest.mark.parametrize("mu", sorted(LFR_FLOORS))
def test_lfr_planted_communities_recovered(mu):
    G = nx.LFR_benchmark_graph(
        LFR["n"],
        LFR["tau1"],
        LFR["tau2"],
        mu,
        average_degree=LFR["average_degree"],
        max_degree=LFR["max_degree"],
        min_community=20,
        max_community=100,
        seed=1,
    )
    truth = pd.Series({str(v): min(G.nodes[v]["community"]) for v in G})
    H = nx.Graph(G.edges())
    H.add_nodes_from(G.nodes)
    net = cm.from_networkx(H, self_loops="drop")
    part = cm.find_communities(net, seed=1, runs=5)
    assert cm.compare_partitions(part, truth).nmi >= LFR_FLOORS[mu]


@pytest.mark.realdata
def test_karate_reaches_known_maximum_modularity(realdata):
    net = cm.read_gml(realdata("community_benchmarks") / "karate_club.gml")
    part = cm.find_communities(net, seed=1, runs=10)
    # Brandes et al. 2008, On modularity clustering, IEEE TKDE 20:172: max Q = 0.4198
    assert part.quality["modularity"] == pytest.approx(0.4198, abs=1e-4)
    assert part.n_communities == 4
    assert part.quality["modularity"] == pytest.approx(
        _nx_modularity(net, part, weighted=True), abs=1e-12
    )


@pytest.mark.realdata
def test_football_conferences_recovered(realdata):
    net = cm.read_gml(realdata("community_benchmarks") / "football.gml")
    part = cm.find_communities(net, seed=1, runs=10)
    cmp = cm.compare_partitions(part, net.nodes["value"])
    assert cmp.nmi >= 0.85  # measured 0.890 (12 conferences, some independents)
    assert 9 <= part.n_communities <= 13


def test_generator_subclusters_recovered():
    from clustermap.loaders.generator import make_cluster

    net = make_cluster(n_actors=600, seed=3)
    part = cm.find_communities(net, seed=1, runs=5)
    assert cm.compare_partitions(part, net.nodes["subcluster"]).nmi >= 0.5


# ------------------------------------------------------- command line, demo


@pytest.fixture
def cmap(profiled, tmp_path):
    path = tmp_path / "net.cmap"
    profiled.save(path)
    return path


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_cli_writes_the_community_list(cmap, tmp_path, fmt):
    out = tmp_path / f"c.{fmt}"
    result = _cli("communities", "--network", cmap, "--format", fmt, "--seed", 1, "-o", out)
    assert result.exit_code == 0, result.output
    assert "2 communities of 6 actors (leiden, seed 1)" in result.stdout
    assert "Castings & machining (C24-C25), West Midlands" in result.stdout
    if fmt == "csv":
        back = pd.read_csv(out, encoding="utf-8-sig", index_col="id")
        assert back["community"].to_dict() == {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2}
        assert (tmp_path / "c.meta.json").exists()
    elif fmt == "xlsx":
        with pd.ExcelFile(out) as book:
            assert book.sheet_names == ["membership", "profiles", "about"]
    else:
        assert json.loads(out.read_text(encoding="utf-8"))["meta"]["seed"] == 1


def test_cli_options_reach_the_method(cmap, tmp_path):
    out = tmp_path / "c.json"
    gexf = tmp_path / "c.gexf"
    result = _cli(
        "communities", "--network", cmap, "--method", "louvain", "--resolution", "0.5",
        "--runs", 3, "--layers", "knowledge", "--unweighted", "--format", "json",
        "-o", out, "--gexf", gexf,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    meta = json.loads(out.read_text(encoding="utf-8"))["meta"]
    assert meta["method"] == "louvain"
    assert meta["parameters"]["resolution"] == 0.5
    assert meta["parameters"]["weighted"] is False
    assert meta["layers"] == ["knowledge"]
    assert meta["stability"]["runs"] == 3
    assert "stability over 3 runs" in result.stdout
    assert nx.read_gexf(gexf).nodes["a"]["community"] >= 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "label_propagation", "--resolution", "2"], "`resolution` applies to"),
        (["--layers", "ownership"], "unknown layer(s) 'ownership'; `layers` must be among"),
        (["--runs", "0"], "`runs` must be a whole number"),
    ],
)
def test_cli_errors_are_one_line(cmap, args, message):
    result = _cli("communities", "--network", cmap, *args)
    assert result.exit_code == 2
    assert f"clustermap: error: {message}" in result.output
    assert "Traceback" not in result.output


def test_cli_rejects_unknown_method(cmap):
    result = _cli("communities", "--network", cmap, "--method", "walktrap")
    assert result.exit_code == 2
    assert "'leiden'" in result.output


def test_demo_step_writes_files_and_shares_partition(profiled, tmp_path):
    from clustermap.commands.communities import _demo
    from clustermap.demo import DemoContext

    ctx = DemoContext(tmp_path, profiled, seed=3)
    _demo(ctx)
    assert [p.name for p in ctx.written] == ["communities.xlsx", "communities.csv"]
    assert all(p.exists() for p in ctx.written)
    part = ctx.results["partition"]
    assert isinstance(part, cm.Partition)
    assert part.seed == 3
    about = dict(pd.read_excel(tmp_path / "communities.xlsx", sheet_name="about").to_numpy())
    assert about["inputs: network"] == "demo cluster"


# ---------------------------------------------------------------- saying when results are weak


def test_collapse_to_one_community_is_warned(caplog):
    net = cm.from_networkx(nx.complete_graph(12))
    part = cm.find_communities(net, method="label_propagation", seed=1)
    assert part.n_communities == 1
    assert "put all 12 actors into one community" in caplog.text
    assert "try method='leiden'" in caplog.text


def test_real_structure_is_not_warned(caplog):
    net = cm.from_networkx(nx.karate_club_graph())
    cm.find_communities(net, seed=1)
    assert "one community" not in caplog.text


def test_significance_warns_on_heavy_tailed_weights_and_no_structure(caplog):
    rng = np.random.default_rng(1)
    G = nx.gnm_random_graph(80, 300, seed=1)
    for _, _, d in G.edges(data=True):
        d["weight"] = float(rng.pareto(0.8) + 0.01)
    net = cm.from_networkx(G)
    weighted = cm.significance(cm.find_communities(net, seed=1), net, samples=10, seed=1)
    assert weighted.attrs["weight_tail_ratio"] > 50
    assert any("heavy-tailed" in w for w in weighted.attrs["warnings"])
    assert "weighted=False" in caplog.text
    caplog.clear()
    part = cm.find_communities(net, seed=1, weighted=False)
    unweighted = cm.significance(part, net, samples=10, seed=1)
    assert unweighted["z_score"] <= 0
    assert "no evidence of community structure" in caplog.text
    assert unweighted.attrs["weight_tail_ratio"] == 1.0


def test_significance_quiet_on_clear_structure(caplog):
    net = cm.from_networkx(nx.karate_club_graph())
    sig = cm.significance(cm.find_communities(net, weighted=False, seed=1), net, samples=10, seed=1)
    assert sig.attrs["warnings"] == []
    assert "significance:" not in caplog.text
