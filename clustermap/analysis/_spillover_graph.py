"""Private: the transfer graph that spillover paths, reach and diffusion share.

Knowledge is taken to travel along ties. On a tie from ``i`` to ``j`` it
passes with probability

    p(i->j) = w_ij / s_i,        s_i = sum_k w_ik   (self-loops left out)

that is, an actor spreads its attention over its ties in proportion to their
weight (the transition probability of a random walk). On an undirected layer
every tie carries knowledge both ways, each way with its own probability
(``w / s_i`` one way, ``w / s_j`` the other). On a directed layer knowledge
travels in the direction of the link. A user may replace these probabilities
with a column of the links table (values in (0, 1]); parallel links between
the same pair then combine as independent chances, ``1 - prod(1 - p)``.

The arcs are numpy arrays in the order of the network's directed igraph view
(``directed=True``: each undirected tie becomes two arcs), which is fetched
(and cached by the network) only when an igraph algorithm needs it.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

from clustermap.errors import ConfigError, InputError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork
    from clustermap.graphs.selection import Selection

__all__ = [
    "DEFAULT_LAYERS",
    "TransferGraph",
    "check_int",
    "describe_selection",
    "distinct",
    "igraph_quiet",
    "layer_list",
    "resolve_positions",
    "transfer_graph",
]

#: The layers spillover analyses read unless told otherwise.
DEFAULT_LAYERS: tuple[str, ...] = ("knowledge",)


def layer_list(net: ClusterNetwork, layers: str | Iterable[str] | None) -> list[str]:
    """Normalise ``layers`` to a checked list (``None``: every layer of the network)."""
    if layers is None:
        names = list(net.layers)
    elif isinstance(layers, str):
        names = [layers]
    else:
        names = list(dict.fromkeys(str(x) for x in layers))
    if not names:
        msg = "`layers` is empty; name at least one layer (e.g. 'knowledge')"
        raise ConfigError(msg)
    net._check_layers(names)
    return names


def check_int(value: Any, name: str, *, minimum: int) -> int:
    """Return ``value`` as an int, or raise ConfigError naming the option."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        msg = f"`{name}` must be a whole number >= {minimum}, not {value!r}"
        raise ConfigError(msg)
    return int(value)


def resolve_positions(net: ClusterNetwork, selection: Selection, argument: str) -> np.ndarray:
    """Resolve a selection to vertex positions (igraph vertex ids), in network order."""
    ids = net.resolve(selection, argument=argument)
    return np.asarray(net.nodes.index.get_indexer(ids), dtype=np.int64)


@dataclass
class TransferGraph:
    """Arcs of the selected layers with their pass probabilities.

    Attributes
    ----------
    net : ClusterNetwork
        The network the arcs come from.
    src, dst : numpy.ndarray
        Arc endpoints (vertex positions).
    weight : numpy.ndarray
        Aggregated link weight of each arc (0 on self-loops).
    p : numpy.ndarray
        Probability that knowledge passes along each arc (0 on self-loops).
    layers : list of str
        The layers read.
    probability : str or None
        The links column the probabilities came from, or ``None`` for
        ``w_ij / s_i``.
    """

    net: ClusterNetwork
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    p: np.ndarray
    layers: list[str]
    probability: str | None

    @property
    def n(self) -> int:
        """Number of actors (vertices)."""
        return self.net.n_nodes

    @cached_property
    def graph(self) -> ig.Graph:
        """The network's cached directed igraph view, built on first use.

        Edge ``e`` is the arc ``src[e] -> dst[e]``. Never mutate it: copy it first.
        """
        graph = self.net._igraph(layers=self.layers, directed=True)
        if graph.ecount() != self.m:  # pragma: no cover - guards the model's contract
            msg = "internal error: the igraph view and the arc table disagree"
            raise RuntimeError(msg)
        return graph

    @property
    def m(self) -> int:
        """Number of arcs."""
        return len(self.src)

    def cost(self) -> np.ndarray:
        """Arc lengths ``-ln p``: short arcs pass knowledge well (infinite when p = 0)."""
        with np.errstate(divide="ignore"):
            c = -np.log(self.p)
        return np.maximum(c, 0.0)

    def csr(self, mask: np.ndarray | None = None) -> sp.csr_array:
        """The arcs (those with p > 0, or those in ``mask``) as a 0/1 sparse matrix."""
        keep = self.p > 0 if mask is None else mask
        n = self.n
        return sp.csr_array(
            (np.ones(int(keep.sum())), (self.src[keep], self.dst[keep])), shape=(n, n)
        )


