"""The model: :class:`ClusterNetwork`, selections, conversion and files."""

from clustermap.graphs.duplicates import (
    LEGAL_FORMS,
    merge_actors,
    normalise_name,
    suggest_duplicates,
)
from clustermap.graphs.io import load_network, save_network
from clustermap.graphs.network import EDGE_COLUMNS, NODE_COLUMNS, ClusterNetwork
from clustermap.graphs.selection import (
    KINDS,
    NODE_KINDS,
    Contains,
    Selection,
    contains,
    resolve_selection,
)

__all__ = [
    "EDGE_COLUMNS",
    "KINDS",
    "LEGAL_FORMS",
    "NODE_COLUMNS",
    "NODE_KINDS",
    "ClusterNetwork",
    "Contains",
    "Selection",
    "contains",
    "load_network",
    "merge_actors",
    "normalise_name",
    "resolve_selection",
    "save_network",
    "suggest_duplicates",
]
