"""Centrality: every measure against networkx, on fixtures, random graphs and real data."""

from __future__ import annotations

import os

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import clustermap as cm
from clustermap import settings
from clustermap.analysis._betweenness import source_order, top_agreement
from clustermap.analysis.centrality import DEFAULT_MEASURES, MEASURES, centrality
from clustermap.cli import main  # imported first: it registers every command

TOL = 1e-6
ALL = [m for m in MEASURES if m != "eigenvector"]


# ---------------------------------------------------------------- references


def _with_distance(G: nx.Graph) -> nx.Graph:
    H = G.copy()
    for _, _, d in H.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    return H


def nx_reference(
    net: cm.ClusterNetwork,
    measure: str,
    *,
    layers: str | list[str] | None = None,
    weighted: bool = True,
    normalized: bool = True,
) -> pd.Series:
    """The same measure computed by networkx on clustermap's networkx views."""
    G = _with_distance(net.to_networkx(layers=layers))  # directed view when any layer is
    U = net.to_networkx(layers=layers, directed=False)
    n = G.number_of_nodes()
    w = "weight" if weighted else None
    dist = "distance" if weighted else None
    scale = 1 / (n - 1) if normalized else 1.0
    if measure == "degree":
        values = {v: d * scale for v, d in U.degree()}
    elif measure == "in_degree":
        values = {v: d * scale for v, d in G.in_degree()}
    elif measure == "out_degree":
        values = {v: d * scale for v, d in G.out_degree()}
    elif measure == "strength":
        values = dict(U.degree(weight="weight"))
    elif measure == "in_strength":
        values = dict(G.in_degree(weight="weight"))
    elif measure == "out_strength":
        values = dict(G.out_degree(weight="weight"))
    elif measure == "betweenness":
        values = nx.betweenness_centrality(G, weight=dist, normalized=normalized)
    elif measure == "pagerank":
        values = nx.pagerank(G, alpha=0.85, weight=w, tol=1e-13, max_iter=100_000)
    elif measure == "eigenvector":
        values = nx.eigenvector_centrality(U, weight=w, tol=1e-13, max_iter=100_000)
    elif measure == "coreness":
        values = nx.core_number(U)
    elif measure == "closeness":
        values = nx.closeness_centrality(G, distance=dist)
    elif measure == "harmonic":
        values = nx.harmonic_centrality(G, distance=dist)
        values = {v: x * scale for v, x in values.items()}
    else:  # pragma: no cover - the parametrisation lists every measure
        raise AssertionError(measure)
    return pd.Series(values, dtype=float).reindex(net.nodes.index)


def assert_matches(
    net: cm.ClusterNetwork,
    measures: list[str],
    *,
    layers: str | list[str] | None = None,
    weighted: bool = True,
    normalized: bool = True,
) -> None:
    ours = centrality(
        net, measures=measures, layers=layers, weighted=weighted, normalized=normalized
    )
    for m in measures:
        ref = nx_reference(net, m, layers=layers, weighted=weighted, normalized=normalized)
        np.testing.assert_allclose(
            ours[m].to_numpy(dtype=float), ref.to_numpy(), atol=TOL, rtol=0, err_msg=m
        )


# ---------------------------------------------------------------- fixtures


def random_network(seed: int, *, n: int = 40, p: float = 0.08, directed: bool) -> cm.ClusterNetwork:
    """A random weighted network; directed ones are a supply layer plus a knowledge layer."""
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    for _, _, d in G.edges(data=True):
        # Powers of two: path lengths (sums of 1 / weight) are exact in floating point, so
        # networkx (exact comparison) and igraph (comparison with a tolerance) see the same
        # ties between equally short paths.
        d["weight"] = float(2 ** rng.integers(0, 4))
    if directed:
        G.add_edges_from(
            [(u, v, {"layer": "knowledge", "weight": 1.0}) for u, v in [(0, 1), (2, 3), (5, 9)]]
        )
        return cm.from_networkx(G, layer="supply")
    return cm.from_networkx(G, layer="knowledge")


