"""Loaders: files and tables -> :class:`~clustermap.ClusterNetwork`."""

from clustermap.loaders.employment_generator import make_employment
from clustermap.loaders.files import read_table, read_tables
from clustermap.loaders.generator import make_cluster
from clustermap.loaders.graphfiles import from_networkx, read_gexf, read_gml, read_graphml
from clustermap.loaders.io_tables import from_io_tables
from clustermap.loaders.lists import from_lists
from clustermap.loaders.participations import from_participations
from clustermap.loaders.roster import from_roster
from clustermap.loaders.tables import from_tables

__all__ = [
    "from_io_tables",
    "from_lists",
    "from_networkx",
    "from_participations",
    "from_roster",
    "from_tables",
    "make_cluster",
    "make_employment",
    "read_gexf",
    "read_gml",
    "read_graphml",
    "read_table",
    "read_tables",
]
