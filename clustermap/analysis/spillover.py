"""Knowledge spillover channels: how knowledge can travel from sources to targets, and through whom.

A *channel* is a chain of ties along which knowledge can travel from a source
(a university, a research centre) to a target (a firm). On a tie from ``i``
to ``j`` knowledge passes with probability ``p(i->j) = w_ij / s_i``, the
tie's weight over the total weight of ``i``'s ties (``i`` spreads its
attention over its partners), or with probabilities read from a links column.
A channel passes knowledge with the product of its ties' probabilities (its
*strength*); the strongest channel is therefore the shortest path under the
arc length ``-ln p``, found with Dijkstra's algorithm, once per source.

:func:`spillover_paths` lists the strongest channel of every source-target
pair and the next best alternatives of the strongest pairs;
:func:`spillover_brokers` counts, for every actor, how many of those
strongest channels pass through it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from clustermap import settings
from clustermap._provenance import stamp
from clustermap.analysis._spillover_graph import (
    DEFAULT_LAYERS,
    TransferGraph,
    check_int,
    describe_selection,
    distinct,
    igraph_quiet,
    resolve_positions,
    transfer_graph,
)
from clustermap.errors import ConfigError, InputError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork
    from clustermap.graphs.selection import Selection

__all__ = ["PATH_SEPARATOR", "spillover_brokers", "spillover_paths"]

log = logging.getLogger(__name__)

#: How ``path``, ``path_names`` and ``intermediaries`` join the actors of a channel.
PATH_SEPARATOR = " > "

_DEFINITION = "p(i->j) = w_ij / sum_k w_ik; strength = product of p along the path"


@dataclass(frozen=True)
class _Channels:
    """Channels as flat arrays: channel ``c`` uses arcs ``flat[offsets[c]:offsets[c+1]]``."""

    source: np.ndarray
    target: np.ndarray
    rank: np.ndarray
    offsets: np.ndarray
    flat: np.ndarray

    def __len__(self) -> int:
        return len(self.source)

    @property
    def hops(self) -> np.ndarray:
        return np.diff(self.offsets)

    @staticmethod
    def empty() -> _Channels:
        none = np.zeros(0, dtype=np.int64)
        return _Channels(none, none, none, np.zeros(1, dtype=np.int64), none)

    @staticmethod
    def concat(parts: Sequence[_Channels]) -> _Channels:
        parts = [c for c in parts if len(c)]
        if not parts:
            return _Channels.empty()
        hops = np.concatenate([c.hops for c in parts])
        offsets = np.zeros(len(hops) + 1, dtype=np.int64)
        np.cumsum(hops, out=offsets[1:])
        return _Channels(
            np.concatenate([c.source for c in parts]),
            np.concatenate([c.target for c in parts]),
            np.concatenate([c.rank for c in parts]),
            offsets,
            np.concatenate([c.flat for c in parts]),
        )

    def arcs(self, hops: int) -> tuple[np.ndarray, np.ndarray]:
        """The channels of ``hops`` hops and their arcs as a (channels, hops) matrix."""
        rows = np.flatnonzero(self.hops == hops)
        return rows, self.flat[self.offsets[rows][:, None] + np.arange(hops)]

    def strength(self, p: np.ndarray) -> np.ndarray:
        if not len(self):
            return np.zeros(0)
        return np.multiply.reduceat(p[self.flat], self.offsets[:-1])

    def bottleneck(self, p: np.ndarray) -> np.ndarray:
        if not len(self):
            return np.zeros(0)
        return np.minimum.reduceat(p[self.flat], self.offsets[:-1])


def _cost_graph(tg: TransferGraph) -> ig.Graph:
    """A copy of the transfer graph with arc lengths ``cost = -ln p`` and arc ids."""
    g = tg.graph.copy()
    for attr in g.es.attributes():
        del g.es[attr]
    g.es["cost"] = tg.cost().tolist()
    g.es["eid"] = list(range(g.ecount()))
    return g


#: At most this many (source, actor) cells of distances and predecessors at once.
_DIJKSTRA_CELLS = 10_000_000


def _best_channels(
    tg: TransferGraph, sources: np.ndarray, targets: np.ndarray, max_hops: int
) -> _Channels:
    """The strongest channel of at most ``max_hops`` hops from each source to each target.

    SciPy's Dijkstra runs from every source (in chunks, in C) and returns
    predecessors; the channels are read back from them for all pairs at once,
    walking at most ``max_hops`` steps from each target. A pair whose
    strongest channel is longer than that gets the strongest channel within
    the limit from a hop-limited search (:func:`_hop_limited_channels`):
    when the strongest channel is short enough it is also the strongest
    within the limit, so only the long ones need the second search.
    """
    n = tg.n
    usable = tg.p > 0
    arc_key = tg.src * n + tg.dst  # sorted: the arcs come ordered by (src, dst)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tg.src[usable], minlength=n), out=indptr[1:])
    graph = sp.csr_array(
        (tg.cost()[usable], tg.dst[usable].astype(np.int32), indptr), shape=(n, n)
    )  # explicit zeros (p = 1) stay edges of length 0
    is_target = np.zeros(n, dtype=bool)
    is_target[targets] = True
    chunk = max(1, _DIJKSTRA_CELLS // max(n, 1))
    parts = []
    long_source: list[np.ndarray] = []
    long_target: list[np.ndarray] = []
    for first in range(0, len(sources), chunk):
        block = sources[first : first + chunk]
        dist, pred = dijkstra(graph, directed=True, indices=block, return_predecessors=True)
        wanted = np.isfinite(dist) & is_target[None, :]
        wanted[np.arange(len(block)), block] = False
        row, target = np.nonzero(wanted)
        del dist, wanted
        start = block[row]
        # walk back from each target: walk[:, j] is the actor j steps before it
        walk = np.full((len(row), max_hops + 1), -1, dtype=np.int64)
        walk[:, 0] = target
        hops = np.zeros(len(row), dtype=np.int64)
        active = np.arange(len(row))
        for step in range(1, max_hops + 1):
            prev = pred[row[active], walk[active, step - 1]].astype(np.int64)
            walk[active, step] = prev
            arrived = prev == start[active]
            hops[active[arrived]] = step
            active = active[~arrived]
        del pred
        long_source.append(start[hops == 0])
        long_target.append(target[hops == 0])
        for h in range(1, max_hops + 1):
            rows = np.flatnonzero(hops == h)
            if not len(rows):
                continue
            tails = walk[rows][:, h:0:-1]  # source ... last intermediary
            heads = walk[rows][:, h - 1 :: -1] if h > 1 else walk[rows][:, :1]
            arcs = np.searchsorted(arc_key, tails * n + heads)
            offsets = np.arange(len(rows) + 1, dtype=np.int64) * h
            parts.append(
                _Channels(
                    start[rows], target[rows], np.ones(len(rows), np.int64), offsets, arcs.ravel()
                )
            )
    if long_source:
        parts.append(
            _hop_limited_channels(
                tg, np.concatenate(long_source), np.concatenate(long_target), max_hops
            )
        )
    return _Channels.concat(parts)


def _hop_limited_channels(
    tg: TransferGraph, sources: np.ndarray, targets: np.ndarray, max_hops: int
) -> _Channels:
    """The strongest channel of at most ``max_hops`` hops for the given (source, target) pairs.

    Bellman-Ford stopped after ``max_hops`` rounds (after round h the
    distances are the shortest paths of at most h arcs), vectorised over a
    block of sources and every arc at once, keeping the predecessor of each
    improvement per round so the channels can be read back.
    """
    if not len(sources):
        return _Channels.empty()
    n = tg.n
    usable = np.flatnonzero(tg.p > 0)
    tails, heads, cost = tg.src[usable], tg.dst[usable], tg.cost()[usable]
    arc_key = tg.src * n + tg.dst
    order = np.lexsort((sources, targets))
    sources, targets = sources[order], targets[order]
    unique = np.unique(sources)
    chunk = max(1, _DIJKSTRA_CELLS // max(len(usable) + n * (max_hops + 1), 1))
    parts = []
    for first in range(0, len(unique), chunk):
        block = unique[first : first + chunk]
        rows = np.arange(len(block))
        dist = np.full((len(block), n), np.inf)
        dist[rows, block] = 0.0
        # pred[h][r, v]: the actor before v on the best path of at most h+1 arcs, -1 if not
        # improved in that round (the path then has fewer arcs)
        preds = []
        for _ in range(max_hops):
            cand = dist[:, tails] + cost[None, :]
            new = dist.copy()
            np.minimum.at(new.T, heads, cand.T)
            improved = new < dist
            pred = np.full((len(block), n), -1, dtype=np.int64)
            r, a = np.nonzero(improved[:, heads] & (cand <= new[:, heads]))
            pred[r, heads[a]] = tails[a]
            preds.append(pred)
            dist = new
            if not improved.any():
                break
        inside = np.isin(sources, block)
        pair_rows = np.searchsorted(block, sources[inside])
        pair_targets = targets[inside]
        ok = np.isfinite(dist[pair_rows, pair_targets])
        pair_rows, pair_targets = pair_rows[ok], pair_targets[ok]
        # walk back: at round h, step to the predecessor if the round improved v, else stay
        node = pair_targets.copy()
        moves = []
        for pred in reversed(preds):
            prev = pred[pair_rows, node]
            node = np.where(prev >= 0, prev, node)
            moves.append(np.where(prev >= 0, node, -1))
        steps = np.column_stack([pair_targets, *moves])  # target, then the actors before it
        left = np.argsort(steps < 0, axis=1, kind="stable")
        steps = np.take_along_axis(steps, left, axis=1)
        hops = (steps >= 0).sum(axis=1) - 1
        for h in range(1, max_hops + 1):
            rows = np.flatnonzero(hops == h)
            if not len(rows):
                continue
            walk = steps[rows, : h + 1]
            arcs = np.searchsorted(arc_key, walk[:, h:0:-1] * n + walk[:, h - 1 :: -1])
            offsets = np.arange(len(rows) + 1, dtype=np.int64) * h
            parts.append(
                _Channels(
                    block[pair_rows[rows]],
                    pair_targets[rows],
                    np.ones(len(rows), np.int64),
                    offsets,
                    arcs.ravel(),
                )
            )
    return _Channels.concat(parts)


class _HopDistances:
    """Hop distances (up to ``max_hops``) from the chosen sources and to the chosen targets.

    One breadth-first search per actor, run by SciPy for all of them at once
    and stopped at ``max_hops``; farther actors get ``inf``.
    """

    def __init__(
        self, tg: TransferGraph, sources: np.ndarray, targets: np.ndarray, max_hops: int
    ) -> None:
        graph = tg.csr()
        self._from = self._search(graph, sources, max_hops)
        self._to = self._search(graph.T.tocsr(), targets, max_hops)

    @staticmethod
    def _search(graph: sp.csr_array, starts: np.ndarray, max_hops: int) -> dict[int, np.ndarray]:
        starts = distinct(starts)
        rows: dict[int, np.ndarray] = {}
        chunk = max(1, _DIJKSTRA_CELLS // max(graph.shape[0], 1))
        for first in range(0, len(starts), chunk):
            block = starts[first : first + chunk]
            dist = dijkstra(
                graph, directed=True, indices=block, unweighted=True, limit=float(max_hops)
            )
            rows.update(zip(block.tolist(), dist, strict=True))
        return rows

    def near(self, s: int, t: int, max_hops: int) -> np.ndarray:
        """Actors on some path of at most ``max_hops`` hops from ``s`` to ``t``."""
        return np.flatnonzero(self._from[s] + self._to[t] <= max_hops)


def _alternatives(
    g: ig.Graph,
    s: int,
    t: int,
    best: np.ndarray,
    k: int,
    max_hops: int,
    hops: _HopDistances,
) -> list[np.ndarray]:
    """The next ``k - 1`` strongest channels from ``s`` to ``t`` (Yen's algorithm).

    The search runs on the actors that lie on some path of at most
    ``max_hops`` hops from ``s`` to ``t`` (hop distance from ``s`` plus hop
    distance to ``t`` at most ``max_hops``): every channel short enough to be
    reported lies there, and Yen's algorithm stays small.
    """
    near = hops.near(s, t, max_hops)
    sub = g.induced_subgraph(near.tolist())
    s1, t1 = int(np.searchsorted(near, s)), int(np.searchsorted(near, t))
    with igraph_quiet(log):
        found = sub.get_k_shortest_paths(s1, t1, k=k, weights="cost", mode="out", output="epath")
    eid = np.asarray(sub.es["eid"], dtype=np.int64)
    paths = [eid[np.asarray(path, dtype=np.int64)] for path in found if path]
    others = [path for path in paths if not np.array_equal(path, best)]
    return [path for path in others[: k - 1] if len(path) <= max_hops]


def _pairs_for_alternatives(
    net: ClusterNetwork,
    best: _Channels,
    strength: np.ndarray,
    pairs: Iterable[tuple[str, str]] | None,
) -> np.ndarray:
    """Indices (into ``best``) of the channels whose alternatives are wanted."""
    if pairs is None:
        top = settings.spillover_top_pairs
        order = np.argsort(-strength, kind="stable")
        return order[:top]
    index = net.nodes.index
    wanted: list[tuple[int, int]] = []
    for pair in pairs:
        if isinstance(pair, str) or len(pair) != 2:
            msg = f"`pairs` must be (source id, target id) tuples, not {pair!r}"
            raise ConfigError(msg)
        s, t = (str(x) for x in pair)
        unknown = [x for x in (s, t) if x not in index]
        if unknown:
            msg = f"`pairs` names ids that are not in the network: {', '.join(map(repr, unknown))}"
            raise InputError(msg)
        a, b = index.get_indexer(pd.Index([s, t])).tolist()
        wanted.append((int(a), int(b)))
    n = max(len(index), 1)
    have = best.source * n + best.target
    keys = np.array([s * n + t for s, t in wanted], dtype=np.int64)
    found = np.isin(keys, have)
    if not found.all():
        log.info(
            "spillover_paths: %d of the `pairs` asked for have no channel within max_hops "
            "(or are not source-target pairs of this call)",
            int((~found).sum()),
        )
    order = np.argsort(have, kind="stable")
    pos = np.searchsorted(have[order], keys[found])
    return np.asarray(order[pos], dtype=np.int64)


def _joined(labels: pa.Array, walk: np.ndarray) -> pa.Array:
    """Join ``labels[walk[:, 0]] > labels[walk[:, 1]] > ...`` row by row, in Arrow."""
    if walk.shape[1] == 0:
        return pa.array([""] * len(walk), type=pa.string())
    columns = [labels.take(pa.array(walk[:, j])) for j in range(walk.shape[1])]
    if len(columns) == 1:
        return columns[0]
    return pc.binary_join_element_wise(*columns, PATH_SEPARATOR)


def _paths_table(net: ClusterNetwork, tg: TransferGraph, ch: _Channels) -> pd.DataFrame:
    """The public table of channels, strongest pairs first."""
    nodes = net.nodes
    ids = pa.array(np.asarray(nodes.index, dtype=object), type=pa.string())
    names = pa.array(np.asarray(nodes["name"], dtype=object), type=pa.string())
    strength = ch.strength(tg.p)
    bottleneck = ch.bottleneck(tg.p)
    hops = ch.hops
    # Strongest pairs first; within a pair, by rank.
    n = max(net.n_nodes, 1)
    pair = ch.source * n + ch.target
    first = ch.rank == 1
    best = pd.Series(strength[first], index=pair[first]).reindex(pair).to_numpy(dtype=np.float64)
    rank_of = np.empty(len(ch), dtype=np.int64)
    rank_of[np.lexsort((ch.rank, ch.target, ch.source, -best))] = np.arange(len(ch))
    # Strings are joined in Arrow, one hop count at a time, then put in order once.
    groups, path, path_names, inner = [], [], [], []
    for h in np.flatnonzero(np.bincount(hops)).tolist() if len(ch) else []:
        rows, arcs = ch.arcs(h)
        walk = np.column_stack([tg.src[arcs[:, 0]], tg.dst[arcs]])
        groups.append(rows)
        path.append(_joined(ids, walk))
        path_names.append(_joined(names, walk))
        inner.append(_joined(ids, walk[:, 1:-1]))
    rows = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
    order = pa.array(np.argsort(rank_of[rows], kind="stable"))
    rows = rows[order.to_numpy()]

    def text(chunks: list[pa.Array]) -> pd.Series:
        if not chunks:
            return pd.Series([], dtype="str")
        return pd.Series(pa.concat_arrays(chunks).take(order).to_pandas(), dtype="str")

    return pd.DataFrame(
        {
            "source": pd.Series(ids.take(pa.array(ch.source[rows])).to_pandas(), dtype="str"),
            "target": pd.Series(ids.take(pa.array(ch.target[rows])).to_pandas(), dtype="str"),
            "rank": ch.rank[rows],
            "hops": hops[rows],
            "path": text(path),
            "path_names": text(path_names),
            "strength": strength[rows],
            "bottleneck": bottleneck[rows],
            "intermediaries": text(inner),
        }
    )


def _prepare(
    net: ClusterNetwork,
    sources: Selection,
    targets: Selection,
    max_hops: int,
    layers: str | Iterable[str] | None,
    probability: str | None,
) -> tuple[TransferGraph, np.ndarray, np.ndarray, int]:
    max_hops = check_int(max_hops, "max_hops", minimum=1)
    tg = transfer_graph(net, layers=layers, probability=probability)
    src = resolve_positions(net, sources, "sources")
    tgt = resolve_positions(net, targets, "targets")
    return tg, src, tgt, max_hops


def spillover_paths(
    net: ClusterNetwork,
    *,
    sources: Selection,
    targets: Selection,
    k: int = 3,
    max_hops: int = 4,
    layers: str | Iterable[str] | None = DEFAULT_LAYERS,
    probability: str | None = None,
    pairs: Iterable[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """List the strongest channels through which knowledge can reach each target from each source.

    For every source (say, each university) and target (each firm), the
    table gives the chain of partners through which knowledge is most likely
    to arrive, how likely it is to get through (``strength``), and its weakest
    tie (``bottleneck``); for the strongest pairs it also gives the next best
    alternative routes, which show whether the pair depends on one chain.

    **Definition.** Knowledge passes along a tie from ``i`` to ``j`` with
    probability ``p(i->j) = w_ij / s_i``, where ``s_i`` is the total weight
    of ``i``'s ties in the layers read (``i`` spreads its attention over its
    partners in proportion to the ties' weights; self-loops are ignored), or
    with the probabilities of a links column (``probability=``, values in
    (0, 1]; parallel links combine as ``1 - prod(1 - p)``). On an undirected
    layer each tie carries knowledge both ways, each with its own
    probability; on a directed layer only in the link's direction. A chain's
    strength is the product of its ties' probabilities, so the strongest
    channel is the shortest path under the arc length ``-ln p`` (Dijkstra's
    algorithm, one run per source to all its targets, by SciPy). Alternatives
    are the next strongest loopless paths, found with Yen's k-shortest-paths
    algorithm (igraph, one search per pair) on the actors that lie on some
    path of at most ``max_hops`` hops between the two ends.

    ``max_hops`` limits the channels: each pair gets the strongest channel
    of at most ``max_hops`` ties (when the strongest channel overall is
    longer, the strongest short enough one, found by a hop-limited
    Bellman-Ford search); a pair with no channel that short is absent
    (knowledge that must cross more ties is treated as not arriving).
    Alternatives with more hops are dropped too, so a pair may have fewer
    than ``k`` rows. A source is never paired with itself.

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    sources, targets : selection
        Who knowledge comes from and who it should reach: a list of ids, a
        kind (``"institution"``) or ``{column: values}``
        (``{"category": ["university", "research centre"]}``).
    k : int
        Channels per pair for the pairs that get alternatives (1: only the
        strongest channel).
    max_hops : int
        Longest channel reported, in ties.
    layers : str or list of str, optional
        Layers knowledge travels on (default ``("knowledge",)``; ``None``:
        all layers).
    probability : str, optional
        A links column holding the probability that each link passes
        knowledge, instead of ``w_ij / s_i``.
    pairs : list of (source id, target id), optional
        The pairs that get ``k - 1`` alternatives. Default: the
        ``settings.spillover_top_pairs`` pairs with the strongest channels.

    Returns
    -------
    pandas.DataFrame
        One row per channel, strongest pairs first and by ``rank`` within a
        pair: ``source``, ``target``, ``rank`` (1 = strongest), ``hops``,
        ``path`` (ids joined by :data:`PATH_SEPARATOR`), ``path_names``,
        ``strength`` (product of the ties' probabilities), ``bottleneck``
        (the smallest probability on the chain) and ``intermediaries`` (ids
        of the actors in between, joined the same way; empty for a direct
        tie). Pairs with no channel of at most ``max_hops`` hops are absent;
        ``attrs`` records how many.

    Raises
    ------
    InputError
        When ``sources`` or ``targets`` selects nobody.
    ConfigError
        For bad options (``k``, ``max_hops``, ``layers``, ``probability``).

    See Also
    --------
    spillover_brokers : who carries the strongest channels.
    spillover_reach : how exposed each actor is to the sources.

    References
    ----------
    Dijkstra, E. W. (1959). A note on two problems in connexion with graphs.
    *Numerische Mathematik* 1, 269-271.
    Yen, J. Y. (1971). Finding the k shortest loopless paths in a network.
    *Management Science* 17(11), 712-716.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["u", "a", "b"], "name": ["Uni", "A", "B"],
    ...      "kind": ["institution", "firm", "firm"]},
    ...     {"source": ["u", "a"], "target": ["a", "b"], "layer": "knowledge",
    ...      "weight": [1.0, 3.0]},
    ... )
    >>> paths = cm.spillover_paths(net, sources="institution", targets="firm")
    >>> paths[["target", "path", "strength"]]
      target       path  strength
    0      a      u > a      1.00
    1      b  u > a > b      0.75
    """
    k = check_int(k, "k", minimum=1)
    tg, src, tgt, max_hops = _prepare(net, sources, targets, max_hops, layers, probability)
    best = _best_channels(tg, src, tgt, max_hops)
    strength = best.strength(tg.p)
    chosen = (
        _pairs_for_alternatives(net, best, strength, pairs)
        if k > 1
        else np.zeros(0, dtype=np.int64)
    )
    extra: list[tuple[int, int, int, np.ndarray]] = []
    if len(chosen):
        g = _cost_graph(tg)
        hop_distances = _HopDistances(tg, best.source[chosen], best.target[chosen], max_hops)
        for c in chosen.tolist():
            s, t = int(best.source[c]), int(best.target[c])
            path = best.flat[best.offsets[c] : best.offsets[c + 1]]
            alternatives = _alternatives(g, s, t, path, k, max_hops, hop_distances)
            extra.extend((s, t, r, alt) for r, alt in enumerate(alternatives, start=2))
    channels = best
    if extra:
        lens = np.array([len(e[3]) for e in extra], dtype=np.int64)
        offsets = np.zeros(len(extra) + 1, dtype=np.int64)
        np.cumsum(lens, out=offsets[1:])
        more = _Channels(
            np.array([e[0] for e in extra], dtype=np.int64),
            np.array([e[1] for e in extra], dtype=np.int64),
            np.array([e[2] for e in extra], dtype=np.int64),
            offsets,
            np.concatenate([e[3] for e in extra]).astype(np.int64),
        )
        channels = _Channels.concat([best, more])
    table = _paths_table(net, tg, channels)
    n_pairs = int(len(src) * len(tgt) - np.isin(src, tgt).sum())
    return stamp(
        table,
        method="spillover_paths",
        parameters={
            "sources": describe_selection(sources),
            "targets": describe_selection(targets),
            "k": k,
            "max_hops": max_hops,
            "probability": probability,
            "pairs": None if pairs is None else "given",
        },
        layers=tg.layers,
        definition=_DEFINITION if probability is None else f"p from links column {probability!r}",
        pairs_total=n_pairs,
        pairs_with_channel=len(best),
        pairs_without_channel=n_pairs - len(best),
        pairs_with_alternatives=len(chosen),
    )


def spillover_brokers(
    net: ClusterNetwork,
    *,
    sources: Selection,
    targets: Selection,
    max_hops: int = 4,
    layers: str | Iterable[str] | None = DEFAULT_LAYERS,
    probability: str | None = None,
) -> pd.DataFrame:
    """Find the actors that the strongest knowledge channels from sources to targets pass.

    These are the go-betweens the cluster depends on for knowledge transfer:
    if one of them stops cooperating, many firms lose their best route to the
    universities and research centres.

    **Definition.** The strongest channel of every source-target pair is
    found as in :func:`spillover_paths` (``p(i->j) = w_ij / s_i``, strength
    = product of ``p``, pairs with more than ``max_hops`` hops dropped). For
    each actor, ``channels`` counts the strongest channels in which it is an
    intermediary (neither end), ``share`` is that count over all channels,
    ``strength`` sums the strengths of those channels and ``strength_share``
    divides it by the total strength of all channels; ``sources`` and
    ``targets`` count the distinct sources and targets it connects. This is a
    source-target, strongest-path-only form of stress centrality (Shimbel
    1953), restricted to the pairs that matter for spillovers.

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    sources, targets : selection
        As in :func:`spillover_paths`.
    max_hops : int
        Longest channel counted, in ties.
    layers : str or list of str, optional
        Layers knowledge travels on (default ``("knowledge",)``).
    probability : str, optional
        A links column of pass probabilities, as in :func:`spillover_paths`.

    Returns
    -------
    pandas.DataFrame
        Indexed by id, only actors that carry at least one channel, most
        channels first: ``name``, ``kind``, ``channels``, ``share``,
        ``strength``, ``strength_share``, ``sources``, ``targets``.
        ``attrs["total_channels"]`` is the number of channels found.

    References
    ----------
    Shimbel, A. (1953). Structural parameters of communication networks.
    *Bulletin of Mathematical Biophysics* 15, 501-507.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["u", "h", "a", "b"], "name": ["Uni", "Hub", "A", "B"],
    ...      "kind": ["institution", "firm", "firm", "firm"]},
    ...     {"source": ["u", "h", "h"], "target": ["h", "a", "b"], "layer": "knowledge"},
    ... )
    >>> brokers = cm.spillover_brokers(net, sources="institution", targets=["a", "b"])
    >>> brokers.index.tolist(), brokers.loc["h", "channels"], brokers.loc["h", "share"]
    (['h'], np.int64(2), np.float64(1.0))
    >>> round(float(brokers.loc["h", "strength"]), 3)  # two channels of strength 1/3
    0.667
    """
    tg, src, tgt, max_hops = _prepare(net, sources, targets, max_hops, layers, probability)
    ch = _best_channels(tg, src, tgt, max_hops)
    n = net.n_nodes
    strength = ch.strength(tg.p)
    inner = np.ones(len(ch.flat), dtype=bool)
    inner[ch.offsets[1:] - 1] = False  # the last arc of a channel ends at its target
    channel_of = np.repeat(np.arange(len(ch)), ch.hops)[inner]
    via = tg.dst[ch.flat[inner]]
    count = np.bincount(via, minlength=n)
    carried = np.bincount(via, weights=strength[channel_of], minlength=n)

    def served(ends: np.ndarray) -> np.ndarray:
        pairs = distinct(via * max(n, 1) + ends[channel_of])
        return np.bincount(pairs // max(n, 1), minlength=n)

    total = len(ch)
    total_strength = float(strength.sum())
    nodes = net.nodes
    table = pd.DataFrame(
        {
            "name": nodes["name"],
            "kind": nodes["kind"],
            "channels": count,
            "share": count / total if total else np.zeros(n),
            "strength": carried,
            "strength_share": carried / total_strength if total_strength else np.zeros(n),
            "sources": served(ch.source),
            "targets": served(ch.target),
        },
        index=nodes.index,
    )
    position = np.arange(n)
    order = np.lexsort((position, -carried, -count))
    table = table.iloc[order]
    table = table[table["channels"] > 0]
    return stamp(
        table,
        method="spillover_brokers",
        parameters={
            "sources": describe_selection(sources),
            "targets": describe_selection(targets),
            "max_hops": max_hops,
            "probability": probability,
        },
        layers=tg.layers,
        definition=_DEFINITION if probability is None else f"p from links column {probability!r}",
        total_channels=total,
        total_strength=total_strength,
    )
