"""Who sits between others: structural holes and brokerage roles.

:func:`brokerage` gives, for each actor, Burt's measures of how much its
contacts are tied among themselves (constraint, effective size, efficiency)
and Gould and Fernandez's counts of the brokerage roles it plays between
groups (coordinator, itinerant, gatekeeper, representative, liaison).

Everything is computed with sparse matrices on the network's directed view
(directed layers keep their direction; an undirected tie counts as an arc
each way); nothing builds a networkx graph. The work grows with the sum of
the squared numbers of partners of the actors covered; every actor is
covered unless ranking the strongest candidates is the cheaper way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

from clustermap import settings
from clustermap._memory import check_memory
from clustermap._provenance import stamp
from clustermap.analysis._betweenness import betweenness as shared_betweenness
from clustermap.analysis._betweenness import betweenness_key
from clustermap.analysis._centrality_tools import (
    actor_table,
    adjacency,
    checked_layers,
    require_actors,
    used_layers,
)
from clustermap.errors import ConfigError, InputError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork
    from clustermap.graphs.selection import Selection

__all__ = ["ROLES", "brokerage"]

log = logging.getLogger(__name__)

#: The Gould-Fernandez roles, in the order of their columns.
ROLES: tuple[str, ...] = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
_CHUNK_WORK = 4_000_000  # sparse-product entries held at once
_BYTES_PER_ARC = 160.0  # the sparse matrices held at once, per arc
_CHUNK_BYTES = 64.0 * _CHUNK_WORK  # the products of one chunk
_SEARCH_TO_WORK = 2.7  # one arc of a shortest-path search ~ 2.7 product entries (CPU time)


def _group_codes(
    net: ClusterNetwork, groups: str | pd.Series | None
) -> tuple[np.ndarray, pd.Series, str]:
    """Integer group codes aligned with the nodes, the labels, and a description."""
    nodes = net.nodes
    if groups is None:
        groups = "kind"
    membership = getattr(groups, "membership", None)
    if isinstance(membership, pd.Series):  # a Partition: group by community
        groups = membership
    if isinstance(groups, str):
        if groups not in nodes.columns:
            allowed = ", ".join(repr(c) for c in nodes.columns)
            msg = (
                f"`groups` names the column {groups!r}, which the node table does not have; "
                f"`groups` must be one of {allowed} or a Series indexed by actor id"
            )
            raise ConfigError(msg)
        labels = nodes[groups]
        described = f"column {groups!r}"
    elif isinstance(groups, pd.Series):
        index = pd.Index(groups.index.astype(str))
        if not index.isin(nodes.index).any():
            msg = "`groups` is a Series whose index shares no id with the network's actors"
            raise InputError(msg)
        labels = pd.Series(groups.to_numpy(), index=index).reindex(nodes.index)
        described = f"series {groups.name!r}" if groups.name is not None else "a series"
    else:
        msg = (
            "`groups` must be a node column name (e.g. 'kind', 'region', 'sector') or a "
            f"Series indexed by actor id, not {type(groups).__name__}"
        )
        raise ConfigError(msg)
    missing = int(labels.isna().sum())
    if missing:
        log.info("brokerage: %d actors have no group; they form a group of their own", missing)
    codes, _ = pd.factorize(labels, use_na_sentinel=False)
    return codes.astype(np.int64), labels.rename("group"), described


def _candidates(
    net: ClusterNetwork,
    nodes: Selection | None,
    layers: list[str] | None,
    work: np.ndarray,
) -> tuple[np.ndarray, str]:
    """Positions of the actors to cover, in network order, and how they were chosen.

    Every actor when the whole computation fits ``settings.brokerage_work_budget``
    or costs less than finding and covering the top candidates; otherwise the
    top ``settings.brokerage_candidates`` by betweenness (the estimate that
    :func:`~clustermap.centrality` shares, computed once per network).
    """
    n = net.n_nodes
    if nodes is not None:
        ids = net.resolve(nodes, argument="nodes")
        return np.sort(net.nodes.index.get_indexer(ids)), f"the {len(ids)} actors selected"
    whole = float(work.sum() + n)
    k = min(settings.brokerage_candidates, n)
    if n <= settings.brokerage_max_nodes or whole <= settings.brokerage_work_budget:
        return np.arange(n), "all actors"
    g = net._igraph(layers=layers)
    seed = settings.seed
    ranking_cost = 0.0 if _betweenness_cached(net, g, layers, seed) else _ranking_cost(g)
    top_cost = ranking_cost + float(np.sort(work)[-k:].sum() + k)
    if whole <= top_cost:
        log.info("brokerage: covering all %d actors (cheaper than ranking candidates)", n)
        return np.arange(n), "all actors"
    scores = shared_betweenness(net, g, layers, weighted=True, seed=seed).scores
    top = np.argsort(-scores, kind="stable")[:k]
    log.info("brokerage: %d actors; covering the top %d by betweenness", n, k)
    return np.sort(top), f"top {k} actors by betweenness (of {n})"


def _ranking_cost(g: ig.Graph) -> float:
    """The most a betweenness estimate costs, in units of brokerage work.

    One source costs a search over every arc; measured here, an arc of a
    search costs about as much as ``_SEARCH_TO_WORK`` entries of the sparse
    products brokerage computes.
    """
    arcs = g.ecount() * (1 if g.is_directed() else 2)
    if g.vcount() <= settings.exact_betweenness_max_nodes:
        sources = g.vcount()
    else:
        sources = min(
            g.vcount(),
            settings.betweenness_samples,
            max(settings.betweenness_arc_budget // max(arcs, 1), settings.betweenness_min_samples),
        )
    return float(sources) * arcs * _SEARCH_TO_WORK


def _betweenness_cached(
    net: ClusterNetwork, g: ig.Graph, layers: list[str] | None, seed: int
) -> bool:
    """Whether the shared betweenness is already on the network (so ranking is free)."""
    return ("result", *betweenness_key(g, layers, weighted=True, seed=seed)) in net._cache


def _chunks(rows: np.ndarray, work: np.ndarray) -> list[np.ndarray]:
    """Split ``rows`` so that each part's estimated product size stays bounded."""
    if len(rows) == 0:
        return []
    cumulative = np.cumsum(work[rows] + 1.0)
    cuts = np.searchsorted(cumulative, np.arange(_CHUNK_WORK, cumulative[-1], _CHUNK_WORK))
    return [part for part in np.split(rows, np.unique(cuts)) if len(part)]


