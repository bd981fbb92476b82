"""Tests for suggest_duplicates and merge_actors (clustermap.graphs.duplicates)."""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError
from clustermap.graphs.duplicates import normalise_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Catcher Technology Co., Ltd.", "catcher technology"),
        ("Catcher Technology Company Limited", "catcher technology"),
        ("MÜLLER PRÄZISION G.m.b.H.", "muller prazision"),
        ("Fiat Chrysler S.p.A.", "fiat chrysler"),
        ("Nokia Oyj", "nokia"),
        ("Volvo AB", "volvo"),
        ("Siemens AG", "siemens"),
        ("Airbus SE", "airbus"),
        ("Renault S.A.", "renault"),
        ("Acme, Inc.", "acme"),
        ("Acme LLC", "acme"),
        ("Acme Corp.", "acme"),
        ("AT & S\nAustria", "at and s austria"),
        ("Ltd", "ltd"),  # nothing but a legal form: kept as it is
        (None, ""),
    ],
)
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


@pytest.fixture
def net() -> cm.ClusterNetwork:
    """Two spellings of Müller and of Bolt in DE1, a Müller in DE2, a near-Bolt."""
    nodes = pd.DataFrame(
        {
            "id": ["f1", "f2", "f3", "f4", "f5", "f6", "c1", "u1"],
            "name": [
                "Müller Präzision GmbH",
                "MÜLLER PRÄZISION G.m.b.H.",
                "Müller Präzision AG",
                "Bolt Ltd",
                "Bolt Limited",
                "Bolts Ltd",
                "Carmaker",
                "Uni",
            ],
            "kind": ["supplier"] * 6 + ["firm", "institution"],
            "region": ["DE1", "DE1", "DE2", "DE1", "DE1", "DE1", "DE1", "DE1"],
            "employees": [120, np.nan, 50, 10, 12, np.nan, 900, np.nan],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["f1", "f2", "f2", "f4", "f5", "f5", "f6", "u1", "f4"],
            "target": ["c1", "c1", "u1", "c1", "c1", "u1", "c1", "f5", "f5"],
            "layer": ["supply"] * 5 + ["knowledge", "supply", "knowledge", "supply"],
            "weight": [1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 1.0, 2.0, 1.0],
            "year": [2020, 2020, 2020, 2021, 2021, 2021, 2020, 2022, 2021],
        }
    )
    return cm.from_tables(nodes, edges)


def test_suggest_by_hand(net):
    dup = cm.suggest_duplicates(net)  # within region, threshold 90
    rows = dup[["group", "id", "keep_id", "score", "same_name", "shared_partners"]]
    # f2 has two partners (c1, u1), f1 one: f2 is kept; they share c1.
    # f5 has three partners (c1, u1, f4), f4 two (c1, f5): f5 kept; they share c1.
    # f3 is in DE2, f6 ('bolts', 88.9 against 'bolt') is below 90.
    assert rows.values.tolist() == [
        [1, "f1", "f2", 100.0, True, 1],
        [2, "f4", "f5", 100.0, True, 1],
    ]
    assert dup.loc[0, "region"] == "DE1"
    assert "same name" in dup.loc[0, "reason"]
    assert "same region" in dup.loc[0, "reason"]
    assert "1 shared partners" in dup.loc[0, "reason"]
    assert dup.attrs["method"] == "suggest_duplicates"
    assert dup.attrs["parameters"]["threshold"] == 90.0


def test_suggest_options(net):
    everywhere = cm.suggest_duplicates(net, within=None).set_index("id")
    assert sorted(everywhere.index) == ["f1", "f3", "f4"]
    assert "same region" in everywhere.loc["f1", "reason"]  # both DE1
    assert "same region" not in everywhere.loc["f3", "reason"]  # DE2 against DE1
    looser = cm.suggest_duplicates(net, threshold=85)
    bolts = looser[looser["keep_id"] == "f5"].set_index("id")
    assert bolts.loc["f6", "score"] == 88.9
    assert "similar names (88.9 of 100)" in bolts.loc["f6", "reason"]
    none = cm.suggest_duplicates(net.select(nodes=["c1", "u1"]))
    assert none.empty
    assert "keep_id" in none.columns


