"""Brokerage: Burt's measures against networkx, Gould-Fernandez roles by hand and by brute force."""

from __future__ import annotations

import importlib
import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from networkx.algorithms import structuralholes

import clustermap as cm
from clustermap import settings
from clustermap.analysis.brokerage import ROLES, brokerage
from clustermap.analysis.centrality import centrality
from clustermap.cli import main  # imported first: it registers every command

TOL = 1e-9
brokerage_module = importlib.import_module("clustermap.analysis.brokerage")


def network(pairs, groups, *, layer="supply", weights=None):
    ids = list(groups)
    nodes = pd.DataFrame({"id": ids, "name": [i.upper() for i in ids], "kind": "firm"})
    nodes["team"] = [groups[i] for i in ids]
    edges = pd.DataFrame(pairs, columns=["source", "target"]).assign(layer=layer)
    if weights is not None:
        edges["weight"] = weights
    return cm.from_tables(nodes, edges)


def brute_force_roles(net, groups, layers=None):
    """Gould-Fernandez counts by enumerating every two-path, the slow and obvious way."""
    G = net.to_networkx(layers=layers, directed=True)
    counts = {v: dict.fromkeys(ROLES, 0) for v in G}
    for v in G:
        for a, b in itertools.product(G.predecessors(v), G.successors(v)):
            if a == b or G.has_edge(a, b) or v in (a, b):
                continue
            ga, gv, gb = groups[a], groups[v], groups[b]
            if ga == gv == gb:
                role = "coordinator"
            elif ga == gb:
                role = "itinerant"
            elif gv == gb:
                role = "gatekeeper"
            elif ga == gv:
                role = "representative"
            else:
                role = "liaison"
            counts[v][role] += 1
    return pd.DataFrame.from_dict(counts, orient="index")[list(ROLES)].reindex(net.nodes.index)


def random_network(seed, *, n=30, p=0.12, mixed=True):
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    for _, _, d in G.edges(data=True):
        d["weight"] = float(rng.uniform(0.5, 5))
    if mixed:
        for u, v in rng.integers(0, n, size=(10, 2)):
            if u != v:
                G.add_edge(int(u), int(v), layer="knowledge", weight=float(rng.uniform(0.5, 5)))
    net = cm.from_networkx(G, layer="supply")
    regions = pd.Series(rng.choice(["north", "south", "east"], size=n), index=net.nodes.index)
    return net.annotate(regions.rename("region"))


# ---------------------------------------------------------------- roles by hand


def test_roles_worked_out_by_hand_on_a_directed_network():
    # Groups X = {v, x1, x2, x3}, Y = {y1, y2}, Z = {z1}.
    groups = {"v": "X", "x1": "X", "x2": "X", "x3": "X", "y1": "Y", "y2": "Y", "z1": "Z"}
    pairs = [
        ("x1", "v"),
        ("y1", "v"),
        ("z1", "v"),
        ("x3", "v"),  # into v
        ("v", "x2"),
        ("v", "y2"),
        ("v", "y1"),  # out of v
        ("x1", "x2"),  # closes x1 -> v -> x2
        ("z1", "y2"),  # closes z1 -> v -> y2
    ]
    b = brokerage(network(pairs, groups), groups="team")
    # Two-paths through v (a -> v -> b):
    #   x1: ->x2 closed; ->y2 representative; ->y1 representative
    #   y1: ->x2 gatekeeper; ->y2 itinerant; ->y1 is a == b
    #   z1: ->x2 gatekeeper; ->y2 closed; ->y1 liaison
    #   x3: ->x2 coordinator; ->y2 representative; ->y1 representative
    assert b.loc["v", list(ROLES)].tolist() == [1, 1, 2, 4, 1]
    assert b.loc["v", "total"] == 9
    # y1 only has v -> y1 -> v (a == b); the others never sit in the middle.
    assert (b.drop(index="v")[[*ROLES, "total"]] == 0).all().all()
    assert b.loc["v", "group"] == "X"


