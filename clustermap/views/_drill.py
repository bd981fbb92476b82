"""Drill-down data of the community-level view: what a community opens when clicked.

Each community node carries its most central members (by the view's size
measure, else summed link weight) and the ties among them and the top
actors of the same community, embedded at write time so the page needs
nothing else. The total stays within :data:`DRILL_BUDGET_BYTES`; when the
members asked for do not fit, fewer are embedded and the page says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from clustermap.graphs.network import ClusterNetwork
from clustermap.views._data import (
    KIND_SHAPES,
    aggregate_links,
    edge_ends,
    layer_codes,
    layer_styles,
    scale,
)
from clustermap.views._options import DRILL_BUDGET_BYTES, ViewOptions
from clustermap.views._page import _column_values

__all__ = ["drill_data"]

#: Approximate bytes a member costs in the page besides its id, label and attributes.
_MEMBER_BYTES = 40
#: Approximate bytes of one tie in the page.
_TIE_BYTES = 24
#: Characters of a missing attribute in the page (``null``).
_NULL_CHARS = 4


def _candidate_ties(
    net: ClusterNetwork, index: pd.Index, maybe: np.ndarray, top: np.ndarray, code: np.ndarray
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, np.ndarray]:
    """The links that can become ties of the drill-down, looked up once for every budget.

    Those inside one community, between members that may be embedded
    (``maybe``) or top actors, with at least one end a member: every budget's
    ties are among them. Returns their ends (node positions), weights (a
    one-column table, in edge-table order so sums do not change) and layer codes.
    """
    s, t = edge_ends(net, index)
    role = np.zeros(len(index), dtype=np.int8)  # 0: not embedded, 1: top actor, 2: member
    role[top] = 1
    role[maybe] = 2
    rows = np.flatnonzero(role[s] * role[t] >= 2)  # both ends embedded, one a member
    rows = rows[code[s[rows]] == code[t[rows]]]
    weight = pd.DataFrame({"weight": net._edges["weight"].to_numpy(dtype=np.float64)[rows]})
    return s[rows], t[rows], weight, layer_codes(net, rows)


def _may_lead(key: np.ndarray, code: np.ndarray, asked: int, k: int) -> np.ndarray:
    """A mask of the items that can be among the ``asked`` first of their group.

    Items are ranked within their group (``code``, 0 to ``k - 1``) by
    ``key``, smallest first, ties by position. Sorting all of them (a
    million actors) only to keep 30 per community is the slow way: a group
    with ``asked`` items under a global cut keeps only those (its leaders
    and everyone ranked before them are there); other groups keep all.

    Examples
    --------
    >>> key = np.array([5.0, 1.0, 4.0, 2.0, 3.0, 9.0, 0.0, 8.0])
    >>> _may_lead(key, np.zeros(8, dtype=int), 1, 1).astype(int).tolist()
    [0, 0, 0, 0, 0, 0, 1, 0]
    """
    n = len(key)
    cut = 2 * asked * k
    if n <= 2 * cut:
        return np.ones(n, dtype=bool)
    kth = np.partition(key, cut - 1)[cut - 1]
    under = key < kth
    enough = np.bincount(code[under], minlength=k) >= asked
    return under | ~enough[code]


def _text_lengths(column: pd.Series) -> np.ndarray:
    """How many characters each value takes as text (``str``); a missing value counts as null.

    Numbers are written once per distinct value (compared bit for bit, so
    ``-0.0`` stays apart from ``0.0``).

    Examples
    --------
    >>> _text_lengths(pd.Series([1.5, np.nan, -0.0, 1.5, 0.0])).tolist()
    [3, 4, 4, 3, 3]
    >>> _text_lengths(pd.Series(["ab", None, "abc"])).tolist()
    [2, 4, 3]
    """
    if column.dtype in (np.float64, np.int64):
        values = column.to_numpy()
        is_float = values.dtype == np.float64
        missing = np.isnan(values) if is_float else np.zeros(len(values), dtype=bool)
        codes, distinct = pd.factorize(values.view(np.int64))
        if is_float:
            distinct = distinct.view(np.float64)
        text = map(str, distinct.tolist())
        each = np.fromiter(map(len, text), dtype=np.int64, count=len(distinct))
        return np.where(missing, _NULL_CHARS, each[codes])
    return column.astype(str).str.len().fillna(_NULL_CHARS).to_numpy(dtype=np.int64)


def drill_data(
    net: ClusterNetwork,
    table: pd.DataFrame,
    g: Any,
    opts: ViewOptions,
    *,
    ranking: np.ndarray,
    sized: np.ndarray | None,
    colors: np.ndarray,
    attributes: Sequence[str],
) -> tuple[dict[str, Any] | None, list[str]]:
    """The members each community opens with, and sentences saying what is embedded."""
    asked = int(opts.drill_members)
    if asked == 0 or g.k == 0:
        return None, []
    t, n = g.t, len(table)
    is_top = np.zeros(n, dtype=bool)
    is_top[g.top] = True
    candidates = np.flatnonzero(~is_top & (g.numbers[g.code] != 0))
    key = -np.nan_to_num(ranking[candidates], nan=-np.inf)
    kept = _may_lead(key, g.code[candidates], asked, g.k)
    candidates, key = candidates[kept], key[kept]
    order = candidates[np.lexsort((candidates, key, g.code[candidates]))]
    code = g.code[order]
    start = np.searchsorted(code, np.arange(g.k))
    place = np.arange(len(order)) - start[code]
    # the members that may be embedded (at most `asked` per community), and their page cost
    maybe = order[place < asked]
    maybe_place = place[place < asked]
    columns = list(dict.fromkeys(["kind", *([] if opts.anonymize else ["name"]), *attributes]))
    rows = table[columns].iloc[maybe]  # one look-up per column (slow on chunked Arrow text)
    labels = rows.index.to_series() if opts.anonymize else rows["name"]
    cost = np.zeros(n, dtype=np.int64)
    cost[maybe] = (
        rows.index.str.len().to_numpy()
        + labels.astype(str).str.len().to_numpy()
        + _MEMBER_BYTES
        + 12 * len(attributes)
    )
    for col in attributes:
        cost[maybe] += _text_lengths(rows[col])

    s, d, weight, layer = _candidate_ties(net, table.index, maybe, g.top, g.code)
    styles = layer_styles(net.layers, net.directed)
    directed = np.array([st["directed"] for st in styles], dtype=bool)

    def build(limit: int) -> tuple[np.ndarray, pd.DataFrame, int]:
        chosen = order[place < limit]
        slot = np.full(n, -1, dtype=np.int64)
        slot[g.top] = np.arange(t)
        slot[chosen] = t + g.k + np.arange(len(chosen))
        ends = np.vstack([slot[s], slot[d]])
        n_slots = t + g.k + len(chosen)
        ties, _ = aggregate_links(weight, ends, layer, directed, n=n_slots, drop_internal=True)
        ties = ties[(ties["source"] >= t + g.k) | (ties["target"] >= t + g.k)]
        return chosen, ties, int(cost[chosen].sum()) + _TIE_BYTES * len(ties)

    limit = asked
    chosen, ties, size = build(limit)
    while size > DRILL_BUDGET_BYTES and limit > 1:
        limit = max(1, int(limit * DRILL_BUDGET_BYTES / size * 0.9))
        chosen, ties, size = build(limit)
    rest = g.members - g.separately - np.bincount(g.code[chosen], minlength=g.k)
    sizes = np.full(len(chosen), 12.0) if sized is None else scale(sized, 8.0, 40.0)[chosen]
    shown = np.flatnonzero(maybe_place < limit)  # `chosen` among `maybe`, in the same order
    member_attrs = {col: _column_values(rows[col].iloc[shown]) for col in attributes}
    drill = {
        "shown": limit,
        "id": rows.index[shown].astype(str).tolist(),
        "label": labels.iloc[shown].astype(str).tolist(),
        "size": np.round(sizes, 1).tolist(),
        "shape": rows["kind"].iloc[shown].map(KIND_SHAPES).fillna("dot").tolist(),
        "color": [str(c) for c in colors[t + g.code[chosen]]],
        "community": (t + g.code[chosen]).tolist(),
        "rest": np.concatenate([np.zeros(t, dtype=np.int64), rest]).tolist(),
        "topCommunity": np.concatenate([t + g.code[g.top], np.full(g.k, -1)]).tolist(),
        "attrs": member_attrs,
        "ties": {
            "from": ties["source"].to_numpy(dtype=np.int64).tolist(),
            "to": ties["target"].to_numpy(dtype=np.int64).tolist(),
            "layer": ties["layer"].to_numpy(dtype=np.int64).tolist(),
            "width": np.round(scale(ties["weight"].to_numpy(), 0.6, 3.0), 2).tolist(),
        },
    }
    measure = "size" if sized is not None else "summed link weight"
    notes = [
        f"Click a community to open it: its {limit:,} most central members (by {measure}) "
        "appear around it with their ties, the rest of the network dimmed, and the count of "
        "members not shown; “Back” returns."
    ]
    if limit < asked:
        notes.append(
            f"Only {limit:,} members per community (of the {asked:,} asked) are embedded, to "
            f"keep the drill-down data under {DRILL_BUDGET_BYTES / 2**20:.0f} MiB."
        )
    return drill, notes
