"""Build a view: from a network and its results to drawn nodes, drawn links and a page spec.

Shared pieces (colours, sizes, tooltips, layouts, notes) and the view that
draws every actor (:func:`actor_view`). The community-level view is in
:mod:`clustermap.views._summary`; :func:`clustermap.views.html.prepare_view`
chooses between them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from clustermap import settings
from clustermap.errors import ConfigError
from clustermap.graphs.network import ClusterNetwork
from clustermap.views._data import (
    KIND_SHAPES,
    Encoding,
    aggregate_links,
    binned,
    categorical,
    community_labels,
    edge_ends,
    format_number,
    kind_encoding,
    layer_codes,
    layer_styles,
    scale,
    strongest_lines,
)
from clustermap.views._options import ViewOptions
from clustermap.views._page import PageSpec
from clustermap.views._place import geo_columns, layout_mode, place

__all__ = [
    "ACTOR_SIZE",
    "DASHED_MAX_LINES",
    "LINE_WIDTH",
    "PLAIN_SIZE",
    "actor_view",
    "add_shapes",
    "attribute_columns",
    "check_column",
    "colour_encoding",
    "count_text",
    "label_rank",
    "label_sizes",
    "membership_of",
    "partition_note",
    "short_labels",
    "size_values",
    "solid_when_crowded",
    "strength",
    "thin_lines",
]

#: Node sizes (radius in screen pixels at zoom 1).
ACTOR_SIZE = (8.0, 40.0)
PLAIN_SIZE = 12.0
COMMUNITY_SIZE = (10.0, 90.0)
#: A community of m members is a hexagon of radius COMMUNITY_SCALE * sqrt(m) (area ~ m).
COMMUNITY_SCALE = 2.5
LINE_WIDTH = (1.0, 7.0)
#: The community-level view draws at most this many lines per drawn node (the heaviest).
LINES_PER_NODE = 4
_LABEL_MAX = 48
#: Above this many lines every layer is drawn solid (dashes are slow to draw).
DASHED_MAX_LINES = 3_000


def count_text(n: int, noun: str, plural: str | None = None) -> str:
    """``count_text(1, "actor") == "1 actor"``; thousands separated."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def short_labels(text: pd.Series) -> pd.Series:
    """Cut long labels for the canvas (tooltips keep the whole text)."""
    long = text.str.len() > _LABEL_MAX
    return text.where(~long, text.str.slice(0, _LABEL_MAX - 1) + "…")


def label_sizes(priority: np.ndarray) -> np.ndarray:
    """Font sizes that let the most important labels show first when zoomed out.

    The top 3 % of nodes by ``priority`` (5 to 25 of them) get 22 px and
    stay readable at any zoom (the page enlarges them when zoomed out); the
    next 12 % (up to 200) get 16 px, the rest 12 px, and the page hides
    those while their size on screen is under 10 px.

    Examples
    --------
    >>> label_sizes(np.arange(100.0))[[99, 90, 0]].tolist()
    [22.0, 16.0, 12.0]
    """
    n = len(priority)
    order = np.argsort(
        -np.nan_to_num(np.asarray(priority, dtype=np.float64), nan=-np.inf), kind="stable"
    )
    first = int(np.clip(round(0.03 * n), 5, 25))
    second = int(np.clip(round(0.12 * n), 0, 200))
    font = np.full(n, 12.0)
    font[order[first : first + second]] = 16.0
    font[order[:first]] = 22.0
    return font


def solid_when_crowded(styles: list[dict[str, Any]], n_lines: int) -> str | None:
    """Draw every layer solid above :data:`DASHED_MAX_LINES` lines; say so.

    Dashed lines cost browsers several times more to draw than solid ones
    (vis-network draws dashes segment by segment), enough to make a view of
    thousands of lines slow to pan and zoom; colour still tells layers apart.

    Examples
    --------
    >>> styles = [{"name": "knowledge", "dashes": True}]
    >>> solid_when_crowded(styles, 10) is None, styles[0]["dashes"]
    (True, True)
    >>> bool(solid_when_crowded(styles, 10_000)), styles[0]["dashes"]
    (True, False)
    """
    dashed = [s["name"] for s in styles if s.get("dashes")]
    if n_lines <= DASHED_MAX_LINES or not dashed:
        return None
    for style in styles:
        style["dashes"] = False
    return (
        f"Lines of {', '.join(dashed)} are drawn solid, not dashed: dashes are slow to draw "
        f"beyond {DASHED_MAX_LINES:,} lines. Colour tells the layers apart."
    )