def _column_probability(
    net: ClusterNetwork,
    names: Sequence[str],
    column: str,
    key: np.ndarray,
) -> np.ndarray:
    """Pass probabilities from a links column, aggregated onto the arcs ``key``."""
    edges = net.edges
    if column not in edges.columns or column in ("source", "target", "layer"):
        msg = (
            f"`probability` names column {column!r}, which the links table does not have "
            f"as a data column; columns are: {', '.join(map(repr, edges.columns))}"
        )
        raise ConfigError(msg)
    e = edges[edges["layer"].isin(names)]
    values = pd.to_numeric(e[column], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~(np.isfinite(values) & (values > 0) & (values <= 1))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        link = e.iloc[first]
        # the network keeps no file rows: name the link by what a user can filter for
        msg = (
            f"the link {link['source']!r} -> {link['target']!r} (layer {link['layer']!r}): "
            f"column {column!r} (used as `probability`) must be a number in (0, 1] on every "
            f"link of the layers read, found {e[column].iloc[first]!r} "
            f"({int(bad.sum())} such links; filter the links table on column {column!r})"
        )
        raise InputError(msg)
    index = net.nodes.index
    s = index.get_indexer(pd.Index(e["source"])).astype(np.int64)
    t = index.get_indexer(pd.Index(e["target"])).astype(np.int64)
    both = ~e["layer"].map(net.directed).to_numpy(dtype=bool)
    s, t = np.concatenate([s, t[both]]), np.concatenate([t, s[both]])
    values = np.concatenate([values, values[both]])
    n = max(len(index), 1)
    pos = np.searchsorted(key, s * n + t)
    with np.errstate(divide="ignore"):
        log_miss = np.log1p(-values)
    total = np.bincount(pos, weights=log_miss, minlength=len(key))
    return np.asarray(-np.expm1(total), dtype=np.float64)


def transfer_graph(
    net: ClusterNetwork,
    *,
    layers: str | Iterable[str] | None,
    probability: str | None = None,
) -> TransferGraph:
    """Build the :class:`TransferGraph` of ``layers`` (see the module docstring)."""
    names = layer_list(net, layers)
    src, dst, attrs, _ = net._view_arcs(layers=names, directed=True)
    loop = src == dst
    weight = np.where(loop, 0.0, attrs["weight"].to_numpy(dtype=np.float64))
    if probability is None:
        strength = np.bincount(src, weights=weight, minlength=net.n_nodes)
        denom = strength[src]
        p = np.divide(weight, denom, out=np.zeros_like(weight), where=denom > 0)
    else:
        if not isinstance(probability, str):
            msg = f"`probability` must be the name of a links column, not {probability!r}"
            raise ConfigError(msg)
        n = max(net.n_nodes, 1)
        p = _column_probability(net, names, probability, src * n + dst)
        p[loop] = 0.0
    p = np.clip(p, 0.0, 1.0)
    return TransferGraph(net, src, dst, weight, p, names, probability)


@contextmanager
def igraph_quiet(logger: logging.Logger) -> Iterator[None]:
    """Catch igraph's C-level warnings (e.g. unreachable vertices) and log them instead."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for item in caught:
        logger.debug("igraph: %s", item.message)


def describe_selection(selection: Any) -> Any:
    """A short, JSON-friendly description of a selection for provenance records."""
    if isinstance(selection, str | Mapping):
        return selection
    items = list(selection)
    if len(items) <= 20:
        return [str(x) for x in items]
    return f"{len(items)} ids"


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array.

    Sorting and masking repeats is many times faster than :func:`numpy.unique`
    (hash-based in numpy 2.4) on the millions of pair keys counted here.
    """
    if len(values) == 0:
        return values
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
