"""Tests of the two-mode loader: participations -> links between actors."""

from __future__ import annotations

import logging
import time

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clustermap as cm
from clustermap.errors import ConfigError, EmptyNetworkError, InputError
from clustermap.loaders import participations as part

CORDIS_KINDS = {
    "PRC": "firm",
    "HES": "institution",
    "REC": "institution",
    "PUB": "institution",
    "OTH": "institution",
}


def hand_table() -> pd.DataFrame:
    """Five projects, worked by hand below.

    P1: A, B, C   (3 partners: each pair gets 1/2)
    P2: A, B      (2 partners: 1), A is listed twice and counts once
    P3: B, C, D, E (4 partners: each pair gets 1/3)
    P4: F alone   (no pair, but F is an actor)
    """
    rows = [
        ("A", "P1", "HES"),
        ("B", "P1", "PRC"),
        ("C", "P1", "PRC"),
        ("A", "P2", "HES"),
        ("B", "P2", "PRC"),
        ("A", "P2", "HES"),
        ("B", "P3", "PRC"),
        ("C", "P3", "PRC"),
        ("D", "P3", "REC"),
        ("E", "P3", "PRC"),
        ("F", "P4", "PUB"),
    ]
    return pd.DataFrame(rows, columns=["org", "project", "org_type"])


def links(net: cm.ClusterNetwork) -> pd.DataFrame:
    e = net.edges
    return e.set_index(["source", "target"])


# ----------------------------------------------------------------- hand-worked


def test_newman_weights_by_hand():
    net = cm.from_participations(hand_table(), actor="org", event="project")
    e = links(net)
    third = 1 / 3
    expected = {
        ("A", "B"): 0.5 + 1.0,
        ("A", "C"): 0.5,
        ("B", "C"): 0.5 + third,
        ("B", "D"): third,
        ("B", "E"): third,
        ("C", "D"): third,
        ("C", "E"): third,
        ("D", "E"): third,
    }
    assert set(e.index) == set(expected)
    for pair, weight in expected.items():
        assert e.loc[pair, "weight"] == pytest.approx(weight)
    assert e.loc[("A", "B"), "events"] == 2
    assert e.loc[("A", "B"), "event_ids"] == "P1;P2"
    assert e.loc[("B", "C"), "event_ids"] == "P1;P3"
    assert e.loc[("D", "E"), "event_ids"] == "P3"
    # an actor's weights add up to the number of its events that had partners
    strength = (
        pd.concat(
            [
                net.edges.groupby("source")["weight"].sum(),
                net.edges.groupby("target")["weight"].sum(),
            ]
        )
        .groupby(level=0)
        .sum()
    )
    assert strength.to_dict() == pytest.approx({"A": 2.0, "B": 3.0, "C": 2.0, "D": 1.0, "E": 1.0})
    # every actor is a node, in order of appearance, named by its id, a firm by default
    assert net.nodes.index.tolist() == ["A", "B", "C", "D", "E", "F"]
    assert net.nodes["name"].tolist() == net.nodes.index.tolist()
    assert (net.nodes["kind"] == "firm").all()
    assert net.layers == ["knowledge"]
    assert not net.is_directed("knowledge")
    assert set(net.edges["type"]) == {"joint project"}
    assert net.meta["events"] == 4
    assert net.meta["events_linking"] == 3
    assert net.meta["participations"] == 11


def test_count_weights_by_hand():
    net = cm.from_participations(hand_table(), actor="org", event="project", weighting="count")
    e = links(net)
    assert e.loc[("A", "B"), "weight"] == 2.0
    assert e.loc[("B", "C"), "weight"] == 2.0
    assert e.loc[("D", "E"), "weight"] == 1.0
    assert (e["weight"] == e["events"]).all()


def test_max_event_size_skips_big_events_but_keeps_their_actors(caplog):
    with caplog.at_level(logging.WARNING, logger="clustermap.loaders.participations"):
        net = cm.from_participations(hand_table(), actor="org", event="project", max_event_size=3)
    assert "skipped 1 events with more than 3 participants" in caplog.text
    e = links(net)
    assert set(e.index) == {("A", "B"), ("A", "C"), ("B", "C")}
    assert e.loc[("B", "C"), "weight"] == pytest.approx(0.5)
    assert net.n_nodes == 6
    assert net.meta["events_skipped"] == 1


