"""Where the supply chain would break: dependencies, cut points and what-if removals.

:func:`resilience` scans the whole network at once and returns a
:class:`Resilience` with named tables: the single points of failure, each
buyer's dependency on its suppliers, the articulation points and the
bridges. :func:`simulate_removal` answers one what-if question (a plant
closes, a university leaves) with a :class:`RemovalImpact`.

Conventions: "connected" is read on the undirected view of the selected
layers (a tie in either direction keeps two actors in touch); "supplier"
and "buyer" on the directed view (supply runs supplier -> buyer; on an
undirected layer each partner counts as both). A *firm* is an actor of kind
``firm`` or ``supplier``.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from clustermap import settings
from clustermap._provenance import stamp
from clustermap.analysis._centrality_tools import (
    actor_table,
    adjacency,
    checked_layers,
    forest_subtree_sums,
    igraph_quiet,
    require_actors,
    used_layers,
)
from clustermap.errors import ConfigError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork
    from clustermap.graphs.selection import Selection

__all__ = ["RemovalImpact", "Resilience", "resilience", "simulate_removal"]

log = logging.getLogger(__name__)

_FIRM_KINDS = ("firm", "supplier")


# ------------------------------------------------------------------ results


def _json_tables(provenance: dict[str, Any], tables: dict[str, pd.DataFrame]) -> str:
    data = {
        name: json.loads(table.reset_index().to_json(orient="records", date_format="iso"))
        for name, table in tables.items()
    }
    return json.dumps({"meta": provenance, **data}, ensure_ascii=False, indent=2, default=str)


@dataclass
class Resilience:
    """Where a supply network would break; the result of :func:`resilience`.

    Attributes
    ----------
    failure_points : pandas.DataFrame
        Single points of failure, indexed by actor id, most harmful first:
        ``name``, ``kind``, ``buyers`` (distinct direct buyers),
        ``firms_losing_all_suppliers`` (firms whose only supplier it is),
        ``actors_cut_off`` (actors that lose their connection to the larger
        part of their connected group when it disappears) and
        ``articulation_point``.
    dependencies : pandas.DataFrame
        One row per buyer, most dependent first: ``suppliers`` (distinct),
        ``inputs`` (total, in ``basis`` units), ``basis`` (``value`` or
        ``weight``), ``largest_supplier`` (id), ``largest_supplier_name``,
        ``largest_share`` and ``herfindahl``.
    articulation_points : pandas.DataFrame
        Actors whose removal splits their connected group: ``name``,
        ``kind``, ``partners``, ``actors_cut_off``.
    bridges : pandas.DataFrame
        Ties whose loss splits their connected group, numbered from 1 (index
        ``bridge``), largest cut first: ``source``,
        ``target``, their names, ``weight`` and ``smaller_side`` (actors on
        the smaller side of the cut).
    customer_dependencies : pandas.DataFrame
        The mirror of ``dependencies``: one row per supplier, most dependent
        first: ``customers`` (distinct), ``sales`` (total, in ``basis``
        units), ``basis``, ``largest_customer`` (id),
        ``largest_customer_name``, ``largest_share`` (of its sales) and
        ``herfindahl``.
    sole_sources : pandas.DataFrame
        When supply links say what is supplied (a ``product`` column, or a
        ``type`` column with more than one value): one row per buyer and
        product bought from a single supplier, largest amount first:
        ``buyer``, ``buyer_name``, ``product``, ``supplier``,
        ``supplier_name``, ``links``, ``amount`` and ``basis``. Empty when
        the links do not say.
    provenance : dict
        How the result was made (method, parameters, layers, version, date).
    """

    failure_points: pd.DataFrame
    dependencies: pd.DataFrame
    articulation_points: pd.DataFrame
    bridges: pd.DataFrame
    customer_dependencies: pd.DataFrame = field(default_factory=pd.DataFrame)
    sole_sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The main table: the single points of failure."""
        return self.failure_points

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Every table by name, for an Excel workbook."""
        sheets = {
            "failure points": self.failure_points,
            "dependencies": self.dependencies,
            "customer dependence": self.customer_dependencies,
            "articulation points": self.articulation_points,
            "bridges": self.bridges,
        }
        if len(self.sole_sources):
            sheets["sole sources"] = self.sole_sources
        return sheets

    def to_json(self) -> str:
        """Every table as JSON records, with the provenance under ``meta``."""
        return _json_tables(self.provenance, self.to_sheets())


@dataclass
class RemovalImpact:
    """What happens when some actors leave; the result of :func:`simulate_removal`.

    Attributes
    ----------
    removed : pandas.DataFrame
        The actors removed (``name``, ``kind``), indexed by id.
    summary : pandas.DataFrame
        Network-level figures ``before``, ``after`` and their ``change``:
        ``actors``, ``links`` (rows of the links table in the layers read,
        counted as :meth:`ClusterNetwork.summary` counts them, parallel links
        included), ``linked_pairs`` (distinct pairs of actors with at least
        one link), ``components``, ``largest_component`` and
        ``reachable_pairs`` (the share of pairs of actors joined by some
        path: the reach of the network).
    impact : pandas.Series
        Counts: ``removed``, ``firms_losing_a_supplier``,
        ``firms_losing_all_suppliers``, ``actors_cut_off`` (left outside the
        largest connected group) and ``downstream_actors`` (reached from the
        removed actors along the links before the removal, within
        ``max_hops`` steps when given).
    affected : pandas.DataFrame
        One row per actor touched, indexed by id: ``name``, ``kind``,
        ``suppliers``, ``suppliers_lost``, ``input_share_lost``,
        ``loses_all_suppliers``, ``cut_off``, ``downstream``, and
        ``downstream_step`` (1 = a direct buyer of a removed actor, 2 = a
        buyer's buyer...; empty when not downstream).
    provenance : dict
        How the result was made.
    """

    removed: pd.DataFrame
    summary: pd.DataFrame
    impact: pd.Series
    affected: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The main table: the actors affected."""
        return self.affected

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Every table by name, for an Excel workbook."""
        impact = self.impact.to_frame("value")
        impact.index.name = "item"
        return {
            "summary": self.summary,
            "impact": impact,
            "affected": self.affected,
            "removed": self.removed,
        }

    def to_json(self) -> str:
        """Every table as JSON records, with the provenance under ``meta``."""
        return _json_tables(self.provenance, self.to_sheets())


# ------------------------------------------------------------------ helpers


def _record(
    method: str, parameters: dict[str, Any], layers: list[str], **extra: Any
) -> dict[str, Any]:
    return dict(
        stamp(pd.DataFrame(), method=method, parameters=parameters, layers=layers, **extra).attrs
    )


def _stamped(table: pd.DataFrame, record: dict[str, Any], what: str) -> pd.DataFrame:
    table.attrs.update(record)
    table.attrs["table"] = what
    return table


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Number the runs of equal values in sorted ``keys``: each element's run, each run's start."""
    new = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    return np.cumsum(new) - 1, np.flatnonzero(new)


def _run_lengths(start: np.ndarray, size: int) -> np.ndarray:
    """Lengths of the runs starting at ``start`` in an array of ``size`` elements."""
    return np.diff(start, append=size).astype(np.int64)


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """``numpy.argsort(keys, kind="stable")`` for integer keys, about twice as fast.

    Sorts the distinct numbers ``key * len(keys) + row`` when they fit in
    64 bits: any sort of them keeps equal keys in row order.
    """
    m = len(keys)
    if m == 0:
        return np.zeros(0, dtype=np.intp)
    low, high = int(keys.min()), int(keys.max())
    if (high - low + 1) * m >= 2**62:
        return np.argsort(keys, kind="stable")
    return np.argsort((keys - low) * m + np.arange(m))


def _is_sorted(keys: np.ndarray) -> bool:
    """Whether ``keys`` never decrease."""
    return bool(np.all(keys[1:] >= keys[:-1]))


def _group_sums(
    group: np.ndarray, values: np.ndarray, n_groups: int, *, rows_sorted: bool
) -> np.ndarray:
    """Sum ``values`` by ``group`` exactly as ``Series.groupby(keys).sum()`` does.

    ``group`` is sorted (0 .. ``n_groups - 1``), each group's values in the
    order of the rows pandas would read; ``rows_sorted`` says whether those
    rows came sorted by group. pandas (3.x) then adds each group's values
    with ``numpy.add.reduceat`` (when no value is NaN); otherwise row by row
    with Kahan compensation, skipping NaN. Both are done here, the second
    for every group at once, one numpy step per value of the largest group,
    so the sums are the same to the last bit and tables sorted on them keep
    their order.
    """
    nan = np.isnan(values)
    total = np.zeros(n_groups)
    if rows_sorted and not nan.any():
        if len(values):
            start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
            with np.errstate(over="ignore", invalid="ignore"):
                total[group[start]] = np.add.reduceat(values, start)
        return total
    if nan.any():
        group, values = group[~nan], values[~nan]
    if len(values) == 0:
        return total
    compensation = np.zeros(n_groups)
    counts = np.bincount(group, minlength=n_groups)
    start = np.cumsum(counts) - counts
    who = np.flatnonzero(counts)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, int(counts.max()) + 1):
            who = who[counts[who] >= k]  # the groups with a k-th value
            before = total[who]
            y = values[start[who] + k - 1] - compensation[who]
            t = before + y
            c = (t - before) - y
            c[~np.isfinite(c)] = 0.0  # an infinite value or an overflow, as pandas does
            compensation[who] = c
            total[who] = t
    return total