def _rowsum(m: sp.csr_array) -> np.ndarray:
    return np.asarray(m.sum(axis=1), dtype=np.float64).ravel()


def _scale_rows(m: sp.csr_array, factor: np.ndarray) -> sp.csr_array:
    out = m.copy()
    out.data = out.data * np.repeat(factor, np.diff(out.indptr))
    return out


def _burt(
    mutual: sp.csr_array, rows: np.ndarray, share: sp.csr_array, relative: sp.csr_array
) -> tuple[np.ndarray, np.ndarray]:
    """Constraint and effective size of ``rows`` (see :func:`brokerage`)."""
    p_rows = share[rows]
    pattern = p_rows.copy()
    pattern.data = np.ones_like(pattern.data)
    indirect = (p_rows @ share).multiply(pattern)
    local = (p_rows + indirect).power(2)
    constraint = _rowsum(local)
    redundancy = (p_rows @ relative.T).multiply(pattern)
    partners = np.diff(mutual[rows].indptr).astype(np.float64)
    effective = partners - _rowsum(redundancy)
    return constraint, effective


def _split_by_group(
    m: sp.csr_array, row_codes: np.ndarray, codes: np.ndarray
) -> tuple[sp.csr_array, sp.csr_array]:
    """Split a 0/1 matrix into entries whose column is in the row's group, and the rest."""
    row_of = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    same = codes[m.indices] == row_codes[row_of]
    data_same = np.where(same, m.data, 0.0)
    data_diff = np.where(same, 0.0, m.data)
    s = sp.csr_array((data_same, m.indices.copy(), m.indptr.copy()), shape=m.shape)
    d = sp.csr_array((data_diff, m.indices.copy(), m.indptr.copy()), shape=m.shape)
    s.eliminate_zeros()
    d.eliminate_zeros()
    return s, d


