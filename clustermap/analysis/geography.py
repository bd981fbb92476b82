"""The geography of ties: how far links reach, and whether proximity does the work.

A cluster claims that being close matters. :func:`tie_geography` measures
the great-circle length of every link between actors with coordinates, the
share that stays in one region or within given distances, and compares the
lengths with those of random pairs of the same actors: when links are no
shorter than random pairs, proximity is not what binds the cluster.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustermap import settings
from clustermap._provenance import stamp
from clustermap.errors import ConfigError, InputError
from clustermap.graphs.network import ClusterNetwork

__all__ = ["TieGeography", "great_circle_km", "tie_geography"]

EARTH_RADIUS_KM = 6371.0088
_BINS = (0.0, 1.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, np.inf)


def great_circle_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """Haversine distance in km between points given in decimal degrees (vectorised).

    Examples
    --------
    >>> round(float(great_circle_km(51.5074, -0.1278, 48.8566, 2.3522)), 0)  # London-Paris
    344.0
    """
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


@dataclass(frozen=True)
class TieGeography:
    """Lengths of ties, their summary and their distance decay against random pairs.

    Attributes
    ----------
    ties : pandas.DataFrame
        One row per link: ``source``, ``target``, ``layer``, ``kinds``,
        ``km`` (NaN without coordinates), ``same_region``.
    summary : pandas.DataFrame
        By the ``by`` columns: ``ties``, ``with_coordinates``, ``median_km``,
        ``mean_km``, ``share_same_region``, ``share_within_<d>km``.
    decay : pandas.DataFrame
        By layer and distance band: ``ties``, ``tie_share``, ``random_share``
        (random pairs of the same actors), ``ratio`` (above 1: ties are more
        common at that distance than chance).
    provenance : dict
    """

    ties: pd.DataFrame
    summary: pd.DataFrame
    decay: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The summary table."""
        return self.summary

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Sheets for Excel: ``summary``, ``decay`` and ``ties``."""
        return {"summary": self.summary, "decay": self.decay, "ties": self.ties}


def _band_labels(bins: Sequence[float]) -> list[str]:
    out = []
    for lo, hi in itertools.pairwise(bins):
        out.append(f"{lo:g}+ km" if np.isinf(hi) else f"{lo:g}-{hi:g} km")
    return out


def tie_geography(
    net: ClusterNetwork,
    *,
    layers: str | list[str] | None = None,
    by: Sequence[str] = ("layer", "kinds"),
    distances: Sequence[float] = (10.0, 50.0, 100.0),
    random_pairs: int = 20_000,
    seed: int | None = None,
) -> TieGeography:
    """Measure how long the links are, and whether they are shorter than chance.

    Parameters
    ----------
    net : ClusterNetwork
        Actors with ``lat`` and ``lon`` (decimal degrees); ``region`` is used
        when present.
    layers : str or list, optional
        Layers to read (default all).
    by : sequence of str
        Summary groups: ``layer``, ``kinds`` (the pair of actor kinds, e.g.
        ``firm-institution``) or any edge column.
    distances : sequence of float
        Distances (km) for the ``share_within_<d>km`` columns.
    random_pairs : int
        Random pairs of distinct actors drawn per layer (from the actors that
        have links in that layer) for the distance-decay baseline.
    seed : int, optional
        Random seed (default ``settings.seed``).

    Returns
    -------
    TieGeography

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["a", "b", "c"], "name": list("ABC"), "kind": "firm",
    ...      "lat": [52.0, 52.0, 53.0], "lon": [0.0, 0.1, 0.0], "region": ["R", "R", "S"]},
    ...     {"source": ["a", "a"], "target": ["b", "c"], "layer": "knowledge"})
    >>> geo = tie_geography(net, seed=1)
    >>> geo.ties["km"].round(1).tolist(), geo.ties["same_region"].tolist()
    ([6.8, 111.2], [True, False])
    """
    nodes = net.nodes
    for col in ("lat", "lon"):
        if col not in nodes.columns:
            msg = f"tie_geography needs {col!r} in the node table (decimal degrees)"
            raise InputError(msg)
    if random_pairs < 0:
        msg = f"`random_pairs` must be >= 0, not {random_pairs!r}"
        raise ConfigError(msg)
    seed = settings.seed if seed is None else seed
    e = net.select(layers=layers).edges if layers is not None else net.edges
    e = e[e["source"] != e["target"]]
    if e.empty:
        msg = "the network has no links to measure"
        raise InputError(msg)
    lat = pd.to_numeric(nodes["lat"], errors="coerce")
    lon = pd.to_numeric(nodes["lon"], errors="coerce")
    kind = nodes["kind"].astype(str)
    ks, kt = kind.reindex(e["source"]).to_numpy(), kind.reindex(e["target"]).to_numpy()
    kinds = np.where(ks <= kt, ks + "-" + kt, kt + "-" + ks)
    km = great_circle_km(
        lat.reindex(e["source"]).to_numpy(),
        lon.reindex(e["source"]).to_numpy(),
        lat.reindex(e["target"]).to_numpy(),
        lon.reindex(e["target"]).to_numpy(),
    )
    ties = pd.DataFrame(
        {
            "source": e["source"].to_numpy(),
            "target": e["target"].to_numpy(),
            "layer": e["layer"].to_numpy(),
            "kinds": kinds,
            "km": km,
        }
    )
    for col in by:
        if col not in ties.columns:
            if col not in e.columns:
                msg = f"`by` names {col!r}, which is neither 'layer', 'kinds' nor an edge column"
                raise ConfigError(msg)
            ties[col] = e[col].to_numpy()
    if "region" in nodes.columns:
        reg = nodes["region"].astype(object)
        rs, rt = reg.reindex(e["source"]).to_numpy(), reg.reindex(e["target"]).to_numpy()
        same = pd.Series(rs == rt, dtype=object)
        same[pd.isna(rs) | pd.isna(rt)] = None
        ties["same_region"] = same.to_numpy()
    has = ties["km"].notna()
    if not has.any():
        msg = "no link joins two actors that both have coordinates (lat, lon)"
        raise InputError(msg)
    g = ties.groupby(list(by), sort=True)
    summary = pd.DataFrame({"ties": g.size(), "with_coordinates": g["km"].count()})
    summary["median_km"] = g["km"].median()
    summary["mean_km"] = g["km"].mean()
    if "same_region" in ties.columns:
        summary["share_same_region"] = g["same_region"].apply(
            lambda s: float(s.dropna().astype(bool).mean()) if s.notna().any() else np.nan
        )
    for d in distances:
        within = (ties["km"] <= d).where(has)
        summary[f"share_within_{d:g}km"] = within.groupby([ties[c] for c in by]).mean()
    rng = np.random.default_rng(seed)
    labels = _band_labels(_BINS)
    decay_rows = []
    for layer, part in ties[has].groupby("layer", sort=True):
        actors = pd.unique(np.concatenate([part["source"].to_numpy(), part["target"].to_numpy()]))
        counts = np.histogram(part["km"].to_numpy(), bins=np.asarray(_BINS))[0]
        random_counts = np.zeros(len(labels))
        if len(actors) > 1 and random_pairs:
            i = rng.integers(len(actors), size=random_pairs)
            j = rng.integers(len(actors) - 1, size=random_pairs)
            j = j + (j >= i)  # distinct pairs, uniformly
            a, b = actors[i], actors[j]
            rkm = great_circle_km(
                lat.reindex(a).to_numpy(),
                lon.reindex(a).to_numpy(),
                lat.reindex(b).to_numpy(),
                lon.reindex(b).to_numpy(),
            )
            random_counts = np.histogram(rkm[np.isfinite(rkm)], bins=np.asarray(_BINS))[0]
        tie_share = counts / max(counts.sum(), 1)
        random_share = random_counts / max(random_counts.sum(), 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(
                random_share > 0, tie_share / np.where(random_share > 0, random_share, 1), np.nan
            )
        decay_rows.append(
            pd.DataFrame(
                {
                    "layer": layer,
                    "band": labels,
                    "ties": counts,
                    "tie_share": tie_share,
                    "random_share": random_share,
                    "ratio": ratio,
                }
            )
        )
    decay = pd.concat(decay_rows, ignore_index=True)
    record = dict(
        stamp(
            summary,
            method="tie_geography",
            parameters={"by": list(by), "distances": list(distances), "random_pairs": random_pairs},
            seed=seed,
            layers=None if layers is None else ([layers] if isinstance(layers, str) else layers),
        ).attrs
    )
    ties.attrs.update(record)
    decay.attrs.update(record)
    return TieGeography(ties, summary, decay, record)
