"""A synthetic but realistic industrial cluster, for the demo, tests and benchmarks.

:func:`make_cluster` draws an automotive and e-mobility cluster: anchor
manufacturers (OEMs), their tier-1 and tier-2 suppliers, specialist service
suppliers, and the universities, research centres, training bodies and trade
associations around them. Actors belong to planted sub-clusters (technology
themes such as powertrain or battery systems, each centred on a town), so
community detection can be scored against a known answer. Everything is drawn
with numpy in a few vectorised passes: a million actors take seconds.

Run as a script to write the demo cluster as CSV (``make data``)::

    python -m clustermap.loaders.generator data/demo
"""

from __future__ import annotations

import logging
import string
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from clustermap import settings
from clustermap._atomic import atomic_path
from clustermap.errors import ConfigError
from clustermap.graphs.network import ClusterNetwork
from clustermap.loaders import _vocab as V

__all__ = ["INITIATIVE_DEFAULTS", "make_cluster", "write_cluster"]

log = logging.getLogger(__name__)

_CATS: tuple[str, ...] = tuple(c for c, _ in V.CATEGORIES)
_SHARES = np.array([s for _, s in V.CATEGORIES])
# category indices
OEM, T1, T2, SERVICE, UNIV, RC, TRAINING, TRADE = range(8)
#: Who gets an actor first when there are too few actors for every category.
_PRIORITY = (OEM, UNIV, T1, T2, SERVICE, RC, TRAINING, TRADE)
_ID_PREFIX = ("OEM", "T1", "T2", "SV", "UNI", "RC", "TB", "TA")
#: Median employees and spread (sigma of the log) by category.
_EMPLOYEES = (
    (2500, 0.8),
    (350, 0.8),
    (50, 0.9),
    (20, 1.0),
    (2000, 0.5),
    (150, 0.7),
    (35, 0.5),
    (10, 0.5),
)
#: Founding years drawn uniformly from these ranges, by category.
_FOUNDED = (
    (1890, 1990),
    (1900, 2015),
    (1920, 2020),
    (1960, 2022),
    (1820, 1995),
    (1950, 2015),
    (1960, 2010),
    (1900, 2000),
)
#: How much an actor of each category takes part in knowledge links.
_ACTIVITY = np.array([8.0, 3.0, 1.0, 0.8, 25.0, 20.0, 6.0, 6.0])
#: Probability that a knowledge partner is drawn from the actor's own sub-cluster.
_P_INSIDE = np.array([0.85, 0.85, 0.85, 0.75, 0.7, 0.8, 0.4, 0.3])
_KNOWLEDGE_TYPES = ("joint project", "co-patent", "staff mobility")
#: Type mix of knowledge links: with a university or research centre, between firms.
_TYPE_P_ACADEMIC = np.array([0.65, 0.20, 0.15])
_TYPE_P_FIRMS = np.array([0.45, 0.15, 0.40])
_YEARS = np.arange(2015, 2025)
_YEAR_P = (1.0 + 0.06 * (_YEARS - 2015)) / (1.0 + 0.06 * (_YEARS - 2015)).sum()
#: Supply: for each supplier category, mean extra customers (beyond one), the
#: buyer categories and their probabilities, and the chance the buyer is in
#: the supplier's own sub-cluster.
_SUPPLY: dict[int, tuple[float, tuple[int, ...], tuple[float, ...], float]] = {
    T1: (0.7, (OEM, T1), (0.9, 0.1), 0.75),
    T2: (0.9, (T1, OEM, T2), (0.82, 0.10, 0.08), 0.8),
    SERVICE: (1.3, (OEM, T1, T2), (0.15, 0.35, 0.5), 0.5),
}
#: Median yearly contract value in EUR by (supplier, buyer) category.
_VALUE_BASE = {
    (T1, OEM): 2_500_000.0,
    (T1, T1): 600_000.0,
    (T2, T1): 350_000.0,
    (T2, OEM): 800_000.0,
    (T2, T2): 120_000.0,
    (SERVICE, OEM): 250_000.0,
    (SERVICE, T1): 120_000.0,
    (SERVICE, T2): 40_000.0,
}
_LINKS_PER_ACTOR = 5
_SUBCLUSTER_SIZE = 60
_MIN_ACTORS = 2


