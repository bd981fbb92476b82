"""Write results to CSV, Excel and JSON, safely.

Any result can be written: a :class:`pandas.DataFrame` or
:class:`pandas.Series` (indexed by node id, stamped with how it was made), or
a result object that has ``to_frame()`` (its main table), optionally
``to_sheets()`` (named tables for Excel) and ``provenance`` (how it was made).

Safety rules, for files that travel:

- CSV is UTF-8 with a byte-order mark, so Excel shows accents, and CRLF
  line ends (RFC 4180), so cells with line breaks stay one cell.
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
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from clustermap._atomic import atomic_path
from clustermap._provenance import now, provenance
from clustermap._results import result_columns
from clustermap.errors import ConfigError

__all__ = [
    "guard_formulas",
    "write_csv",
    "write_excel",
    "write_gexf",
    "write_graphml",
    "write_json",
]

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
    written = now()  # None inside a project run, whose run.json holds the times
    if written is not None:
        record.setdefault("written", written)
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
        # CRLF line ends (RFC 4180): cells holding a carriage return are then quoted
        table.to_csv(tmp, index=index, encoding="utf-8-sig", lineterminator="\r\n")
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


def _about_text(value: Any) -> Any:
    """A record value as a reader sees it: numbers stay numbers, lists become text."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, list | tuple) and all(not isinstance(v, Mapping | list) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _about_table(record: Mapping[str, Any]) -> pd.DataFrame:
    """One row per item; a dict (parameters, quality) gives one row per entry."""
    rows = []
    for key, value in record.items():
        if isinstance(value, Mapping) and value:
            for sub, inner in value.items():
                rows.append({"item": f"{key}: {sub}", "value": _about_text(inner)})
        else:
            rows.append({"item": key, "value": _about_text(value)})
    return pd.DataFrame(rows, columns=["item", "value"])


