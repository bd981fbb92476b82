"""The view of a comparison of two periods: ties formed, dissolved and kept; entrants and leavers.

Takes any object with the attributes of
:func:`~clustermap.compare_networks`' result: ``before``, ``after``
(ClusterNetwork), ``actors`` (indexed by id, with ``kind`` and ``status`` in
entered / left / stayed), ``ties`` (``source``, ``target``, ``layer``,
``change`` in formed / dissolved / kept, ``weight_before``, ``weight_after``)
and ``provenance``. Both periods are drawn in one picture, on one layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from clustermap._anonymize import pseudonyms
from clustermap.errors import ConfigError, EmptyNetworkError
from clustermap.views._build import (
    LINE_WIDTH,
    PLAIN_SIZE,
    add_shapes,
    count_text,
    label_rank,
    short_labels,
    thin_lines,
)
from clustermap.views._data import KIND_SHAPES, categorical, kind_encoding, layer_styles, scale
from clustermap.views._options import ViewOptions
from clustermap.views._page import PageSpec
from clustermap.views._place import layout_mode, place

__all__ = ["CHANGE_COLORS", "STATUS_COLORS", "comparison_view", "is_comparison"]

#: Line colour of each change (Okabe & Ito: green formed, vermillion dissolved, grey kept).
CHANGE_COLORS = {"formed": "#009E73", "dissolved": "#D55E00", "kept": "#999999"}
#: Node colour of each status.
STATUS_COLORS = {"entered": "#009E73", "left": "#D55E00", "stayed": "#8C8C8C"}
_ATTRIBUTES = ("before", "after", "actors", "ties")


def is_comparison(obj: Any) -> bool:
    """Whether ``obj`` looks like a comparison of two networks (duck-typed)."""
    return all(hasattr(obj, name) for name in _ATTRIBUTES) and not hasattr(obj, "select")


def _check(comparison: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    actors, ties = comparison.actors, comparison.ties
    missing = [c for c in ("kind", "status") if c not in actors.columns]
    missing += [c for c in ("source", "target", "layer", "change") if c not in ties.columns]
    if missing:
        msg = (
            f"the comparison lacks column(s) {missing}: `actors` needs kind and status, "
            "`ties` needs source, target, layer and change"
        )
        raise ConfigError(msg)
    if len(actors) == 0:
        msg = "the comparison has no actors in either period"
        raise EmptyNetworkError(msg)
    return actors, ties


def _names(comparison: Any, index: pd.Index) -> pd.Series:
    names = pd.Series(index.astype(str), index=index, dtype=object)
    for net in (comparison.before, comparison.after):
        nodes = getattr(net, "nodes", None)
        if isinstance(nodes, pd.DataFrame) and "name" in nodes.columns:
            found = nodes["name"].reindex(index)
            names = names.where(found.isna(), found.astype(object))
    return names


def _weights(ties: pd.DataFrame) -> np.ndarray:
    """Weight of each tie: after the change when it exists, else before, else 1."""
    w = pd.Series(np.nan, index=ties.index)
    for col in ("weight_after", "weight_before"):
        if col in ties.columns:
            w = w.fillna(pd.to_numeric(ties[col], errors="coerce"))
    return w.fillna(1.0).to_numpy(dtype=np.float64)


def comparison_view(
    comparison: Any,
    *,
    title: str | None,
    opts: ViewOptions,
    tooltip_columns: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, PageSpec]:
    """Drawn nodes, drawn lines and the page spec of a comparison."""
    actors, ties = _check(comparison)
    actors = actors.set_axis(actors.index.astype(str))
    names = _names(comparison, actors.index)
    ids = actors.index
    if opts.salt:
        mapping = pseudonyms(ids, opts.salt)
        ties = ties.assign(
            source=ties["source"].astype(str).map(mapping),
            target=ties["target"].astype(str).map(mapping),
        )
        ids = pd.Index(mapping.reindex(ids).to_numpy(), name="id")
        actors = actors.set_axis(ids)
        names = pd.Series(ids, index=ids)
    elif opts.anonymize:
        names = pd.Series(ids, index=ids)
    n = len(actors)

    layers = list(dict.fromkeys([*map(str, ties["layer"].unique())]))
    directed: dict[str, bool] = {}
    for net in (comparison.before, comparison.after):
        directed.update(getattr(net, "directed", {}) or {})
    styles = layer_styles(layers, directed)
    src = ids.get_indexer(pd.Index(ties["source"].astype(str)))
    dst = ids.get_indexer(pd.Index(ties["target"].astype(str)))
    keep = (src >= 0) & (dst >= 0)
    weight = _weights(ties)
    links = pd.DataFrame(
        {
            "source": src[keep],
            "target": dst[keep],
            "layer": pd.Index(layers).get_indexer(pd.Index(ties["layer"].astype(str)))[keep],
            "weight": weight[keep],
            "count": 1,
        }
    )
    links["width"] = scale(links["weight"].to_numpy(), *LINE_WIDTH)
    change = ties["change"].astype(str).to_numpy()[keep]
    links, thin_note = thin_lines(links, n)

    change_enc = categorical(
        pd.Series(change),
        key="change",
        title="Ties",
        order=list(CHANGE_COLORS),
        fixed=CHANGE_COLORS,
    )
    status_enc = categorical(
        actors["status"].astype(str).reset_index(drop=True),
        key="status",
        title="Actors",
        order=list(STATUS_COLORS),
        fixed=STATUS_COLORS,
    )
    kinds = add_shapes(kind_encoding(actors["kind"].reset_index(drop=True), colored=False))
    mode = layout_mode(opts, n)
    if mode in ("geo", "tiers"):
        msg = (
            f"`layout={mode!r}` is not available for a comparison; use 'auto', 'physics' or 'fixed'"
        )
        raise ConfigError(msg)
    placed = place(mode, comparison.after, pd.DataFrame(index=range(n)), links, opts)
    degree = np.bincount(links["source"], minlength=n) + np.bincount(links["target"], minlength=n)
    wanted = tooltip_columns or opts.tooltip_columns
    shown = [c for c in actors.columns if c not in ("name",)] if wanted is None else list(wanted)
    for col in shown:
        if col not in actors.columns:
            msg = f"`tooltip_columns`: {col!r} is not a column of the comparison's actors"
            raise ConfigError(msg)
    nodes = pd.DataFrame(
        {
            "id": ids.to_numpy(),
            "label": short_labels(names.astype(str)).to_numpy(),
            "size": np.full(n, PLAIN_SIZE),
            "shape": actors["kind"].map(KIND_SHAPES).fillna("dot").to_numpy(),
            "color": status_enc.colors(),
            "x": placed.x,
            "y": placed.y,
            "font": np.full(n, 12.0),
            "rank": label_rank(degree.astype(np.float64)),
        }
    )
    for col in shown:
        nodes[col] = actors[col].to_numpy()
    counts = {o["value"]: o["count"] for o in change_enc.options}
    status = {o["value"]: o["count"] for o in status_enc.options}
    record = dict(getattr(comparison, "provenance", {}) or {})
    periods = record.get("periods") or record.get("labels")
    notes = [
        f"Two periods in one picture{f' ({periods})' if periods else ''}: "
        f"{count_text(int(counts.get('formed', 0)), 'tie')} formed (green), "
        f"{count_text(int(counts.get('dissolved', 0)), 'tie')} dissolved (red), "
        f"{count_text(int(counts.get('kept', 0)), 'tie')} kept (grey).",
        f"Actors: {status.get('entered', 0):,} entered (green), {status.get('left', 0):,} left "
        f"(red), {status.get('stayed', 0):,} stayed (grey); shape shows the kind.",
        *placed.notes,
        "Untick a change or a status in the legend to hide it.",
    ]
    if thin_note:
        notes.append(thin_note)
    if opts.salt:
        notes.append("Ids and names are replaced by salted pseudonyms.")
    elif opts.anonymize:
        notes.append("Names are replaced by ids.")
    spec = PageSpec(
        title=title or "Change between two periods",
        notes=notes,
        node_filters=[status_enc, kinds],
        layer_styles=styles,
        attributes=shown,
        physics=mode == "physics",
        size_note=None,
        fit=placed.fit,
        edge_filters=[change_enc],
    )
    status_enc.colored = True
    for o in status_enc.options:
        o["shape"] = "dot"
    return nodes, links, spec
