"""Region outlines for the map view, read from a user's GeoJSON file (standard library json).

No tiles and no network: the outlines are projected like the actors
(Web-Mercator, scaled as :func:`clustermap.views._layout.geo_layout` scales
the points) and drawn on the canvas under them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from clustermap.errors import InputError
from clustermap.views._layout import mercator, spread_transform

__all__ = ["MAX_OUTLINE_POINTS", "NAME_KEYS", "read_regions", "region_outlines"]

#: Outlines are thinned (every k-th point kept) to at most this many points in all.
MAX_OUTLINE_POINTS = 60_000
#: Feature properties tried, in order, for a region's name.
NAME_KEYS = ("name", "NAME", "NUTS_NAME", "NAME_LATN", "region", "id", "NUTS_ID")


def _rings(geometry: Any, where: str) -> list[np.ndarray]:
    if not isinstance(geometry, dict):
        return []
    kind = geometry.get("type")
    coords: Any = geometry.get("coordinates")
    polygons: Any
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    elif kind == "GeometryCollection":
        return [r for g in geometry.get("geometries") or [] for r in _rings(g, where)]
    else:
        return []
    out = []
    try:
        for polygon in polygons:
            for ring in polygon:
                arr = np.asarray(ring, dtype=np.float64)[:, :2]
                if len(arr) >= 3:
                    out.append(arr)
    except (TypeError, ValueError, IndexError) as exc:
        msg = f"{where}: coordinates are not lists of [longitude, latitude] pairs ({exc})"
        raise InputError(msg) from None
    return out


def read_regions(path: str | os.PathLike[str]) -> list[tuple[str, list[np.ndarray]]]:
    """Read (name, rings of [lon, lat]) of every polygon feature of a GeoJSON file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.geojson"
    >>> _ = p.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
    ...     '"properties": {"name": "North"}, "geometry": {"type": "Polygon", '
    ...     '"coordinates": [[[0, 50], [1, 50], [1, 51], [0, 50]]]}}]}')
    >>> [(name, len(rings[0])) for name, rings in read_regions(p)]
    [('North', 4)]
    """
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        msg = f"{file}: the regions file does not exist"
        raise InputError(msg) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        msg = f"{file.name}: not a readable GeoJSON file ({type(exc).__name__}: {exc})"
        raise InputError(msg) from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict) and "coordinates" in data:
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    else:
        msg = f"{file.name}: GeoJSON must be a FeatureCollection, a Feature or a geometry"
        raise InputError(msg)
    regions = []
    for i, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties") or {}
        name = next((str(props[k]) for k in NAME_KEYS if props.get(k) is not None), f"region {i}")
        rings = _rings(feature.get("geometry"), f"{file.name} feature {i}")
        if rings:
            regions.append((name, rings))
    if not regions:
        msg = f"{file.name}: no Polygon or MultiPolygon features to draw as regions"
        raise InputError(msg)
    return regions


def region_outlines(
    regions: list[tuple[str, list[np.ndarray]]], lat: np.ndarray, lon: np.ndarray
) -> list[dict[str, Any]]:
    """Project outlines with the transform :func:`geo_layout` gives the actors' coordinates.

    Returns ``[{"name": ..., "rings": [[x0, y0, x1, y1, ...], ...]}]`` in
    screen pixels at zoom 1, thinned to :data:`MAX_OUTLINE_POINTS` points.
    """
    ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if ok.any():
        px, py = mercator(lat[ok], lon[ok])
    else:
        every = np.vstack([r for _, rings in regions for r in rings])
        px, py = mercator(every[:, 1], every[:, 0])
    centre, factor = spread_transform(np.column_stack([px, py]))
    total = sum(len(r) for _, rings in regions for r in rings)
    step = max(1, int(np.ceil(total / MAX_OUTLINE_POINTS)))
    out = []
    for name, rings in regions:
        drawn = []
        for ring in rings:
            thin = ring[::step] if len(ring) > 4 * step else ring
            rx, ry = mercator(thin[:, 1], thin[:, 0])
            xy = (np.column_stack([rx, ry]) - centre) * factor
            drawn.append(np.round(xy, 1).ravel().tolist())
        out.append({"name": name, "rings": drawn})
    return out