@pytest.mark.parametrize("bad", [-1, 100.5, "90", True])
def test_threshold_range(net, bad):
    with pytest.raises(ConfigError, match="`threshold` must be"):
        cm.suggest_duplicates(net, threshold=bad)


def test_suggest_bad_columns(net):
    with pytest.raises(ConfigError, match=r"`within` names column\(s\) 'city'"):
        cm.suggest_duplicates(net, within="city")
    with pytest.raises(ConfigError, match="`by` names column"):
        cm.suggest_duplicates(net, by=("label",))


def test_merge_by_hand(net, caplog):
    with caplog.at_level(logging.WARNING, logger="clustermap"):
        merged = cm.merge_actors(net, {"f1": "f2", "f4": "f5"})
    assert merged.n_nodes == 6
    e = merged.edges
    got = sorted(zip(e["source"], e["target"], e["layer"], e["year"], e["weight"], strict=True))
    assert got == [
        ("f2", "c1", "supply", 2020, 3.0),  # f1->c1 (1) + f2->c1 (2), same year
        ("f2", "u1", "supply", 2020, 1.0),
        ("f5", "c1", "supply", 2021, 4.0),  # f4->c1 (1) + f5->c1 (3)
        ("f5", "u1", "knowledge", 2021, 1.0),
        ("f5", "u1", "knowledge", 2022, 2.0),  # undirected u1-f5, another year: kept apart
        ("f6", "c1", "supply", 2020, 1.0),
    ]
    nodes = merged.nodes
    assert nodes.loc["f2", "employees"] == 120  # first non-missing
    assert nodes.loc["f5", "employees"] == 12  # the kept actor's value wins
    assert nodes.loc["f2", "merged_ids"] == "f1"
    assert nodes.loc["f2", "name"] == "MÜLLER PRÄZISION G.m.b.H."
    record = merged.meta["merges"][0]
    assert record["actors_merged"] == 2
    assert record["links_dropped"] == 1  # f4 -> f5 became a self-loop
    assert record["links_combined"] == 2
    assert record["conflicts"] == [
        {"id": "f5", "column": "employees", "kept": "12.0", "dropped": ["10.0"]}
    ]
    assert "1 attribute conflicts" in caplog.text
    assert "dropped 1 links between actors merged into one" in caplog.text
    # the input network is untouched
    assert net.n_nodes == 8


def test_merge_from_suggestions_and_chains(net):
    dup = cm.suggest_duplicates(net)
    merged = cm.merge_actors(net, dup)
    assert sorted(merged.nodes.index) == ["c1", "f2", "f3", "f5", "f6", "u1"]
    long_chain = cm.merge_actors(net, {"f1": "f2", "f2": "f3", "f3": "f4", "f4": "f5"})
    assert set(long_chain.meta["merges"][0]["mapping"].values()) == {"f5"}
    chained = cm.merge_actors(net, pd.DataFrame({"old": ["f1", "f2"], "new": ["f2", "f3"]}))
    assert chained.meta["merges"][0]["mapping"] == {"f1": "f3", "f2": "f3"}
    assert chained.nodes.loc["f3", "merged_ids"] == "f1;f2"


def test_rollup_to_parent_groups(net):
    groups = pd.DataFrame(
        {
            "plant": ["f1", "f2", "f3"],
            "keep_id": ["G-MUELLER", "G-MUELLER", "G-MUELLER"],
            "keep_name": ["Müller Gruppe"] * 3,
        }
    )
    groups = groups.rename(columns={"plant": "id"})
    with pytest.raises(InputError, match="kept ids that are not in the network: 'G-MUELLER'"):
        cm.merge_actors(net, groups)
    rolled = cm.merge_actors(net, groups, create=True)
    g = rolled.nodes.loc["G-MUELLER"]
    assert g["name"] == "Müller Gruppe"
    assert g["kind"] == "supplier"
    assert g["merged_ids"] == "f1;f2;f3"
    assert g["employees"] == 120
    assert rolled.meta["merges"][0]["actors_created"] == 1
    assert "f1" not in rolled.nodes.index


