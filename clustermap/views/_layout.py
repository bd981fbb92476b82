"""Positions of drawn nodes: a force-directed layout from igraph, or a map."""

from __future__ import annotations

import logging
import warnings

import igraph as ig
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from clustermap.analysis.communities import seeded_igraph

__all__ = [
    "NEIGHBOUR_PX",
    "TIER_GAP",
    "component_layout",
    "force_layout",
    "geo_layout",
    "grouped_layout",
    "mercator",
    "spread",
    "tier_layout",
]

log = logging.getLogger(__name__)

#: Web-Mercator stops at this latitude (the square world of web maps).
MAX_LATITUDE = 85.05112878


#: Typical distance between an actor and its nearest neighbour on screen (px at zoom 1).
NEIGHBOUR_PX = 36.0


def spread_transform(
    xy: np.ndarray, *, neighbour: float = NEIGHBOUR_PX
) -> tuple[np.ndarray, float]:
    """The centre and factor of :func:`spread`: ``spread(xy) == (xy - centre) * factor``."""
    if len(xy) == 0:
        return np.zeros(2), 1.0
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    centre = (lo + hi) / 2
    if len(xy) > 1:
        dist, _ = cKDTree(xy).query(xy, k=2)
        near = dist[:, 1]
        near = near[near > 0]
        if len(near):
            return centre, neighbour / float(np.median(near))
    extent = float((hi - lo).max())
    if extent <= 0:
        return centre, 1.0
    return centre, neighbour * np.sqrt(len(xy)) / extent


def spread(xy: np.ndarray, *, neighbour: float = NEIGHBOUR_PX) -> np.ndarray:
    """Centre ``xy`` on 0 and scale it so the median nearest-neighbour distance is ``neighbour``.

    Scaling by neighbours rather than by the extent keeps dense cores
    readable when a few actors sit far out. Points at the same place are
    ignored when measuring; without any distance the extent becomes
    ``neighbour * sqrt(n)``.

    Examples
    --------
    >>> xy = spread(np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]]), neighbour=10)
    >>> xy[:, 0].tolist()
    [-15.0, -5.0, 15.0]
    """
    if len(xy) == 0:
        return xy
    centre, factor = spread_transform(xy, neighbour=neighbour)
    return (xy - centre) * factor