def check_column(
    table: pd.DataFrame, column: str, argument: str, extra: Sequence[str] = ()
) -> None:
    if column in table.columns or column in extra:
        return
    names = [*extra, *(c for c in table.columns if c not in extra)]
    shown = ", ".join(map(repr, names[:25])) + (" ..." if len(names) > 25 else "")
    msg = f"`{argument}` must be one of {shown}; {column!r} is not a column of the actors"
    raise ConfigError(msg)


def membership_of(table: pd.DataFrame, partition: Any) -> pd.Series | None:
    """The community of each actor (Int64), from the partition or a ``community`` column."""
    if partition is not None:
        m = partition.membership
        m = pd.Series(m.to_numpy(), index=m.index.astype(str))
        return pd.to_numeric(m.reindex(table.index), errors="coerce").astype("Int64")
    if "community" in table.columns:
        return pd.to_numeric(table["community"], errors="coerce").astype("Int64")
    return None


def partition_note(partition: Any, computed: bool) -> str:
    record = dict(getattr(partition, "provenance", {}) or {})
    method = record.get("method") or getattr(partition, "method", "unknown method")
    params = record.get("parameters") or {}
    shown = ", ".join(f"{k}={v}" for k, v in params.items() if k in ("resolution", "weighted"))
    seed = record.get("seed")
    how = f"{method}" + (f" ({shown})" if shown else "") + (f", seed {seed}" if seed else "")
    if computed:
        return (
            f"Communities were computed for this view with find_communities defaults ({how}), "
            "because none was passed in `results`."
        )
    return f"Communities: {how}."


def colour_encoding(
    table: pd.DataFrame,
    color_by: str,
    community: pd.Series | None,
    labels: Mapping[int, str] | None,
) -> Encoding:
    """The colour encoding of the actors in ``table``."""
    if color_by == "kind":
        return kind_encoding(table["kind"], colored=True)
    if color_by == "community":
        if community is None:
            msg = (
                "`color_by='community'` needs a partition: pass "
                "results={'partition': find_communities(net)} or a `community` column"
            )
            raise ConfigError(msg)
        values = community.astype("float64")
        order = sorted(pd.unique(community.dropna()).tolist())
        return categorical(
            values.astype("Int64"),
            key="community",
            title="Community (colours repeat after 16)" if len(order) > 16 else "Community",
            order=order,
            labels=labels,
            cycle=True,
        )
    column = table[color_by]
    numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    if numeric and column.nunique() > len(settings.palette):
        return binned(column, key="color", title=f"Colour: {color_by}")
    return categorical(column, key="color", title=f"Colour: {color_by}")


def add_shapes(enc: Encoding) -> Encoding:
    for option in enc.options:
        option["shape"] = KIND_SHAPES.get(str(option.get("value")), "dot")
    return enc


def size_values(table: pd.DataFrame, size_by: str | None) -> tuple[np.ndarray | None, str]:
    if size_by is None:
        return None, "All actors are drawn the same size (no `size_by` given)."
    column = table[size_by]
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        msg = f"`size_by` must name a numeric column; {size_by!r} holds {column.dtype} values"
        raise ConfigError(msg)
    values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        return values, f"Size: {size_by} (no values)."
    lo, hi = format_number(float(finite.min())), format_number(float(finite.max()))
    return values, f"Size: {size_by}, from {lo} (smallest) to {hi} (largest); area grows with it."


