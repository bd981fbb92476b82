"""Spreadsheet safety and the fast Excel writer behind :func:`clustermap.write_excel`.

One guard (:func:`guard_text`) covers every text cell a spreadsheet gets from
clustermap: data cells, every level of the index and of the header, the
``about`` sheet and sheet names. Text that a spreadsheet would run as a
formula (it begins with ``=``, ``+``, ``-``, ``@``, tab, carriage return or
line feed, also after leading spaces, or with their full-width forms) gets a
leading ``'``; text that is just a number (``"-3.5"``) is left as it is,
since a spreadsheet reads it as that number and nothing else. Numbers are
never touched.

Workbooks are written with XlsxWriter in constant-memory mode (rows are
streamed to disk as they are written), with formulas, URLs and numbers in
text cells switched off, so even an unguarded string could never become a
formula. Text columns are checked with Arrow, so only the cells that begin
with a trigger are guarded one by one. openpyxl is used only to read.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from clustermap.errors import ConfigError

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "Sheet",
    "flat_header",
    "guard_formulas",
    "guard_index",
    "guard_series",
    "guard_text",
    "sheet_names",
    "write_workbook",
]

log = logging.getLogger(__name__)

#: Rows in an Excel sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576
#: Columns in an Excel sheet.
EXCEL_MAX_COLUMNS = 16_384
#: Characters in one Excel cell.
EXCEL_MAX_TEXT = 32_767

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"\s*[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*\Z")
#: A cell that may need the guard: a trigger after leading spaces (RE2 syntax, for Arrow).
_MAYBE_DANGEROUS = r"^[ \x{a0}]*[=+\-@\t\r\n\x{ff1d}\x{ff0b}\x{ff0d}\x{ff20}]"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_SAMPLE = 500


def _dangerous(text: str) -> bool:
    return text.lstrip(" \u00a0").startswith(_TRIGGERS) and _NUMBER.match(text) is None


def guard_text(value: str) -> str:
    """Return ``value`` with a leading ``'`` when a spreadsheet would run it as a formula.

    Examples
    --------
    >>> guard_text("=1+1"), guard_text(" @SUM(A1)"), guard_text("Acme")
    ("'=1+1", "' @SUM(A1)", 'Acme')
    >>> guard_text("-3.5"), guard_text("-3.5+1")
    ('-3.5', "'-3.5+1")
    """
    return "'" + value if _dangerous(value) else value


def _guard_any(value: Any) -> Any:
    """One cell of an object column: text guarded, numbers and missing values kept."""
    if isinstance(value, str):
        return guard_text(value)
    if value is None or isinstance(value, bool | int | float | np.number | np.bool_):
        return value
    if isinstance(value, datetime | date | pd.Timestamp | np.datetime64):
        return value
    if value is pd.NA or value is pd.NaT:
        return value
    return guard_text(str(value))


def _arrow_text(values: pd.Series) -> pa.Array | None:
    """The column as Arrow text (null where missing) when it holds only text; else ``None``."""
    dtype = values.dtype
    try:
        if pd.api.types.is_object_dtype(dtype):
            if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
                return None
            return pa.array(values.to_numpy(), type=pa.large_string(), from_pandas=True)
        if pd.api.types.is_string_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
            text = pa.array(values.array)
            if isinstance(text, pa.ChunkedArray):
                text = text.combine_chunks()
            return text.cast(pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # NaT, lone surrogates
        return None
    return None


def _to_guard(text: pa.Array) -> tuple[np.ndarray, list[str]]:
    """Positions of the cells of ``text`` that need the guard, and their guarded text.

    Arrow finds the few cells that begin with a trigger (after spaces); the
    exact test of :func:`guard_text` then runs on those only.
    """
    maybe = pc.match_substring_regex(text, _MAYBE_DANGEROUS).fill_null(False)
    positions = np.flatnonzero(maybe.to_numpy(zero_copy_only=False))
    if not len(positions):
        return positions, []
    cells = text.take(pa.array(positions)).to_pylist()
    keep = [i for i, v in enumerate(cells) if _dangerous(v)]
    return positions[keep], ["'" + cells[i] for i in keep]


def guard_series(values: pd.Series) -> pd.Series:
    """Guard every text cell of one column; numeric, boolean and date columns come back as they are.

    Text columns are checked with Arrow, so only the cells that begin with a
    trigger are looked at one by one; columns mixing text with other objects
    go cell by cell.

    Examples
    --------
    >>> import pandas as pd
    >>> guard_series(pd.Series(["=x", "-3.5", None], dtype=object)).tolist()
    ["'=x", '-3.5', None]
    >>> guard_series(pd.Series([-1.5, 2.0])).tolist()
    [-1.5, 2.0]
    """
    s = values
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    is_object = pd.api.types.is_object_dtype(s.dtype)
    if not is_object and not pd.api.types.is_string_dtype(s.dtype):
        return values
    text = _arrow_text(s)
    if text is None:
        return pd.Series([_guard_any(v) for v in s.tolist()], index=s.index, dtype=object)
    positions, guarded = _to_guard(text)
    if not is_object and not len(positions):
        return values
    cells = s.to_numpy(dtype=object, copy=True)
    cells[positions] = guarded
    return pd.Series(cells, index=s.index, name=None if is_object else s.name, dtype=object)


def guard_index(index: pd.Index) -> pd.Index:
    """Guard every level of an index (values and level names), keeping its shape.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.MultiIndex.from_tuples([("=a", 1), ("b", 2)], names=["@by", "n"])
    >>> out = guard_index(idx)
    >>> list(out), list(out.names)
    ([("'=a", 1), ('b', 2)], ["'@by", 'n'])
    """
    names = [guard_text(n) if isinstance(n, str) else n for n in index.names]
    if isinstance(index, pd.MultiIndex):
        levels = [
            guard_series(pd.Series(index.get_level_values(i))).to_numpy()
            for i in range(index.nlevels)
        ]
        return pd.MultiIndex.from_arrays(levels, names=names)
    if not _is_text(index.dtype):
        return index.rename(names[0])
    return pd.Index(guard_series(pd.Series(index)).to_numpy(), name=names[0])


def _is_text(dtype: Any) -> bool:
    return (
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


def guard_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` whose text cannot run as spreadsheet formulas.

    Every text cell, every level of the index and of the columns (values and
    names) goes through :func:`guard_text`. Numbers are left alone, so
    ``-3.5`` stays a number, and so does text that is just a number.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"name": ["=1+1", "Acme", "-x"], "score": [-1.0, 2.0, 3.0]})
    >>> guard_formulas(df)["name"].tolist(), guard_formulas(df)["score"].tolist()
    (["'=1+1", 'Acme', "'-x"], [-1.0, 2.0, 3.0])
    """
    data = {i: guard_series(df.iloc[:, i]) for i in range(df.shape[1])}
    out = pd.DataFrame(data, index=df.index)
    out.index = guard_index(df.index)
    out.columns = guard_index(df.columns)
    out.attrs = dict(df.attrs)
    return out