@pytest.fixture
def karate(realdata) -> cm.ClusterNetwork:
    return cm.read_gml(realdata("community_benchmarks") / "karate_club.gml")


@pytest.fixture
def lesmis(realdata) -> cm.ClusterNetwork:
    return cm.read_gml(realdata("community_benchmarks") / "lesmis.gml", weight="value")


# ---------------------------------------------------------------- agreement


@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("normalized", [True, False])
def test_supply_chain_matches_networkx(supply_chain, weighted, normalized):
    assert_matches(supply_chain, ALL, weighted=weighted, normalized=normalized)


@pytest.mark.parametrize("layers", ["supply", "knowledge", ["supply", "knowledge"]])
def test_supply_chain_layers_match_networkx(supply_chain, layers):
    measures = (
        ALL if layers != "knowledge" else [m for m in ALL if not m.startswith(("in_", "out_"))]
    )
    assert_matches(supply_chain, measures, layers=layers)


def test_two_triangles_match_networkx(two_triangles):
    measures = [m for m in MEASURES if not m.startswith(("in_", "out_"))]
    assert_matches(two_triangles, measures)
    assert_matches(two_triangles, measures, weighted=False, normalized=False)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("directed", [True, False])
def test_random_graphs_match_networkx(seed, directed):
    net = random_network(seed, directed=directed)
    measures = ALL if directed else [m for m in ALL if not m.startswith(("in_", "out_"))]
    assert_matches(net, measures)
    assert_matches(net, measures, weighted=False)


@pytest.mark.parametrize("seed", range(4))
def test_eigenvector_matches_networkx_on_connected_graphs(seed):
    G = nx.connected_watts_strogatz_graph(30, 4, 0.3, seed=seed)
    rng = np.random.default_rng(seed)
    for _, _, d in G.edges(data=True):
        d["weight"] = float(rng.uniform(0.5, 4))
    net = cm.from_networkx(G)
    assert_matches(net, ["eigenvector"])
    assert_matches(net, ["eigenvector"], weighted=False)


def test_eigenvector_is_zero_off_the_main_component(supply_chain):
    # ISO is isolated: it scores 0, and everyone else scores as in the network without it.
    full = centrality(supply_chain, measures="eigenvector")["eigenvector"]
    without = supply_chain.select(nodes=[i for i in supply_chain.nodes.index if i != "ISO"])
    assert full["ISO"] == 0.0
    ref = nx_reference(without, "eigenvector")
    np.testing.assert_allclose(full.drop("ISO").to_numpy(), ref.to_numpy(), atol=TOL)


@pytest.mark.realdata
def test_karate_matches_networkx(karate):
    measures = [m for m in MEASURES if not m.startswith(("in_", "out_"))]
    assert_matches(karate, measures)
    # Known values for Zachary's club (unnormalised betweenness): the two leaders.
    raw = centrality(karate, measures="betweenness", normalized=False)["betweenness"]
    assert raw["0"] == pytest.approx(231.0714, abs=1e-4)
    assert raw["33"] == pytest.approx(160.5516, abs=1e-4)
    assert centrality(karate, measures="coreness")["coreness"].max() == 4


@pytest.mark.realdata
def test_lesmis_matches_networkx_with_value_weights(lesmis):
    measures = [m for m in MEASURES if not m.startswith(("in_", "out_"))]
    assert lesmis.edges["weight"].max() == 31  # the co-appearance counts, read from `value`
    assert_matches(lesmis, measures)
    assert_matches(lesmis, measures, weighted=False)
    top = centrality(lesmis, measures="betweenness")["betweenness"].idxmax()
    assert lesmis.nodes.loc[top, "name"] == "Valjean"


# ---------------------------------------------------------------- estimates


