"""Tests of the synthetic cluster generator and of the demo data files it writes."""

from __future__ import annotations

from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.demo import DEMO_ACTORS, DEMO_SEED
from clustermap.errors import ConfigError
from clustermap.loaders import _vocab
from clustermap.loaders import generator as gen

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
CATEGORIES = [c for c, _ in _vocab.CATEGORIES]
NODE_COLUMNS = [
    "name",
    "kind",
    "category",
    "sector",
    "region",
    "lat",
    "lon",
    "employees",
    "founded",
    "sector_name",
    "region_name",
    "subcluster",
]


@pytest.fixture(scope="module")
def cluster() -> cm.ClusterNetwork:
    return cm.make_cluster(n_actors=2000, seed=11)


def _endpoint(net: cm.ClusterNetwork, column: str, edges: pd.DataFrame) -> tuple:
    values = net.nodes[column]
    return values.loc[edges["source"]].to_numpy(), values.loc[edges["target"]].to_numpy()


# ----------------------------------------------------------------- demo files


def test_demo_files_match_the_generator():
    net = cm.make_cluster(n_actors=DEMO_ACTORS, seed=DEMO_SEED)
    read = cm.read_tables(DEMO / "nodes.csv", DEMO / "links.csv")
    pd.testing.assert_frame_equal(read.nodes, net.nodes)
    pd.testing.assert_frame_equal(read.edges, net.edges)
    assert read.directed == net.directed


def test_demo_readme_explains_every_column():
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    columns = pd.read_csv(DEMO / "nodes.csv", nrows=1).columns.tolist()
    columns += pd.read_csv(DEMO / "links.csv", nrows=1).columns.tolist()
    missing = [c for c in columns if f"`{c}`" not in text]
    assert not missing


def test_demo_readme_counts_match_the_files():
    text = " ".join((DEMO / "README.md").read_text(encoding="utf-8").split())
    net = cm.read_tables(DEMO / "nodes.csv", DEMO / "links.csv")
    layers = net.edges["layer"].value_counts()
    types = net.edges["type"].value_counts()
    cats = net.nodes["category"].value_counts()
    stated = [
        f"{net.n_nodes} actors",
        f"{net.n_edges:,} links",
        f"{layers['supply']} supply links ({types['purchase']} purchases of parts, "
        f"{types['service']} services)",
        f"{layers['knowledge']} knowledge links ({types['joint project']} joint projects, "
        f"{types['staff mobility']} staff moves, {types['co-patent']} co-patents)",
        f"{cats['OEM']} OEMs, {cats['tier 1']} tier-1 and {cats['tier 2']} tier-2 suppliers, "
        f"{cats['service']} service suppliers, {cats['university']} universities, "
        f"{cats['research centre']} research centres, {cats['training body']} training bodies "
        f"and {cats['trade association']} trade associations",
    ]
    assert [s for s in stated if s not in text] == []


