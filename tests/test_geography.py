"""tie_geography: great-circle lengths, shares, the random-pair baseline."""

from __future__ import annotations

import numpy as np
import pytest

import clustermap as cm
from clustermap.analysis.geography import great_circle_km
from clustermap.errors import ConfigError, InputError


def _net() -> cm.ClusterNetwork:
    # a, b, c within a few km; d about 111 km north of a; e without coordinates
    nodes = {
        "id": list("abcde"),
        "name": list("ABCDE"),
        "kind": ["firm", "supplier", "institution", "supplier", "supplier"],
        "lat": [52.0, 52.0, 52.05, 53.0, None],
        "lon": [0.0, 0.05, 0.0, 0.0, None],
        "region": ["R", "R", "R", "S", "R"],
    }
    edges = {
        "source": ["b", "d", "c", "c", "e"],
        "target": ["a", "a", "a", "b", "a"],
        "layer": ["supply", "supply", "knowledge", "knowledge", "supply"],
    }
    return cm.from_tables(nodes, edges)


def test_great_circle_against_known_distances():
    # one degree of latitude is 111.2 km on a sphere of radius 6371 km
    assert great_circle_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.01)
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(np.pi * 6371.0088)
    assert great_circle_km(40.0, -74.0, 40.0, -74.0) == 0.0


def test_lengths_and_summary():
    geo = cm.tie_geography(_net(), distances=(10, 50), seed=1)
    t = geo.ties
    assert t["km"].round(1).tolist()[:2] == [3.4, 111.2]
    assert np.isnan(t["km"].iloc[4])
    assert t["kinds"].tolist()[:3] == ["firm-supplier", "firm-supplier", "firm-institution"]
    s = geo.summary
    sup = s.loc[("supply", "firm-supplier")]
    assert sup["ties"] == 3
    assert sup["with_coordinates"] == 2
    assert sup["share_within_10km"] == 0.5
    assert sup["share_same_region"] == pytest.approx(2 / 3)
    assert geo.decay.groupby("layer")["tie_share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert set(geo.to_sheets()) == {"summary", "decay", "ties"}


def test_random_baseline_is_seeded_and_clustered_ties_are_shorter():
    net = cm.make_cluster(n_actors=150, seed=4)
    one = cm.tie_geography(net, seed=3, random_pairs=5000)
    two = cm.tie_geography(net, seed=3, random_pairs=5000)
    assert one.decay.equals(two.decay)
    d = one.decay[one.decay["layer"] == "supply"]
    near = d[d["band"].isin(["0-1 km", "1-5 km", "5-10 km"])]
    # the generator puts suppliers near their buyers: short ties beat random pairs
    assert near["tie_share"].sum() > near["random_share"].sum()


def test_errors():
    with pytest.raises(ConfigError, match="`by` names 'colour'"):
        cm.tie_geography(_net(), by=("colour",))
    bare = cm.from_tables(
        {"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"},
        {"source": ["a"], "target": ["b"], "layer": ["supply"]},
    )
    with pytest.raises(InputError, match="needs 'lat'"):
        cm.tie_geography(bare)