def test_dtypes_and_input_left_alone():
    table = hand_table()
    before = table.copy()
    net = cm.from_participations(table, actor="org", event="project")
    pd.testing.assert_frame_equal(table, before)
    e = net.edges
    assert e.columns.tolist() == [
        "source", "target", "layer", "weight", "type", "events", "event_ids",
    ]  # fmt: skip
    assert e["weight"].dtype == np.float64
    assert e["events"].dtype == np.int64
    for col in ("source", "target", "layer", "type", "event_ids"):
        assert str(e[col].dtype) == "str", col
    assert str(net.nodes.index.dtype) == "str"
    # the links pass every check of the validating loader
    again = cm.from_tables(net.nodes.reset_index(), e)
    pd.testing.assert_frame_equal(again.edges, e)


def test_layer_and_type_options_and_dict_input():
    table = hand_table()
    net = cm.from_participations(
        {"member": table["org"], "association": table["project"]},
        actor="member",
        event="association",
        layer="membership",
        link_type="co-membership",
    )
    assert net.directed == {"membership": False}
    assert set(net.edges["type"]) == {"co-membership"}


def test_numeric_ids_read_as_text():
    table = pd.DataFrame({"actor": [7.0, 8.0, 7.0, 9.0], "event": [1, 1, 2, 2]})
    net = cm.from_participations(table)
    assert net.nodes.index.tolist() == ["7", "8", "9"]
    assert set(links(net).index) == {("7", "8"), ("7", "9")}
    assert set(net.edges["event_ids"]) == {"1", "2"}


def test_rows_without_actor_or_event_are_dropped(caplog):
    table = pd.DataFrame({"actor": ["A", "B", None, "C"], "event": ["P", "P", "P", None]})
    with caplog.at_level(logging.WARNING):
        net = cm.from_participations(table)
    assert "dropped 2 participations" in caplog.text
    assert net.nodes.index.tolist() == ["A", "B"]
    assert net.edges["weight"].tolist() == [1.0]


def test_event_ids_are_capped(monkeypatch):
    monkeypatch.setattr(part, "MAX_EVENT_IDS", 2)
    table = pd.DataFrame({"actor": list("ABABAB"), "event": ["P1", "P1", "P2", "P2", "P3", "P3"]})
    net = cm.from_participations(table)
    assert net.edges["events"].tolist() == [3]
    assert net.edges["event_ids"].tolist() == ["P1;P2"]


def test_too_many_pairs_is_refused(monkeypatch):
    monkeypatch.setattr(part, "MAX_PAIRS", 5)
    with pytest.raises(ConfigError, match="max_event_size"):
        cm.from_participations(hand_table(), actor="org", event="project")
    # skipping the big event brings it under the limit
    net = cm.from_participations(hand_table(), actor="org", event="project", max_event_size=3)
    assert net.n_edges == 3


# ----------------------------------------------------------------- kinds


def test_kinds_from_a_type_column():
    net = cm.from_participations(
        hand_table(),
        actor="org",
        event="project",
        kind_column="org_type",
        kinds={"PRC": "firm", "HES": "institution", "REC": "institution", "PUB": "institution"},
    )
    assert net.nodes["kind"].to_dict() == {
        "A": "institution",
        "B": "firm",
        "C": "firm",
        "D": "institution",
        "E": "firm",
        "F": "institution",
    }
    assert net.nodes["org_type"].tolist() == ["HES", "PRC", "PRC", "REC", "PRC", "PUB"]


def test_kind_column_holding_kinds_and_missing_values():
    table = pd.DataFrame(
        {
            "actor": ["a", "b", "c", "a"],
            "event": ["x", "x", "x", "y"],
            "kind": ["Institutions", "firm", None, None],
        }
    )
    net = cm.from_participations(table, kind_column="kind")
    assert net.nodes["kind"].to_dict() == {"a": "institution", "b": "firm", "c": "firm"}


def test_unmapped_type_is_a_config_error():
    with pytest.raises(ConfigError, match=r"'PUB', 'REC'.*add them to `kinds`"):
        cm.from_participations(
            hand_table(),
            actor="org",
            event="project",
            kind_column="org_type",
            kinds={"PRC": "firm", "HES": "institution"},
        )
    with pytest.raises(ConfigError, match="pass `kinds`"):
        cm.from_participations(hand_table(), actor="org", event="project", kind_column="org_type")


