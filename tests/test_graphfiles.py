"""from_networkx and the graph file readers (GraphML, GEXF, GML)."""

from __future__ import annotations

import logging

import networkx as nx
import pytest

import clustermap as cm
from clustermap.errors import InputError


def test_from_networkx_attributes_and_kinds():
    G = nx.DiGraph()
    G.add_node(1, name="Acme", kind="firm", region="UKG")
    G.add_node(2, label="Uni", kind="institution")
    G.add_node(3)
    G.add_edge(2, 1, strength=3.0)
    G.add_edge(3, 1, strength=1.0, layer="supply")
    net = cm.from_networkx(G, kind="supplier", layer="knowledge", weight="strength")
    nodes = net.nodes
    assert nodes.loc["1", "name"] == "Acme"
    assert nodes.loc["2", "name"] == "Uni"
    assert nodes.loc["3", "name"] == "3"
    assert nodes["kind"].to_dict() == {"1": "firm", "2": "institution", "3": "supplier"}
    assert net.is_directed("knowledge")  # the graph is directed
    edges = net.edges.set_index(["source", "target"])
    assert edges.loc[("2", "1"), "weight"] == 3.0
    assert edges.loc[("3", "1"), "layer"] == "supply"


def test_from_networkx_multigraph_keeps_parallel_edges():
    G = nx.MultiGraph()
    G.add_edge("a", "b", project="P1")
    G.add_edge("a", "b", project="P2")
    net = cm.from_networkx(G)
    assert net.n_edges == 2
    assert net.to_igraph().es["weight"] == [2.0]


def test_from_networkx_empty():
    with pytest.raises(InputError, match="no nodes"):
        cm.from_networkx(nx.Graph())


@pytest.mark.parametrize(
    ("writer", "reader", "suffix"),
    [
        (nx.write_graphml, cm.read_graphml, "graphml"),
        (nx.write_gexf, cm.read_gexf, "gexf"),
    ],
)
def test_graph_files_round_trip(tmp_path, writer, reader, suffix):
    G = nx.Graph()
    G.add_node("f1", name="Acme", kind="firm")
    G.add_node("u1", name="Uni", kind="institution")
    G.add_edge("f1", "u1", weight=2.0)
    path = tmp_path / f"g.{suffix}"
    writer(G, path)
    net = reader(path)
    assert sorted(net.nodes.index) == ["f1", "u1"]
    assert net.edges["weight"].tolist() == [2.0]
    assert net.meta == {"source": f"g.{suffix}"}


def test_read_gml_karate(realdata):
    net = cm.read_gml(realdata("community_benchmarks") / "karate_club.gml")
    assert (net.n_nodes, net.n_edges) == (34, 78)


def test_read_gml_les_miserables_weights(realdata):
    net = cm.read_gml(realdata("community_benchmarks") / "lesmis.gml", weight="value")
    assert (net.n_nodes, net.n_edges) == (77, 254)
    assert net.edges["weight"].sum() == 820.0
    assert "Valjean" in set(net.nodes["name"])


def test_unreadable_graph_file(tmp_path):
    bad = tmp_path / "bad.graphml"
    bad.write_text("<not graphml")
    with pytest.raises(InputError, match=r"bad\.graphml: not a readable GraphML file"):
        cm.read_graphml(bad)


GML_VALUE = (
    'graph [ node [ id 1 label "a" ] node [ id 2 label "b" ] node [ id 3 label "c" ]\n'
    "edge [ source 1 target 2 value 3 ] edge [ source 2 target 3 value 1.5 ] ]\n"
)


def test_lone_value_attribute_becomes_weight(tmp_path, caplog):
    path = tmp_path / "g.gml"
    path.write_text(GML_VALUE)
    with caplog.at_level(logging.WARNING, logger="clustermap"):
        net = cm.read_gml(path)
    assert net.edges["weight"].tolist() == [3.0, 1.5]
    assert "value" not in net.edges.columns
    assert "`value` attribute is read as the tie strength" in caplog.text


def test_weight_none_reads_ties_unweighted(tmp_path):
    path = tmp_path / "g.gml"
    path.write_text(GML_VALUE)
    net = cm.read_gml(path, weight="none")
    assert net.edges["weight"].tolist() == [1.0, 1.0]
    assert net.edges["value"].tolist() == [3.0, 1.5]


def test_weight_attribute_wins_over_value(tmp_path):
    path = tmp_path / "g.gml"
    path.write_text(GML_VALUE.replace("value 3 ]", "value 3 weight 7 ]"))
    net = cm.read_gml(path)
    assert net.edges["weight"].tolist() == [7.0, 1.0]


def test_les_miserables_value_is_weight_by_default(realdata):
    net = cm.read_gml(realdata("community_benchmarks") / "lesmis.gml")
    assert net.edges["weight"].sum() == 820.0


def test_graphml_with_dtd_refused(tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "x">]><graphml/>')
    with pytest.raises(InputError, match=r"g\.graphml: the file declares a DTD"):
        cm.read_graphml(path)
