"""Tests of compare_networks: every table by hand on four actors, events, uncertainty, errors."""

from __future__ import annotations

import igraph as ig
import numpy as np
import openpyxl
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, EmptyNetworkError


@pytest.fixture
def comparison(four_actors_two_years):
    snaps = four_actors_two_years.snapshots()
    return cm.compare_networks(
        snaps["2019"], snaps["2020"], groups="team", bootstrap=50, null_models=5, seed=3
    )


def test_actors_by_hand(comparison):
    actors = comparison.actors
    assert actors["status"].to_dict() == {
        "F1": "stayed",
        "F2": "stayed",
        "S": "left",
        "U": "entered",
    }
    assert actors.loc["U", "kind"] == "institution"
    assert actors.index.name == "id"
    counts = comparison.actor_counts
    assert counts.loc["firm"].tolist() == [2, 2, 0, 0, 2]
    assert counts.loc["supplier"].tolist() == [1, 0, 0, 1, 0]
    assert counts.loc["institution"].tolist() == [0, 1, 1, 0, 0]
    assert counts.loc["all"].tolist() == [3, 3, 1, 1, 2]
    assert counts.columns.tolist() == ["before", "after", "entered", "left", "stayed"]


def test_ties_by_hand(comparison):
    ties = comparison.ties.set_index(["source", "target", "layer"])
    assert ties.loc[("F1", "F2", "knowledge")].to_dict() == {
        "change": "kept",
        "weight_before": 1.0,
        "weight_after": 3.0,
        "kind_pair": "firm-firm",
    }
    assert ties.loc[("S", "F1", "supply"), "change"] == "dissolved"
    assert ties.loc[("S", "F1", "supply"), "weight_before"] == 2.0
    assert ties.loc[("S", "F1", "supply"), "kind_pair"] == "firm-supplier"
    assert ties.loc[("F1", "U", "knowledge"), "change"] == "formed"
    assert ties.loc[("F2", "U", "knowledge"), "kind_pair"] == "firm-institution"
    assert len(ties) == 5
    assert set(comparison.ties.columns) >= {
        "source", "target", "layer", "change", "weight_before", "weight_after"
    }  # fmt: skip
    counts = comparison.tie_counts
    assert counts.loc[("knowledge", "firm-firm")].tolist() == [1, 1, 0, 0, 1]
    assert counts.loc[("knowledge", "firm-institution")].tolist() == [0, 2, 2, 0, 0]
    assert counts.loc[("knowledge", "all")].tolist() == [1, 3, 2, 0, 1]
    assert counts.loc[("supply", "firm-supplier")].tolist() == [2, 0, 0, 2, 0]
    assert counts.loc[("supply", "all")].tolist() == [2, 0, 0, 2, 0]
    assert ("supply", "firm-institution") not in counts.index


def test_indicators_by_hand(comparison):
    ind = comparison.indicators
    assert ind.loc["ties[supply]", ["before", "after", "difference"]].tolist() == [2, 0, -2]
    assert ind.loc["firm_institution_share", "difference"] == pytest.approx(2 / 3)
    assert ind.loc["local_share", "difference"] == pytest.approx(2 / 3)
    assert ind.loc["institution_reach", "difference"] == pytest.approx(1.0)
    assert ind.loc["density", "difference"] == 0.0
    assert (ind["meaning"].str.len() > 10).all()
    # the degrees fix density: no null test for it
    assert np.isnan(ind.loc["density", "null_p"])
    assert comparison.to_frame() is ind


def test_actor_change_by_hand(comparison):
    ch = comparison.actor_change
    assert ch.loc["F1", ["degree_before", "degree_after"]].tolist() == [2, 2]
    assert ch.loc["F1", ["strength_before", "strength_after"]].tolist() == [3, 4]
    assert ch.loc["F2", ["strength_before", "strength_after"]].tolist() == [2, 4]
    assert ch.loc["S", "strength_before"] == 3
    assert np.isnan(ch.loc["S", "strength_after"])
    assert ch.loc["U", "strength_after"] == 2
    assert ch.loc["F1", ["new_partners", "lost_partners", "kept_partners"]].tolist() == [1, 1, 1]
    assert ch.loc["U", ["new_partners", "lost_partners", "kept_partners"]].tolist() == [2, 0, 0]
    assert ch.loc["S", ["new_partners", "lost_partners", "kept_partners"]].tolist() == [0, 2, 0]
    assert pd.isna(ch.loc["U", "rank_change"])
    assert not pd.isna(ch.loc["F1", "rank_change"])


