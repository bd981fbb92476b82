"""Private helpers shared by centrality, brokerage and resilience.

Everything here works on the network's cached igraph views and on numpy /
scipy arrays aligned with them (vertex ``i`` is ``net.nodes.index[i]``), so
that no helper loops over actors or links in Python.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, connected_components

from clustermap.errors import ConfigError, EmptyNetworkError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = [
    "VIEW_BYTES_PER_ARC",
    "actor_table",
    "adjacency",
    "checked_layers",
    "edge_arrays",
    "forest_subtree_sums",
    "igraph_quiet",
    "path_lengths",
    "require_actors",
    "sample_sources",
]

log = logging.getLogger(__name__)

#: Peak bytes per arc while an igraph view is built and held (endpoints, igraph's
#: indexes, the weight/count/value attributes as Python lists), measured at 1M links.
VIEW_BYTES_PER_ARC = 250.0


def view_bytes(
    net: ClusterNetwork, layers: list[str] | None, directed: bool | None, arcs: int
) -> float:
    """Bytes that building this igraph view would take, or 0 when it is already cached."""
    layer_list, directed = net._view_key(layers, directed)
    key = ("igraph", tuple(layer_list) if layer_list is not None else None, directed)
    return 0.0 if key in net._cache else VIEW_BYTES_PER_ARC * arcs


def checked_layers(net: ClusterNetwork, layers: str | Iterable[str] | None) -> list[str] | None:
    """Normalise ``layers`` to a checked list, or ``None`` for every layer."""
    if layers is None:
        return None
    names = [layers] if isinstance(layers, str) else list(dict.fromkeys(str(x) for x in layers))
    if not names:
        msg = "`layers` is empty; name at least one layer or pass None for all layers"
        raise ConfigError(msg)
    net._check_layers(names)
    return names


def used_layers(net: ClusterNetwork, layers: list[str] | None) -> list[str]:
    """The layers a computation reads: ``layers`` or every layer of the network."""
    return list(net.layers) if layers is None else layers


def require_actors(net: ClusterNetwork) -> None:
    """Raise :class:`EmptyNetworkError` when the network has no actors."""
    if net.n_nodes == 0:
        msg = "the network has no actors; check the selection that produced it"
        raise EmptyNetworkError(msg)


def actor_table(net: ClusterNetwork) -> pd.DataFrame:
    """The ``name`` and ``kind`` columns, indexed by id: the left side of every table."""
    nodes = net.nodes
    return nodes[["name", "kind"]].copy()


@contextmanager
def igraph_quiet(what: str) -> Iterator[None]:
    """Catch igraph's C-level warnings inside the block and log them instead."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for item in caught:
        log.info("%s: igraph says: %s", what, item.message)


def edge_arrays(g: ig.Graph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Endpoints and weights of a graph's edges as numpy arrays (edge order)."""
    m = g.ecount()
    if m == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    flat = itertools.chain.from_iterable(g.get_edgelist())
    ends = np.fromiter(flat, dtype=np.int64, count=2 * m).reshape(m, 2)
    weight = np.asarray(g.es["weight"], dtype=np.float64)
    return ends[:, 0], ends[:, 1], weight


def path_lengths(g: ig.Graph, weighted: bool) -> list[float] | None:
    """Edge lengths for shortest paths: ``1 / weight`` (or ``None``: every link 1)."""
    if not weighted or g.ecount() == 0:
        return None
    weight = np.asarray(g.es["weight"], dtype=np.float64)
    return list((1.0 / weight).tolist())


def adjacency(g: ig.Graph, *, weighted: bool = True) -> sp.csr_array:
    """The n x n adjacency matrix ``A[u, v]`` = weight of the arc u -> v.

    An undirected graph gives a symmetric matrix (each tie in both
    directions). Self-loops are left out.
    """
    n = g.vcount()
    src, dst, weight = edge_arrays(g)
    if not weighted:
        weight = np.ones_like(weight)
    if not g.is_directed():
        src, dst, weight = (
            np.concatenate([src, dst]),
            np.concatenate([dst, src]),
            np.concatenate([weight, weight]),
        )
    keep = src != dst
    a = sp.csr_array((weight[keep], (src[keep], dst[keep])), shape=(n, n))
    a.sum_duplicates()
    a.sort_indices()
    return a


def sample_sources(n: int, k: int, seed: int) -> np.ndarray:
    """``k`` distinct actors drawn at random (sorted), reproducibly from ``seed``."""
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=min(k, n), replace=False))


def forest_subtree_sums(
    n_nodes: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Root every tree of a forest and sum ``weight`` over each node's subtree.

    The forest has ``n_nodes`` nodes and the edges ``u[i] - v[i]``. Each tree
    is rooted at its lowest-numbered node. The work is one breadth-first
    search (SciPy) plus one numpy step per level of depth, without Python
    lists (which cost seconds on a million nodes).

    Returns
    -------
    parent : numpy.ndarray
        The parent of each node (``-1`` for roots).
    subtree : numpy.ndarray
        The sum of ``weight`` over each node and its descendants.
    tree_total : numpy.ndarray
        The sum of ``weight`` over the whole tree each node belongs to.

    Examples
    --------
    >>> import numpy as np
    >>> parent, sub, total = forest_subtree_sums(
    ...     5, np.array([0, 1, 3]), np.array([1, 2, 4]), np.ones(5))
    >>> parent.tolist(), sub.tolist(), total.tolist()
    ([-1, 0, 1, -1, 3], [3.0, 2.0, 1.0, 2.0, 1.0], [3.0, 3.0, 3.0, 2.0, 2.0])
    """
    weight = np.asarray(weight, dtype=np.float64)
    n_trees, tree = connected_components(
        sp.csr_array((np.ones(len(u), dtype=np.int8), (u, v)), shape=(n_nodes, n_nodes)),
        directed=False,
    )
    roots = np.full(n_trees, n_nodes, dtype=np.int64)
    np.minimum.at(roots, tree, np.arange(n_nodes, dtype=np.int64))
    # one search from a virtual root (node n_nodes) linked to every tree's root
    top = np.full(n_trees, n_nodes, dtype=np.int64)
    links = sp.csr_array(
        (
            np.ones(len(u) + n_trees, dtype=np.int8),
            (np.concatenate([u, top]), np.concatenate([v, roots])),
        ),
        shape=(n_nodes + 1, n_nodes + 1),
    )
    order, before = breadth_first_order(links, n_nodes, directed=False, return_predecessors=True)
    parent = before[:n_nodes].astype(np.int64)
    parent[parent == n_nodes] = -1
    # the search runs level by level, so the parents' positions never decrease:
    # level k + 1 is the run of nodes whose parent lies in level k
    position = np.empty(n_nodes + 1, dtype=np.int64)
    position[order] = np.arange(n_nodes + 1)
    parent_at = position[before[order[1:]]]
    bounds = [0, 1]
    while bounds[-1] < n_nodes + 1:
        bounds.append(1 + int(np.searchsorted(parent_at, bounds[-1], side="left")))
    subtree = weight.copy()
    for level in range(len(bounds) - 2, 1, -1):  # deepest first; level 1 holds the roots
        members = order[bounds[level] : bounds[level + 1]]
        np.add.at(subtree, parent[members], subtree[members])
    return parent, subtree, subtree[roots][tree]
