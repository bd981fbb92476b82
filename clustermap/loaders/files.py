"""Read node and link tables from files: CSV, TSV, Excel, Parquet, JSON.

Text files are read the way spreadsheets write them in practice: the
delimiter is sniffed (comma, semicolon, tab or pipe), semicolon files with
decimal commas (European exports) are recognised, and the encoding is
decided per file over the whole file (a byte-order mark, strict UTF-8, a few
stray bytes replaced with a warning naming their rows, else the detected
legacy encoding, named in the log; see :mod:`clustermap.loaders._textfile`).
Rows are parsed by ``pyarrow.csv``; every column is read as text first, so an
id such as ``007`` keeps its leading zeros; numbers are parsed later by
:func:`~clustermap.from_tables`, which knows which columns hold numbers.
Blank rows are skipped and counted, and every message keeps the row numbers a
spreadsheet shows. Broken files (a truncated or encrypted workbook, a
workbook saved as ``.csv``, a truncated Parquet or gzip file, JSON nested too
deeply, a folder) give one :class:`~clustermap.errors.InputError` naming the
file and the fix.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from clustermap._validate import spreadsheet_rows
from clustermap.errors import ConfigError, InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.loaders import _mojibake, _textfile
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
# UTF-8 read as Windows-1252/Latin-1 or MacRoman, as UTF-8 bytes: Ã¤ Ã© â€™ Â  √§
_MOJIBAKE_BYTES = re.compile(
    rb"\xc3\x83[\xc2\xc5\xe2]|\xc3\xa2\xe2\x82\xac|\xc3\x82[\xc2]|\xe2\x88\x9a[\xc2\xc3\xe2]"
)


def _has_mojibake(data: bytes) -> bool:
    """Whether UTF-8 ``data`` holds typical mojibake (fast: literal searches first)."""
    if data.isascii():
        return False
    for lead in (b"\xc3\x83", b"\xc3\xa2\xe2\x82\xac", b"\xc3\x82\xc2", b"\xe2\x88\x9a"):
        start = data.find(lead)
        if start >= 0 and _MOJIBAKE_BYTES.search(data, start, start + 200_000):
            return True
    return False


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
    lines = [line[:2000] for line in lines[:20]]
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


def _read_text(
    path: Path, delimiter: str | None, encoding: str | None, header: bool
) -> pd.DataFrame:
    data = _textfile.raw_bytes(path)
    if not data or data.isspace():
        msg = f"{path.name}: the file is empty (it needs a header row and at least one row)"
        raise InputError(msg)
    blob, enc = _textfile.decode(data, path.name, encoding)
    sample = _textfile.head_text(blob, _HEAD_BYTES)
    sep, decimal = _sniff(sample, _suffix(path), cut=len(blob) > _HEAD_BYTES)
    if delimiter is not None:
        sep = delimiter
    df, blank = _textfile.parse(blob, path.name, sep, header=header)
    first_line = sample.split("\n", 1)[0]
    if df.shape[1] == 1 and delimiter is None:
        for other in (":", "^", "~", "/"):
            if first_line.count(other) >= 2:
                log.warning(
                    "%s: every row is one column; it looks %r-delimited: pass delimiter=%r "
                    "(--delimiter on the command line)",
                    path.name,
                    other,
                    other,
                )
                break
    mojibake = _has_mojibake(_textfile._raw(blob))
    del blob, data
    first_row = 2 if header else 1
    df = _drop_blank_rows(df, path.name, first_row, blank)
    df.attrs.update(first_row=first_row, decimal=decimal, delimiter=sep, encoding=enc, text=True)
    if not mojibake:
        df.attrs["mojibake_free"] = True
    return df


def _drop_blank_rows(
    df: pd.DataFrame, name: str, first_row: int, skipped: Sequence[int]
) -> pd.DataFrame:
    """Drop rows whose every cell is empty, remembering their rows for messages."""
    skipped = list(skipped)
    empty = df.isna().all(axis=1).to_numpy() if df.shape[1] else np.zeros(len(df), bool)
    if empty.any():
        rows = spreadsheet_rows(first_row, len(df), skipped)
        skipped = sorted([*skipped, *rows[empty].tolist()])
        df = df[~empty].reset_index(drop=True)
    if skipped:
        shown = ", ".join(map(str, skipped[:5])) + (" ..." if len(skipped) > 5 else "")
        log.warning("%s: skipped %d blank row(s) (row %s)", name, len(skipped), shown)
        df.attrs["skipped_rows"] = skipped
    return df


_XLSX_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    EOFError,
    SyntaxError,  # xml.etree.ElementTree.ParseError
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
)


def _check_workbook(path: Path) -> None:
    """Refuse files that are not workbooks, or carry XML that Excel never writes."""
    if not zipfile.is_zipfile(path):
        with path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            msg = (
                f"{path.name}: the workbook is password-protected (encrypted) or in the old .xls "
                "format; remove the password (File > Info > Protect Workbook) or save it as .xlsx"
            )
        else:
            msg = (
                f"{path.name}: not an Excel workbook, or a damaged or truncated one (it is not a "
                "valid .xlsx zip archive); save it again from Excel"
            )
        raise InputError(msg)
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                with zf.open(info) as fh:
                    prolog = fh.read(4096)
                if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                    msg = (
                        f"{path.name}: {info.filename} declares a DTD (<!DOCTYPE>), which Excel "
                        "never writes; refused for safety (XML entity attacks). Open the file "
                        "in Excel and save it again"
                    )
                    raise InputError(msg)
    except _XLSX_ERRORS as exc:
        msg = (
            f"{path.name}: a damaged or truncated Excel workbook ({exc}); save it again from Excel"
        )
        raise InputError(msg) from None


def _excel_id(value: Any) -> Any:
    """Whole-number floats Excel stores for ids (7.0) become 7."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_README_SHEET = re.compile(r"read ?me|about|info|notes?|instructions?|contents|cover|meta", re.I)