def _text_ranks(index: pd.Index) -> np.ndarray:
    """Each id's rank when the ids are sorted as text (the order sorting an id column gives)."""
    rank = np.empty(len(index), dtype=np.int64)
    rank[np.asarray(index.argsort())] = np.arange(len(index))
    return rank


def _words(by_value: np.ndarray) -> Any:
    """``"value"`` where ``by_value``, else ``"weight"``, as a text column."""
    return pd.Index(["weight", "value"]).array.take(by_value.astype(np.intp))


def _actor_rows(
    nodes: pd.DataFrame, rows: np.ndarray, *, keep_attrs: bool = False, **columns: Any
) -> pd.DataFrame:
    """``name`` and ``kind`` of the actors at positions ``rows``, indexed by id, then ``columns``.

    ``keep_attrs``: carry the node table's ``attrs``, as a copy of its rows would.
    """
    table = pd.DataFrame(
        {"name": nodes["name"].array.take(rows), "kind": nodes["kind"].array.take(rows), **columns},
        index=nodes.index.take(rows),
    )
    if keep_attrs:
        table.attrs = copy.deepcopy(nodes.attrs)
    return table


@dataclass(frozen=True)
class _Pairs:
    """Distinct (buyer, supplier) pairs (positions), sorted by buyer then supplier.

    ``weight`` and ``value`` are summed over the pair's links (a missing value
    counts 0); ``missing`` counts the links without a value.
    """

    buyer: np.ndarray
    supplier: np.ndarray
    weight: np.ndarray
    value: np.ndarray
    missing: np.ndarray