def test_actors_table_gives_names_and_kinds(caplog):
    actors = pd.DataFrame(
        {
            "id": ["A", "B", "C", "D", "E", "Z"],
            "name": ["Uni A", "Bolt", "Cast", "Lab D", "Eng E", "Zed"],
            "kind": ["institution", "supplier", "supplier", "institution", "firm", "firm"],
            "country": ["UK", "DE", "DE", "FR", "FR", "IT"],
        }
    )
    with caplog.at_level(logging.WARNING):
        net = cm.from_participations(hand_table(), actor="org", event="project", actors=actors)
    assert "1 actors of the participations table are not in `actors`" in caplog.text
    nodes = net.nodes
    assert nodes.index.tolist() == ["A", "B", "C", "D", "E", "Z", "F"]
    assert nodes.loc["A", "name"] == "Uni A"
    assert nodes.loc["B", "kind"] == "supplier"
    assert nodes.loc["F", "name"] == "F"
    assert nodes.loc["F", "kind"] == "firm"
    assert nodes.loc["D", "country"] == "FR"
    # a kind column of the actors table, mapped, takes precedence over their kind column
    indexed = actors.set_index("id").assign(
        kind="firm", sort=["HES", "PRC", "PRC", "REC", "X", "X"]
    )
    net = cm.from_participations(
        hand_table(),
        actor="org",
        event="project",
        actors=indexed,
        kind_column="sort",
        kinds={"HES": "institution", "REC": "institution", "PRC": "supplier", "X": "firm"},
    )
    assert net.nodes["kind"].to_dict() == {
        "A": "institution",
        "B": "supplier",
        "C": "supplier",
        "D": "institution",
        "E": "firm",
        "Z": "firm",
        "F": "firm",
    }


def test_bad_actors_table_is_reported():
    actors = pd.DataFrame({"id": ["A", "A"], "name": ["x", "y"], "kind": ["firm", "firm"]})
    with pytest.raises(InputError, match="repeated"):
        cm.from_participations(hand_table(), actor="org", event="project", actors=actors)
    with pytest.raises(InputError, match="needs an 'id' column"):
        cm.from_participations(
            hand_table(), actor="org", event="project", actors=pd.DataFrame({"name": ["x"]})
        )
    with pytest.raises(InputError, match="kind 'company' is not one of"):
        cm.from_participations(
            hand_table(),
            actor="org",
            event="project",
            actors=pd.DataFrame({"id": ["A"], "name": ["x"], "kind": ["company"]}),
        )


# ----------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"weighting": "jaccard"}, ConfigError, "`weighting` must be one of 'newman', 'count'"),
        ({"max_event_size": 1}, ConfigError, "`max_event_size` must be"),
        ({"max_event_size": 2.5}, ConfigError, "`max_event_size` must be"),
        ({"max_event_size": True}, ConfigError, "`max_event_size` must be"),
        ({"event": "org"}, ConfigError, "`actor` and `event` must be different"),
        ({"kinds": {"PRC": "firm"}}, ConfigError, "give that column as `kind_column`"),
        (
            {"kind_column": "org_type", "kinds": {"PRC": "company"}},
            ConfigError,
            "`kinds` must map to one of 'firm', 'supplier', 'institution'",
        ),
        ({"layer": ""}, ConfigError, "`layer` must be a non-empty name"),
        ({"kind_column": "sector"}, InputError, "`kind_column` 'sector' is not a column"),
    ],
)
def test_bad_options(options, error, match):
    kwargs = {"actor": "org", "event": "project", **options}
    with pytest.raises(error, match=match):
        cm.from_participations(hand_table(), **kwargs)


def test_missing_columns_are_named():
    with pytest.raises(InputError, match=r"'organisation' are missing.*columns are: org, project"):
        cm.from_participations(hand_table(), actor="organisation", event="project")
    with pytest.raises(InputError, match="'actor', 'event' are missing"):
        cm.from_participations(hand_table())


def test_empty_tables():
    with pytest.raises(EmptyNetworkError, match="no participations"):
        cm.from_participations(pd.DataFrame({"actor": [], "event": []}))
    with pytest.raises(EmptyNetworkError, match="no participations"):
        cm.from_participations(pd.DataFrame({"actor": [None], "event": ["P"]}))


def test_table_must_be_a_table():
    with pytest.raises(ConfigError, match="`table` must be a pandas DataFrame"):
        cm.from_participations([("A", "P")])  # type: ignore[arg-type]


