"""Tests of network_indicators: hand-worked values, networkx cross-checks, resampling, errors."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.analysis.communities import seeded_igraph
from clustermap.analysis.indicators import INDICATORS, frame_of, measure, resample, rewire
from clustermap.errors import ConfigError, EmptyNetworkError


def test_four_actors_two_years_by_hand(four_actors_two_years):
    table = cm.network_indicators(four_actors_two_years.snapshots(), groups="team")
    assert table.index.tolist() == ["2019", "2020"]
    expected = {
        # 2019: triangle F1, F2, S; 2020: triangle F1, F2, U
        "actors": [3, 3],
        "actors[firm]": [2, 2],
        "actors[supplier]": [1, 0],
        "actors[institution]": [0, 1],
        "ties": [3, 3],
        "ties[knowledge]": [1, 3],
        "ties[supply]": [2, 0],
        "ties[firm-firm]": [1, 1],
        "ties[firm-supplier]": [2, 0],
        "ties[firm-institution]": [0, 2],
        "density": [1.0, 1.0],
        "mean_degree": [2.0, 2.0],
        "clustering": [1.0, 1.0],
        "components": [1, 1],
        "largest_component_share": [1.0, 1.0],
        "firm_institution_share": [0.0, 2 / 3],
        # teams: F1, F2 in A; S, U in B: only F1-F2 is inside
        "community_inside_share": [1 / 3, 1 / 3],
        # regions: S is in R2, the rest in R1
        "local_share": [1 / 3, 1.0],
        # no institution in 2019; both firms next to U in 2020 (S is a firm too)
        "institution_reach": [0.0, 1.0],
        "degree_centralisation": [0.0, 0.0],
    }
    for column, values in expected.items():
        assert table[column].tolist() == pytest.approx(values), column
    assert table.attrs["method"] == "network_indicators"
    assert table.attrs["layers"] == ["knowledge", "supply"]


def test_path_and_star_by_hand():
    nodes = {"id": list("abcu"), "name": list("ABCU"), "kind": ["firm"] * 3 + ["institution"]}
    # path c - b - a - u: c is three steps from u
    path = cm.from_tables(
        nodes, {"source": ["c", "b", "a"], "target": ["b", "a", "u"], "layer": "knowledge"}
    )
    row = cm.network_indicators(path).iloc[0]
    assert row["institution_reach"] == pytest.approx(2 / 3)
    assert row["clustering"] == 0.0
    # degrees 1, 2, 2, 1: sum(2 - k) = 2 over (n-1)(n-2) = 6
    assert row["degree_centralisation"] == pytest.approx(1 / 3)
    star = cm.from_tables(
        nodes, {"source": ["u", "u", "u"], "target": ["a", "b", "c"], "layer": "knowledge"}
    )
    assert cm.network_indicators(star).iloc[0]["degree_centralisation"] == pytest.approx(1.0)
    assert cm.network_indicators(star).iloc[0]["clustering"] == 0.0  # triples, no triangle


def test_isolates_and_components():
    net = cm.from_tables(
        {"id": list("abcde"), "name": list("ABCDE"), "kind": "firm"},
        {"source": ["a", "c"], "target": ["b", "d"], "layer": "knowledge"},
    )
    row = cm.network_indicators(net).iloc[0]
    assert row["components"] == 3
    assert row["largest_component_share"] == pytest.approx(0.4)
    assert np.isnan(row["clustering"])  # no connected triple
    assert row["institution_reach"] == 0.0  # firms but no institution


def test_against_networkx_on_a_generated_cluster():
    net = cm.make_cluster(n_actors=400, seed=11)
    year = net.snapshots()["2020"]
    row = cm.network_indicators(year).iloc[0]
    G = nx.Graph()
    G.add_nodes_from(year.nodes.index)
    G.add_edges_from(
        (s, t) for s, t in zip(year.edges["source"], year.edges["target"], strict=True) if s != t
    )
    assert row["ties"] == G.number_of_edges()
    assert row["density"] == pytest.approx(nx.density(G))
    assert row["clustering"] == pytest.approx(nx.transitivity(G))
    assert row["components"] == nx.number_connected_components(G)
    biggest = max(len(c) for c in nx.connected_components(G))
    assert row["largest_component_share"] == pytest.approx(biggest / G.number_of_nodes())
    kind = year.nodes["kind"]
    firms = [n for n in G if kind[n] in ("firm", "supplier")]
    inst = [n for n in G if kind[n] == "institution"]
    near = set()
    for u in inst:
        near |= set(nx.single_source_shortest_path_length(G, u, cutoff=2))
    assert row["institution_reach"] == pytest.approx(sum(f in near for f in firms) / len(firms))
    region = year.nodes["region"]
    local = [region[s] == region[t] for s, t in G.edges]
    assert row["local_share"] == pytest.approx(np.mean(local))


def test_every_column_has_a_meaning(four_actors_two_years):
    table = cm.network_indicators(four_actors_two_years.snapshots(), groups="team")
    for col in table.columns:
        key = (
            col
            if col in INDICATORS
            else col.split("[")[0]
            + "["
            + ("kind-kind" if "-" in col else ("kind" if col.startswith("actors") else "layer"))
            + "]"
        )
        assert key in INDICATORS, col


def test_groups_as_partition_and_series(four_actors_two_years):
    snaps = four_actors_two_years.snapshots()
    series = pd.Series({"F1": 1, "F2": 2, "S": 1, "U": 1})
    table = cm.network_indicators(snaps, groups=series)
    # 2019: F1-S inside; 2020: F1-U inside
    assert table["community_inside_share"].tolist() == pytest.approx([1 / 3, 1 / 3])
    part = cm.find_communities(four_actors_two_years, seed=1)
    assert "community_inside_share" in cm.network_indicators(snaps, groups=part).columns
    assert "community_inside_share" not in cm.network_indicators(snaps).columns


def test_layers_option(four_actors_two_years):
    table = cm.network_indicators(four_actors_two_years.snapshots(), layers="knowledge")
    assert table["ties"].tolist() == [1, 3]
    assert "ties[supply]" not in table.columns


def test_errors(four_actors_two_years):
    with pytest.raises(EmptyNetworkError, match="no period"):
        cm.network_indicators({})
    with pytest.raises(ConfigError, match="unknown layer"):
        cm.network_indicators(four_actors_two_years, layers="ownership")
    with pytest.raises(ConfigError, match="not a node column"):
        cm.network_indicators(four_actors_two_years, groups="nope")
    with pytest.raises(ConfigError, match="must be a ClusterNetwork"):
        cm.network_indicators([four_actors_two_years])  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="every period"):
        cm.network_indicators({"x": 1})  # type: ignore[dict-item]


def test_resample_copies_ties_between_copies():
    net = cm.from_tables(
        {"id": list("ab"), "name": list("AB"), "kind": "firm"},
        {"source": ["a"], "target": ["b"], "layer": "knowledge"},
    )
    frame = frame_of(net, ["knowledge"])
    # a twice, b once: both copies of a are tied to b, not to each other
    twice = resample(frame, np.array([0, 0, 1]))
    assert sorted(zip(twice.u.tolist(), twice.v.tolist(), strict=True)) == [(0, 2), (1, 2)]
    same = resample(frame, np.array([0, 1]))
    pd.testing.assert_series_equal(pd.Series(measure(same)), pd.Series(measure(frame)))


def test_rewire_keeps_every_degree_per_layer():
    net = cm.make_cluster(n_actors=300, seed=4)
    frame = frame_of(net, net.layers)
    with seeded_igraph(3):
        rewired = rewire(frame)
    for code in range(len(frame.layers)):
        a = frame.layer == code
        b = rewired.layer == code
        deg_a = np.bincount(frame.u[a], minlength=frame.n) + np.bincount(
            frame.v[a], minlength=frame.n
        )
        deg_b = np.bincount(rewired.u[b], minlength=frame.n) + np.bincount(
            rewired.v[b], minlength=frame.n
        )
        assert (deg_a == deg_b).all()
    assert not np.array_equal(frame.u, rewired.u)