def _supply_arcs(net: ClusterNetwork, names: list[str], read: np.ndarray) -> _Pairs:
    """One row per (buyer, supplier) pair: summed weight and value, and missing values.

    ``read`` marks the links of the layers ``names``. On an undirected layer
    each partner counts as both buyer and supplier. Self-loops are dropped.
    """
    edges = net.edges
    src_all, dst_all = net._edge_positions()
    src, dst = src_all[read], dst_all[read]
    weight = edges["weight"].to_numpy(dtype=np.float64)[read]
    if "value" in edges.columns:
        value = pd.to_numeric(edges["value"][read], errors="coerce").to_numpy(dtype=np.float64)
    else:
        value = np.full(len(src), np.nan)
    undirected = [name for name in names if not net.directed[name]]
    if undirected:
        both = edges["layer"].isin(undirected).to_numpy()[read]
        src, dst = np.concatenate([src, dst[both]]), np.concatenate([dst, src[both]])
        weight = np.concatenate([weight, weight[both]])
        value = np.concatenate([value, value[both]])
    keep = src != dst
    buyer, supplier, weight, value = dst[keep], src[keep], weight[keep], value[keep]
    key = buyer * max(net.n_nodes, 1) + supplier
    order = _stable_order(key)
    group, start = _runs(key[order])
    value = value[order]
    n_pairs = len(start)
    first = order[start]
    rows_sorted = _is_sorted(key)
    return _Pairs(
        buyer=buyer[first],
        supplier=supplier[first],
        weight=_group_sums(group, weight[order], n_pairs, rows_sorted=rows_sorted),
        value=_group_sums(group, np.nan_to_num(value, nan=0.0), n_pairs, rows_sorted=rows_sorted),
        missing=np.bincount(group[~np.isfinite(value)], minlength=n_pairs),
    )


@dataclass(frozen=True)
class _Shares:
    """The pairs grouped by one side (buyers or suppliers), each with its share of the group.

    Pairs run by ``actor`` (the group's actor, position), then ``partner``;
    ``group`` and ``start`` locate them. Per pair: ``partner``, ``amount``,
    ``share``; per group: ``actor``, ``total`` and ``by_value``.
    ``rows_sorted``: whether the pairs, by buyer then supplier, were already
    grouped this way (see :func:`_group_sums`).
    """

    actor: np.ndarray
    group: np.ndarray
    start: np.ndarray
    partner: np.ndarray
    amount: np.ndarray
    share: np.ndarray
    total: np.ndarray
    by_value: np.ndarray
    rows_sorted: bool


def _shares(pairs: _Pairs, by: str) -> _Shares:
    """Each pair's amount and its share of the ``by`` actor's total (inputs or sales).

    The amount is the summed ``value`` when every pair of that actor has a
    known value and they sum to more than 0, else the summed ``weight``.
    """
    if by == "buyer":
        order = np.arange(len(pairs.buyer))
        actor, partner = pairs.buyer, pairs.supplier
    else:
        # by supplier, then buyer (the pairs run by buyer): one sort of distinct keys
        order = np.argsort(pairs.supplier * (int(pairs.buyer.max(initial=0)) + 1) + pairs.buyer)
        actor, partner = pairs.supplier[order], pairs.buyer[order]
    value, weight = pairs.value[order], pairs.weight[order]
    rows_sorted = by == "buyer" or _is_sorted(pairs.supplier)
    group, start = _runs(actor)
    k = len(start)
    missing = np.bincount(group, weights=pairs.missing[order], minlength=k)
    by_value = (missing == 0) & (_group_sums(group, value, k, rows_sorted=rows_sorted) > 0)
    amount = np.where(by_value[group], value, weight)
    total = _group_sums(group, amount, k, rows_sorted=rows_sorted)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = amount / total[group]
    return _Shares(
        actor=actor[start],
        group=group,
        start=start,
        partner=partner,
        amount=amount,
        share=share,
        total=total,
        by_value=by_value,
        rows_sorted=rows_sorted,
    )


def _supply_pairs(net: ClusterNetwork, names: list[str]) -> pd.DataFrame:
    """One row per (buyer, supplier) pair with its share of the buyer's inputs."""
    read = net.edges["layer"].isin(names).to_numpy()
    shares = _shares(_supply_arcs(net, names, read), "buyer")
    return pd.DataFrame(
        {
            "buyer": shares.actor[shares.group],
            "supplier": shares.partner,
            "amount": shares.amount,
            "basis": np.where(shares.by_value[shares.group], "value", "weight"),
            "share": shares.share,
        }
    )


