"""The model: ClusterNetwork tables, selection, engines and files."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError


def _edge_set(g):
    """Edges of an igraph graph as {(u, v): weight} with ids, sorted pairs when undirected."""
    names = g.vs["name"]
    out = {}
    for e in g.es:
        u, v = names[e.source], names[e.target]
        if not g.is_directed():
            u, v = sorted((u, v))
        out[(u, v)] = e["weight"]
    return out


def _nx_edge_set(G):
    out = {}
    for u, v, d in G.edges(data=True):
        if not G.is_directed():
            u, v = sorted((u, v))
        out[(u, v)] = d["weight"]
    return out


def random_network(seed: int, n: int = 60, m: int = 300) -> cm.ClusterNetwork:
    rng = np.random.default_rng(seed)
    ids = [f"N{i:03d}" for i in range(n)]
    nodes = pd.DataFrame(
        {"id": ids, "name": ids, "kind": rng.choice(["firm", "supplier", "institution"], n)}
    )
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n
    edges = pd.DataFrame(
        {
            "source": [ids[i] for i in src],
            "target": [ids[i] for i in dst],
            "layer": rng.choice(["supply", "knowledge"], m),
            "weight": rng.uniform(0.1, 5.0, m),
        }
    )
    return cm.from_tables(nodes, edges)


class TestEnginesAgree:
    @pytest.mark.parametrize("directed", [None, True, False])
    @pytest.mark.parametrize("layers", [None, "supply", "knowledge"])
    def test_fixture(self, supply_chain, directed, layers):
        g = supply_chain.to_igraph(layers=layers, directed=directed)
        G = supply_chain.to_networkx(layers=layers, directed=directed)
        assert g.is_directed() == G.is_directed()
        assert g.vs["name"] == list(G.nodes)
        assert _edge_set(g) == pytest.approx(_nx_edge_set(G))

    @pytest.mark.parametrize("seed", [1, 2, 3])
    @pytest.mark.parametrize("directed", [None, False])
    def test_random(self, seed, directed):
        net = random_network(seed)
        g = net.to_igraph(directed=directed)
        G = net.to_networkx(directed=directed)
        assert set(g.vs["name"]) == set(G.nodes)
        assert _edge_set(g) == pytest.approx(_nx_edge_set(G))

    def test_parallel_links_are_summed(self, supply_chain):
        # T1a - T1b: knowledge weight 2; UNI-T1a and UNI-T1b weight 1
        g = supply_chain.to_igraph(layers="knowledge")
        assert not g.is_directed()
        assert _edge_set(g)[("T1a", "T1b")] == 2.0
        # undirected view of everything merges supply T1a->OEM (3) only with itself
        und = _edge_set(supply_chain.to_igraph(directed=False))
        assert und[("OEM", "T1a")] == 3.0
        assert und[("T1a", "T2c")] == 1.0

    def test_mixed_layers_directed_view_doubles_undirected_ties(self, supply_chain):
        g = supply_chain.to_igraph()
        assert g.is_directed()
        edges = _edge_set(g)
        assert edges[("UNI", "RC")] == 1.0
        assert edges[("RC", "UNI")] == 1.0
        assert ("OEM", "T1a") not in edges  # supply keeps its direction

    def test_counts_and_values(self, supply_chain):
        g = supply_chain.to_igraph(layers="supply")
        by_pair = {
            (g.vs[e.source]["name"], g.vs[e.target]["name"]): (e["count"], e["value"]) for e in g.es
        }
        assert by_pair[("T1a", "OEM")] == (1, 300.0)

    def test_igraph_view_is_a_copy(self, supply_chain):
        g = supply_chain.to_igraph()
        g.delete_vertices([0])
        assert supply_chain.to_igraph().vcount() == 9

    def test_multigraph_keeps_rows(self):
        net = cm.from_tables(
            {"id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "firm"]},
            {"source": ["a", "a"], "target": ["b", "b"], "layer": "knowledge", "type": ["x", "y"]},
        )
        G = net.to_networkx(multigraph=True)
        assert G.number_of_edges() == 2
        assert sorted(d["type"] for _, _, d in G.edges(data=True)) == ["x", "y"]


class TestSelect:
    def test_layers(self, supply_chain):
        sub = supply_chain.select(layers="knowledge")
        assert set(sub.edges["layer"]) == {"knowledge"}
        assert sub.n_nodes == 9
        assert sub.layers == ["knowledge"]

    def test_kinds(self, supply_chain):
        sub = supply_chain.select(kinds="institution")
        assert sorted(sub.nodes.index) == ["ISO", "RC", "UNI"]
        assert sub.n_edges == 1  # UNI - RC

    def test_years_range_and_list(self, supply_chain):
        assert supply_chain.select(years=(2020, 2021)).n_edges == 6
        assert supply_chain.select(years=[2023]).n_edges == 1
        assert supply_chain.select(years=2019).n_edges == 1

    def test_nodes_selection_dict(self, supply_chain):
        sub = supply_chain.select(nodes={"category": ["tier 1", "tier 2"]})
        assert sub.n_nodes == 5
        assert set(sub.edges["layer"]) == {"supply", "knowledge"}

    def test_drop_isolates(self, supply_chain):
        assert "ISO" not in supply_chain.select(drop_isolates=True).nodes.index

    def test_select_does_not_touch_original(self, supply_chain):
        before = supply_chain.edges.copy()
        supply_chain.select(layers="supply", kinds="supplier")
        pd.testing.assert_frame_equal(supply_chain.edges, before)

    def test_unknown_layer(self, supply_chain):
        with pytest.raises(ConfigError, match=r"unknown layer\(s\) 'ownership'.*'supply'"):
            supply_chain.select(layers="ownership")

    def test_unknown_kind(self, supply_chain):
        with pytest.raises(ConfigError, match=r"`kinds` must be among 'firm'"):
            supply_chain.select(kinds="university")

    def test_years_without_year_column(self, two_triangles):
        with pytest.raises(ConfigError, match="no `year` column"):
            two_triangles.select(years=2020)


class TestImmutability:
    def test_tables_are_copies(self, supply_chain):
        nodes = supply_chain.nodes
        nodes["name"] = "changed"
        nodes["extra"] = 1
        assert "extra" not in supply_chain.nodes.columns
        assert supply_chain.nodes.loc["OEM", "name"] == "Midland Motors"

    def test_annotate_returns_new_network(self, supply_chain):
        score = pd.Series({"OEM": 1.0, "T1a": 0.5}, name="score")
        net = supply_chain.annotate(score)
        assert "score" not in supply_chain.nodes.columns
        assert net.nodes.loc["OEM", "score"] == 1.0
        assert np.isnan(net.nodes.loc["UNI", "score"])

    def test_annotate_cannot_replace_required(self, supply_chain):
        with pytest.raises(ConfigError, match="required column"):
            supply_chain.annotate(pd.Series("x", index=supply_chain.nodes.index, name="kind"))


class TestSummary:
    def test_fixture_counts(self, supply_chain):
        s = supply_chain.summary()
        assert s["actors"] == 9
        assert s["actors[supplier]"] == 5
        assert s["actors[institution]"] == 3
        assert s["links[supply]"] == 6
        assert s["links[knowledge]"] == 5
        assert s["directed[supply]"] is True
        assert s["components"] == 2  # everything + the isolated training body
        assert s["largest_component"] == 8
        assert s["isolates"] == 1
        # distinct undirected pairs: 6 supply + 5 knowledge, minus none shared = 11 of 36
        assert s["density"] == pytest.approx(11 / 36)

    def test_repr(self, supply_chain):
        assert repr(supply_chain).startswith("<ClusterNetwork: 9 actors (1 firm, 5 supplier")


class TestFiles:
    def test_save_load_lossless(self, supply_chain, tmp_path):
        net = supply_chain.annotate(pd.Series({"OEM": "x"}, name="note"))
        path = tmp_path / "net.cmap"
        net.save(path)
        back = cm.ClusterNetwork.load(path)
        assert back.equals(net)
        pd.testing.assert_frame_equal(back.nodes, net.nodes)
        pd.testing.assert_frame_equal(back.edges, net.edges)
        assert back.directed == net.directed
        assert back.edges["year"].dtype == net.edges["year"].dtype

    def test_save_random_network(self, tmp_path):
        net = random_network(5)
        net.save(tmp_path / "r.cmap")
        assert cm.ClusterNetwork.load(tmp_path / "r.cmap").equals(net)

    def test_load_missing(self, tmp_path):
        with pytest.raises(InputError, match="no such file"):
            cm.ClusterNetwork.load(tmp_path / "nope.cmap")

    def test_load_not_a_network(self, tmp_path):
        bad = tmp_path / "bad.cmap"
        bad.write_text("hello")
        with pytest.raises(InputError, match=r"not a clustermap network file"):
            cm.ClusterNetwork.load(bad)


def test_constructor_checks_invariants():
    with pytest.raises(InputError, match="required column"):
        cm.ClusterNetwork(pd.DataFrame({"name": ["a"]}), pd.DataFrame())
    nodes = pd.DataFrame({"name": ["A"], "kind": ["firm"]}, index=["a"])
    edges = pd.DataFrame({"source": ["a"], "target": ["zz"], "layer": ["supply"]})
    with pytest.raises(InputError, match="not in the node table"):
        cm.ClusterNetwork(nodes, edges)


def test_to_networkx_node_attributes(supply_chain):
    G = supply_chain.to_networkx()
    assert G.nodes["UNI"]["category"] == "university"
    assert isinstance(G, nx.DiGraph)


def test_to_igraph_copies_carry_ids_counts_and_values_on_shared_views():
    """Internal views hold only the weight and are shared by what they hold; copies get the rest."""
    net = cm.from_tables(
        {"id": list("abc"), "name": list("ABC"), "kind": "firm"},
        {
            "source": ["a", "a", "b"],
            "target": ["b", "b", "c"],
            "layer": ["supply", "supply", "knowledge"],
            "weight": [1.0, 2.0, 5.0],
            "value": [10.0, 20.0, 1.0],
        },
    )
    g = net.to_igraph(layers=iter(["knowledge", "supply"]))  # an iterator is read once
    assert g.vs["name"] == ["a", "b", "c"]
    edges = {
        g.es[i].tuple: (g.es[i]["weight"], g.es[i]["count"], g.es[i]["value"])
        for i in range(g.ecount())
    }
    assert edges == {(0, 1): (3.0, 2, 30.0), (1, 2): (5.0, 1, 1.0), (2, 1): (5.0, 1, 1.0)}
    assert net._igraph(layers=["supply", "knowledge"]) is net._igraph()  # one view, one key
    assert net._igraph(layers="supply", directed=True) is net._igraph(layers="supply")
    assert net._igraph().es.attributes() == ["weight"]
    with pytest.raises(ConfigError, match="nope"):
        net.to_igraph(layers=["supply", "knowledge", "nope"])