def test_sampled_betweenness_is_the_rescaled_subset_count(monkeypatch):
    net = random_network(11, n=60, p=0.06, directed=True)
    monkeypatch.setattr(settings, "exact_betweenness_max_nodes", 10)
    monkeypatch.setattr(settings, "betweenness_samples", 15)
    est = centrality(net, measures="betweenness", normalized=False, seed=3)
    info = est.attrs["estimated"]["betweenness"]
    assert (info["samples"], info["stopped"]) == (15, "sample cap")
    assert info["method"] == "sampled sources, adaptive"
    ids = net.nodes.index
    sources = ids[source_order(60, 3)[:15]]
    G = _with_distance(net.to_networkx())
    ref = nx.betweenness_centrality_subset(G, sources=sources, targets=ids, weight="distance")
    expected = pd.Series(ref).reindex(ids) * 60 / 15
    np.testing.assert_allclose(est["betweenness"].to_numpy(), expected.to_numpy(), atol=TOL)


def test_sampling_every_source_gives_the_exact_values(monkeypatch):
    net = random_network(5, n=50, p=0.08, directed=True)
    exact = centrality(net, measures=["betweenness", "closeness", "harmonic"])
    monkeypatch.setattr(settings, "exact_betweenness_max_nodes", 10)
    monkeypatch.setattr(settings, "betweenness_samples", 1000)
    monkeypatch.setattr(settings, "betweenness_agreement", 21)  # never stable: every source
    full = centrality(net, measures=["betweenness", "closeness", "harmonic"])
    assert set(full.attrs["estimated"]) == {"betweenness", "closeness", "harmonic"}
    assert full.attrs["estimated"]["closeness"]["samples"] == 50
    for m in ("betweenness", "closeness", "harmonic"):
        np.testing.assert_allclose(full[m].to_numpy(), exact[m].to_numpy(), atol=1e-9, err_msg=m)