def _concentration(
    net: ClusterNetwork, shares: _Shares, rank: np.ndarray, labels: dict[str, str]
) -> pd.DataFrame:
    """Concentration of each actor's inputs (or sales) over its partners.

    ``labels`` names the output columns: ``partners`` (count), ``total``,
    ``largest`` (id), ``largest_name``. ``rank`` orders the actors by id.
    """
    columns = [
        "name", "kind", labels["partners"], labels["total"], "basis", labels["largest"],
        labels["largest_name"], "largest_share", "herfindahl",
    ]  # fmt: skip
    if len(shares.actor) == 0:
        return actor_table(net).iloc[:0].reindex(columns=columns)
    group, start, share = shares.group, shares.start, shares.share
    k = len(start)
    with np.errstate(over="ignore"):
        herfindahl = _group_sums(group, share**2, k, rows_sorted=shares.rows_sorted)
    # the largest share, ties to the lowest partner (pairs run by partner within a group)
    best = np.fmax.reduceat(share, start)
    hit = np.flatnonzero(share == best[group])
    first_hit = hit[_runs(group[hit])[1]]
    largest = start.copy()  # a group of NaN shares only: its first pair
    largest[group[first_hit]] = first_hit
    largest_share = share[largest]
    order = np.lexsort((rank[shares.actor], -herfindahl, -largest_share))
    nodes = net.nodes
    top = shares.partner[largest[order]]
    table = _actor_rows(
        nodes,
        shares.actor[order],
        **{
            labels["partners"]: _run_lengths(start, len(group))[order],
            labels["total"]: shares.total[order],
            "basis": _words(shares.by_value[order]),
            labels["largest"]: nodes.index.array.take(top),
            labels["largest_name"]: nodes["name"].array.take(top),
            "largest_share": largest_share[order],
            "herfindahl": herfindahl[order],
        },
    )
    table.index.name = "id"
    return table


def _dependencies(net: ClusterNetwork, pairs: _Pairs, rank: np.ndarray) -> pd.DataFrame:
    """Each buyer's dependency on its suppliers (shares of its inputs)."""
    labels = {
        "partners": "suppliers",
        "total": "inputs",
        "largest": "largest_supplier",
        "largest_name": "largest_supplier_name",
    }
    return _concentration(net, _shares(pairs, "buyer"), rank, labels)


def _customer_dependencies(net: ClusterNetwork, pairs: _Pairs, rank: np.ndarray) -> pd.DataFrame:
    """Each supplier's dependence on its customers (shares of its sales)."""
    labels = {
        "partners": "customers",
        "total": "sales",
        "largest": "largest_customer",
        "largest_name": "largest_customer_name",
    }
    return _concentration(net, _shares(pairs, "supplier"), rank, labels)


def _product_column(net: ClusterNetwork, read: np.ndarray, product: str | None) -> str | None:
    """The link column that says what is supplied, or None when the data do not say.

    ``read`` marks the links of the layers read.
    """
    edges = net.edges
    if product is not None:
        if product not in edges.columns:
            found = ", ".join(map(repr, edges.columns))
            msg = f"`product` column {product!r} is not a link column (found: {found})"
            raise ConfigError(msg)
        return product
    if "product" in edges.columns:
        return "product"
    if "type" in edges.columns:
        kinds = edges["type"][read].dropna()
        if len(kinds) and (kinds != kinds.iloc[0]).any():
            return "type"
    return None


def _sole_sources(
    net: ClusterNetwork, column: str | None, read: np.ndarray, rank: np.ndarray
) -> pd.DataFrame:
    """Per buyer and product, the products bought from one supplier only.

    ``read`` marks the links of the layers read; ``rank`` orders the actors by id.
    """
    columns = [
        "buyer", "buyer_name", "product", "supplier", "supplier_name", "links", "amount", "basis",
    ]  # fmt: skip
    if column is None:
        return pd.DataFrame(columns=columns)
    edges = net.edges
    src, dst = net._edge_positions()
    use = read & edges[column].notna().to_numpy() & (src != dst)
    if not use.any():
        return pd.DataFrame(columns=columns)
    src, dst = src[use], dst[use]
    codes, products = pd.factorize(edges[column][use].astype(str), sort=True)
    weight = edges["weight"].to_numpy(dtype=np.float64)[use]
    if "value" in edges.columns:
        value = pd.to_numeric(edges["value"][use], errors="coerce").to_numpy(dtype=np.float64)
    else:
        value = np.full(len(src), np.nan)
    # groups (buyer, product) in id and product order, each group's links in row order
    key = rank[dst] * len(products) + codes
    order = _stable_order(key)
    group, start = _runs(key[order])
    supplier = src[order]
    sole = np.minimum.reduceat(supplier, start) == np.maximum.reduceat(supplier, start)
    taken = order[sole[group]]  # the links of the groups with one supplier
    in_rows = np.zeros(len(key), dtype=bool)
    in_rows[taken] = True
    rows_sorted = _is_sorted(key[in_rows])
    group, start = _runs(key[taken])
    k = len(start)
    value = value[taken]
    links = _run_lengths(start, len(taken))
    known = np.bincount(group[~np.isnan(value)], minlength=k)
    value_sum = _group_sums(group, value, k, rows_sorted=rows_sorted)
    weight_sum = _group_sums(group, weight[taken], k, rows_sorted=rows_sorted)
    use_value = (known == links) & (value_sum > 0)
    amount = np.where(use_value, value_sum, weight_sum)
    first = taken[start]
    buyer, seller, code = dst[first], src[first], codes[first]
    out = np.lexsort((code, rank[buyer], -amount))
    buyer, seller = buyer[out], seller[out]
    nodes = net.nodes
    ids, names = nodes.index.array, nodes["name"].array
    if len(out):
        buyer_name, seller_name = names.take(buyer), names.take(seller)
    else:  # as pandas builds the empty table: names as plain objects
        buyer_name = seller_name = np.empty(0, dtype=object)
    return pd.DataFrame(
        {
            "buyer": ids.take(buyer),
            "buyer_name": buyer_name,
            "product": products.array.take(code[out]),
            "supplier": ids.take(seller),
            "supplier_name": seller_name,
            "links": links[out],
            "amount": amount[out],
            "basis": _words(use_value[out]),
        },
        index=pd.RangeIndex(1, len(out) + 1, name="row"),
    )