# ------------------------------------------------------------------ workbook


@dataclass(frozen=True)
class Sheet:
    """One sheet to write: its name, its table and whether the index is written."""

    name: str
    table: pd.DataFrame
    index: bool = True


def sheet_names(names: Sequence[str]) -> list[str]:
    r"""Valid, distinct Excel sheet names (31 characters, no ``[]:*?/\``, no formula start).

    Examples
    --------
    >>> sheet_names(["a/b", "=1+1", "A/B", "history"])
    ['a_b', '_=1+1', 'A_B (2)', 'history (2)']
    """
    used: set[str] = {"history"}  # Excel reserves it
    out = []
    for name in names:
        base = _SHEET_BAD.sub("_", str(name)).strip("'")[:31] or "sheet"
        if _dangerous(base):
            base = ("_" + base)[:31]
        candidate, n = base, 2
        while candidate.lower() in used:
            suffix = f" ({n})"
            candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(candidate.lower())
        out.append(candidate)
    return out


def _cells(values: pd.Series | pd.Index) -> list[Any]:
    """One guarded column as Python values XlsxWriter writes natively; ``None`` where missing."""
    s = pd.Series(values, copy=False) if isinstance(values, pd.Index) else values
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return [None if v is pd.NA else bool(v) for v in s.astype(object)]
    if pd.api.types.is_integer_dtype(dtype):
        if s.hasnans:
            return [None if v is pd.NA else int(v) for v in s.astype(object)]
        return s.to_numpy().tolist()
    if pd.api.types.is_float_dtype(dtype):
        arr = s.to_numpy(dtype=np.float64, na_value=np.nan)
        out = arr.astype(object)
        out[np.isnan(arr)] = None
        inf = np.isinf(arr)
        if inf.any():
            out[inf] = [guard_text(str(v)) for v in arr[inf]]
        return out.tolist()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = s.dt.tz_convert("UTC").dt.tz_localize(None) if s.dt.tz is not None else s
        return [None if pd.isna(v) else v.to_pydatetime() for v in stamps]
    out_list: list[Any] = []
    for v in guard_series(s.astype(object)).tolist():
        if v is None or v is pd.NA or v is pd.NaT:
            out_list.append(None)
        elif isinstance(v, str | bool | int | datetime):
            out_list.append(v)
        elif isinstance(v, float):
            out_list.append(None if math.isnan(v) else v if math.isfinite(v) else str(v))
        elif isinstance(v, np.generic):
            item = v.item()
            bad = isinstance(item, float) and not math.isfinite(item)
            out_list.append(None if bad and math.isnan(item) else str(item) if bad else item)
        else:
            out_list.append(guard_text(str(v)))
    return out_list