def test_roles_worked_out_by_hand_on_an_undirected_network():
    # Star around v plus the tie a - b; groups a, v in G1 and b, c in G2.
    groups = {"v": "G1", "a": "G1", "b": "G2", "c": "G2"}
    pairs = [("v", "a"), ("v", "b"), ("v", "c"), ("a", "b")]
    b = brokerage(network(pairs, groups, layer="knowledge"), groups="team")
    # a - v - b is closed by a - b. a - v - c counts both ways: a -> v -> c is
    # representative, c -> v -> a gatekeeper; b - v - c (both G2) is itinerant twice.
    assert b.loc["v", list(ROLES)].tolist() == [0, 2, 1, 1, 0]
    assert b.loc[["a", "b", "c"], "total"].tolist() == [0, 0, 0]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("layers", [None, "supply", "knowledge"])
def test_roles_match_brute_force(seed, layers):
    net = random_network(seed)
    ours = brokerage(net, groups="region", layers=layers)
    expected = brute_force_roles(net, net.nodes["region"].to_dict(), layers=layers)
    pd.testing.assert_frame_equal(
        ours[list(ROLES)].astype(np.int64), expected.astype(np.int64), check_names=False
    )
    assert (ours["total"] == expected.sum(axis=1)).all()


def test_roles_by_kind_by_default(supply_chain):
    b = brokerage(supply_chain, layers="supply")
    assert b.attrs["parameters"]["groups"] == "column 'kind'"
    # T2a -> T1a -> OEM: supplier, supplier, firm: T1a represents the suppliers to the OEM.
    assert b.loc["T1a", list(ROLES)].tolist() == [0, 0, 0, 2, 0]
    assert b.loc["T1b", "representative"] == 2


def test_groups_from_a_series_with_missing_values(supply_chain):
    membership = pd.Series({"OEM": 1, "T1a": 1, "T1b": 2, "T2a": 1, "T2b": 2, "T2c": 2})
    b = brokerage(supply_chain, groups=membership.rename("community"), layers="supply")
    # UNI, RC and ISO have no community: they form a group of their own.
    assert b.loc["UNI", "group"] != b.loc["UNI", "group"]  # NaN
    # T2c (2) -> T1a (1) -> OEM (1): gatekeeper; T2a (1) -> T1a -> OEM: coordinator.
    assert b.loc["T1a", ["coordinator", "gatekeeper"]].tolist() == [1, 1]
    assert b.attrs["parameters"]["groups"] == "series 'community'"


# ---------------------------------------------------------------- Burt vs networkx


def nx_effective_size(G, v):
    """networkx's per-actor definition (its ``redundancy``), without its isolate test.

    ``nx.effective_size(G, nodes=...)`` runs this but returns NaN for actors with no
    *outgoing* arc in a DiGraph (it tests ``G[v]``, the successors); and networkx 3.7's
    vectorised path (``nodes=None``) divides the mutual weights by the column maximum
    instead of the row maximum, which disagrees with this definition on weighted graphs.
    """
    nmw = structuralholes.normalized_mutual_weight
    partners = set(nx.all_neighbors(G, v)) - {v}
    if not partners:
        return float("nan")
    return sum(
        1
        - sum(
            nmw(G, v, w, weight="weight") * nmw(G, u, w, norm=max, weight="weight")
            for w in partners
        )
        for u in partners
    )


def assert_burt_matches(net, layers=None):
    ours = brokerage(net, layers=layers)
    G = net.to_networkx(layers=layers)
    con = pd.Series(nx.constraint(G, weight="weight")).reindex(net.nodes.index)
    eff = pd.Series({v: nx_effective_size(G, v) for v in G}).reindex(net.nodes.index)
    per_node = pd.Series(nx.effective_size(G, nodes=list(G), weight="weight"))
    per_node = per_node.reindex(net.nodes.index).dropna()
    partners = pd.Series({v: len(set(nx.all_neighbors(G, v))) for v in G}).reindex(net.nodes.index)
    np.testing.assert_allclose(ours["constraint"], con, atol=TOL)
    np.testing.assert_allclose(ours["effective_size"], eff, atol=TOL)
    np.testing.assert_allclose(ours.loc[per_node.index, "effective_size"], per_node, atol=TOL)
    np.testing.assert_allclose(ours["efficiency"], eff / partners, atol=TOL)
    assert (ours["partners"] == partners).all()