def attribute_columns(
    table: pd.DataFrame,
    wanted: Sequence[str] | None,
    anonymize: bool | str,
    extra: Sequence[str] = (),
) -> list[str]:
    """Columns shown in tooltips: the ones asked for, or every column but the name."""
    if wanted is not None:
        for col in wanted:
            check_column(table, col, "tooltip_columns", extra)
            if anonymize and col == "name":
                msg = "`tooltip_columns` asks for 'name' but `anonymize=True` hides names"
                raise ConfigError(msg)
        return list(dict.fromkeys(wanted))
    cols = [c for c in table.columns if c != "name" and table[c].notna().any()]
    return [*cols, *extra]


def strength(net: ClusterNetwork) -> np.ndarray:
    """Summed link weight of each actor (all selected layers, both directions)."""
    w = net._edges["weight"].to_numpy(dtype=np.float64)
    n = net.n_nodes
    s, t = net._edge_positions()
    return np.bincount(s, weights=w, minlength=n) + np.bincount(t, weights=w, minlength=n)


#: Lines are thinned when there are more than this many ...
THIN_MIN_LINES = 3_000
#: ... and more than this many lines per drawn node on average.
THIN_PER_NODE = 3.0
#: Thinned views keep this many lines per drawn node (the heaviest; every node its heaviest).
THIN_KEEP_PER_NODE = 1.5


def thin_lines(links: pd.DataFrame, n: int, noun: str = "actor") -> tuple[pd.DataFrame, str | None]:
    """Mark the lighter lines of a dense view as hidden at first (``thin`` column); say so.

    Above :data:`THIN_MIN_LINES` lines and :data:`THIN_PER_NODE` lines per
    node, only a backbone is drawn at first: the heaviest
    ``THIN_KEEP_PER_NODE * n`` lines and every node's heaviest line
    (:func:`~clustermap.views._data.strongest_lines`). The others stay in
    the file: the page draws a node's own lines when it is selected, and all
    lines on request.

    Examples
    --------
    >>> links = pd.DataFrame({"source": [0, 0, 1], "target": [1, 2, 2], "weight": [3.0, 2, 1]})
    >>> thin_lines(links, 3)[0]["thin"].tolist()
    [False, False, False]
    """
    links = links.assign(thin=False)
    m = len(links)
    if m <= THIN_MIN_LINES or m <= THIN_PER_NODE * max(n, 1):
        return links, None
    keep = int(THIN_KEEP_PER_NODE * n)
    kept = strongest_lines(links.assign(row=np.arange(m)), keep)["row"].to_numpy()
    thin = np.ones(m, dtype=bool)
    thin[kept] = False
    links["thin"] = thin
    hidden = int(thin.sum())
    return links, (
        f"Dense network ({m / max(n, 1):.1f} lines per {noun}): {hidden:,} of {m:,} lines, "
        f"the lighter ones, are hidden at first; every {noun} keeps its heaviest line. "
        f"Click {'an' if noun[0] in 'aeiou' else 'a'} {noun} to see all its lines, or tick "
        "“all lines” under Links."
    )


def label_rank(priority: np.ndarray) -> np.ndarray:
    """The order in which labels claim space on the page: 0 = the most important.

    Examples
    --------
    >>> label_rank(np.array([0.5, 3.0, np.nan, 1.0])).tolist()
    [2, 0, 3, 1]
    """
    p = np.nan_to_num(np.asarray(priority, dtype=np.float64), nan=-np.inf)
    order = np.argsort(-p, kind="stable")
    rank = np.empty(len(p), dtype=np.int64)
    rank[order] = np.arange(len(p))
    return rank


def layer_arcs(styles: list[dict[str, Any]]) -> None:
    """Draw the undirected layers as arcs (the tier view, where supply runs straight)."""
    for style in styles:
        if not style["directed"]:
            style["smooth"] = True


