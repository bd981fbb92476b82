"""Supply-chain position: how many supply steps separate each actor from the final buyers.

Supply-chain analysts draw suppliers in tiers: tier 1 delivers to the final
buyer (the OEM, the retailer), tier 2 to tier 1, and so on.
:func:`supply_tiers` reads those positions off the directed supply layer
and gives the tier layout of the HTML view its columns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra

from clustermap._provenance import stamp
from clustermap.analysis._centrality_tools import actor_table, checked_layers, require_actors
from clustermap.errors import ConfigError, InputError
from clustermap.graphs.selection import Selection, resolve_selection

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["supply_tiers"]

log = logging.getLogger(__name__)


def _arcs(net: ClusterNetwork, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct supplier -> buyer pairs (node positions) of the layers, without self-loops."""
    e = net._edges
    e = e[e["layer"].isin(names)]
    index = net._nodes.index
    src = index.get_indexer(pd.Index(e["source"])).astype(np.int64)
    dst = index.get_indexer(pd.Index(e["target"])).astype(np.int64)
    keep = src != dst
    n = max(len(index), 1)
    pairs = np.unique(src[keep] * n + dst[keep])
    return pairs // n, pairs % n


def _longest_to_buyers(
    n: int, src: np.ndarray, dst: np.ndarray, start: np.ndarray, reached: np.ndarray
) -> np.ndarray:
    """Longest path (in arcs) from each reached actor to a buyer over an acyclic set of arcs.

    ``start`` holds the value of actors without outgoing arcs (0 for buyers).
    Processed in reverse topological order (Kahn's algorithm by levels, each
    level one vectorised step), so the cost is one pass per level.
    """
    depth = np.where(reached, start, -1).astype(np.int64)
    out_left = np.bincount(src, minlength=n)
    order = np.argsort(dst, kind="stable")
    by_target = sp.csr_matrix(
        (np.ones(len(src), dtype=np.int8), (dst[order], src[order])), shape=(n, n)
    )
    best = np.full(n, -1, dtype=np.int64)
    level = np.flatnonzero(reached & (out_left == 0))
    done = np.zeros(n, dtype=bool)
    while len(level):
        done[level] = True
        rows = by_target[level]
        coo = rows.tocoo()
        suppliers = coo.col
        values = depth[level][coo.row] + 1
        np.maximum.at(best, suppliers, values)
        np.subtract.at(out_left, suppliers, 1)
        touched = np.unique(suppliers)
        level = touched[(out_left[touched] == 0) & ~done[touched]]
        depth[level] = np.maximum(best[level], 0)
    return depth