def test_merge_errors(net):
    with pytest.raises(InputError, match=r"ids to merge that are not in the network: 'zz'"):
        cm.merge_actors(net, {"zz": "f1"})
    with pytest.raises(InputError, match=r"kept ids that are not in the network: 'f9'"):
        cm.merge_actors(net, {"f1": "f9"})
    with pytest.raises(InputError, match="cycle"):
        cm.merge_actors(net, {"f1": "f2", "f2": "f1"})
    with pytest.raises(InputError, match="cycle"):
        cm.merge_actors(net, {"f1": "f2", "f2": "f4", "f4": "f1"})
    with pytest.raises(InputError, match="cycle"):
        cm.merge_actors(net, {"f1": "f2", "f2": "f3", "f3": "f4", "f4": "f1"})
    with pytest.raises(InputError, match=r"cycle.*'f5'"):  # a chain that runs into a cycle
        cm.merge_actors(net, {"f5": "f1", "f1": "f2", "f2": "f1"})
    with pytest.raises(InputError, match=re.escape("'f1' -> ['f2', 'f4']")):
        cm.merge_actors(net, pd.DataFrame({"id": ["f1", "f1"], "keep_id": ["f2", "f4"]}))
    with pytest.raises(ConfigError, match="two columns"):
        cm.merge_actors(net, pd.DataFrame({"id": ["f1"]}))
    with pytest.raises(ConfigError, match="`mapping` must be"):
        cm.merge_actors(net, [("f1", "f2")])  # type: ignore[arg-type]
    assert cm.merge_actors(net, {"f1": "f1"}) is net


def test_merged_network_round_trips(net, tmp_path):
    merged = cm.merge_actors(net, {"f1": "f2"})
    path = tmp_path / "m.cmap"
    merged.save(path)
    assert cm.ClusterNetwork.load(path).meta["merges"][0]["mapping"] == {"f1": "f2"}


def apple_network(folder) -> cm.ClusterNetwork:
    """Apple's supplier lists 2012-2022: one actor per name as published, links per year."""
    d = pd.read_csv(folder / "apple-supplier-list.csv")
    country = d.groupby("supplier_name", sort=False)["country"].agg(
        lambda s: s.value_counts().index[0]
    )
    nodes = pd.DataFrame(
        {"id": country.index, "name": country.index, "kind": "supplier", "country": country}
    )
    apple = pd.DataFrame(
        {"id": ["Apple"], "name": ["Apple Inc."], "kind": ["firm"], "country": ["USA"]}
    )
    links = (
        d.drop_duplicates(["supplier_name", "year"])
        .rename(columns={"supplier_name": "source"})
        .assign(target="Apple", layer="supply")[["source", "target", "layer", "year"]]
    )
    return cm.from_tables(pd.concat([apple, nodes], ignore_index=True), links)


