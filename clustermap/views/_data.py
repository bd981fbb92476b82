"""Vectorised building blocks of a view: results, colours, sizes and links.

Everything here works on whole columns with pandas and numpy; no loop runs
over actors or links. :mod:`clustermap.views.html` puts the pieces together.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustermap import settings
from clustermap._results import result_columns
from clustermap.graphs._lookup import positions
from clustermap.graphs.network import ClusterNetwork
from clustermap.graphs.selection import KINDS

__all__ = [
    "KIND_SHAPES",
    "MISSING_COLOR",
    "OTHER_COLOR",
    "SEQUENTIAL",
    "Encoding",
    "aggregate_links",
    "binned",
    "categorical",
    "community_labels",
    "edge_ends",
    "format_number",
    "gather_results",
    "kind_encoding",
    "layer_codes",
    "layer_styles",
    "scale",
    "strongest_lines",
    "top_positions",
]

log = logging.getLogger(__name__)

#: Colour of the categories beyond the palette ("other").
OTHER_COLOR = "#BBBBBB"
#: Colour of actors with no value.
MISSING_COLOR = "#DDDDDD"
#: Five steps of viridis (colour-blind safe, ordered light to dark in print) for numbers.
SEQUENTIAL: tuple[str, ...] = ("#440154", "#3B528B", "#21908C", "#5DC963", "#FDE725")
#: At most this many values keep a legend entry of their own when colours cycle.
MAX_OPTIONS = 300
#: The shape of each kind of actor, so kind stays visible when colour shows something else.
KIND_SHAPES: dict[str, str] = {"firm": "dot", "supplier": "square", "institution": "triangle"}


@dataclass
class Encoding:
    """Categories of the drawn nodes (or links): one code per item and one option per code.

    ``options`` are dicts with ``label`` (shown), ``color`` (hex or ``None``)
    and ``count``; ``codes[i]`` is the option of item ``i``.
    """

    key: str
    title: str
    codes: np.ndarray
    options: list[dict[str, Any]] = field(default_factory=list)
    colored: bool = True

    def colors(self) -> np.ndarray:
        """The colour of each item, as an array of hex strings."""
        palette = np.array([o["color"] or OTHER_COLOR for o in self.options] or [OTHER_COLOR])
        return palette[self.codes]


def format_number(value: float) -> str:
    """Format a number for a legend: three significant digits; separators from 10,000.

    Examples
    --------
    >>> format_number(1234567.0), format_number(0.012345), format_number(3.0)
    ('1,234,567', '0.0123', '3')
    >>> format_number(1827.0), format_number(252.6)
    ('1827', '253')
    """
    if not np.isfinite(value):
        return str(value)
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.3g}"


def categorical(
    values: pd.Series,
    *,
    key: str,
    title: str,
    order: Sequence[Any] | None = None,
    fixed: Mapping[str, str] | None = None,
    labels: Mapping[Any, str] | None = None,
    palette: Sequence[str] | None = None,
    cycle: bool = False,
) -> Encoding:
    """Give each distinct value a colour: fixed ones, then the palette, then "other".

    Values are ordered by ``order`` when given (values it does not list come
    after), else by how often they occur (ties by value). The first
    ``len(palette)`` values get palette colours, the rest share one "other"
    option; missing values get a "(missing)" option. With ``cycle=True``
    (communities, whose numbers tell them apart) colours repeat through the
    palette and up to :data:`MAX_OPTIONS` values keep an option of their own.

    Examples
    --------
    >>> enc = categorical(pd.Series(["b", "a", "b", None]), key="k", title="K", palette=["#111"])
    >>> [o["label"] for o in enc.options], enc.codes.tolist()
    (['b', 'other (1 value)', '(missing)'], [0, 1, 0, 2])
    """
    palette = tuple(settings.palette if palette is None else palette)
    missing = values.isna().to_numpy()
    raw = values[~missing]
    counts = raw.value_counts(sort=False)
    if order is not None:
        rank = {v: i for i, v in enumerate(order)}
        ordered = sorted(counts.index, key=lambda v: (rank.get(v, len(rank)), str(v)))
    else:
        ordered = sorted(counts.index, key=lambda v: (-int(counts[v]), str(v)))
    options: list[dict[str, Any]] = []
    value_code: dict[Any, int] = {}
    free = iter(palette)
    shown = ordered if fixed is not None else ordered[: MAX_OPTIONS if cycle else len(palette)]
    for i, value in enumerate(shown):
        color = fixed.get(str(value)) if fixed is not None else None
        if color is None:
            color = palette[i % len(palette)] if cycle else next(free, OTHER_COLOR)
        value_code[value] = len(options)
        text = labels.get(value, str(value)) if labels is not None else str(value)
        options.append({"label": text, "value": str(value), "color": color, "count": 0})
    rest = [v for v in ordered if v not in value_code]
    if rest:
        other = len(options)
        for value in rest:
            value_code[value] = other
        noun = "value" if len(rest) == 1 else "values"
        label = f"other ({len(rest)} {noun})"
        options.append({"label": label, "value": None, "color": OTHER_COLOR, "count": 0})
    codes = np.zeros(len(values), dtype=np.int64)
    if len(raw):
        codes[~missing] = raw.map(value_code).to_numpy(dtype=np.int64)
    if missing.any():
        codes[missing] = len(options)
        options.append({"label": "(missing)", "value": None, "color": MISSING_COLOR, "count": 0})
    for code, n in zip(*np.unique(codes, return_counts=True), strict=True):
        options[int(code)]["count"] = int(n)
    return Encoding(key, title, codes, options)


def binned(values: pd.Series, *, key: str, title: str, bins: int = 5) -> Encoding:
    """Colour a numeric column by quantile classes (viridis), lowest first.

    Examples
    --------
    >>> enc = binned(pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]), key="x", title="x")
    >>> len(enc.options), enc.codes[0], enc.codes[-1]
    (5, np.int64(0), np.int64(4))
    """
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    missing = numbers.isna().to_numpy()
    codes = np.zeros(len(values), dtype=np.int64)
    options: list[dict[str, Any]] = []
    finite = numbers[~missing]
    if len(finite):
        cut, edges = pd.qcut(finite, bins, labels=False, retbins=True, duplicates="drop")
        n_bins = len(edges) - 1
        steps = np.linspace(0, len(SEQUENTIAL) - 1, max(n_bins, 1)).round().astype(int)
        codes[~missing] = cut.to_numpy(dtype=np.int64)
        for b in range(n_bins):
            label = f"{format_number(edges[b])} – {format_number(edges[b + 1])}"
            options.append({"label": label, "value": None, "color": SEQUENTIAL[steps[b]]})
    if missing.any():
        codes[missing] = len(options)
        options.append({"label": "(missing)", "value": None, "color": MISSING_COLOR})
    counts = np.bincount(codes, minlength=len(options))
    for option, n in zip(options, counts, strict=True):
        option["count"] = int(n)
    return Encoding(key, title, codes, options)


def scale(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Map numbers to sizes between ``low`` and ``high`` so that area follows the value.

    size = low + (high - low) * sqrt((v - min) / (max - min)); missing values
    get ``low``; equal values all get the middle size.

    Examples
    --------
    >>> scale(np.array([0.0, 0.25, 1.0, np.nan]), 10, 30).tolist()
    [10.0, 20.0, 30.0, 10.0]
    """
    v = np.asarray(values, dtype=np.float64)
    out = np.full(v.shape, float(low))
    finite = np.isfinite(v)
    if not finite.any():
        return out
    lo, hi = v[finite].min(), v[finite].max()
    if hi <= lo:
        out[finite] = (low + high) / 2
        return out
    out[finite] = low + (high - low) * np.sqrt((v[finite] - lo) / (hi - lo))
    return out


