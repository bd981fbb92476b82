"""Tests of ClusterNetwork.snapshots: periods, windows, cumulative, entered/exited, errors."""

from __future__ import annotations

import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, EmptyNetworkError, InputError


def _dated(years, nodes_extra=None):
    ids = ["a", "b", "c", "d"]
    nodes = pd.DataFrame({"id": ids, "name": [x.upper() for x in ids], "kind": "firm"})
    for col, values in (nodes_extra or {}).items():
        nodes[col] = values
    pairs = [("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")]
    edges = pd.DataFrame(pairs[: len(years)], columns=["source", "target"])
    edges["layer"] = "knowledge"
    edges["year"] = years
    return cm.from_tables(nodes, edges)


def test_yearly_snapshots_by_hand(four_actors_two_years):
    snaps = four_actors_two_years.snapshots()
    assert list(snaps) == ["2019", "2020"]
    assert sorted(snaps["2019"].nodes.index) == ["F1", "F2", "S"]
    assert sorted(snaps["2020"].nodes.index) == ["F1", "F2", "U"]
    assert snaps["2019"].n_edges == 3
    assert snaps["2020"].n_edges == 3
    assert snaps["2020"].meta["period"] == "2020"
    assert snaps["2020"].meta["period_first"] == 2020
    assert snaps["2019"].is_directed("supply")


@pytest.mark.parametrize(
    ("kwargs", "labels", "ties"),
    [
        ({}, ["2015", "2016", "2017", "2018"], [1, 1, 1, 1]),
        ({"window": 2}, ["2015-2016", "2016-2017", "2017-2018"], [2, 2, 2]),
        ({"window": 2, "step": 2}, ["2015-2016", "2017-2018"], [2, 2]),
        ({"cumulative": True}, ["2015", "2015-2016", "2015-2017", "2015-2018"], [1, 2, 3, 4]),
        ({"window": 9}, ["2015-2023"], [4]),
        ({"periods": [(2015, 2015), (2017, 2018)]}, ["2015", "2017-2018"], [1, 2]),
    ],
)
def test_windows_steps_and_cumulative(kwargs, labels, ties):
    snaps = _dated([2015, 2016, 2017, 2018]).snapshots(**kwargs)
    assert list(snaps) == labels
    assert [s.n_edges for s in snaps.values()] == ties


def test_actors_follow_their_ties_in_each_period():
    snaps = _dated([2015, 2016, 2017, 2018]).snapshots()
    assert sorted(snaps["2015"].nodes.index) == ["a", "b"]
    assert sorted(snaps["2017"].nodes.index) == ["c", "d"]


def test_entered_and_exited_columns_decide_who_is_present():
    net = _dated(
        [2015, 2016, 2017, 2018],
        {"entered": [None, 2016, None, 2018], "exited": [2016, None, None, None]},
    )
    snaps = net.snapshots()
    # a exits after 2016; b enters in 2016; d in 2018; c is always there, tie or not
    assert sorted(snaps["2015"].nodes.index) == ["a", "c"]
    assert sorted(snaps["2016"].nodes.index) == ["a", "b", "c"]
    assert sorted(snaps["2017"].nodes.index) == ["b", "c"]
    assert sorted(snaps["2018"].nodes.index) == ["b", "c", "d"]
    # the 2015 tie a-b has b absent, so it does not count
    assert snaps["2015"].n_edges == 0
    assert snaps["2018"].n_edges == 0  # a-d, a has exited


def test_undated_links_are_left_out_and_logged(caplog):
    net = _dated([2015, None, 2016])
    with caplog.at_level("INFO", logger="clustermap"):
        snaps = net.snapshots()
    assert [s.n_edges for s in snaps.values()] == [1, 1]
    assert "1 links without" in caplog.text


def test_errors_are_clear():
    net = _dated([2015, 2016])
    with pytest.raises(ConfigError, match="no 'when' column"):
        net.snapshots("when")
    with pytest.raises(ConfigError, match="at least 1"):
        net.snapshots(window=0)
    with pytest.raises(ConfigError, match="whole number"):
        net.snapshots(step=1.5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="ends before it starts"):
        net.snapshots(periods=[(2016, 2015)])
    with pytest.raises(EmptyNetworkError, match="2030-2032 have no links"):
        net.snapshots(periods=[(2015, 2016), (2030, 2032)])
    with pytest.raises(EmptyNetworkError, match="no link has a 'year'"):
        _dated([None, None]).snapshots()
    bad = _dated([2015, 2016], {"entered": ["x", None, None, None]})
    with pytest.raises(InputError, match=r"'entered' must hold years.*rows \[2\]"):
        bad.snapshots()


def test_snapshots_do_not_change_the_network(four_actors_two_years):
    before = four_actors_two_years.edges.copy()
    four_actors_two_years.snapshots(window=2)
    pd.testing.assert_frame_equal(four_actors_two_years.edges, before)