def _width(values: pd.Series | pd.Index, header: Any) -> float:
    """A column width that fits the header and the first few hundred cells."""
    sample = pd.Series(list(values[:500]), dtype=object).map(
        lambda v: f"{v:.6g}" if isinstance(v, float) else str(v), na_action="ignore"
    )
    longest = int(sample.str.len().max()) if len(sample.dropna()) else 0
    return float(min(max(len(str(header)), longest, 6) + 2, 60))


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
    names = [_sheet_name(name, used) for name in sheets]
    about = _sheet_name("about", used)
    with atomic_path(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        # the about sheet goes in first, so that a failure on a data sheet is reported
        # as itself (an empty workbook cannot be closed), and is moved to the end
        about_table = _about_table(record)
        about_table.to_excel(writer, sheet_name=about, index=False)
        writer.sheets[about].column_dimensions["A"].width = _width(about_table["item"], "item")
        writer.sheets[about].column_dimensions["B"].width = 100
        for sheet, table in zip(names, sheets.values(), strict=True):
            safe = guard_formulas(table)
            # a plain 0, 1, 2... index says nothing to a reader: leave it out
            with_index = index and not (
                isinstance(safe.index, pd.RangeIndex) and safe.index.name is None
            )
            safe.to_excel(writer, sheet_name=sheet, index=with_index)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "B2" if with_index else "A2"
            if len(safe):
                ws.auto_filter.ref = ws.dimensions
            cells = ([(safe.index, safe.index.name or "id")] if with_index else []) + [
                (safe[c], c) for c in safe.columns
            ]
            for i, (values, header) in enumerate(cells, start=1):
                letter = ws.cell(row=1, column=i).column_letter
                ws.column_dimensions[letter].width = _width(values, header)
        writer.book.move_sheet(about, offset=len(names))
        writer.book.active = 0
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
        if inputs is not None:
            doc = json.loads(text)
            if isinstance(doc, dict) and isinstance(doc.get("meta"), dict):
                doc["meta"]["inputs"] = _clean_record(inputs)
                text = _dumps(doc)
    else:
        table = _main_table(result)
        frame = table.reset_index() if table.index.name is not None else table
        records = [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]
        text = _dumps({"meta": _record(result, inputs), "data": records})
    _write_text(target, text)
    return target


# ------------------------------------------------------------ network files

_GRAPH_RESERVED = ("id", "name", "kind", "label")


def _native_column(values: pd.Series) -> list[Any]:
    """One column as plain Python values networkx's writers accept; ``None`` where missing.

    Whole numbers stay ``int``, other numbers ``float`` (NaN and infinities
    become missing), booleans ``bool``, dates ISO text, lists and tuples
    ``"a; b"`` text, dicts JSON text, anything else ``str``.
    """
    s = values
    if pd.api.types.is_bool_dtype(s) and not s.isna().any():
        return [bool(v) for v in s.to_numpy()]
    if pd.api.types.is_integer_dtype(s):
        return [None if v is pd.NA else int(v) for v in s.astype(object)]
    if pd.api.types.is_float_dtype(s):
        arr = s.to_numpy(dtype=np.float64, na_value=np.nan)
        ok = np.isfinite(arr)
        return [float(v) if good else None for v, good in zip(arr, ok, strict=True)]
    if pd.api.types.is_datetime64_any_dtype(s):
        return [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in s]
    out: list[Any] = []
    for v in s.astype(object):
        if isinstance(v, list | tuple | set | np.ndarray):
            out.append("; ".join(str(x) for x in v))
        elif isinstance(v, Mapping):
            out.append(json.dumps(_clean(dict(v)), ensure_ascii=False, default=str))
        elif v is None or (not isinstance(v, str) and pd.isna(v)):
            out.append(None)
        elif isinstance(v, pd.Timestamp | datetime):
            out.append(v.isoformat())
        else:
            out.append(str(v.item() if isinstance(v, np.generic) else v))
    return out


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as attribute dicts without missing values (the writers reject None)."""
    columns = {str(c): _native_column(table[c]) for c in table.columns}
    names = list(columns)
    rows = zip(*columns.values(), strict=True) if names else iter([()] * len(table))
    return [{k: v for k, v in zip(names, row, strict=True) if v is not None} for row in rows]


def _result_columns(net: Any, results: Any) -> pd.DataFrame:
    """Node-level columns from results, by the rule of :mod:`clustermap._results`."""
    table = result_columns(net, results).table
    reserved = sorted({str(c) for c in table.columns} & set(_GRAPH_RESERVED))
    if reserved:
        msg = f"result columns {reserved} are reserved in network files; rename them"
        raise ConfigError(msg)
    return table


def _export_graph(net: Any, results: Any, *, gexf: bool) -> Any:
    """The network as a networkx multigraph with clean attributes, one edge per link row."""
    import networkx as nx

    nodes = net.nodes
    extra = _result_columns(net, results)
    nodes = nodes.drop(columns=[c for c in extra.columns if c in nodes.columns])
    nodes = pd.concat([nodes, extra], axis=1)
    if gexf:
        nodes = nodes.drop(columns=["label"], errors="ignore")
        nodes.insert(0, "label", nodes["name"])
    directed_layers = net.directed
    is_directed = any(directed_layers.get(layer, False) for layer in net.layers)
    G: nx.MultiGraph = nx.MultiDiGraph() if is_directed else nx.MultiGraph()
    if not gexf:
        G.graph["clustermap_version"] = _version()
        made = [
            provenance(r) for r in (results if isinstance(results, list | tuple) else [results])
        ]
        made = [r for r in made if r]
        if made:
            G.graph["results"] = _dumps(_clean_record(made))
    G.add_nodes_from(zip(nodes.index.tolist(), _records(nodes), strict=True))
    edges = net.edges
    attrs = edges.drop(columns=["source", "target"])
    if gexf and "type" in attrs.columns:
        attrs = attrs.rename(columns={"type": "link_type"})
    if is_directed:
        attrs["directed"] = edges["layer"].map(directed_layers).fillna(False).astype(bool)
    keys = [str(i) for i in range(len(edges))]
    G.add_edges_from(
        zip(edges["source"].tolist(), edges["target"].tolist(), keys, _records(attrs), strict=True)
    )
    return G


def _clean_record(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _clean_record(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_record(v) for v in value]
    return _clean(value)


def _version() -> str:
    from clustermap import __version__

    return __version__


def write_gexf(net: Any, path: PathLike, *, results: Any = None) -> Path:
    """Write the network to a GEXF file for Gephi, with results as node attributes.

    Every node column becomes an attribute (``name`` is also the Gephi
    label), and so does every result given: a
    :class:`~clustermap.analysis.partition.Partition` adds ``community``
    and ``community_label``, a named Series its values, a DataFrame its
    columns. Each link row is one edge (Gephi merges parallel edges if asked)
    with its layer, weight, year, value and type (as ``link_type``: GEXF
    reserves ``type``). When some layers are directed the graph is directed
    and each edge says whether its layer is (``directed``), since GEXF
    readers cannot mix both kinds. Missing values are left out, lists become
    ``"a; b"`` text; the file is written under a temporary name and renamed.

    Parameters
    ----------
    net : ClusterNetwork
        The network.
    path : str or path
        The ``.gexf`` file.
    results : Partition, Series, DataFrame or list of them, optional
        Results indexed by node id, written as node attributes.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import clustermap as cm, networkx as nx, tempfile, pathlib
    >>> net = cm.from_tables(
    ...     {"id": list("abcd"), "name": list("ABCD"), "kind": "firm"},
    ...     {"source": ["a", "c"], "target": ["b", "d"], "layer": "knowledge"},
    ... )
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "net.gexf"
    >>> _ = write_gexf(net, out, results=cm.find_communities(net, seed=1))
    >>> nx.read_gexf(out).nodes["c"]["community"]
    2
    """
    import networkx as nx

    G = _export_graph(net, results, gexf=True)
    target = Path(path)
    with atomic_path(target) as tmp:
        nx.write_gexf(G, tmp, version="1.2draft")
    return target


def write_graphml(net: Any, path: PathLike, *, results: Any = None) -> Path:
    """Write the network to a GraphML file (Gephi, yEd, Cytoscape), with results as attributes.

    The same content as :func:`write_gexf` (``type`` keeps its name here),
    plus the clustermap version as a graph attribute.

    Parameters
    ----------
    net : ClusterNetwork
        The network.
    path : str or path
        The ``.graphml`` file.
    results : Partition, Series, DataFrame or list of them, optional
        Results indexed by node id, written as node attributes.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import clustermap as cm, networkx as nx, tempfile, pathlib, pandas as pd
    >>> net = cm.from_tables(
    ...     {"id": list("ab"), "name": list("AB"), "kind": "firm"},
    ...     {"source": ["a"], "target": ["b"], "layer": "supply"},
    ... )
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "net.graphml"
    >>> _ = write_graphml(net, out, results=pd.Series([0.5, None], index=["a", "b"], name="score"))
    >>> G = nx.read_graphml(out)
    >>> G.nodes["a"]["score"], "score" in G.nodes["b"]
    (0.5, False)
    """
    import networkx as nx

    G = _export_graph(net, results, gexf=False)
    target = Path(path)
    with atomic_path(target) as tmp:
        nx.write_graphml(G, tmp, encoding="utf-8")
    return target