def _read_excel(path: Path, sheet: str | int | None, header: bool) -> pd.DataFrame:
    import openpyxl

    _check_workbook(path)
    try:
        with path.open("rb") as fh:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                names = list(book.sheetnames)
                chosen = _choose_sheet(path, names, sheet)
                ws = book[chosen]
                rows = list(ws.iter_rows(values_only=True))
                sheet_xml = getattr(ws, "_worksheet_path", None)
            finally:
                book.close()
    except InputError:
        raise
    except _XLSX_ERRORS as exc:
        msg = (
            f"{path.name}: not a readable Excel workbook ({type(exc).__name__}: {exc}); save it "
            "again from Excel"
        )
        raise InputError(msg) from None
    if not rows:
        msg = f"{path.name}: sheet {chosen!r} is empty"
        raise InputError(msg)
    if header:
        columns = ["" if c is None else str(c).strip() for c in rows[0]]
        body = rows[1:]
    else:
        columns = [f"column{i + 1}" for i in range(len(rows[0]))]
        body = rows
    while (
        columns
        and columns[-1] == ""
        and all(len(r) < len(columns) or r[len(columns) - 1] is None for r in body)
    ):
        columns.pop()
    _textfile._check_names([c for c in columns if c], f"{path.name} (sheet {chosen!r})", header)
    width = len(columns)
    df = pd.DataFrame(
        [list(r[:width]) + [None] * (width - len(r)) for r in body], columns=columns, dtype=object
    )
    df = df.map(lambda v: None if isinstance(v, str) and not v.strip() else v)
    if (
        sheet is None
        and len(names) > 1
        and (_README_SHEET.search(chosen) or sum(1 for c in columns if c) <= 1)
    ):
        log.warning(
            "%s: read the first sheet %r, which looks like notes rather than a table; choose "
            "the sheet with sheet= (--sheet on the command line): sheets are %s",
            path.name,
            chosen,
            names,
        )
    if sheet_xml:
        _warn_uncached_formulas(path, sheet_xml)
    first_row = 2 if header else 1
    df = _drop_blank_rows(df, path.name, first_row, [])
    df.attrs.update(first_row=first_row, excel=True, sheet=chosen)
    return df


def _choose_sheet(path: Path, names: list[str], sheet: str | int | None) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            msg = f"{path.name}: there is no sheet number {sheet}; sheets are {names}"
            raise InputError(msg)
        return names[sheet]
    if sheet not in names:
        msg = f"{path.name}: there is no sheet {sheet!r}; sheets are {names}"
        raise InputError(msg)
    return sheet


_UNCACHED = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f[ >/](?:(?!</c>).)*?</c>', re.S)


_CACHED = re.compile(rb"<v(?: [^>]*)?>[^<]+</v>|<is>")


