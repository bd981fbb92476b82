"""Save and load a :class:`ClusterNetwork` as one ``.cmap`` file.

A ``.cmap`` file is a zip archive holding ``header.json`` (format version,
clustermap version, layer directions, metadata), ``nodes.parquet`` and
``edges.parquet``. Parquet keeps every column's type, so a network comes
back identical (``ClusterNetwork.load(p).equals(net)``).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from clustermap._atomic import atomic_path
from clustermap.errors import InputError
from clustermap.graphs.network import ClusterNetwork

__all__ = ["load_network", "save_network"]

FORMAT = "clustermap-network"
FORMAT_VERSION = 1


def _version() -> str:
    from clustermap import __version__

    return __version__


def save_network(net: ClusterNetwork, path: str | os.PathLike[str]) -> Path:
    """Write ``net`` to ``path`` (conventionally ``*.cmap``), atomically.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    target = Path(path)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "clustermap_version": _version(),
        "directed": net.directed,
        "meta": net.meta,
    }
    try:
        header_text = json.dumps(header, indent=2, default=str)
    except (TypeError, ValueError) as exc:  # pragma: no cover - default=str covers most
        msg = f"the network's metadata cannot be saved as JSON: {exc}"
        raise InputError(msg) from exc
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("header.json", header_text)
        for name, table in (("nodes", net.nodes), ("edges", net.edges)):
            buf = io.BytesIO()
            table.to_parquet(buf, engine="pyarrow")
            zf.writestr(f"{name}.parquet", buf.getvalue())
    return target


def load_network(path: str | os.PathLike[str]) -> ClusterNetwork:
    """Read a network written by :func:`save_network`.

    Raises
    ------
    InputError
        When the file is missing, is not a ``.cmap`` archive, or was written
        by a newer format version.
    """
    source = Path(path)
    if not source.exists():
        msg = f"{source}: no such file"
        raise InputError(msg)
    try:
        with zipfile.ZipFile(source) as zf:
            header: dict[str, Any] = json.loads(zf.read("header.json"))
            nodes = pd.read_parquet(io.BytesIO(zf.read("nodes.parquet")), engine="pyarrow")
            edges = pd.read_parquet(io.BytesIO(zf.read("edges.parquet")), engine="pyarrow")
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        msg = f"{source}: not a clustermap network file (.cmap) ({exc})"
        raise InputError(msg) from exc
    if header.get("format") != FORMAT:
        msg = f"{source}: not a clustermap network file (.cmap)"
        raise InputError(msg)
    if int(header.get("format_version", 0)) > FORMAT_VERSION:
        msg = (
            f"{source}: written by a newer clustermap (format {header['format_version']}); "
            "upgrade clustermap to read it"
        )
        raise InputError(msg)
    return ClusterNetwork(nodes, edges, directed=header["directed"], meta=header.get("meta", {}))
