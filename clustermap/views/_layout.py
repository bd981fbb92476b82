"""Positions of drawn nodes: a force-directed layout from igraph, or a map."""

from __future__ import annotations

import logging
import warnings

import igraph as ig
import numpy as np
from scipy.spatial import cKDTree

from clustermap.analysis.communities import seeded_igraph

__all__ = [
    "NEIGHBOUR_PX",
    "force_layout",
    "geo_layout",
    "grouped_layout",
    "mercator",
    "spread",
]

log = logging.getLogger(__name__)

#: Web-Mercator stops at this latitude (the square world of web maps).
MAX_LATITUDE = 85.05112878


#: Typical distance between an actor and its nearest neighbour on screen (px at zoom 1).
NEIGHBOUR_PX = 36.0


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
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    centred = xy - (lo + hi) / 2
    if len(xy) > 1:
        dist, _ = cKDTree(xy).query(xy, k=2)
        near = dist[:, 1]
        near = near[near > 0]
        if len(near):
            return centred * (neighbour / float(np.median(near)))
    extent = float((hi - lo).max())
    if extent <= 0:
        return centred
    return centred * (neighbour * np.sqrt(len(xy)) / extent)


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
