"""Knowledge roles of cluster members after Giuliani & Bell (2005).

Giuliani and Bell mapped who turns to whom for technical advice in a Chilean
wine cluster and found that firms play different *cognitive roles*: a few
technological gatekeepers both tap knowledge outside the cluster and pass it
on inside; active mutual exchangers trade knowledge among locals; some firms
are only weakly connected; others are isolated, or linked outside but not
inside (external stars). :func:`knowledge_roles` assigns these roles from
the network: internal ties (among the actors selected as inside the cluster)
give each actor's role as a source and as an absorber of local knowledge;
ties to actors outside the selection give its external openness.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from clustermap._provenance import stamp
from clustermap.analysis._spillover_graph import (
    DEFAULT_LAYERS,
    describe_selection,
    distinct,
    layer_list,
    resolve_positions,
)
from clustermap.errors import ConfigError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork
    from clustermap.graphs.selection import Selection

__all__ = ["KNOWLEDGE_ROLES", "knowledge_roles"]

log = logging.getLogger(__name__)

#: The roles :func:`knowledge_roles` assigns, from most to least engaged.
KNOWLEDGE_ROLES: tuple[str, ...] = (
    "technological gatekeeper",
    "active mutual exchanger",
    "source",
    "absorber",
    "external star",
    "weakly connected",
    "isolated",
)

_STATISTICS = ("mean", "median")


def _threshold(values: np.ndarray, high: str | float) -> tuple[np.ndarray, float, str]:
    """Which values count as high, the cut used and how it applies."""
    if isinstance(high, str):
        cut = 0.0
        if len(values):
            cut = float(np.mean(values) if high == "mean" else np.median(values))
        return values > cut, cut, "above"
    return values >= float(high), float(high), "at least"


def _check_options(high: str | float, external_min: float) -> None:
    if isinstance(high, str):
        if high not in _STATISTICS:
            msg = (
                f"`high` must be one of {', '.join(map(repr, _STATISTICS))} or a number of "
                f"ties > 0, not {high!r}"
            )
            raise ConfigError(msg)
    elif isinstance(high, bool) or not isinstance(high, int | float) or not high > 0:
        msg = f"`high` must be 'mean', 'median' or a number of ties > 0, not {high!r}"
        raise ConfigError(msg)
    if isinstance(external_min, bool) or not isinstance(external_min, int | float):
        msg = f"`external_min` must be a number > 0, not {external_min!r}"
        raise ConfigError(msg)
    if not external_min > 0:
        msg = f"`external_min` must be a number > 0, not {external_min!r}"
        raise ConfigError(msg)


def knowledge_roles(
    net: ClusterNetwork,
    *,
    internal: Selection,
    layers: str | Iterable[str] | None = DEFAULT_LAYERS,
    high: str | float = "mean",
    external_min: float = 1,
    weighted: bool = False,
) -> pd.DataFrame:
    """Give each cluster member its role in the flow of knowledge: gatekeeper, isolated...

    A technological gatekeeper is the member that brings knowledge in from
    outside the cluster and passes it on to local partners; active mutual
    exchangers trade knowledge with many locals but have few links outside;
    external stars are linked outside but hardly inside; weakly connected
    and isolated members are out of the local knowledge loop.

    **Definition** (after Giuliani & Bell 2005). For each actor inside the
    cluster (``internal``), ties with other inside actors give its
    *source* score (``internal_out``: ties along which it passes knowledge
    to locals) and its *absorber* score (``internal_in``: ties along which
    it receives local knowledge); ties with actors outside the selection give
    its *external openness* (``external``: number of distinct outside
    partners, or their total weight when ``weighted``). On a directed layer
    a link runs the way knowledge flows (from adviser to advised: reverse
    "who asks whom" data), so the source score is the internal out-degree,
    the absorber score the internal in-degree, and only links bringing
    knowledge in from outside count as external; **on an undirected layer
    (the default knowledge layer) the internal degree serves as both**, so
    the roles "source" and "absorber" cannot occur. An actor is a *strong
    source* (*strong absorber*) when its score is above the mean (or median)
    over inside actors, or at least ``high`` ties when ``high`` is a number,
    and *open* when ``external >= external_min``. Roles, first match wins:

    ===========================  =============================================
    technological gatekeeper     open and strong source
    active mutual exchanger      not open, strong source and strong absorber
    source                       not open, strong source only (directed only)
    absorber                     not open, strong absorber only (directed only)
    external star                open, not a strong source
    weakly connected             not open, some internal ties, neither strong
    isolated                     not open and no internal ties
    ===========================  =============================================

    Giuliani & Bell classified firms by relative in- and out-degree in the
    local advice network and by an external-openness index from a survey;
    the cut-offs here (the mean, one outside partner) are this package's
    defaults, exposed as options.

    Parameters
    ----------
    net : ClusterNetwork
        The cluster, including the outside actors that members link to.
    internal : selection
        Who is inside the cluster: ids, a kind or ``{column: values}`` (for
        example ``{"kind": ["firm", "supplier"]}`` treats every institution
        as an outside knowledge source).
    layers : str or list of str, optional
        Layers read (default ``("knowledge",)``). Mixing a directed layer in
        makes the view directed, undirected ties counting both ways.
    high : {"mean", "median"} or number
        What makes a source or absorber score high: above the mean or the
        median over inside actors, or at least this many ties (or this much
        weight).
    external_min : number
        Outside partners (or outside weight) needed to count as open.
    weighted : bool
        Sum tie weights instead of counting ties.

    Returns
    -------
    pandas.DataFrame
        Indexed by the ids of the inside actors, in network order: ``name``,
        ``kind``, ``role``, ``internal_out``, ``internal_in``, ``external``,
        ``strong_source``, ``strong_absorber``, ``open``. ``attrs`` records
        the cut-offs used.

    Raises
    ------
    InputError
        When ``internal`` selects nobody.
    ConfigError
        For bad ``high``, ``external_min`` or ``layers``.

    References
    ----------
    Giuliani, E. & Bell, M. (2005). The micro-determinants of meso-level
    learning and innovation: evidence from a Chilean wine cluster.
    *Research Policy* 34(1), 47-68.
    Allen, T. J. (1977). *Managing the Flow of Technology*. MIT Press.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["h", "a", "b", "c", "x"], "name": ["Hub", "A", "B", "C", "Lab"],
    ...      "kind": ["firm", "firm", "firm", "firm", "institution"]},
    ...     {"source": ["h", "h", "h", "x"], "target": ["a", "b", "c", "h"],
    ...      "layer": "knowledge"},
    ... )
    >>> roles = cm.knowledge_roles(net, internal="firm")
    >>> roles["role"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'h': 'technological gatekeeper', 'a': 'weakly connected',
     'b': 'weakly connected', 'c': 'weakly connected'}
    >>> roles.loc["h", ["internal_out", "external"]].tolist()
    [3, 1]
    """
    _check_options(high, external_min)
    names = layer_list(net, layers)
    inside_pos = resolve_positions(net, internal, "internal")
    n = net.n_nodes
    src, dst, attrs, directed = net._view_arcs(layers=names)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    w = attrs["weight"].to_numpy(dtype=np.float64)[keep] if weighted else np.ones(len(src))
    inside = np.zeros(n, dtype=bool)
    inside[inside_pos] = True
    local = inside[src] & inside[dst]
    if directed:
        out_deg = np.bincount(src[local], weights=w[local], minlength=n)
        in_deg = np.bincount(dst[local], weights=w[local], minlength=n)
    else:
        out_deg = np.bincount(src[local], weights=w[local], minlength=n) + np.bincount(
            dst[local], weights=w[local], minlength=n
        )
        in_deg = out_deg
    # outside ties: on a directed layer only those bringing knowledge in count
    cross = ~inside[src] & inside[dst] if directed else inside[src] != inside[dst]
    member = np.where(inside[src], src, dst)[cross]
    outsider = np.where(inside[src], dst, src)[cross]
    if weighted:
        external = np.bincount(member, weights=w[cross], minlength=n)
    else:
        pairs = distinct(member * max(n, 1) + outsider)
        external = np.bincount(pairs // max(n, 1), minlength=n).astype(np.float64)
    out_in, in_in, ext_in = out_deg[inside_pos], in_deg[inside_pos], external[inside_pos]
    if not weighted:  # counts of ties
        out_in, in_in, ext_in = (x.astype(np.int64) for x in (out_in, in_in, ext_in))
    strong_source, cut_out, how = _threshold(out_in, high)
    strong_absorber, cut_in, _ = _threshold(in_in, high)
    is_open = ext_in >= float(external_min)
    tied = (out_in + in_in) > 0
    role = np.select(
        [
            is_open & strong_source,
            ~is_open & strong_source & strong_absorber,
            ~is_open & strong_source,
            ~is_open & strong_absorber,
            is_open,
            tied,
        ],
        list(KNOWLEDGE_ROLES[:6]),
        default=KNOWLEDGE_ROLES[6],
    )
    nodes = net.nodes.iloc[inside_pos]
    table = pd.DataFrame(
        {
            "name": nodes["name"],
            "kind": nodes["kind"],
            "role": role.astype(object),
            "internal_out": out_in,
            "internal_in": in_in,
            "external": ext_in,
            "strong_source": strong_source,
            "strong_absorber": strong_absorber,
            "open": is_open,
        },
        index=nodes.index,
    )
    if not cross.any():
        log.info(
            "knowledge_roles: no ties leave the `internal` selection, so nobody is open "
            "(no gatekeepers or external stars); select fewer actors as internal"
        )
    return stamp(
        table,
        method="knowledge_roles",
        parameters={
            "internal": describe_selection(internal),
            "high": high,
            "external_min": external_min,
            "weighted": weighted,
        },
        layers=names,
        directed=bool(directed),
        cut_source=f"{how} {cut_out:g}",
        cut_absorber=f"{how} {cut_in:g}",
        counts={r: int((role == r).sum()) for r in KNOWLEDGE_ROLES},
    )
