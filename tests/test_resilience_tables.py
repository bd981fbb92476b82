"""Resilience's array code against the pandas definitions it replaces, to the last bit.

The dependency tables sort on sums of shares, so a sum that differs in its
last bit can reorder rows: the array code must add exactly as pandas'
``groupby().sum()`` adds. The references here are the pandas formulations.
"""

from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.analysis._centrality_tools import forest_subtree_sums
from clustermap.analysis.resilience import (
    _group_sums,
    _is_sorted,
    _runs,
    _stable_order,
    resilience,
)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("rows_sorted", [True, False])
@pytest.mark.parametrize("with_nan", [True, False])
def test_group_sums_add_as_pandas_does(seed, rows_sorted, with_nan):
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 40, 2000)
    if rows_sorted:
        keys.sort()
    values = rng.uniform(0.1, 10, len(keys)) / 3.0
    values[rng.random(len(keys)) < 0.05] = 1e15  # large beside small: Kahan differs from naive
    if with_nan:
        values[rng.random(len(keys)) < 0.1] = np.nan
    expected = pd.Series(values).groupby(keys).sum().to_numpy()
    order = np.argsort(keys, kind="stable")
    group, start = _runs(keys[order])
    got = _group_sums(group, values[order], len(start), rows_sorted=_is_sorted(keys))
    assert got.tobytes() == expected.tobytes()


def test_group_sums_keep_infinite_sums_as_pandas_does():
    keys = np.array([0, 1, 0, 1, 0, 2, 2, 2])
    values = np.array([1e308, np.inf, 1e308, 1.0, 5.0, -np.inf, 1.0, np.nan])
    expected = pd.Series(values).groupby(keys).sum().to_numpy()
    order = np.argsort(keys, kind="stable")
    group, start = _runs(keys[order])
    got = _group_sums(group, values[order], len(start), rows_sorted=False)
    np.testing.assert_array_equal(got, expected)


# ---------------------------------------------------------------- pandas references


def _reference_pairs(net: cm.ClusterNetwork) -> pd.DataFrame:
    edges = net.edges[net.edges["layer"] == "supply"]
    index = net.nodes.index
    src = index.get_indexer(edges["source"])
    dst = index.get_indexer(edges["target"])
    value = pd.to_numeric(edges["value"], errors="coerce").to_numpy(dtype=np.float64)
    keep = src != dst
    arcs = pd.DataFrame(
        {
            "buyer": dst[keep],
            "supplier": src[keep],
            "weight": edges["weight"].to_numpy()[keep],
            "value": np.nan_to_num(value[keep], nan=0.0),
            "missing": ~np.isfinite(value[keep]),
        }
    )
    return arcs.groupby(["buyer", "supplier"], sort=True, as_index=False).sum()


def _reference_concentration(net: cm.ClusterNetwork, by: str, partner: str) -> pd.DataFrame:
    pairs = _reference_pairs(net)
    grouped = pairs.groupby(by)
    use_value = (grouped["missing"].transform("sum") == 0) & (grouped["value"].transform("sum") > 0)
    pairs["amount"] = np.where(use_value, pairs["value"], pairs["weight"])
    pairs["basis"] = np.where(use_value, "value", "weight")
    pairs["share"] = pairs["amount"] / pairs.groupby(by)["amount"].transform("sum")
    grouped = pairs.groupby(by)
    table = pd.DataFrame(
        {
            "partners": grouped.size(),
            "total": grouped["amount"].sum(),
            "basis": grouped["basis"].first(),
            "herfindahl": (pairs["share"] ** 2).groupby(pairs[by]).sum(),
        }
    )
    top = pairs.sort_values([by, "share", partner], ascending=[True, False, True])
    top = top.drop_duplicates(by).set_index(by)
    ids = net.nodes.index
    table["largest"] = ids[top.loc[table.index, partner].to_numpy()]
    table["largest_share"] = top.loc[table.index, "share"].to_numpy()
    table.index = ids[table.index.to_numpy()]
    order = np.lexsort(
        (table.index.to_numpy(), -table["herfindahl"].to_numpy(), -table["largest_share"])
    )
    return table.iloc[order]


def _tangled_net(seed: int, *, sort_rows: bool) -> cm.ClusterNetwork:
    """Parallel links, many suppliers per buyer, some values missing; rows sorted or not."""
    rng = np.random.default_rng(seed)
    ids = [f"a{i:03d}" for i in rng.permutation(60)]
    nodes = pd.DataFrame({"name": ids, "kind": "firm"}, index=pd.Index(ids, name="id"))
    m = 900
    src = rng.integers(0, 60, m)
    dst = np.where(rng.random(m) < 0.3, 7, rng.integers(0, 60, m))  # actor 7 buys a lot
    if sort_rows:  # rows in (buyer, supplier) position order: pandas then adds with reduceat
        order = np.lexsort((src, dst))
        src, dst = src[order], dst[order]
    value = rng.uniform(0.1, 10, m) / 7.0
    value[rng.random(m) < 0.02] = np.nan
    edges = pd.DataFrame(
        {
            "source": np.array(ids)[src],
            "target": np.array(ids)[dst],
            "layer": "supply",
            "weight": rng.uniform(0.1, 10, m) / 3.0,
            "value": value,
            "product": rng.choice(["bolts", "nuts"], m),
        }
    )
    return cm.ClusterNetwork(nodes, edges)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("sort_rows", [True, False])
