"""Indicators of a cluster's shape, period by period: :func:`network_indicators`.

Each indicator answers a question a cluster manager asks when the cluster
changes: are there more actors and ties, is it denser, more clustered, more
connected, do firms work with institutions, do ties stay inside sub-clusters
or the region, how many firms are close to an institution, is it organised
around a few hubs?

The same computation serves :func:`~clustermap.compare_networks`, which also
resamples actors (bootstrap) and rewires ties (null model); so it runs on a
compact array form of a network (:class:`Frame`) rather than on the tables.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from clustermap._provenance import stamp
from clustermap.analysis.partition import Partition
from clustermap.errors import ConfigError, EmptyNetworkError
from clustermap.graphs._lookup import positions
from clustermap.graphs.network import ClusterNetwork
from clustermap.graphs.selection import KINDS

__all__ = ["INDICATORS", "network_indicators"]

log = logging.getLogger(__name__)

Groups = Partition | pd.Series | str

#: Kind pairs, in the order of :data:`KINDS` (``firm-supplier``, not ``supplier-firm``).
KIND_PAIRS: tuple[str, ...] = tuple(
    f"{a}-{b}" for a, b in itertools.combinations_with_replacement(KINDS, 2)
)

#: What each indicator means, in plain words (``[...]`` columns share one entry).
INDICATORS: dict[str, str] = {
    "actors": "actors present in the period",
    "actors[kind]": "actors of this kind (firm, supplier, institution)",
    "ties": "distinct pairs of actors linked, direction and layer dropped",
    "ties[layer]": "distinct pairs linked in this layer",
    "ties[kind-kind]": "distinct linked pairs between these two kinds",
    "density": "ties over possible pairs, n(n-1)/2: how much of the possible collaboration exists",
    "mean_degree": "average number of partners per actor, 2 ties / actors",
    "clustering": (
        "share of an actor's pairs of partners that are partners too (global transitivity, "
        "3 x triangles / connected triples): how much partners know each other"
    ),
    "components": "separate groups with no tie between them (an isolated actor is one)",
    "largest_component_share": "share of actors in the largest connected group",
    "firm_institution_share": (
        "share of ties between a firm (firm or supplier) and an institution: how much "
        "business works with universities, research centres and public bodies"
    ),
    "community_inside_share": (
        "share of ties inside a community (sub-cluster) rather than across, among ties whose "
        "two ends have a community"
    ),
    "local_share": (
        "share of ties between actors of the same region, among ties whose two ends have one"
    ),
    "institution_reach": (
        "share of firms (firms and suppliers) at most two steps from an institution: how many "
        "firms knowledge from institutions can reach through one intermediary"
    ),
    "degree_centralisation": (
        "Freeman degree centralisation, sum(max k - k_i) / ((n-1)(n-2)): 1 for a star, "
        "0 when every actor has as many partners"
    ),
}


# ------------------------------------------------------------------ compact form


@dataclass(frozen=True)
class Frame:
    """A network reduced to what the indicators need (undirected, distinct pairs).

    Attributes
    ----------
    n : int
        Actors.
    kind : numpy.ndarray
        Kind code per actor (index into :data:`KINDS`; -1 for other kinds).
    region, group : numpy.ndarray or None
        Region / community code per actor (-1: unknown); None when absent.
    u, v : numpy.ndarray
        Endpoints of the distinct (pair, layer) ties, ``u < v``.
    layer : numpy.ndarray
        Layer code of each tie (index into ``layers``).
    layers : tuple of str
        The layers.
    """

    n: int
    kind: np.ndarray
    region: np.ndarray | None
    group: np.ndarray | None
    u: np.ndarray
    v: np.ndarray
    layer: np.ndarray
    layers: tuple[str, ...]


def _codes(values: pd.Series, categories: pd.Index) -> np.ndarray:
    return np.asarray(positions(categories, values.astype(str)), dtype=np.int64)


def group_labels(net: ClusterNetwork, groups: Groups | None) -> pd.Series | None:
    """The community label of each actor of ``net`` (NaN: none), or None."""
    if groups is None:
        return None
    if isinstance(groups, Partition):
        return groups.membership.reindex(net._nodes.index)
    if isinstance(groups, pd.Series):
        return groups.reindex(net._nodes.index)
    if isinstance(groups, str):
        if groups not in net._nodes.columns:
            cols = ", ".join(map(repr, net._nodes.columns))
            msg = f"`groups={groups!r}` is not a node column; columns are: {cols}"
            raise ConfigError(msg)
        return net._nodes[groups]
    msg = (
        "`groups` must be a Partition, a Series (id -> community) or a node column name, "
        f"not {type(groups).__name__}"
    )
    raise ConfigError(msg)


def frame_of(
    net: ClusterNetwork,
    layers: Iterable[str],
    *,
    groups: pd.Series | None = None,
    group_index: pd.Index | None = None,
    region_index: pd.Index | None = None,
) -> Frame:
    """The compact form of ``net`` over ``layers`` (which it must know)."""
    layers = tuple(layers)
    nodes = net._nodes
    n = len(nodes)
    kind = _codes(nodes["kind"], pd.Index(KINDS))
    region = None
    if "region" in nodes.columns:
        r = nodes["region"]
        index = region_index if region_index is not None else pd.Index(r.dropna().astype(str))
        region = np.where(r.notna().to_numpy(), _codes(r.fillna(""), index.unique()), -1)
    group = None
    if groups is not None:
        index = group_index if group_index is not None else pd.Index(groups.dropna().astype(str))
        group = np.where(groups.notna().to_numpy(), _codes(groups.fillna(""), index.unique()), -1)
    e = net._edges
    e = e[e["layer"].isin(layers)]
    s = positions(nodes.index, e["source"])
    t = positions(nodes.index, e["target"])
    lay = _codes(e["layer"], pd.Index(layers))
    u, v = np.minimum(s, t), np.maximum(s, t)
    keep = u != v
    key = unique_keys((lay[keep] * max(n, 1) + u[keep]) * max(n, 1) + v[keep])
    nn = max(n, 1)
    return Frame(
        n=n,
        kind=kind,
        region=region,
        group=group,
        u=(key // nn) % nn,
        v=key % nn,
        layer=key // (nn * nn),
        layers=layers,
    )


def unique_keys(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct integer keys (a sort beats numpy's hash-based unique here)."""
    k = np.sort(keys)
    if len(k):
        k = k[np.concatenate([[True], k[1:] != k[:-1]])]
    return k


