"""Simulated knowledge diffusion: how likely knowledge starting at some actors reaches the others.

Two classic models of spreading on a network (Kempe, Kleinberg & Tardos 2003):

- *independent cascade*: an actor who has just learnt something gets one
  chance to pass it along each of its ties, succeeding with the tie's
  probability ``p(i->j)``;
- *linear threshold*: each actor adopts once the weight of its informed
  partners, as a share of the weight of all its partners, passes a random
  threshold drawn uniformly from [0, 1].

Both are simulated through their *live-edge* form, which gives the same
distribution of who is reached after each step: per run, sample which ties
are live once (independent cascade: each tie with its probability; linear
threshold: each actor keeps exactly one incoming tie, chosen with probability
proportional to its weight, Claim 2.6 of the paper), then the actors reached
are those a search from the sources finds along live ties, and the step at
which an actor is reached is its search depth. Runs are batched: each batch
of runs is one block-diagonal sparse graph searched once in C by SciPy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from clustermap import settings
from clustermap._provenance import stamp
from clustermap.analysis._spillover_graph import (
    DEFAULT_LAYERS,
    TransferGraph,
    check_int,
    describe_selection,
    resolve_positions,
    transfer_graph,
)
from clustermap.errors import ConfigError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork
    from clustermap.graphs.selection import Selection

__all__ = ["DIFFUSION_MODELS", "simulate_diffusion"]

log = logging.getLogger(__name__)

#: The diffusion models :func:`simulate_diffusion` knows.
DIFFUSION_MODELS: tuple[str, ...] = ("independent_cascade", "linear_threshold")

#: About how many random numbers (and graph cells) one batch of runs may use.
_BATCH_CELLS = 4_000_000


# A sampler draws the live arcs of ``b`` runs at once and returns them as the
# block-diagonal adjacency matrix of the batch (run ``i`` uses vertices
# ``i * n ... i * n + n - 1``), assembled without sorting.
_Sampler = Callable[[np.random.Generator, int], sp.sparray]


def _cascade_sampler(tg: TransferGraph) -> _Sampler:
    """Independent cascade: each arc is live with its probability, independently."""
    keep = tg.p > 0
    tail, head, p = tg.src[keep], tg.dst[keep], tg.p[keep]  # sorted by tail
    n, m = tg.n, len(p)

    def sample(rng: np.random.Generator, b: int) -> sp.sparray:
        run, arc = np.divmod(np.flatnonzero(rng.random((b, m)) < p), max(m, 1))
        rows = run * n + tail[arc]  # sorted: runs in order, arcs sorted by tail
        indptr = np.zeros(b * n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=b * n), out=indptr[1:])
        return sp.csr_array((np.ones(len(rows)), run * n + head[arc], indptr), shape=(b * n, b * n))

    return sample


def _threshold_sampler(tg: TransferGraph) -> _Sampler:
    """Linear threshold, live-edge form: each actor keeps one incoming arc, by weight.

    Incoming weights are normalised per receiver, ``b_uv = w_uv / sum_u w_uv``,
    so they sum to one and every actor with incoming ties keeps exactly one:
    the receiver draws ``u`` uniformly in [0, 1) and keeps the arc whose slice
    ``(b_1 + ... + b_(i-1), b_1 + ... + b_i]`` of (0, 1] is the first to end after ``u``.
    """
    keep = np.flatnonzero(tg.weight > 0)
    order = keep[np.argsort(tg.dst[keep], kind="stable")]
    tails, heads, w = tg.src[order], tg.dst[order], tg.weight[order]
    first = np.flatnonzero(np.diff(heads, prepend=-1))  # heads are sorted
    counts = np.diff(np.append(first, len(heads)))
    receivers, r, n = heads[first], len(first), tg.n
    segment = np.repeat(np.arange(r), counts)
    share = w / np.bincount(segment, weights=w)[segment]
    cum = np.cumsum(share)
    within = np.minimum(cum - (cum[first] - share[first])[segment], 1.0)
    last = first + counts - 1
    within[last] = 1.0
    key = segment + within  # non-decreasing; receiver s spans (s, s + 1]

    def sample(rng: np.random.Generator, b: int) -> sp.sparray:
        query = (np.arange(r) + rng.random((b, r))).ravel()
        pick = np.minimum(np.searchsorted(key, query, side="right"), np.tile(last, b))
        offset = np.repeat(np.arange(b) * n, r)
        # one live arc per receiver, receivers in order: a CSC matrix as it stands
        cols = offset + np.tile(receivers, b)
        indptr = np.zeros(b * n + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=b * n), out=indptr[1:])
        return sp.csc_array(
            (np.ones(len(cols)), offset + tails[pick], indptr), shape=(b * n, b * n)
        ).tocsr()

    return sample


def _check_model(model: str) -> str:
    if model not in DIFFUSION_MODELS:
        msg = f"`model` must be one of {', '.join(map(repr, DIFFUSION_MODELS))}, not {model!r}"
        raise ConfigError(msg)
    return model


def simulate_diffusion(
    net: ClusterNetwork,
    *,
    sources: Selection,
    model: str = "independent_cascade",
    runs: int | None = None,
    seed: int | None = None,
    layers: str | Iterable[str] | None = DEFAULT_LAYERS,
    probability: str | None = None,
    max_steps: int | None = None,
) -> pd.DataFrame:
    """Simulate knowledge spreading from some actors and say how likely each actor is to receive it.

    Start a piece of knowledge at the sources (say, a research centre's new
    technique), let it spread over the ties many times at random, and count
    how often each actor receives it and after how many steps: actors with a
    low probability are out of the loop, whatever their direct ties suggest.

    **Models** (Kempe, Kleinberg & Tardos 2003). *Independent cascade*: an
    actor who has just received the knowledge gets one chance to pass it to
    each partner ``j``, succeeding with probability ``p(i->j) = w_ij / s_i``
    (``s_i`` the total weight of ``i``'s ties; see
    :func:`~clustermap.spillover_paths`) or with a links column's
    probabilities (``probability=``). *Linear threshold*: each actor ``v``
    draws a threshold uniformly in [0, 1] and adopts once the weight of its
    informed partners reaches that share of the weight of all its incoming
    ties (weights normalised per receiver, ``b_uv = w_uv / sum_u w_uv``).
    Both run through their live-edge equivalents (the module docstring):
    steps are search depths, and sources are reached at step 0.

    Parameters
    ----------
    net : ClusterNetwork
        The cluster.
    sources : selection
        Where the knowledge starts: ids, a kind or ``{column: values}``.
    model : {"independent_cascade", "linear_threshold"}
        The spreading model.
    runs : int, optional
        Number of simulated runs (default ``settings.diffusion_runs``). The
        standard error of a probability is at most ``0.5 / sqrt(runs)``.
    seed : int, optional
        Random seed (default ``settings.seed``); the same seed gives the
        same result.
    layers : str or list of str, optional
        Layers knowledge travels on (default ``("knowledge",)``). Undirected
        ties carry it both ways; directed ones only forwards.
    probability : str, optional
        Independent cascade only: a links column of pass probabilities.
    max_steps : int, optional
        Stop spreading after this many steps (default: until it stops).

    Returns
    -------
    pandas.DataFrame
        Indexed by id, in network order: ``name``, ``kind``, ``source``
        (bool), ``probability`` (share of runs in which the actor was
        reached), ``probability_se`` (its Monte-Carlo standard error) and
        ``mean_steps`` (mean step at which it was reached, over the runs
        that reached it; missing when never reached). ``attrs`` also holds
        ``spread_mean`` and ``spread_quantiles`` of the number of
        non-source actors reached per run.

    Raises
    ------
    InputError
        When ``sources`` selects nobody.
    ConfigError
        For an unknown ``model``, ``runs`` or ``max_steps`` below 1, or a
        ``probability`` column with the linear threshold model.

    References
    ----------
    Kempe, D., Kleinberg, J. & Tardos, É. (2003). Maximizing the spread of
    influence through a social network. *Proceedings of KDD '03*, 137-146.
    Goldenberg, J., Libai, B. & Muller, E. (2001). Talk of the network: a
    complex systems look at the underlying process of word-of-mouth.
    *Marketing Letters* 12(3), 211-223.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["u", "a"], "name": ["Uni", "A"], "kind": ["institution", "firm"]},
    ...     {"source": ["u"], "target": ["a"], "layer": "knowledge", "p": [0.3]},
    ... )
    >>> sim = cm.simulate_diffusion(net, sources=["u"], probability="p", runs=20_000, seed=1)
    >>> round(float(sim.loc["a", "probability"]), 2), float(sim.loc["a", "mean_steps"])
    (0.3, 1.0)
    """
    model = _check_model(model)
    runs = check_int(settings.diffusion_runs if runs is None else runs, "runs", minimum=1)
    if max_steps is not None:
        max_steps = check_int(max_steps, "max_steps", minimum=1)
    if probability is not None and model != "independent_cascade":
        msg = (
            "`probability` applies to the independent cascade only; the linear threshold "
            "model uses the links' weights (normalised over each receiver's ties)"
        )
        raise ConfigError(msg)
    seed = settings.seed if seed is None else seed
    tg = transfer_graph(net, layers=layers, probability=probability)
    src = resolve_positions(net, sources, "sources")
    n = tg.n
    sampler = _cascade_sampler(tg) if model == "independent_cascade" else _threshold_sampler(tg)
    rng = np.random.default_rng(seed)
    batch = max(1, min(runs, _BATCH_CELLS // max(tg.m, n, 1)))
    reached = np.zeros(n, dtype=np.int64)
    steps = np.zeros(n, dtype=np.float64)
    spread: list[np.ndarray] = []
    limit = np.inf if max_steps is None else float(max_steps)
    done = 0
    while done < runs:
        b = min(batch, runs - done)
        graph = sampler(rng, b)
        starts = (src[None, :] + (np.arange(b) * n)[:, None]).ravel()
        dist = dijkstra(
            graph, directed=True, indices=starts, unweighted=True, min_only=True, limit=limit
        ).reshape(b, n)
        hit = np.isfinite(dist)
        reached += hit.sum(axis=0)
        steps += np.where(hit, dist, 0.0).sum(axis=0)
        spread.append(hit.sum(axis=1) - len(src))
        done += b
    prob = reached / runs
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_steps = np.where(reached > 0, steps / np.maximum(reached, 1), np.nan)
    nodes = net.nodes
    is_source = np.zeros(n, dtype=bool)
    is_source[src] = True
    table = pd.DataFrame(
        {
            "name": nodes["name"],
            "kind": nodes["kind"],
            "source": is_source,
            "probability": prob,
            "probability_se": np.sqrt(prob * (1 - prob) / runs),
            "mean_steps": mean_steps,
        },
        index=nodes.index,
    )
    sizes = np.concatenate(spread)
    log.info(
        "simulate_diffusion: %s, %d runs, %.1f actors reached per run on average",
        model,
        runs,
        float(sizes.mean()),
    )
    return stamp(
        table,
        method=f"simulate_diffusion/{model}",
        parameters={
            "sources": describe_selection(sources),
            "model": model,
            "runs": runs,
            "probability": probability,
            "max_steps": max_steps,
        },
        seed=seed,
        layers=tg.layers,
        spread_mean=float(sizes.mean()),
        spread_quantiles={
            str(q): float(v)
            for q, v in zip((10, 50, 90), np.percentile(sizes, [10, 50, 90]), strict=True)
        },
    )
