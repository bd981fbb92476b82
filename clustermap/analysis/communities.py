"""Sub-clusters: find communities, test them against chance, choose a resolution.

A community (sub-cluster) is a group of actors more densely linked with each
other than with the rest of the cluster: a supply chain around one buyer, a
group of firms around a research centre. :func:`find_communities` finds them
with Leiden (default), Louvain, label propagation or Infomap and returns a
:class:`~clustermap.analysis.partition.Partition`; :func:`significance` says
whether the structure is stronger than in random networks with the same
degrees; :func:`scan_resolution` shows how the communities change with the
resolution, so a user chooses it with evidence.

All methods work on the undirected view of the selected layers: a supply link
from A to B and one from B to A become one tie of summed weight (modularity
is defined for undirected networks; see Leicht & Newman 2008 for the
directed variant, which igraph's Leiden does not offer).
"""

from __future__ import annotations

import contextlib
import logging
import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import pandas as pd

from clustermap import settings
from clustermap._provenance import stamp
from clustermap.analysis.partition import (
    Partition,
    mean_pairwise_similarity,
    quality_of,
    renumber,
)
from clustermap.errors import ConfigError, EmptyNetworkError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["METHODS", "find_communities", "scan_resolution", "significance"]

log = logging.getLogger(__name__)

#: The community detection methods :func:`find_communities` offers.
METHODS: tuple[str, ...] = ("leiden", "louvain", "label_propagation", "infomap")
_RESOLUTION_METHODS = ("leiden", "louvain")

_rng_stack: list[random.Random] = []


@contextlib.contextmanager
def seeded_igraph(seed: int) -> Iterator[random.Random]:
    """Run igraph's random draws from ``random.Random(seed)`` inside the block.

    igraph draws from one global generator. This sets a fresh seeded
    generator for the block and then puts back the one that was in force:
    the generator of an enclosing ``seeded_igraph`` block, or else Python's
    ``random`` module, which is igraph's own default (igraph offers no way to
    read the current generator, so one set by other code outside these
    blocks is replaced by that default). Python's global ``random`` is never
    reseeded.

    Examples
    --------
    >>> import igraph as ig
    >>> g = ig.Graph.Famous("Zachary")
    >>> with seeded_igraph(3):
    ...     a = g.community_label_propagation().membership
    >>> with seeded_igraph(3):
    ...     b = g.community_label_propagation().membership
    >>> a == b
    True
    """
    rng = random.Random(seed)
    _rng_stack.append(rng)
    ig.set_random_number_generator(rng)
    try:
        yield rng
    finally:
        _rng_stack.pop()
        ig.set_random_number_generator(_rng_stack[-1] if _rng_stack else random)