def force_layout(
    n: int,
    source: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray,
    *,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Place ``n`` nodes so that linked ones sit together (Fruchterman-Reingold).

    Uses igraph's Fruchterman & Reingold (1991) layout with its grid
    approximation (fast at 10,000 nodes), started from seeded random
    positions and igraph's generator seeded, so the same seed gives the
    same picture. Links attract in
    proportion to the square root of their weight.

    Returns
    -------
    (x, y) : numpy arrays in screen pixels, centred on 0 (see :func:`spread`).

    Examples
    --------
    >>> x, y = force_layout(3, np.array([0, 1]), np.array([1, 2]), np.ones(2), seed=1)
    >>> x.shape, bool(np.isfinite(x).all())
    ((3,), True)
    """
    if n == 0:
        return np.zeros(0), np.zeros(0)
    linked = np.zeros(n, dtype=bool)
    linked[source] = True
    linked[target] = True
    if 0 < linked.sum() < n:
        # Unlinked actors would drift far out and shrink the drawing to a dot when
        # the view fits everything in: lay out the linked ones, line the rest up below.
        keep = np.flatnonzero(linked)
        renumber = np.full(n, -1, dtype=np.int64)
        renumber[keep] = np.arange(len(keep))
        kx, ky = force_layout(len(keep), renumber[source], renumber[target], weight, seed=seed)
        x, y = np.zeros(n), np.zeros(n)
        x[keep], y[keep] = kx, ky
        loose = np.flatnonzero(~linked)
        per_row = max(int(np.ceil(np.sqrt(len(loose)) * 2)), 1)
        col, row = np.divmod(np.arange(len(loose)), per_row)[::-1]
        x[loose] = kx.min() + col * NEIGHBOUR_PX
        y[loose] = ky.max() + 2 * NEIGHBOUR_PX + row * NEIGHBOUR_PX
        return x, y
    rng = np.random.default_rng(seed)
    start = rng.uniform(-np.sqrt(n), np.sqrt(n), size=(n, 2))
    g = ig.Graph(n=n, edges=np.column_stack([source, target]).tolist(), directed=False)
    niter = 500 if n <= 5_000 else 300
    with warnings.catch_warnings(record=True) as caught, seeded_igraph(seed):
        warnings.simplefilter("always")
        layout = g.layout_fruchterman_reingold(
            weights=np.sqrt(weight).tolist() if len(weight) else None,
            niter=niter,
            seed=start.tolist(),
            grid="grid" if n > 300 else "nogrid",
        )
    for warning in caught:
        log.info("igraph layout: %s", warning.message)
    xy = spread(np.asarray(layout.coords, dtype=np.float64))
    return xy[:, 0], xy[:, 1]


def _separate(
    centres: np.ndarray, radius: np.ndarray, *, gap: float, rounds: int = 60
) -> np.ndarray:
    """Push circles apart until they no longer overlap (or ``rounds`` passes are done)."""
    xy = centres.copy()
    reach = 2 * float(radius.max()) + gap
    for _ in range(rounds):
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
        if len(pairs) == 0:
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = xy[j] - xy[i]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        overlap = radius[i] + radius[j] + gap - dist
        hit = overlap > 0
        if not hit.any():
            break
        i, j, delta, dist, overlap = i[hit], j[hit], delta[hit], dist[hit], overlap[hit]
        same = dist == 0
        delta[same] = np.column_stack([np.cos(i[same] + 0.5), np.sin(i[same] + 0.5)])
        dist[same] = 1.0
        push = delta / dist[:, None] * (overlap / 2)[:, None]
        np.add.at(xy, i, -push)
        np.add.at(xy, j, push)
    return xy


def grouped_layout(
    n: int,
    source: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray,
    groups: np.ndarray,
    *,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Place each group (community) as its own patch, patches placed by how they link.

    The network of groups (links summed) is laid out with
    :func:`force_layout`; each group's members are laid out on their own the
    same way and drawn as a patch around their group's place; patches are
    then pushed apart until they do not overlap ("group-in-a-box" layouts,
    Rodrigues et al. 2011). Sub-clusters show as separate patches where a
    single force layout of thousands of actors gives one hairball.

    Examples
    --------
    >>> x, y = grouped_layout(4, np.array([0, 2]), np.array([1, 3]), np.ones(2),
    ...                       np.array([0, 0, 1, 1]), seed=1)
    >>> bool(abs(x[0] - x[2]) + abs(y[0] - y[2]) > abs(x[0] - x[1]) + abs(y[0] - y[1]))
    True
    """
    groups = np.asarray(groups)
    _, code = np.unique(groups, return_inverse=True)
    k = int(code.max()) + 1 if n else 0
    xy = np.zeros((n, 2))
    radius = np.zeros(k)
    order = np.argsort(code, kind="stable")
    bounds = np.searchsorted(code[order], np.arange(k + 1))
    local = np.full(n, -1, dtype=np.int64)
    gs, gt = code[source], code[target]
    inside = gs == gt
    for g in range(k):
        members = order[bounds[g] : bounds[g + 1]]
        local[members] = np.arange(len(members))
        if len(members) == 1:
            radius[g] = NEIGHBOUR_PX / 2
            continue
        mask = inside & (gs == g)
        lx, ly = force_layout(
            len(members), local[source[mask]], local[target[mask]], weight[mask], seed=seed + g
        )
        xy[members, 0], xy[members, 1] = lx, ly
        radius[g] = float(np.hypot(lx, ly).max()) + NEIGHBOUR_PX / 2
    cross = ~inside
    cx, cy = force_layout(k, gs[cross], gt[cross], weight[cross], seed=seed)
    centres = np.column_stack([cx, cy])
    if k > 1:
        centres *= 2 * float(np.median(radius)) / NEIGHBOUR_PX
        centres = _separate(centres, radius, gap=NEIGHBOUR_PX)
    xy += centres[code]
    return xy[:, 0], xy[:, 1]


def mercator(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project latitude and longitude (degrees) with Web-Mercator; y grows southwards.

    x = lon (radians), y = -ln(tan(pi/4 + lat/2)), latitude clipped to
    +-85.0511 degrees as in web maps (EPSG:3857, unit sphere). Screen y
    points down, hence the minus sign: north is up.

    Examples
    --------
    >>> x, y = mercator(np.array([0.0, 45.0]), np.array([0.0, 90.0]))
    >>> np.round(x, 4).tolist(), np.round(y, 4).tolist()
    ([0.0, 1.5708], [0.0, -0.8814])
    """
    phi = np.radians(np.clip(np.asarray(lat, dtype=np.float64), -MAX_LATITUDE, MAX_LATITUDE))
    x = np.radians(np.asarray(lon, dtype=np.float64))
    y = -np.log(np.tan(np.pi / 4 + phi / 2))
    return x, y


def geo_layout(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Place nodes at their coordinates; those without are lined up below the map.

    The projected map is scaled uniformly (north stays up, distances keep
    their ratios) as in :func:`spread`.

    Returns
    -------
    (x, y, missing) : screen positions and a boolean mask of the nodes that
    had no usable coordinates.

    Examples
    --------
    >>> x, y, missing = geo_layout(np.array([52.0, 52.5, np.nan]), np.array([-1.0, -1.5, 0.0]))
    >>> missing.tolist(), bool(y[2] > max(y[0], y[1]))
    ([False, False, True], True)
    """
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    missing = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    x = np.zeros(len(lat))
    y = np.zeros(len(lat))
    placed = ~missing
    if placed.any():
        px, py = mercator(lat[placed], lon[placed])
        xy = spread(np.column_stack([px, py]))
        x[placed], y[placed] = xy[:, 0], xy[:, 1]
    if missing.any():
        k = int(missing.sum())
        step = NEIGHBOUR_PX
        bottom = float(y[placed].max()) if placed.any() else 0.0
        left = float(x[placed].min()) if placed.any() else 0.0
        width = float(x[placed].max() - left) if placed.any() else step * np.sqrt(k)
        per_row = max(1, int(width // step) + 1)
        i = np.arange(k)
        x[missing] = left + (i % per_row) * step
        y[missing] = bottom + 4 * step + (i // per_row) * step
    return x, y, missing


def _components(n: int, source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Component label of each node, numbered by size (0 = largest; ties by first member)."""
    graph = sp.csr_matrix((np.ones(len(source)), (source, target)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    sizes = np.bincount(label)
    first = np.full(len(sizes), n, dtype=np.int64)
    np.minimum.at(first, label, np.arange(n))
    order = np.lexsort((first, -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[label], sizes[order]


def _pack_around(radius: np.ndarray, main_radius: float, *, gap: float) -> np.ndarray:
    """Centres for circles of ``radius`` (largest first) packed around a central circle.

    Circles start on a sunflower spiral whose rings grow with the area
    already placed (bigger ones nearer the middle), are pushed apart until
    they do not overlap, and any that slid into the central circle are moved
    back out along their direction.
    """
    k = len(radius)
    if k == 0:
        return np.zeros((0, 2))
    area = np.cumsum(np.pi * (radius + gap) ** 2)
    dist = main_radius + gap + radius + np.sqrt(area / np.pi) - (radius + gap)
    angle = np.arange(k) * 2.399963229728653  # the golden angle
    xy = np.column_stack([dist * np.cos(angle), dist * np.sin(angle)])
    for _ in range(3):
        xy = _separate(xy, radius, gap=gap)
        d = np.hypot(xy[:, 0], xy[:, 1])
        need = main_radius + gap + radius
        inside = d < need
        if not inside.any():
            break
        d_safe = np.where(d > 0, d, 1.0)
        xy[inside] *= (need[inside] / d_safe[inside])[:, None]
    return xy


def isolate_grid(k: int, *, left: float, top: float, width: float) -> tuple[np.ndarray, np.ndarray]:
    """``k`` points in rows of :data:`NEIGHBOUR_PX` steps, starting at ``(left, top)``.

    Examples
    --------
    >>> x, y = isolate_grid(3, left=0, top=0, width=40)
    >>> x.tolist(), y.tolist()
    ([0.0, 36.0, 0.0], [0.0, 0.0, 36.0])
    """
    per_row = max(1, int(width // NEIGHBOUR_PX) + 1)
    i = np.arange(k)
    return left + (i % per_row) * NEIGHBOUR_PX * 1.0, top + (i // per_row) * NEIGHBOUR_PX * 1.0


def component_layout(
    n: int,
    source: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray,
    *,
    seed: int,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lay out the largest component first, pack the others around it, isolates in a grid.

    The largest connected component gets a force layout of its own (each
    community a patch with ``groups``, see :func:`grouped_layout`); every
    other component is laid out in one force layout of their own links and
    placed on a spiral around it, largest nearest; actors without links are
    lined up in a grid below. A page can then open on the main component
    (``main``) instead of fitting a few far-away pairs and shrinking the
    network to a dot.

    Returns
    -------
    (x, y, main) : positions in screen pixels and a boolean mask of the
    largest component (all False when no actor has a link).

    Examples
    --------
    >>> x, y, main = component_layout(6, np.array([0, 1, 3]), np.array([1, 2, 4]), np.ones(3),
    ...                               seed=1)
    >>> main.tolist()
    [True, True, True, False, False, False]
    >>> bool(y[5] > max(y[:5]))
    True
    """
    x, y = np.zeros(n), np.zeros(n)
    main = np.zeros(n, dtype=bool)
    if n == 0:
        return x, y, main
    comp, sizes = _components(n, source, target)
    linked = sizes[comp] > 1
    if linked.any():
        main = comp == 0
        m_idx = np.flatnonzero(main)
        renumber = np.full(n, -1, dtype=np.int64)
        renumber[m_idx] = np.arange(len(m_idx))
        inside = main[source] & main[target]
        ends = (renumber[source[inside]], renumber[target[inside]], weight[inside])
        if groups is not None and len(np.unique(groups[m_idx])) > 1:
            mx, my = grouped_layout(len(m_idx), *ends, groups[m_idx], seed=seed)
        else:
            mx, my = force_layout(len(m_idx), *ends, seed=seed)
        x[m_idx], y[m_idx] = mx - (mx.max() + mx.min()) / 2, my - (my.max() + my.min()) / 2
        main_radius = float(np.hypot(x[m_idx], y[m_idx]).max()) + NEIGHBOUR_PX / 2
        rest = linked & ~main
        if rest.any():
            r_idx = np.flatnonzero(rest)
            renumber[r_idx] = np.arange(len(r_idx))
            sel = rest[source] & rest[target]
            rx, ry = force_layout(
                len(r_idx), renumber[source[sel]], renumber[target[sel]], weight[sel], seed=seed
            )
            c = comp[r_idx] - 1  # components 1.. -> 0..
            k = int(c.max()) + 1
            cx = (_group_max(rx, c, k) + _group_min(rx, c, k)) / 2
            cy = (_group_max(ry, c, k) + _group_min(ry, c, k)) / 2
            rx, ry = rx - cx[c], ry - cy[c]
            radius = np.zeros(k)
            np.maximum.at(radius, c, np.hypot(rx, ry))
            radius += NEIGHBOUR_PX / 2
            centres = _pack_around(radius, main_radius, gap=NEIGHBOUR_PX)
            x[r_idx], y[r_idx] = rx + centres[c, 0], ry + centres[c, 1]
    loose = np.flatnonzero(~linked)
    if len(loose):
        placed = linked.any()
        left = float(x[linked].min()) if placed else 0.0
        width = float(x[linked].max()) - left if placed else NEIGHBOUR_PX * np.sqrt(len(loose))
        top = float(y[linked].max()) + 2 * NEIGHBOUR_PX if placed else 0.0
        x[loose], y[loose] = isolate_grid(len(loose), left=left, top=top, width=width)
    return x, y, main


def _group_max(values: np.ndarray, code: np.ndarray, k: int) -> np.ndarray:
    """Largest value per code (``k`` codes)."""
    out = np.full(k, -np.inf)
    np.maximum.at(out, code, values)
    return out


def _group_min(values: np.ndarray, code: np.ndarray, k: int) -> np.ndarray:
    """Smallest value per code (``k`` codes)."""
    out = np.full(k, np.inf)
    np.minimum.at(out, code, values)
    return out


#: Horizontal distance between two tier columns (px at zoom 1).
TIER_GAP = 320.0
#: Horizontal distance between the sub-columns a tall tier is wrapped into.
BAND_GAP = 70.0
#: Tier layouts aim at this width : height.
TIER_ASPECT = 1.6


def _band_rows(count: np.ndarray) -> int:
    """Rows per sub-column so the whole tier layout is about :data:`TIER_ASPECT` wide.

    Examples
    --------
    >>> _band_rows(np.array([3, 5])), _band_rows(np.array([10, 2000, 2000])) < 2000
    (5, True)
    """
    tallest = int(count.max())
    best, best_err = tallest, np.inf
    for rows in np.unique(np.clip(np.geomspace(4, max(tallest, 4), 60).astype(int), 1, tallest)):
        bands = np.maximum(1, -(-count // rows))
        width = float(bands.sum() * BAND_GAP + len(count) * TIER_GAP)
        err = abs(np.log(width / (rows * NEIGHBOUR_PX) / TIER_ASPECT))
        if err < best_err:
            best, best_err = int(rows), err
    return best


def tier_layout(
    depth: np.ndarray,
    source: np.ndarray,
    target: np.ndarray,
    *,
    sweeps: int = 8,
) -> tuple[np.ndarray, np.ndarray]:
    """Columns by supply-chain depth (buyers on the right), ordered to reduce crossings.

    Actors with ``depth`` d >= 0 stand in column d, counted leftwards from
    the final buyers, so supply runs left to right. Within a column actors
    are ordered by the barycentre heuristic (Sugiyama, Tagawa & Toda 1981):
    alternating sweeps from the buyers upstream and back, each actor moved
    to the mean height of its neighbours (``source``/``target``: the ties to
    consider). Actors without a depth (-1) are lined up in a grid below.

    Examples
    --------
    >>> x, y = tier_layout(np.array([0, 1, 1, 2]), np.array([1, 2, 3, 3]), np.array([0, 0, 1, 2]))
    >>> bool(x[3] < x[1] < x[0]), x[1] == x[2]
    (True, np.True_)
    """
    depth = np.asarray(depth, dtype=np.int64)
    n = len(depth)
    x, y = np.zeros(n), np.zeros(n)
    placed = depth >= 0
    if placed.any():
        cols = int(depth[placed].max()) + 1
        count = np.bincount(depth[placed], minlength=cols)
        # start in node order, each column centred on 0
        order = np.flatnonzero(placed)
        order = order[np.argsort(depth[order], kind="stable")]
        pos = np.zeros(n)
        start = np.concatenate([[0], np.cumsum(count)])
        rank = np.arange(len(order)) - start[depth[order]]
        pos[order] = rank - (count[depth[order]] - 1) / 2
        both = placed[source] & placed[target] & (source != target)
        a = np.concatenate([source[both], target[both]])
        b = np.concatenate([target[both], source[both]])
        neighbours = np.bincount(a, minlength=n)
        for sweep in range(sweeps):
            columns = range(1, cols) if sweep % 2 == 0 else range(cols - 2, -1, -1)
            for d in columns:
                total = np.bincount(a, weights=pos[b], minlength=n)
                members = np.flatnonzero(placed & (depth == d))
                has = neighbours[members] > 0
                bary = pos[members].copy()
                bary[has] = total[members][has] / neighbours[members][has]
                ranked = members[np.lexsort((pos[members], bary))]
                pos[ranked] = np.arange(len(ranked)) - (len(ranked) - 1) / 2
        rows = _band_rows(count)
        bands = np.maximum(1, -(-count // rows))  # sub-columns per tier
        # tier d's band spans bands[d] sub-columns; deeper tiers further left
        right = np.concatenate([[0.0], -np.cumsum(bands * BAND_GAP + TIER_GAP)])[:cols]
        members = np.flatnonzero(placed)
        rank_in = (pos[members] + (count[depth[members]] - 1) / 2).round().astype(np.int64)
        sub, row = np.divmod(rank_in, rows)
        height = np.minimum(count[depth[members]], rows)
        x[members] = right[depth[members]] - (bands[depth[members]] - 1 - sub) * BAND_GAP
        y[members] = (row - (height - 1) / 2) * NEIGHBOUR_PX
    loose = np.flatnonzero(~placed)
    if len(loose):
        some = bool(placed.any())
        left = float(x[placed].min()) if some else 0.0
        width = float(x[placed].max()) - left if some else NEIGHBOUR_PX * np.sqrt(len(loose))
        top = float(y[placed].max()) + 3 * NEIGHBOUR_PX if some else 0.0
        x[loose], y[loose] = isolate_grid(len(loose), left=left, top=top, width=width)
    return x, y