def _warn_uncached_formulas(path: Path, member: str) -> None:
    """Warn about formula cells saved without a value (read as empty)."""
    with zipfile.ZipFile(path) as zf:
        xml = zf.read(member.lstrip("/"))
    if b"<f" not in xml:
        return
    cells = [m.group(1).decode() for m in _UNCACHED.finditer(xml) if not _CACHED.search(m.group(0))]
    if cells:
        log.warning(
            "%s: %d formula cell(s) have no saved value and are read as empty (%s); open the "
            "file in Excel, let it calculate and save it again",
            path.name,
            len(cells),
            ", ".join(cells[:10]) + (" ..." if len(cells) > 10 else ""),
        )


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # without pandas' metadata, text columns stay Arrow-backed (no Python strings)
        # and a stored index comes back as an ordinary column (an `id` index stays `id`)
        df = pq.read_table(path).to_pandas(ignore_metadata=True)
        df.columns = [str(c) for c in df.columns]
    except (pa.ArrowException, OSError, ValueError) as exc:
        msg = (
            f"{path.name}: not a readable Parquet file, or a truncated one ({exc}); write it again"
        )
        raise InputError(msg) from None
    dup = df.columns[df.columns.duplicated()]
    if len(dup):
        msg = (
            f"{path.name}: the column name {dup[0]!r} appears twice; give every column its own name"
        )
        raise InputError(msg)
    df.attrs.update(first_row=1)
    return df


def _json_data(path: Path) -> Any:
    try:
        return json.loads(_textfile.raw_bytes(path))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path.name}: not valid JSON ({exc})"
        raise InputError(msg) from None
    except RecursionError:
        msg = f"{path.name}: the JSON is nested too deeply to be a table"
        raise InputError(msg) from None


def _read_json(path: Path, key: str | None) -> pd.DataFrame:
    data = _json_data(path)
    if isinstance(data, Mapping):
        keys = [k for k in data if isinstance(data[k], list)]
        if not keys:
            msg = (
                f"{path.name}: holds no table; expected a list of records ([{{...}}, ...]) or "
                'an object whose values are such lists ({"nodes": [...], "links": [...]})'
            )
            raise InputError(msg)
        if key is None:
            if len(keys) == 1:
                key = keys[0]
            else:
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
    try:
        df = pd.DataFrame.from_records(data)
    except (TypeError, ValueError) as exc:  # pragma: no cover - records are dicts here
        msg = f"{path.name}: the records do not form a table ({exc})"
        raise InputError(msg) from None
    df.columns = [str(c) for c in df.columns]
    df = df.map(lambda v: str(v) if isinstance(v, dict | list) else v)
    df.attrs.update(first_row=1)
    return df