def test_estimates_are_seeded_and_close_to_the_exact_values(monkeypatch):
    net = random_network(2, n=400, p=0.015, directed=False)
    measures = ["betweenness", "closeness", "harmonic"]
    exact = centrality(net, measures=measures)
    monkeypatch.setattr(settings, "exact_betweenness_max_nodes", 100)
    monkeypatch.setattr(settings, "betweenness_samples", 100)
    a = centrality(net, measures=measures, seed=1)
    b = centrality(net, measures=measures, seed=1)
    c = centrality(net, measures=measures, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not a["betweenness"].equals(c["betweenness"])
    for m in measures:
        assert np.corrcoef(a[m], exact[m])[0, 1] > 0.9, m
    # The estimate is unbiased: its total is close to the exact total.
    assert a["betweenness"].sum() == pytest.approx(exact["betweenness"].sum(), rel=0.15)


# ---------------------------------------------------------------- the table


def test_default_columns_and_provenance(supply_chain):
    c = centrality(supply_chain)
    assert list(c.columns) == [
        "name",
        "kind",
        "degree",
        "in_degree",
        "out_degree",
        "strength",
        "in_strength",
        "out_strength",
        "betweenness",
        "pagerank",
        "eigenvector",
        "coreness",
    ]
    assert c.index.equals(supply_chain.nodes.index)
    assert c.loc["OEM", "name"] == "Midland Motors"
    assert c.attrs["method"] == "centrality"
    assert c.attrs["layers"] == ["supply", "knowledge"]
    assert c.attrs["estimated"] == {}
    assert c.attrs["distance"] == "1 / weight"
    undirected = centrality(supply_chain, layers="knowledge")
    assert [m for m in undirected.columns if m in MEASURES] == list(DEFAULT_MEASURES)


def test_supply_chain_values_by_hand(supply_chain):
    c = centrality(supply_chain, layers="supply", normalized=False)
    # OEM buys from T1a and T1b; T1b from T2b and T2c; T1a from T2a and T2c.
    assert c["in_degree"].to_dict() == {
        "OEM": 2,
        "T1a": 2,
        "T1b": 2,
        "T2a": 0,
        "T2b": 0,
        "T2c": 0,
        "UNI": 0,
        "RC": 0,
        "ISO": 0,
    }
    assert c.loc["OEM", "in_strength"] == 5.0
    assert c.loc["T2c", "out_strength"] == 3.0
    # Supply paths: T2a->T1a->OEM; T2b->T1b->OEM; T2c->OEM is shorter via T1b
    # (1/2 + 1/2 = 1) than via T1a (1/1 + 1/3); unweighted both have 2 steps.
    assert c["betweenness"][["T1a", "T1b", "OEM", "ISO"]].tolist() == [1, 2, 0, 0]
    flat = centrality(supply_chain, layers="supply", normalized=False, weighted=False)
    assert flat["betweenness"][["T1a", "T1b"]].tolist() == [1.5, 1.5]
    assert c["pagerank"].sum() == pytest.approx(1.0)
    assert c["pagerank"].idxmax() == "OEM"


def test_does_not_change_the_network(supply_chain):
    nodes, edges = supply_chain.nodes.copy(), supply_chain.edges.copy()
    centrality(supply_chain, measures=list(MEASURES))
    pd.testing.assert_frame_equal(supply_chain.nodes, nodes)
    pd.testing.assert_frame_equal(supply_chain.edges, edges)


def test_network_without_links():
    net = cm.from_tables({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "kind": "firm"}, None)
    c = centrality(net, measures=[m for m in MEASURES if not m.startswith(("in_", "out_"))])
    assert (c["degree"] == 0).all()
    assert (c["betweenness"] == 0).all()
    assert (c["closeness"] == 0).all()
    assert c["pagerank"].to_numpy() == pytest.approx([1 / 3] * 3)


# ---------------------------------------------------------------- bad options


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"measures": "fame"}, r"unknown measure\(s\) 'fame'; `measures` must be among 'degree'"),
        ({"measures": ["degree", "clout"]}, "unknown measure.*'clout'"),
        ({"measures": []}, "`measures` is empty"),
        ({"layers": "ownership"}, r"unknown layer\(s\) 'ownership'; `layers` must be among"),
        ({"layers": []}, "`layers` is empty"),
        (
            {"layers": "knowledge", "measures": "in_degree"},
            "'in_degree'.*need a directed layer.*must be among 'degree'",
        ),
    ],
)
def test_bad_options(supply_chain, kwargs, match):
    with pytest.raises(cm.ConfigError, match=match):
        centrality(supply_chain, **kwargs)


def test_empty_network_is_an_error():
    net = cm.from_tables({"id": ["a"], "name": ["A"], "kind": "firm"}, None)
    empty = net.select(kinds="institution")
    with pytest.raises(cm.EmptyNetworkError, match="no actors"):
        centrality(empty)


# ---------------------------------------------------------------- command line and demo


def test_command_line_writes_csv_xlsx_and_json(supply_chain, tmp_path):
    supply_chain.save(tmp_path / "net.cmap")
    runner = CliRunner()
    args = ["centrality", "--network", str(tmp_path / "net.cmap")]
    result = runner.invoke(
        main, [*args, "--measures", "degree,betweenness", "-o", str(tmp_path / "c.csv")]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "c.csv", index_col="id", encoding="utf-8-sig")
    assert list(table.columns) == ["name", "kind", "degree", "betweenness"]
    assert (tmp_path / "c.meta.json").exists()
    assert "top by betweenness: Brake Systems" in result.output
    result = runner.invoke(
        main, [*args, "--layers", "supply", "--raw", "-o", str(tmp_path / "c.xlsx")]
    )
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(tmp_path / "c.xlsx", sheet_name=None)
    assert {"centrality", "betweenness", "in_degree", "about"} <= set(sheets)
    assert sheets["in_degree"]["id"].iloc[0] == "OEM"
    result = runner.invoke(main, [*args, "--unweighted", "-o", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.json").read_text(encoding="utf-8").startswith("{")


def test_command_line_errors(supply_chain, tmp_path):
    supply_chain.save(tmp_path / "net.cmap")
    args = ["centrality", "--network", str(tmp_path / "net.cmap")]
    result = CliRunner().invoke(main, [*args, "--measures", "fame"])
    assert result.exit_code == 2
    assert "unknown measure(s) 'fame'" in result.output
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "c.txt")])
    assert result.exit_code == 2
    assert "`--output` must end in one of .csv, .xlsx, .json" in result.output