# --------------------------------------------------------------------------- helpers


def _text(values: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A pandas ``str`` array holding ``values[codes]`` (fast: one take)."""
    return pd.array(list(values), dtype="str").take(codes)


def _allocate(n: int) -> np.ndarray:
    """Actors per category: the shares, at least one of each that fits, summing to ``n``."""
    target = n * _SHARES
    counts = np.floor(target).astype(np.int64)
    mins = np.zeros(len(_CATS), dtype=np.int64)
    for i, cat in enumerate(_PRIORITY):
        if i < n:
            mins[cat] = 1
    counts = np.maximum(counts, mins)
    left = n - int(counts.sum())
    if left > 0:
        order = np.argsort(-(target - np.floor(target)), kind="stable")
        for cat in order[:left]:
            counts[cat] += 1
        left = n - int(counts.sum())
        counts[T2] += left
    while left < 0:
        # too few actors for the minimums: take from the biggest categories
        spare = counts - mins
        cat = int(np.argmax(spare))
        take = min(int(spare[cat]), -left)
        counts[cat] -= take
        left += take
    return counts


class _Pool:
    """Actors that can be drawn as partners, weighted, grouped by sub-cluster."""

    def __init__(self, members: np.ndarray, group: np.ndarray, weight: np.ndarray, k: int):
        order = np.argsort(group[members], kind="stable")
        self.members = members[order]
        g = group[self.members]
        self.cum = np.cumsum(weight[self.members])
        self.total = float(self.cum[-1]) if len(self.cum) else 0.0
        keys = np.arange(k)
        self.start = np.searchsorted(g, keys, side="left")
        self.end = np.searchsorted(g, keys, side="right")
        has = self.end > self.start
        cum0 = np.concatenate([[0.0], self.cum])
        self.lo = cum0[self.start]
        self.hi = np.where(has, cum0[self.end], 0.0)
        self.has = has

    def __len__(self) -> int:
        return len(self.members)

    def draw(self, rng: np.random.Generator, groups: np.ndarray, p_same: np.ndarray) -> np.ndarray:
        """Draw one member per request: from group ``groups[i]`` with probability ``p_same[i]``."""
        m = len(groups)
        same = (rng.random(m) < p_same) & self.has[groups]
        lo = np.where(same, self.lo[groups], 0.0)
        hi = np.where(same, self.hi[groups], self.total)
        u = lo + rng.random(m) * (hi - lo)
        pos = np.searchsorted(self.cum, u, side="right")
        first = np.where(same, self.start[groups], 0)
        last = np.where(same, self.end[groups], len(self.members)) - 1
        return self.members[np.clip(pos, first, last)]


def _fill_pattern(
    rng: np.random.Generator,
    pattern: str,
    rows: np.ndarray,
    parts: dict[str, np.ndarray],
    stems: np.ndarray,
    legal: np.ndarray,
) -> np.ndarray:
    """Format ``pattern`` for ``rows`` (actor indices), vectorised over object arrays."""
    m = len(rows)
    out = np.full(m, "", dtype=object)
    first = rng.integers(len(stems), size=m)
    for literal, field, _, _ in string.Formatter().parse(pattern):
        if literal:
            out = out + literal
        if field is None:
            continue
        if field == "s":
            part = stems[first]
        elif field == "s2":  # a different stem from {s}
            part = stems[(first + 1 + rng.integers(max(len(stems) - 1, 1), size=m)) % len(stems)]
        elif field == "l":
            part = legal[rng.integers(len(legal), size=m)] if len(legal) else np.full(m, "")
        else:
            part = parts[field][rows]
        out = out + part
    return out


def _names(
    rng: np.random.Generator,
    cat: np.ndarray,
    counts: np.ndarray,
    parts: dict[str, np.ndarray],
) -> np.ndarray:
    """Unique fictional names: patterns per category, redrawn (then numbered) on clashes."""
    stems = np.array(
        [a + b for a in V.STEM_STARTS for b in V.STEM_ENDS if a[-1] != b[0]], dtype=object
    )
    names = np.empty(len(cat), dtype=object)
    starts = np.concatenate([[0], np.cumsum(counts)])
    for c, label in enumerate(_CATS):
        rows = np.arange(starts[c], starts[c + 1])
        if not len(rows):
            continue
        patterns = V.NAME_PATTERNS[label]
        probs = np.array([p for _, p in patterns])
        choice = np.searchsorted(np.cumsum(probs / probs.sum()), rng.random(len(rows)), "right")
        choice = np.minimum(choice, len(patterns) - 1)
        legal = np.array(V.LEGAL.get(label, ()), dtype=object)
        for j, (pattern, _) in enumerate(patterns):
            pick = rows[choice == j]
            if len(pick):
                names[pick] = _fill_pattern(rng, pattern, pick, parts, stems, legal)
    for _ in range(6):
        dup = pd.Series(names, dtype=object).duplicated(keep="first").to_numpy()
        if not dup.any():
            break
        for c in np.unique(cat[dup]):
            label = _CATS[c]
            pick = np.flatnonzero(dup & (cat == c))
            legal = np.array(V.LEGAL.get(label, ()), dtype=object)
            pattern = V.NAME_PATTERNS[label][-1][0]
            names[pick] = _fill_pattern(rng, pattern, pick, parts, stems, legal)
    series = pd.Series(names, dtype=object)
    rank = series.groupby(series, sort=False).cumcount().to_numpy()
    if (rank > 0).any():
        clash = rank > 0
        names[clash] = names[clash] + " (" + (rank[clash] + 1).astype(str).astype(object) + ")"
    return names


def _ids(counts: np.ndarray) -> np.ndarray:
    """Readable ids by category: ``OEM-001``, ``T1-0042``, ``UNI-003``..."""
    out: list[np.ndarray] = []
    for prefix, count in zip(_ID_PREFIX, counts.tolist(), strict=True):
        width = max(3, len(str(count)))
        numbers = np.arange(1, count + 1).astype(np.dtypes.StringDType())
        out.append(np.strings.add(f"{prefix}-", np.strings.zfill(numbers, width)).astype(object))
    return np.concatenate(out)


# --------------------------------------------------------------------------- actors


def _actors(
    rng: np.random.Generator, n: int
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, int]:
    """The node table; per actor its category, sub-cluster and employees; and k."""
    counts = _allocate(n)
    cat = np.repeat(np.arange(len(_CATS)), counts)
    k = max(2, round(n / _SUBCLUSTER_SIZE)) if n >= 20 else 1
    # sub-clusters of uneven size; OEMs spread round-robin so most have an anchor
    size = rng.lognormal(0.0, 0.4, size=k)
    sub = np.searchsorted(np.cumsum(size / size.sum()), rng.random(n), side="right")
    sub = np.minimum(sub, k - 1)
    n_oem = int(counts[OEM])
    sub[:n_oem] = rng.permutation(k)[np.arange(n_oem) % k]
    theme = rng.permutation(k) % len(V.THEMES)
    # each sub-cluster is centred on a town; most of its actors are there
    town_p = np.array([t[4] for t in V.TOWNS])
    town_cum = np.cumsum(town_p / town_p.sum())
    # sub-clusters are centred on towns of the home region (codes XA..)
    home_p = np.where([V.REGIONS[t[1]][0].startswith("XA") for t in V.TOWNS], town_p, 0.0)
    home_cum = np.cumsum(home_p / home_p.sum())
    home = np.minimum(np.searchsorted(home_cum, rng.random(k), side="right"), len(V.TOWNS) - 1)
    anywhere = np.minimum(np.searchsorted(town_cum, rng.random(n), side="right"), len(V.TOWNS) - 1)
    town = np.where(rng.random(n) < 0.8, home[sub], anywhere)
    town_region = np.array([t[1] for t in V.TOWNS])
    region = town_region[town]
    lat = np.round(np.array([t[2] for t in V.TOWNS])[town] + rng.normal(0.0, 0.04, n), 5)
    lon = np.round(np.array([t[3] for t in V.TOWNS])[town] + rng.normal(0.0, 0.06, n), 5)

    # sectors: tier suppliers follow their sub-cluster's theme, others their category
    codes = list(V.SECTORS)
    code_index = {c: i for i, c in enumerate(codes)}
    sector = np.zeros(n, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)])
    for c, label in enumerate(_CATS):
        rows = np.arange(starts[c], starts[c + 1])
        if not len(rows):
            continue
        if c in (T1, T2):
            table = np.array(
                [[code_index[s] for s in (t[1] if c == T1 else t[2])] for t in V.THEMES]
            )
            sector[rows] = table[theme[sub[rows]], rng.integers(table.shape[1], size=len(rows))]
        else:
            options, probs = V.CATEGORY_SECTORS[label]
            pick = np.searchsorted(np.cumsum(probs), rng.random(len(rows)), side="right")
            pick = np.minimum(pick, len(options) - 1)
            sector[rows] = np.array([code_index[s] for s in options])[pick]

    median = np.array([m for m, _ in _EMPLOYEES], dtype=float)[cat]
    sigma = np.array([s for _, s in _EMPLOYEES])[cat]
    employees = np.maximum(1.0, np.round(median * np.exp(rng.normal(0.0, 1.0, n) * sigma)))
    lo = np.array([a for a, _ in _FOUNDED])[cat]
    hi = np.array([b for _, b in _FOUNDED])[cat]
    founded = rng.integers(lo, hi + 1).astype(np.float64)

    words = np.array(
        [list(V.SECTOR_WORDS.get(c, ("",) * 3)) for c in codes], dtype=object
    )  # sectors x 3
    fields = np.array(V.FIELDS, dtype=object)
    theme_field = np.array([t[3] for t in V.THEMES], dtype=object)[theme[sub]]
    parts = {
        "t": np.array([t[0] for t in V.TOWNS], dtype=object)[town],
        "r": np.array([r[1] for r in V.REGIONS], dtype=object)[region],
        "w": words[sector, rng.integers(3, size=n)],
        "f": np.where(rng.random(n) < 0.5, theme_field, fields[rng.integers(len(fields), size=n)]),
    }
    names = _names(rng, cat, counts, parts)
    ids = _ids(counts)

    width = len(str(k))
    sub_labels = [f"SC{i:0{width}d}" for i in range(1, k + 1)]
    sector_names = [V.SECTORS[c] for c in codes]
    nodes = pd.DataFrame(
        {
            "name": pd.array(names, dtype="str"),
            "kind": _text([V.KIND_OF[c] for c in _CATS], cat),
            "category": _text(_CATS, cat),
            "sector": _text(codes, sector),
            "region": _text([r[0] for r in V.REGIONS], region),
            "lat": lat,
            "lon": lon,
            "employees": employees,
            "founded": founded,
            "sector_name": _text(sector_names, sector),
            "region_name": _text([r[1] for r in V.REGIONS], region),
            "subcluster": _text(sub_labels, sub),
        },
        index=pd.Index(pd.array(ids, dtype="str"), name="id"),
    )
    return nodes, cat, sub, employees, k


# --------------------------------------------------------------------------- links


def _supply(
    rng: np.random.Generator, cat: np.ndarray, sub: np.ndarray, size: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Supply links (supplier -> buyer): (source, target, value, is_service)."""
    n = len(cat)
    weight = np.sqrt(size)
    pools = {c: _Pool(np.flatnonzero(cat == c), sub, weight, k) for c in (OEM, T1, T2)}
    src_parts: list[np.ndarray] = []
    dst_parts: list[np.ndarray] = []
    val_parts: list[np.ndarray] = []
    for supplier_cat, (extra, buyers, probs, p_same) in _SUPPLY.items():
        suppliers = np.flatnonzero(cat == supplier_cat)
        usable = [(b, p) for b, p in zip(buyers, probs, strict=True) if len(pools[b])]
        if not len(suppliers) or not usable:
            continue
        degree = 1 + rng.poisson(extra, size=len(suppliers))
        sup = np.repeat(suppliers, degree)
        p = np.array([q for _, q in usable])
        which = np.searchsorted(np.cumsum(p / p.sum()), rng.random(len(sup)), side="right")
        which = np.minimum(which, len(usable) - 1)
        for j, (buyer_cat, _) in enumerate(usable):
            s = sup[which == j]
            if not len(s):
                continue
            b = pools[buyer_cat].draw(rng, sub[s], np.full(len(s), p_same))
            if buyer_cat == supplier_cat:
                # same tier: the lower index supplies the higher, so supply stays acyclic
                s, b = np.minimum(s, b), np.maximum(s, b)
            keep = s != b
            s, b = s[keep], b[keep]
            base = _VALUE_BASE[(supplier_cat, buyer_cat)]
            value = base * np.exp(rng.normal(0.0, 0.9, len(s))) * (rng.pareto(1.6, len(s)) + 0.5)
            src_parts.append(s)
            dst_parts.append(b)
            val_parts.append(np.maximum(1000.0, np.round(value, -2)))
    if not src_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), np.zeros(0, dtype=bool)
    src = np.concatenate(src_parts)
    dst = np.concatenate(dst_parts)
    val = np.concatenate(val_parts)
    # one link per (supplier, buyer) pair
    _, first = np.unique(src.astype(np.int64) * n + dst, return_index=True)
    first.sort()
    src, dst, val = src[first], dst[first], val[first]
    return src, dst, val, cat[src] == SERVICE