@contextlib.contextmanager
def _igraph_warnings() -> Iterator[None]:
    """Turn igraph's C-level warnings into log messages."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        log.warning("igraph: %s", w.message)


# ------------------------------------------------------------------- set-up


@dataclass(frozen=True)
class _Setup:
    """What a detection runs on: one undirected graph per layer group, and weights."""

    graphs: list[ig.Graph]
    weights: list[np.ndarray | None]
    layer_weights: list[float] | None  # only for several layers optimised together
    layers: list[str]
    combined: ig.Graph
    combined_weights: np.ndarray | None
    combined_ends: tuple[np.ndarray, np.ndarray] | None = None  # edge endpoints, edge order


def _edge_arrays(g: ig.Graph) -> np.ndarray:
    return np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)


def _combine(
    n: int,
    graphs: Sequence[ig.Graph],
    weights: Sequence[np.ndarray | None],
    factors: Sequence[float],
) -> tuple[ig.Graph, np.ndarray]:
    """One undirected graph whose tie weight is the sum of factor * weight over layers."""
    ends = [_edge_arrays(g) for g in graphs]
    ws = [
        f * (np.ones(len(e)) if w is None else w)
        for e, w, f in zip(ends, weights, factors, strict=True)
    ]
    allends = np.concatenate(ends) if ends else np.zeros((0, 2), dtype=np.int64)
    allw = np.concatenate(ws) if ws else np.zeros(0)
    key = allends[:, 0] * max(n, 1) + allends[:, 1]
    uniq, inverse = np.unique(key, return_inverse=True)
    summed = np.bincount(inverse.reshape(-1), weights=allw, minlength=len(uniq))
    g = ig.Graph(
        n=n, edges=list(zip((uniq // max(n, 1)).tolist(), (uniq % max(n, 1)).tolist(), strict=True))
    )
    return g, summed


def _setup(
    net: ClusterNetwork,
    layers: str | Iterable[str] | None,
    weighted: bool,
    layer_weights: Mapping[str, float] | None,
) -> _Setup:
    if net.n_nodes == 0:
        msg = "the network has no actors: there are no communities to find"
        raise EmptyNetworkError(msg)
    if layer_weights is not None:
        names = list(layer_weights)
        net._check_layers(names)
        present = [x for x in names if net._igraph(layers=x, directed=False).ecount() > 0]
        absent = [x for x in names if x not in present]
        if absent:
            log.info("layer(s) %s have no links and are left out of the optimisation", absent)
        if not present:
            msg = f"the layers {names} have no links: there are no communities to find"
            raise EmptyNetworkError(msg)
        graphs = [net._igraph(layers=x, directed=False) for x in present]
        weights = [
            np.asarray(g.es["weight"], dtype=np.float64) if weighted else None for g in graphs
        ]
        factors = [float(layer_weights[x]) for x in present]
        combined, cw = _combine(net.n_nodes, graphs, weights, factors)
        return _Setup(graphs, weights, factors, present, combined, cw)
    if isinstance(layers, str):
        layers = [layers]
    names = list(net.layers) if layers is None else list(dict.fromkeys(layers))
    net._check_layers(names)
    g = net._igraph(layers=names, directed=False)
    if g.ecount() == 0:
        msg = (
            f"the network has no links in layer(s) {', '.join(map(repr, names)) or 'none'}: "
            "communities are groups of linked actors, so there are none to find"
        )
        raise EmptyNetworkError(msg)
    w = np.asarray(g.es["weight"], dtype=np.float64) if weighted else None
    return _Setup([g], [w], None, names, g, w, net._ends(layers=names, directed=False))


# ----------------------------------------------------------------- methods


def _run_once(setup: _Setup, method: str, resolution: float, seed: int) -> tuple[np.ndarray, float]:
    """One run: raw labels per vertex and the method's own objective (higher is better)."""
    if setup.layer_weights is not None:
        import leidenalg

        parts = [
            leidenalg.RBConfigurationVertexPartition(
                g, weights=None if w is None else w.tolist(), resolution_parameter=resolution
            )
            for g, w in zip(setup.graphs, setup.weights, strict=True)
        ]
        with _igraph_warnings():
            optimiser = leidenalg.Optimiser()
            optimiser.set_rng_seed(seed)
            optimiser.optimise_partition_multiplex(
                parts, layer_weights=list(setup.layer_weights), n_iterations=2
            )
        objective = float(
            sum(f * p.quality() for f, p in zip(setup.layer_weights, parts, strict=True))
        )
        return np.asarray(parts[0].membership), objective
    g = setup.graphs[0]
    w = setup.weights[0]
    wl = None if w is None else w.tolist()
    if method == "infomap":
        return _infomap(g, w, seed)
    with seeded_igraph(seed), _igraph_warnings():
        if method == "leiden":
            cl = g.community_leiden(
                objective_function="modularity", weights=wl, resolution=resolution, n_iterations=2
            )
        elif method == "louvain":
            cl = g.community_multilevel(weights=wl, resolution=resolution)
        else:
            cl = g.community_label_propagation(weights=wl)
    membership = np.asarray(cl.membership)
    objective = float(g.modularity(cl.membership, weights=wl, resolution=resolution))
    return membership, objective