def gather_results(net: ClusterNetwork, results: Any) -> tuple[pd.DataFrame, Any | None, list[str]]:
    """Join the results passed to a view onto the node table.

    The columns follow the one rule of :mod:`clustermap._results` (shared with
    the exports and the report): a partition gives ``community`` and
    ``community_label``, tables and Series their columns, repeats of node
    columns are dropped and other clashes renamed ``"<result name>.<column>"``.

    Returns
    -------
    (table, partition, result_columns)
    """
    cols = result_columns(net, results)
    return cols.joined(net.nodes), cols.partition, list(cols.table.columns)


def community_labels(partition: Any, net: ClusterNetwork) -> dict[int, str]:
    """Readable names of communities, ``"3 · Castings & machining, West Midlands"``.

    Uses ``partition.labels(net)`` (the short labels of the community
    profiles) when the partition offers it and was found on this network's
    actors; otherwise ``"Community k"``.
    """
    membership = partition.membership
    numbers = pd.unique(membership.dropna().astype(np.int64))
    labels = {int(k): f"Community {int(k)}" for k in numbers}
    method = getattr(partition, "labels", None)
    if callable(method) and membership.index.equals(net.nodes.index):
        for k, text in method(net).items():
            if pd.notna(text) and int(k) in labels and str(text) != f"Community {int(k)}":
                labels[int(k)] = f"{int(k)} · {text}"
    return labels