def _knowledge(
    rng: np.random.Generator, cat: np.ndarray, sub: np.ndarray, count: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Knowledge links: (source, target, type code, weight)."""
    n = len(cat)
    activity = _ACTIVITY[cat] * rng.lognormal(0.0, 0.6, n)
    pool = _Pool(np.arange(n), sub, activity, k)
    a = pool.draw(rng, np.zeros(count, dtype=np.int64), np.zeros(count))
    b = pool.draw(rng, sub[a], _P_INSIDE[cat[a]])
    loop = a == b
    if loop.any():
        b[loop] = (a[loop] + 1 + rng.integers(n - 1, size=int(loop.sum()))) % n
    academic = np.isin(cat[a], (UNIV, RC)) | np.isin(cat[b], (UNIV, RC))
    u = rng.random(count)
    cum_ac = np.cumsum(_TYPE_P_ACADEMIC)
    cum_fi = np.cumsum(_TYPE_P_FIRMS)
    kind = np.where(
        academic, np.searchsorted(cum_ac, u, side="right"), np.searchsorted(cum_fi, u, "right")
    )
    kind = np.minimum(kind, len(_KNOWLEDGE_TYPES) - 1)
    broad = np.isin(cat[a], (TRAINING, TRADE)) | np.isin(cat[b], (TRAINING, TRADE))
    kind[broad] = 0  # training bodies and associations run projects, not patents
    weight = np.where(kind == 2, 1.0 + rng.poisson(0.4, count), 1.0)
    return a, b, kind, weight


#: Defaults of a planted initiative (see :func:`make_cluster`).
INITIATIVE_DEFAULTS: dict[str, float] = {"share": 0.2, "start": 2020, "effect": 1.0}


def _initiative_options(initiative: Mapping[str, Any]) -> dict[str, float]:
    if not isinstance(initiative, Mapping):
        msg = (
            "`initiative` must be a dict such as {'share': 0.2, 'start': 2020, 'effect': 1.0}, "
            f"not {type(initiative).__name__}"
        )
        raise ConfigError(msg)
    unknown = sorted(set(initiative) - set(INITIATIVE_DEFAULTS))
    if unknown:
        msg = f"`initiative` has unknown key(s) {unknown}; keys are share, start, effect"
        raise ConfigError(msg)
    opts = {**INITIATIVE_DEFAULTS, **initiative}
    share, start, effect = opts["share"], opts["start"], opts["effect"]
    if not 0 < float(share) <= 1:
        msg = f"`initiative['share']` must be in (0, 1], not {share!r}"
        raise ConfigError(msg)
    if int(start) != start or not _YEARS[0] < int(start) <= _YEARS[-1]:
        msg = (
            f"`initiative['start']` must be a year after {_YEARS[0]} and up to {_YEARS[-1]} "
            f"(links are dated {_YEARS[0]}-{_YEARS[-1]}), not {start!r}"
        )
        raise ConfigError(msg)
    if not float(effect) >= 0:
        msg = f"`initiative['effect']` must be >= 0, not {effect!r}"
        raise ConfigError(msg)
    return {"share": float(share), "start": int(start), "effect": float(effect)}


def _plant(
    seed: int, opts: dict[str, float], cat: np.ndarray, sub: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Members, and their extra knowledge ties to institutions: (member, src, dst, year).

    Drawn from a generator of its own, so the rest of the cluster is the
    cluster drawn without an initiative.
    """
    rng = np.random.default_rng([seed, 20_240_612])
    n = len(cat)
    firms = np.flatnonzero(np.isin(cat, (OEM, T1, T2, SERVICE)))
    member = np.zeros(n, dtype=bool)
    picked = rng.choice(firms, size=max(1, round(opts["share"] * len(firms))), replace=False)
    member[picked] = True
    institutions = np.flatnonzero(np.isin(cat, (UNIV, RC, TRAINING, TRADE)))
    years = np.arange(int(opts["start"]), _YEARS[-1] + 1)
    empty = np.zeros(0, dtype=np.int64)
    if not len(institutions) or opts["effect"] == 0:
        return member, empty, empty, empty
    per = rng.poisson(opts["effect"], size=(len(picked), len(years)))
    src = np.repeat(np.repeat(picked, len(years)), per.ravel())
    year = np.repeat(np.tile(years, len(picked)), per.ravel())
    pool = _Pool(institutions, sub, _ACTIVITY[cat], k)
    dst = pool.draw(rng, sub[src], np.full(len(src), 0.75))
    return member, src, dst, year


def make_cluster(
    *,
    n_actors: int = 300,
    seed: int | None = None,
    initiative: Mapping[str, Any] | None = None,
) -> ClusterNetwork:
    """Build a synthetic but realistic industrial cluster to explore or test with.

    The cluster is an automotive and e-mobility region: anchor manufacturers
    (OEMs) buy from tier-1 suppliers, which buy from tier-2 suppliers;
    specialist service suppliers (engineering, testing, logistics, software)
    serve all three; universities, research centres, training bodies and a
    trade association work with them on projects, patents and staff.

    How it is drawn:

    - categories in fixed shares: OEM 2 %, tier 1 12 %, tier 2 45 %, service
      36.7 %, university 1.3 %, research centre 2 %, training body 0.7 %,
      trade association 0.3 %, with at least one actor of each category that
      fits (an OEM and a university come first);
    - planted sub-clusters (about one per 60 actors, column ``subcluster``),
      each with a technology theme that sets its suppliers' NACE sectors and
      a home town where three actors in four are located;
    - supply links (directed, supplier -> buyer, about two per actor) follow
      the tiers, mostly inside the sub-cluster; a few skip a tier (tier 2 ->
      OEM), stay in a tier, or go to another sub-cluster and region, so the
      supply layer is acyclic but not a tree. ``value`` is the yearly contract
      value in EUR, log-normal times Pareto (heavy-tailed); ``weight`` is
      ``log10(value) - 2`` (1 for EUR 1,000, 4 for EUR 1m); ``type`` is
      ``"purchase"`` or ``"service"``; ``year`` is when the contract started;
    - knowledge links (undirected) bring the total to five links per actor:
      types ``"joint project"``, ``"co-patent"`` and ``"staff mobility"``,
      years 2015-2024 (more in recent years); institutions take part far more
      than firms, and three partners in four come from the same sub-cluster.
      ``weight`` is 1, or the number of people moved for staff mobility.

    Parameters
    ----------
    n_actors : int
        Number of actors, at least 2.
    seed : int, optional
        Random seed (default ``settings.seed``); the same seed gives the
        same cluster.
    initiative : dict, optional
        Plant a cluster initiative, to test evaluations with a known answer:
        ``{"share": 0.2, "start": 2020, "effect": 1.0}`` makes a random
        ``share`` of the firms and suppliers members (node column
        ``member``) and gives each member, in every year from ``start`` to
        2024, a Poisson(``effect``) number of extra knowledge ties ("joint
        project") with institutions, mostly of its own sub-cluster. So
        members form on average ``effect`` more ties with institutions per
        year after the start than they would have. The rest of the cluster
        is exactly the cluster drawn without the option (the initiative has
        a random generator of its own); ``meta["initiative"]`` records it.

    Returns
    -------
    ClusterNetwork
        Nodes with ``name``, ``kind``, ``category``, ``sector`` (NACE Rev. 2
        class), ``region`` (fictional NUTS-like code), ``lat``, ``lon``,
        ``employees``, ``founded``, ``sector_name``, ``region_name`` and
        ``subcluster``; links in layers ``supply`` and ``knowledge`` with
        ``weight``, ``type``, ``year`` and ``value``. Column types are those
        :func:`~clustermap.read_tables` gives for the same data read from CSV.

    Raises
    ------
    ConfigError
        When ``n_actors`` is not a whole number of at least 2, or
        ``initiative`` has unknown keys or values out of range.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.make_cluster(n_actors=300, seed=1)
    >>> int((net.nodes["category"] == "OEM").sum()), net.n_edges
    (6, 1500)
    >>> net.is_directed("supply")
    True
    >>> planted = cm.make_cluster(n_actors=300, seed=1, initiative={"effect": 1.0})
    >>> int(planted.nodes["member"].sum()), planted.n_edges > net.n_edges
    (57, True)
    """
    if isinstance(n_actors, bool) or not isinstance(n_actors, int | np.integer):
        msg = f"`n_actors` must be a whole number, not {n_actors!r}"
        raise ConfigError(msg)
    if n_actors < _MIN_ACTORS:
        msg = f"`n_actors` must be at least {_MIN_ACTORS}, not {n_actors}"
        raise ConfigError(msg)
    n = int(n_actors)
    opts = None if initiative is None else _initiative_options(initiative)
    seed = settings.seed if seed is None else seed
    rng = np.random.default_rng(seed)
    nodes, cat, sub, size, k = _actors(rng, n)

    s_src, s_dst, s_val, s_service = _supply(rng, cat, sub, size, k)
    n_supply = len(s_src)
    n_know = max(0, _LINKS_PER_ACTOR * n - n_supply)
    k_src, k_dst, k_type, k_weight = _knowledge(rng, cat, sub, n_know, k)

    src = np.concatenate([s_src, k_src])
    dst = np.concatenate([s_dst, k_dst])
    pick = np.searchsorted(np.cumsum(_YEAR_P), rng.random(n_supply + n_know), side="right")
    year = _YEARS[np.minimum(pick, len(_YEARS) - 1)]
    types = ("purchase", "service", *_KNOWLEDGE_TYPES)
    type_code = np.concatenate([s_service.astype(np.int64), k_type + 2])
    layer_code = np.concatenate(
        [np.zeros(n_supply, dtype=np.int64), np.ones(n_know, dtype=np.int64)]
    )
    weight = np.concatenate([np.round(np.log10(s_val) - 2.0, 3), k_weight])
    value = np.concatenate([s_val, np.full(n_know, np.nan)])
    ids = pd.array(nodes.index.to_numpy(), dtype="str")
    edges = pd.DataFrame(
        {
            "source": ids.take(src),
            "target": ids.take(dst),
            "layer": _text(("supply", "knowledge"), layer_code),
            "weight": weight.astype(np.float64),
            "type": _text(types, type_code),
            "year": pd.array(year, dtype="Int64"),
            "value": value,
        }
    )
    meta: dict[str, Any] = {"generator": "make_cluster", "n_actors": n, "seed": seed}
    if opts is not None:
        member, p_src, p_dst, p_year = _plant(seed, opts, cat, sub, k)
        nodes["member"] = member
        planted = pd.DataFrame(
            {
                "source": ids.take(p_src),
                "target": ids.take(p_dst),
                "layer": _text(("knowledge",), np.zeros(len(p_src), dtype=np.int64)),
                "weight": np.ones(len(p_src)),
                "type": _text(("joint project",), np.zeros(len(p_src), dtype=np.int64)),
                "year": pd.array(p_year, dtype="Int64"),
                "value": np.full(len(p_src), np.nan),
            }
        )
        edges = pd.concat([edges, planted], ignore_index=True)
        meta["initiative"] = {**opts, "members": int(member.sum()), "planted_ties": len(p_src)}
    log.info("make_cluster: %d actors, %d supply and %d knowledge links", n, n_supply, n_know)
    # valid by construction: skip the constructor's checks, which cost seconds at 1M actors
    return ClusterNetwork._trusted(
        nodes, edges, directed={"supply": True, "knowledge": False}, meta=meta
    )


# --------------------------------------------------------------------------- files


def write_cluster(net: ClusterNetwork, folder: str | Path) -> tuple[Path, Path]:
    """Write a network's tables as ``nodes.csv`` and ``links.csv``: the input format by example.

    Plain UTF-8 CSV that :func:`~clustermap.read_tables` reads back into the
    same tables. Whole numbers (``employees``, ``founded``, ``year``, and
    ``value`` when every value is whole) are written without decimals.

    Parameters
    ----------
    net : ClusterNetwork
        The network to write.
    folder : str or path
        Output folder, created when missing.

    Returns
    -------
    tuple of pathlib.Path
        The paths of ``nodes.csv`` and ``links.csv``.

    Examples
    --------
    >>> import tempfile, clustermap as cm
    >>> from clustermap.loaders.generator import write_cluster
    >>> net = cm.make_cluster(n_actors=40, seed=3)
    >>> nodes, links = write_cluster(net, tempfile.mkdtemp())
    >>> cm.read_tables(nodes, links).edges.equals(net.edges)
    True
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    nodes = net.nodes
    for col in ("employees", "founded"):
        if col in nodes.columns:
            nodes[col] = nodes[col].round().astype("Int64")
    edges = net.edges
    if "value" in edges.columns:
        whole = edges["value"].dropna()
        if (whole == whole.round()).all():
            edges["value"] = edges["value"].round().astype("Int64")
    node_path, link_path = out / "nodes.csv", out / "links.csv"
    with atomic_path(node_path) as tmp:
        nodes.to_csv(tmp, index=True, index_label="id", encoding="utf-8", lineterminator="\n")
    with atomic_path(link_path) as tmp:
        edges.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return node_path, link_path


def _main(argv: Sequence[str]) -> int:
    from clustermap.demo import DEMO_ACTORS, DEMO_SEED

    if len(argv) != 1:
        sys.stderr.write("usage: python -m clustermap.loaders.generator OUT_FOLDER\n")
        return 2
    net = make_cluster(n_actors=DEMO_ACTORS, seed=DEMO_SEED)
    node_path, link_path = write_cluster(net, argv[0])
    sys.stdout.write(f"wrote {node_path} and {link_path}: {net!r}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