def _infomap(g: ig.Graph, w: np.ndarray | None, seed: int) -> tuple[np.ndarray, float]:
    try:
        from infomap import Infomap
    except ImportError as exc:
        msg = (
            "`method='infomap'` needs the optional infomap package: pip install clustermap[infomap]"
        )
        raise ConfigError(msg) from exc
    # Infomap takes seeds from 1: map every integer seed to a distinct one in range
    im = Infomap(silent=True, two_level=True, seed=seed % 2_147_483_646 + 1, num_trials=1)
    im.add_nodes(range(g.vcount()))
    ends = _edge_arrays(g)
    weights = np.ones(len(ends)) if w is None else w
    im.add_links(
        (int(u), int(v), float(x))
        for (u, v), x in zip(ends.tolist(), weights.tolist(), strict=True)
    )
    result = im.run()
    if result is not None:  # infomap >= 2.9 returns a Result
        modules, codelength = dict(result.modules()), float(result.codelength)
    else:  # pragma: no cover - older infomap keeps results on the instance
        modules, codelength = im.get_modules(), float(im.codelength)
    labels = np.asarray([modules[i] for i in range(g.vcount())], dtype=np.int64)
    return labels, -codelength


def _check_options(
    method: str,
    resolution: float,
    runs: int,
    weighted: bool,
    layers: Any,
    layer_weights: Mapping[str, float] | None,
) -> None:
    if method not in METHODS:
        msg = f"`method` must be one of {', '.join(map(repr, METHODS))}, not {method!r}"
        raise ConfigError(msg)
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int | float)
        or not math.isfinite(resolution)
        or resolution <= 0
    ):
        msg = f"`resolution` must be a finite number > 0, not {resolution!r}"
        raise ConfigError(msg)
    if method not in _RESOLUTION_METHODS and resolution != 1.0:
        msg = (
            f"`resolution` applies to the methods {', '.join(map(repr, _RESOLUTION_METHODS))}; "
            f"{method!r} has none (leave it at 1.0)"
        )
        raise ConfigError(msg)
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or runs < 1:
        msg = f"`runs` must be a whole number >= 1, not {runs!r}"
        raise ConfigError(msg)
    if isinstance(layers, int | float) or (
        layers is not None and not isinstance(layers, str | Iterable)
    ):
        msg = f"`layers` must be a layer name or a list of them, not {layers!r}"
        raise ConfigError(msg)
    if not isinstance(weighted, bool | np.bool_):
        msg = f"`weighted` must be True or False, not {weighted!r}"
        raise ConfigError(msg)
    if layer_weights is not None:
        if method != "leiden":
            msg = f"`layer_weights` works with method 'leiden' only, not {method!r}"
            raise ConfigError(msg)
        if layers is not None:
            msg = "give either `layers` or `layer_weights` (whose keys are the layers), not both"
            raise ConfigError(msg)
        if not isinstance(layer_weights, Mapping) or not layer_weights:
            msg = "`layer_weights` must be a non-empty {layer: weight} dict"
            raise ConfigError(msg)
        for layer, value in layer_weights.items():
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok or not math.isfinite(value) or value <= 0:
                msg = f"`layer_weights[{layer!r}]` must be a finite number > 0, not {value!r}"
                raise ConfigError(msg)


def _check_seed(seed: int | None) -> int:
    """The seed to use: ``settings.seed`` when not given; a whole number otherwise."""
    if seed is None:
        return int(settings.seed)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        msg = f"`seed` must be a whole number, not {seed!r}"
        raise ConfigError(msg)
    return int(seed)


def _detect(
    setup: _Setup, method: str, resolution: float, seed: int, runs: int
) -> tuple[np.ndarray, float, dict[str, Any] | None]:
    """Run ``runs`` times; return the best labels, its objective and the stability record."""
    results = [_run_once(setup, method, resolution, seed + i) for i in range(runs)]
    objectives = [obj for _, obj in results]
    best = int(np.argmax(objectives))
    stability = None
    if runs > 1:
        ari, nmi = mean_pairwise_similarity([labels for labels, _ in results])
        shown = [-x for x in objectives] if method == "infomap" else objectives
        stability = {
            "runs": runs,
            "ari": ari,
            "nmi": nmi,
            "best_run": best,
            "objective_min": float(min(shown)),
            "objective_max": float(max(shown)),
        }
    return results[best][0], objectives[best], stability


