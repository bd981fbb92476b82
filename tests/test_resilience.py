"""Resilience: cut points, dependencies and what-if removals, by hand and by brute force."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import clustermap as cm
from clustermap import settings
from clustermap.analysis.resilience import (
    RemovalImpact,
    Resilience,
    resilience,
    simulate_removal,
)
from clustermap.cli import main  # imported first: it registers every command


def random_network(seed: int, *, n: int = 40, p: float = 0.05) -> cm.ClusterNetwork:
    """A sparse random supply network (tree-like, so with many cut points) plus knowledge ties."""
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    for _, _, d in G.edges(data=True):
        d["weight"] = float(rng.uniform(0.5, 3))
    for u, v in rng.integers(0, n, size=(6, 2)):
        if u != v:
            G.add_edge(int(u), int(v), layer="knowledge", weight=1.0)
    for node in G:
        G.nodes[node]["kind"] = str(rng.choice(["firm", "supplier", "institution"]))
    return cm.from_networkx(G, layer="supply")


# ---------------------------------------------------------------- by hand


def test_supply_chain_by_hand(supply_chain):
    r = resilience(supply_chain)
    assert isinstance(r, Resilience)
    # Supply, undirected: the cycle OEM-T1a-T2c-T1b-OEM with T2a hanging from T1a and
    # T2b from T1b; UNI, RC and ISO have no supply links.
    assert list(r.articulation_points.index) == ["T1a", "T1b"]
    assert r.articulation_points["actors_cut_off"].tolist() == [1, 1]
    bridges = r.bridges[["source", "target", "smaller_side"]].to_numpy().tolist()
    assert sorted(map(sorted, [b[:2] for b in bridges])) == [["T1a", "T2a"], ["T1b", "T2b"]]
    assert r.bridges["smaller_side"].tolist() == [1, 1]
    # Every buyer has two suppliers: nobody is a sole supplier.
    fp = r.failure_points
    assert (fp["firms_losing_all_suppliers"] == 0).all()
    assert list(fp.index[:2]) == ["T1a", "T1b"]
    assert list(fp.index[2:]) == sorted(fp.index[2:])
    assert fp.loc["T2c", "buyers"] == 2
    assert fp.loc["T1a", "articulation_point"]
    assert not fp.loc["OEM", "articulation_point"]
    # Dependencies by value: OEM 300 (T1a) + 200 (T1b); T1a 50 (T2a) + 10 (T2c);
    # T1b 40 (T2b) + 60 (T2c).
    dep = r.dependencies
    assert list(dep.index) == ["T1a", "OEM", "T1b"]
    assert dep.loc["T1a", "largest_supplier"] == "T2a"
    assert dep.loc["T1a", "largest_supplier_name"] == "Castings Ltd"
    assert dep.loc["T1a", "largest_share"] == pytest.approx(50 / 60)
    assert dep.loc["T1a", "herfindahl"] == pytest.approx((50**2 + 10**2) / 60**2)
    assert dep.loc["OEM", "herfindahl"] == pytest.approx(0.6**2 + 0.4**2)
    assert dep.loc["T1b", "largest_supplier"] == "T2c"
    assert dep.loc["OEM", "inputs"] == 500.0
    assert set(dep["basis"]) == {"value"}
    assert (dep["suppliers"] == 2).all()


def test_a_sole_supplier_is_a_single_point_of_failure(supply_chain):
    # Without T2c, T1a buys only from T2a and T1b only from T2b.
    net = supply_chain.select(nodes=[i for i in supply_chain.nodes.index if i != "T2c"])
    fp = resilience(net).failure_points
    assert fp.loc["T2a", "firms_losing_all_suppliers"] == 1
    assert fp.loc["T2b", "firms_losing_all_suppliers"] == 1
    # The supply layer is now the path T2a-T1a-OEM-T1b-T2b: OEM cuts off two actors.
    assert fp.loc["OEM", "actors_cut_off"] == 2
    assert fp.loc["T1a", "actors_cut_off"] == 1
    assert list(fp.index[:4]) == ["T2a", "T2b", "OEM", "T1a"]


def test_dependency_falls_back_to_weight_when_values_are_missing():
    nodes = pd.DataFrame({"id": ["a", "b", "c", "d"], "name": list("ABCD"), "kind": "firm"})
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "a", "b"],
            "target": ["c", "c", "d", "d"],
            "layer": "supply",
            "weight": [1.0, 3.0, 2.0, 2.0],
            "value": [100.0, None, 10.0, 30.0],
        }
    )
    dep = resilience(cm.from_tables(nodes, edges)).dependencies
    assert dep.loc["c", "basis"] == "weight"  # one link into c has no value
    assert dep.loc["c", "largest_share"] == pytest.approx(0.75)
    assert dep.loc["c", "largest_supplier"] == "b"
    assert dep.loc["d", "basis"] == "value"
    assert dep.loc["d", "largest_share"] == pytest.approx(0.75)
    assert dep.loc["d", "herfindahl"] == pytest.approx(0.75**2 + 0.25**2)


def test_undirected_layers_count_every_partner_as_a_supplier(two_triangles):
    r = resilience(two_triangles, layers="knowledge")
    assert list(r.articulation_points.index) == ["c", "d"]
    assert r.articulation_points["actors_cut_off"].tolist() == [2, 2]
    assert r.bridges[["source", "target", "smaller_side"]].to_numpy().tolist() == [["c", "d", 3]]
    assert r.dependencies.loc["a", "suppliers"] == 2
    assert r.dependencies.loc["c", "herfindahl"] == pytest.approx(1 / 3)


# ---------------------------------------------------------------- brute force


def brute_force_cut_off(G: nx.Graph, v) -> int:
    group = nx.node_connected_component(G, v)
    H = G.subgraph(group - {v})
    largest = max((len(c) for c in nx.connected_components(H)), default=0)
    return len(group) - 1 - largest


def brute_force_smaller_side(G: nx.Graph, u, v) -> int:
    H = G.copy()
    H.remove_edge(u, v)
    return min(len(nx.node_connected_component(H, u)), len(nx.node_connected_component(H, v)))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("layers", [("supply",), None])
def test_scan_matches_brute_force(seed, layers):
    net = random_network(seed)
    r = resilience(net, layers=layers)
    G = net.to_networkx(layers=layers, directed=False)
    D = net.to_networkx(layers=layers, directed=True)
    fp = r.failure_points
    assert len(fp) == net.n_nodes
    assert set(r.articulation_points.index) == set(nx.articulation_points(G))
    assert fp["articulation_point"].sum() == len(r.articulation_points)
    for v in G:
        assert fp.loc[v, "actors_cut_off"] == brute_force_cut_off(G, v), v
        sole = sum(
            1
            for b in D.successors(v)
            if set(D.predecessors(b)) == {v} and D.nodes[b]["kind"] != "institution"
        )
        assert fp.loc[v, "firms_losing_all_suppliers"] == sole, v
    assert {frozenset(e) for e in r.bridges[["source", "target"]].to_numpy().tolist()} == {
        frozenset(e) for e in nx.bridges(G)
    }
    for u, v, side in r.bridges[["source", "target", "smaller_side"]].itertuples(index=False):
        assert side == brute_force_smaller_side(G, u, v)


@pytest.mark.parametrize("seed", range(4))
def test_removal_matches_brute_force(seed):
    net = random_network(seed)
    gone = list(net.nodes.index[[1, 5, 9]])
    what_if = simulate_removal(net, gone, layers=None)
    G = net.to_networkx(directed=False)
    H = G.subgraph(set(G) - set(gone))
    main_before = max(nx.connected_components(G), key=len)
    main_after = max(nx.connected_components(H), key=len)
    cut = {v for v in main_before - set(gone) if v not in main_after}
    assert set(what_if.affected.index[what_if.affected["cut_off"]]) == cut
    D = net.to_networkx(directed=True)
    down = set().union(*(nx.descendants(D, v) for v in gone)) - set(gone)
    assert set(what_if.affected.index[what_if.affected["downstream"]]) == down
    assert what_if.summary.loc["components", "after"] == nx.number_connected_components(H)
    assert what_if.summary.loc["largest_component", "after"] == len(main_after)
    assert what_if.impact["downstream_actors"] == len(down)


# ---------------------------------------------------------------- what-if by hand


def test_removing_a_tier_one_supplier(supply_chain):
    what_if = simulate_removal(supply_chain, ["T1b"], layers="supply")
    assert isinstance(what_if, RemovalImpact)
    a = what_if.affected
    # OEM loses T1b (200 of its 500); T2b is cut off; OEM is downstream of T1b.
    assert list(a.index) == ["OEM", "T2b"]
    assert a.loc["OEM", "suppliers_lost"] == 1
    assert a.loc["OEM", "input_share_lost"] == pytest.approx(0.4)
    assert not a.loc["OEM", "loses_all_suppliers"]
    assert a.loc["OEM", "downstream"]
    assert a.loc["T2b", "cut_off"]
    s = what_if.summary
    assert s.loc["actors"].tolist() == [9, 8, -1]
    assert s.loc["links"].tolist() == [6, 3, -3]  # OEM-T1a, T1a-T2a, T1a-T2c remain
    assert s.loc["components"].tolist() == [4, 5, 1]
    assert s.loc["largest_component"].tolist() == [6, 4, -2]
    assert s.loc["reachable_pairs", "before"] == pytest.approx(30 / 72)
    assert s.loc["reachable_pairs", "after"] == pytest.approx(12 / 56)
    assert what_if.impact.to_dict() == {
        "removed": 1,
        "firms_losing_a_supplier": 1,
        "firms_losing_all_suppliers": 0,
        "actors_cut_off": 1,
        "downstream_actors": 1,
    }


def test_removing_tier_two_suppliers_by_selection(supply_chain):
    what_if = simulate_removal(supply_chain, {"category": "tier 2"}, layers="supply")
    a = what_if.affected
    assert list(what_if.removed.index) == ["T2a", "T2b", "T2c"]
    assert a.loc["T1a", "loses_all_suppliers"]
    assert a.loc["T1b", "loses_all_suppliers"]
    assert a.loc["T1b", "input_share_lost"] == pytest.approx(1.0)
    assert list(a.index) == ["T1a", "T1b", "OEM"]
    assert a.loc["OEM", "suppliers_lost"] == 0
    assert what_if.impact["firms_losing_all_suppliers"] == 2


def test_a_university_leaving_the_knowledge_network(supply_chain):
    what_if = simulate_removal(supply_chain, ["UNI"], layers="knowledge")
    # Knowledge: UNI-T1a, UNI-T1b, UNI-RC, RC-OEM, T1a-T1b. Without UNI, RC-OEM and
    # T1a-T1b fall apart; the largest group left has two actors.
    assert what_if.summary.loc["largest_component"].tolist() == [5, 2, -3]
    assert what_if.impact["actors_cut_off"] == 2


# ---------------------------------------------------------------- results and files


def test_result_objects_and_files(supply_chain, tmp_path):
    r = resilience(supply_chain)
    assert r.to_frame() is r.failure_points
    assert list(r.to_sheets()) == [
        "failure points",
        "dependencies",
        "customer dependence",
        "articulation points",
        "bridges",
    ]
    assert r.provenance["method"] == "resilience"
    assert r.provenance["layers"] == ["supply"]
    assert r.failure_points.attrs["method"] == "resilience"
    cm.write_excel(r, tmp_path / "resilience.xlsx")
    sheets = pd.read_excel(tmp_path / "resilience.xlsx", sheet_name=None)
    assert set(sheets) == {
        "failure points",
        "dependencies",
        "customer dependence",
        "articulation points",
        "bridges",
        "about",
    }
    cm.write_csv(r, tmp_path / "failure.csv")
    assert (tmp_path / "failure.meta.json").exists()
    data = json.loads(r.to_json())
    assert data["meta"]["method"] == "resilience"
    assert data["dependencies"][0]["id"] == "T1a"
    what_if = simulate_removal(supply_chain, ["T1b"])
    assert what_if.to_frame() is what_if.affected
    assert what_if.provenance["parameters"]["nodes"] == ["T1b"]
    cm.write_excel(what_if, tmp_path / "what_if.xlsx")
    assert json.loads(what_if.to_json())["impact"][0] == {"item": "removed", "value": 1}


def test_top_and_large_networks(monkeypatch):
    net = random_network(2)
    assert len(resilience(net, top=5).failure_points) == 5
    monkeypatch.setattr(settings, "exact_betweenness_max_nodes", 10)
    monkeypatch.setattr(settings, "resilience_candidates", 7)
    r = resilience(net)
    assert len(r.failure_points) == 7
    assert r.provenance["shown"] == 7
    full = resilience(net, top=100).failure_points
    pd.testing.assert_frame_equal(r.failure_points, full.iloc[:7])


def test_does_not_change_the_network(supply_chain):
    nodes, edges = supply_chain.nodes.copy(), supply_chain.edges.copy()
    resilience(supply_chain, layers=None)
    simulate_removal(supply_chain, "institution")
    pd.testing.assert_frame_equal(supply_chain.nodes, nodes)
    pd.testing.assert_frame_equal(supply_chain.edges, edges)


# ---------------------------------------------------------------- bad options


def test_bad_options(supply_chain, two_triangles):
    with pytest.raises(
        cm.ConfigError, match=r"unknown layer\(s\) 'supply'; `layers` must be among"
    ):
        resilience(two_triangles)
    with pytest.raises(cm.ConfigError, match=r"`top` must be a whole number >= 1"):
        resilience(supply_chain, top=0)
    with pytest.raises(cm.ConfigError, match=r"unknown layer\(s\) 'ownership'"):
        simulate_removal(supply_chain, ["OEM"], layers="ownership")
    with pytest.raises(cm.InputError, match="not in the network: 'ghost'"):
        simulate_removal(supply_chain, ["ghost"])
    with pytest.raises(cm.ConfigError, match="`nodes` is the string 'OEM', which is not a kind"):
        simulate_removal(supply_chain, "OEM")


# ---------------------------------------------------------------- command line and demo


def test_command_line(supply_chain, tmp_path):
    supply_chain.save(tmp_path / "net.cmap")
    args = ["resilience", "--network", str(tmp_path / "net.cmap")]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    assert "2 articulation points, 2 bridges, 3 buyers" in result.output
    assert "failure points" in pd.read_excel(tmp_path / "r.xlsx", sheet_name=None)
    result = CliRunner().invoke(main, [*args, "--remove", "T1b", "-o", str(tmp_path / "w.csv")])
    assert result.exit_code == 0, result.output
    assert "components 4 -> 5" in result.output
    affected = pd.read_csv(tmp_path / "w.csv", index_col="id", encoding="utf-8-sig")
    assert list(affected.index) == ["OEM", "T2b"]
    result = CliRunner().invoke(main, [*args, "--layers", "ownership"])
    assert result.exit_code == 2
    assert "unknown layer(s) 'ownership'" in result.output


def test_demo_step(tmp_path):
    from clustermap.commands.resilience import _demo
    from clustermap.demo import DemoContext

    ctx = DemoContext(tmp_path, cm.make_cluster(n_actors=120, seed=5), 5)
    _demo(ctx)
    assert [p.name for p in ctx.written] == ["resilience.xlsx"]
    sheets = pd.read_excel(tmp_path / "resilience.xlsx", sheet_name=None)
    # the demo's supply links are typed "purchase" or "service": sole sources per type
    assert {
        "failure points",
        "dependencies",
        "customer dependence",
        "sole sources",
        "articulation points",
        "bridges",
        "about",
    } == set(sheets)
    assert isinstance(ctx.results["resilience"], Resilience)


def test_simulate_removal_reads_supply_by_default(supply_chain):
    import clustermap as cm

    # RC is tied to OEM only by knowledge: by default it supplies nobody
    default = cm.simulate_removal(supply_chain, ["RC"])
    every_layer = cm.simulate_removal(supply_chain, ["RC"], layers=None)
    assert default.provenance["layers"] == ["supply"]
    assert default.affected.empty
    # reading every layer, the knowledge ties RC - OEM and RC - UNI count as supply
    assert {"OEM", "UNI"} <= set(every_layer.affected.index)


def test_undirected_layer_is_flagged(supply_chain, caplog):
    import clustermap as cm

    cm.resilience(supply_chain, layers="knowledge")
    assert "undirected layer(s) 'knowledge'" in caplog.text


# ---------------------------------------------------------------- supply-chain lens


def test_customer_dependence_by_hand(supply_chain):
    # Sales by value: T2c 10 to T1a + 60 to T1b; T1a 300 to OEM; T1b 200 to OEM;
    # T2a 50 to T1a; T2b 40 to T1b.
    cd = resilience(supply_chain).customer_dependencies
    assert set(cd.index) == {"T1a", "T1b", "T2a", "T2b", "T2c"}
    row = cd.loc["T2c"]
    assert row["customers"] == 2
    assert row["sales"] == pytest.approx(70.0)
    assert row["basis"] == "value"
    assert row["largest_customer"] == "T1b"
    assert row["largest_customer_name"] == "Brake Systems"
    assert row["largest_share"] == pytest.approx(6 / 7)
    assert row["herfindahl"] == pytest.approx((1 / 7) ** 2 + (6 / 7) ** 2)
    # single-customer suppliers come first (share 1), then T2c
    assert cd.index[-1] == "T2c"
    assert (cd["largest_share"].iloc[:-1] == 1.0).all()
    assert cd.attrs["table"] == "customer dependence"


def test_customer_dependence_by_weight_when_a_value_is_missing():
    nodes = {"id": ["s", "a", "b"], "name": ["S", "A", "B"], "kind": "supplier"}
    edges = {
        "source": ["s", "s"],
        "target": ["a", "b"],
        "layer": "supply",
        "weight": [1.0, 3.0],
        "value": [100.0, None],
    }
    cd = resilience(cm.from_tables(nodes, edges)).customer_dependencies
    assert cd.loc["s", "basis"] == "weight"
    assert cd.loc["s", "largest_customer"] == "b"
    assert cd.loc["s", "largest_share"] == pytest.approx(0.75)


def _product_net(product_column="product"):
    nodes = {
        "id": ["oem", "p1", "p2", "p3"],
        "name": ["OEM", "Seats Ltd", "Glass plc", "Glass AG"],
        "kind": ["firm", "supplier", "supplier", "supplier"],
    }
    edges = {
        "source": ["p1", "p1", "p2", "p3", "p1"],
        "target": ["oem", "oem", "oem", "oem", "p2"],
        "layer": "supply",
        product_column: ["seats", "seats", "glass", "glass", "foam"],
        "value": [10.0, 5.0, 7.0, 3.0, 1.0],
    }
    return cm.from_tables(nodes, edges)


def test_sole_sources_per_product_by_hand():
    # oem buys seats from p1 only (two links, 15), glass from p2 and p3; p2 buys foam from p1
    r = resilience(_product_net())
    sole = r.sole_sources
    assert sole[["buyer", "product", "supplier", "links", "amount", "basis"]].values.tolist() == [
        ["oem", "seats", "p1", 2, 15.0, "value"],
        ["p2", "foam", "p1", 1, 1.0, "value"],
    ]
    assert sole["supplier_name"].tolist() == ["Seats Ltd", "Seats Ltd"]
    assert r.provenance["parameters"]["product"] == "product"
    assert "sole sources" in r.to_sheets()


def test_sole_sources_column_choice(supply_chain):
    # a `type` column with several values is read as the product; one value says nothing
    typed = resilience(_product_net("type"))
    assert len(typed.sole_sources) == 2
    assert resilience(supply_chain).sole_sources.empty
    assert "sole sources" not in resilience(supply_chain).to_sheets()
    with pytest.raises(cm.ConfigError, match=r"`product` column 'part' is not a link column"):
        resilience(_product_net(), product="part")


def test_simulate_removal_max_hops_by_hand(supply_chain):
    # removing T2c: its buyers T1a, T1b are one step down, OEM two steps down
    full = simulate_removal(supply_chain, ["T2c"])
    steps = full.affected["downstream_step"].dropna().astype(int).to_dict()
    assert steps == {"T1a": 1, "T1b": 1, "OEM": 2}
    tier1 = simulate_removal(supply_chain, ["T2c"], max_hops=1)
    assert int(tier1.impact["downstream_actors"]) == 2
    assert "OEM" not in tier1.affected.index
    assert tier1.provenance["parameters"]["max_hops"] == 1
    with pytest.raises(cm.ConfigError, match=r"`max_hops` must be a whole number >= 1"):
        simulate_removal(supply_chain, ["T2c"], max_hops=0)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("max_hops", [None, 1, 2, 3])
def test_simulate_removal_steps_match_networkx(seed, max_hops):
    net = random_network(seed, n=30, p=0.08)
    gone = list(net.nodes.index[:2])
    result = simulate_removal(net, gone)
    if max_hops is not None:
        result = simulate_removal(net, gone, max_hops=max_hops)
    G = nx.DiGraph()
    G.add_nodes_from(net.nodes.index)
    supply = net.edges[net.edges["layer"] == "supply"]
    G.add_edges_from(zip(supply["source"], supply["target"], strict=True))
    G.add_edges_from(("@", g) for g in gone)
    dist = nx.single_source_shortest_path_length(G, "@")
    expected = {
        a: d - 1
        for a, d in dist.items()
        if a not in gone and a != "@" and (max_hops is None or d - 1 <= max_hops)
    }
    got = result.affected["downstream_step"].dropna().astype(int).to_dict()
    assert got == expected


def test_simulate_removal_counts_links_as_summary_does():
    nodes = {"id": ["a", "b", "c"], "name": ["A", "B", "C"], "kind": "firm"}
    # a -> b twice (two contracts), b -> c once
    edges = {"source": ["a", "a", "b"], "target": ["b", "b", "c"], "layer": "supply"}
    net = cm.from_tables(nodes, edges)
    summary = simulate_removal(net, ["c"]).summary
    assert summary.loc["links", "before"] == net.summary()["links"] == 3
    assert summary.loc["linked_pairs", "before"] == 2
    assert summary.loc["links", "after"] == 2
    assert summary.loc["linked_pairs", "after"] == 1
    assert list(summary.index[:3]) == ["actors", "links", "linked_pairs"]