def test_demo_step(tmp_path):
    from clustermap.commands.centrality import _demo
    from clustermap.demo import DemoContext

    net = cm.make_cluster(n_actors=120, seed=5)
    ctx = DemoContext(tmp_path, net, 5)
    _demo(ctx)
    assert [p.name for p in ctx.written] == ["centrality.csv", "key_actors.xlsx"]
    assert ctx.results["centrality"].index.equals(net.nodes.index)
    sheets = pd.read_excel(tmp_path / "key_actors.xlsx", sheet_name=None)
    assert {"degree", "betweenness", "pagerank", "eigenvector", "coreness", "about"} <= set(sheets)
    assert len(sheets["betweenness"]) == 10
    about = dict(zip(sheets["about"]["item"], sheets["about"]["value"], strict=True))
    assert about["method"] == "centrality"


def test_sample_count_shrinks_on_huge_graphs(monkeypatch):
    import igraph as ig

    from clustermap.analysis.centrality import _sample_count

    g = ig.Graph.Ring(50, directed=True)  # 50 arcs
    assert _sample_count(g) == settings.betweenness_samples
    monkeypatch.setattr(settings, "betweenness_arc_budget", 50 * 120)
    assert _sample_count(g) == 120
    monkeypatch.setattr(settings, "betweenness_arc_budget", 50 * 3)
    assert _sample_count(g) == settings.betweenness_min_samples
    monkeypatch.setattr(settings, "betweenness_samples", 15)
    assert _sample_count(g) == 15


# ---------------------------------------------------------------- determinism and estimates

_DIGEST_SCRIPT = """
import hashlib, clustermap as cm
from clustermap import settings
settings.exact_betweenness_max_nodes = 500
net = cm.make_cluster(n_actors=2000, seed=3)
c = cm.centrality(net, seed=5).drop(columns=["name", "kind"])
print({m: hashlib.sha256(c[m].to_numpy().tobytes()).hexdigest() for m in c.columns})
"""


def test_same_seed_gives_the_same_bytes_in_another_process():
    import subprocess
    import sys

    procs = [  # two at once: a fresh interpreter each, with different hash seeds
        subprocess.Popen(
            [sys.executable, "-c", _DIGEST_SCRIPT],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(i)},
        )
        for i in (1, 2)
    ]
    runs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert "pagerank" in runs[0]
    assert "betweenness" in runs[0]
    assert runs[0] == runs[1]


def test_pagerank_matches_igraph():
    net = cm.make_cluster(n_actors=300, seed=4)
    ours = centrality(net, measures="pagerank")["pagerank"].to_numpy()
    theirs = np.asarray(net.to_igraph().pagerank(weights="weight"))
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_estimate_is_the_same_in_one_or_two_processes(monkeypatch):
    net = cm.make_cluster(n_actors=500, seed=2)
    monkeypatch.setattr(settings, "exact_betweenness_max_nodes", 100)
    monkeypatch.setattr(settings, "processes", 1)
    one = centrality(net, measures="betweenness", seed=4)
    monkeypatch.setattr(settings, "processes", 2)
    two = centrality(cm.make_cluster(n_actors=500, seed=2), measures="betweenness", seed=4)
    assert one["betweenness"].to_numpy().tobytes() == two["betweenness"].to_numpy().tobytes()
    assert one.attrs["estimated"] == two.attrs["estimated"]