# -------------------------------------------------------------- public API


def find_communities(
    net: ClusterNetwork,
    *,
    method: str = "leiden",
    resolution: float = 1.0,
    layers: str | Iterable[str] | None = None,
    weighted: bool = True,
    seed: int | None = None,
    runs: int = 1,
    layer_weights: Mapping[str, float] | None = None,
) -> Partition:
    r"""Find the sub-clusters: groups of actors linked more with each other than with the rest.

    The default, Leiden (Traag, Waltman & van Eck 2019, *Sci. Rep.* 9:5233),
    maximises modularity

    .. math:: Q = \frac{1}{2m} \sum_{ij} \Big(A_{ij} - \gamma \frac{k_i k_j}{2m}\Big)
              \delta(c_i, c_j)

    (Newman 2006, *PNAS* 103:8577): the weight of links inside communities
    minus what random links with the same degrees would put there. Higher
    ``resolution`` (:math:`\gamma`) gives more, smaller communities.
    Louvain (Blondel et al. 2008) maximises the same quantity; label
    propagation (Raghavan et al. 2007) lets actors adopt their neighbours'
    most common label; Infomap (Rosvall & Bergstrom 2008) compresses the
    path of a random walker.

    Direction is dropped: supply links are symmetrised (A->B and B->A
    become one tie, weights summed), because modularity as optimised here is
    defined for undirected networks. Actors without links form communities
    of their own.

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    method : {"leiden", "louvain", "label_propagation", "infomap"}
        The algorithm. Leiden and Louvain use igraph; Infomap needs the
        optional ``infomap`` package (``pip install clustermap[infomap]``).
    resolution : float
        Modularity resolution :math:`\gamma` > 0 (Leiden and Louvain only).
    layers : str or list of str, optional
        Layers whose links are used; ``None`` means all, merged.
    weighted : bool
        Use link weights (summed over parallel links and layers); ``False``
        counts each linked pair once.
    seed : int, optional
        Random seed (default ``settings.seed``); run ``i`` uses ``seed + i``.
    runs : int
        Run the method this many times and keep the best partition (highest
        modularity at the resolution used; shortest codelength for
        Infomap); with more than one run, :attr:`Partition.stability`
        reports how much the runs agree.
    layer_weights : dict, optional
        ``{"supply": 1.0, "knowledge": 2.0}``: optimise one partition for
        several layers together, each layer's modularity counted with its
        weight (leidenalg's multiplex optimisation; Leiden only). The keys
        are the layers used. ``quality["modularity"]`` is then the
        modularity of the network whose tie weights are the layer-weighted
        sums.

    Returns
    -------
    Partition
        Membership (id -> community, numbered from 1 by size), method,
        parameters, seed, layers, quality and stability.

    Raises
    ------
    EmptyNetworkError
        When the network, or the layers selected, have no actors or no links.
    ConfigError
        For an unknown method or layer, or a bad resolution, runs or weight.

    Examples
    --------
    >>> import networkx as nx, clustermap as cm
    >>> net = cm.from_networkx(nx.karate_club_graph())
    >>> part = cm.find_communities(net, weighted=False, seed=1, runs=10)
    >>> part.n_communities, round(part.quality["modularity"], 4)
    (4, 0.4198)
    >>> part.membership.head(3).tolist()
    [2, 2, 2]
    """
    _check_options(method, resolution, runs, weighted, layers, layer_weights)
    seed = _check_seed(seed)
    setup = _setup(net, layers, bool(weighted), layer_weights)
    labels, objective, stability = _detect(setup, method, float(resolution), seed, int(runs))
    ids = net.nodes.index
    membership = renumber(labels, ids)
    quality = quality_of(setup.combined, membership, setup.combined_weights, setup.combined_ends)
    quality["objective"] = -objective if method == "infomap" else objective
    quality["objective_name"] = (
        "codelength (bits)"
        if method == "infomap"
        else ("weighted sum of layer qualities" if layer_weights is not None else "modularity")
    )
    parameters: dict[str, Any] = {
        "resolution": float(resolution),
        "weighted": bool(weighted),
        "runs": int(runs),
        "direction": "symmetrised",
    }
    if layer_weights is not None:
        parameters["layer_weights"] = {k: float(v) for k, v in layer_weights.items()}
    series = pd.Series(membership, index=ids.copy(), name="community", dtype="int64")
    series.index.name = "id"
    part = Partition(
        membership=series,
        method=method,
        parameters=parameters,
        seed=seed,
        layers=setup.layers,
        quality=quality,
        stability=stability,
    )
    _warn_if_collapsed(part, net)
    log.info("find_communities: %r", part)
    return part