def test_dependency_tables_match_the_pandas_reference(seed, sort_rows):
    net = _tangled_net(seed, sort_rows=sort_rows)
    r = resilience(net)
    for table, by, partner, names in [
        (r.dependencies, "buyer", "supplier", ["suppliers", "inputs", "largest_supplier"]),
        (r.customer_dependencies, "supplier", "buyer", ["customers", "sales", "largest_customer"]),
    ]:
        expected = _reference_concentration(net, by, partner)
        got = table.rename(columns=dict(zip(names, ["partners", "total", "largest"], strict=True)))
        assert list(got.index) == list(expected.index)
        for column in ["partners", "total", "basis", "largest", "largest_share", "herfindahl"]:
            assert got[column].tolist() == expected[column].tolist(), column


@pytest.mark.parametrize("sort_rows", [True, False])
def test_sole_sources_match_the_pandas_reference(sort_rows):
    net = _tangled_net(5, sort_rows=sort_rows)
    edges = net.edges[net.edges["source"] != net.edges["target"]]
    frame = edges.rename(columns={"target": "buyer", "source": "supplier"})
    sole = frame.groupby(["buyer", "product"])["supplier"].transform("nunique") == 1
    expected = (
        frame[sole]
        .groupby(["buyer", "product"], sort=True)
        .agg(
            supplier=("supplier", "first"),
            links=("supplier", "size"),
            weight=("weight", "sum"),
            value=("value", "sum"),
            known=("value", "count"),
        )
        .reset_index()
    )
    use_value = (expected["known"] == expected["links"]) & (expected["value"] > 0)
    expected["amount"] = np.where(use_value, expected["value"], expected["weight"])
    expected = expected.sort_values(["amount", "buyer", "product"], ascending=[False, True, True])
    got = resilience(net).sole_sources
    assert len(got) == len(expected) > 0
    for column in ["buyer", "product", "supplier", "links", "amount"]:
        assert got[column].tolist() == expected[column].tolist(), column


@pytest.mark.parametrize("seed", range(3))
def test_stable_order_is_a_stable_sort(seed):
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, [5, 500, 10**9][seed], 3000)
    assert _stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()
    assert _stable_order(keys[:0]).tolist() == []
    wide = rng.integers(0, 2**61, 50) * 4  # too wide to pack with the row number
    assert _stable_order(wide).tolist() == np.argsort(wide, kind="stable").tolist()


@pytest.mark.parametrize("seed", range(4))
def test_forest_sums_match_the_igraph_reference(seed):
    rng = np.random.default_rng(seed)
    n = 400
    # a random forest: each node but a few links to an earlier node, labels shuffled
    label = rng.permutation(n)
    child = np.arange(1, n)
    keep = rng.random(n - 1) > 0.05
    u, v = label[child[keep]], label[rng.integers(0, child[keep])]
    weight = rng.integers(1, 5, n).astype(np.float64)
    got = forest_subtree_sums(n, u, v, weight)
    expected = _reference_forest_sums(n, u, v, weight)
    for a, b in zip(got, expected, strict=True):
        assert a.tolist() == b.tolist()


def _reference_forest_sums(
    n_nodes: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The igraph version the shared tool had before: an independent reference."""
    weight = np.asarray(weight, dtype=np.float64)
    forest = ig.Graph(n=n_nodes, edges=np.column_stack([u, v]).tolist(), directed=False)
    membership = np.asarray(forest.connected_components().membership, dtype=np.int64)
    n_trees = int(membership.max()) + 1 if n_nodes else 0
    roots = np.full(n_trees, n_nodes, dtype=np.int64)
    np.minimum.at(roots, membership, np.arange(n_nodes, dtype=np.int64))
    # One search from a virtual super-root linked to every tree's root.
    forest.add_vertices(1)
    forest.add_edges(np.column_stack([np.full(n_trees, n_nodes), roots]).tolist())
    order, starts, parents = forest.bfs(n_nodes)
    order_arr = np.asarray(order, dtype=np.int64)
    parent = np.asarray(parents, dtype=np.int64)[:n_nodes]
    parent[parent == n_nodes] = -1
    parent[roots] = -1
    subtree = weight.copy()
    bounds = list(starts)
    for level in range(len(bounds) - 2, 0, -1):
        members = order_arr[bounds[level] : bounds[level + 1]]
        members = members[parent[members] >= 0]
        np.add.at(subtree, parent[members], subtree[members])
    tree_total = subtree[roots][membership] if n_nodes else subtree
    return parent, subtree, tree_total