def test_networkx_vectorised_effective_size_differs_on_weighted_graphs():
    # Why the reference above is networkx's per-actor definition: on this weighted
    # triangle with a tail, networkx's two code paths disagree for actor 1.
    G = nx.Graph()
    G.add_weighted_edges_from([(0, 1, 1), (1, 2, 3), (0, 2, 1), (2, 3, 2)])
    net = cm.from_networkx(G)
    ours = brokerage(net)["effective_size"]
    # By hand: p_10 = 1/4, p_12 = 3/4; r_02 = 1, r_20 = 2/6.
    # e_1 = (1 - 3/4 * 1) + (1 - 1/4 * 1/3) = 7/6.
    assert ours["1"] == pytest.approx(7 / 6)
    assert nx.effective_size(G, nodes=[1], weight="weight")[1] == pytest.approx(7 / 6)
    assert nx.effective_size(G, weight="weight")[1] != pytest.approx(7 / 6)


@pytest.mark.parametrize("layers", [None, "supply", "knowledge"])
def test_burt_matches_networkx_on_the_supply_chain(supply_chain, layers):
    assert_burt_matches(supply_chain, layers)
    b = brokerage(supply_chain, layers=layers)
    assert np.isnan(
        b.loc["ISO", ["constraint", "effective_size", "efficiency"]].astype(float)
    ).all()


def test_burt_matches_networkx_on_two_triangles(two_triangles):
    assert_burt_matches(two_triangles)
    b = brokerage(two_triangles)
    # By hand: a has partners b and c, tied to each other: p_ab = p_ac = 1/2, p_bc = 1/2,
    # p_cb = 1/3 (c also has d): constraint = (1/2 + 1/2 * 1/3)^2 + (1/2 + 1/2 * 1/2)^2;
    # effective size 2 - 2 * 1/2 = 1.
    assert b.loc["a", "constraint"] == pytest.approx((2 / 3) ** 2 + (3 / 4) ** 2)
    assert b.loc["a", "effective_size"] == pytest.approx(1.0)
    assert b.loc["c", "effective_size"] == pytest.approx(3 - 2 / 3)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("mixed", [True, False])
def test_burt_matches_networkx_on_random_graphs(seed, mixed):
    assert_burt_matches(random_network(seed, mixed=mixed))


@pytest.mark.realdata
def test_burt_matches_networkx_on_les_miserables(realdata):
    net = cm.read_gml(realdata("community_benchmarks") / "lesmis.gml", weight="value")
    assert_burt_matches(net)


# ---------------------------------------------------------------- coverage of actors


def test_nodes_restricts_the_rows_without_changing_values(supply_chain):
    full = brokerage(supply_chain, groups="region")
    part = brokerage(supply_chain, groups="region", nodes=["T1b", "OEM"])
    assert list(part.index) == ["OEM", "T1b"]
    pd.testing.assert_frame_equal(part, full.loc[["OEM", "T1b"]], check_like=False)
    assert part.attrs["nodes"] == "the 2 actors selected"
    suppliers = brokerage(supply_chain, nodes="supplier")
    assert set(suppliers["kind"]) == {"supplier"}


def test_large_networks_default_to_top_candidates_by_betweenness(monkeypatch):
    net = random_network(3, n=40)
    full = brokerage(net)
    monkeypatch.setattr(settings, "brokerage_max_nodes", 10)
    monkeypatch.setattr(settings, "brokerage_candidates", 5)
    monkeypatch.setattr(settings, "brokerage_work_budget", 0)
    # Ranking 40 actors by betweenness costs more than covering them all ...
    assert brokerage(net).attrs["nodes"] == "all actors"
    # ... unless betweenness is already known (centrality caches it on the network).
    top = centrality(net, measures="betweenness")["betweenness"].nlargest(5).index
    part = brokerage(net)
    assert len(part) == 5
    assert part.attrs["nodes"] == "top 5 actors by betweenness (of 40)"
    assert set(part.index) == set(top)
    pd.testing.assert_frame_equal(part, full.loc[part.index])


def test_brokerage_reuses_the_betweenness_of_centrality(monkeypatch):
    import clustermap.analysis._betweenness as bt

    calls = []
    original = bt._compute
    monkeypatch.setattr(bt, "_compute", lambda *a: calls.append(1) or original(*a))
    monkeypatch.setattr(settings, "brokerage_max_nodes", 10)
    monkeypatch.setattr(settings, "brokerage_candidates", 5)
    monkeypatch.setattr(settings, "brokerage_work_budget", 0)
    net = random_network(5, n=40)
    centrality(net)
    brokerage(net)
    brokerage(net, groups="region")
    assert len(calls) == 1


