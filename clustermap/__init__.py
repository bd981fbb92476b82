"""clustermap: map industrial clusters as networks.

Firms, their suppliers and the institutions around them, linked by supply and
knowledge relations, as a :class:`ClusterNetwork` of two pandas tables.
Loaders build networks from files and tables; analyses return pandas
results; views write interactive HTML; exports write CSV, Excel and more.

The public names live in the subpackages (each lists them in its
``__all__``) and are loaded on first use, so ``import clustermap`` and the
command line start fast: ``clustermap.centrality`` imports the analysis
part only when it is first asked for. A new public name is added to its
subpackage's ``__all__``; nothing here needs to change.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from clustermap import settings as settings

try:
    __version__ = version("clustermap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:  # what a type checker and an IDE see; at run time names load lazily
    from clustermap.analysis import *  # noqa: F403
    from clustermap.errors import *  # noqa: F403
    from clustermap.exports import *  # noqa: F403
    from clustermap.graphs import *  # noqa: F403
    from clustermap.loaders import *  # noqa: F403
    from clustermap.views import *  # noqa: F403

# Searched in this order for a public name; lighter parts first.
_PARTS = (
    "clustermap.errors",
    "clustermap.graphs",
    "clustermap.loaders",
    "clustermap.exports",
    "clustermap.analysis",
    "clustermap.views",
)


def _public() -> list[str]:
    names = ["__version__", "settings"]
    for part in _PARTS:
        names.extend(importlib.import_module(part).__all__)
    return sorted(set(names), key=names.index)


def __getattr__(name: str) -> Any:
    if name == "__all__":
        return _public()
    if name.startswith("__"):
        raise AttributeError(name)
    for part in _PARTS:
        module = importlib.import_module(part)
        if name in module.__all__:
            value = getattr(module, name)
            globals()[name] = value
            return value
    msg = f"module 'clustermap' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_public()))