def _pairs(frame: Frame) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pairs over every layer."""
    nn = max(frame.n, 1)
    key = unique_keys(frame.u * nn + frame.v)
    return key // nn, key % nn


def _share(hit: np.ndarray, valid: np.ndarray | None = None) -> float:
    if valid is not None:
        hit = hit[valid]
    return float(hit.mean()) if len(hit) else float("nan")


def measure(frame: Frame) -> dict[str, float]:
    """Every indicator of one period, from its compact form."""
    n = frame.n
    u, v = _pairs(frame)
    m = len(u)
    out: dict[str, float] = {"actors": float(n)}
    kind_counts = np.bincount(frame.kind[frame.kind >= 0], minlength=len(KINDS))
    for name, count in zip(KINDS, kind_counts.tolist(), strict=True):
        out[f"actors[{name}]"] = float(count)
    out["ties"] = float(m)
    per_layer = np.bincount(frame.layer, minlength=len(frame.layers))
    for name, count in zip(frame.layers, per_layer.tolist(), strict=True):
        out[f"ties[{name}]"] = float(count)
    ku, kv = frame.kind[u], frame.kind[v]
    lo, hi = np.minimum(ku, kv), np.maximum(ku, kv)
    k = len(KINDS)
    pair_code = np.where(lo >= 0, lo * k + hi, -1)
    pair_counts = np.bincount(pair_code[pair_code >= 0], minlength=k * k)
    for a, b in itertools.combinations_with_replacement(range(k), 2):
        out[f"ties[{KINDS[a]}-{KINDS[b]}]"] = float(pair_counts[a * k + b])
    out["density"] = m / (n * (n - 1) / 2) if n > 1 else float("nan")
    out["mean_degree"] = 2 * m / n if n else float("nan")
    if n:
        g = ig.Graph(n=n)
        g.add_edges(zip(u.tolist(), v.tolist(), strict=True))
        out["clustering"] = float(g.transitivity_undirected(mode="nan"))
        adj = coo_matrix((np.ones(m), (u, v)), shape=(n, n))
        n_comp, labels = connected_components(adj, directed=False)
        out["components"] = float(n_comp)
        out["largest_component_share"] = float(np.bincount(labels).max() / n)
    else:
        out.update(clustering=np.nan, components=0.0, largest_component_share=np.nan)
    firmish = np.isin(frame.kind, (KINDS.index("firm"), KINDS.index("supplier")))
    inst = frame.kind == KINDS.index("institution")
    out["firm_institution_share"] = _share((firmish[u] & inst[v]) | (inst[u] & firmish[v]))
    if frame.group is not None:
        gu, gv = frame.group[u], frame.group[v]
        out["community_inside_share"] = _share(gu == gv, (gu >= 0) & (gv >= 0))
    if frame.region is not None:
        ru, rv = frame.region[u], frame.region[v]
        out["local_share"] = _share(ru == rv, (ru >= 0) & (rv >= 0))
    near = inst.copy()
    for _ in range(2):
        step = near.copy()
        step[u[near[v]]] = True
        step[v[near[u]]] = True
        near = step
    out["institution_reach"] = _share(near[firmish]) if firmish.any() else float("nan")
    if n > 2:
        deg = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
        out["degree_centralisation"] = float((deg.max() - deg).sum() / ((n - 1) * (n - 2)))
    else:
        out["degree_centralisation"] = float("nan")
    return out


def resample(frame: Frame, idx: np.ndarray) -> Frame:
    """The network of a bootstrap sample of actors ``idx`` (drawn with replacement).

    Copies of two different actors are tied when the actors are; copies of
    the same actor are not tied to each other (Snijders & Borgatti 1999).
    """
    n = len(idx)
    order = np.argsort(idx, kind="stable")
    count = np.bincount(idx, minlength=frame.n)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    cu, cv = count[frame.u], count[frame.v]
    reps = cu * cv
    tie = np.repeat(np.arange(len(frame.u)), reps)
    offset = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    a = order[start[frame.u[tie]] + offset // cv[tie]]
    b = order[start[frame.v[tie]] + offset % cv[tie]]
    return Frame(
        n=n,
        kind=frame.kind[idx],
        region=None if frame.region is None else frame.region[idx],
        group=None if frame.group is None else frame.group[idx],
        u=np.minimum(a, b),
        v=np.maximum(a, b),
        layer=frame.layer[tie],
        layers=frame.layers,
    )


def rewire(frame: Frame) -> Frame:
    """Degree-preserving rewiring of each layer (igraph's edge swaps, 10 per tie).

    Run inside :func:`~clustermap.analysis.communities.seeded_igraph` for
    reproducible draws.
    """
    from clustermap.analysis.communities import _igraph_warnings

    us, vs, ls = [], [], []
    for code in range(len(frame.layers)):
        pick = frame.layer == code
        if pick.sum() < 2:
            us.append(frame.u[pick])
            vs.append(frame.v[pick])
            ls.append(frame.layer[pick])
            continue
        g = ig.Graph(n=frame.n)
        g.add_edges(zip(frame.u[pick].tolist(), frame.v[pick].tolist(), strict=True))
        with _igraph_warnings():
            g.rewire(n=10 * g.ecount())
        e = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        us.append(e.min(axis=1))
        vs.append(e.max(axis=1))
        ls.append(np.full(len(e), code, dtype=np.int64))
    return replace(frame, u=np.concatenate(us), v=np.concatenate(vs), layer=np.concatenate(ls))


# ------------------------------------------------------------------ public API


def _layers_of(nets: Iterable[ClusterNetwork], layers: str | Iterable[str] | None) -> list[str]:
    known: dict[str, None] = {}
    for net in nets:
        known.update(dict.fromkeys(net.layers))
    if layers is None:
        return list(known)
    wanted = [layers] if isinstance(layers, str) else list(dict.fromkeys(layers))
    unknown = [x for x in wanted if x not in known]
    if unknown:
        allowed = ", ".join(map(repr, known)) or "none"
        msg = f"unknown layer(s) {unknown}; `layers` must be among {allowed}"
        raise ConfigError(msg)
    return wanted


def indicator_table(rows: Mapping[str, Mapping[str, float]], index_name: str) -> pd.DataFrame:
    """Rows of :func:`measure` as a table, columns in a fixed order."""
    table = pd.DataFrame.from_dict(dict(rows), orient="index")
    table.index.name = index_name
    return table.astype("float64")


def network_indicators(
    net_or_snapshots: ClusterNetwork | Mapping[str, ClusterNetwork],
    *,
    layers: str | Iterable[str] | None = None,
    groups: Groups | None = None,
) -> pd.DataFrame:
    """Measure the cluster's shape in each period: one row per period, one column per indicator.

    Give it ``net.snapshots(by="year")`` to follow a cluster year by year, or
    one network for a single row. Columns (plain meanings in
    :data:`INDICATORS`):

    - ``actors``, ``actors[firm]``, ``actors[supplier]``, ``actors[institution]``;
    - ``ties`` (distinct linked pairs, direction and layer dropped),
      ``ties[<layer>]`` and ``ties[<kind>-<kind>]`` (``ties[firm-institution]``...);
    - ``density`` (ties / possible pairs), ``mean_degree`` (2 ties / actors);
    - ``clustering``: global transitivity, 3 x triangles / connected triples
      (Wasserman & Faust 1994); empty without any triple;
    - ``components`` and ``largest_component_share``;
    - ``firm_institution_share``: ties between a firm or supplier and an institution;
    - ``community_inside_share`` (only with ``groups``): ties inside a community;
    - ``local_share`` (only with a ``region`` column): ties within a region;
    - ``institution_reach``: share of firms and suppliers at most two steps
      from an institution (any path, over the selected layers);
    - ``degree_centralisation``: Freeman (1979) degree centralisation.

    Every indicator reads the network undirected, with parallel links and
    layers merged into one tie per pair (``ties[<layer>]`` counts per layer).
    A period's actors are the rows of its node table (see
    :meth:`~clustermap.ClusterNetwork.snapshots`, which keeps only the actors
    active in the period).

    Parameters
    ----------
    net_or_snapshots : ClusterNetwork or dict of label to ClusterNetwork
        One network, or periods in order (the index keeps their labels).
    layers : str or list of str, optional
        Layers to read; all by default.
    groups : Partition, Series or str, optional
        Communities for ``community_inside_share``: a partition, a Series
        (id -> community) covering the actors of every period, or the name of
        a node column (``"subcluster"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period``; stamped with how it was made.

    Raises
    ------
    EmptyNetworkError
        When no period is given.
    ConfigError
        For an unknown layer or a ``groups`` that is not a partition,
        Series or node column.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": list("abcu"), "name": list("ABCU"),
    ...      "kind": ["firm", "firm", "supplier", "institution"]},
    ...     {"source": ["a", "b", "a", "a", "c"], "target": ["b", "c", "u", "c", "u"],
    ...      "layer": "knowledge", "year": [2018, 2018, 2018, 2019, 2019]},
    ... )
    >>> table = cm.network_indicators(net.snapshots())
    >>> table.index.tolist()
    ['2018', '2019']
    >>> table[["actors", "ties", "density", "firm_institution_share"]].round(3).values.tolist()
    [[4.0, 3.0, 0.5, 0.333], [3.0, 2.0, 0.667, 0.5]]
    """
    if isinstance(net_or_snapshots, ClusterNetwork):
        label = str(net_or_snapshots.meta.get("period", "network"))
        periods: dict[str, ClusterNetwork] = {label: net_or_snapshots}
    elif isinstance(net_or_snapshots, Mapping):
        periods = {str(k): v for k, v in net_or_snapshots.items()}
        bad = [k for k, v in periods.items() if not isinstance(v, ClusterNetwork)]
        if bad:
            msg = f"every period must be a ClusterNetwork; {bad[:5]} are not"
            raise ConfigError(msg)
    else:
        msg = (
            "`net_or_snapshots` must be a ClusterNetwork or a dict of them "
            f"(net.snapshots()), not {type(net_or_snapshots).__name__}"
        )
        raise ConfigError(msg)
    if not periods:
        msg = "no period to measure (the snapshots are empty)"
        raise EmptyNetworkError(msg)
    layer_list = _layers_of(periods.values(), layers)
    labels = {k: group_labels(v, groups) for k, v in periods.items()}
    rows = {k: measure(frame_of(v, layer_list, groups=labels[k])) for k, v in periods.items()}
    table = indicator_table(rows, "period")
    log.info("network_indicators: %d periods, %d indicators", len(table), table.shape[1])
    return stamp(
        table,
        method="network_indicators",
        parameters={
            "groups": None if groups is None else _describe_groups(groups),
            "periods": list(periods),
        },
        layers=layer_list,
        meanings=INDICATORS,
    )


def _describe_groups(groups: Any) -> str:
    if isinstance(groups, str):
        return f"node column {groups!r}"
    if isinstance(groups, Partition):
        return f"partition ({groups.method}, seed {groups.seed})"
    return "a Series of community labels"
