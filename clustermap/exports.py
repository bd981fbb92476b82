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
import logging
import math
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from clustermap._atomic import atomic_path
from clustermap._provenance import now, provenance
from clustermap._redact import Redactor, select_columns
from clustermap._results import result_columns
from clustermap._spreadsheet import (
    Sheet,
    flat_header,
    guard_formulas,
    sheet_names,
    write_workbook,
)
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

log = logging.getLogger(__name__)


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


def _prepare(
    tables: list[pd.DataFrame], columns: Sequence[str] | None, redactor: Redactor
) -> list[pd.DataFrame]:
    """The tables as they leave: chosen columns, actors replaced."""
    if redactor.active:
        redactor.learn(tables)
    return [redactor.table(t) for t in select_columns(tables, columns)]


def write_csv(
    result: Any,
    path: PathLike,
    *,
    index: bool = True,
    meta: bool = True,
    inputs: Any = None,
    columns: Sequence[str] | None = None,
    anonymize: bool | str = False,
) -> Path:
    """Write a result's main table to CSV (UTF-8 with BOM) and its record beside it.

    Parameters
    ----------
    result : DataFrame, Series or result object
        What to write.
    path : str or path
        The CSV file; ``<stem>.meta.json`` is written beside it.
    index : bool
        Write the index (the node id; every level of a MultiIndex, with
        their names) as the first column(s).
    meta : bool
        Write the ``*.meta.json`` record of how the result was made.
    inputs : any, optional
        A description of the inputs (file names) added to the record.
    columns : list of str, optional
        Write only these columns (in this order); the index is always written.
    anonymize : bool or str
        ``True`` replaces names by ids; a salt (8+ characters) replaces ids
        and names by stable pseudonyms. The salt is never written; the record
        says the file is pseudonymised.

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
    redactor = Redactor(anonymize)
    (table,) = _prepare([_main_table(result)], columns, redactor)
    table = guard_formulas(table)
    if isinstance(table.columns, pd.MultiIndex):  # one header row, as in Excel: "a / b"
        table.columns = [flat_header(c) for c in table.columns]
    with atomic_path(target) as tmp:
        # CRLF line ends (RFC 4180): cells holding a carriage return are then quoted
        table.to_csv(tmp, index=index, encoding="utf-8-sig", lineterminator="\r\n")
    _log_size(target)
    if meta:
        record = redactor.record(_record(result, inputs))
        _write_text(target.with_name(target.stem + ".meta.json"), _dumps(_clean_record(record)))
    return target


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
    return pd.DataFrame(rows, columns=["item", "value"], dtype=object)


def write_excel(
    result: Any,
    path: PathLike,
    *,
    index: bool = True,
    inputs: Any = None,
    columns: Sequence[str] | None = None,
    anonymize: bool | str = False,
) -> Path:
    """Write a result to an Excel workbook, with a sheet saying how it was made.

    Each sheet has a bold, frozen header row, an autofilter and column
    widths fitted to a sample of its rows; the last sheet, ``about``, holds
    the record (method, parameters, seed, layers, version, inputs). Every
    text cell, header, index level and sheet name is guarded against formula
    injection; numbers are written as numbers. The workbook is streamed with
    XlsxWriter (constant memory), so 100,000 rows take a second or two.

    Parameters
    ----------
    result : DataFrame, Series, {sheet name: table} or result object
        A result object's ``to_sheets()`` gives the sheets when it has one.
    path : str or path
        The ``.xlsx`` file.
    index : bool
        Write each table's index (the node id) as its first column(s).
    inputs : any, optional
        A description of the inputs added to the ``about`` sheet.
    columns : list of str, optional
        Write only these columns on every sheet that has them; each name must
        be on some sheet.
    anonymize : bool or str
        As in :func:`write_csv`, the same pseudonym on every sheet.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ConfigError
        A sheet has more rows than Excel holds (1,048,576 with the header)
        or more columns (16,384): write CSV instead, or fewer rows.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, openpyxl
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "firms.xlsx"
    >>> ids = pd.Index(["f1"], name="id")
    >>> table = pd.DataFrame({"name": ["=1+1"], "growth": [-3.5]}, index=ids)
    >>> _ = write_excel(table, out)
    >>> [c.value for c in openpyxl.load_workbook(out)["data"][2]]
    ['f1', "'=1+1", -3.5]
    """
    target = Path(path)
    sheets = _sheets(result)
    redactor = Redactor(anonymize)
    tables = _prepare(list(sheets.values()), columns, redactor)
    record = redactor.record(_record(result, inputs))
    *names, about = sheet_names([*sheets, "about"])
    plan = []
    for name, table in zip(names, tables, strict=True):
        # a plain 0, 1, 2... index says nothing to a reader: leave it out
        with_index = index and not (
            isinstance(table.index, pd.RangeIndex) and table.index.name is None
        )
        plan.append(Sheet(name, table, with_index))
    plan.append(Sheet(about, _about_table(_clean_record(record)), index=False))
    with atomic_path(target) as tmp:
        write_workbook(tmp, plan)
    _log_size(target)
    return target


def _log_graph(path: Path, G: Any) -> None:
    log.info(
        "wrote %s (%s; %d actors, %d links)",
        path,
        _size(path.stat().st_size),
        G.number_of_nodes(),
        G.number_of_edges(),
    )


def _log_size(path: Path) -> None:
    log.info("wrote %s (%s)", path, _size(path.stat().st_size))


def _size(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GiB"  # pragma: no cover


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


def write_json(
    result: Any,
    path: PathLike,
    *,
    inputs: Any = None,
    columns: Sequence[str] | None = None,
    anonymize: bool | str = False,
) -> Path:
    """Write a result as JSON: ``{"meta": {...}, "data": [records]}``.

    A result object with ``to_json()`` writes its own form (``columns`` then
    does not apply). Missing values become ``null``; text is written as it
    is (no formula guard in JSON).

    Parameters
    ----------
    result : DataFrame, Series or result object
        What to write.
    path : str or path
        The ``.json`` file.
    inputs : any, optional
        A description of the inputs added to ``meta``.
    columns : list of str, optional
        Write only these columns of a table (the index is always written).
    anonymize : bool or str
        As in :func:`write_csv`.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, json
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "firms.json"
    >>> table = pd.DataFrame({"name": ["Acme"]}, index=pd.Index(["f1"], name="id"))
    >>> _ = write_json(table, out, anonymize=True)
    >>> doc = json.loads(out.read_text())
    >>> doc["data"], doc["meta"]["anonymized"]
    ([{'id': 'f1', 'name': 'f1'}], 'actor names replaced by ids')
    """
    target = Path(path)
    redactor = Redactor(anonymize)
    if hasattr(result, "to_json") and not isinstance(result, pd.DataFrame | pd.Series):
        if columns is not None:
            msg = f"`columns` applies to tables; {type(result).__name__} writes its own JSON"
            raise ConfigError(msg)
        doc = json.loads(result.to_json())
        if isinstance(doc, dict) and isinstance(doc.get("meta"), dict):
            if inputs is not None:
                doc["meta"]["inputs"] = _clean_record(inputs)
            doc = redactor.json(doc)
            doc["meta"] = redactor.record(doc["meta"])
        else:
            doc = redactor.json(doc)
        text = _dumps(doc)
    else:
        (table,) = _prepare([_main_table(result)], columns, redactor)
        frame = table.reset_index() if any(n is not None for n in table.index.names) else table
        records = [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]
        record = redactor.record(_record(result, inputs))
        text = _dumps({"meta": _clean_record(record), "data": records})
    _write_text(target, text)
    _log_size(target)
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


#: Link columns left out of GEXF / GraphML unless asked for: per-link event lists,
#: which can make a file a hundred times larger than the network itself.
EVENT_LIST_COLUMNS: tuple[str, ...] = ("event_ids",)


def _pick(available: pd.Index, wanted: Sequence[str] | None, option: str) -> list[Any]:
    if wanted is None:
        return list(available)
    if isinstance(wanted, str) or not all(isinstance(c, str) for c in wanted):
        msg = f"`{option}` must be a list of column names, e.g. {option}=['kind', 'region']"
        raise ConfigError(msg)
    unknown = [c for c in wanted if c not in available]
    if unknown:
        msg = f"`{option}` names {unknown}, which are not columns here; there are {list(available)}"
        raise ConfigError(msg)
    return list(wanted)


def _export_graph(net: Any, results: Any, *, gexf: bool, options: Mapping[str, Any]) -> Any:
    """The network as a networkx multigraph with the chosen attributes, one edge per link row."""
    import networkx as nx

    redactor = Redactor(options.get("anonymize", False), known=net.nodes.index)
    nodes = net.nodes
    extra = _result_columns(net, results)
    nodes = nodes.drop(columns=[c for c in extra.columns if c in nodes.columns])
    nodes = pd.concat([nodes, extra], axis=1)
    nodes = nodes[_pick(nodes.columns, options.get("columns"), "columns")]
    if redactor.active:
        nodes = redactor.table(nodes.rename_axis("id"))
    if gexf:
        nodes = nodes.drop(columns=["label"], errors="ignore")
        label = nodes["name"] if "name" in nodes.columns else pd.Series(nodes.index, nodes.index)
        nodes.insert(0, "label", label)
    directed_layers = net.directed
    is_directed = any(directed_layers.get(layer, False) for layer in net.layers)
    G: nx.MultiGraph = nx.MultiDiGraph() if is_directed else nx.MultiGraph()
    if not gexf:
        G.graph["clustermap_version"] = _version()
        made = [
            redactor.record(provenance(r))
            for r in (results if isinstance(results, list | tuple) else [results])
            if provenance(r)
        ]
        if made:
            G.graph["results"] = _dumps(_clean_record(made))
        if redactor.active:
            G.graph["anonymized"] = redactor.record({})["anonymized"]
    G.add_nodes_from(zip(nodes.index.tolist(), _records(nodes), strict=True))
    edges = net.edges
    attrs = edges.drop(columns=["source", "target"])
    wanted = options.get("link_columns")
    if wanted is None:
        left_out = [c for c in EVENT_LIST_COLUMNS if c in attrs.columns]
        if left_out:
            log.info("left out link column(s) %s (ask with link_columns=)", left_out)
        attrs = attrs.drop(columns=left_out)
    else:
        attrs = attrs[_pick(attrs.columns, wanted, "link_columns")]
    if gexf and "type" in attrs.columns:
        attrs = attrs.rename(columns={"type": "link_type"})
    if is_directed:
        attrs["directed"] = edges["layer"].map(directed_layers).fillna(False).astype(bool)
    keys = [str(i) for i in range(len(edges))]
    sources = redactor.ids(edges["source"].tolist())
    targets = redactor.ids(edges["target"].tolist())
    G.add_edges_from(zip(sources, targets, keys, _records(attrs), strict=True))
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


def write_gexf(
    net: Any,
    path: PathLike,
    *,
    results: Any = None,
    columns: Sequence[str] | None = None,
    link_columns: Sequence[str] | None = None,
    anonymize: bool | str = False,
) -> Path:
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
    columns : list of str, optional
        Node attributes to write, among the node columns and the result
        columns (default: all of them).
    link_columns : list of str, optional
        Link attributes to write (default: every link column except
        per-link event lists such as ``event_ids``).
    anonymize : bool or str
        ``True`` replaces names by ids; a salt (8+ characters) replaces ids
        and names by stable pseudonyms (see :func:`write_csv`).

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

    options = {"columns": columns, "link_columns": link_columns, "anonymize": anonymize}
    G = _export_graph(net, results, gexf=True, options=options)
    target = Path(path)
    with atomic_path(target) as tmp:
        nx.write_gexf(G, tmp, version="1.2draft")
    _log_graph(target, G)
    return target


def write_graphml(
    net: Any,
    path: PathLike,
    *,
    results: Any = None,
    columns: Sequence[str] | None = None,
    link_columns: Sequence[str] | None = None,
    anonymize: bool | str = False,
) -> Path:
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
    columns : list of str, optional
        Node attributes to write, among the node columns and the result
        columns (default: all of them).
    link_columns : list of str, optional
        Link attributes to write (default: every link column except
        per-link event lists such as ``event_ids``).
    anonymize : bool or str
        ``True`` replaces names by ids; a salt (8+ characters) replaces ids
        and names by stable pseudonyms (see :func:`write_csv`).

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

    options = {"columns": columns, "link_columns": link_columns, "anonymize": anonymize}
    G = _export_graph(net, results, gexf=False, options=options)
    target = Path(path)
    with atomic_path(target) as tmp:
        nx.write_graphml(G, tmp, encoding="utf-8")
    _log_graph(target, G)
    return target