_ADVICE = {
    "label_propagation": "label propagation often floods dense or weakly structured networks "
    "with one label; try method='leiden' (or runs=10 and keep the best)",
    "leiden": "the network may have no community structure at this resolution; try a higher "
    "`resolution` (see scan_resolution) or weighted=False if a few heavy ties dominate",
    "louvain": "the network may have no community structure at this resolution; try a higher "
    "`resolution` (see scan_resolution) or method='leiden'",
    "infomap": "Infomap finds one module when flow does not stay inside groups; try "
    "method='leiden' for modularity-based groups",
}


def _warn_if_collapsed(part: Partition, net: ClusterNetwork) -> None:
    """Say so when a method put every actor of a network with ties into one community."""
    if part.n_communities != 1 or net.n_nodes < 3 or net.n_edges == 0:
        return
    log.warning(
        "find_communities(method=%r) put all %d actors into one community (modularity %.3g): %s",
        part.method,
        net.n_nodes,
        float(part.quality.get("modularity", 0.0)),
        _ADVICE.get(part.method, "try another method or resolution"),
    )


def _heavy_tail(weights: list[np.ndarray | None]) -> float:
    """The ratio of the 99th percentile to the median link weight (1 when unweighted)."""
    present = [w for w in weights if w is not None and len(w)]
    if not present:
        return 1.0
    w = np.concatenate(present)
    median = float(np.median(w))
    return float(np.percentile(w, 99)) / median if median > 0 else math.inf


