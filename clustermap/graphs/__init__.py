"""The model: :class:`ClusterNetwork`, selections, conversion and files."""

from clustermap.graphs.io import load_network, save_network
from clustermap.graphs.network import EDGE_COLUMNS, NODE_COLUMNS, ClusterNetwork
from clustermap.graphs.selection import KINDS, NODE_KINDS, Selection, resolve_selection

__all__ = [
    "EDGE_COLUMNS",
    "KINDS",
    "NODE_COLUMNS",
    "NODE_KINDS",
    "ClusterNetwork",
    "Selection",
    "load_network",
    "resolve_selection",
    "save_network",
]