def _roles(
    arcs: sp.csr_array,
    arcs_t: sp.csr_array,
    within_t: sp.csr_array,
    onehot: sp.csr_array,
    codes: np.ndarray,
    rows: np.ndarray,
) -> dict[str, np.ndarray]:
    """Gould-Fernandez counts for ``rows``; see :func:`brokerage` for the algebra."""
    row_codes = codes[rows]
    out_same, out_diff = _split_by_group(arcs[rows], row_codes, codes)
    in_same, in_diff = _split_by_group(arcs_t[rows], row_codes, codes)
    n_is, n_id = _rowsum(in_same), _rowsum(in_diff)
    n_os, n_od = _rowsum(out_same), _rowsum(out_diff)
    # Open and closed two-paths a -> v -> b (a != b) by the groups of a and b.
    same_group_pairs = _rowsum((in_diff @ onehot).multiply(out_diff @ onehot))
    back_same = _rowsum(in_same.multiply(out_same))  # a == b, in v's group
    back_diff = _rowsum(in_diff.multiply(out_diff))  # a == b, outside v's group
    reach_same = out_same @ arcs_t  # [v, a] = number of b in out_same(v) with a -> b
    reach_diff = out_diff @ arcs_t
    closed_ss = _rowsum(in_same.multiply(reach_same))
    closed_ds = _rowsum(in_diff.multiply(reach_same))
    closed_sd = _rowsum(in_same.multiply(reach_diff))
    closed_dd = _rowsum(in_diff.multiply(reach_diff))
    closed_it = _rowsum(in_diff.multiply(out_diff @ within_t))
    itinerant = same_group_pairs - back_diff - closed_it
    return {
        "coordinator": n_is * n_os - back_same - closed_ss,
        "itinerant": itinerant,
        "gatekeeper": n_id * n_os - closed_ds,
        "representative": n_is * n_od - closed_sd,
        "liaison": (n_id * n_od - same_group_pairs) - (closed_dd - closed_it),
    }


