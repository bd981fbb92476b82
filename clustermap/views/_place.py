"""Where a view puts its nodes: physics start, packed components, map, or supply-chain tiers.

:func:`place` turns a layout mode into positions plus what the page needs
around them: the nodes the first view fits (the main component), region
outlines, column headings, and one sentence on how it was done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from clustermap.errors import ConfigError
from clustermap.graphs.network import ClusterNetwork
from clustermap.views._layout import NEIGHBOUR_PX, component_layout, geo_layout, tier_layout
from clustermap.views._options import ViewOptions

__all__ = ["Placement", "geo_columns", "layout_mode", "place"]

#: The page opens on the largest component when it has at least this many nodes.
FIT_MIN_NODES = 3


@dataclass
class Placement:
    """Positions of the drawn nodes and what the page shows around them."""

    x: np.ndarray
    y: np.ndarray
    notes: list[str] = field(default_factory=list)
    fit: list[int] | None = None
    outlines: list[dict[str, Any]] | None = None
    guides: list[dict[str, Any]] | None = None
    arcs: bool = False
    #: Columns the layout adds to the tooltips (the tiers of the tier layout).
    columns: dict[str, np.ndarray] = field(default_factory=dict)


def layout_mode(opts: ViewOptions, n: int) -> str:
    """``"physics"``, ``"fixed"``, ``"geo"`` or ``"tiers"``: what ``opts.layout`` means here."""
    if opts.layout in ("geo", "physics", "fixed", "tiers"):
        return opts.layout
    return "physics" if n <= opts.physics_limit else "fixed"


def geo_columns(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of the actors as floats (NaN where missing or not a number)."""
    if "lat" not in table.columns or "lon" not in table.columns:
        msg = "`layout='geo'` needs `lat` and `lon` columns on the actors"
        raise ConfigError(msg)
    lat = pd.to_numeric(table["lat"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    lon = pd.to_numeric(table["lon"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return lat, lon


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def _packed(
    n: int, links: pd.DataFrame, seed: int, groups: np.ndarray | None, noun: str
) -> Placement:
    ends = (
        links["source"].to_numpy(dtype=np.int64),
        links["target"].to_numpy(dtype=np.int64),
        links["weight"].to_numpy(dtype=np.float64),
    )
    x, y, main = component_layout(n, *ends, seed=seed, groups=groups)
    out = Placement(x, y)
    linked = np.zeros(n, dtype=bool)
    linked[ends[0]] = True
    linked[ends[1]] = True
    big = int(main.sum())
    others = linked & ~main
    if big >= FIT_MIN_NODES and (others.any() or not linked.all()):
        out.fit = np.flatnonzero(main).tolist()
        parts = []
        if others.any():
            g = sp.csr_matrix((np.ones(len(ends[0])), (ends[0], ends[1])), shape=(n, n))
            labels = connected_components(g, directed=False)[1]
            k = len(np.unique(labels[others]))
            parts.append(f"{_count(k, 'smaller component')} ({_count(int(others.sum()), noun)})")
        loose = int((~linked).sum())
        if loose:
            parts.append(f"{_count(loose, noun)} without links (in a grid below)")
        out.notes.append(
            f"The page opens on the largest connected group ({_count(big, noun)}); "
            f"{' and '.join(parts)} are packed around it, largest nearest. Zoom out or press "
            "the ⤢ button (bottom right) to see them all."
        )
    return out


def _tiers(net: ClusterNetwork, table: pd.DataFrame, opts: ViewOptions) -> Placement:
    from clustermap.analysis.tiers import supply_tiers

    supply = [name for name in net.layers if net.is_directed(name)]
    if "supply" in net.layers:
        supply = ["supply"]
    if not supply:
        msg = "`layout='tiers'` needs a directed supply layer; this view has none"
        raise ConfigError(msg)
    tiers = supply_tiers(net, buyers=opts.buyers, layers=supply)
    depth = tiers["depth"].reindex(table.index).fillna(-1).to_numpy(dtype=np.int64)
    e = net._edges
    e = e[e["layer"].isin(supply)]
    src = table.index.get_indexer(pd.Index(e["source"]))
    dst = table.index.get_indexer(pd.Index(e["target"]))
    x, y = tier_layout(depth, src, dst)
    placed = depth >= 0
    out = Placement(x, y, arcs=True)
    out.columns = {
        "supply tier": tiers["tier"]
        .reindex(table.index)
        .astype("Float64")
        .to_numpy(dtype=np.float64, na_value=np.nan),
        "chain depth": tiers["depth"]
        .reindex(table.index)
        .astype("Float64")
        .to_numpy(dtype=np.float64, na_value=np.nan),
    }
    if placed.any():
        cols = int(depth[placed].max()) + 1
        top = float(y[placed].min()) - 2 * NEIGHBOUR_PX
        count = np.bincount(depth[placed], minlength=cols)
        out.guides = [
            {
                "x": float(x[placed][depth[placed] == d][0]),
                "y": top,
                "text": ("final buyers" if d == 0 else f"tier {d}") + f" ({count[d]:,})",
            }
            for d in range(cols)
            if count[d]
        ]
    broken = tiers.attrs.get("broken_ties") or []
    unplaced = int((~placed).sum())
    out.notes.append(
        f"Layout: supply-chain tiers on layer {', '.join(supply)}: final buyers "
        f"({int(tiers['buyer'].sum()):,}) on the right, their suppliers one column to the left, "
        "suppliers of suppliers further left (each actor in the column of its longest supply "
        "chain, so every supply line runs left to right); columns ordered to reduce crossings; "
        "other layers drawn as arcs."
    )
    if broken:
        a, b = broken[0]
        out.notes.append(
            f"{_count(len(broken), 'supply tie')} closing a cycle "
            f"{'runs' if len(broken) == 1 else 'run'} right to left (e.g. {a} → {b})."
        )
    if unplaced:
        out.notes.append(
            f"{_count(unplaced, 'actor')} with no supply path to a final buyer "
            f"{'is' if unplaced == 1 else 'are'} lined up below the columns."
        )
    return out


def place(
    mode: str,
    net: ClusterNetwork,
    table: pd.DataFrame,
    links: pd.DataFrame,
    opts: ViewOptions,
    *,
    geo: tuple[np.ndarray, np.ndarray] | None = None,
    groups: np.ndarray | None = None,
    noun: str = "actor",
) -> Placement:
    """Positions of the drawn nodes in ``mode``, with notes on what the reader sees.

    ``table`` is indexed like the drawn nodes (for tiers: the actors); ``links``
    are the drawn lines (positions); ``geo`` the latitude and longitude of the
    drawn nodes; ``groups`` communities to lay out as patches.
    """
    n = len(table)
    if mode == "tiers":
        return _tiers(net, table, opts)
    if mode == "geo":
        if geo is None:
            geo = geo_columns(table)
        x, y, missing = geo_layout(*geo)
        out = Placement(x, y)
        out.notes.append(
            "Layout: actors at their coordinates (Web-Mercator projection), physics off."
        )
        k = int(missing.sum())
        if k:
            out.notes.append(
                f"{_count(k, noun)} without coordinates {'is' if k == 1 else 'are'} "
                "lined up below the map."
            )
        if opts.regions is not None:
            from clustermap.views._regions import read_regions, region_outlines

            regions = read_regions(opts.regions)
            out.outlines = region_outlines(regions, *geo)
            # each region's name at the top of its largest ring
            out.guides = []
            for region in out.outlines:
                ring = np.asarray(max(region["rings"], key=len)).reshape(-1, 2)
                out.guides.append(
                    {
                        "x": float(ring[:, 0].mean()),
                        "y": float(ring[:, 1].min()),
                        "text": region["name"],
                    }
                )
            out.notes.append(f"Outlines: {_count(len(regions), 'region')} from the GeoJSON file.")
        return out
    out = _packed(n, links, opts.layout_seed, groups, noun)
    if mode == "physics":
        out.notes.insert(
            0, "Layout: live physics (actors settle by themselves; drag them to rearrange)."
        )
    else:
        why = (
            f" because the view has {n:,} nodes (live physics up to {opts.physics_limit:,})"
            if n > opts.physics_limit
            else ""
        )
        how = (
            "each community as its own patch, by igraph's Fruchterman-Reingold"
            if groups is not None
            else "igraph's Fruchterman-Reingold"
        )
        out.notes.insert(
            0, f"Layout: positions precomputed ({how}); physics off{why}. Drag a node to move it."
        )
    return out
