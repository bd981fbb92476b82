"""Tests for clustermap.analysis.tiers: supply-chain tiers worked out by hand.

Each fixture is drawn on paper; supply runs supplier -> buyer. ``tier`` is
the shortest number of supply steps to a final buyer, ``depth`` the longest
once cycles are broken.
"""

from __future__ import annotations

import logging

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError


def network(links: list[tuple[str, str]], extra: tuple[str, ...] = (), layer: str = "supply"):
    ids = sorted({x for pair in links for x in pair} | set(extra))
    nodes = pd.DataFrame({"id": ids, "name": [i.upper() for i in ids], "kind": "firm"})
    edges = pd.DataFrame(links, columns=["source", "target"]).assign(layer=layer)
    return cm.from_tables(nodes, edges)


def column(table: pd.DataFrame, name: str) -> dict[str, int | None]:
    return {k: (None if pd.isna(v) else int(v)) for k, v in table[name].items()}


def test_chain():
    # c -> b -> a -> oem
    t = cm.supply_tiers(network([("c", "b"), ("b", "a"), ("a", "oem")]))
    assert column(t, "tier") == {"a": 1, "b": 2, "c": 3, "oem": 0}
    assert column(t, "depth") == column(t, "tier")
    assert t["buyer"].to_dict() == {"a": False, "b": False, "c": False, "oem": True}
    assert t.attrs["method"] == "supply_tiers"
    assert t.attrs["layers"] == ["supply"]
    assert t.attrs["broken_ties"] == []
    assert t.attrs["buyers"] == 1


def test_diamond_with_a_shortcut():
    # s supplies x and y, both supply oem; s also supplies oem directly:
    # s is a tier-1 supplier (one step) but sits two columns out (the longest chain)
    t = cm.supply_tiers(network([("s", "x"), ("s", "y"), ("x", "oem"), ("y", "oem"), ("s", "oem")]))
    assert column(t, "tier") == {"oem": 0, "s": 1, "x": 1, "y": 1}
    assert column(t, "depth") == {"oem": 0, "s": 2, "x": 1, "y": 1}


def test_plain_diamond():
    t = cm.supply_tiers(network([("s", "x"), ("s", "y"), ("x", "oem"), ("y", "oem")]))
    assert column(t, "tier") == {"oem": 0, "s": 2, "x": 1, "y": 1}


def test_cycle_is_broken_against_the_flow(caplog):
    # a and b supply each other; b supplies oem: b is tier 1, a tier 2; b -> a is broken
    with caplog.at_level(logging.WARNING, logger="clustermap.analysis.tiers"):
        t = cm.supply_tiers(network([("a", "b"), ("b", "a"), ("b", "oem")]))
    assert column(t, "tier") == {"a": 2, "b": 1, "oem": 0}
    assert column(t, "depth") == {"a": 2, "b": 1, "oem": 0}
    assert t.attrs["broken_ties"] == [["b", "a"]]
    assert "broke 1 supply tie" in caplog.text


def test_three_cycle_and_unreached_actors():
    # p -> q -> r -> p, r -> oem; u -> v supply each other nothing downstream; w isolated
    t = cm.supply_tiers(
        network([("p", "q"), ("q", "r"), ("r", "p"), ("r", "oem"), ("u", "v"), ("v", "u")], ("w",))
    )
    assert column(t, "tier") == {
        "oem": 0, "p": 3, "q": 2, "r": 1, "u": None, "v": None, "w": None,
    }  # fmt: skip
    assert column(t, "depth") == column(t, "tier")
    # u and v supply each other and reach no buyer; w has no supply tie at all
    assert t.attrs["unreached"] == 2
    # the cycle p -> q -> r -> p is broken where it runs back upstream: r (tier 1) -> p (tier 3)
    assert t.attrs["broken_ties"] == [["r", "p"]]


def test_given_buyers_end_the_chain():
    # a -> b -> c; with b as the buyer, what b supplies onwards does not count
    t = cm.supply_tiers(network([("a", "b"), ("b", "c")]), buyers=["b"])
    assert column(t, "tier") == {"a": 1, "b": 0, "c": None}
    t = cm.supply_tiers(network([("a", "b"), ("b", "c")]), buyers={"name": "B"})
    assert column(t, "tier")["a"] == 1


def test_depth_runs_every_kept_tie_one_way():
    net = cm.make_cluster(n_actors=400, seed=3)
    t = cm.supply_tiers(net)
    e = net.edges
    e = e[(e["layer"] == "supply") & (e["source"] != e["target"])]
    broken = {tuple(p) for p in t.attrs["broken_ties"]}
    depth = t["depth"]
    buyer = t["buyer"]
    for s, d in zip(e["source"], e["target"], strict=True):
        if (s, d) in broken or buyer[s] or pd.isna(depth[s]):
            continue
        assert depth[s] > depth[d]


def test_tier_matches_networkx_shortest_paths():
    net = cm.make_cluster(n_actors=300, seed=8)
    t = cm.supply_tiers(net)
    g = nx.DiGraph()
    g.add_nodes_from(net.nodes.index)
    e = net.edges
    e = e[e["layer"] == "supply"]
    buyers = set(t.index[t["buyer"]])
    g.add_edges_from(
        (s, d) for s, d in zip(e["source"], e["target"], strict=True) if s not in buyers
    )
    g.add_edges_from((b, "__sink__") for b in buyers)
    dist = nx.single_source_shortest_path_length(g.reverse(copy=False), "__sink__")
    expected = {k: dist.get(k, np.nan) - 1 for k in net.nodes.index}
    got = t["tier"].astype("float64").to_dict()
    assert got == pytest.approx(expected, nan_ok=True)


def test_errors():
    with pytest.raises(ConfigError, match="needs directed layers"):
        cm.supply_tiers(network([("a", "b")], layer="knowledge"), layers="knowledge")
    with pytest.raises(InputError, match="no final buyer"):
        cm.supply_tiers(network([("a", "b"), ("b", "a")]))
    with pytest.raises(InputError):
        cm.supply_tiers(network([("a", "b")]), buyers=["zz"])