def significance(
    partition: Partition,
    net: ClusterNetwork,
    *,
    samples: int = 100,
    seed: int | None = None,
) -> pd.Series:
    r"""Say whether the community structure is stronger than chance.

    Random networks have communities too: modularity found by an optimiser
    on a random network with the same degrees is well above zero (Guimerà,
    Sales-Pardo & Amaral 2004, *Phys. Rev. E* 70:025101). So each sample
    rewires the network, keeping every actor's number of partners (igraph's
    degree-preserving edge swaps, ten per tie; the link weights are dealt
    out again at random over the rewired ties), runs the partition's own
    method with its own options on it, and records the best modularity
    found. The partition is significant when its modularity stands well
    above these values:

    .. math:: z = \frac{Q - \bar Q_{null}}{s_{null}}, \qquad
              p = \frac{1 + \#\{Q_{null} \ge Q\}}{1 + \text{samples}}

    Parameters
    ----------
    partition : Partition
        A partition found by :func:`find_communities` on ``net``.
    net : ClusterNetwork
        The network it was found on.
    samples : int
        Number of rewired networks (at least 2). The smallest possible
        p-value is ``1 / (samples + 1)``.
    seed : int, optional
        Random seed (default ``settings.seed``); sample ``i`` uses ``seed + i``.

    Returns
    -------
    pandas.Series
        ``modularity`` (observed), ``null_mean``, ``null_std``, ``z_score``,
        ``p_value`` and ``samples``; the null values are in
        ``attrs["null_modularity"]``. When the structure is no stronger than
        chance, or heavy-tailed weights make the verdict fragile, a warning
        is logged and kept in ``attrs["warnings"]``.

    Examples
    --------
    >>> import networkx as nx, clustermap as cm
    >>> net = cm.from_networkx(nx.karate_club_graph())
    >>> part = cm.find_communities(net, weighted=False, seed=1)
    >>> sig = cm.significance(part, net, samples=20, seed=1)
    >>> bool(sig["z_score"] > 2), float(sig["p_value"]) == 1 / 21
    (True, True)
    """
    if not isinstance(partition, Partition):
        msg = f"`partition` must be a Partition, not {type(partition).__name__}"
        raise ConfigError(msg)
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 2:
        msg = f"`samples` must be a whole number >= 2, not {samples!r}"
        raise ConfigError(msg)
    partition._check_net(net)
    seed = _check_seed(seed)
    params = partition.parameters
    weighted = bool(params.get("weighted", True))
    resolution = float(params.get("resolution", 1.0))
    layer_weights = params.get("layer_weights")
    layers = None if layer_weights is not None else partition.layers
    setup = _setup(net, layers, weighted, layer_weights)
    null = np.empty(int(samples))
    for i in range(int(samples)):
        graphs = []
        with seeded_igraph(seed + i), _igraph_warnings():
            for g in setup.graphs:
                copy = g.copy()
                copy.rewire(n=10 * copy.ecount())
                graphs.append(copy)
        # igraph's rewire drops edge attributes: the weights are dealt out again at random
        shuffle = np.random.default_rng(seed + i)
        weights = [None if w is None else shuffle.permutation(w) for w in setup.weights]
        cw: np.ndarray | None
        if setup.layer_weights is not None:
            combined, cw = _combine(net.n_nodes, graphs, weights, setup.layer_weights)
        else:
            combined, cw = graphs[0], weights[0]
        rewired = _Setup(graphs, weights, setup.layer_weights, setup.layers, combined, cw)
        labels, _ = _run_once(rewired, partition.method, resolution, seed + i)
        null[i] = combined.modularity(labels.tolist(), weights=None if cw is None else cw.tolist())
    observed = float(partition.quality["modularity"])
    mean, std = float(null.mean()), float(null.std(ddof=1))
    z = (observed - mean) / std if std > 0 else (math.inf if observed > mean else 0.0)
    p = (1 + int((null >= observed).sum())) / (1 + int(samples))
    tail = _heavy_tail(setup.weights) if weighted else 1.0
    notes = []
    if z <= 0:
        notes.append(
            f"the partition's modularity ({observed:.3g}) is no higher than rewired networks "
            f"reach (mean {mean:.3g}, z = {z:.2f}): no evidence of community structure"
        )
    if weighted and tail > _HEAVY_TAIL and z < 2:
        notes.append(
            f"link weights are heavy-tailed (99th percentile / median = {tail:.0f}), so a few "
            "ties dominate both the partition and the shuffled-weight null model and the "
            "verdict can flip between weighted and unweighted runs: compare with "
            "find_communities(..., weighted=False) before drawing conclusions"
        )
    for note in notes:
        log.warning("significance: %s", note)
    result = pd.Series(
        {
            "modularity": observed,
            "null_mean": mean,
            "null_std": std,
            "z_score": z,
            "p_value": p,
            "samples": int(samples),
        },
        name="significance",
        dtype=float,
    )
    return stamp(
        result,
        method="significance",
        parameters={
            "samples": int(samples),
            "partition_method": partition.method,
            "resolution": resolution,
            "weighted": weighted,
            "null_model": (
                "degree-preserving rewiring (igraph rewire, 10 swaps per tie, weights shuffled)"
            ),
        },
        seed=seed,
        layers=partition.layers,
        null_modularity=null.tolist(),
        weight_tail_ratio=tail,
        warnings=notes,
    )