def test_chunked_products_give_the_same_result(monkeypatch):
    net = random_network(4, n=50)
    whole = brokerage(net, groups="region")
    monkeypatch.setattr(brokerage_module, "_CHUNK_WORK", 20)
    pd.testing.assert_frame_equal(brokerage(net, groups="region"), whole)


def test_table_and_provenance(supply_chain):
    nodes, edges = supply_chain.nodes.copy(), supply_chain.edges.copy()
    b = brokerage(supply_chain, groups="sector")
    assert list(b.columns) == [
        "name",
        "kind",
        "group",
        "partners",
        "constraint",
        "effective_size",
        "efficiency",
        *ROLES,
        "total",
    ]
    assert b.attrs["method"] == "brokerage"
    assert b.attrs["layers"] == ["supply", "knowledge"]
    assert b.attrs["nodes"] == "all actors"
    pd.testing.assert_frame_equal(supply_chain.nodes, nodes)
    pd.testing.assert_frame_equal(supply_chain.edges, edges)


# ---------------------------------------------------------------- bad options


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"groups": "industry"}, r"`groups` names the column 'industry'.*must be one of 'name'"),
        ({"groups": 3}, "`groups` must be a node column name"),
        ({"layers": "ownership"}, r"unknown layer\(s\) 'ownership'; `layers` must be among"),
    ],
)
def test_bad_options(supply_chain, kwargs, match):
    with pytest.raises(cm.ConfigError, match=match):
        brokerage(supply_chain, **kwargs)


def test_bad_selections(supply_chain):
    with pytest.raises(cm.InputError, match="shares no id"):
        brokerage(supply_chain, groups=pd.Series({"nobody": 1}))
    with pytest.raises(cm.InputError, match="not in the network: 'ghost'"):
        brokerage(supply_chain, nodes=["ghost"])


# ---------------------------------------------------------------- command line and demo


def test_command_line(supply_chain, tmp_path):
    supply_chain.save(tmp_path / "net.cmap")
    args = ["brokerage", "--network", str(tmp_path / "net.cmap")]
    out = tmp_path / "b.csv"
    result = CliRunner().invoke(main, [*args, "--groups", "region", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, index_col="id", encoding="utf-8-sig")
    assert len(table) == supply_chain.n_nodes
    assert "total" in table.columns
    result = CliRunner().invoke(
        main, [*args, "--actors", "OEM,T1a", "--layers", "supply", "-o", str(tmp_path / "b.xlsx")]
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_excel(tmp_path / "b.xlsx", sheet_name="data")) == 2
    result = CliRunner().invoke(main, [*args, "--groups", "industry"])
    assert result.exit_code == 2
    assert "`groups` names the column 'industry'" in result.output


def test_demo_step_uses_the_partition_when_there_is_one(tmp_path):
    from clustermap.commands.brokerage import _demo
    from clustermap.demo import DemoContext

    net = cm.make_cluster(n_actors=120, seed=5)
    ctx = DemoContext(tmp_path, net, 5)
    _demo(ctx)
    assert ctx.results["brokerage"].attrs["parameters"]["groups"] == "column 'region'"
    membership = pd.Series(np.arange(net.n_nodes) % 3 + 1, index=net.nodes.index, name="community")

    class FakePartition:
        pass

    part = FakePartition()
    part.membership = membership
    ctx = DemoContext(tmp_path, net, 5, results={"partition": part})
    _demo(ctx)
    assert ctx.results["brokerage"].attrs["parameters"]["groups"] == "series 'community'"
    assert (tmp_path / "brokerage.csv").exists()


def test_network_without_links():
    net = cm.from_tables({"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"}, None)
    b = brokerage(net)
    assert b[["constraint", "effective_size", "efficiency"]].isna().all().all()
    assert (b[[*ROLES, "total", "partners"]] == 0).all().all()


def test_groups_may_be_a_partition(supply_chain):
    import clustermap as cm

    part = cm.find_communities(supply_chain, seed=1)
    by_partition = cm.brokerage(supply_chain, groups=part)
    by_membership = cm.brokerage(supply_chain, groups=part.membership)
    pd.testing.assert_frame_equal(by_partition, by_membership, check_like=True)