def actor_view(
    net: ClusterNetwork,
    table: pd.DataFrame,
    partition: Any,
    community: pd.Series | None,
    color_by: str | None,
    size_by: str | None,
    title: str,
    opts: ViewOptions,
) -> tuple[pd.DataFrame, pd.DataFrame, PageSpec]:
    """Every actor drawn."""
    n = len(table)
    if color_by is None:
        color_by = "community" if community is not None else "kind"
    labels = community_labels(partition, net) if partition is not None else None
    colour = colour_encoding(table, color_by, community, labels)
    filters = [add_shapes(kind_encoding(table["kind"], colored=color_by == "kind"))]
    if community is not None:
        filters.append(
            colour
            if color_by == "community"
            else colour_encoding(table, "community", community, labels)
        )
        filters[-1].colored = color_by == "community"
    if color_by not in ("kind", "community"):
        filters.append(colour)
    values, size_note = size_values(table, size_by)
    sizes = np.full(n, PLAIN_SIZE) if values is None else scale(values, *ACTOR_SIZE)
    shown_labels = table.index.to_series() if opts.anonymize else table["name"].astype(str)

    styles = layer_styles(net.layers, net.directed)
    e = net._edges
    position = np.vstack(edge_ends(net, table.index))
    layer_code = layer_codes(net)
    directed = np.array([s["directed"] for s in styles], dtype=bool)
    links, _ = aggregate_links(e, position, layer_code, directed, n=n)
    links["width"] = scale(links["weight"].to_numpy(), *LINE_WIDTH)
    links, thin_note = thin_lines(links, n)
    solid_note = solid_when_crowded(styles, int((~links["thin"]).sum()))

    mode = layout_mode(opts, n)
    geo = geo_columns(table) if mode == "geo" else None
    groups = None if community is None else community.fillna(-1).to_numpy(dtype=np.int64)
    placed = place(mode, net, table, links, opts, geo=geo, groups=groups)
    if placed.arcs:
        layer_arcs(styles)
    attributes = attribute_columns(table, opts.tooltip_columns, opts.anonymize)
    degree = np.bincount(links["source"], minlength=n) + np.bincount(links["target"], minlength=n)
    priority = sizes + degree / max(int(degree.max()), 1) if values is None else sizes
    nodes = pd.DataFrame(
        {
            "id": table.index.to_numpy(),
            "label": short_labels(shown_labels).to_numpy(),
            "size": sizes,
            "shape": table["kind"].map(KIND_SHAPES).fillna("dot").to_numpy(),
            "color": colour.colors(),
            "x": placed.x,
            "y": placed.y,
            "font": label_sizes(priority),
            "rank": label_rank(priority),
        }
    )
    for col in attributes:
        nodes[col] = table[col].to_numpy()
    for col, values_of in placed.columns.items():
        nodes[col] = values_of
    attributes = [*placed.columns, *attributes]
    notes = [
        f"{count_text(n, 'actor')} and {count_text(len(links), 'line')} drawn, for "
        f"{count_text(net.n_edges, 'link')}: links between the same two actors in the same layer "
        "share one line, whose width shows their summed weight.",
        *placed.notes,
    ]
    if thin_note:
        notes.append(thin_note)
    if solid_note:
        notes.append(solid_note)
    if partition is not None:
        notes.append(partition_note(partition, computed=False))
    elif color_by == "kind" and n > opts.physics_limit:
        notes.append(
            f"Coloured by kind only: with {n:,} actors, colouring by community shows the "
            "sub-clusters. Pass results={'partition': find_communities(net)}, or on the command "
            "line --communities (or --results communities.csv to reuse a saved one)."
        )
    notes.append(
        "Labels: as many as fit without overlapping, the largest actors first; zoom in for more."
    )
    if opts.salt:
        notes.append("Ids and names are replaced by salted pseudonyms.")
    elif opts.anonymize:
        notes.append("Names are replaced by ids.")
    spec = PageSpec(
        title=title,
        notes=notes,
        node_filters=filters,
        layer_styles=styles,
        attributes=attributes,
        physics=mode == "physics",
        size_note=size_note,
        fit=placed.fit,
        outlines=placed.outlines,
        guides=placed.guides,
    )
    return nodes, links, spec
