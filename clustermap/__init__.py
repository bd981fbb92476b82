"""clustermap: map industrial clusters as networks.

Firms, their suppliers and the institutions around them, linked by supply and
knowledge relations, as a :class:`ClusterNetwork` of two pandas tables.
Loaders build networks from files and tables; analyses return pandas
results; views write interactive HTML; exports write CSV, Excel and more.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("clustermap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from clustermap import settings
from clustermap.analysis import *  # noqa: F403
from clustermap.analysis import __all__ as _analysis_all
from clustermap.errors import ClusterMapError, ConfigError, EmptyNetworkError, InputError
from clustermap.exports import write_csv, write_excel, write_gexf, write_graphml, write_json
from clustermap.graphs import KINDS, ClusterNetwork, resolve_selection
from clustermap.loaders import (
    from_networkx,
    from_participations,
    from_tables,
    make_cluster,
    read_gexf,
    read_gml,
    read_graphml,
    read_table,
    read_tables,
)
from clustermap.views import *  # noqa: F403
from clustermap.views import __all__ as _views_all

__all__ = [
    "KINDS",
    "ClusterMapError",
    "ClusterNetwork",
    "ConfigError",
    "EmptyNetworkError",
    "InputError",
    "__version__",
    "from_networkx",
    "from_participations",
    "from_tables",
    "make_cluster",
    "read_gexf",
    "read_gml",
    "read_graphml",
    "read_table",
    "read_tables",
    "resolve_selection",
    "settings",
    "write_csv",
    "write_excel",
    "write_gexf",
    "write_graphml",
    "write_json",
    *_analysis_all,
    *_views_all,
]
