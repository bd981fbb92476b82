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
import zlib
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


#: Largest size of one table inside a ``.cmap`` file, once decompressed.
MAX_MEMBER_BYTES = 8 * 1024**3
#: Largest ``header.json``.
MAX_HEADER_BYTES = 16 * 1024**2
#: Largest ratio of a member's decompressed to compressed size. Parquet is
#: already compressed, so a real network stays far below this; a zip bomb
#: (1.5 MB inflating to 1.5 GiB) is a thousand.
MAX_RATIO = 100
_MEMBERS = ("header.json", "nodes.parquet", "edges.parquet")


def _invalid(source: Path, why: str) -> InputError:
    return InputError(f"{source}: not a valid clustermap network (.cmap): {why}")


def _check_members(source: Path, zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Check every member's declared size and compression ratio before reading any."""
    infos = {i.filename: i for i in zf.infolist()}
    missing = [m for m in _MEMBERS if m not in infos]
    if missing:
        raise _invalid(source, f"it lacks {', '.join(missing)}")
    for name in _MEMBERS:
        info = infos[name]
        limit = MAX_HEADER_BYTES if name == "header.json" else MAX_MEMBER_BYTES
        if info.file_size > limit:
            raise _invalid(
                source, f"{name} would be {info.file_size:,} bytes, more than {limit:,} allowed"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024**2 and ratio > MAX_RATIO:
            raise _invalid(
                source,
                f"{name} inflates {ratio:,.0f} times ({info.compress_size:,} to "
                f"{info.file_size:,} bytes; a network is at most {MAX_RATIO} times): refused "
                "as a possible zip bomb",
            )
    return infos


def _read_member(source: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) > info.file_size:  # pragma: no cover - zipfile stops at the declared size
        raise _invalid(source, f"{info.filename} is larger than it declares")
    return data


def _header(source: Path, raw: bytes) -> dict[str, Any]:
    try:
        header = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _invalid(source, f"header.json is not JSON ({exc})") from None
    if not isinstance(header, dict):
        raise _invalid(source, f"header.json holds a {type(header).__name__}, not an object")
    if header.get("format") != FORMAT:
        raise _invalid(source, f"header.json says format {header.get('format')!r}")
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _invalid(source, f"format_version {version!r} is not a format version")
    if version > FORMAT_VERSION:
        msg = (
            f"{source}: written by a newer clustermap (format {version}); upgrade clustermap "
            "to read it"
        )
        raise InputError(msg)
    directed = header.get("directed")
    if not isinstance(directed, dict) or not all(
        isinstance(k, str) and isinstance(v, bool) for k, v in directed.items()
    ):
        raise _invalid(source, "header.json `directed` must map layer names to true/false")
    meta = header.get("meta", {})
    if not isinstance(meta, dict):
        raise _invalid(source, "header.json `meta` must be an object")
    return header


def _table(source: Path, name: str, raw: bytes) -> pd.DataFrame:
    import pyarrow as pa

    try:
        return pd.read_parquet(io.BytesIO(raw), engine="pyarrow")
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        raise _invalid(source, f"{name} is not a readable Parquet table ({exc})") from None


def load_network(path: str | os.PathLike[str]) -> ClusterNetwork:
    """Read a network written by :func:`save_network`.

    Member sizes and compression ratios are checked against
    :data:`MAX_MEMBER_BYTES` and :data:`MAX_RATIO` before anything is
    decompressed, and every table is validated as :class:`ClusterNetwork` does.

    Raises
    ------
    InputError
        When the file is missing, is not a ``.cmap`` archive, is crafted or
        damaged (the message names the file and what is wrong), or was
        written by a newer format version.
    """
    source = Path(path)
    if not source.exists():
        msg = f"{source}: no such file"
        raise InputError(msg)
    if source.is_dir():
        msg = f"{source}: is a folder, not a .cmap file"
        raise InputError(msg)
    try:
        with zipfile.ZipFile(source) as zf:
            infos = _check_members(source, zf)
            header = _header(source, _read_member(source, zf, infos["header.json"]))
            nodes = _table(
                source, "nodes.parquet", _read_member(source, zf, infos["nodes.parquet"])
            )
            edges = _table(
                source, "edges.parquet", _read_member(source, zf, infos["edges.parquet"])
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, OSError) as exc:
        msg = f"{source}: not a clustermap network file (.cmap), or a damaged one ({exc})"
        raise InputError(msg) from None
    try:
        return ClusterNetwork(
            nodes, edges, directed=header["directed"], meta=header.get("meta", {})
        )
    except (InputError, ValueError, TypeError, KeyError) as exc:
        raise _invalid(source, str(exc)) from None
