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

from clustermap import settings
from clustermap._provenance import stamp
from clustermap.analysis._centrality_tools import (
    actor_table,
    adjacency,
    checked_layers,
    edge_arrays,
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


def _supply_arcs(net: ClusterNetwork, names: list[str]) -> pd.DataFrame:
    """One row per (buyer, supplier) pair: summed weight and value, and missing values.

    Positions, not ids. On an undirected layer each partner counts as both
    buyer and supplier. Self-loops are dropped.
    """
    edges = net.edges
    edges = edges[edges["layer"].isin(names)]
    index = net.nodes.index
    src = index.get_indexer(pd.Index(edges["source"]))
    dst = index.get_indexer(pd.Index(edges["target"]))
    weight = edges["weight"].to_numpy(dtype=np.float64)
    if "value" in edges.columns:
        value = pd.to_numeric(edges["value"], errors="coerce").to_numpy(dtype=np.float64)
    else:
        value = np.full(len(edges), np.nan)
    both = ~edges["layer"].map(net.directed).to_numpy(dtype=bool)
    buyer = np.concatenate([dst, src[both]])
    supplier = np.concatenate([src, dst[both]])
    weight = np.concatenate([weight, weight[both]])
    value = np.concatenate([value, value[both]])
    keep = buyer != supplier
    arcs = pd.DataFrame(
        {
            "buyer": buyer[keep],
            "supplier": supplier[keep],
            "weight": weight[keep],
            "value": np.nan_to_num(value[keep], nan=0.0),
            "missing": ~np.isfinite(value[keep]),
        }
    )
    return arcs.groupby(["buyer", "supplier"], sort=True, as_index=False).sum()


def _shares(pairs: pd.DataFrame, by: str) -> pd.DataFrame:
    """Each pair's amount and its share of the ``by`` actor's total (inputs or sales).

    The amount is the summed ``value`` when every pair of that actor has a
    known value and they sum to more than 0, else the summed ``weight``.
    Columns: ``buyer``, ``supplier`` (positions), ``amount``, ``basis`` and
    ``share``.
    """
    pairs = pairs.copy()
    grouped = pairs.groupby(by)
    use_value = (grouped["missing"].transform("sum") == 0) & (grouped["value"].transform("sum") > 0)
    pairs["amount"] = np.where(use_value, pairs["value"], pairs["weight"])
    pairs["basis"] = np.where(use_value, "value", "weight")
    pairs["share"] = pairs["amount"] / pairs.groupby(by)["amount"].transform("sum")
    return pairs[["buyer", "supplier", "amount", "basis", "share"]]


def _supply_pairs(net: ClusterNetwork, names: list[str]) -> pd.DataFrame:
    """One row per (buyer, supplier) pair with its share of the buyer's inputs."""
    return _shares(_supply_arcs(net, names), "buyer")


def _concentration(
    net: ClusterNetwork, pairs: pd.DataFrame, *, by: str, partner: str, labels: dict[str, str]
) -> pd.DataFrame:
    """Concentration of each ``by`` actor's inputs (or sales) over its ``partner`` actors.

    ``labels`` names the output columns: ``partners`` (count), ``total``,
    ``largest`` (id), ``largest_name``.
    """
    actors = actor_table(net)
    ids = actors.index
    columns = [
        "name", "kind", labels["partners"], labels["total"], "basis", labels["largest"],
        labels["largest_name"], "largest_share", "herfindahl",
    ]  # fmt: skip
    if pairs.empty:
        return actors.iloc[:0].reindex(columns=columns)
    grouped = pairs.groupby(by)
    table = pd.DataFrame(
        {
            labels["partners"]: grouped.size(),
            labels["total"]: grouped["amount"].sum(),
            "basis": grouped["basis"].first(),
            "herfindahl": (pairs["share"] ** 2).groupby(pairs[by]).sum(),
        }
    )
    top = pairs.sort_values([by, "share", partner], ascending=[True, False, True])
    top = top.drop_duplicates(by).set_index(by)
    largest = top.loc[table.index, partner].to_numpy()
    table[labels["largest"]] = ids[largest]
    table[labels["largest_name"]] = actors["name"].to_numpy()[largest]
    table["largest_share"] = top.loc[table.index, "share"].to_numpy()
    table.index = ids[table.index.to_numpy()]
    table = pd.concat([actors.loc[table.index], table], axis=1)[columns]
    table.index.name = "id"
    order = np.lexsort(
        (
            table.index.to_numpy(),
            -table["herfindahl"].to_numpy(),
            -table["largest_share"].to_numpy(),
        )
    )
    return table.iloc[order]


def _dependencies(net: ClusterNetwork, pairs: pd.DataFrame) -> pd.DataFrame:
    """Each buyer's dependency on its suppliers (shares of its inputs)."""
    labels = {
        "partners": "suppliers",
        "total": "inputs",
        "largest": "largest_supplier",
        "largest_name": "largest_supplier_name",
    }
    return _concentration(net, pairs, by="buyer", partner="supplier", labels=labels)


def _customer_dependencies(net: ClusterNetwork, arcs: pd.DataFrame) -> pd.DataFrame:
    """Each supplier's dependence on its customers (shares of its sales)."""
    labels = {
        "partners": "customers",
        "total": "sales",
        "largest": "largest_customer",
        "largest_name": "largest_customer_name",
    }
    pairs = _shares(arcs, "supplier")
    return _concentration(net, pairs, by="supplier", partner="buyer", labels=labels)


def _product_column(net: ClusterNetwork, names: list[str], product: str | None) -> str | None:
    """The link column that says what is supplied, or None when the data do not say."""
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
        kinds = edges.loc[edges["layer"].isin(names), "type"].dropna().to_numpy()
        if len(kinds) and (kinds != kinds[0]).any():
            return "type"
    return None


def _sole_sources(net: ClusterNetwork, names: list[str], column: str | None) -> pd.DataFrame:
    """Per buyer and product, the products bought from one supplier only."""
    columns = [
        "buyer", "buyer_name", "product", "supplier", "supplier_name", "links", "amount", "basis",
    ]  # fmt: skip
    if column is None:
        return pd.DataFrame(columns=columns)
    edges = net.edges
    edges = edges[edges["layer"].isin(names) & edges[column].notna()]
    edges = edges[edges["source"] != edges["target"]]
    if edges.empty:
        return pd.DataFrame(columns=columns)
    value = (
        pd.to_numeric(edges["value"], errors="coerce")
        if "value" in edges.columns
        else pd.Series(np.nan, index=edges.index)
    )
    frame = pd.DataFrame(
        {
            "buyer": edges["target"].to_numpy(),
            "product": edges[column].astype(str).to_numpy(),
            "supplier": edges["source"].to_numpy(),
            "weight": edges["weight"].to_numpy(dtype=np.float64),
            "value": value.to_numpy(dtype=np.float64),
        }
    )
    per = frame.groupby(["buyer", "product"], sort=True)
    sole = per["supplier"].transform("nunique") == 1
    chosen = frame[sole.to_numpy()]
    grouped = chosen.groupby(["buyer", "product"], sort=True)
    table = grouped.agg(
        supplier=("supplier", "first"),
        links=("supplier", "size"),
        weight=("weight", "sum"),
        value=("value", "sum"),
        known=("value", "count"),
    ).reset_index()
    use_value = (table["known"] == table["links"]) & (table["value"] > 0)
    table["amount"] = np.where(use_value, table["value"], table["weight"])
    table["basis"] = np.where(use_value, "value", "weight")
    names_of = net.nodes["name"]
    table["buyer_name"] = names_of.reindex(table["buyer"]).to_numpy()
    table["supplier_name"] = names_of.reindex(table["supplier"]).to_numpy()
    table = table.sort_values(["amount", "buyer", "product"], ascending=[False, True, True])
    table.index = pd.RangeIndex(1, len(table) + 1, name="row")
    return table[columns]


def _sole_supplier_counts(net: ClusterNetwork, arcs: sp.csr_array) -> np.ndarray:
    """For each actor, the number of firms for which it is the only supplier."""
    n = arcs.shape[0]
    incoming = arcs.T.tocsr()
    count = np.diff(incoming.indptr)
    firms = net.nodes["kind"].isin(_FIRM_KINDS).to_numpy()
    sole = np.flatnonzero((count == 1) & firms)
    suppliers = incoming.indices[incoming.indptr[sole]]
    return np.bincount(suppliers, minlength=n)


def _cut_off_by_articulation(g: ig.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Articulation points and, for every actor, how many actors its loss cuts off.

    Uses the block-cut tree: removing articulation point c splits its
    connected group into the subtrees hanging from c, so the number cut off
    from the largest remaining part is ``size - 1 - largest piece``.
    Actors that are not articulation points cut nobody off.
    """
    n = g.vcount()
    cut = np.zeros(n, dtype=np.int64)
    with igraph_quiet("articulation points"):
        blocks, points = g.biconnected_components(return_articulation_points=True)
    points_arr = np.asarray(sorted(points), dtype=np.int64)
    if len(points_arr) == 0:
        return points_arr, cut
    lengths = np.fromiter((len(b) for b in blocks), dtype=np.int64, count=len(blocks))
    members = np.fromiter(
        itertools.chain.from_iterable(blocks), dtype=np.int64, count=int(lengths.sum())
    )
    n_blocks = len(blocks)
    block_of = np.repeat(np.arange(n_blocks), lengths)
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


def _bridges(net: ClusterNetwork, g: ig.Graph) -> pd.DataFrame:
    """Bridges with the size of the smaller side, via the tree of 2-edge-connected groups."""
    columns = ["source", "target", "source_name", "target_name", "weight", "smaller_side"]
    with igraph_quiet("bridges"):
        bridge_ids = np.asarray(g.bridges(), dtype=np.int64)
    if len(bridge_ids) == 0:
        return pd.DataFrame(columns=columns, index=pd.RangeIndex(1, 1, name="bridge"))
    src, dst, weight = edge_arrays(g)
    keep = np.ones(g.ecount(), dtype=bool)
    keep[bridge_ids] = False
    rest = g.subgraph_edges(np.flatnonzero(keep).tolist(), delete_vertices=False)
    group = np.asarray(rest.connected_components().membership, dtype=np.int64)
    n_groups = int(group.max()) + 1
    size = np.bincount(group, minlength=n_groups).astype(np.float64)
    gu, gv = group[src[bridge_ids]], group[dst[bridge_ids]]
    parent, subtree, total = forest_subtree_sums(n_groups, gu, gv, size)
    child = np.where(parent[gv] == gu, gv, gu)
    side = subtree[child]
    smaller = np.minimum(side, total[child] - side).astype(np.int64)
    ids = net.nodes.index
    names = net.nodes["name"].to_numpy()
    a, b = src[bridge_ids], dst[bridge_ids]
    table = pd.DataFrame(
        {
            "source": ids[a],
            "target": ids[b],
            "source_name": names[a],
            "target_name": names[b],
            "weight": weight[bridge_ids],
            "smaller_side": smaller,
        }
    )
    table = table.sort_values(["smaller_side", "source", "target"], ascending=[False, True, True])
    table.index = pd.RangeIndex(1, len(table) + 1, name="bridge")
    return table


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
    g_dir = net._igraph(layers=layer_list, directed=True)
    arcs = adjacency(g_dir, weighted=False)
    actors = actor_table(net)
    points, cut = _cut_off_by_articulation(g_und)
    is_point = np.zeros(n, dtype=bool)
    is_point[points] = True
    failure = actors.copy()
    failure["buyers"] = np.diff(arcs.indptr).astype(np.int64)
    failure["firms_losing_all_suppliers"] = _sole_supplier_counts(net, arcs)
    failure["actors_cut_off"] = cut
    failure["articulation_point"] = is_point
    order = np.lexsort(
        (
            failure.index.to_numpy(),
            -failure["actors_cut_off"].to_numpy(),
            -failure["firms_losing_all_suppliers"].to_numpy(),
        )
    )
    failure = failure.iloc[order]
    if top is not None:
        failure = failure.iloc[:top]
    articulation = actors.iloc[points].copy()
    articulation["partners"] = np.asarray(g_und.degree(points.tolist()), dtype=np.int64)
    articulation["actors_cut_off"] = cut[points]
    articulation = articulation.sort_values("actors_cut_off", ascending=False, kind="stable")
    supply_arcs = _supply_arcs(net, names)
    product_column = _product_column(net, names, product)
    record = _record(
        "resilience",
        {"top": top, "product": product_column},
        names,
        candidates=f"all {n} actors (exact scan)",
        shown=len(failure),
    )
    customers = _customer_dependencies(net, supply_arcs)
    return Resilience(
        failure_points=_stamped(failure, record, "failure points"),
        dependencies=_stamped(
            _dependencies(net, _shares(supply_arcs, "buyer")), record, "dependencies"
        ),
        articulation_points=_stamped(articulation, record, "articulation points"),
        bridges=_stamped(_bridges(net, g_und), record, "bridges"),
        customer_dependencies=_stamped(customers, record, "customer dependence"),
        sole_sources=_stamped(_sole_sources(net, names, product_column), record, "sole sources"),
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