def test_community_tables_by_hand(comparison):
    flows = comparison.community_flows.set_index(["before", "after"])["actors"].to_dict()
    assert flows == {("A", "A"): 2, ("B", "left"): 1, ("entered", "B"): 1}
    # all communities are below three actors: no events
    assert set(comparison.communities["event"]) == {"small"}
    agree = comparison.community_agreement["value"]
    assert agree["actors_compared"] == 2
    assert agree["ari"] == 1.0


def _membership_net(ids):
    nodes = pd.DataFrame({"id": ids, "name": ids, "kind": "firm"})
    edges = pd.DataFrame({"source": ids[:1], "target": ids[1:2], "layer": "knowledge"})
    return cm.from_tables(nodes, edges)


def test_merge_split_appear_vanish():
    p = [f"p{i}" for i in range(4)]
    q = [f"q{i}" for i in range(4)]
    r = [f"r{i}" for i in range(6)]
    v = [f"v{i}" for i in range(3)]
    n = [f"n{i}" for i in range(3)]
    before = pd.Series({**dict.fromkeys(p, "P"), **dict.fromkeys(q, "Q"),
                        **dict.fromkeys(r, "R"), **dict.fromkeys(v, "V")})  # fmt: skip
    after = pd.Series({**dict.fromkeys(p + q, "M"), **dict.fromkeys(r[:3], "R1"),
                       **dict.fromkeys(r[3:], "R2"), **dict.fromkeys(n, "N")})  # fmt: skip
    result = cm.compare_networks(
        _membership_net(list(before.index)),
        _membership_net(list(after.index)),
        groups=(before, after),
        bootstrap=0,
        null_models=0,
    )
    events = result.communities.set_index(["period", "community"])["event"].to_dict()
    assert events == {
        ("before", "P"): "merged",
        ("before", "Q"): "merged",
        ("before", "R"): "split",
        ("before", "V"): "vanished",
        ("after", "M"): "merged",
        ("after", "R1"): "split",
        ("after", "R2"): "split",
        ("after", "N"): "appeared",
    }
    row = result.communities.set_index(["period", "community"]).loc[("before", "P")]
    assert row["best_match"] == "M"
    assert row["jaccard"] == pytest.approx(0.5)
    assert row["matched"] == "M"
    agree = result.community_agreement["value"]
    assert agree["actors_compared"] == 14
    cmp = cm.compare_partitions(before.reindex(p + q + r), after.reindex(p + q + r))
    assert agree["ari"] == pytest.approx(cmp.ari)


def test_bootstrap_is_seeded_and_covers_the_difference():
    net = cm.make_cluster(n_actors=300, seed=2)
    snaps = net.snapshots(periods=[(2015, 2017), (2022, 2024)])
    a = cm.compare_networks(*snaps.values(), bootstrap=60, null_models=4, seed=7)
    b = cm.compare_networks(*snaps.values(), bootstrap=60, null_models=4, seed=7)
    c = cm.compare_networks(*snaps.values(), bootstrap=60, null_models=4, seed=8)
    cols = ["ci_low", "ci_high", "null_difference", "null_p"]
    pd.testing.assert_frame_equal(a.indicators[cols], b.indicators[cols])
    assert not a.indicators[cols].equals(c.indicators[cols])
    assert a.provenance["seed"] == 7
    ind = a.indicators.dropna(subset=["ci_low"])
    inside = (ind["ci_low"] <= ind["difference"] + 1e-9) & (
        ind["difference"] <= ind["ci_high"] + 1e-9
    )
    assert inside.mean() > 0.8