def brokerage(
    net: ClusterNetwork,
    *,
    groups: str | pd.Series | None = None,
    layers: str | Iterable[str] | None = None,
    nodes: Selection | None = None,
) -> pd.DataFrame:
    """Find the brokers: actors whose contacts are not tied to each other, and who link groups.

    An actor whose partners do not know each other controls what flows
    between them and hears about more opportunities (Burt's *structural
    holes*); an actor that links firms of different regions, sectors or
    sub-clusters is a broker between those groups (Gould and Fernandez).

    **Burt's measures** (weighted, exactly as networkx's ``constraint`` and
    ``effective_size`` with ``weight="weight"``). With ``a_ij`` the weight of
    the arc i -> j, the mutual weight is ``m_ij = a_ij + a_ji``,
    ``p_ij = m_ij / sum_k m_ik`` and ``r_ij = m_ij / max_k m_ik``; N(i) are
    the actors tied to i either way:

    - ``constraint`` c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj)^2, low
      when the partners are many and unconnected (a broker), up to 1 and
      beyond for an actor hemmed in by one tight group;
    - ``effective_size`` e_i = sum_{j in N(i)} (1 - sum_q p_iq r_jq), the
      number of partners minus their redundancy;
    - ``efficiency`` = e_i / |N(i)|, the share of partners that are not
      redundant (Burt's efficiency; networkx documents it as effective size
      over degree).

    Actors without partners get NaN for the three, as in networkx. (networkx
    3.7 computes ``effective_size`` for all actors at once with a shortcut
    that divides by the largest mutual weight of the *other* actor's column;
    on weighted networks it disagrees with its own per-actor definition,
    ``effective_size(G, nodes=...)``, which is the one followed here.)
    Self-links are left out.

    **Gould-Fernandez roles**: each two-path a -> i -> b with a != b and no
    arc a -> b is a brokerage by i, classed by the groups of a, i and b:
    coordinator (all three in one group), itinerant or consultant (a and b
    in one group, i outside), gatekeeper (i in b's group, a outside),
    representative (i in a's group, b outside), liaison (all three
    different); ``total`` is their sum. Directed layers use direction (a
    supplier -> tier-1 -> OEM chain); on undirected layers each tie counts
    both ways, so an open two-path a - i - b counts once in each direction.
    The counts are computed for all actors at once from sparse products:
    with ``I_i`` / ``O_i`` the in- and out-neighbours of i split by whether
    they share i's group, the open pairs are ``|I| x |O|`` minus the pairs
    with a = b and the pairs closed by an arc a -> b (``O A^T`` restricted to
    ``I``).

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    groups : str, pandas.Series or Partition, optional
        The grouping for the roles: a node column (``"kind"``, ``"region"``,
        ``"sector"``...), a Series indexed by actor id (such as
        ``partition.membership``) or a Partition. Default ``"kind"``. Actors without a
        group form a group of their own.
    layers : str or list of str, optional
        Layers to use; ``None`` means all.
    nodes : selection, optional
        The actors to cover (ids, a kind, or a ``{column: values}`` dict).
        Default: every actor, unless the network is large (above
        ``settings.brokerage_max_nodes`` actors and
        ``settings.brokerage_work_budget`` entries of sparse products) *and*
        ranking candidates is cheaper than covering everyone (it is when
        :func:`~clustermap.centrality` has already computed betweenness on
        this network, which is cached and reused): then the top
        ``settings.brokerage_candidates`` by betweenness. The default is
        never slower than covering every actor; ``attrs["nodes"]`` says
        which was done.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id, one row per covered actor in network order:
        ``name``, ``kind``, ``group``, ``partners``, ``constraint``,
        ``effective_size``, ``efficiency``, the five roles and ``total``.

    Raises
    ------
    ConfigError
        For an unknown layer or a ``groups`` column the node table lacks.
    InputError
        When ``nodes`` selects nobody.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of
    Competition*. Harvard University Press. Gould, R. V. & Fernandez, R. M.
    (1989). Structures of mediation: a formal approach to brokerage in
    transaction networks. *Sociological Methodology* 19, 89-126.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["a", "b", "c"], "name": ["A", "B", "C"], "kind": "firm",
    ...      "region": ["north", "south", "south"]},
    ...     {"source": ["a", "b"], "target": ["b", "c"], "layer": "supply"},
    ... )
    >>> b = brokerage(net, groups="region")
    >>> b.loc["b", ["gatekeeper", "total"]].tolist()
    [1, 1]
    >>> b.loc["b", ["constraint", "effective_size", "efficiency"]].tolist()
    [0.5, 2.0, 1.0]
    """
    require_actors(net)
    layer_list = checked_layers(net, layers)
    names = used_layers(net, layer_list)
    codes, labels, described = _group_codes(net, groups)
    g = net._igraph(layers=layer_list)
    check_memory(
        f"brokerage ({net.n_nodes:,} actors, {g.ecount():,} arcs)",
        _BYTES_PER_ARC * g.ecount() + _CHUNK_BYTES,
        "Cover fewer actors (`nodes=`) or select fewer layers (`layers=`) or a part of the "
        "network (`net.select(...)`).",
    )
    arcs_w = adjacency(g)
    arcs = arcs_w.copy()
    arcs.data = np.ones_like(arcs.data)
    arcs_t = arcs.T.tocsr()
    mutual = (arcs_w + arcs_w.T).tocsr()
    mutual.sort_indices()
    totals = _rowsum(mutual)
    counts = np.diff(mutual.indptr)
    peaks = np.zeros(mutual.shape[0])
    has = counts > 0
    peaks[has] = np.maximum.reduceat(mutual.data, mutual.indptr[:-1][has]) if has.any() else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        share = _scale_rows(mutual, np.where(totals > 0, 1.0 / totals, 0.0))
        relative = _scale_rows(mutual, np.where(peaks > 0, 1.0 / peaks, 0.0)).tocsr()
    within = arcs.copy()
    src = np.repeat(np.arange(arcs.shape[0]), np.diff(arcs.indptr))
    within.data = (codes[src] == codes[arcs.indices]).astype(np.float64)
    within.eliminate_zeros()
    within_t = within.T.tocsr()
    n_groups = int(codes.max()) + 1 if len(codes) else 0
    onehot = sp.csr_array(
        (np.ones(len(codes)), (np.arange(len(codes)), codes)), shape=(len(codes), n_groups)
    )
    # Work per actor ~ partners of partners, the size of its rows in the products.
    work = mutual @ counts.astype(np.float64) + arcs @ np.diff(arcs_t.indptr).astype(np.float64)
    rows, chosen = _candidates(net, nodes, layer_list, work)
    constraint = np.full(len(rows), np.nan)
    effective = np.full(len(rows), np.nan)
    roles = {r: np.zeros(len(rows)) for r in ROLES}
    offset = 0
    for part in _chunks(rows, work):
        c, e = _burt(mutual, part, share, relative)
        constraint[offset : offset + len(part)] = c
        effective[offset : offset + len(part)] = e
        for role, values in _roles(arcs, arcs_t, within_t, onehot, codes, part).items():
            roles[role][offset : offset + len(part)] = values
        offset += len(part)
    partners = counts[rows].astype(np.int64)
    lonely = partners == 0
    constraint[lonely] = np.nan
    effective[lonely] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        efficiency = np.where(lonely, np.nan, effective / np.maximum(partners, 1))
    result = actor_table(net).iloc[rows].copy()
    result["group"] = labels.iloc[rows].to_numpy()
    result["partners"] = partners
    result["constraint"] = constraint
    result["effective_size"] = effective
    result["efficiency"] = efficiency
    table = np.column_stack([roles[r] for r in ROLES]) if len(rows) else np.zeros((0, 5))
    for i, role in enumerate(ROLES):
        result[role] = np.rint(table[:, i]).astype(np.int64)
    result["total"] = result[list(ROLES)].sum(axis=1).astype(np.int64)
    parameters: dict[str, Any] = {"groups": described}
    if nodes is not None:
        parameters["nodes"] = chosen
    return stamp(
        result,
        method="brokerage",
        parameters=parameters,
        layers=names,
        nodes=chosen,
        view="directed view" if any(net.directed[x] for x in names) else "undirected view",
    )