# ----------------------------------------------------------------- against networkx


participations = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 6)), min_size=1, max_size=60)


@settings(max_examples=40, deadline=None)
@given(participations)
def test_matches_networkx_projections(rows):
    table = pd.DataFrame(rows, columns=["actor", "event"]).astype(str)
    table["event"] = "P" + table["event"]
    B = nx.Graph()
    B.add_nodes_from(table["actor"], bipartite=0)
    B.add_edges_from(zip(table["actor"], table["event"], strict=True))
    actors = list(dict.fromkeys(table["actor"]))
    newman = nx.bipartite.collaboration_weighted_projected_graph(B, actors)
    count = nx.bipartite.weighted_projected_graph(B, actors)
    for weighting, G in (("newman", newman), ("count", count)):
        net = cm.from_participations(table, weighting=weighting)
        assert net.nodes.index.tolist() == actors
        got = {frozenset((s, t)): w for s, t, w in net.edges[["source", "target", "weight"]].values}
        want = {frozenset((u, v)): d["weight"] for u, v, d in G.edges(data=True)}
        assert got.keys() == want.keys()
        for pair, w in want.items():
            assert got[pair] == pytest.approx(w)
        shared = {frozenset((u, v)): len(set(B[u]) & set(B[v])) for u, v in count.edges()}
        events = {
            frozenset((s, t)): n for s, t, n in net.edges[["source", "target", "events"]].values
        }
        assert events == shared


# ----------------------------------------------------------------- real data


@pytest.mark.realdata
@pytest.mark.slow
def test_cordis_h2020_counts(realdata):
    """The counts given in ../shared/realdata/cordis_h2020/README.txt."""
    folder = realdata("cordis_h2020")
    table = cm.read_table(folder / "h2020.csv.gz")
    assert len(table) == 144_726
    start = time.perf_counter()
    net = cm.from_participations(
        table,
        actor="pic",
        event="rcn",
        kind_column="type",
        kinds=CORDIS_KINDS,
        max_event_size=60,
    )
    seconds = time.perf_counter() - start
    logging.getLogger(__name__).info("CORDIS H2020 projected in %.2f s", seconds)
    assert net.n_nodes == 35_871
    assert net.meta["events"] == 31_451
    assert net.nodes["type"].value_counts().to_dict() == {
        "PRC": 23_407,
        "OTH": 4_258,
        "REC": 3_065,
        "HES": 2_617,
        "PUB": 2_524,
    }
    assert net.nodes["kind"].value_counts().to_dict() == {"firm": 23_407, "institution": 12_464}
    # "one-mode projection (projects <= 60 partners) gives ~727k org-org edges"
    assert abs(net.n_edges - 727_000) < 0.005 * 727_000
    assert net.meta["events_skipped"] == int((table.groupby("rcn")["pic"].nunique() > 60).sum())
    everything = cm.from_participations(table, actor="pic", event="rcn")
    assert everything.meta["events_linking"] == 12_401  # multi-partner projects


# ----------------------------------------------------------------- command line


def test_command_line(tmp_path):
    from click.testing import CliRunner

    from clustermap.cli import main

    path = tmp_path / "participations.csv"
    hand_table().to_csv(path, index=False)
    out = tmp_path / "net.cmap"
    args = [
        "participations", str(path), "--actor", "org", "--event", "project",
        "--kind-column", "org_type", "--kinds", "PRC=firm,HES=institution",
        "--kinds", "REC=institution,PUB=institution", "--max-event-size", "3", "-o", str(out),
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "1 events over --max-event-size skipped" in result.output
    net = cm.ClusterNetwork.load(out)
    expected = cm.from_participations(
        hand_table(),
        actor="org",
        event="project",
        kind_column="org_type",
        kinds={"PRC": "firm", "HES": "institution", "REC": "institution", "PUB": "institution"},
        max_event_size=3,
    )
    pd.testing.assert_frame_equal(net.edges, expected.edges)
    assert net.nodes["kind"].equals(expected.nodes["kind"])

    bad = CliRunner().invoke(main, [*args[:6], "--kinds", "PRC", "-o", str(out)])
    assert bad.exit_code == 2
    assert "--kinds takes value=kind pairs" in bad.output
    missing = CliRunner().invoke(main, [*args[:3], "pic", *args[4:6], "-o", str(out)])
    assert missing.exit_code == 2
    assert "'pic' are missing" in missing.output