def test_apple_supplier_name_variants(realdata):
    net = apple_network(realdata("apple_suppliers_2012_2022"))
    assert net.n_nodes == 955  # 954 spellings (the README's count) + Apple
    exact = cm.suggest_duplicates(net, within=None, threshold=100)
    assert len(exact) == 476
    dup = cm.suggest_duplicates(net, within=None, threshold=90)
    assert len(dup) == 487
    assert dup["group"].nunique() == 258
    pairs = set(zip(dup["name"], dup["keep_name"], strict=True))
    assert ("Broadcomm Limited", "Broadcom Limited") in pairs
    on_semi = dup[dup["name"].str.startswith("ON Semiconductor")]
    assert not on_semi.empty
    assert on_semi["keep_name"].str.startswith("ON Semiconductor").all()  # not NXP
    merged = cm.merge_actors(net, dup)
    assert merged.n_nodes == 955 - 487 == 468
    assert merged.n_edges == net.n_edges  # no supplier had two spellings in one year
    catcher = merged.nodes[merged.nodes["name"].str.startswith("Catcher")]
    assert len(catcher) == 1
    # finding actors by a piece of their name, before and after the merge
    assert len(net.resolve({"name": cm.contains("catcher")})) == 4
    assert len(merged.resolve({"name": cm.contains("catcher")})) == 1
    with pytest.raises(InputError, match=re.escape("did you mean 'Catcher Technology Co. Ltd.'")):
        net.resolve(["Catcher Technology"])
    years = merged.edges.groupby("source")["year"].nunique()
    assert (years >= 5).sum() > 3 * (net.edges.groupby("source")["year"].nunique() >= 5).sum()


def test_command_line_review_then_merge(net, tmp_path):
    from click.testing import CliRunner

    from clustermap.cli import main

    net.save(tmp_path / "net.cmap")
    review = tmp_path / "dup.xlsx"
    result = CliRunner().invoke(
        main, ["duplicates", "--network", str(tmp_path / "net.cmap"), "-o", str(review)]
    )
    assert result.exit_code == 0, result.output
    assert "2 actors look like another (2 groups" in result.stdout
    table = pd.read_excel(review)
    assert table["keep_id"].tolist() == ["f2", "f5"]
    # the reviewer rejects the Bolt row and keeps the Müller one
    assert table["merge"].tolist() == ["yes", "yes"]
    table.loc[1, "merge"] = "No"
    table.to_csv(tmp_path / "accepted.csv", index=False)
    out = tmp_path / "merged.cmap"
    args = ["merge-actors", "--network", str(tmp_path / "net.cmap"), str(tmp_path / "accepted.csv")]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "merged 1 actors into 1: 8 -> 7 actors" in result.stdout
    assert "f1" not in cm.ClusterNetwork.load(out).nodes.index
    bad = CliRunner().invoke(
        main, ["duplicates", "--network", str(tmp_path / "net.cmap"), "--threshold", "120"]
    )
    assert bad.exit_code == 2
    assert "`threshold` must be between 0 and 100" in bad.output


def test_apple_facilities_roll_up_to_suppliers(realdata):
    """2022: 710 facilities (supplier x province) rolled up to their 188 suppliers."""
    d = pd.read_csv(realdata("apple_suppliers_2012_2022") / "apple-supplier-list.csv")
    d = d[d["year"] == 2022]
    d["supplier_name"] = d["supplier_name"].str.replace(r"\s+", " ", regex=True).str.strip()
    d["facility"] = d["supplier_name"] + " | " + d["supplier_address"] + ", " + d["country"]
    nodes = pd.DataFrame(
        {
            "id": d["facility"],
            "name": d["supplier_name"],
            "kind": "supplier",
            "country": d["country"],
        }
    )
    apple = pd.DataFrame({"id": ["Apple"], "name": ["Apple Inc."], "kind": ["firm"]})
    links = pd.DataFrame(
        {"source": d["facility"], "target": "Apple", "layer": "supply", "year": 2022}
    )
    net = cm.from_tables(pd.concat([apple, nodes], ignore_index=True), links)
    assert net.n_nodes == 711
    groups = pd.DataFrame(
        {
            "id": d["facility"],
            "keep_id": "G:" + d["supplier_name"],
            "keep_name": d["supplier_name"],
        }
    )
    rolled = cm.merge_actors(net, groups, create=True)
    assert rolled.n_nodes == 189
    assert rolled.meta["merges"][0]["actors_created"] == 188
    three_m = rolled.edges.set_index("source").loc["G:3M"]
    assert three_m["weight"] == 15.0  # 3M had 15 facilities on the 2022 list
    assert rolled.nodes.loc["G:3M", "merged_ids"].count(";") == 14
    assert rolled.nodes.loc["G:3M", "name"] == "3M"
