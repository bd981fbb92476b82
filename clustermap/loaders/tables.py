"""Build a :class:`ClusterNetwork` from node and edge tables, validating every row.

This is the boundary where user data enters clustermap: every rule of the
model is checked here, every problem is collected, and the first ten are
reported at once with the file, the row, the column and the fix.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from clustermap import settings
from clustermap._validate import Problems, TableInfo
from clustermap.errors import ConfigError, EmptyNetworkError, InputError
from clustermap.graphs._lookup import positions
from clustermap.graphs.network import EDGE_COLUMNS, NODE_COLUMNS, ClusterNetwork
from clustermap.graphs.selection import NODE_KINDS
from clustermap.loaders._placeholders import (
    DEFAULT_PLACEHOLDERS,
    placeholder_examples,
    placeholder_mask,
)

__all__ = ["from_tables", "normalise_kind"]

log = logging.getLogger(__name__)

TableLike = pd.DataFrame | Mapping[str, Any]
NodesArg = TableLike | Sequence[pd.DataFrame] | None
EdgesArg = TableLike | Sequence[pd.DataFrame] | None

_KIND_ALIASES: dict[str, str] = {
    **{k: k for k in NODE_KINDS},
    **{k + "s": k for k in NODE_KINDS},
    "industries": "industry",
}
_NODE_CANON = ("id", *NODE_COLUMNS)
_NUMERIC_NODE = ("lat", "lon", "employees", "founded")
_SELF_LOOPS = ("error", "drop", "keep")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?(\d{1,3}([. \u00a0]\d{3})+|\d+)(,\d+)?\s*$")


def normalise_kind(value: Any) -> str | None:
    """Map a user's kind label to ``firm``, ``supplier``, ``institution`` or ``industry``.

    Case, surrounding spaces and plurals are forgiven; anything else gives ``None``.

    Examples
    --------
    >>> normalise_kind(" Firms "), normalise_kind("University")
    ('firm', None)
    """
    if not isinstance(value, str):
        return None
    return _KIND_ALIASES.get(value.strip().lower())


def _frame(table: TableLike, what: str) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    if isinstance(table, Mapping):
        return pd.DataFrame(dict(table))
    msg = f"`{what}` must be a pandas DataFrame or a dict of columns, not {type(table).__name__}"
    raise ConfigError(msg)


def _split_node_tables(nodes: NodesArg) -> list[tuple[pd.DataFrame, str | None]]:
    """Return ``[(table, kind or None)]`` for the forms `nodes` may take."""
    if nodes is None:
        return []
    if isinstance(nodes, pd.DataFrame):
        return [(nodes, None)]
    if isinstance(nodes, Mapping):
        keys = list(nodes)
        values = list(nodes.values())
        if keys and all(isinstance(v, pd.DataFrame) for v in values):
            out: list[tuple[pd.DataFrame, str | None]] = []
            for key, value in zip(keys, values, strict=True):
                kind = normalise_kind(key)
                if kind is None:
                    msg = (
                        f"`nodes` maps {key!r} to a table; the keys of a dict of tables must "
                        f"be kinds: {', '.join(NODE_KINDS)}"
                    )
                    raise ConfigError(msg)
                out.append((value, kind))
            return out
        return [(_frame(nodes, "nodes"), None)]
    if isinstance(nodes, Sequence) and not isinstance(nodes, str):
        return [(_frame(t, "nodes"), None) for t in nodes]
    msg = "`nodes` must be a DataFrame, a dict of columns, a list of tables or a {kind: table} dict"
    raise ConfigError(msg)


def _edge_tables(edges: EdgesArg) -> list[pd.DataFrame]:
    if edges is None:
        return []
    if isinstance(edges, pd.DataFrame | Mapping):
        return [_frame(edges, "edges")]
    if isinstance(edges, Sequence) and not isinstance(edges, str):
        return [_frame(t, "edges") for t in edges]
    msg = "`edges` must be a DataFrame, a dict of columns or a list of tables"
    raise ConfigError(msg)


def _apply_columns(
    df: pd.DataFrame, columns: Mapping[str, str], canon: Sequence[str], where: str
) -> pd.DataFrame:
    """Rename the user's columns to clustermap's names, for one table."""
    renames: dict[str, str] = {}
    copies: dict[str, str] = {}
    every_canon = set(_NODE_CANON) | set(EDGE_COLUMNS)
    for ours, theirs in columns.items():
        applies = ours in canon or ours not in every_canon
        if applies and theirs in df.columns and theirs != ours:
            if theirs in renames:  # one of your columns feeds two of ours
                copies[ours] = theirs
            else:
                renames[theirs] = ours
    if not renames:
        return df
    if copies:
        df = df.assign(**{ours: df[theirs] for ours, theirs in copies.items()})
    clash = [ours for theirs, ours in renames.items() if ours in df.columns and ours not in renames]
    if clash:
        msg = (
            f"{where}: mapping a column to {clash[0]!r} would collide with the column "
            f"{clash[0]!r} that the table already has; rename or drop one of them"
        )
        raise ConfigError(msg)
    return df.rename(columns=renames)


def _check_mapping(columns: Mapping[str, str], tables: Sequence[pd.DataFrame]) -> None:
    present = set().union(*(set(map(str, t.columns)) for t in tables)) if tables else set()
    canon = set(_NODE_CANON) | set(EDGE_COLUMNS)
    for ours, theirs in columns.items():
        close = difflib.get_close_matches(ours, sorted(canon), n=1, cutoff=0.8)
        if ours not in canon and close:
            msg = (
                f"`columns` has the key {ours!r}, which is not one of clustermap's column names; "
                f"did you mean {close[0]!r}? (keys are clustermap's names: "
                f"{', '.join(sorted(canon))}; other keys rename a column of yours)"
            )
            raise ConfigError(msg)
        if theirs in present:
            continue
        if ours in present and theirs in canon:
            msg = (
                f"`columns` maps {ours!r} -> {theirs!r}, but keys are clustermap's names and "
                f"values are your columns: did you mean {{{theirs!r}: {ours!r}}}?"
            )
            raise ConfigError(msg)
        msg = (
            f"`columns` maps {ours!r} to your column {theirs!r}, which no table has; "
            f"columns are: {', '.join(sorted(present))}"
        )
        raise ConfigError(msg)


def _arrow_float(series: pd.Series) -> pd.Series | None:
    """Parse a text column with Arrow's cast when every cell is a plain number, else None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(
            series.array if hasattr(series.array, "__arrow_array__") else series, from_pandas=True
        )
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            return None
        if len(arr) > 10_000:
            pc.cast(arr.slice(0, 1000), pa.float64())  # fail fast on text columns
        out = pc.cast(arr, pa.float64())
    except (
        pa.ArrowInvalid,
        pa.ArrowTypeError,
        pa.ArrowNotImplementedError,
        TypeError,
        ValueError,
        OverflowError,
    ):
        return None
    return pd.Series(out.to_numpy(zero_copy_only=False), index=series.index, dtype="float64")


