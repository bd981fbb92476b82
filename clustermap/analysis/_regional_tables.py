"""Check and shape regional tables: region x industry employment, industry -> cluster mappings.

Statistics offices publish employment as a long table (region, industry,
employment, establishments). These helpers validate such a table at the
boundary and report every problem at once, naming the file (``attrs["source"]``
as :func:`~clustermap.read_table` sets it), the row as a spreadsheet shows it
and the column. Codes stay text: ``'0111'`` and ``'00'`` keep their zeros.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clustermap import settings
from clustermap.errors import ConfigError, InputError

log = logging.getLogger(__name__)

_TOTAL_CODE = re.compile(r"^0+$")
_CODE_ALIASES = ("industry", "code", "naics", "nace", "sector", "naics_code", "industry_code")
_CLUSTER_ALIASES = ("cluster", "cluster_name", "cluster_code")
_TRADED_ALIASES = ("traded", "tradedlocal", "traded_local", "type")
_TRADED_WORDS = {"traded": True, "local": False, "true": True, "false": False, "yes": True}
_TRADED_WORDS.update({"no": False, "1": True, "0": False, "t": True, "l": False})


def source_name(table: Any, default: str) -> str:
    """The file a table came from (``attrs["source"]``), or ``default``."""
    attrs = getattr(table, "attrs", None) or {}
    return str(attrs.get("source") or default)


def _first_row(table: Any) -> int:
    attrs = getattr(table, "attrs", None) or {}
    return int(attrs.get("first_row", 2))


def raise_problems(where: str, problems: list[str], fix: str) -> None:
    """Raise one InputError listing the first problems (``settings.max_reported_problems``)."""
    if not problems:
        return
    limit = settings.max_reported_problems
    more = f" (and {len(problems) - limit} more)" if len(problems) > limit else ""
    msg = f"{where}: {len(problems)} problem(s){more}: " + "; ".join(problems[:limit]) + f". {fix}"
    raise InputError(msg)


def _text_codes(values: pd.Series, column: str, where: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values.dtype):
        log.warning(
            "%s: column %r holds numbers; codes are read as text, but leading zeros may "
            "already be lost (read the file with clustermap.read_table to keep them)",
            where,
            column,
        )
        as_int = values.dropna()
        if len(as_int) and np.all(np.mod(as_int.to_numpy(dtype=float), 1) == 0):
            return values.map(lambda v: v if pd.isna(v) else str(int(v)))
    if pd.api.types.is_string_dtype(values.dtype):
        return values.str.strip()
    return values.map(lambda v: v if pd.isna(v) else str(v).strip())


def _numbers(values: pd.Series, decimal: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype("float64")
    if decimal != ",":
        try:
            return pd.to_numeric(values, errors="raise").astype("float64")
        except (ValueError, TypeError):
            pass
    text = values.astype("string").str.strip()
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    text = text.str.replace(r"[\s\u00a0]", "", regex=True)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _file_rows(index: pd.Index, first: int) -> np.ndarray:
    """Spreadsheet row numbers of a table's rows.

    A table read from a file keeps its 0, 1, 2... index when rows are filtered
    (one year, say), so the index gives the file's rows; otherwise positions do.
    """
    integer = pd.api.types.is_integer_dtype(index.dtype) and index.is_unique
    if integer and len(index) and int(index.min()) >= 0:
        return index.to_numpy(dtype=np.int64) + first
    return np.arange(len(index)) + first


@dataclass(frozen=True)
class Employment:
    """A validated long employment table with standard column names."""

    data: pd.DataFrame  # columns region, industry, value, (establishments)
    source: str
    has_establishments: bool


def prepare_employment(
    table: pd.DataFrame,
    *,
    region: str,
    industry: str,
    value: str,
    establishments: str | None,
    level: int | None,
) -> Employment:
    """Validate a long region x industry table; return it with standard columns.

    Rules: the columns exist; codes are text; values are numbers >= 0 (empty
    cells are suppressed cells and are left out); one row per region and
    industry; codes of one level only (``level`` chooses it when the table
    mixes levels); all-zero codes (``'00'``) are totals and are left out.
    """
    if not isinstance(table, pd.DataFrame):
        table = pd.DataFrame(table)
    where = source_name(table, "the employment table")
    wanted = {"region": region, "industry": industry, "value": value}
    if establishments is not None:
        wanted["establishments"] = establishments
    missing = [f"{k}={c!r}" for k, c in wanted.items() if c not in table.columns]
    if missing:
        msg = (
            f"{where}: no column for {', '.join(missing)}; the columns are "
            f"{', '.join(map(repr, table.columns))} (name them with region=, industry=, value=)"
        )
        raise ConfigError(msg)
    first = _first_row(table)
    decimal = str(table.attrs.get("decimal", "."))
    df = pd.DataFrame(
        {
            "region": _text_codes(table[region], region, where).to_numpy(),
            "industry": _text_codes(table[industry], industry, where).to_numpy(),
            "value": _numbers(table[value], decimal).to_numpy(),
        }
    )
    if establishments is not None:
        df["establishments"] = _numbers(table[establishments], decimal).to_numpy()
    df["row"] = _file_rows(table.index, first)
    positions = {int(r): i for i, r in enumerate(df["row"])}
    problems: list[str] = []
    for key, column in wanted.items():
        raw = table[column]
        if key in ("region", "industry"):
            bad = df[key].isna() | (df[key] == "")
            rule = "is empty (every row needs a code)"
        else:
            given = raw.notna().to_numpy() & (raw.astype(str).str.strip() != "").to_numpy()
            bad = df[key].isna() & given
            bad |= df[key].to_numpy() < 0
            rule = "must be a number >= 0"
        for r in df.loc[bad.to_numpy(), "row"].head(settings.max_reported_problems):
            problems.append(f"row {r} column {column!r} {rule} (found {raw.iloc[positions[r]]!r})")
    raise_problems(where, problems, "Fix these cells; leave suppressed cells empty.")
    df = df[df["value"].notna()]
    totals = df["industry"].str.fullmatch(_TOTAL_CODE)
    if totals.any():
        log.info("%s: left out %d total rows (industry code of zeros)", where, int(totals.sum()))
        df = df[~totals]
    lengths = df["industry"].str.len()
    if level is not None:
        if (lengths != level).any():
            log.info(
                "%s: kept the %d rows with %d-character codes (level=%d), left out %d",
                where,
                int((lengths == level).sum()),
                level,
                level,
                int((lengths != level).sum()),
            )
        df = df[lengths == level]
    elif len(lengths) and (lengths != lengths.iloc[0]).any():
        found = ", ".join(str(x) for x in sorted(lengths.unique()))
        msg = (
            f"{where}: column {industry!r} mixes code levels ({found} characters); summing them "
            f"would count employment twice: choose one level with level= (e.g. level="
            f"{int(lengths.max())} for the most detailed codes)"
        )
        raise InputError(msg)
    dup = df.duplicated(["region", "industry"], keep=False)
    if dup.any():
        rows = df.loc[dup, ["region", "industry", "row"]]
        problems = [
            f"rows {', '.join(map(str, g['row'].tolist()[:5]))} repeat region {r!r} and "
            f"industry {i!r} (columns {region!r}, {industry!r})"
            for (r, i), g in rows.groupby(["region", "industry"], sort=False)
        ]
        raise_problems(
            where,
            problems,
            "Keep one row per region and industry (sum them first; a table of several years: "
            "select one year).",
        )
    zeros = int((df["value"] == 0).sum())
    if zeros:
        log.info("%s: %d rows have zero %s; they are kept and flagged", where, zeros, value)
    if df.empty:
        msg = f"{where}: no rows left with a value (check level= and the {value!r} column)"
        raise InputError(msg)
    return Employment(df.reset_index(drop=True), where, establishments is not None)


def _pick(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    lower = {re.sub(r"[\s_]+", "", c.lower()): c for c in columns}
    for alias in aliases:
        key = alias.replace("_", "")
        if key in lower:
            return lower[key]
    return None


def prepare_mapping(mapping: Any) -> pd.DataFrame:
    """Return a mapping as a table indexed by industry code with ``cluster`` and ``traded``.

    ``mapping`` is a ``{code: cluster}`` dict, a Series (code -> cluster) or a
    table whose columns are found by name: the code (``industry``, ``code``,
    ``naics``, ``nace``, ``sector``), the cluster (``cluster``) and optionally
    the traded/local flag (``traded``, ``TradedLocal``: Traded/Local, True/False).
    A code in two clusters is an InputError naming the rows.
    """
    where = source_name(mapping, "the cluster mapping")
    if isinstance(mapping, Mapping) and not isinstance(mapping, pd.DataFrame):
        mapping = pd.Series(mapping)
    if isinstance(mapping, pd.Series):
        table = pd.DataFrame({"industry": mapping.index.astype(str), "cluster": mapping.to_numpy()})
        table.attrs = dict(mapping.attrs)
        mapping = table
    if not isinstance(mapping, pd.DataFrame):
        msg = f"`mapping` must be a table, a Series or a dict, not {type(mapping).__name__}"
        raise ConfigError(msg)
    cols = [str(c) for c in mapping.columns]
    code = _pick(cols, _CODE_ALIASES)
    cluster = _pick(cols, _CLUSTER_ALIASES)
    traded = _pick(cols, _TRADED_ALIASES)
    if code is None or cluster is None:
        msg = (
            f"{where}: needs a code column (one of {', '.join(_CODE_ALIASES)}) and a cluster "
            f"column (one of {', '.join(_CLUSTER_ALIASES)}); the columns are {cols}"
        )
        raise ConfigError(msg)
    first = _first_row(mapping)
    out = pd.DataFrame(
        {
            "industry": _text_codes(mapping[code], code, where).to_numpy(),
            "cluster": mapping[cluster].astype("string").str.strip().to_numpy(dtype=object),
            "row": _file_rows(mapping.index, first),
        }
    )
    problems: list[str] = []
    for r in out.loc[out["industry"].isna() | (out["industry"] == ""), "row"]:
        problems.append(f"row {r} column {code!r} is empty (every row needs a code)")
    no_cluster = out["cluster"].isna() | (out["cluster"] == "")
    if no_cluster.any():
        log.info(
            "%s: %d code(s) have no cluster (e.g. %s on row %d); they count in the "
            "all-industry base only",
            where,
            int(no_cluster.sum()),
            out.loc[no_cluster, "industry"].iloc[0],
            int(out.loc[no_cluster, "row"].iloc[0]),
        )
        out.loc[no_cluster, "cluster"] = None
    if traded is not None:
        words = mapping[traded].astype("string").str.strip().str.lower()
        flag = words.map(_TRADED_WORDS)
        for r, w in zip(
            out.loc[flag.isna().to_numpy(), "row"], mapping[traded][flag.isna()], strict=True
        ):
            problems.append(f"row {r} column {traded!r} must be Traded or Local, not {w!r}")
        out["traded"] = flag.astype("boolean").to_numpy()
    raise_problems(where, problems, "Fix the mapping rows.")
    out = out.drop_duplicates(["industry", "cluster"])
    out = out[~(out["cluster"].isna() & out["industry"].duplicated(keep=False))]
    twice = out["industry"].duplicated(keep=False)
    if twice.any():
        problems = [
            f"code {c!r} is in {g['cluster'].nunique()} clusters "
            f"({', '.join(map(repr, g['cluster'].tolist()[:3]))}) on rows "
            f"{', '.join(map(str, g['row'].tolist()[:5]))} (column {code!r})"
            for c, g in out[twice].groupby("industry", sort=False)
        ]
        raise_problems(where, problems, "Give every code one cluster.")
    if traded is not None:
        flags = out.groupby("cluster")["traded"]
        mixed = flags.min() != flags.max()
        if mixed.any():
            names = ", ".join(map(repr, mixed.index[mixed][:5]))
            msg = (
                f"{where}: cluster(s) {names} are marked both traded and local (column {traded!r})"
            )
            raise InputError(msg)
    out = out.set_index("industry")
    out.attrs["source"] = where
    out.attrs["code_column"] = code
    return out


def check_mapped(emp: Employment, mapping: pd.DataFrame, *, unmapped: str) -> pd.Series:
    """Rows of ``emp`` whose code the mapping does not know: an error, or left out.

    Returns the boolean mask of mapped rows.
    """
    known = emp.data["industry"].isin(mapping.index)
    if known.all():
        return known
    bad = emp.data.loc[~known]
    if unmapped == "error":
        codes = bad.groupby("industry", sort=False)["row"].first()
        problems = [
            f"row {r} code {c!r} matches no row of {mapping.attrs.get('source', 'the mapping')}"
            for c, r in codes.items()
        ]
        raise_problems(
            emp.source,
            problems,
            "Add the codes to the mapping, choose the code level the mapping uses (level=), "
            "or pass unmapped='other' to count them in no cluster.",
        )
    share = float(bad["value"].sum() / max(emp.data["value"].sum(), 1e-300))
    log.info(
        "%s: %d rows (%d codes, %.1f%% of employment) match no cluster; they count in the "
        "all-industry base only",
        emp.source,
        len(bad),
        bad["industry"].nunique(),
        100 * share,
    )
    return known


def region_matrix(
    table: pd.DataFrame,
    *,
    region: str,
    industry: str,
    value: str,
    level: int | None = None,
) -> pd.DataFrame:
    """A regions x industries matrix from a long table, or a wide one as given.

    A table that has the three named columns is long and is validated and
    pivoted; otherwise it is taken as a matrix of numbers (regions in rows).
    """
    if all(c in table.columns for c in (region, industry, value)):
        emp = prepare_employment(
            table, region=region, industry=industry, value=value, establishments=None, level=level
        )
        mat = emp.data.pivot(index="region", columns="industry", values="value").fillna(0.0)
        mat.index.name, mat.columns.name = "region", "industry"
        return mat
    where = source_name(table, "the matrix")
    mat = table.apply(pd.to_numeric, errors="coerce")
    if mat.isna().any().any() or (mat.to_numpy() < 0).any():
        msg = (
            f"{where}: is neither a long table with columns {region!r}, {industry!r}, {value!r} "
            "nor a matrix of numbers >= 0 (regions in rows, industries in columns)"
        )
        raise InputError(msg)
    mat = mat.astype("float64")
    mat.index = mat.index.astype(str)
    mat.columns = mat.columns.astype(str)
    mat.index.name = mat.index.name or "region"
    mat.columns.name = mat.columns.name or "industry"
    return mat
