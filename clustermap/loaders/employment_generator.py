"""A synthetic regional employment table that goes with the demo cluster.

The demo cluster (:func:`~clustermap.make_cluster`) is an automotive and
e-mobility region in a fictional country. :func:`make_employment` draws that
country's employment statistics: 20 regions (the demo's seven, ``XA11`` to
``XB12``, and 13 more) x 49 NACE Rev. 2 classes (the demo's sectors and the
local services every region has), as a statistics office publishes them:
one row per region and class with employment and establishments, small
cells suppressed (absent), a few zero rows. The home regions are specialised
in the automotive value chain, other regions in other clusters, and every
cell holds at least the jobs of the demo actors located there, so the
statistics and the network tell one story.

``python -m clustermap.loaders.employment_generator data/demo`` writes
``employment.csv``, ``clusters.csv`` (class -> cluster, traded or local) and
``cluster_links.csv`` (related clusters) there.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from clustermap._atomic import atomic_path
from clustermap.loaders import _vocab as V

__all__ = ["DEMO_CLUSTERS", "make_employment", "write_employment"]

#: Classes of the demo country beyond the demo cluster's sectors, with official names.
_MORE_SECTORS: dict[str, str] = {
    "A01.11": "Growing of cereals (except rice), leguminous crops and oil seeds",
    "C10.71": "Manufacture of bread; manufacture of fresh pastry goods and cakes",
    "C21.20": "Manufacture of pharmaceutical preparations",
    "C30.30": "Manufacture of air and spacecraft and related machinery",
    "F41.20": "Construction of residential and non-residential buildings",
    "G47.11": (
        "Retail sale in non-specialised stores with food, beverages or tobacco predominating"
    ),
    "I56.10": "Restaurants and mobile food service activities",
    "J58.29": "Other software publishing",
    "K64.19": "Other monetary intermediation",
    "O84.11": "General public administration activities",
    "Q86.10": "Hospital activities",
}

#: Cluster of every class: (cluster, traded).
DEMO_CLUSTERS: dict[str, tuple[str, bool]] = {
    **dict.fromkeys(["C29.10", "C29.20", "C29.31", "C29.32"], ("Automotive", True)),
    **dict.fromkeys(
        ["C24.42", "C24.44", "C24.51", "C24.53", "C25.50", "C25.61", "C25.62", "C25.94"],
        ("Metalworking technology", True),
    ),
    **dict.fromkeys(
        ["C28.13", "C28.15", "C28.30", "C33.12"], ("Production technology and machinery", True)
    ),
    **dict.fromkeys(
        ["C13.96", "C20.13", "C20.30", "C22.21", "C22.29", "C23.14"],
        ("Plastics and advanced materials", True),
    ),
    **dict.fromkeys(
        ["C26.11", "C26.12", "C27.11", "C27.20", "C27.32"], ("Electrical equipment", True)
    ),
    **dict.fromkeys(["J62.01", "J58.29"], ("Information technology", True)),
    **dict.fromkeys(["M70.22", "M71.12", "M71.20", "N78.20"], ("Business services", True)),
    **dict.fromkeys(["H49.41", "H52.10"], ("Distribution and logistics", True)),
    **dict.fromkeys(["M72.19", "P85.42"], ("Education and knowledge creation", True)),
    "C30.30": ("Aerospace", True),
    "C21.20": ("Biopharmaceuticals", True),
    "A01.11": ("Agriculture and food", True),
    "C10.71": ("Local food processing", False),
    "F41.20": ("Local construction", False),
    "G47.11": ("Local retail", False),
    "I56.10": ("Local hospitality", False),
    "K64.19": ("Local financial services", False),
    "O84.11": ("Local government", False),
    "P85.32": ("Local education and training", False),
    "Q86.10": ("Local health services", False),
    "S94.11": ("Local community and civic organisations", False),
}

#: Related clusters: (cluster, related cluster, strength).
_LINKS: tuple[tuple[str, str, str], ...] = (
    ("Automotive", "Metalworking technology", "very strong"),
    ("Automotive", "Plastics and advanced materials", "strong"),
    ("Automotive", "Electrical equipment", "strong"),
    ("Automotive", "Distribution and logistics", "lower"),
    ("Metalworking technology", "Production technology and machinery", "very strong"),
    ("Metalworking technology", "Aerospace", "strong"),
    ("Electrical equipment", "Information technology", "strong"),
    ("Business services", "Information technology", "very strong"),
    ("Business services", "Education and knowledge creation", "strong"),
    ("Biopharmaceuticals", "Education and knowledge creation", "strong"),
    ("Agriculture and food", "Distribution and logistics", "lower"),
)

#: The 13 regions of the demo country outside the demo cluster's area.
_MORE_REGIONS: tuple[tuple[str, str], ...] = (
    ("XB13", "Greyhaven"),
    ("XB21", "Marlow Heath"),
    ("XB22", "Ashby Fen"),
    ("XC11", "Port Elling"),
    ("XC12", "Kestrel Downs"),
    ("XC21", "Rivermouth"),
    ("XC22", "Thornbury"),
    ("XD11", "Highcross"),
    ("XD12", "Wyvern Moor"),
    ("XD21", "Saltmarsh"),
    ("XD22", "Oakridge"),
    ("XE11", "Capital District"),
    ("XE12", "Fairhaven"),
)

#: Specialisations: region -> (cluster -> factor on the national share).
_SPECIALISED: dict[str, dict[str, float]] = {
    "XA11": {"Automotive": 6.0, "Metalworking technology": 3.0, "Electrical equipment": 2.0},
    "XA12": {"Automotive": 8.0, "Plastics and advanced materials": 3.0, "Business services": 1.5},
    "XA13": {"Automotive": 5.0, "Metalworking technology": 4.0, "Distribution and logistics": 1.8},
    "XA21": {"Production technology and machinery": 3.0, "Automotive": 1.5},
    "XA22": {"Plastics and advanced materials": 2.5, "Agriculture and food": 2.0},
    "XB11": {"Distribution and logistics": 2.5, "Aerospace": 4.0},
    "XB12": {"Agriculture and food": 4.0},
    "XB13": {"Aerospace": 8.0, "Metalworking technology": 2.0},
    "XC11": {"Distribution and logistics": 3.0},
    "XC12": {"Biopharmaceuticals": 6.0, "Education and knowledge creation": 2.0},
    "XD11": {"Information technology": 4.0, "Business services": 2.0},
    "XD21": {"Agriculture and food": 5.0},
    "XE11": {"Business services": 2.5, "Information technology": 3.0, "Local government": 2.0},
    "XE12": {"Education and knowledge creation": 3.0, "Biopharmaceuticals": 2.0},
}

#: Typical establishment size by the class's section letter.
_ESTAB_SIZE = {"A": 6.0, "C": 45.0, "F": 9.0, "G": 14.0, "H": 18.0, "I": 11.0, "J": 16.0}


def _sectors() -> dict[str, str]:
    return {**V.SECTORS, **_MORE_SECTORS}


def make_employment(
    seed: int = 2024, *, n_actors: int = 300
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Draw the demo country's employment table, its cluster mapping and its cluster links.

    Parameters
    ----------
    seed : int
        Random seed; the demo uses its own (2024).
    n_actors : int
        Size of the demo cluster whose actors' jobs every cell must hold.

    Returns
    -------
    employment, mapping, links : pandas.DataFrame
        ``employment``: ``region``, ``region_name``, ``industry``,
        ``industry_name``, ``employment``, ``establishments``;
        ``mapping``: ``industry``, ``cluster``, ``traded`` (``Traded`` or
        ``Local``); ``links``: ``cluster``, ``related``, ``strength``.

    Examples
    --------
    >>> emp, mapping, links = make_employment()
    >>> emp["region"].nunique(), emp["industry"].nunique(), mapping["cluster"].nunique()
    (20, 49, 21)
    """
    from clustermap.loaders.generator import make_cluster

    rng = np.random.default_rng(seed)
    sectors = _sectors()
    codes = sorted(sectors)
    regions = [*V.REGIONS, *_MORE_REGIONS]
    region_codes = [r[0] for r in regions]
    size = np.round(rng.lognormal(mean=12.0, sigma=0.6, size=len(regions)), -2)
    national = rng.dirichlet(np.full(len(codes), 2.0))
    cluster_of = {c: DEMO_CLUSTERS[c][0] for c in codes}
    factor = np.ones((len(regions), len(codes)))
    for i, code in enumerate(region_codes):
        for j, sector in enumerate(codes):
            factor[i, j] = _SPECIALISED.get(code, {}).get(cluster_of[sector], 1.0)
    noise = rng.lognormal(mean=0.0, sigma=0.35, size=factor.shape)
    shares = national[None, :] * factor * noise
    shares /= shares.sum(axis=1, keepdims=True)
    jobs = np.round(shares * size[:, None])
    net = make_cluster(n_actors=n_actors, seed=seed)
    nodes = net.nodes
    held = (
        nodes.assign(e=pd.to_numeric(nodes["employees"], errors="coerce").fillna(0))
        .groupby(["region", "sector"])
        .agg(e=("e", "sum"), n=("e", "size"))
    )
    frame = pd.Series(
        jobs.ravel(),
        index=pd.MultiIndex.from_product([region_codes, codes], names=["region", "industry"]),
        name="employment",
    )
    floor = held["e"].reindex(frame.index).fillna(0.0)
    actors = held["n"].reindex(frame.index).fillna(0).astype(int)
    employment = np.maximum(frame.to_numpy(), np.ceil(floor.to_numpy() * 1.15)).astype(np.int64)
    typical = np.array([_ESTAB_SIZE.get(ind[0], 10.0) for _, ind in frame.index])
    estab = np.maximum(
        np.round(employment / (typical * rng.lognormal(0.0, 0.3, len(typical)))).astype(np.int64),
        np.maximum(actors.to_numpy(), (employment > 0).astype(np.int64)),
    )
    out = frame.reset_index()
    out["employment"] = employment
    out["establishments"] = estab
    # statistics offices suppress small cells (absent rows) and publish a few zeros
    free = actors.to_numpy() == 0
    suppressed = (out["employment"] < 40).to_numpy() & free & (rng.random(len(out)) < 0.6)
    zero = out["employment"].where(free & ~suppressed).nsmallest(3).index
    out.loc[zero, ["employment", "establishments"]] = 0
    out = out[~suppressed].copy()
    names = dict(regions)
    out.insert(1, "region_name", out["region"].map(names))
    out.insert(3, "industry_name", out["industry"].map(sectors))
    out = out.sort_values(["region", "industry"]).reset_index(drop=True)
    mapping = pd.DataFrame(
        {
            "industry": codes,
            "cluster": [DEMO_CLUSTERS[c][0] for c in codes],
            "traded": ["Traded" if DEMO_CLUSTERS[c][1] else "Local" for c in codes],
        }
    )
    links = pd.DataFrame(list(_LINKS), columns=["cluster", "related", "strength"])
    return out, mapping, links


def write_employment(folder: str | Path, *, seed: int = 2024) -> list[Path]:
    """Write ``employment.csv``, ``clusters.csv`` and ``cluster_links.csv`` into ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_employment(tempfile.mkdtemp())]
    ['employment.csv', 'clusters.csv', 'cluster_links.csv']
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    tables = make_employment(seed)
    paths = [out / "employment.csv", out / "clusters.csv", out / "cluster_links.csv"]
    for table, path in zip(tables, paths, strict=True):
        with atomic_path(path) as tmp:
            table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return paths


def _main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m clustermap.loaders.employment_generator OUT_FOLDER\n")
        return 2
    paths = write_employment(argv[0])
    sys.stdout.write("wrote " + ", ".join(map(str, paths)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
