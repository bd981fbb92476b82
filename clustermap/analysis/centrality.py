"""Who holds the cluster together: centrality measures for every actor.

:func:`centrality` returns one table with a column per measure, computed by
igraph on the network's cached views. The conventions, shared with the rest
of clustermap:

- ``weight`` is a tie's strength. Wherever a measure needs a path length
  (betweenness, closeness, harmonic closeness) the length of a link is
  ``1 / weight``: a strong tie is a short step.
- The *directed view* of the selected layers keeps the direction of directed
  layers (supply runs supplier -> buyer) and turns each undirected tie into
  two arcs; it is used when any selected layer is directed. The *undirected
  view* drops direction and merges both directions of a pair into one tie of
  summed weight.
- Normalisations follow networkx, so that results can be compared with it
  one to one (the docstring of :func:`centrality` lists them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

from clustermap import settings
from clustermap._memory import check_memory
from clustermap._provenance import stamp
from clustermap.analysis._betweenness import betweenness as shared_betweenness
from clustermap.analysis._centrality_tools import (
    actor_table,
    checked_layers,
    igraph_quiet,
    path_lengths,
    require_actors,
    sample_sources,
    used_layers,
    view_bytes,
)
from clustermap.analysis.communities import seeded_igraph
from clustermap.errors import ConfigError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["DEFAULT_MEASURES", "MEASURES", "centrality"]

log = logging.getLogger(__name__)

#: Every measure :func:`centrality` knows, in the order of its columns.
MEASURES: tuple[str, ...] = (
    "degree",
    "in_degree",
    "out_degree",
    "strength",
    "in_strength",
    "out_strength",
    "betweenness",
    "pagerank",
    "eigenvector",
    "coreness",
    "closeness",
    "harmonic",
)
#: The default set; ``in_``/``out_`` variants join it when a selected layer is directed.
DEFAULT_MEASURES: tuple[str, ...] = (
    "degree",
    "strength",
    "betweenness",
    "pagerank",
    "eigenvector",
    "coreness",
)
_DIRECTED_ONLY = ("in_degree", "out_degree", "in_strength", "out_strength")
_DISTANCE_CHUNK = 4_000_000  # distance-matrix cells held at once by sampled closeness
_PAGERANK_TOL = 1e-13
_PAGERANK_MAX_ITER = 1_000


def _wanted_measures(measures: str | Iterable[str] | None, directed: bool) -> list[str]:
    if measures is None:
        wanted = list(DEFAULT_MEASURES)
        if directed:
            wanted[1:1] = ["in_degree", "out_degree"]
            wanted[4:4] = ["in_strength", "out_strength"]
        return wanted
    asked = [measures] if isinstance(measures, str) else list(dict.fromkeys(measures))
    if not asked:
        msg = "`measures` is empty; name at least one of " + ", ".join(map(repr, MEASURES))
        raise ConfigError(msg)
    unknown = [m for m in asked if m not in MEASURES]
    if unknown:
        msg = (
            f"unknown measure(s) {', '.join(map(repr, unknown))}; "
            f"`measures` must be among {', '.join(map(repr, MEASURES))}"
        )
        raise ConfigError(msg)
    if not directed:
        needs = [m for m in asked if m in _DIRECTED_ONLY]
        if needs:
            allowed = [m for m in MEASURES if m not in _DIRECTED_ONLY]
            msg = (
                f"`measures` asks for {', '.join(map(repr, needs))}, which need a directed "
                f"layer, and every selected layer is undirected; on these layers `measures` "
                f"must be among {', '.join(map(repr, allowed))}"
            )
            raise ConfigError(msg)
    return [m for m in MEASURES if m in asked]


def _arc_count(net: ClusterNetwork, layers: list[str] | None, directed: bool) -> int:
    """Arcs of the directed view (an undirected link counts twice), from the edge table."""
    counts = net._edges["layer"].value_counts()
    names = list(counts.index) if layers is None else [x for x in layers if x in counts.index]
    twice = [x for x in names if not (directed and net.directed[x])]
    return int(counts[names].sum() + counts[twice].sum())


def _check_memory(
    net: ClusterNetwork, layers: list[str] | None, directed: bool, wanted: list[str]
) -> None:
    """Stop with a clear MemoryError before building views that would not fit."""
    arcs = _arc_count(net, layers, directed)
    need = view_bytes(net, layers, None, arcs)
    if {"degree", "strength", "eigenvector", "coreness"} & set(wanted):
        need += view_bytes(net, layers, False, arcs // 2)
    need += 8.0 * net.n_nodes * (len(wanted) + 12)
    check_memory(
        f"centrality ({net.n_nodes:,} actors, {arcs:,} arcs)",
        need,
        "Ask for fewer measures (`measures=`), select fewer layers (`layers=`) or a part "
        "of the network (`net.select(...)`).",
    )


def _array(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def _degree_scale(n: int, normalized: bool) -> float:
    """Scale of degrees: ``degree_centrality`` in networkx divides by ``n - 1``."""
    return 1.0 / (n - 1) if normalized and n > 1 else 1.0


def _sample_count(g: ig.Graph) -> int:
    """Sampled sources for estimates: ``settings.betweenness_samples``, fewer on huge graphs.

    Each sampled source costs one shortest-path search over every arc, so the
    count is capped at ``settings.betweenness_arc_budget / arcs`` (never below
    ``settings.betweenness_min_samples``): a million actors with five million
    links then take minutes rather than half an hour, at a wider error, which
    the result records with the sample size.
    """
    arcs = g.ecount() * (1 if g.is_directed() else 2)
    budget = settings.betweenness_arc_budget // max(arcs, 1)
    return int(min(settings.betweenness_samples, max(settings.betweenness_min_samples, budget)))


def _betweenness(
    net: ClusterNetwork,
    g: ig.Graph,
    layers: list[str] | None,
    *,
    weighted: bool,
    normalized: bool,
    seed: int,
) -> tuple[np.ndarray, dict[str, Any]]:
    n = g.vcount()
    raw = shared_betweenness(net, g, layers, weighted=weighted, seed=seed)
    values = raw.scores.copy()
    if normalized and n > 2:
        # igraph counts each pair once on undirected graphs, as networkx does
        # before normalising; networkx then divides by the number of pairs.
        pairs = (n - 1) * (n - 2) / (1.0 if g.is_directed() else 2.0)
        values /= pairs
    return values, dict(raw.info)


def _pagerank(
    g: ig.Graph, ends: tuple[np.ndarray, np.ndarray], weighted: bool, damping: float = 0.85
) -> np.ndarray:
    """PageRank by power iteration on a sparse matrix, as networkx defines it.

    igraph's PRPACK solver sums in parallel threads, so its last bits change
    from run to run; a sequential sparse product gives the same bytes every
    time. Actors without outgoing arcs spread their score over everyone.
    Iterates until the scores move by less than 1e-13 in total (about 190
    products), far below networkx's own tolerance.
    """
    n = g.vcount()
    src, dst = ends
    weight = np.asarray(g.es["weight"], dtype=np.float64) if weighted else np.ones(len(src))
    if not g.is_directed():
        src, dst, weight = np.r_[src, dst], np.r_[dst, src], np.r_[weight, weight]
        loop = np.r_[np.zeros(len(ends[0]), bool), ends[0] == ends[1]]
        src, dst, weight = src[~loop], dst[~loop], weight[~loop]  # a loop counts once
    a = sp.csr_array((weight, (src, dst)), shape=(n, n))
    out = np.asarray(a.sum(axis=1), dtype=np.float64).ravel()
    dangling = out == 0
    with np.errstate(divide="ignore"):
        step = np.where(dangling, 0.0, 1.0 / out)
    walk = (sp.diags_array(step) @ a).T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(_PAGERANK_MAX_ITER):
        spread = (damping * float(x[dangling].sum()) + (1.0 - damping)) / n
        nxt = damping * (walk @ x) + spread
        change = float(np.abs(nxt - x).sum())
        x = nxt
        if change < _PAGERANK_TOL:
            break
    else:
        log.info("pagerank: stopped after %d iterations", _PAGERANK_MAX_ITER)
    return x / x.sum()


def _reach_counts(g: ig.Graph) -> np.ndarray:
    """How many other actors can reach each actor (along arcs on directed graphs)."""
    n = g.vcount()
    if not g.is_directed():
        membership = np.asarray(g.connected_components().membership)
        return np.bincount(membership, minlength=n)[membership] - 1.0
    with igraph_quiet("closeness"):
        sizes = g.neighborhood_size(order=n, mode="in")
    return _array(sizes) - 1.0


def _closeness_exact(
    g: ig.Graph, lengths: list[float] | None, normalized: bool, want: set[str]
) -> dict[str, np.ndarray]:
    n = g.vcount()
    out: dict[str, np.ndarray] = {}
    with igraph_quiet("closeness"):
        if "closeness" in want:
            within = _array(g.closeness(mode="in", weights=lengths, normalized=True))
            reach = _reach_counts(g)
            scale = reach / (n - 1) if n > 1 else np.zeros(n)
            out["closeness"] = np.nan_to_num(within * scale, nan=0.0)
        if "harmonic" in want:
            out["harmonic"] = _array(
                g.harmonic_centrality(mode="in", weights=lengths, normalized=normalized)
            )
    return out


def _closeness_sampled(
    g: ig.Graph,
    lengths: list[float] | None,
    normalized: bool,
    want: set[str],
    sources: np.ndarray,
) -> dict[str, np.ndarray]:
    """Estimate closeness from the distances of sampled sources to every actor.

    With ``c_v`` sampled sources reaching ``v`` at total distance ``D_v`` and
    ``k_v`` sampled sources other than ``v``: the reachable share is
    ``c_v / k_v`` and the mean distance ``D_v / c_v``, so closeness
    (networkx's Wasserman-Faust form) is ``(c_v / D_v) * (c_v / k_v)`` and
    harmonic closeness ``(n - 1) / k_v * sum(1 / d)`` (or its mean).
    """
    n = g.vcount()
    count = np.zeros(n)
    total = np.zeros(n)
    inverse = np.zeros(n)
    chunk = max(1, _DISTANCE_CHUNK // max(n, 1))
    with igraph_quiet("closeness"):
        for start in range(0, len(sources), chunk):
            block = sources[start : start + chunk].tolist()
            dist = np.asarray(g.distances(source=block, weights=lengths, mode="out"))
            reached = np.isfinite(dist) & (dist > 0)
            safe = np.where(reached, dist, 1.0)
            count += reached.sum(axis=0)
            total += np.where(reached, dist, 0.0).sum(axis=0)
            inverse += np.where(reached, 1.0 / safe, 0.0).sum(axis=0)
    others = len(sources) - np.isin(np.arange(n), sources).astype(np.float64)
    others = np.maximum(others, 1.0)
    out: dict[str, np.ndarray] = {}
    if "closeness" in want:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (count / total) * (count / others)
        out["closeness"] = np.nan_to_num(value, nan=0.0)
    if "harmonic" in want:
        mean = inverse / others
        out["harmonic"] = mean if normalized else mean * (n - 1)
    return out


def _eigenvector(g: ig.Graph, weighted: bool) -> np.ndarray:
    n = g.vcount()
    with igraph_quiet("eigenvector"):
        values = _array(g.eigenvector_centrality(weights="weight" if weighted else None))
    values = np.abs(values)
    values[values < 1e-12 * max(values.max(initial=0.0), 1.0)] = 0.0
    norm = float(np.sqrt((values**2).sum()))
    return values / norm if norm > 0 else np.full(n, 1.0 / np.sqrt(max(n, 1)))


def centrality(
    net: ClusterNetwork,
    *,
    measures: str | Iterable[str] | None = None,
    layers: str | Iterable[str] | None = None,
    weighted: bool = True,
    normalized: bool = True,
    seed: int | None = None,
) -> pd.DataFrame:
    """Score every actor on how central it is: how many ties, how often in between, how close.

    A cluster manager reads the columns as answers to plain questions: who
    has the most partners (``degree``, ``strength``), who sits on the paths
    between others (``betweenness``), who receives supply from well-supplied
    actors (``pagerank``), who is tied to other well-tied actors
    (``eigenvector``), who belongs to the densest core (``coreness``), and
    who can reach everyone quickly (``closeness``, ``harmonic``).

    Measures, with the view they use and how they match networkx:

    ========================== ========== ==================================================
    column                     view       definition (networkx equivalent)
    ========================== ========== ==================================================
    degree                     undirected distinct partners k_i; / (n-1) when normalised
                                          (``degree_centrality``)
    in_degree, out_degree      directed   suppliers / buyers, likewise
                                          (``in_degree_centrality``, ``out_degree_centrality``)
    strength                   undirected s_i = sum_j w_ij, never normalised
                                          (``G.degree(weight="weight")``)
    in_strength, out_strength  directed   the same over incoming / outgoing arcs
    betweenness                directed   sum over pairs s != t of sigma_st(i) / sigma_st,
                                          paths of length sum(1 / w); normalised by
                                          (n-1)(n-2) directed, (n-1)(n-2)/2 undirected
                                          (``betweenness_centrality(weight="distance")``)
    pagerank                   directed   random walk along the arcs (from supplier to
                                          buyer) with probability w_ij / s_i, damping 0.85;
                                          sums to 1 (``pagerank(alpha=0.85)``)
    eigenvector                undirected x_i proportional to sum_j w_ij x_j, unit Euclidean
                                          length (``eigenvector_centrality``)
    coreness                   undirected the largest k such that i is in the k-core
                                          (``core_number``)
    closeness                  directed   (r-1)/sum_j d(j, i) * (r-1)/(n-1), r-1 actors
                                          reaching i, d = sum of 1/w (``closeness_centrality``
                                          with ``wf_improved=True``; incoming distances)
    harmonic                   directed   sum_j 1 / d(j, i); / (n-1) when normalised
                                          (``harmonic_centrality``, incoming distances)
    ========================== ========== ==================================================

    "Directed" means the directed view when any selected layer is directed
    (an undirected tie counts as two arcs) and the undirected view otherwise.
    With ``weighted=False`` every tie has length 1 and weight 1 in
    betweenness, PageRank, eigenvector, closeness and harmonic; strength is
    by definition the sum of weights and always uses them.

    Where the definitions differ from networkx, on purpose: eigenvector
    centrality is the leading eigenvector of the whole network, so actors
    outside the component that carries it score 0 (networkx's power
    iteration stops while they still hold small leftovers, and is only
    comparable on connected networks); igraph's closeness leaves actors
    that nobody reaches undefined, here they score 0 as in networkx.
    igraph treats two paths whose lengths differ only by rounding error
    (1/3 + 1/6 against 1/2) as equally short and splits betweenness between
    them; networkx compares the floating-point sums exactly and may not.

    Betweenness is exact up to ``settings.exact_betweenness_max_nodes``
    actors. Above, it is estimated from sampled source actors (Brandes &
    Pich 2007; networkx's ``k=``): the paths from each sampled source are
    counted exactly and the total is scaled by n / k, an unbiased estimate.
    The sample grows in rounds (``settings.betweenness_min_samples``, then
    doubling) and stops as soon as the ranking of the top actors is stable,
    the idea of KADABRA (Borassi & Natale 2016): the sources are split into
    two independent halves, run side by side in two processes
    (``settings.processes``), and sampling stops when the top
    ``settings.betweenness_top`` (20) of the two halves share at least
    ``settings.betweenness_agreement`` actors, or at
    ``settings.betweenness_samples`` sources, or when sources x arcs reach
    ``settings.betweenness_arc_budget``. When every link has the same
    length the searches are breadth-first. ``attrs["estimated"]`` records,
    for each estimated column, the method, the number of sources, why the
    sampling stopped and how far the halves agreed (``halves_agreement``,
    out of ``top``): the quality of this very estimate. Measured against
    the exact values on the 20,000-actor benchmark cluster (136,000 arcs;
    ``benchmarks/steps/estimates.py``) over five seeds, the default
    settings stopped after 2,253 sources on average, found 18.6 of the exact
    top 20 (never fewer than 17) and ranked the exact top 1% with a
    Spearman correlation of 0.93. An estimate that stopped on the budget or
    the cap with the halves agreeing on fewer than 15 ranks its top less
    reliably than that: read the top few, not the order below them.

    **Betweenness is left out of the default set** when the directed view
    has more than ``settings.betweenness_default_max_arcs`` arcs (about
    15,000 actors of a typical cluster): a ranking of the top actors that
    can be trusted needs about a thousand sources there and more on larger
    networks, minutes at a million links, while every other default measure
    takes seconds. ``attrs["left_out"]`` says so; ask for it by name
    (``measures=[..., "betweenness"]``) to have it anyway. Closeness and
    harmonic closeness are estimated from ``settings.betweenness_samples``
    sources (fewer when the arc budget says so) above the exact size
    (Eppstein & Wang 2004).

    The result is computed once per network: :func:`~clustermap.brokerage`
    reuses the betweenness computed here. PageRank is solved by a
    sequential power iteration (to 1e-13) and eigenvector centrality's
    ARPACK start vector is drawn from ``seed``, so the same seed gives the
    same bytes in every process.

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    measures : str or list of str, optional
        Columns to compute, among :data:`MEASURES`. Default: degree,
        strength, betweenness (up to ``settings.betweenness_default_max_arcs``
        arcs, see above), PageRank, eigenvector and coreness (plus the
        in/out degree and strength when a selected layer is directed).
        Closeness and harmonic cost as much as betweenness and are computed
        only on request.
    layers : str or list of str, optional
        Layers to use; ``None`` means all.
    weighted : bool
        Use tie strengths (lengths 1 / weight) in the path and walk measures.
    normalized : bool
        Normalise degree, in/out degree, betweenness and harmonic as listed
        above. PageRank, eigenvector and closeness are normalised by
        definition; strength and coreness are counts.
    seed : int, optional
        Seed for the sample of sources on large networks
        (default ``settings.seed``).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id: ``name``, ``kind``, then one column per
        measure. ``attrs`` records the method, parameters, layers, seed,
        which columns are estimates and how (``estimated``) and which default
        measures were left out and why (``left_out``).

    Raises
    ------
    ConfigError
        For an unknown measure or layer, or an in/out measure on undirected layers.
    EmptyNetworkError
        When the network has no actors.

    References
    ----------
    Freeman, L. C. (1978). Centrality in social networks: conceptual
    clarification. *Social Networks* 1(3), 215-239. Brandes, U. (2001). A
    faster algorithm for betweenness centrality. *J. Math. Sociol.* 25(2),
    163-177. Brandes, U. & Pich, C. (2007). Centrality estimation in large
    networks. *Int. J. Bifurcation and Chaos* 17(7), 2303-2318. Page, L. et
    al. (1999). The PageRank citation ranking. Stanford InfoLab. Bonacich,
    P. (1987). Power and centrality. *Am. J. Sociol.* 92(5), 1170-1182.
    Borassi, M. & Natale, E. (2016). KADABRA is an adaptive algorithm for
    betweenness via random approximation. *ESA 2016*, 20:1-20:18.
    Batagelj, V. & Zaversnik, M. (2003). An O(m) algorithm for cores
    decomposition of networks. arXiv:cs/0310049. Marchiori, M. & Latora, V.
    (2000). Harmony in the small-world. *Physica A* 285, 539-546.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["s1", "s2", "oem", "uni"], "name": ["S1", "S2", "OEM", "Uni"],
    ...      "kind": ["supplier", "supplier", "firm", "institution"]},
    ...     {"source": ["s1", "s2", "uni"], "target": ["oem", "oem", "s1"],
    ...      "layer": ["supply", "supply", "knowledge"]},
    ... )
    >>> c = centrality(net, measures=["degree", "in_degree", "betweenness"])
    >>> c["in_degree"].round(3).to_dict()
    {'s1': 0.333, 's2': 0.0, 'oem': 0.667, 'uni': 0.333}
    >>> c["betweenness"].round(3).to_dict()
    {'s1': 0.167, 's2': 0.0, 'oem': 0.0, 'uni': 0.0}
    >>> c.attrs["estimated"]
    {}
    """
    require_actors(net)
    seed = settings.seed if seed is None else seed
    layer_list = checked_layers(net, layers)
    names = used_layers(net, layer_list)
    directed = any(net.directed[x] for x in names)
    wanted = _wanted_measures(measures, directed)
    n = net.n_nodes
    left_out: dict[str, str] = {}
    if measures is None and n > settings.exact_betweenness_max_nodes:
        arcs = _arc_count(net, layer_list, directed)
        if arcs > settings.betweenness_default_max_arcs:
            wanted.remove("betweenness")
            left_out["betweenness"] = (
                f"not in the default set above {settings.betweenness_default_max_arcs:,} arcs "
                f"(this network: {arcs:,}): ranking the top actors reliably needs about a "
                "thousand sampled sources, minutes here; ask for it with "
                "measures=[..., 'betweenness'] (settings.betweenness_default_max_arcs)"
            )
            log.info("centrality: betweenness %s", left_out["betweenness"])
    _check_memory(net, layer_list, directed, wanted)
    views: dict[bool, ig.Graph] = {}

    def view(directed_view: bool) -> ig.Graph:
        # Build only the views the measures need (each costs seconds at a million links).
        if directed_view not in views:
            views[directed_view] = net._igraph(
                layers=layer_list, directed=None if directed_view else False
            )
        return views[directed_view]

    paths = {"closeness", "harmonic"} & set(wanted)
    lengths = path_lengths(view(True), weighted) if paths else None
    result = actor_table(net)
    estimated: dict[str, Any] = {}
    scale = _degree_scale(n, normalized)
    computed: dict[str, np.ndarray] = {}
    if "degree" in wanted:
        computed["degree"] = _array(view(False).degree()) * scale
    for mode in ("in", "out"):
        if f"{mode}_degree" in wanted:
            computed[f"{mode}_degree"] = _array(view(True).degree(mode=mode)) * scale
        if f"{mode}_strength" in wanted:
            computed[f"{mode}_strength"] = _array(view(True).strength(mode=mode, weights="weight"))
    if "strength" in wanted:
        computed["strength"] = _array(view(False).strength(weights="weight"))
    if "betweenness" in wanted:
        computed["betweenness"], info = _betweenness(
            net, view(True), layer_list, weighted=weighted, normalized=normalized, seed=seed
        )
        if info:
            estimated["betweenness"] = info
    if "pagerank" in wanted:
        computed["pagerank"] = _pagerank(
            view(True), net._ends(layers=layer_list, directed=None), weighted
        )
    if "eigenvector" in wanted:
        with seeded_igraph(seed):  # ARPACK's start vector comes from igraph's generator
            computed["eigenvector"] = _eigenvector(view(False), weighted)
    if "coreness" in wanted:
        computed["coreness"] = np.asarray(view(False).coreness(), dtype=np.int64)
    closeness_wanted: set[str] = {m for m in ("closeness", "harmonic") if m in wanted}
    if closeness_wanted:
        if n <= settings.exact_betweenness_max_nodes:
            computed.update(_closeness_exact(view(True), lengths, normalized, closeness_wanted))
        else:
            sources = sample_sources(n, _sample_count(view(True)), seed)
            computed.update(
                _closeness_sampled(view(True), lengths, normalized, closeness_wanted, sources)
            )
            for m in sorted(closeness_wanted):
                estimated[m] = {"samples": len(sources), "method": "sampled sources"}
    for m in wanted:
        result[m] = computed[m]
    return stamp(
        result,
        method="centrality",
        parameters={"measures": wanted, "weighted": weighted, "normalized": normalized},
        seed=seed,
        layers=names,
        estimated=estimated,
        left_out=left_out,
        views={
            "directed": "directed view" if directed else "undirected view",
            "undirected": "undirected view",
        },
        distance="1 / weight" if weighted else "1 per link",
    )