def read_table(
    path: PathLike,
    *,
    sheet: str | int | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    header: bool = True,
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
        Override the sniffed delimiter of a text file (one character).
    encoding : str, optional
        The encoding of a text file. By default it is decided per file: a
        byte-order mark, else UTF-8 if the whole file is UTF-8 (a few stray
        bytes are replaced, with a warning naming their rows), else detected
        (Windows-1252, Latin-1, Big5, Shift-JIS...) and logged.
    header : bool
        Whether the first row names the columns (text and Excel files).
        Without it the columns are called ``column1``, ``column2``...

    Returns
    -------
    pandas.DataFrame
        Text files give text columns. ``df.attrs`` records the file name and
        the spreadsheet row of the first data row (and of skipped blank
        rows), so validation errors can point at the right row.

    Raises
    ------
    InputError
        When the file cannot be read as a table; the message names the file
        (and the row) and says how to fix it.
    ConfigError
        For an unknown ``encoding`` or a ``delimiter`` that is not one character.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "firms.csv"
    >>> _ = p.write_text("id;name;kind;employees\n007;Acme;firm;1,5\n", encoding="utf-8")
    >>> df = read_table(p)
    >>> df["id"].tolist(), df.attrs["delimiter"], df.attrs["decimal"]
    (['007'], ';', ',')
    """
    _textfile.check_options(encoding, delimiter)
    p = Path(path)
    if not p.exists():
        msg = f"{p}: no such file"
        raise InputError(msg)
    if p.is_dir():
        msg = f"{p}: is a folder, not a file; give the table file inside it"
        raise InputError(msg)
    suffix = _suffix(p)
    if suffix in _TEXT:
        df = _read_text(p, delimiter, encoding, header)
    elif suffix in _EXCEL:
        df = _read_excel(p, sheet, header)
    elif suffix in _PARQUET:
        df = _read_parquet(p)
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
    encoding: str | None = None,
    delimiter: str | None = None,
    header: bool = True,
    keep_placeholders: bool = False,
    fix_text: bool = False,
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
    columns, layer, directed, drop_dangling, self_loops, keep_placeholders
        As in :func:`~clustermap.from_tables`.
    encoding, delimiter : str, optional
        The encoding and delimiter of every text file (detected per file by
        default, see :func:`read_table`).
    header : bool
        Whether the first row of each links file names its columns (node
        files always need a header row). Without one, the columns are read
        as ``source, target`` then ``weight`` (a third column of numbers) or
        ``layer`` (of text); further columns are ``column4``...
    fix_text : bool
        Repair mis-encoded text (``UniversitÃ¤t`` -> ``Universität``) with
        ftfy, logging how many cells changed with examples. Without it, a
        warning says when such text is seen.

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
    _textfile.check_options(encoding, delimiter)
    options: dict[str, Any] = {
        "encoding": encoding,
        "delimiter": delimiter,
        "header": header,
        "fix_text": fix_text,
    }
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
            node_tables[kind] = _read_role(path, sheet, "nodes", **options)
    else:
        tables = []
        for spec in _as_list(nodes):
            path, kind = _parse_node_spec(spec)
            table = _read_role(path, sheet, "nodes", **options)
            if kind is not None:
                if "kind" in table.columns:
                    log.info("%s: the kind column is replaced by %r", path.name, kind)
                source = table.attrs
                table = table.assign(kind=kind)
                table.attrs = dict(source)
            tables.append(table)
        node_tables = tables
    link_tables = (
        [_read_role(p, sheet, "links", **options) for p in _as_list(links)]
        if links is not None
        else None
    )
    if header and link_tables:
        frames = list(node_tables.values()) if isinstance(node_tables, dict) else node_tables
        _warn_headerless(link_tables, frames or [], columns or {})
    net = from_tables(
        node_tables,
        link_tables,
        columns=columns,
        layer=layer,
        directed=directed,
        drop_dangling=drop_dangling,
        self_loops=self_loops,
        keep_placeholders=keep_placeholders,
    )
    meta = {
        "nodes": [Path(_parse_node_spec(p)[0]).name for p in _spec_paths(nodes)],
        "links": [Path(p).name for p in _as_list(links)] if links is not None else [],
    }
    return ClusterNetwork._trusted(net.nodes, net.edges, net.directed, meta)


_HEADERLESS = {"links": ("source", "target")}


def _read_role(
    path: PathLike,
    sheet: str | int | None,
    role: str,
    *,
    encoding: str | None,
    delimiter: str | None,
    header: bool,
    fix_text: bool,
) -> pd.DataFrame:
    """Read a node or link file with the shared options."""
    text = _suffix(Path(path)) in _TEXT
    header = header or role == "nodes"
    table = read_table(
        path,
        sheet=_sheet_for(path, sheet, role),
        encoding=encoding if text else None,
        delimiter=delimiter if text else None,
        header=header,
    )
    name = str(table.attrs.get("source", Path(path).name))
    if not header:
        table = _name_headerless(table, role)
    if fix_text:
        table = _mojibake.fix_mojibake(table, name)
    elif not table.attrs.get("mojibake_free"):
        count, examples = _mojibake.mojibake_examples(table)
        if count:
            log.warning(
                "%s: %d cell(s) look mis-encoded (e.g. %s); pass fix_text=True (--fix-text) "
                "to repair them",
                name,
                count,
                ", ".join(map(repr, examples)),
            )
    return table


def _name_headerless(table: pd.DataFrame, role: str) -> pd.DataFrame:
    """Name the columns of a file read without a header row."""
    names = list(_HEADERLESS[role])
    if role == "links" and table.shape[1] >= 3:
        third = pd.to_numeric(table.iloc[:, 2], errors="coerce")
        names.append("weight" if third.notna().all() else "layer")
    renames = dict(zip(table.columns, names, strict=False))
    attrs = dict(table.attrs)
    out = table.rename(columns=renames)
    out.attrs = attrs
    return out


def _warn_headerless(
    links: Sequence[pd.DataFrame], nodes: Sequence[pd.DataFrame], columns: Mapping[str, str]
) -> None:
    """Warn when a link file's header row looks like a link (its names are ids)."""
    for table in links:
        wanted = [columns.get(c, c) for c in ("source", "target")]
        if all(c in table.columns for c in wanted) or table.shape[1] < 2:
            continue
        head = [str(c) for c in table.columns[:2]]
        seen: set[str] = set()
        for frame in nodes:
            col = columns.get("id", "id")
            if col in frame.columns:
                seen.update(frame[col].dropna().astype(str).head(1_000_000))
        for col in table.columns[:2]:
            seen.update(table[col].dropna().astype(str).head(100_000))
        if all(h in seen for h in head):
            log.warning(
                "%s: the first row (%s) looks like a link, not a header: its values are ids "
                "used elsewhere. If the file has no header row, pass header=False "
                "(--no-header on the command line)",
                table.attrs.get("source", "a links file"),
                ", ".join(map(repr, head)),
            )


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
        data = _json_data(p)
    except InputError:
        return sheet
    if isinstance(data, Mapping):
        for key in (role,) if role == "nodes" else ("links", "edges"):
            if key in data:
                return key
    return sheet
