"""Write results to CSV, Excel and JSON, safely.

Any result can be written: a :class:`pandas.DataFrame` or
:class:`pandas.Series` (indexed by node id, stamped with how it was made), or
a result object that has ``to_frame()`` (its main table), optionally
``to_sheets()`` (named tables for Excel) and ``provenance`` (how it was made).

Safety rules, for files that travel:

- CSV is UTF-8 with a byte-order mark, so Excel shows accents.
- Text cells beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return get a leading ``'`` in CSV and Excel (never in JSON), so a firm
  called ``=HYPERLINK(...)`` stays text when opened in a spreadsheet.
- Every file is written to a temporary name in the same folder and renamed
  when complete: a reader never sees half a file.
- How the result was made goes with it: a ``*.meta.json`` beside a CSV, an
  ``about`` sheet in Excel, a ``meta`` key in JSON.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from clustermap._atomic import atomic_path
from clustermap._provenance import provenance
from clustermap.errors import ConfigError

__all__ = ["guard_formulas", "write_csv", "write_excel", "write_json"]

PathLike = str | os.PathLike[str]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _guard_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def guard_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` whose text cells cannot run as spreadsheet formulas.

    Text (in cells, the index and the header) that begins with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return gets a leading ``'``. Numbers are
    left alone, so ``-3.5`` stays a number.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"name": ["=1+1", "Acme", "-x"], "score": [-1.0, 2.0, 3.0]})
    >>> guard_formulas(df)["name"].tolist(), guard_formulas(df)["score"].tolist()
    (["'=1+1", 'Acme', "'-x"], [-1.0, 2.0, 3.0])
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            out[col] = s.map(_guard_value, na_action="ignore")
    if pd.api.types.is_object_dtype(out.index) or pd.api.types.is_string_dtype(out.index):
        out.index = pd.Index(
            [_guard_value(v) for v in out.index], name=_guard_value(out.index.name)
        )
    out.columns = [_guard_value(c) for c in out.columns]
    return out


def _main_table(result: Any) -> pd.DataFrame:
    if isinstance(result, pd.DataFrame):
        return result
    if isinstance(result, pd.Series):
        frame = result.to_frame(result.name if result.name is not None else "value")
        frame.attrs = dict(result.attrs)
        return frame
    if hasattr(result, "to_frame"):
        frame = result.to_frame()
        if isinstance(frame, pd.DataFrame):
            return frame
    msg = (
        "can only write a DataFrame, a Series or a result object with to_frame(), "
        f"not {type(result).__name__}"
    )
    raise ConfigError(msg)


def _sheets(result: Any) -> dict[str, pd.DataFrame]:
    if isinstance(result, Mapping):
        return {str(k): _main_table(v) for k, v in result.items()}
    if hasattr(result, "to_sheets"):
        return dict(result.to_sheets())
    return {"data": _main_table(result)}


def _record(result: Any, inputs: Any = None) -> dict[str, Any]:
    record = provenance(result)
    if not record and isinstance(result, Mapping):
        for value in result.values():
            record = provenance(value)
            if record:
                break
    record.setdefault("written", datetime.now(UTC).isoformat(timespec="seconds"))
    if inputs is not None:
        record["inputs"] = inputs
    return record


def write_csv(
    result: Any, path: PathLike, *, index: bool = True, meta: bool = True, inputs: Any = None
) -> Path:
    """Write a result's main table to CSV (UTF-8 with BOM) and its record beside it.

    Parameters
    ----------
    result : DataFrame, Series or result object
        What to write.
    path : str or path
        The CSV file; ``<stem>.meta.json`` is written beside it.
    index : bool
        Write the index (the node id) as the first column.
    meta : bool
        Write the ``*.meta.json`` record of how the result was made.
    inputs : any, optional
        A description of the inputs (file names) added to the record.

    Returns
    -------
    pathlib.Path
        The CSV path.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "firms.csv"
    >>> _ = write_csv(pd.DataFrame({"name": ["=cmd"]}, index=pd.Index(["f1"], name="id")), out)
    >>> out.read_text(encoding="utf-8-sig").splitlines()
    ['id,name', "f1,'=cmd"]
    """
    target = Path(path)
    table = guard_formulas(_main_table(result))
    with atomic_path(target) as tmp:
        table.to_csv(tmp, index=index, encoding="utf-8-sig", lineterminator="\n")
    if meta:
        _write_text(target.with_name(target.stem + ".meta.json"), _dumps(_record(result, inputs)))
    return target


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name)[:31] or "sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _about_table(record: Mapping[str, Any]) -> pd.DataFrame:
    rows = []
    for key, value in record.items():
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        rows.append({"item": key, "value": text})
    return pd.DataFrame(rows, columns=["item", "value"])


def write_excel(result: Any, path: PathLike, *, index: bool = True, inputs: Any = None) -> Path:
    """Write a result to an Excel workbook, with a sheet saying how it was made.

    Parameters
    ----------
    result : DataFrame, Series, {sheet name: table} or result object
        A result object's ``to_sheets()`` gives the sheets when it has one.
    path : str or path
        The ``.xlsx`` file.
    index : bool
        Write each table's index (the node id) as its first column.
    inputs : any, optional
        A description of the inputs added to the ``about`` sheet.

    Returns
    -------
    pathlib.Path
    """
    target = Path(path)
    sheets = _sheets(result)
    record = _record(result, inputs)
    used: set[str] = set()
    with atomic_path(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, table in sheets.items():
            sheet = _sheet_name(name, used)
            safe = guard_formulas(table)
            safe.to_excel(writer, sheet_name=sheet, index=index)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "B2" if index else "A2"
            columns = ([safe.index.name or "id"] if index else []) + list(safe.columns)
            for i, col in enumerate(columns, start=1):
                letter = ws.cell(row=1, column=i).column_letter
                ws.column_dimensions[letter].width = min(max(len(str(col)) + 2, 10), 60)
        about = _sheet_name("about", used)
        _about_table(record).to_excel(writer, sheet_name=about, index=False)
        writer.sheets[about].column_dimensions["A"].width = 22
        writer.sheets[about].column_dimensions["B"].width = 100
    return target


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _clean(value.item())
    if isinstance(value, list | tuple | np.ndarray):
        return [_clean(v) for v in value]
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    return value


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


def _write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(result: Any, path: PathLike, *, inputs: Any = None) -> Path:
    """Write a result as JSON: ``{"meta": {...}, "data": [records]}``.

    A result object with ``to_json()`` writes its own form. Missing values
    become ``null``; text is written as it is (no formula guard in JSON).

    Returns
    -------
    pathlib.Path
    """
    target = Path(path)
    if hasattr(result, "to_json") and not isinstance(result, pd.DataFrame | pd.Series):
        text = result.to_json()
    else:
        table = _main_table(result)
        frame = table.reset_index() if table.index.name is not None else table
        records = [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]
        text = _dumps({"meta": _record(result, inputs), "data": records})
    _write_text(target, text)
    return target
