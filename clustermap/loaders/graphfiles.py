"""Build a :class:`ClusterNetwork` from networkx graphs and graph files.

GraphML, GEXF and GML files are read with networkx (igraph's GML reader
warns from C on common files) and converted with :func:`from_networkx`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import pandas as pd

from clustermap.errors import ConfigError, InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.loaders.tables import from_tables, normalise_kind

__all__ = ["from_networkx", "read_gexf", "read_gml", "read_graphml"]

log = logging.getLogger(__name__)


def from_networkx(
    G: nx.Graph,
    *,
    kind: str = "firm",
    layer: str = "knowledge",
    weight: str | None = None,
    self_loops: Literal["error", "drop", "keep"] = "error",
) -> ClusterNetwork:
    """Convert a networkx graph into a cluster network.

    Node attributes become node columns and edge attributes edge columns.
    A node attribute ``kind`` (firm / supplier / institution) wins over
    ``kind``; ``name`` (or else ``label``) gives the name, and the node
    itself (as text) is the id and, failing both, the name. An edge
    attribute ``layer`` wins over ``layer``. The layer given by ``layer`` is
    directed exactly when ``G`` is.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph, multigraphs included (parallel edges are kept
        as separate rows).
    kind : str
        The kind of actors whose node has no ``kind`` attribute.
    layer : str
        The layer of edges that have no ``layer`` attribute.
    weight : str, optional
        The edge attribute holding the tie strength; missing means 1. By
        default ``weight``, or else a numeric ``value`` attribute (Newman's
        convention for tie strength in GML files such as Les Misérables),
        which is then moved to ``weight`` and logged. Give the attribute's
        name to choose (``weight="value"``, or ``weight="none"`` for
        unweighted ties).
    self_loops : {"error", "drop", "keep"}
        As in :func:`~clustermap.from_tables`.

    Returns
    -------
    ClusterNetwork

    Examples
    --------
    >>> import networkx as nx, clustermap as cm
    >>> net = cm.from_networkx(nx.karate_club_graph())
    >>> net.n_nodes, net.n_edges, net.is_directed("knowledge")
    (34, 78, False)
    """
    if G.number_of_nodes() == 0:
        msg = "the networkx graph has no nodes"
        raise InputError(msg)
    ids = [str(n) for n in G.nodes]
    if len(set(ids)) != len(ids):
        msg = "two nodes of the graph have the same text form; relabel them with unique names"
        raise InputError(msg)
    attrs = pd.DataFrame.from_records([dict(d) for _, d in G.nodes(data=True)])
    nodes = pd.DataFrame({"id": ids})
    if len(attrs.columns):
        attrs = attrs.drop(columns=[c for c in ("id",) if c in attrs.columns])
        nodes = pd.concat([nodes, attrs.reset_index(drop=True)], axis=1)
    name = pd.Series(ids, dtype=object)
    for col in ("label", "name"):
        if col in nodes.columns:
            name = nodes[col].astype(object).where(nodes[col].notna(), name)
    nodes["name"] = name.astype(str)
    if "kind" in nodes.columns:
        nodes["kind"] = nodes["kind"].map(lambda v: v if normalise_kind(v) else None)
        nodes["kind"] = nodes["kind"].fillna(kind)
    else:
        nodes["kind"] = kind
    rows = [
        {
            **{k: v for k, v in d.items() if k not in ("source", "target")},
            "source": str(u),
            "target": str(v),
        }
        for u, v, d in G.edges(data=True)
    ]
    edges = pd.DataFrame.from_records(rows, columns=None if rows else ["source", "target"])
    edges = _weight_column(edges, weight)
    if "weight" in edges.columns:
        edges["weight"] = edges["weight"].fillna(1.0)
    if "layer" in edges.columns:
        edges["layer"] = edges["layer"].fillna(layer)
    else:
        edges["layer"] = layer
    return from_tables(
        nodes,
        edges if len(edges) else None,
        directed={layer: G.is_directed()},
        self_loops=self_loops,
    )


def _numeric(column: pd.Series) -> bool:
    values = pd.to_numeric(column.dropna(), errors="coerce")
    return bool(len(values)) and bool(values.notna().all())


def _weight_column(edges: pd.DataFrame, weight: str | None) -> pd.DataFrame:
    """Choose the edge attribute that holds tie strength and call it ``weight``."""
    if weight is None:
        if "weight" in edges.columns:
            return edges
        if "value" in edges.columns and _numeric(edges["value"]):
            log.warning(
                "the edges' numeric `value` attribute is read as the tie strength (`weight`); "
                "pass weight='none' to read the ties unweighted"
            )
            return edges.rename(columns={"value": "weight"})
        return edges
    if weight.lower() == "none":
        return edges.drop(columns=["weight"], errors="ignore")
    if weight == "weight":
        return edges
    if len(edges) and weight not in edges.columns:
        attrs = ", ".join(map(repr, [c for c in edges.columns if c not in ("source", "target")]))
        msg = (
            f"`weight` {weight!r} is not an edge attribute of the graph; attributes: "
            f"{attrs or 'none'}"
        )
        raise ConfigError(msg)
    if "weight" in edges.columns:
        log.info("the edges' `weight` attribute is replaced by %r", weight)
    edges = edges.drop(columns=["weight"], errors="ignore")
    return edges.rename(columns={weight: "weight"})


def _read(reader: Any, path: str | os.PathLike[str], what: str, **kwargs: Any) -> ClusterNetwork:
    p = Path(path)
    if not p.exists():
        msg = f"{p}: no such file"
        raise InputError(msg)
    if p.is_dir():
        msg = f"{p}: is a folder, not a {what} file"
        raise InputError(msg)
    if what in ("GraphML", "GEXF"):
        with p.open("rb") as fh:
            prolog = fh.read(65536)
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
            msg = (
                f"{p.name}: the file declares a DTD (<!DOCTYPE>), which {what} files do not "
                "need; refused for safety (XML entity attacks). Remove the DOCTYPE line"
            )
            raise InputError(msg)
    try:
        G = reader(p)
    except (
        nx.NetworkXError,
        SyntaxError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        UnicodeDecodeError,
        RecursionError,
        OSError,
    ) as exc:
        msg = f"{p.name}: not a readable {what} file ({type(exc).__name__}: {exc})"
        raise InputError(msg) from None
    if G.number_of_nodes() == 0:
        msg = f"{p.name}: the {what} file holds no nodes"
        raise InputError(msg)
    try:
        net = from_networkx(G, **kwargs)
    except InputError as exc:
        msg = f"{p.name}: {exc}"
        raise type(exc)(msg) from None
    return ClusterNetwork._trusted(net.nodes, net.edges, net.directed, {"source": p.name})


def read_graphml(path: str | os.PathLike[str], **kwargs: Any) -> ClusterNetwork:
    """Read a GraphML file; keyword arguments go to :func:`from_networkx`."""
    return _read(nx.read_graphml, path, "GraphML", **kwargs)


def read_gexf(path: str | os.PathLike[str], **kwargs: Any) -> ClusterNetwork:
    """Read a GEXF file (Gephi); keyword arguments go to :func:`from_networkx`."""
    return _read(nx.read_gexf, path, "GEXF", **kwargs)


def read_gml(path: str | os.PathLike[str], **kwargs: Any) -> ClusterNetwork:
    """Read a GML file; node ids are the GML ``id``s, names their ``label``.

    Keyword arguments go to :func:`from_networkx`.
    """
    return _read(lambda p: nx.read_gml(p, label="id"), path, "GML", **kwargs)