def _width(cells: list[Any], header: str) -> float:
    """A column width that fits the header and a sample of the cells (not every cell)."""
    longest = 0
    step = max(1, len(cells) // _SAMPLE)
    for v in cells[::step][:_SAMPLE]:
        if v is None:
            continue
        n = len(f"{v:.6g}") if isinstance(v, float) else len(str(v))
        longest = max(longest, n)
    return float(min(max(len(header), longest, 6) + 2, 60))


def flat_header(value: Any) -> str:
    """One header cell for a column label; the levels of a MultiIndex label joined by `` / ``.

    Examples
    --------
    >>> flat_header(("=share", "all")), flat_header(("note", "")), flat_header(3)
    ("'=share / all", 'note', '3')
    """
    if isinstance(value, tuple):
        return " / ".join(flat_header(v) for v in value if str(v) != "")
    return guard_text(str(value))


def _headers(sheet: Sheet) -> tuple[list[str], int]:
    """Header cells of a sheet, index levels first; and how many index columns there are."""
    table = sheet.table
    headers: list[str] = []
    n_index = 0
    if sheet.index:
        index = table.index
        for i in range(index.nlevels):
            name = index.names[i]
            default = "id" if index.nlevels == 1 else f"level_{i}"
            headers.append(guard_text(str(name)) if name is not None else default)
        n_index = index.nlevels
    headers += [flat_header(c) for c in table.columns]
    return headers, n_index


def _values(sheet: Sheet) -> list[pd.Series]:
    """The columns of a sheet as they are written, index levels first."""
    table = sheet.table
    columns: list[pd.Series] = []
    if sheet.index:
        levels = [table.index.get_level_values(i) for i in range(table.index.nlevels)]
        columns += [pd.Series(level, copy=False) for level in levels]
    columns += [table.iloc[:, i] for i in range(table.shape[1])]
    return columns


def _check_size(sheet: Sheet, n_columns: int) -> None:
    rows = len(sheet.table) + 1
    if rows > EXCEL_MAX_ROWS:
        msg = (
            f"sheet {sheet.name!r} has {len(sheet.table):,} rows, more than an Excel sheet holds "
            f"({EXCEL_MAX_ROWS - 1:,} below the header): write CSV instead (a .csv output), "
            "or keep fewer rows (--max-rows where the command has it)"
        )
        raise ConfigError(msg)
    if n_columns > EXCEL_MAX_COLUMNS:
        msg = (
            f"sheet {sheet.name!r} has {n_columns:,} columns, more than an Excel sheet holds "
            f"({EXCEL_MAX_COLUMNS:,}): write CSV instead, or choose fewer columns (columns=)"
        )
        raise ConfigError(msg)


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` to a new ``.xlsx`` at ``path`` with XlsxWriter, streaming rows.

    Each sheet gets a bold header row, frozen panes below the header and
    right of the index, an autofilter over its cells and column widths that
    fit the header and a sample of rows. Every text cell is guarded; text is
    always written as text, never as a formula or a link.
    """
    import xlsxwriter

    for sheet in sheets:
        _check_size(sheet, len(_headers(sheet)[0]))
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "remove_timezone": True,
        "default_date_format": "yyyy-mm-dd hh:mm:ss",
    }
    book = xlsxwriter.Workbook(str(path), options)
    try:
        bold = book.add_format({"bold": True})
        for sheet in sheets:
            _write_sheet(book.add_worksheet(sheet.name), sheet, bold)
        book.close()
    except BaseException:
        # constant-memory mode keeps each sheet's rows in a temporary file: close them
        for ws in book.worksheets():
            handle = getattr(ws, "row_data_fh", None)
            if handle is not None and not handle.closed:
                handle.close()
        raise


#: Rows written at a time, so memory stays flat on long sheets.
_CHUNK = 100_000


def _write_sheet(ws: Any, sheet: Sheet, bold: Any) -> None:
    headers, n_index = _headers(sheet)
    n_rows = len(sheet.table)
    ws.freeze_panes(1, n_index)
    if n_rows and headers:
        ws.autofilter(0, 0, n_rows, len(headers) - 1)
    ws.write_row(0, 0, headers, bold)
    columns = _values(sheet)
    # widths from a sample of the first rows, not from every cell
    first = min(n_rows, _CHUNK)
    sample = np.arange(0, first, max(1, first // _SAMPLE))[:_SAMPLE]
    for col, (header, values) in enumerate(zip(headers, columns, strict=True)):
        ws.set_column(col, col, _width(_cells(values.iloc[sample]), header))
    long: set[str] = set()
    for start in range(0, n_rows, _CHUNK):
        cells = [_cells(v.iloc[start : start + _CHUNK]) for v in columns]
        long |= {h for h, c in zip(headers, cells, strict=True) if _too_long(c)}
        write_row, write = ws.write_row, ws.write
        for r, row in enumerate(zip(*cells, strict=True), start=start + 1):
            # write_row stops at a cell whose text it cuts: the cells after it go one by one
            if write_row(r, 0, row):
                for col, value in enumerate(row):
                    write(r, col, value)
    if long:
        log.warning(
            "sheet %r: text longer than Excel's %d characters per cell is cut in column(s) %s",
            sheet.name,
            EXCEL_MAX_TEXT,
            ", ".join(sorted(long)),
        )


def _too_long(cells: list[Any]) -> bool:
    return any(isinstance(v, str) and len(v) > EXCEL_MAX_TEXT for v in cells)