#: Above this ratio of the 99th percentile to the median weight, weights count as heavy-tailed.
_HEAVY_TAIL = 50.0

DEFAULT_RESOLUTIONS: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


def scan_resolution(
    net: ClusterNetwork,
    *,
    resolutions: Iterable[float] | None = None,
    method: str = "leiden",
    layers: str | Iterable[str] | None = None,
    weighted: bool = True,
    seed: int | None = None,
    runs: int = 5,
) -> pd.DataFrame:
    r"""Show how the communities change with the resolution, to choose it with evidence.

    For each resolution :math:`\gamma` the method runs ``runs`` times (run
    ``i`` with ``seed + i``) and the best partition is kept, as in
    :func:`find_communities`. A good resolution gives a partition that is
    stable across runs (mean pairwise ARI / NMI near 1), has a high
    modularity (at :math:`\gamma = 1`, so rows compare) and changes little
    from its neighbours (Reichardt & Bornholdt 2006; Lambiotte, Delvenne &
    Barahona 2014 on stability across scales).

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    resolutions : iterable of float, optional
        Resolutions to try (each > 0); default 0.25, 0.5, 0.75, 1, 1.25,
        1.5, 2, 3, 4.
    method : {"leiden", "louvain"}
        A method that has a resolution.
    layers, weighted, seed
        As in :func:`find_communities`.
    runs : int
        Runs per resolution (>= 2 gives the stability columns).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``resolution``: ``n_communities``, ``largest_share``
        (share of actors in the largest community), ``singletons``,
        ``modularity``, ``objective`` (modularity at that resolution),
        ``coverage``, ``stability_ari``, ``stability_nmi`` (empty with one
        run) and ``nmi_to_previous`` (agreement with the row above).

    Examples
    --------
    >>> import networkx as nx, clustermap as cm
    >>> net = cm.from_networkx(nx.karate_club_graph())
    >>> scan = cm.scan_resolution(net, resolutions=[0.5, 1.0, 2.0], weighted=False, seed=1)
    >>> scan["n_communities"].tolist()
    [2, 4, 7]
    """
    from clustermap.analysis.partition import _similarity

    if method not in _RESOLUTION_METHODS:
        msg = (
            f"`method` must be one of {', '.join(map(repr, _RESOLUTION_METHODS))} "
            f"(methods with a resolution), not {method!r}"
        )
        raise ConfigError(msg)
    values = list(DEFAULT_RESOLUTIONS if resolutions is None else resolutions)
    if not values:
        msg = "`resolutions` must hold at least one number > 0"
        raise ConfigError(msg)
    for value in values:
        _check_options(method, value, runs, weighted, layers, None)
    seed = _check_seed(seed)
    setup = _setup(net, layers, bool(weighted), None)
    ids = net.nodes.index
    rows = []
    previous: np.ndarray | None = None
    for gamma in values:
        labels, objective, stability = _detect(setup, method, float(gamma), seed, int(runs))
        membership = renumber(labels, ids)
        q = quality_of(setup.combined, membership, setup.combined_weights, setup.combined_ends)
        rows.append(
            {
                "resolution": float(gamma),
                "n_communities": q["n_communities"],
                "largest_share": max(q["sizes"]) / len(ids),
                "singletons": q["singletons"],
                "modularity": q["modularity"],
                "objective": objective,
                "coverage": q["coverage"],
                "stability_ari": stability["ari"] if stability else np.nan,
                "stability_nmi": stability["nmi"] if stability else np.nan,
                "nmi_to_previous": np.nan
                if previous is None
                else _similarity(previous, membership)[1],
            }
        )
        previous = membership
    table = pd.DataFrame(rows).set_index("resolution")
    return stamp(
        table,
        method=f"scan_resolution ({method})",
        parameters={
            "resolutions": [float(v) for v in values],
            "weighted": bool(weighted),
            "runs": int(runs),
        },
        seed=seed,
        layers=setup.layers,
    )