def test_write_cluster_round_trips_and_main_writes_the_demo(tmp_path, capsys):
    assert gen._main([str(tmp_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    for name in ("nodes.csv", "links.csv"):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes()
    assert gen._main([]) == 2
    assert "usage" in capsys.readouterr().err


# ----------------------------------------------------------------- shape


def test_columns_kinds_and_dtypes(cluster):
    nodes, edges = cluster.nodes, cluster.edges
    assert nodes.columns.tolist() == NODE_COLUMNS
    assert nodes.index.name == "id"
    assert nodes.index.is_unique
    assert edges.columns.tolist() == [
        "source",
        "target",
        "layer",
        "weight",
        "type",
        "year",
        "value",
    ]
    assert str(edges["year"].dtype) == "Int64"
    assert edges["weight"].dtype == np.float64
    expected_kind = nodes["category"].map(_vocab.KIND_OF)
    assert (nodes["kind"] == expected_kind).all()
    assert set(nodes["category"]) == set(CATEGORIES)
    assert nodes["lat"].between(-90, 90).all()
    assert nodes["lon"].between(-180, 180).all()
    assert (nodes["employees"] >= 1).all()
    assert set(nodes["sector"]) <= set(_vocab.SECTORS)
    assert (nodes["sector_name"] == nodes["sector"].map(_vocab.SECTORS)).all()
    assert (nodes["region_name"] == nodes["region"].map(dict(_vocab.REGIONS))).all()


@pytest.mark.parametrize("n", [300, 2000, 12345])
def test_proportions(n):
    net = cm.make_cluster(n_actors=n, seed=3)
    counts = net.nodes["category"].value_counts()
    assert counts.sum() == n
    for category, share in _vocab.CATEGORIES:
        assert abs(counts[category] - share * n) <= 1.5, category
    assert net.n_edges == 5 * n  # five links per actor


def test_five_links_per_actor_and_both_layers(cluster):
    layers = cluster.edges["layer"].value_counts()
    assert set(layers.index) == {"supply", "knowledge"}
    assert 1.5 * 2000 < layers["supply"] < 2.5 * 2000
    assert cluster.directed == {"supply": True, "knowledge": False}


@pytest.mark.parametrize("n", [2, 3, 5, 7, 8, 12, 30])
def test_small_clusters_are_valid(n):
    net = cm.make_cluster(n_actors=n, seed=0)
    nodes, edges = net.nodes, net.edges
    assert len(nodes) == n
    cats = set(nodes["category"])
    assert {"OEM", "university"} <= cats
    assert len(cats) == min(n, len(CATEGORIES))
    assert nodes["name"].is_unique
    assert not (edges["source"] == edges["target"]).any()
    assert edges["source"].isin(nodes.index).all()
    assert edges["target"].isin(nodes.index).all()
    # what the generator builds passes every check of the validating loader
    again = cm.from_tables(nodes.reset_index(), edges)
    pd.testing.assert_frame_equal(again.edges, edges)


@pytest.mark.parametrize("bad", [1, 0, -5, 2.5, True, "300", None])
def test_bad_sizes_are_config_errors(bad):
    with pytest.raises(ConfigError, match="`n_actors` must be"):
        cm.make_cluster(n_actors=bad)


# ----------------------------------------------------------------- randomness


def test_same_seed_same_cluster_and_default_seed(monkeypatch):
    a = cm.make_cluster(n_actors=500, seed=9)
    b = cm.make_cluster(n_actors=500, seed=9)
    assert a.equals(b)
    monkeypatch.setattr(cm.settings, "seed", 9)
    assert cm.make_cluster(n_actors=500).equals(a)


def test_different_seeds_differ():
    a = cm.make_cluster(n_actors=500, seed=1)
    b = cm.make_cluster(n_actors=500, seed=2)
    assert not a.nodes["name"].equals(b.nodes["name"])
    assert not a.edges[["source", "target"]].equals(b.edges[["source", "target"]])


# ----------------------------------------------------------------- supply


def test_supply_runs_down_the_tiers(cluster):
    supply = cluster.edges[cluster.edges["layer"] == "supply"]
    src, dst = _endpoint(cluster, "category", supply)
    assert set(src) == {"tier 1", "tier 2", "service"}
    assert set(dst) == {"OEM", "tier 1", "tier 2"}
    pairs = pd.Series(list(zip(src, dst, strict=True))).value_counts()
    # mostly tier 2 -> tier 1 -> OEM, but some links skip a tier or stay in one
    assert pairs[("tier 2", "tier 1")] > pairs[("tier 2", "OEM")] > 0
    assert pairs[("tier 1", "OEM")] > pairs[("tier 1", "tier 1")] > 0
    assert pairs[("tier 2", "tier 2")] > 0
    types = supply["type"].to_numpy()
    assert ((types == "service") == (src == "service")).all()
    assert set(types) == {"purchase", "service"}
    assert not supply.duplicated(["source", "target"]).any()


def test_supply_is_acyclic_but_not_a_tree(cluster):
    supply = cluster.edges[cluster.edges["layer"] == "supply"]
    G = nx.from_pandas_edgelist(supply, "source", "target", create_using=nx.DiGraph)
    assert nx.is_directed_acyclic_graph(G)
    assert not nx.is_forest(G.to_undirected())
    assert max(d for _, d in G.out_degree()) > 1  # suppliers with several customers


def test_contract_values_are_heavy_tailed(cluster):
    supply = cluster.edges[cluster.edges["layer"] == "supply"]
    value = np.sort(supply["value"].to_numpy())[::-1]
    assert (value >= 1000).all()
    assert value[: len(value) // 10].sum() / value.sum() > 0.4
    assert value.max() / np.median(value) > 50
    np.testing.assert_allclose(supply["weight"], np.round(np.log10(supply["value"]) - 2, 3))


def test_some_links_leave_the_home_region(cluster):
    src, dst = _endpoint(cluster, "region", cluster.edges)
    outside = (
        pd.Series(src).str.startswith("XB").to_numpy()
        | pd.Series(dst).str.startswith("XB").to_numpy()
    )
    assert 0.01 < outside.mean() < 0.2


# ----------------------------------------------------------------- knowledge


def test_knowledge_types_years_and_weights(cluster):
    know = cluster.edges[cluster.edges["layer"] == "knowledge"]
    assert set(know["type"]) == {"joint project", "co-patent", "staff mobility"}
    assert know["year"].between(2015, 2024).all()
    assert set(know["year"]) == set(range(2015, 2025))
    assert know["value"].isna().all()
    moves = know["type"] == "staff mobility"
    assert (know.loc[~moves, "weight"] == 1.0).all()
    assert (know.loc[moves, "weight"] >= 1.0).all()
    assert (know.loc[moves, "weight"] > 1.0).any()


def test_knowledge_gathers_around_institutions(cluster):
    know = cluster.edges[cluster.edges["layer"] == "knowledge"]
    ends = pd.concat([know["source"], know["target"]]).value_counts()
    degree = ends.reindex(cluster.nodes.index, fill_value=0)
    mean = degree.groupby(cluster.nodes["category"]).mean()
    assert mean["university"] > 5 * mean["tier 2"]
    assert mean["research centre"] > 5 * mean["service"]


def test_knowledge_links_stay_mostly_inside_planted_subclusters(cluster):
    know = cluster.edges[cluster.edges["layer"] == "knowledge"]
    src, dst = _endpoint(cluster, "subcluster", know)
    inside = (src == dst).mean()
    shares = cluster.nodes["subcluster"].value_counts(normalize=True)
    by_chance = float((shares**2).sum())
    assert inside > 0.6
    assert inside > 10 * by_chance


def test_planted_subclusters_are_recoverable(cluster):
    """Plain igraph Leiden on all links finds the planted sub-clusters well."""
    g = cluster.to_igraph(directed=False)
    found = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    truth = cluster.nodes["subcluster"].astype("category").cat.codes.to_numpy()
    assert ig.compare_communities(truth, found.membership, method="nmi") > 0.6


# ----------------------------------------------------------------- names


def test_names_are_unique_and_read_like_names(cluster):
    names = cluster.nodes["name"]
    assert names.is_unique
    assert not names.str.contains(r"\(\d+\)$").any()  # no numbering needed at this size
    cats = cluster.nodes["category"]
    assert names[cats == "university"].str.contains("Universit|Institute of Technology").all()
    assert names[cats == "tier 2"].str.contains(r" (?:Ltd|Limited|& Co\.|& Sons)$").all()


def test_names_stay_unique_when_the_vocabulary_runs_out(monkeypatch):
    monkeypatch.setattr(_vocab, "STEM_STARTS", ("Ash",))
    monkeypatch.setattr(_vocab, "STEM_ENDS", ("ford",))
    net = cm.make_cluster(n_actors=400, seed=1)
    names = net.nodes["name"]
    assert names.is_unique
    assert names.str.endswith(" (2)").any()


def test_a_planted_initiative_leaves_the_rest_of_the_cluster_unchanged():
    plain = cm.make_cluster(n_actors=300, seed=9)
    planted = cm.make_cluster(
        n_actors=300, seed=9, initiative={"share": 0.5, "start": 2021, "effect": 2.0}
    )
    pd.testing.assert_frame_equal(planted.nodes.drop(columns="member"), plain.nodes)
    pd.testing.assert_frame_equal(planted.edges.iloc[: plain.n_edges], plain.edges)
    extra = planted.edges.iloc[plain.n_edges :]
    members = planted.nodes.index[planted.nodes["member"]]
    kinds = planted.nodes["kind"]
    assert extra["source"].isin(members).all()
    assert (kinds.reindex(extra["target"]) == "institution").all()
    assert (extra["year"] >= 2021).all()
    assert set(extra["layer"]) == {"knowledge"}
    n_years = 2024 - 2021 + 1
    assert len(extra) / (len(members) * n_years) == pytest.approx(2.0, rel=0.1)
    assert planted.meta["initiative"]["members"] == len(members)


@pytest.mark.parametrize(
    ("initiative", "match"),
    [
        ({"share": 0}, "share"),
        ({"start": 2015}, "start"),
        ({"effect": -1}, "effect"),
        ({"size": 3}, "unknown key"),
        ([1, 2], "must be a dict"),
    ],
)
def test_initiative_options_are_checked(initiative, match):
    with pytest.raises(ConfigError, match=match):
        cm.make_cluster(n_actors=50, seed=1, initiative=initiative)