def layer_styles(layers: Sequence[str], directed: Mapping[str, bool]) -> list[dict[str, Any]]:
    """How each layer's links are drawn: settings.layer_styles, or a style of its own.

    Examples
    --------
    >>> [s["dashes"] for s in layer_styles(["supply", "knowledge"], {"supply": True})]
    [False, True]
    """
    out = []
    extra = iter(settings.palette[4:])
    for i, layer in enumerate(layers):
        style = dict(settings.layer_styles.get(layer, {}))
        if not style:
            is_dir = bool(directed.get(layer, False))
            style = {
                "dashes": [2, 4] if i % 2 else [8, 4],
                "arrows": "to" if is_dir else "",
                "color": next(extra, "#777777"),
            }
        style.setdefault("dashes", False)
        style.setdefault("arrows", "to" if directed.get(layer, False) else "")
        style.setdefault("color", "#777777")
        out.append({"name": layer, "directed": bool(directed.get(layer, False)), **style})
    return out


def edge_ends(net: ClusterNetwork, index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Position in ``index`` of every link's source and target (edge-table order; -1 = absent).

    Reuses the network's cached id lookup when ``index`` is its node index
    (the usual case); otherwise looks the ids up with Arrow's hash tables.
    """
    if index is net._nodes.index or index.equals(net._nodes.index):
        return net._edge_positions()
    e = net._edges
    return positions(index, e["source"]), positions(index, e["target"])


def layer_codes(net: ClusterNetwork, rows: np.ndarray | None = None) -> np.ndarray:
    """Position of every link's layer in ``net.layers`` (edge-table order), as int64.

    With ``rows`` (positions in the edge table), of those links only.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables({"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"},
    ...     {"source": ["a", "b"], "target": ["b", "a"], "layer": ["supply", "knowledge"]})
    >>> [net.layers[c] for c in layer_codes(net)] == net.edges["layer"].tolist()
    True
    """
    layer = net._edges["layer"]
    return positions(pd.Index(net.layers), layer if rows is None else layer.iloc[rows])


#: :func:`aggregate_links` counts pairs in an array of this many slots (or twice the rows)
#: rather than sorting them.
_DENSE_KEYS = 1 << 20


def aggregate_links(
    edges: pd.DataFrame,
    position: np.ndarray | tuple[np.ndarray, np.ndarray],
    layer_codes: np.ndarray,
    directed: np.ndarray,
    *,
    n: int,
    drop_internal: bool = False,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Merge links that join the same drawn pair in the same layer, summing weights.

    ``position`` gives, for each edge row's endpoints, the drawn node
    (``position[0]`` sources, ``position[1]`` targets; -1 = not drawn, and the
    row is dropped). In undirected layers (``directed[layer]`` False) the two
    directions of a pair are one line.

    Returns
    -------
    (links, internal)
        ``links`` has ``source``, ``target`` (drawn positions), ``layer``
        (code), ``weight`` (sum) and ``count`` (rows). ``internal`` counts, per
        drawn node, the rows whose two ends fall on it (dropped when
        ``drop_internal``, else kept as loops).
    """
    src = np.asarray(position[0], dtype=np.int64)
    dst = np.asarray(position[1], dtype=np.int64)
    weight = edges["weight"].to_numpy(dtype=np.float64)
    keep = (src >= 0) & (dst >= 0)
    internal = np.zeros(n, dtype=np.int64)
    if drop_internal:
        loops = keep & (src == dst)
        internal = np.bincount(src[loops], minlength=n).astype(np.int64)
        keep &= ~loops
    src, dst, weight, lay = src[keep], dst[keep], weight[keep], layer_codes[keep]
    undirected = ~directed[lay]
    a = np.where(undirected, np.minimum(src, dst), src)
    b = np.where(undirected, np.maximum(src, dst), dst)
    m = max(n, 1)
    key = (lay.astype(np.int64) * m + a) * m + b
    n_keys = len(directed) * m * m
    if n_keys <= max(2 * len(key), _DENSE_KEYS) and (len(key) == 0 or key.min() >= 0):
        # few possible pairs (the community-level view): count them in place of sorting.
        # bincount adds each pair's weights in row order either way, so sums are the same.
        count = np.bincount(key, minlength=n_keys)
        uniq = np.flatnonzero(count)
        summed = np.bincount(key, weights=weight, minlength=n_keys)[uniq]
        count = count[uniq]
    else:
        uniq, inverse = np.unique(key, return_inverse=True)
        summed = np.bincount(inverse, weights=weight, minlength=len(uniq))
        count = np.bincount(inverse, minlength=len(uniq))
    links = pd.DataFrame(
        {
            "source": (uniq // m) % m,
            "target": uniq % m,
            "layer": uniq // (m * m),
            "weight": summed,
            "count": count.astype(np.int64),
        }
    )
    return links, internal


def top_positions(ranking: np.ndarray, top_n: int) -> np.ndarray:
    """Positions of the ``top_n`` highest values (missing lowest; ties by position), sorted.

    The same as the first ``top_n`` of a stable sort, without sorting everyone.

    Examples
    --------
    >>> top_positions(np.array([1.0, 3.0, np.nan, 3.0, 2.0]), 2).tolist()
    [1, 3]
    """
    key = -np.nan_to_num(np.asarray(ranking, dtype=np.float64), nan=-np.inf)
    if top_n <= 0:
        return np.zeros(0, dtype=np.int64)
    if top_n >= len(key):
        return np.arange(len(key), dtype=np.int64)
    kth = np.partition(key, top_n - 1)[top_n - 1]
    better = np.flatnonzero(key < kth)
    tied = np.flatnonzero(key == kth)[: top_n - len(better)]
    return np.sort(np.concatenate([better, tied])).astype(np.int64)


def strongest_lines(links: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Keep the ``limit`` heaviest lines, plus the heaviest line of every node.

    Used where a summary view would otherwise draw every pair (the
    community-level view), so the picture stays readable; every node keeps
    at least one line.

    Examples
    --------
    >>> links = pd.DataFrame({"source": [0, 0, 1, 2], "target": [1, 2, 2, 3],
    ...                       "weight": [5.0, 4.0, 3.0, 1.0]})
    >>> strongest_lines(links, 1)["weight"].tolist()
    [5.0, 4.0, 1.0]
    """
    if len(links) <= limit:
        return links
    weight = links["weight"].to_numpy()
    m = len(links)
    keep = np.zeros(m, dtype=bool)
    line = np.tile(np.arange(m), 2)
    node = np.concatenate([links["source"].to_numpy(), links["target"].to_numpy()])
    both = np.tile(weight, 2)
    if np.isnan(weight).any():  # the general way: NaN sorts last and is skipped
        keep[np.argsort(-weight, kind="stable")[:limit]] = True
        best = pd.Series(both, index=line).groupby(node).idxmax().to_numpy(dtype=np.int64)
    else:
        keep[top_positions(weight, limit)] = True
        # each node's heaviest line, the first one (source ends, then target ends) on ties
        heaviest = np.full(int(node.max()) + 1, -np.inf)
        np.maximum.at(heaviest, node, both)
        hit = np.flatnonzero(both == heaviest[node])
        first = np.full(len(heaviest), 2 * m)
        np.minimum.at(first, node[hit], hit)
        best = line[first[first < 2 * m]]
    keep[best] = True
    return links[keep].reset_index(drop=True)


def kind_encoding(kinds: pd.Series, *, colored: bool) -> Encoding:
    """The kinds of actor, coloured by ``settings.kind_colors`` when ``colored``."""
    enc = categorical(kinds, key="kind", title="Kind of actor", order=KINDS, fixed=_kind_colors())
    enc.colored = colored
    return enc


def _kind_colors() -> dict[str, str]:
    return {k: settings.kind_colors.get(k, OTHER_COLOR) for k in KINDS}