def test_null_model_flags_a_change_the_degrees_do_not_explain():
    # a ring lattice (every actor tied to its 4 nearest) against the same degrees rewired
    lattice = ig.Graph.Lattice([60], nei=2, circular=True)
    rewired = lattice.copy()
    import random

    ig.set_random_number_generator(random.Random(1))
    rewired.rewire(n=2000)
    ig.set_random_number_generator(random)
    ids = [f"a{i:02d}" for i in range(60)]

    def net_of(g):
        e = np.array(g.get_edgelist())
        return cm.from_tables(
            {"id": ids, "name": ids, "kind": "firm"},
            {"source": [ids[i] for i in e[:, 0]], "target": [ids[j] for j in e[:, 1]],
             "layer": "knowledge"},
        )  # fmt: skip

    result = cm.compare_networks(
        net_of(lattice), net_of(rewired), groups=False, bootstrap=20, null_models=19, seed=1
    )
    row = result.indicators.loc["clustering"]
    assert row["before"] == pytest.approx(0.5)
    assert row["difference"] < -0.3
    assert abs(row["null_difference"]) < 0.1
    assert row["null_p"] == pytest.approx(1 / 20)
    assert np.isnan(result.indicators.loc["mean_degree", "null_p"])


def test_sheets_and_workbook(comparison, tmp_path):
    sheets = comparison.to_sheets()
    assert list(sheets) == [
        "indicators", "actor_counts", "actors", "tie_counts", "ties", "actor_change",
        "communities", "community_flows", "community_agreement",
    ]  # fmt: skip
    path = cm.write_excel(comparison, tmp_path / "cmp.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames[-1] == "about"
    assert len(book.sheetnames) == len(sheets) + 1
    assert "compare_networks" in repr(comparison.provenance)
    assert comparison.provenance["periods"] == "2019 vs 2020"
    assert repr(comparison).startswith("<NetworkComparison 2019 -> 2020: actors +1 -1 =2")


def test_without_groups_and_layers(four_actors_two_years):
    snaps = four_actors_two_years.snapshots()
    result = cm.compare_networks(
        snaps["2019"], snaps["2020"], layers="knowledge", groups=False, bootstrap=0, null_models=0
    )
    assert result.communities is None
    assert "communities" not in result.to_sheets()
    assert set(result.ties["layer"]) == {"knowledge"}
    assert result.indicators["ci_low"].isna().all()


def test_communities_found_by_default():
    net = cm.make_cluster(n_actors=200, seed=3)
    snaps = net.snapshots(periods=[(2015, 2018), (2021, 2024)])
    result = cm.compare_networks(*snaps.values(), bootstrap=0, null_models=0, seed=1)
    assert result.community_flows["actors"].sum() == len(result.actors)
    assert "found with find_communities" in result.provenance["parameters"]["groups"]


def test_errors(four_actors_two_years):
    snaps = four_actors_two_years.snapshots()
    b, a = snaps["2019"], snaps["2020"]
    with pytest.raises(ConfigError, match="unknown layer"):
        cm.compare_networks(b, a, layers="ownership")
    with pytest.raises(ConfigError, match="`bootstrap` must be a whole number"):
        cm.compare_networks(b, a, bootstrap=-1)
    with pytest.raises(ConfigError, match="two partitions"):
        cm.compare_networks(b, a, groups=("team",))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="must be a ClusterNetwork"):
        cm.compare_networks(b, "x")  # type: ignore[arg-type]
    empty = b.select(nodes=["F1"]).select(kinds="institution")
    with pytest.raises(EmptyNetworkError, match="`after` has no actors"):
        cm.compare_networks(b, empty)


def test_a_star_with_one_actor_staying():
    ids = ["A"] + [f"s{i:02d}" for i in range(30)]
    net = cm.from_tables(
        {"id": ids, "name": ids, "kind": ["firm"] + ["supplier"] * 30},
        {"source": ids[1:], "target": "A", "layer": "supply", "year": [2020] * 15 + [2021] * 15},
    )
    s = net.snapshots()
    result = cm.compare_networks(s["2020"], s["2021"], seed=1, bootstrap=20, null_models=5)
    assert result.actor_counts.loc["all", ["entered", "left", "stayed"]].tolist() == [15, 15, 1]
    agree = result.community_agreement["value"]
    assert agree["actors_compared"] == 1
    assert np.isnan(agree["ari"])
    # a star cannot be rewired: the null model leaves it as it is
    assert result.indicators.loc["degree_centralisation", "before"] == 1.0