def _sole_supplier_counts(net: ClusterNetwork, pairs: _Pairs) -> np.ndarray:
    """For each actor, the number of firms for which it is the only supplier."""
    n = net.n_nodes
    count = np.bincount(pairs.buyer, minlength=n)
    firms = net.nodes["kind"].isin(_FIRM_KINDS).to_numpy()
    sole = np.flatnonzero((count == 1) & firms)
    first = np.cumsum(count) - count  # pairs run by buyer
    return np.bincount(pairs.supplier[first[sole]], minlength=n).astype(np.int64)


def _cut_off_by_articulation(
    g: ig.Graph, src: np.ndarray, dst: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Articulation points and, for every actor, how many actors its loss cuts off.

    ``src``, ``dst`` are the endpoints of ``g``'s edges. Uses the block-cut
    tree: removing articulation point c splits its connected group into the
    subtrees hanging from c, so the number cut off from the largest
    remaining part is ``size - 1 - largest piece``. Actors that are not
    articulation points cut nobody off.
    """
    n = g.vcount()
    cut = np.zeros(n, dtype=np.int64)
    with igraph_quiet("articulation points"):
        # igraph's own call: a spanning tree of edges per block (its Python
        # wrapper turns them into vertex sets in a loop over edges)
        trees, points = ig.GraphBase.biconnected_components(g, True)
    points_arr = np.sort(np.asarray(points, dtype=np.int64))
    if len(points_arr) == 0:
        return points_arr, cut
    n_blocks = len(trees)
    lengths = np.fromiter(map(len, trees), dtype=np.int64, count=n_blocks)
    tree_edges = np.fromiter(
        itertools.chain.from_iterable(trees), dtype=np.int64, count=int(lengths.sum())
    )
    del trees  # a list per block: the garbage collector would walk them on every allocation
    block = np.repeat(np.arange(n_blocks, dtype=np.int64), lengths) * n
    # each block's members, by block then vertex (a sort: numpy's unique hashes, slower here)
    incidence = np.sort(np.concatenate([block + src[tree_edges], block + dst[tree_edges]]))
    block_of, members = np.divmod(incidence[_runs(incidence)[1]], n)
    position = np.full(n, -1, dtype=np.int64)
    position[points_arr] = np.arange(len(points_arr))
    in_point = position[members] >= 0
    tree_u = block_of[in_point]
    tree_v = n_blocks + position[members[in_point]]
    weight = np.concatenate(
        [np.bincount(block_of[~in_point], minlength=n_blocks), np.ones(len(points_arr))]
    ).astype(np.float64)
    parent, subtree, total = forest_subtree_sums(n_blocks + len(points_arr), tree_u, tree_v, weight)
    nodes = n_blocks + np.arange(len(points_arr))
    largest_child = np.zeros(n_blocks + len(points_arr))
    has_parent = parent >= 0
    np.maximum.at(largest_child, parent[has_parent], subtree[has_parent])
    above = total[nodes] - subtree[nodes]
    largest_piece = np.maximum(largest_child[nodes], above)
    cut[points_arr] = np.rint(total[nodes] - 1 - largest_piece).astype(np.int64)
    return points_arr, cut


def _bridges(
    net: ClusterNetwork, g: ig.Graph, src: np.ndarray, dst: np.ndarray, rank: np.ndarray
) -> pd.DataFrame:
    """Bridges with the size of the smaller side, via the tree of 2-edge-connected groups.

    ``src``, ``dst`` are the endpoints of ``g``'s edges; ``rank`` orders the
    actors by id.
    """
    columns = ["source", "target", "source_name", "target_name", "weight", "smaller_side"]
    with igraph_quiet("bridges"):
        bridge_ids = np.asarray(g.bridges(), dtype=np.int64)
    if len(bridge_ids) == 0:
        return pd.DataFrame(columns=columns, index=pd.RangeIndex(1, 1, name="bridge"))
    n = g.vcount()
    keep = np.ones(len(src), dtype=bool)
    keep[bridge_ids] = False
    rest = sp.csr_array(
        (np.ones(int(keep.sum()), dtype=np.int8), (src[keep], dst[keep])), shape=(n, n)
    )
    n_groups, group = connected_components(rest, directed=False)
    size = np.bincount(group, minlength=n_groups).astype(np.float64)
    a, b = src[bridge_ids], dst[bridge_ids]
    gu, gv = group[a], group[b]
    parent, subtree, total = forest_subtree_sums(n_groups, gu, gv, size)
    child = np.where(parent[gv] == gu, gv, gu)
    side = subtree[child]
    smaller = np.minimum(side, total[child] - side).astype(np.int64)
    weight = np.asarray(g.es.select(bridge_ids.tolist())["weight"], dtype=np.float64)
    order = np.lexsort((rank[b], rank[a], -smaller))
    a, b = a[order], b[order]
    nodes = net.nodes
    ids, names = nodes.index.array, nodes["name"].array
    return pd.DataFrame(
        {
            "source": ids.take(a),
            "target": ids.take(b),
            "source_name": names.take(a),
            "target_name": names.take(b),
            "weight": weight[order],
            "smaller_side": smaller[order],
        },
        index=pd.RangeIndex(1, len(order) + 1, name="bridge"),
    )


# ------------------------------------------------------------------ resilience


def resilience(
    net: ClusterNetwork,
    *,
    layers: str | Iterable[str] | None = ("supply",),
    top: int | None = None,
    product: str | None = None,
) -> Resilience:
    """Find where the supply chain would break: sole suppliers, cut points, concentrated buyers.

    For each actor, what its disappearance would cost: how many firms would
    lose every supplier they have, and how many actors would be cut off from
    the rest of their connected group. For each buyer, how concentrated its
    supply is. And the articulation points and bridges, the actors and ties
    whose loss splits the network.

    - *Firms losing all suppliers* when actor s goes: the firms (kind
      ``firm`` or ``supplier``) whose only distinct supplier is s. Direct
      effects only; knock-on effects down the chain are what
      :func:`simulate_removal` shows.
    - *Actors cut off* when actor c goes: ``|G_c| - 1 - max_k |P_k|`` where
      G_c is c's connected group and P_k the pieces it falls into without c
      (from the block-cut tree of the biconnected components, Hopcroft &
      Tarjan 1973, for every actor at once in linear time). For actors of
      the main group, these are the actors cut off from the largest
      connected group. Non-articulation points cut nobody off.
    - *Dependency* of buyer b on its suppliers: shares
      ``x_sb = v_sb / sum_s v_sb`` of its inputs by ``value`` (money) when
      every link into b has one, else by ``weight``; the largest share and
      the Herfindahl index ``H_b = sum_s x_sb^2`` (1 = one supplier, 1/k =
      k equal suppliers; Hirschman 1964).
    - *Customer dependence* of supplier s, the mirror: shares
      ``y_sb = v_sb / sum_b v_sb`` of its sales, the largest share and the
      Herfindahl index over its customers. A supplier selling mostly to one
      buyer is exposed when that buyer leaves or switches.
    - *Sole sources per product*: when supply links say what is supplied
      (``product``, or ``type`` with several values), each buyer-product
      pair bought from a single supplier.
    - *Bridges*: ties whose loss splits their group, with the number of
      actors on the smaller side (from the tree of 2-edge-connected groups).

    The scan is exact for every actor at any size. On networks above
    ``settings.exact_betweenness_max_nodes`` actors the failure-point table
    keeps the ``top`` most harmful (default ``settings.resilience_candidates``).

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    layers : str or list of str, optional
        Layers to read; default ``("supply",)``. ``None`` means all layers
        (an undirected tie then counts each partner as a supplier).
    top : int, optional
        Keep this many failure points (most harmful first); default all
        actors on small networks, ``settings.resilience_candidates`` above
        ``settings.exact_betweenness_max_nodes`` actors.
    product : str, optional
        The link column that says what is supplied, for ``sole_sources``;
        default ``product`` when present, else ``type`` when it has more
        than one value among the links read.

    Returns
    -------
    Resilience
        Tables ``failure_points``, ``dependencies``,
        ``customer_dependencies``, ``sole_sources``, ``articulation_points``,
        ``bridges``; ``to_sheets()`` for Excel, ``to_frame()`` for the main
        table, ``provenance``.

    Raises
    ------
    ConfigError
        For an unknown layer (the network may have no ``supply`` layer:
        pass ``layers=``), a ``top`` below 1 or an unknown ``product`` column.

    References
    ----------
    Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms for
    graph manipulation. *Comm. ACM* 16(6), 372-378. Hirschman, A. O. (1964).
    The paternity of an index. *Am. Econ. Rev.* 54(5), 761. Kim, Y., Chen,
    Y.-S. & Linderman, K. (2015). Supply network disruption and resilience: a
    network structural perspective. *J. Oper. Manag.* 33-34, 43-59.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["t2", "t1", "oem"], "name": ["Castings", "Axles", "Motors"],
    ...      "kind": ["supplier", "supplier", "firm"]},
    ...     {"source": ["t2", "t1"], "target": ["t1", "oem"], "layer": "supply",
    ...      "value": [10.0, 50.0]},
    ... )
    >>> r = resilience(net)
    >>> r.failure_points[["firms_losing_all_suppliers", "actors_cut_off"]].loc["t1"].tolist()
    [1, 1]
    >>> r.dependencies[["suppliers", "basis", "largest_share"]].to_dict("index")["oem"]
    {'suppliers': 1, 'basis': 'value', 'largest_share': 1.0}
    >>> r.customer_dependencies[["customers", "largest_customer"]].to_dict("index")["t2"]
    {'customers': 1, 'largest_customer': 't1'}
    """
    require_actors(net)
    layer_list = checked_layers(net, layers)
    names = used_layers(net, layer_list)
    undirected = [name for name in names if not net.is_directed(name)]
    if undirected:
        log.warning(
            "resilience reads the undirected layer(s) %s: each partner there counts as both a "
            "supplier and a buyer, so the dependency figures describe ties, not supply",
            ", ".join(map(repr, undirected)),
        )
    n = net.n_nodes
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        msg = f"`top` must be a whole number >= 1 or None, not {top!r}"
        raise ConfigError(msg)
    if top is None and n > settings.exact_betweenness_max_nodes:
        top = settings.resilience_candidates
    g_und = net._igraph(layers=layer_list, directed=False)
    src, dst = (np.asarray(x, dtype=np.int64) for x in net._ends(layers=layer_list, directed=False))
    read = net.edges["layer"].isin(names).to_numpy()
    pairs = _supply_arcs(net, names, read)
    rank = _text_ranks(net.nodes.index)
    points, cut = _cut_off_by_articulation(g_und, src, dst)
    is_point = np.zeros(n, dtype=bool)
    is_point[points] = True
    sole = _sole_supplier_counts(net, pairs)
    order = np.lexsort((rank, -cut, -sole))
    if top is not None:
        order = order[:top]
    nodes = net.nodes
    failure = _actor_rows(
        nodes,
        order,
        keep_attrs=True,
        buyers=np.bincount(pairs.supplier, minlength=n).astype(np.int64)[order],
        firms_losing_all_suppliers=sole[order],
        actors_cut_off=cut[order],
        articulation_point=is_point[order],
    )
    partners = np.asarray(g_und.degree(points.tolist()), dtype=np.int64)
    by_cut = np.argsort(-cut[points], kind="stable")
    articulation = _actor_rows(
        nodes,
        points[by_cut],
        keep_attrs=True,
        partners=partners[by_cut],
        actors_cut_off=cut[points][by_cut],
    )
    product_column = _product_column(net, read, product)
    record = _record(
        "resilience",
        {"top": top, "product": product_column},
        names,
        candidates=f"all {n} actors (exact scan)",
        shown=len(failure),
    )
    customers = _customer_dependencies(net, pairs, rank)
    return Resilience(
        failure_points=_stamped(failure, record, "failure points"),
        dependencies=_stamped(_dependencies(net, pairs, rank), record, "dependencies"),
        articulation_points=_stamped(articulation, record, "articulation points"),
        bridges=_stamped(_bridges(net, g_und, src, dst, rank), record, "bridges"),
        customer_dependencies=_stamped(customers, record, "customer dependence"),
        sole_sources=_stamped(
            _sole_sources(net, product_column, read, rank), record, "sole sources"
        ),
        provenance=record,
    )


# ------------------------------------------------------------------ what-if


def _connectivity(g: ig.Graph) -> tuple[dict[str, float], np.ndarray]:
    """Network-level figures and the largest-component mask of ``g``."""
    n = g.vcount()
    if n == 0:
        return {
            "actors": 0,
            "linked_pairs": 0,
            "components": 0,
            "largest_component": 0,
            "reachable_pairs": 0.0,
        }, np.zeros(0, dtype=bool)
    membership = np.asarray(g.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(membership).astype(np.float64)
    largest = int(np.argmax(sizes))
    pairs = float((sizes * (sizes - 1)).sum() / (n * (n - 1))) if n > 1 else 0.0
    figures = {
        "actors": n,
        "linked_pairs": g.ecount(),
        "components": len(sizes),
        "largest_component": int(sizes[largest]),
        "reachable_pairs": pairs,
    }
    return figures, membership == largest


def _steps_downstream(arcs: sp.csr_array, removed: np.ndarray, max_hops: int | None) -> np.ndarray:
    """Steps from the removed actors along the arcs: 0 for unreached (and removed) actors.

    A multi-source breadth-first search, one sparse product per step, so that
    a tier limit (``max_hops``) stops it early.
    """
    n = arcs.shape[0]
    step = np.zeros(n, dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    seen[removed] = True
    frontier = np.zeros(n, dtype=bool)
    frontier[removed] = True
    limit = n if max_hops is None else max_hops
    out = arcs.T.tocsr()  # row j lists the suppliers of j: reached when any is in the frontier
    for hop in range(1, limit + 1):
        reached = (out @ frontier.astype(np.float64)) > 0
        new = reached & ~seen
        if not new.any():
            break
        step[new] = hop
        seen |= new
        frontier = new
    return step


def simulate_removal(
    net: ClusterNetwork,
    nodes: Selection,
    *,
    layers: str | Iterable[str] | None = ("supply",),
    max_hops: int | None = None,
) -> RemovalImpact:
    """Show what happens if some actors leave: who loses suppliers, who is cut off.

    A what-if for a plant closure, a supplier going bankrupt or a university
    leaving the cluster. The removed actors and their links go; the result
    compares the network before and after and lists every actor touched:

    - firms that lose suppliers, with the share of their inputs lost (by
      ``value`` when every link into the firm has one, else by ``weight``)
      and whether they lose all of them;
    - actors cut off: in the largest connected group before, outside it after;
    - actors downstream: reached from the removed actors along the links
      (their buyers, their buyers' buyers...), who may feel it later; with
      ``max_hops=1`` only their direct buyers (tier-1 exposure), with 2 also
      the buyers' buyers, as analysts reason about tiers.

    The reach of the network is ``reachable_pairs``, the share of pairs of
    actors joined by some path: ``sum_c s_c (s_c - 1) / (n (n - 1))`` over
    connected groups of size ``s_c``.

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    nodes : selection
        Who leaves: a list of ids, a kind, or a ``{column: values}`` dict.
    layers : str or list of str, optional
        Layers to read; default ``("supply",)``, as in :func:`resilience`, so
        that only supply links make suppliers. ``None`` means all layers (an
        undirected tie then counts each partner as a supplier).
    max_hops : int, optional
        Count actors as downstream only within this many steps along the
        links; default no limit.

    Returns
    -------
    RemovalImpact
        ``summary`` (before / after / change), ``impact`` (counts),
        ``affected`` (the main table, indexed by id), ``removed``;
        ``to_sheets()``, ``to_frame()``, ``provenance``.

    Raises
    ------
    InputError
        When ``nodes`` selects nobody or names unknown ids.
    ConfigError
        For an unknown layer or a ``max_hops`` below 1.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["t2", "t1", "oem"], "name": ["Castings", "Axles", "Motors"],
    ...      "kind": ["supplier", "supplier", "firm"]},
    ...     {"source": ["t2", "t1"], "target": ["t1", "oem"], "layer": "supply"},
    ... )
    >>> what_if = simulate_removal(net, ["t2"])
    >>> row = what_if.affected.loc["t1"]
    >>> int(row["suppliers_lost"]), bool(row["loses_all_suppliers"]), bool(row["downstream"])
    (1, True, True)
    >>> int(what_if.impact["downstream_actors"])
    2
    >>> int(simulate_removal(net, ["t2"], max_hops=1).impact["downstream_actors"])
    1
    """
    require_actors(net)
    layer_list = checked_layers(net, layers)
    names = used_layers(net, layer_list)
    if max_hops is not None and (
        isinstance(max_hops, bool) or not isinstance(max_hops, int) or max_hops < 1
    ):
        msg = f"`max_hops` must be a whole number >= 1 or None, not {max_hops!r}"
        raise ConfigError(msg)
    ids = net.resolve(nodes, argument="nodes")
    n = net.n_nodes
    removed = np.sort(net.nodes.index.get_indexer(ids))
    gone = np.zeros(n, dtype=bool)
    gone[removed] = True
    g_und = net._igraph(layers=layer_list, directed=False)
    g_dir = net._igraph(layers=layer_list, directed=True)
    before, main_before = _connectivity(g_und)
    kept = np.flatnonzero(~gone)
    after, main_kept = _connectivity(g_und.induced_subgraph(kept.tolist()))
    main_after = np.zeros(n, dtype=bool)
    main_after[kept[main_kept]] = True
    arcs = adjacency(g_dir, weighted=False)
    suppliers = np.diff(arcs.T.tocsr().indptr)
    lost_rows = arcs[removed]
    lost = np.bincount(lost_rows.indices, minlength=n)
    pairs = _supply_pairs(net, names)
    from_gone = pairs[gone[pairs["supplier"].to_numpy()]]
    share_lost = np.zeros(n)
    np.add.at(share_lost, from_gone["buyer"].to_numpy(), from_gone["share"].to_numpy())
    step = _steps_downstream(arcs, removed, max_hops)
    downstream = (step > 0) & ~gone
    cut_off = main_before & ~main_after & ~gone
    loses_all = (suppliers > 0) & (lost == suppliers) & ~gone
    touched = ~gone & ((lost > 0) | cut_off | downstream)
    actors = actor_table(net)
    affected = actors.copy()
    affected["suppliers"] = suppliers.astype(np.int64)
    affected["suppliers_lost"] = lost.astype(np.int64)
    affected["input_share_lost"] = share_lost
    affected["loses_all_suppliers"] = loses_all
    affected["cut_off"] = cut_off
    affected["downstream"] = downstream
    affected["downstream_step"] = pd.array(np.where(downstream, step, 0), dtype="Int64")
    affected.loc[~downstream, "downstream_step"] = pd.NA
    affected = affected[touched]
    order = np.lexsort(
        (
            affected.index.to_numpy(),
            ~affected["downstream"].to_numpy(),
            ~affected["cut_off"].to_numpy(),
            -affected["input_share_lost"].to_numpy(),
            ~affected["loses_all_suppliers"].to_numpy(),
        )
    )
    affected = affected.iloc[order]
    # object columns keep counts as whole numbers beside the share of reachable pairs
    links_read = net.edges[net.edges["layer"].isin(names)]
    staying = ~(links_read["source"].isin(ids) | links_read["target"].isin(ids))
    before = {"actors": before["actors"], "links": len(links_read), **before}
    after = {"actors": after["actors"], "links": int(staying.sum()), **after}
    summary = pd.DataFrame(
        {
            "before": pd.Series(before, dtype=object),
            "after": pd.Series(after, dtype=object),
            "change": pd.Series({k: after[k] - before[k] for k in before}, dtype=object),
        }
    )
    summary.index.name = "metric"
    firms = net.nodes["kind"].isin(_FIRM_KINDS).to_numpy()
    impact = pd.Series(
        {
            "removed": len(removed),
            "firms_losing_a_supplier": int(((lost > 0) & firms & ~gone).sum()),
            "firms_losing_all_suppliers": int((loses_all & firms).sum()),
            "actors_cut_off": int(cut_off.sum()),
            "downstream_actors": int(downstream.sum()),
        },
        name="impact",
    )
    record = _record(
        "simulate_removal",
        {"nodes": [str(x) for x in ids[:50]], "removed": len(ids), "max_hops": max_hops},
        names,
    )
    return RemovalImpact(
        removed=_stamped(actors.iloc[removed].copy(), record, "removed"),
        summary=_stamped(summary, record, "summary"),
        impact=impact,
        affected=_stamped(affected, record, "affected"),
        provenance=record,
    )