def _to_number(series: pd.Series, decimal_comma: bool) -> pd.Series:
    """Parse numbers, reading ``1.234,5`` as 1234.5 when the file uses decimal commas."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    if not decimal_comma:
        fast = _arrow_float(series)
        if fast is not None:
            return fast
    text = series.astype("str").str.strip()
    text = text.mask(text == "")
    if decimal_comma:
        looks = text.str.match(_DECIMAL_COMMA).fillna(False).astype(bool)
        fixed = text.str.replace(r"[. \u00a0]", "", regex=True).str.replace(",", ".", regex=False)
        text = text.where(~looks, fixed)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _ids(series: pd.Series) -> pd.Series:
    """Read an id column as text; whole-number floats (7.0 from Excel) become ``"7"``.

    Other numbers keep their shortest text form (``3.5`` stays ``"3.5"``).

    Examples
    --------
    >>> _ids(pd.Series([1.0, 2.0, 3.5, None])).tolist()
    ['1', '2', '3.5', nan]
    """
    if pd.api.types.is_bool_dtype(series):
        series = series.astype(object)
    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(values)
        with np.errstate(invalid="ignore"):
            integral = (
                ~missing
                & np.isfinite(values)
                & (np.floor(values) == values)
                & (np.abs(values) < 1e18)
            )
        text = np.full(len(values), None, dtype=object)
        text[integral] = values[integral].astype(np.int64).astype(str).tolist()
        other = ~missing & ~integral
        text[other] = [repr(float(v)) for v in values[other]]
        return pd.Series(text, index=series.index, dtype="str")
    if pd.api.types.is_integer_dtype(series):
        return series.astype("str")
    if pd.api.types.is_object_dtype(series) and pd.api.types.infer_dtype(series, skipna=True) in (
        "string",
        "empty",
    ):
        series = series.astype("str")
    elif pd.api.types.is_object_dtype(series):
        series = series.map(
            lambda v: (
                str(int(v))
                if isinstance(v, float) and v.is_integer()
                else repr(v)
                if isinstance(v, float)
                else v
            ),
            na_action="ignore",
        )
    out = series.astype("str").str.strip()
    return out.mask(out == "")


def _check_columns_unique(df: pd.DataFrame, label: str) -> None:
    dup = pd.Index(df.columns)[pd.Index(df.columns).duplicated()]
    if len(dup):
        msg = (
            f"{label}: the column name {str(dup[0])!r} appears twice; give every column its "
            "own name"
        )
        raise InputError(msg)


# the longest placeholder word that is not a '#...' error, with room for spaces
_WORD_MAX = 2 + max(len(w) for w in DEFAULT_PLACEHOLDERS if not w.startswith("#"))


def _placeholder_cells(values: pd.Series) -> np.ndarray:
    """:func:`placeholder_mask`, checking each distinct value once (Arrow's hash table)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(
            values.array if hasattr(values.array, "__arrow_array__") else values, from_pandas=True
        )
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return placeholder_mask(values)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return placeholder_mask(values)
    # only short words and '#...' errors can be placeholders: look at those alone
    maybe = pc.or_(
        pc.less_equal(pc.utf8_length(arr), _WORD_MAX),
        pc.starts_with(arr, "#"),  # ids are trimmed already
    ).fill_null(False)
    uniques = pc.unique(arr.filter(maybe))
    if not len(uniques):
        return np.zeros(len(values), dtype=bool)
    found = placeholder_mask(pd.Series(uniques.to_pylist(), dtype=object))
    if not found.any():
        return np.zeros(len(values), dtype=bool)
    hit = pc.is_in(arr, value_set=uniques.filter(pa.array(found)))
    return np.asarray(hit.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _drop_placeholders(
    frame: pd.DataFrame, info: TableInfo, cols: Sequence[str], keep: bool, what: str
) -> tuple[pd.DataFrame, TableInfo]:
    """Drop rows whose id columns hold spreadsheet placeholders (#N/A, NULL, -...)."""
    if keep or frame.empty:
        return frame, info
    masks = [_placeholder_cells(frame[c]) for c in cols if c in frame.columns]
    hit = np.logical_or.reduce(masks)
    if not hit.any():
        return frame, info
    shown = []
    for c, m in zip([c for c in cols if c in frame.columns], masks, strict=True):
        if m.any():
            shown.append(f"{c}: {placeholder_examples(frame[c], m)}")
    rows = info.rows[hit][:5].tolist()
    label = ", ".join(info.label_set(hit))
    log.warning(
        "%s: dropped %d %s whose %s is a spreadsheet placeholder, not an actor (%s; rows %s). "
        "Pass keep_placeholders=True (--keep-placeholders) to keep them as ids.",
        label,
        int(hit.sum()),
        what,
        " or ".join(cols),
        "; ".join(shown),
        ", ".join(map(str, rows)) + (" ..." if int(hit.sum()) > 5 else ""),
    )
    return frame[~hit].reset_index(drop=True), info.take(~hit)


_TRUE = frozenset({"true", "yes", "1", "directed", "y", "t"})
_FALSE = frozenset({"false", "no", "0", "undirected", "n", "f"})


def parse_directed(directed: Any) -> dict[str, bool] | None:
    """Check ``directed=``: booleans per layer, or the strings ``"true"``/``"false"``.

    Examples
    --------
    >>> parse_directed({"k": "false", "supply": True})
    {'k': False, 'supply': True}
    """
    if directed is None:
        return None
    if not isinstance(directed, Mapping):
        msg = (
            "`directed` must be a dict {layer: True or False}, e.g. "
            f"{{'supply': True}}, not {type(directed).__name__}"
        )
        raise ConfigError(msg)
    out: dict[str, bool] = {}
    for key, value in directed.items():
        if isinstance(value, bool | np.bool_):
            out[str(key)] = bool(value)
            continue
        text = str(value).strip().lower() if isinstance(value, str | int) else None
        if text in _TRUE:
            out[str(key)] = True
        elif text in _FALSE:
            out[str(key)] = False
        else:
            msg = f"`directed` for layer {key!r} must be True or False, not {value!r}"
            raise ConfigError(msg)
    return out


# columns parsed by their own rules (text, or numbers checked with row messages)
_OWN_RULES = frozenset(
    {"id", "name", "kind", "category", "sector", "region", "source", "target", "layer", "type"}
    | {"weight", "value", "year", *_NUMERIC_NODE}
)
_LEADING_ZERO = re.compile(r"^[-+]?0\d")


def _numeric_extras(df: pd.DataFrame, decimal_comma: bool) -> pd.DataFrame:
    """Columns of a text file that hold only numbers become numbers (``-3.5``, not text).

    Codes with leading zeros (``007``) stay text.
    """
    if not df.attrs.get("text"):
        return df
    changes = {}
    for col in df.columns:
        if col in _OWN_RULES or not (
            pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col])
        ):
            continue
        present = df[col].notna()
        if not present.any():
            continue
        fast = None if decimal_comma else _arrow_float(df[col])
        if fast is not None:
            parsed = fast
            text = df[col]
        else:
            head = df[col][present].head(1000)
            if _to_number(head, decimal_comma).isna().any():
                continue
            parsed = _to_number(df[col], decimal_comma)
            if parsed[present].isna().any():
                continue
            text = df[col]
        if text.astype("str").str.match(_LEADING_ZERO).fillna(False).any():
            continue
        changes[col] = parsed
    if not changes:
        return df
    attrs = dict(df.attrs)
    out = df.assign(**changes)
    out.attrs = attrs
    return out


