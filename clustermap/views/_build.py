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
    format_number,
    kind_encoding,
    layer_styles,
    scale,
)
from clustermap.views._layout import force_layout, geo_layout, grouped_layout
from clustermap.views._options import ViewOptions
from clustermap.views._page import PageSpec

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
    "geo_columns",
    "label_sizes",
    "layout_mode",
    "layout_note",
    "membership_of",
    "partition_note",
    "positions",
    "short_labels",
    "size_values",
    "solid_when_crowded",
    "strength",
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
    table: pd.DataFrame, wanted: Sequence[str] | None, anonymize: bool, extra: Sequence[str] = ()
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


def layout_note(mode: str, n: int, limit: int, grouped: bool) -> str:
    """One sentence on how the page placed the nodes."""
    if mode == "physics":
        return "Layout: live physics (actors settle by themselves; drag them to rearrange)."
    if mode == "geo":
        return "Layout: actors at their coordinates (Web-Mercator projection), physics off."
    why = f" because the view has {n:,} nodes (live physics up to {limit:,})" if n > limit else ""
    how = (
        "each community as its own patch, by igraph's Fruchterman-Reingold"
        if grouped
        else "igraph's Fruchterman-Reingold; pass a partition in `results` to lay "
        "communities out as separate patches"
    )
    return f"Layout: positions precomputed ({how}); physics off{why}. Drag an actor to move it."


def positions(
    mode: str,
    n: int,
    links: pd.DataFrame,
    seed: int,
    *,
    geo: tuple[np.ndarray, np.ndarray] | None = None,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """x, y of the drawn nodes and how many had no coordinates (geo only).

    With ``groups`` (community numbers) each community is laid out as its
    own patch (:func:`grouped_layout`); otherwise one force layout.
    """
    if mode == "geo" and geo is not None:
        x, y, missing = geo_layout(*geo)
        return x, y, int(missing.sum())
    ends = (
        links["source"].to_numpy(dtype=np.int64),
        links["target"].to_numpy(dtype=np.int64),
        links["weight"].to_numpy(dtype=np.float64),
    )
    if groups is not None:
        x, y = grouped_layout(n, *ends, groups, seed=seed)
    else:
        x, y = force_layout(n, *ends, seed=seed)
    return x, y, 0


def layout_mode(opts: ViewOptions, n: int) -> str:
    """``"physics"``, ``"fixed"`` or ``"geo"``: what ``opts.layout`` means for ``n`` nodes."""
    if opts.layout == "geo":
        return "geo"
    if opts.layout == "physics":
        return "physics"
    if opts.layout == "fixed":
        return "fixed"
    return "physics" if n <= opts.physics_limit else "fixed"


def geo_columns(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of the actors as floats (NaN where missing or not a number)."""
    if "lat" not in table.columns or "lon" not in table.columns:
        msg = "`layout='geo'` needs `lat` and `lon` columns on the actors"
        raise ConfigError(msg)
    lat = pd.to_numeric(table["lat"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    lon = pd.to_numeric(table["lon"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return lat, lon


def strength(net: ClusterNetwork) -> np.ndarray:
    """Summed link weight of each actor (all selected layers, both directions)."""
    e = net._edges
    index = net._nodes.index
    w = e["weight"].to_numpy(dtype=np.float64)
    n = len(index)
    s = index.get_indexer(pd.Index(e["source"]))
    t = index.get_indexer(pd.Index(e["target"]))
    return np.bincount(s, weights=w, minlength=n) + np.bincount(t, weights=w, minlength=n)


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
    position = np.vstack(
        [
            table.index.get_indexer(pd.Index(e["source"])),
            table.index.get_indexer(pd.Index(e["target"])),
        ]
    )
    layer_code = pd.Index(net.layers).get_indexer(pd.Index(e["layer"]))
    directed = np.array([s["directed"] for s in styles], dtype=bool)
    links, _ = aggregate_links(e, position, layer_code, directed, n=n)
    links["width"] = scale(links["weight"].to_numpy(), *LINE_WIDTH)
    solid_note = solid_when_crowded(styles, len(links))

    mode = layout_mode(opts, n)
    geo = geo_columns(table) if mode == "geo" else None
    groups = None if community is None else community.fillna(-1).to_numpy(dtype=np.int64)
    x, y, missing = positions(mode, n, links, opts.layout_seed, geo=geo, groups=groups)
    attributes = attribute_columns(table, opts.tooltip_columns, opts.anonymize)
    degree = np.bincount(links["source"], minlength=n) + np.bincount(links["target"], minlength=n)
    font = label_sizes(sizes + degree / max(int(degree.max()), 1) if values is None else sizes)
    nodes = pd.DataFrame(
        {
            "id": table.index.to_numpy(),
            "label": short_labels(shown_labels).to_numpy(),
            "size": sizes,
            "shape": table["kind"].map(KIND_SHAPES).fillna("dot").to_numpy(),
            "color": colour.colors(),
            "x": x,
            "y": y,
            "font": font,
        }
    )
    for col in attributes:
        nodes[col] = table[col].to_numpy()
    notes = [
        f"{count_text(n, 'actor')} and {count_text(len(links), 'line')} drawn, for "
        f"{count_text(net.n_edges, 'link')}: links between the same two actors in the same layer "
        "share one line, whose width shows their summed weight.",
        layout_note(mode, n, opts.physics_limit, grouped=groups is not None),
    ]
    if solid_note:
        notes.append(solid_note)
    if missing:
        notes.append(
            f"{count_text(missing, 'actor')} without coordinates "
            f"{'is' if missing == 1 else 'are'} lined up below the map."
        )
    if partition is not None:
        notes.append(partition_note(partition, computed=False))
    if opts.anonymize:
        notes.append("Names are replaced by ids.")
    spec = PageSpec(
        title=title,
        notes=notes,
        node_filters=filters,
        layer_styles=styles,
        attributes=attributes,
        physics=mode == "physics",
        size_note=size_note,
    )
    return nodes, links, spec
