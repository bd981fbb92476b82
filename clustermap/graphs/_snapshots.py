"""Cut a network into periods: the engine of :meth:`ClusterNetwork.snapshots`.

A tie counts in the periods its date falls in (or, cumulatively, in every
period ending at or after its date). Actors present in a period are those
with a tie in it, unless the node table has ``entered`` / ``exited`` columns,
which then say who is present: an actor is present in a period when it
entered on or before the period's last year and had not exited before its
first year (a missing ``entered`` means "always there", a missing ``exited``
"still there").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from clustermap.errors import ConfigError, EmptyNetworkError, InputError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["period_label", "snapshots"]

log = logging.getLogger(__name__)


def period_label(first: int, last: int) -> str:
    """The label of a period: ``"2015"`` for one year, ``"2014-2016"`` for several.

    Examples
    --------
    >>> period_label(2015, 2015), period_label(2014, 2016)
    ('2015', '2014-2016')
    """
    return str(first) if first == last else f"{first}-{last}"


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"`{name}` must be a whole number, not {value!r}"
        raise ConfigError(msg)
    return int(value)


def _dates(net: ClusterNetwork, by: str) -> pd.Series:
    edges = net._edges
    if by not in edges.columns:
        cols = ", ".join(map(repr, edges.columns))
        msg = (
            f"`by={by!r}`: the links have no {by!r} column, so they cannot be cut into "
            f"periods; link columns are: {cols} (add a year to each link, or pass by=COLUMN)"
        )
        raise ConfigError(msg)
    values = pd.to_numeric(edges[by], errors="coerce")
    if values.notna().any():
        finite = values.dropna()
        if not (finite == finite.round()).all():
            msg = f"`by={by!r}`: the {by!r} column must hold whole numbers (years)"
            raise InputError(msg)
    return values


def _presence(net: ClusterNetwork, by: str) -> tuple[np.ndarray, np.ndarray] | None:
    """``(entered, exited)`` per actor as floats (NaN: open), or None without the columns."""
    nodes = net._nodes
    has = [c for c in ("entered", "exited") if c in nodes.columns]
    if not has:
        return None
    out = []
    for col in ("entered", "exited"):
        if col not in nodes.columns:
            out.append(np.full(len(nodes), np.nan))
            continue
        raw = nodes[col]
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
        if bad.any():
            rows = (np.flatnonzero(bad.to_numpy())[:10] + 2).tolist()
            msg = (
                f"node table column {col!r} must hold years (whole numbers); rows {rows} "
                f"(as a spreadsheet counts, header = row 1) do not"
            )
            raise InputError(msg)
        out.append(values.to_numpy(dtype=np.float64))
    log.info("snapshots(by=%r): actors present follow the node table's %s", by, has)
    return out[0], out[1]


def _windows(
    lo: int,
    hi: int,
    window: int,
    step: int,
    periods: Iterable[tuple[int, int]] | None,
) -> list[tuple[int, int]]:
    if periods is not None:
        out = []
        for item in periods:
            try:
                first, last = (int(item[0]), int(item[1]))
            except (TypeError, ValueError, IndexError):
                msg = f"`periods` must be (first, last) pairs of years, not {item!r}"
                raise ConfigError(msg) from None
            if last < first:
                msg = f"`periods`: the period {first}-{last} ends before it starts"
                raise ConfigError(msg)
            out.append((first, last))
        if not out:
            msg = "`periods` is empty: give at least one (first, last) pair"
            raise ConfigError(msg)
        return out
    starts = range(lo, max(hi - window + 1, lo) + 1, step)
    return [(s, s + window - 1) for s in starts]


def snapshots(
    net: ClusterNetwork,
    *,
    by: str = "year",
    window: int = 1,
    step: int = 1,
    cumulative: bool = False,
    periods: Iterable[tuple[int, int]] | None = None,
) -> dict[str, ClusterNetwork]:
    """See :meth:`clustermap.ClusterNetwork.snapshots`."""
    from clustermap.graphs.network import ClusterNetwork

    window = _whole(window, "window")
    step = _whole(step, "step")
    if window < 1 or step < 1:
        msg = f"`window` and `step` must be at least 1 (got window={window}, step={step})"
        raise ConfigError(msg)
    dates = _dates(net, by)
    dated = dates.notna().to_numpy()
    if not dated.any():
        msg = f"no link has a {by!r}: there is nothing to cut into periods"
        raise EmptyNetworkError(msg)
    undated = int((~dated).sum())
    if undated:
        log.info("snapshots: %d links without a %r are left out of every period", undated, by)
    d = dates.to_numpy(dtype=np.float64)
    lo, hi = int(np.nanmin(d)), int(np.nanmax(d))
    spans = _windows(lo, hi, window, step, periods)
    presence = _presence(net, by)
    edges = net._edges
    nodes = net._nodes
    src = edges["source"].to_numpy()
    dst = edges["target"].to_numpy()
    out: dict[str, ClusterNetwork] = {}
    empty: list[str] = []
    for first, last in spans:
        start = lo if cumulative else first
        in_period = (d <= last) & (d >= (-np.inf if cumulative else first))
        label = period_label(start, last)
        if presence is None:
            linked = pd.unique(np.concatenate([src[in_period], dst[in_period]]))
            keep = nodes.index.isin(linked)
        else:
            entered, exited = presence
            open_from = -np.inf if cumulative else first
            keep = ~(entered > last) & ~(exited < open_from)
            ids = nodes.index[keep]
            in_period &= edges["source"].isin(ids).to_numpy() & edges["target"].isin(ids).to_numpy()
        if not in_period.any() and not keep.any():
            empty.append(label)
        meta = {**net.meta, "period": label, "period_first": int(start), "period_last": int(last)}
        out[label] = ClusterNetwork._trusted(
            nodes[keep], edges[in_period].reset_index(drop=True), net.directed, meta
        )
    if periods is not None and empty:
        msg = (
            f"period(s) {', '.join(empty)} have no links and no actors (the links' {by!r} "
            f"runs from {lo} to {hi}); choose periods inside that range"
        )
        raise EmptyNetworkError(msg)
    return out
