"""Compare two networks of the same cluster: :func:`compare_networks`.

Before and after a programme, 2014-2016 against 2018-2020, last year's
supplier list against this year's: who entered and who left, which ties
formed and dissolved, how the indicators moved and whether that is more
than noise, who gained or lost a central place, and how the sub-clusters
merged, split, appeared or vanished.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustermap._provenance import stamp
from clustermap.analysis.indicators import (
    INDICATORS,
    KIND_PAIRS,
    Frame,
    Groups,
    _describe_groups,
    _layers_of,
    frame_of,
    group_labels,
    measure,
    resample,
    rewire,
    unique_keys,
)
from clustermap.errors import ConfigError, EmptyNetworkError
from clustermap.graphs.network import ClusterNetwork
from clustermap.graphs.selection import KINDS

__all__ = ["NetworkComparison", "compare_networks"]

log = logging.getLogger(__name__)

#: Communities smaller than this take no part in merge / split events.
MIN_COMMUNITY = 3
#: Two communities are matched when they share at least this share of the smaller one.
MATCH_SHARE = 0.5
#: Confidence level of the bootstrap intervals.
LEVEL = 0.95
_STATUS = ("entered", "left", "stayed")


@dataclass(frozen=True, eq=False)
class NetworkComparison:
    """What changed between two networks of a cluster; made by :func:`compare_networks`.

    Attributes
    ----------
    before, after : ClusterNetwork
        The two networks, as given.
    labels : tuple of str
        Their names ("2014-2016", "2018-2020"; "before", "after" by default).
    actors : pandas.DataFrame
        One row per actor in either network, indexed by id: ``name``,
        ``kind``, ``status`` ("entered", "left", "stayed").
    actor_counts : pandas.DataFrame
        Actors entering, leaving and staying, by kind (and in total).
    ties : pandas.DataFrame
        One row per tie (pair and layer; undirected pairs in id order):
        ``source``, ``target``, ``layer``, ``change`` ("formed",
        "dissolved", "kept"), ``weight_before``, ``weight_after`` (summed
        over parallel links; empty when the tie is absent), ``kind_pair``.
    tie_counts : pandas.DataFrame
        Ties before, after, formed, dissolved and kept by layer and kind
        pair (``kind_pair`` "all" for the layer's total).
    indicators : pandas.DataFrame
        One row per indicator (:data:`~clustermap.analysis.indicators.INDICATORS`):
        ``before``, ``after``, ``difference``, ``ci_low`` / ``ci_high``
        (95 % bootstrap interval of the difference, resampling actors),
        ``null_difference`` (the mean difference between degree-preserving
        rewirings of the two networks: the change the degrees alone would
        bring), ``null_p`` (two-sided: how often rewired networks differ from
        that mean as much as the real ones do; empty where the degrees fix
        the indicator) and ``meaning``.
    actor_change : pandas.DataFrame
        Per actor: degree (partners), strength (summed weights), PageRank
        (weighted) and betweenness (shortest paths counted in steps,
        estimated from sampled sources above
        ``settings.exact_betweenness_max_nodes`` actors) before and after,
        PageRank rank before and after, ``rank_change`` (positive: moved up),
        ``new_partners``, ``lost_partners``, ``kept_partners``.
    communities : pandas.DataFrame or None
        One row per community of each network: ``size``, ``stayed``,
        ``best_match`` and its ``jaccard`` overlap, ``matched`` (the
        communities of the other period it is matched with) and ``event``
        ("continued", "merged", "split", "appeared", "vanished", "small").
    community_flows : pandas.DataFrame or None
        Actors going from each community before (or "entered") to each
        community after (or "left"): ``before``, ``after``, ``actors``.
    community_agreement : pandas.DataFrame or None
        :func:`~clustermap.compare_partitions` figures over the actors who
        stayed: adjusted Rand index, NMI, actors compared.
    provenance : dict
        Method, parameters, seed, layers, version.
    """

    before: ClusterNetwork
    after: ClusterNetwork
    labels: tuple[str, str]
    actors: pd.DataFrame
    actor_counts: pd.DataFrame
    ties: pd.DataFrame
    tie_counts: pd.DataFrame
    indicators: pd.DataFrame
    actor_change: pd.DataFrame
    communities: pd.DataFrame | None = None
    community_flows: pd.DataFrame | None = None
    community_agreement: pd.DataFrame | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        s = self.actors["status"].value_counts()
        c = self.ties["change"].value_counts()
        return (
            f"<NetworkComparison {self.labels[0]} -> {self.labels[1]}: actors "
            f"+{int(s.get('entered', 0))} -{int(s.get('left', 0))} ={int(s.get('stayed', 0))}; "
            f"ties +{int(c.get('formed', 0))} -{int(c.get('dissolved', 0))} "
            f"={int(c.get('kept', 0))}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The indicators table: before, after, difference, interval, null model."""
        return self.indicators

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Every table, for :func:`~clustermap.write_excel` (which adds the about sheet)."""
        sheets = {
            "indicators": self.indicators,
            "actor_counts": self.actor_counts,
            "actors": self.actors,
            "tie_counts": self.tie_counts,
            "ties": self.ties,
            "actor_change": self.actor_change,
        }
        for name in ("communities", "community_flows", "community_agreement"):
            table = getattr(self, name)
            if table is not None:
                sheets[name] = table
        return sheets


# ------------------------------------------------------------------ actors and ties


def _actors(before: ClusterNetwork, after: ClusterNetwork) -> pd.DataFrame:
    b, a = before._nodes, after._nodes
    ids = b.index.union(a.index, sort=False)
    in_b, in_a = ids.isin(b.index), ids.isin(a.index)
    status = np.where(in_b & in_a, "stayed", np.where(in_a, "entered", "left"))
    both = pd.concat([a[["name", "kind"]], b[["name", "kind"]]])
    both = both[~both.index.duplicated(keep="first")].reindex(ids)
    table = pd.DataFrame(
        {"name": both["name"].to_numpy(), "kind": both["kind"].to_numpy(), "status": status},
        index=pd.Index(ids, name="id"),
    )
    return table


def _actor_counts(actors: pd.DataFrame) -> pd.DataFrame:
    table = pd.crosstab(actors["kind"], actors["status"]).reindex(columns=list(_STATUS))
    table = table.fillna(0).astype("int64")
    kinds = [k for k in KINDS if k in table.index] + [k for k in table.index if k not in KINDS]
    table = table.reindex(kinds)
    table.loc["all"] = table.sum()
    table["before"] = table["left"] + table["stayed"]
    table["after"] = table["entered"] + table["stayed"]
    table.index.name = "kind"
    table.columns.name = None
    return table[["before", "after", "entered", "left", "stayed"]]


def _tie_table(net: ClusterNetwork, layers: list[str]) -> pd.DataFrame:
    """One row per (source, target, layer), weights summed; undirected pairs in id order."""
    e = net._edges
    e = e[e["layer"].isin(layers)]
    src = e["source"].to_numpy(dtype=object)
    dst = e["target"].to_numpy(dtype=object)
    undirected = ~e["layer"].map(net.directed).fillna(False).to_numpy(dtype=bool)
    swap = undirected & (src > dst)
    s = np.where(swap, dst, src)
    t = np.where(swap, src, dst)
    table = pd.DataFrame({"source": s, "target": t, "layer": e["layer"].to_numpy(dtype=object)})
    table["weight"] = e["weight"].to_numpy()
    grouped = table.groupby(["source", "target", "layer"], sort=False, as_index=False)["weight"]
    return pd.DataFrame(grouped.sum())


def _kind_pair(kind_a: pd.Series, kind_b: pd.Series) -> np.ndarray:
    order = {k: i for i, k in enumerate(KINDS)}
    ra = kind_a.map(order).fillna(len(KINDS)).to_numpy()
    rb = kind_b.map(order).fillna(len(KINDS)).to_numpy()
    first = np.where(ra <= rb, kind_a.to_numpy(dtype=object), kind_b.to_numpy(dtype=object))
    second = np.where(ra <= rb, kind_b.to_numpy(dtype=object), kind_a.to_numpy(dtype=object))
    return (pd.Series(first, dtype=object) + "-" + pd.Series(second, dtype=object)).to_numpy()


def _ties(
    before: ClusterNetwork, after: ClusterNetwork, layers: list[str], actors: pd.DataFrame
) -> pd.DataFrame:
    tb = _tie_table(before, [x for x in layers if x in before.layers])
    ta = _tie_table(after, [x for x in layers if x in after.layers])
    merged = tb.merge(
        ta, on=["source", "target", "layer"], how="outer", suffixes=("_before", "_after")
    )
    wb = merged["weight_before"]
    wa = merged["weight_after"]
    change = np.where(wb.notna() & wa.notna(), "kept", np.where(wa.notna(), "formed", "dissolved"))
    kind = actors["kind"]
    table = pd.DataFrame(
        {
            "source": merged["source"].astype(str),
            "target": merged["target"].astype(str),
            "layer": merged["layer"].astype(str),
            "change": change,
            "weight_before": wb.to_numpy(),
            "weight_after": wa.to_numpy(),
        }
    )
    table["kind_pair"] = _kind_pair(
        kind.reindex(table["source"]).reset_index(drop=True),
        kind.reindex(table["target"]).reset_index(drop=True),
    )
    rank = {"formed": 0, "dissolved": 1, "kept": 2}
    table = table.sort_values(
        ["layer", "change", "source", "target"],
        key=lambda c: c.map(rank) if c.name == "change" else c,
        kind="stable",
    )
    return table.reset_index(drop=True)


def _tie_counts(ties: pd.DataFrame, layers: list[str]) -> pd.DataFrame:
    t = ties.assign(
        before=ties["weight_before"].notna(),
        after=ties["weight_after"].notna(),
        formed=ties["change"] == "formed",
        dissolved=ties["change"] == "dissolved",
        kept=ties["change"] == "kept",
    )
    cols = ["before", "after", "formed", "dissolved", "kept"]
    by_pair = t.groupby(["layer", "kind_pair"])[cols].sum()
    by_layer = t.groupby("layer")[cols].sum()
    by_layer.index = pd.MultiIndex.from_arrays(
        [by_layer.index, ["all"] * len(by_layer)], names=["layer", "kind_pair"]
    )
    pairs = [*KIND_PAIRS, *sorted(set(t["kind_pair"]) - set(KIND_PAIRS))]
    full = pd.MultiIndex.from_product([layers, [*pairs, "all"]], names=["layer", "kind_pair"])
    table = pd.concat([by_pair, by_layer]).reindex(full).fillna(0).astype("int64")
    keep = (table.sum(axis=1) > 0) | (full.get_level_values("kind_pair") == "all")
    return table[keep]


# ------------------------------------------------------------------ actor-level change


def _centrality(net: ClusterNetwork, layers: list[str], seed: int) -> pd.DataFrame:
    from clustermap.analysis.centrality import centrality

    cols = ["degree", "strength", "pagerank", "betweenness"]
    mine = [x for x in layers if x in net.layers]
    if not mine or not len(net._edges[net._edges["layer"].isin(mine)]):
        zeros = np.zeros((net.n_nodes, len(cols)))
        return pd.DataFrame(zeros, index=net._nodes.index, columns=cols)
    table = centrality(net, measures=cols[:3], layers=mine, normalized=False, seed=seed)
    # betweenness on hops, not tie strengths: five times faster, and "who sits
    # between partners" is what a comparison of two periods asks
    paths = centrality(
        net, measures="betweenness", layers=mine, normalized=False, weighted=False, seed=seed
    )
    return table[cols[:3]].join(paths["betweenness"])


def _partner_keys(net: ClusterNetwork, layers: list[str], ids: pd.Index) -> np.ndarray:
    from clustermap.graphs._lookup import positions

    e = net._edges
    e = e[e["layer"].isin(layers)]
    s = positions(ids, e["source"])
    t = positions(ids, e["target"])
    n = len(ids)
    keep = s != t
    return unique_keys(np.minimum(s, t)[keep] * n + np.maximum(s, t)[keep])


def _actor_change(
    before: ClusterNetwork,
    after: ClusterNetwork,
    layers: list[str],
    actors: pd.DataFrame,
    seed: int,
) -> pd.DataFrame:
    ids = actors.index
    cb = _centrality(before, layers, seed).reindex(ids)
    ca = _centrality(after, layers, seed).reindex(ids)
    table = actors[["name", "kind", "status"]].copy()
    for col in cb.columns:
        table[f"{col}_before"] = cb[col].to_numpy()
        table[f"{col}_after"] = ca[col].to_numpy()
    rb = cb["pagerank"].rank(ascending=False, method="min")
    ra = ca["pagerank"].rank(ascending=False, method="min")
    table["rank_before"] = rb.astype("Int64")
    table["rank_after"] = ra.astype("Int64")
    table["rank_change"] = (rb - ra).astype("Int64")
    n = len(ids)
    kb = _partner_keys(before, [x for x in layers if x in before.layers], ids)
    ka = _partner_keys(after, [x for x in layers if x in after.layers], ids)

    def per_actor(keys: np.ndarray) -> np.ndarray:
        return np.bincount(keys // max(n, 1), minlength=n) + np.bincount(
            keys % max(n, 1), minlength=n
        )

    table["new_partners"] = per_actor(np.setdiff1d(ka, kb, assume_unique=True))
    table["lost_partners"] = per_actor(np.setdiff1d(kb, ka, assume_unique=True))
    table["kept_partners"] = per_actor(np.intersect1d(ka, kb, assume_unique=True))
    return table.sort_values(["rank_after", "rank_before"], na_position="last", kind="stable")


# ------------------------------------------------------------------ communities


def _memberships(
    before: ClusterNetwork,
    after: ClusterNetwork,
    groups: Any,
    layers: list[str],
    seed: int,
) -> tuple[pd.Series | None, pd.Series | None]:
    if groups is False:
        return None, None
    if groups is None:
        from clustermap.analysis.communities import find_communities

        out: list[pd.Series | None] = []
        for net in (before, after):
            mine = [x for x in layers if x in net.layers]
            if not mine or not len(net._edges[net._edges["layer"].isin(mine)]):
                out.append(None)
                continue
            out.append(find_communities(net, layers=mine, seed=seed).membership)
        return out[0], out[1]
    if isinstance(groups, tuple):
        if len(groups) != 2:
            msg = "`groups` as a tuple must hold two partitions: (before, after)"
            raise ConfigError(msg)
        return group_labels(before, groups[0]), group_labels(after, groups[1])
    return group_labels(before, groups), group_labels(after, groups)


def _community_tables(
    mb: pd.Series, ma: pd.Series, labels: tuple[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from clustermap.analysis.partition import compare_partitions

    mb = mb.dropna().astype(str)
    ma = ma.dropna().astype(str)
    ids = mb.index.union(ma.index, sort=False)
    cb = mb.reindex(ids).fillna("entered")
    ca = ma.reindex(ids).fillna("left")
    pairs = pd.DataFrame({"before": cb.to_numpy(), "after": ca.to_numpy()})
    flows = pairs.groupby(["before", "after"]).size().rename("actors").reset_index()
    flows = flows.sort_values("actors", ascending=False, kind="stable").reset_index(drop=True)

    overlap = pd.crosstab(
        mb.reindex(ids).rename("b"), ma.reindex(ids).rename("a")
    )  # stayers only (NaN dropped)
    size_b = mb.value_counts()
    size_a = ma.value_counts()
    overlap = overlap.reindex(index=size_b.index, columns=size_a.index, fill_value=0)
    inter = overlap.to_numpy(dtype=float)
    sb = size_b.to_numpy(dtype=float)[:, None]
    sa = size_a.to_numpy(dtype=float)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = inter / (sb + sa - inter)
        share = inter / np.minimum(sb, sa)
    big = (sb >= MIN_COMMUNITY) & (sa >= MIN_COMMUNITY)
    linked = big & (inter >= 2) & (share >= MATCH_SHARE)
    n_succ = linked.sum(axis=1)
    n_pred = linked.sum(axis=0)

    def rows(axis: int) -> pd.DataFrame:
        names = size_b.index if axis == 0 else size_a.index
        other = size_a.index if axis == 0 else size_b.index
        jac = jaccard if axis == 0 else jaccard.T
        link = linked if axis == 0 else linked.T
        ov = inter if axis == 0 else inter.T
        sizes = (size_b if axis == 0 else size_a).to_numpy()
        own = n_succ if axis == 0 else n_pred
        far = n_pred if axis == 0 else n_succ
        out = []
        for i, name in enumerate(names):
            best = int(np.nanargmax(jac[i])) if jac.shape[1] else -1
            matched = [str(other[int(j)]) for j in np.flatnonzero(link[i])]
            if sizes[i] < MIN_COMMUNITY:
                event = "small"
            elif own[i] == 0:
                event = "vanished" if axis == 0 else "appeared"
            elif own[i] >= 2:
                event = "split" if axis == 0 else "merged"
            else:
                j = int(np.flatnonzero(link[i])[0])
                event = ("merged" if axis == 0 else "split") if far[j] >= 2 else "continued"
            out.append(
                {
                    "period": labels[axis],
                    "community": str(name),
                    "size": int(sizes[i]),
                    "stayed": int(ov[i].sum()),
                    "best_match": str(other[best]) if best >= 0 and ov[i, best] > 0 else "",
                    "jaccard": float(jac[i, best]) if best >= 0 else float("nan"),
                    "matched": ", ".join(matched),
                    "event": event,
                }
            )
        return pd.DataFrame(out)

    communities = pd.concat([rows(0), rows(1)], ignore_index=True)
    stayed = mb.index.intersection(ma.index)
    if len(stayed) >= 2:  # the indices are undefined for fewer actors
        cmp = compare_partitions(mb.reindex(stayed), ma.reindex(stayed))
        figures = [cmp.ari, cmp.nmi, float(cmp.n_actors)]
    else:
        figures = [float("nan"), float("nan"), float(len(stayed))]
    agreement = pd.DataFrame(
        {"value": figures},
        index=pd.Index(["ari", "nmi", "actors_compared"], name="measure"),
    )
    return communities, flows, agreement


# ------------------------------------------------------------------ uncertainty


def _interval(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    alpha = (1 - LEVEL) / 2
    if not len(values):
        nan = np.full(values.shape[1] if values.ndim == 2 else 0, np.nan)
        return nan, nan
    with np.errstate(all="ignore"):
        finite = np.isfinite(values).any(axis=0)
        lo = np.full(values.shape[1], np.nan)
        hi = np.full(values.shape[1], np.nan)
        if finite.any():
            lo[finite] = np.nanquantile(values[:, finite], alpha, axis=0)
            hi[finite] = np.nanquantile(values[:, finite], 1 - alpha, axis=0)
    return lo, hi


def _vector(row: dict[str, float], keys: list[str]) -> np.ndarray:
    return np.array([row.get(k, np.nan) for k in keys], dtype=np.float64)


def _uncertainty(
    fb: Frame, fa: Frame, keys: list[str], bootstrap: int, null_models: int, seed: int
) -> dict[str, np.ndarray]:
    from clustermap.analysis.communities import seeded_igraph

    rng = np.random.default_rng(seed)
    observed = _vector(measure(fa), keys) - _vector(measure(fb), keys)
    boot = np.empty((bootstrap, len(keys)))
    for r in range(bootstrap):
        sb = resample(fb, rng.integers(fb.n, size=fb.n))
        sa = resample(fa, rng.integers(fa.n, size=fa.n))
        boot[r] = _vector(measure(sa), keys) - _vector(measure(sb), keys)
    lo, hi = _interval(boot)
    null = np.empty((null_models, len(keys)))
    with seeded_igraph(seed):
        for r in range(null_models):
            null[r] = _vector(measure(rewire(fa)), keys) - _vector(measure(rewire(fb)), keys)
    if null_models:
        with np.errstate(all="ignore"):
            centre = np.nanmean(null, axis=0)
            spread = np.nanmax(np.abs(null - observed), axis=0)
            extreme = np.abs(null - centre) >= np.abs(observed - centre) - 1e-12
            p = (1 + extreme.sum(axis=0)) / (null_models + 1)
        # the degrees fix it: rewiring never changes it, or it counts actors or ties
        fixed = ~(spread > 1e-12) | np.array([_degree_bound(k) for k in keys], dtype=bool)
        p = np.where(fixed | ~np.isfinite(centre), np.nan, p)
        centre = np.where(fixed, np.nan, centre)
    else:
        centre = np.full(len(keys), np.nan)
        p = np.full(len(keys), np.nan)
    return {"ci_low": lo, "ci_high": hi, "null_difference": centre, "null_p": p}


def _degree_bound(key: str) -> bool:
    """Whether rewiring that keeps every actor's partners per layer keeps this indicator."""
    if key in ("ties", "density", "mean_degree", "degree_centralisation"):
        return True
    base, _, inner = key.partition("[")
    return base == "actors" or (base == "ties" and inner.rstrip("]") not in KIND_PAIRS)


def _meaning(key: str) -> str:
    if key in INDICATORS:
        return INDICATORS[key]
    base, _, inner = key.partition("[")
    inner = inner.rstrip("]")
    if base == "actors":
        return f"actors of kind {inner}"
    if "-" in inner and inner in KIND_PAIRS:
        return f"distinct linked pairs between a {inner.replace('-', ' and a ')}"
    return f"distinct pairs linked in the {inner} layer"


# ------------------------------------------------------------------ public API


def _check_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        msg = f"`{name}` must be a whole number >= 0, not {value!r}"
        raise ConfigError(msg)
    return int(value)


def compare_networks(
    before: ClusterNetwork,
    after: ClusterNetwork,
    *,
    layers: str | Iterable[str] | None = None,
    groups: Groups | tuple[Groups, Groups] | bool | None = None,
    bootstrap: int = 200,
    null_models: int = 20,
    seed: int | None = None,
) -> NetworkComparison:
    """Say what changed between two networks of a cluster, and whether it is more than noise.

    Actors present are the rows of each network's node table: cut a dated
    network with :meth:`~clustermap.ClusterNetwork.snapshots` (which keeps
    the actors active in each period) or give two networks built apart
    (last year's and this year's supplier lists). Actors are matched by id.

    Uncertainty comes two ways. The **bootstrap** resamples the actors of
    each network with replacement (keeping the ties among the resampled
    actors; Snijders & Borgatti 1999, *Connections* 22:161) and recomputes
    every indicator: the 2.5 and 97.5 percentiles of the difference give a
    95 % interval, which answers "could this change come from which actors
    happened to be observed?". The **null model** rewires each network
    keeping every actor's number of partners in each layer (degree-preserving
    edge swaps, Maslov & Sneppen 2002, *Science* 296:910) and compares the
    real difference with the differences between rewired networks: a small
    ``null_p`` says the change in, say, clustering or local ties is more than
    the change in how many partners actors have would bring. Indicators that
    the degrees fix (actors, ties, density, centralisation) have no null test.
    Neither says *why* the network changed.

    Parameters
    ----------
    before, after : ClusterNetwork
        The two networks (periods, lists, snapshots).
    layers : str or list of str, optional
        Layers to compare; all layers of either network by default.
    groups : Partition, Series, str, pair of them, or False, optional
        Communities. ``None`` (default): found in each network with
        :func:`~clustermap.find_communities` (Leiden, ``seed``). A node
        column name (``"subcluster"``) or Series: the same grouping in both.
        A ``(before, after)`` pair of partitions or Series. ``False``: no
        community tables.
    bootstrap : int
        Bootstrap replicates (0: no intervals).
    null_models : int
        Rewired pairs of networks (0: no null model).
    seed : int, optional
        Seed of the bootstrap, the rewiring, community detection and sampled
        betweenness (default ``settings.seed``); it is in the provenance.

    Returns
    -------
    NetworkComparison

    Raises
    ------
    EmptyNetworkError
        When either network has no actors.
    ConfigError
        For unknown layers or bad options.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": list("abcu"), "name": list("ABCU"),
    ...      "kind": ["firm", "firm", "supplier", "institution"]},
    ...     {"source": ["a", "b", "a", "a", "c"], "target": ["b", "c", "u", "c", "u"],
    ...      "layer": "knowledge", "year": [2018, 2018, 2018, 2019, 2019]},
    ... )
    >>> periods = net.snapshots()
    >>> cmp = cm.compare_networks(periods["2018"], periods["2019"], bootstrap=0,
    ...                           null_models=0, groups=False)
    >>> cmp.actors["status"].to_dict()
    {'a': 'stayed', 'b': 'left', 'c': 'stayed', 'u': 'stayed'}
    >>> cmp.ties["change"].value_counts().to_dict()
    {'dissolved': 3, 'formed': 2}
    >>> cmp.indicators.loc["ties", ["before", "after", "difference"]].tolist()
    [3.0, 2.0, -1.0]
    """
    from clustermap import settings

    for name, net in (("before", before), ("after", after)):
        if not isinstance(net, ClusterNetwork):
            msg = f"`{name}` must be a ClusterNetwork, not {type(net).__name__}"
            raise ConfigError(msg)
        if net.n_nodes == 0:
            msg = f"`{name}` has no actors: there is nothing to compare (is the period empty?)"
            raise EmptyNetworkError(msg)
    bootstrap = _check_count(bootstrap, "bootstrap")
    null_models = _check_count(null_models, "null_models")
    seed = settings.seed if seed is None else int(seed)
    layer_list = _layers_of([before, after], layers)
    labels = (str(before.meta.get("period", "before")), str(after.meta.get("period", "after")))
    if labels[0] == labels[1]:
        labels = ("before", "after")

    actors = _actors(before, after)
    ties = _ties(before, after, layer_list, actors)
    mb, ma = _memberships(before, after, groups, layer_list, seed)

    regions = pd.Index([])
    for net in (before, after):
        if "region" in net._nodes.columns:
            regions = regions.append(pd.Index(net._nodes["region"].dropna().astype(str)))
    region_index = regions.unique() if len(regions) else None
    fb = frame_of(before, layer_list, groups=mb, region_index=region_index)
    fa = frame_of(after, layer_list, groups=ma, region_index=region_index)
    if (fb.group is None) != (fa.group is None):
        fb = Frame(**{**fb.__dict__, "group": None})
        fa = Frame(**{**fa.__dict__, "group": None})
    if (fb.region is None) != (fa.region is None):
        fb = Frame(**{**fb.__dict__, "region": None})
        fa = Frame(**{**fa.__dict__, "region": None})
    row_b, row_a = measure(fb), measure(fa)
    keys = list(dict.fromkeys([*row_b, *row_a]))
    vb, va = _vector(row_b, keys), _vector(row_a, keys)
    extra = _uncertainty(fb, fa, keys, bootstrap, null_models, seed)
    indicators = pd.DataFrame(
        {"before": vb, "after": va, "difference": va - vb, **extra},
        index=pd.Index(keys, name="indicator"),
    )
    indicators["meaning"] = [_meaning(k) for k in keys]

    communities = flows = agreement = None
    if mb is not None and ma is not None:
        communities, flows, agreement = _community_tables(mb, ma, labels)

    parameters = {
        "labels": list(labels),
        "groups": "found with find_communities (leiden)"
        if groups is None
        else ("none" if groups is False else _describe_groups(groups)),
        "bootstrap": bootstrap,
        "null_models": null_models,
        "level": LEVEL,
        "match_share": MATCH_SHARE,
        "min_community": MIN_COMMUNITY,
    }
    record = stamp(
        pd.DataFrame(),
        method="compare_networks",
        parameters=parameters,
        seed=seed,
        layers=layer_list,
        periods=f"{labels[0]} vs {labels[1]}",
    ).attrs
    tables: dict[str, pd.DataFrame | None] = {
        "actors": actors,
        "actor_counts": _actor_counts(actors),
        "ties": ties,
        "tie_counts": _tie_counts(ties, layer_list),
        "indicators": indicators,
        "actor_change": _actor_change(before, after, layer_list, actors, seed),
        "communities": communities,
        "community_flows": flows,
        "community_agreement": agreement,
    }
    for table in tables.values():
        if table is not None:
            table.attrs.update(dict(record))
    log.info("compare_networks: %s", labels)
    return NetworkComparison(
        before=before,
        after=after,
        labels=labels,
        provenance=dict(record),
        **tables,  # type: ignore[arg-type]
    )
