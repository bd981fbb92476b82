"""Read node and link tables from files: CSV, TSV, Excel, Parquet, JSON.

Text files are read the way spreadsheets write them in practice: the
delimiter is sniffed (comma, semicolon, tab or pipe), semicolon files with
decimal commas (European exports) are recognised, and UTF-8, UTF-8 with a
byte-order mark and Windows-1252 are accepted (a warning is logged when the
Windows-1252 fallback was needed). Every column is read as text first, so an
id such as ``007`` keeps its leading zeros; numbers are parsed later by
:func:`~clustermap.from_tables`, which knows which columns hold numbers.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from clustermap.errors import ConfigError, InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.loaders.tables import from_tables, normalise_kind

__all__ = ["read_table", "read_tables"]

log = logging.getLogger(__name__)

PathLike = str | os.PathLike[str]
_TEXT = (".csv", ".txt", ".tsv", ".tab")
_EXCEL = (".xlsx", ".xlsm")
_PARQUET = (".parquet", ".pq")
_JSON = (".json",)
_FIELD = r"(?:^|;)\s*\"?[-+]?{}\"?\s*(?=;|$)"
# 48,8566 or 1.250.000,50: a decimal comma, maybe with dots between thousands
_DECIMAL_COMMA_FIELD = re.compile(_FIELD.format(r"(?:\d{1,3}(?:\.\d{3})+|\d+),\d+"), re.MULTILINE)
# 35.000 or 1.250.000: dots between thousands, or three decimals: ambiguous alone
_THOUSANDS_DOT_FIELD = re.compile(_FIELD.format(r"\d{1,3}(?:\.\d{3})+"), re.MULTILINE)
# 2.5 or 0.1234: a decimal point that cannot be a thousands separator
_DECIMAL_POINT_FIELD = re.compile(_FIELD.format(r"\d*\.(?:\d{1,2}|\d{4,})"), re.MULTILINE)


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


_HEAD_BYTES = 65536


def _head(path: Path, size: int = _HEAD_BYTES) -> bytes:
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as fh:
        data: bytes = fh.read(size)
        return data


def _sniff(sample: str, suffix: str, *, cut: bool) -> tuple[str, str]:
    """Return (delimiter, decimal) for a text sample (``cut``: it ends mid-file).

    A semicolon file uses decimal commas when a field reads like ``48,8566`` or
    ``1.250.000,50``, or when every dotted number reads like thousands
    (``35.000``) and none like a decimal point (``2.5``).
    """
    if suffix in (".tsv", ".tab"):
        return "\t", "."
    lines = [line for line in sample.splitlines() if line.strip()]
    if cut and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be incomplete
    lines = lines[:50]
    text = "\n".join(lines)
    try:
        sep = csv.Sniffer().sniff(text, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: text.count(d) for d in (",", ";", "\t", "|")}
        sep = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    comma = bool(_DECIMAL_COMMA_FIELD.search(text)) or (
        bool(_THOUSANDS_DOT_FIELD.search(text)) and not _DECIMAL_POINT_FIELD.search(text)
    )
    return sep, "," if sep == ";" and comma else "."


def _read_text(path: Path, delimiter: str | None, encoding: str | None) -> pd.DataFrame:
    head = _head(path)
    enc = encoding
    if enc is None:
        try:
            head.decode("utf-8")
            enc = "utf-8-sig"
        except UnicodeDecodeError as exc:
            # a multi-byte character cut at the end of the sample is not an error
            enc = "utf-8-sig" if exc.start >= len(head) - 3 else "cp1252"
    sample = head.decode(enc, errors="replace")
    sep, decimal = _sniff(sample, _suffix(path), cut=len(head) >= _HEAD_BYTES)
    if delimiter is not None:
        sep = delimiter
    kwargs: dict[str, Any] = {
        "sep": sep,
        "dtype": str,
        "keep_default_na": False,
        "na_values": [""],
        "skipinitialspace": True,
    }
    try:
        df = pd.read_csv(path, encoding=enc, **kwargs)
    except UnicodeDecodeError:
        if encoding is not None:
            msg = f"{path.name}: cannot be read as {encoding}; check the file's encoding"
            raise InputError(msg) from None
        enc = "cp1252"
        df = pd.read_csv(path, encoding=enc, **kwargs)
    except pd.errors.ParserError as exc:
        msg = f"{path.name}: the rows do not split into the same columns ({exc}); check quoting"
        raise InputError(msg) from exc
    except pd.errors.EmptyDataError:
        msg = f"{path.name}: the file is empty (it needs a header row and at least one row)"
        raise InputError(msg) from None
    if enc == "cp1252" and encoding is None:
        log.warning(
            "%s is not UTF-8; read it as Windows-1252. Save it as 'CSV UTF-8' to be sure "
            "accents are right.",
            path.name,
        )
    df.columns = [str(c).strip() for c in df.columns]
    df.attrs.update(first_row=2, decimal=decimal, delimiter=sep, encoding=enc)
    return df


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except (OSError, KeyError, ValueError) as exc:
        msg = f"{path.name}: not a readable Excel workbook ({exc})"
        raise InputError(msg) from exc
    names = list(book.sheetnames)
    book.close()
    if sheet is None:
        sheet = names[0]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            msg = f"{path.name}: there is no sheet number {sheet}; sheets are {names}"
            raise InputError(msg)
        sheet = names[sheet]
    elif sheet not in names:
        msg = f"{path.name}: there is no sheet {sheet!r}; sheets are {names}"
        raise InputError(msg)
    df = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl")
    df.columns = [str(c).strip() for c in df.columns]
    df = df.dropna(how="all")
    df.attrs.update(first_row=2, excel=True, sheet=sheet)
    return df


def _read_json(path: Path, key: str | None) -> pd.DataFrame:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path.name}: not valid UTF-8 JSON ({exc})"
        raise InputError(msg) from exc
    if isinstance(data, Mapping):
        keys = [k for k in data if isinstance(data[k], list)]
        if key is None:
            msg = (
                f"{path.name} holds several tables ({', '.join(keys)}); choose one with "
                "sheet= (--sheet on the command line)"
            )
            raise InputError(msg)
        if key not in data:
            msg = f"{path.name}: there is no table {key!r}; tables are {keys}"
            raise InputError(msg)
        data = data[key]
    if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
        msg = f"{path.name}: expected a list of records ([{{...}}, ...])"
        raise InputError(msg)
    df = pd.DataFrame.from_records(data)
    df.attrs.update(first_row=1)
    return df


def read_table(
    path: PathLike,
    *,
    sheet: str | int | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    r"""Read one table from a CSV, TSV, Excel, Parquet or JSON file.

    Parameters
    ----------
    path : str or path
        The file; its ending chooses the reader (``.csv``, ``.txt``,
        ``.tsv``, ``.tab``, each optionally ``.gz``; ``.xlsx``, ``.xlsm``;
        ``.parquet``; ``.json``).
    sheet : str or int, optional
        The Excel sheet (name or 0-based number; the first by default), or
        the key of the table in a JSON file that holds several.
    delimiter : str, optional
        Override the sniffed delimiter of a text file.
    encoding : str, optional
        Override the encoding of a text file (UTF-8, then Windows-1252).

    Returns
    -------
    pandas.DataFrame
        Text files give text columns. ``df.attrs`` records the file name and
        the spreadsheet row of the first data row, so validation errors can
        point at the right row.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "firms.csv"
    >>> _ = p.write_text("id;name;kind;employees\n007;Acme;firm;1,5\n", encoding="utf-8")
    >>> df = read_table(p)
    >>> df["id"].tolist(), df.attrs["delimiter"], df.attrs["decimal"]
    (['007'], ';', ',')
    """
    p = Path(path)
    if not p.exists():
        msg = f"{p}: no such file"
        raise InputError(msg)
    suffix = _suffix(p)
    if suffix in _TEXT:
        df = _read_text(p, delimiter, encoding)
    elif suffix in _EXCEL:
        df = _read_excel(p, sheet)
    elif suffix in _PARQUET:
        df = pd.read_parquet(p)
        df.attrs.update(first_row=1)
    elif suffix in _JSON:
        df = _read_json(p, None if sheet is None else str(sheet))
    elif suffix == ".xls":
        msg = f"{p.name}: the old .xls format is not supported; save it as .xlsx"
        raise InputError(msg)
    else:
        msg = (
            f"{p.name}: unknown file type {suffix!r}; use .csv, .tsv, .txt, .xlsx, .parquet "
            "or .json"
        )
        raise InputError(msg)
    df.attrs["source"] = p.name
    return df


def _parse_node_spec(spec: PathLike) -> tuple[Path, str | None]:
    """Split ``"firms.csv:firm"`` into the path and the kind."""
    text = os.fspath(spec)
    head, sep, tail = text.rpartition(":")
    if sep and head and normalise_kind(tail) is not None:
        return Path(head), normalise_kind(tail)
    if sep and head and not Path(text).exists() and Path(head).exists():
        msg = (
            f"{text}: {tail!r} is not a kind; write FILE:firm, FILE:supplier or "
            "FILE:institution to give a whole file one kind"
        )
        raise ConfigError(msg)
    return Path(text), None


def _as_list(value: PathLike | Sequence[PathLike]) -> list[PathLike]:
    if isinstance(value, str | os.PathLike):
        return [value]
    return list(value)


def read_tables(
    nodes: PathLike | Sequence[PathLike] | Mapping[str, PathLike] | None = None,
    links: PathLike | Sequence[PathLike] | None = None,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    layer: str | None = None,
    directed: Mapping[str, bool] | None = None,
    drop_dangling: bool = False,
    self_loops: Literal["error", "drop", "keep"] = "error",
) -> ClusterNetwork:
    """Read a cluster network from node and link files.

    Parameters
    ----------
    nodes : path, list of paths, {kind: path} or None
        Node files. A path written ``"firms.csv:firm"`` gives every actor in
        that file one kind, so firms, suppliers and institutions can come in
        separate files; so does ``{"firm": "firms.csv", ...}``. ``None``
        derives the actors from the links.
    links : path or list of paths, optional
        Link files.
    sheet : str or int, optional
        The sheet of Excel files (or the table of JSON files holding several;
        for a JSON file holding ``nodes`` and ``links``, those keys are used).
    columns, layer, directed, drop_dangling, self_loops
        As in :func:`~clustermap.from_tables`.

    Returns
    -------
    ClusterNetwork
        Its ``meta`` records the files read.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.read_tables("data/demo/nodes.csv", "data/demo/links.csv")
    >>> net.meta["nodes"]
    ['nodes.csv']
    """
    node_tables: list[pd.DataFrame] | dict[str, pd.DataFrame] | None
    if nodes is None:
        node_tables = None
    elif isinstance(nodes, Mapping):
        node_tables = {}
        for key, path in nodes.items():
            kind = normalise_kind(key)
            if kind is None:
                msg = f"`nodes` keys must be kinds (firm, supplier, institution), not {key!r}"
                raise ConfigError(msg)
            node_tables[kind] = read_table(path, sheet=_sheet_for(path, sheet, "nodes"))
    else:
        tables = []
        for spec in _as_list(nodes):
            path, kind = _parse_node_spec(spec)
            table = read_table(path, sheet=_sheet_for(path, sheet, "nodes"))
            if kind is not None:
                if "kind" in table.columns:
                    log.info("%s: the kind column is replaced by %r", path.name, kind)
                source = table.attrs
                table = table.assign(kind=kind)
                table.attrs = dict(source)
            tables.append(table)
        node_tables = tables
    link_tables = (
        [read_table(p, sheet=_sheet_for(p, sheet, "links")) for p in _as_list(links)]
        if links is not None
        else None
    )
    net = from_tables(
        node_tables,
        link_tables,
        columns=columns,
        layer=layer,
        directed=directed,
        drop_dangling=drop_dangling,
        self_loops=self_loops,
    )
    meta = {
        "nodes": [Path(_parse_node_spec(p)[0]).name for p in _spec_paths(nodes)],
        "links": [Path(p).name for p in _as_list(links)] if links is not None else [],
    }
    return ClusterNetwork._trusted(net.nodes, net.edges, net.directed, meta)


def _spec_paths(nodes: Any) -> list[PathLike]:
    if nodes is None:
        return []
    if isinstance(nodes, Mapping):
        return list(nodes.values())
    return _as_list(nodes)


def _sheet_for(path: PathLike, sheet: str | int | None, role: str) -> str | int | None:
    """For a JSON file holding both tables, pick ``nodes`` or ``links``/``edges``."""
    p = Path(path)
    if sheet is not None or _suffix(p) != ".json":
        return sheet
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return sheet
    if isinstance(data, Mapping):
        for key in (role,) if role == "nodes" else ("links", "edges"):
            if key in data:
                return key
    return sheet