def supply_tiers(
    net: ClusterNetwork,
    *,
    buyers: Selection | None = None,
    layers: str | Iterable[str] = ("supply",),
) -> pd.DataFrame:
    """Place every actor in the supply chain: how many supply steps it is from a final buyer.

    A final buyer (the OEM, the assembler, the retailer) is tier 0; an actor
    that supplies a final buyer directly is tier 1; one that supplies a tier-1
    supplier (and no final buyer) is tier 2; and so on: ``tier`` is the
    shortest number of supply links from the actor down to any final buyer.
    ``depth`` is the longest such chain once cycles are broken; it places
    actors in columns so that every supply tie runs the same way (the tier
    layout of :func:`~clustermap.save_html` uses it), and equals ``tier`` in a
    chain without shortcuts.

    Supply runs supplier -> buyer. A chain ends at the first final buyer it
    reaches (what a buyer supplies onwards does not count). Cycles (A
    supplies B, B supplies A) are broken at the ties that run against the
    flow towards the buyers (from an actor to one at the same or a higher
    tier, inside a cycle); those ties are listed in ``attrs["broken_ties"]``.
    Actors with no supply path to a final buyer get no tier.

    Parameters
    ----------
    net : ClusterNetwork
        The network.
    buyers : selection, optional
        The final buyers: a list of ids, a kind name or a ``{column: value}``
        dict. Default: every actor that receives supply and supplies nobody.
    layers : str or list of str
        Directed layers read as supply (default ``("supply",)``).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id, in node order: ``name``, ``kind``, ``buyer``
        (bool), ``tier`` and ``depth`` (nullable integers). ``attrs`` carry
        the provenance, ``buyers`` (count), ``unreached`` (actors with supply
        ties but no path to a buyer) and ``broken_ties`` (``[source, target]``
        pairs removed to break cycles).

    Raises
    ------
    ConfigError
        When a layer is undirected (tiers need a direction).
    InputError
        When no actor qualifies as a final buyer.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["oem", "t1", "t2", "t3"], "name": ["OEM", "A", "B", "C"], "kind": "firm"},
    ...     {"source": ["t1", "t2", "t3", "t3"], "target": ["oem", "t1", "t2", "oem"],
    ...      "layer": "supply"},
    ... )
    >>> supply_tiers(net)[["tier", "depth"]].astype(int).to_dict("list")
    {'tier': [0, 1, 2, 1], 'depth': [0, 1, 2, 3]}
    """
    require_actors(net)
    names = checked_layers(net, layers) or list(net.layers)
    undirected = [name for name in names if name in net.layers and not net.is_directed(name)]
    if undirected:
        msg = (
            f"supply_tiers needs directed layers (supplier -> buyer); {undirected} "
            "is undirected: pass layers=('supply',) or another directed layer"
        )
        raise ConfigError(msg)
    n = net.n_nodes
    src, dst = _arcs(net, [x for x in names if x in net.layers])
    out_deg = np.bincount(src, minlength=n)
    in_deg = np.bincount(dst, minlength=n)
    if buyers is None:
        is_buyer = (in_deg > 0) & (out_deg == 0)
        described: Any = "actors that receive supply and supply nobody"
    else:
        chosen = resolve_selection(net, buyers, argument="buyers")
        is_buyer = net._nodes.index.isin(chosen)
        described = buyers if isinstance(buyers, str | dict) else list(map(str, chosen))
    if not is_buyer.any():
        msg = (
            f"supply_tiers found no final buyer on layer(s) {names}: every actor that receives "
            "supply also supplies someone (a cycle); name them with buyers=[...]"
        )
        raise InputError(msg)
    # a chain ends at the first buyer it reaches
    keep = ~is_buyer[src]
    src, dst = src[keep], dst[keep]
    upstream = sp.csr_matrix((np.ones(len(src)), (dst, src)), shape=(n, n))
    dist = dijkstra(upstream, indices=np.flatnonzero(is_buyer), min_only=True, unweighted=True)
    reached = np.isfinite(dist)
    tier = np.where(reached, dist, -1).astype(np.int64)

    # break cycles: inside a strongly connected group, drop ties that do not run towards a buyer
    both = reached[src] & reached[dst]
    src, dst = src[both], dst[both]
    _, scc = connected_components(
        sp.csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n)), connection="strong"
    )
    against = (scc[src] == scc[dst]) & (tier[src] <= tier[dst])
    ids = net._nodes.index.to_numpy()
    broken = [[str(a), str(b)] for a, b in zip(ids[src[against]], ids[dst[against]], strict=True)]
    if broken:
        log.warning(
            "supply_tiers broke %d supply tie(s) that close cycles, e.g. %s -> %s",
            len(broken),
            *broken[0],
        )
    src, dst = src[~against], dst[~against]
    depth = _longest_to_buyers(n, src, dst, np.where(is_buyer, 0, tier), reached)

    table = actor_table(net)
    table["buyer"] = is_buyer
    table["tier"] = pd.array(np.where(reached, tier, 0), dtype="Int64")
    table.loc[~reached, "tier"] = pd.NA
    table["depth"] = pd.array(np.where(reached, depth, 0), dtype="Int64")
    table.loc[~reached, "depth"] = pd.NA
    touches = (in_deg + out_deg) > 0
    return stamp(
        table,
        method="supply_tiers",
        parameters={"buyers": described},
        layers=names,
        buyers=int(is_buyer.sum()),
        unreached=int((touches & ~reached).sum()),
        broken_ties=broken,
    )