def _warn_numeric_ids(df: pd.DataFrame, cols: Sequence[str], label: str) -> None:
    if not df.attrs.get("excel"):
        return
    for col in cols:
        if col not in df.columns:
            continue
        numeric = (
            df[col]
            .map(
                lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v == v,
                na_action="ignore",
            )
            .fillna(False)
            .astype(bool)
        )
        if numeric.any():
            log.warning(
                "%s: column %r holds %d ids stored by Excel as numbers; leading zeros "
                "(e.g. 007) may already be lost. Format the column as Text in Excel and re-export.",
                label,
                col,
                int(numeric.sum()),
            )


def _unparsed(raw: pd.Series, parsed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where a number column did not parse: ``(text that is not a number, empty cells)``.

    Only the cells that did not parse are looked at as text, so a clean
    column of millions of numbers costs one pass.
    """
    failed = np.isnan(parsed)
    nonnum = np.zeros(len(parsed), dtype=bool)
    empty = np.zeros(len(parsed), dtype=bool)
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return nonnum, failed  # numbers that failed to parse are missing (NaN)
    if failed.any():
        text = raw[failed].astype("str").str.strip()
        blank = (raw[failed].isna() | (text == "") | (text.str.lower() == "nan")).to_numpy()
        empty[failed] = blank
        nonnum[failed] = ~blank
    return nonnum, empty


def _found(df: pd.DataFrame, columns: Mapping[str, str]) -> str:
    """What a missing-column message shows: the columns found and the mapping given."""
    found = ", ".join(repr(str(c)) for c in df.columns[:20]) or "none"
    if len(df.columns) > 20:
        found += ", ..."
    text = f"; columns found: {found}"
    if columns:
        text += "; your mapping: " + ", ".join(f"{k}={v}" for k, v in columns.items())
    return text + "; on the command line map yours with --columns, e.g. --columns id=firm_id"


def _prepare_nodes(
    tables: list[tuple[pd.DataFrame, str | None]],
    columns: Mapping[str, str],
    kind: str | None,
    problems: Problems,
    keep_placeholders: bool = False,
) -> tuple[pd.DataFrame, TableInfo]:
    frames: list[pd.DataFrame] = []
    infos: list[TableInfo] = []
    for n, (raw, table_kind) in enumerate(tables):
        label = str(
            raw.attrs.get("source", "nodes table" if len(tables) == 1 else f"nodes table {n + 1}")
        )
        _check_columns_unique(raw, label)
        info = TableInfo.of(raw, label)
        df = _apply_columns(raw, columns, _NODE_CANON, label)
        df = _numeric_extras(df, df.attrs.get("decimal") == ",")
        if "id" not in df.columns:
            if df.index.name == "id" or not isinstance(df.index, pd.RangeIndex):
                df = df.reset_index(names="id")
            else:
                problems.add(
                    label,
                    "the required column 'id' is missing (name your id column 'id' or map it, "
                    "e.g. columns={'id': 'firm_id'})" + _found(df, columns),
                )
                continue
        _warn_numeric_ids(df, ["id"], label)
        given_kind = table_kind or kind
        if "kind" not in df.columns:
            if given_kind is None:
                problems.add(
                    label,
                    "the required column 'kind' is missing (add a kind column with firm, "
                    "supplier or institution, or give the whole table one kind, e.g. "
                    "firms.csv:firm on the command line or kind='firm')" + _found(df, columns),
                )
                continue
            df = df.assign(kind=given_kind)
        if "name" not in df.columns:
            problems.add(
                label,
                "the required column 'name' is missing (add it or map yours, e.g. "
                "columns={'name': 'company_name'})" + _found(df, columns),
            )
            continue
        frames.append(df)
        infos.append(info)
    if not frames:
        return pd.DataFrame(columns=["id", "name", "kind"]), TableInfo.concat([])
    nodes = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].copy()
    info = TableInfo.concat(infos)
    nodes["id"] = _ids(nodes["id"])
    nodes, info = _drop_placeholders(nodes, info, ["id"], keep_placeholders, "actor rows")
    missing_id = nodes["id"].isna().to_numpy()
    problems.add_rows(info, missing_id, "id", lambda _: "the id is empty (every actor needs an id)")
    dup = nodes["id"].duplicated(keep="first").to_numpy() & ~missing_id
    if dup.any():
        first_pos = (
            pd.Series(np.arange(len(nodes)), index=nodes.index)
            .groupby(nodes["id"], dropna=True)
            .transform("first")
            .to_numpy()
        )
        ids = nodes["id"].to_numpy()
        shown = np.flatnonzero(dup)[: settings.max_reported_problems]
        repeated: Any = {int(p): (ids[p], info.where(int(first_pos[p]))) for p in shown}
        problems.add_rows(
            info,
            dup,
            "id",
            lambda v: f"id {v[0]!r} is repeated (first seen at {v[1]}); ids must be unique",
            repeated,
        )
    raw_kind = nodes["kind"]
    kinds = raw_kind.map({k: normalise_kind(k) for k in pd.unique(raw_kind.dropna())})
    problems.add_rows(
        info,
        kinds.isna().to_numpy(),
        "kind",
        lambda v: (
            f"kind {v!r} is not one of firm, supplier, institution (use one of these and keep "
            "finer labels such as 'university' or 'OEM' in a `category` column; 'industry' "
            "is the kind of industry-level networks)"
        ),
        raw_kind,
    )
    nodes["kind"] = kinds
    name = nodes["name"].astype("str").str.strip()
    no_name = name.isna() | (name == "")
    if no_name.any():
        log.warning("%d actors have no name; their id is used as the name", int(no_name.sum()))
        name = name.where(~no_name, nodes["id"].astype("str"))
    nodes["name"] = name
    decimal_comma = any(t.attrs.get("decimal") == "," for t, _ in tables)
    for col in _NUMERIC_NODE:
        if col in nodes.columns:
            parsed = _to_number(nodes[col], decimal_comma)
            bad, _ = _unparsed(nodes[col], parsed.to_numpy(dtype="float64", na_value=np.nan))
            problems.add_rows(
                info, bad, col, lambda v, c=col: f"{c} {v!r} is not a number", nodes[col]
            )
            nodes[col] = parsed
    for col, lo, hi in (("lat", -90, 90), ("lon", -180, 180)):
        if col in nodes.columns:
            out = (nodes[col] < lo) | (nodes[col] > hi)
            problems.add_rows(
                info,
                out.to_numpy(),
                col,
                lambda v, c=col, a=lo, b=hi: (
                    f"{c} {v} is outside {a}..{b} (are lat and lon swapped?)"
                ),
                nodes[col],
            )
    return nodes, info


def _prepare_edges(
    tables: list[pd.DataFrame],
    columns: Mapping[str, str],
    layer: str | None,
    problems: Problems,
    keep_placeholders: bool = False,
) -> tuple[pd.DataFrame, TableInfo]:
    frames: list[pd.DataFrame] = []
    infos: list[TableInfo] = []
    for n, raw in enumerate(tables):
        label = str(
            raw.attrs.get("source", "edges table" if len(tables) == 1 else f"edges table {n + 1}")
        )
        _check_columns_unique(raw, label)
        df = _apply_columns(raw, columns, EDGE_COLUMNS, label)
        df = _numeric_extras(df, df.attrs.get("decimal") == ",")
        missing = [c for c in ("source", "target") if c not in df.columns]
        if "layer" not in df.columns:
            if layer is None:
                missing.append("layer")
            else:
                df = df.assign(layer=layer)
        if missing:
            problems.add(
                label,
                f"the required column(s) {', '.join(map(repr, missing))} are missing (map yours, "
                "e.g. columns={'source': 'supplier_id', 'target': 'firm_id'}; give a whole "
                "table one layer with layer='supply', --layer supply)" + _found(df, columns),
            )
            continue
        if len(df) == 0:
            problems.add(label, "the links table has no rows (it needs at least one link)")
            continue
        _warn_numeric_ids(df, ["source", "target"], label)
        frames.append(df)
        infos.append(TableInfo.of(raw, label))
    if not frames:
        return pd.DataFrame(columns=["source", "target", "layer", "weight"]), TableInfo.concat([])
    edges = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].copy()
    info = TableInfo.concat(infos)
    for col in ("source", "target"):
        edges[col] = _ids(edges[col])
    edges, info = _drop_placeholders(edges, info, ["source", "target"], keep_placeholders, "links")
    for col in ("source", "target"):
        problems.add_rows(info, edges[col].isna().to_numpy(), col, lambda _, c=col: f"{c} is empty")
    lay = edges["layer"].astype("str").str.strip()
    problems.add_rows(
        info, (lay.isna() | (lay == "")).to_numpy(), "layer", lambda _: "layer is empty"
    )
    edges["layer"] = lay
    decimal_comma = any(t.attrs.get("decimal") == "," for t in tables)
    if "weight" in edges.columns:
        raw_w = edges["weight"]
        w = _to_number(raw_w, decimal_comma)
        arr = w.to_numpy()
        nonnum, empty = _unparsed(raw_w, arr)
        hint = " (this file seems to use decimal commas)" if decimal_comma else ""
        problems.add_rows(
            info,
            nonnum,
            "weight",
            lambda v: f"weight {v!r} is not a number{hint}",
            raw_w,
        )
        problems.add_rows(
            info,
            empty,
            "weight",
            lambda _: (
                "weight is missing (fill it in, or drop the weight column so every link weighs 1)"
            ),
        )
        with np.errstate(invalid="ignore"):
            problems.add_rows(
                info,
                np.isinf(arr),
                "weight",
                lambda v: f"weight {v} is infinite; use a finite number",
                arr,
            )
            problems.add_rows(
                info,
                np.isfinite(arr) & (arr <= 0),
                "weight",
                lambda v: (
                    f"weight {v:g} is not > 0; a weight is a tie's strength (drop links that do "
                    "not exist rather than giving them weight 0)"
                ),
                arr,
            )
        edges["weight"] = w
    else:
        edges["weight"] = 1.0
    if "value" in edges.columns:
        raw_v = edges["value"]
        v = _to_number(raw_v, decimal_comma)
        bad_v, _ = _unparsed(raw_v, v.to_numpy())
        problems.add_rows(
            info,
            bad_v,
            "value",
            lambda x: f"value {x!r} is not a number",
            raw_v,
        )
        problems.add_rows(
            info, (v < 0).to_numpy(), "value", lambda x: f"value {x:g} is negative", v.to_numpy()
        )
        edges["value"] = v
    if "year" in edges.columns:
        raw_y = edges["year"]
        y = _to_number(raw_y, False)
        lo, hi = settings.year_range
        notnum, _ = _unparsed(raw_y, y.to_numpy(dtype="float64", na_value=np.nan))
        with np.errstate(invalid="ignore"):
            arr = y.to_numpy(dtype="float64", na_value=np.nan)
            fraction = ~np.isnan(arr) & (arr != np.floor(arr))
            outside = ~np.isnan(arr) & ~fraction & ((arr < lo) | (arr > hi))
        problems.add_rows(
            info,
            notnum | fraction,
            "year",
            lambda x: f"year {x!r} is not a whole number",
            raw_y,
        )
        problems.add_rows(
            info,
            outside,
            "year",
            lambda x: (
                f"year {x!r} is outside {lo}..{hi} (settings.year_range); check the column "
                "holds years"
            ),
            raw_y,
        )
        keep = ~(notnum | fraction | outside | np.isnan(arr))
        years = np.zeros(len(arr), dtype=np.int64)
        years[keep] = arr[keep].astype(np.int64)
        edges["year"] = pd.arrays.IntegerArray(years, ~keep)
    return edges, info


def from_tables(
    nodes: NodesArg,
    edges: EdgesArg = None,
    *,
    columns: Mapping[str, str] | None = None,
    kind: str | None = None,
    layer: str | None = None,
    directed: Mapping[str, bool] | None = None,
    drop_dangling: bool = False,
    self_loops: Literal["error", "drop", "keep"] = "error",
    keep_placeholders: bool = False,
) -> ClusterNetwork:
    """Build a cluster network from a node table and an edge table.

    Every row is checked, and all problems found are reported together (the
    first ten), each with its table, 1-based row, column and fix.

    Parameters
    ----------
    nodes : DataFrame, dict of columns, list of tables, {kind: table} or None
        One row per actor with columns ``id``, ``name`` and ``kind`` (one of
        ``firm``, ``supplier``, ``institution``; case and plurals forgiven).
        Separate tables per kind are given as ``{"firm": firms, "supplier":
        suppliers, "institution": institutions}`` and need no kind column.
        ``None`` derives the actors from the links: each id becomes an actor
        named by its id, of kind ``kind`` (default ``"firm"``).
    edges : DataFrame, dict of columns or list of tables, optional
        One row per relation with ``source``, ``target``, ``layer`` and
        optionally ``weight`` (> 0, default 1), ``type``, ``year``,
        ``value``. On a directed layer (``supply``) the link runs from
        ``source`` (supplier) to ``target`` (buyer).
    columns : dict, optional
        Your column names, keyed by clustermap's:
        ``{"id": "firm_id", "source": "supplier_id", "target": "firm_id",
        "value": "value_eur"}``. A key applies to the node table when it is a
        node column (``id``, ``name``, ``kind``, ``sector``...), to the edge
        table when it is an edge column; other keys rename the column wherever
        it is found.
    kind : str, optional
        The kind of every actor in node tables without a ``kind`` column.
    layer : str, optional
        The layer of every link in edge tables without a ``layer`` column.
    directed : dict, optional
        Direction of layers, overriding ``settings.default_directed``
        (``True``/``False``; the strings ``"true"``/``"false"`` are understood).
    drop_dangling : bool
        Drop links whose source or target is not a known actor (with a
        warning that counts them) instead of raising.
    self_loops : {"error", "drop", "keep"}
        What to do with links from an actor to itself.
    keep_placeholders : bool
        Keep rows whose id, source or target is a spreadsheet placeholder
        (``#N/A``, ``#REF!``, ``NA``, ``N/A``, ``NULL``, ``-``...). By
        default they are dropped with a warning that counts them.

    Returns
    -------
    ClusterNetwork

    Raises
    ------
    InputError
        Listing every problem found (the first ten).
    EmptyNetworkError
        When there are no actors at all.
    ConfigError
        For options with values that are not allowed.

    Examples
    --------
    >>> import pandas as pd, clustermap as cm
    >>> firms = pd.DataFrame({"firm_id": ["007", "008"], "name": ["Acme", "Bolt"]})
    >>> links = pd.DataFrame({"supplier_id": ["008"], "firm_id": ["007"], "value_eur": [1200.0]})
    >>> net = cm.from_tables(
    ...     {"firm": firms}, links, layer="supply",
    ...     columns={"id": "firm_id", "source": "supplier_id", "target": "firm_id",
    ...              "value": "value_eur"},
    ... )
    >>> net.nodes.index.tolist(), net.edges[["source", "target", "value"]].values.tolist()
    (['007', '008'], [['008', '007', 1200.0]])
    """
    if self_loops not in _SELF_LOOPS:
        msg = f"`self_loops` must be one of {', '.join(map(repr, _SELF_LOOPS))}, not {self_loops!r}"
        raise ConfigError(msg)
    if kind is not None and normalise_kind(kind) is None:
        msg = f"`kind` must be one of {', '.join(map(repr, NODE_KINDS))}, not {kind!r}"
        raise ConfigError(msg)
    kind = normalise_kind(kind) if kind is not None else None
    directed = parse_directed(directed)
    columns = dict(columns or {})
    node_tables = _split_node_tables(nodes)
    edge_tables = _edge_tables(edges)
    if columns:
        _check_mapping(columns, [t for t, _ in node_tables] + edge_tables)
    problems = Problems()
    edge_frame, edge_info = _prepare_edges(edge_tables, columns, layer, problems, keep_placeholders)
    if node_tables:
        node_frame, node_info = _prepare_nodes(
            node_tables, columns, kind, problems, keep_placeholders
        )
    else:
        if edges is None:
            msg = "no actors: give a node table, a links table, or both"
            raise EmptyNetworkError(msg)
        ids = pd.unique(pd.concat([edge_frame["source"], edge_frame["target"]]).dropna())
        node_frame = pd.DataFrame({"id": ids, "name": ids, "kind": kind or "firm"})
        node_info = TableInfo.of(node_frame, "links")
        log.info(
            "no node table: %d actors derived from the links, kind %r", len(ids), kind or "firm"
        )
    if problems.table_level:
        # a table lacks a required column: its rows cannot be matched against the links
        problems.raise_if_any()
    if len(node_frame) == 0:
        label = (
            ", ".join(
                sorted({str(t.attrs.get("source", "the node table")) for t, _ in node_tables})
                or node_info.label_set()
            )
            or "the node table"
        )
        msg = f"{label}: no actors (the node table has no rows)"
        raise EmptyNetworkError(msg)
    known = pd.Index(node_frame["id"])
    unknown_src = (positions(known, edge_frame["source"]) < 0) & edge_frame[
        "source"
    ].notna().to_numpy()
    unknown_dst = (positions(known, edge_frame["target"]) < 0) & edge_frame[
        "target"
    ].notna().to_numpy()
    dangling = unknown_src | unknown_dst
    if dangling.any():
        if drop_dangling:
            missing = pd.unique(
                pd.concat([edge_frame["source"][unknown_src], edge_frame["target"][unknown_dst]])
            )
            shown = ", ".join(map(repr, missing[:5])) + (" ..." if len(missing) > 5 else "")
            log.warning(
                "dropped %d links whose source or target is not a known actor (%d unknown ids: %s)",
                int(dangling.sum()),
                len(missing),
                shown,
            )
            edge_frame = edge_frame[~dangling]
            edge_info = edge_info.take(~dangling)
        else:
            node_label = ", ".join(node_info.label_set())
            for col, mask in (("source", unknown_src), ("target", unknown_dst)):
                problems.add_rows(
                    edge_info,
                    mask,
                    col,
                    lambda v, c=col: (
                        f"{c} {v!r} is not a known node id (check {node_label} or pass "
                        "drop_dangling=True / --drop-dangling)"
                    ),
                    edge_frame[col],
                )
    loops = (edge_frame["source"] == edge_frame["target"]).to_numpy()
    if loops.any():
        if self_loops == "error":
            problems.add_rows(
                edge_info,
                loops,
                "target",
                lambda v: (
                    f"link from {v!r} to itself (pass self_loops='drop' or 'keep', "
                    "--self-loops on the command line)"
                ),
                edge_frame["source"],
            )
        elif self_loops == "drop":
            log.warning("dropped %d self-loops", int(loops.sum()))
            edge_frame = edge_frame[~loops]
    problems.raise_if_any()
    node_frame = node_frame.set_index("id")
    node_frame.index.name = "id"
    ordered_nodes = [c for c in NODE_COLUMNS if c in node_frame.columns]
    node_frame = node_frame[
        ordered_nodes + [c for c in node_frame.columns if c not in ordered_nodes]
    ]
    ordered = [c for c in EDGE_COLUMNS if c in edge_frame.columns]
    edge_frame = edge_frame[ordered + [c for c in edge_frame.columns if c not in ordered]]
    node_frame.attrs = {}
    edge_frame.attrs = {}
    if edge_frame.empty and not edge_tables:
        log.info("the network has no links")
    return ClusterNetwork._from_checked(
        node_frame, edge_frame.reset_index(drop=True), directed=directed
    )