def test_sampling_stops_when_the_top_is_stable(monkeypatch):
    net = cm.make_cluster(n_actors=600, seed=2)
    monkeypatch.setattr(settings, "exact_betweenness_max_nodes", 100)
    monkeypatch.setattr(settings, "betweenness_min_samples", 16)
    monkeypatch.setattr(settings, "betweenness_agreement", 0)  # any agreement is enough
    info = centrality(net, measures="betweenness").attrs["estimated"]["betweenness"]
    assert (info["samples"], info["stopped"]) == (16, "top stable")
    monkeypatch.setattr(settings, "betweenness_agreement", 21)  # never reached: cap
    monkeypatch.setattr(settings, "betweenness_arc_budget", 1)
    info = centrality(net, measures="betweenness").attrs["estimated"]["betweenness"]
    assert (info["samples"], info["stopped"]) == (16, "work budget")
    monkeypatch.setattr(settings, "betweenness_arc_budget", 10**12)
    monkeypatch.setattr(settings, "betweenness_samples", 500)
    info = centrality(net, measures="betweenness").attrs["estimated"]["betweenness"]
    assert (info["samples"], info["stopped"]) == (500, "sample cap")
    monkeypatch.setattr(settings, "betweenness_samples", 5000)
    info = centrality(net, measures="betweenness").attrs["estimated"]["betweenness"]
    assert (info["samples"], info["stopped"]) == (600, "every source")
    assert info["halves_agreement"] <= 20


def test_estimate_finds_the_exact_top_actors(monkeypatch):
    # A small-scale check of the estimate's quality (the benchmark measures it at 20k).
    net = cm.make_cluster(n_actors=1500, seed=6)
    exact = centrality(net, measures="betweenness")["betweenness"].to_numpy()
    monkeypatch.setattr(settings, "exact_betweenness_max_nodes", 100)
    found = [
        top_agreement(
            centrality(net, measures="betweenness", seed=s)["betweenness"].to_numpy(), exact, 20
        )
        for s in (1, 2, 3)
    ]
    assert np.mean(found) >= 15


def test_betweenness_is_computed_once_per_network(monkeypatch):
    import clustermap.analysis._betweenness as bt

    calls = []
    original = bt._compute
    monkeypatch.setattr(bt, "_compute", lambda *a: calls.append(1) or original(*a))
    net = cm.make_cluster(n_actors=200, seed=2)
    first = centrality(net, measures="betweenness")
    second = centrality(net, measures=["betweenness", "degree"])
    assert len(calls) == 1
    pd.testing.assert_series_equal(first["betweenness"], second["betweenness"])
    centrality(net, measures="betweenness", seed=99)  # another seed: another result
    assert len(calls) == 1  # exact values do not depend on the seed


def test_betweenness_leaves_the_default_set_on_large_networks(monkeypatch):
    net = cm.make_cluster(n_actors=300, seed=2)
    monkeypatch.setattr(settings, "exact_betweenness_max_nodes", 100)
    monkeypatch.setattr(settings, "betweenness_default_max_arcs", 10)
    table = centrality(net)
    assert "betweenness" not in table.columns
    assert "betweenness_default_max_arcs" in table.attrs["left_out"]["betweenness"]
    asked = centrality(net, measures=["degree", "betweenness"])
    assert "betweenness" in asked.columns
    assert asked.attrs["left_out"] == {}


def test_a_network_too_large_for_memory_stops_with_a_clear_message(monkeypatch):
    import clustermap._memory as memory

    monkeypatch.setattr(memory, "available_bytes", lambda: 1000.0)
    net = cm.make_cluster(n_actors=100, seed=2)
    with pytest.raises(MemoryError, match=r"centrality \(100 actors.*`measures=`"):
        centrality(net)
