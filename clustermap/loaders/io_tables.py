r"""Input-output tables -> an industry-to-industry supply network.

A Use table says how much of each commodity (rows) each industry (columns)
buys; a Make table says how much of each commodity (columns) each industry
(rows) produces. With market shares :math:`D = V \operatorname{diag}(q)^{-1}`
(:math:`q` the commodity outputs, the column sums of the Make table
:math:`V`), the industry-by-industry flows are :math:`F = D U`: industry *i*
sells to industry *j* the share of each commodity *j* buys that *i* makes
(the industry-technology assumption; Miller & Blair 2009, ch. 5). Without a
Make table each commodity is taken as made by the industry of the same code.

Totals, value added and final demand are recognised by their codes (BEA:
``T001``, ``T005``..., ``V00100``..., ``F01000``...; also ``NA`` columns that
a conversion left unnamed) and dropped, with a log message listing them.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from clustermap.errors import ConfigError, InputError
from clustermap.graphs.network import ClusterNetwork

__all__ = ["from_io_tables"]

log = logging.getLogger(__name__)

#: Codes that are not industries or commodities: totals, value added, final demand.
NON_INTERMEDIATE = re.compile(r"^(T0\d+|V\d+|F\d+[A-Z0-9]*|NA(\.\d+)?|Total.*|nan)$", re.IGNORECASE)
_SHARE_OF = ("buyer", "seller")


def _read(table: Any, role: str) -> pd.DataFrame:
    if isinstance(table, str | os.PathLike):
        frame = pd.read_csv(table, index_col=0, dtype={0: str})
        frame.attrs["source"] = os.path.basename(str(table))
        table = frame
    if not isinstance(table, pd.DataFrame):
        msg = f"`{role}` must be a table (DataFrame) or a CSV path, not {type(table).__name__}"
        raise ConfigError(msg)
    out = table.copy()
    out.index = out.index.astype(str).str.strip()
    out.columns = out.columns.astype(str).str.strip()
    return out


def _split(frame: pd.DataFrame, role: str) -> pd.DataFrame:
    rows = [r for r in frame.index if NON_INTERMEDIATE.match(r)]
    cols = [c for c in frame.columns if NON_INTERMEDIATE.match(c)]
    if rows or cols:
        log.info(
            "%s table: dropped %d rows (%s) and %d columns (%s): totals, value added, final demand",
            role,
            len(rows),
            ", ".join(rows),
            len(cols),
            ", ".join(cols),
        )
    block = frame.drop(index=rows, columns=cols)
    values = block.apply(pd.to_numeric, errors="coerce")
    bad = values.isna() & block.notna()
    if bad.any().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        msg = (
            f"{frame.attrs.get('source', role + ' table')}: row {block.index[r]!r} column "
            f"{block.columns[c]!r} is not a number ({block.to_numpy()[r, c]!r})"
        )
        raise InputError(msg)
    return values.fillna(0.0).astype("float64")


def from_io_tables(
    use: Any,
    make: Any = None,
    *,
    names: Mapping[str, str] | pd.Series | None = None,
    min_share: float = 0.0,
    share_of: Literal["buyer", "seller"] = "buyer",
    self_loops: bool = False,
) -> ClusterNetwork:
    """Build the industry supply network of an economy from its input-output tables.

    Nodes are industries (kind ``industry``); a ``supply`` link ``i -> j``
    carries the flow from industry *i* to industry *j* as ``weight`` and
    ``value`` (in the tables' money unit), with ``buyer_share`` (the flow's
    share of *j*'s intermediate inputs) and ``seller_share`` (its share of
    *i*'s intermediate sales).

    Parameters
    ----------
    use : DataFrame or path
        Commodities in rows, industries in columns (first CSV column = code).
    make : DataFrame or path, optional
        Industries in rows, commodities in columns.
    names : mapping or Series, optional
        Industry code -> name (the node ``name``; the code when absent).
    min_share : float
        Keep links whose share (see ``share_of``) is at least this (0 keeps all).
    share_of : {"buyer", "seller"}
        ``min_share`` of the buyer's inputs or of the seller's sales.
    self_loops : bool
        Keep an industry's purchases from itself as links (dropped by
        default; they are in the node column ``own_use`` either way).

    Returns
    -------
    ClusterNetwork
        Nodes: ``name``, ``kind`` (``industry``), ``sector`` (the code),
        ``inputs``, ``sales``, ``own_use`` (intermediate totals, the table's
        unit). Edges: ``supply`` layer, directed.

    Examples
    --------
    >>> import pandas as pd
    >>> use = pd.DataFrame({"A": [0, 5, 9], "B": [4, 0, 9], "F01000": [6, 5, 0]},
    ...                    index=["A", "B", "V00100"])
    >>> net = from_io_tables(use)
    >>> net.edges[["source", "target", "weight"]].values.tolist()
    [['A', 'B', 4.0], ['B', 'A', 5.0]]
    >>> net.nodes["kind"].tolist()
    ['industry', 'industry']
    """
    if share_of not in _SHARE_OF:
        msg = f"`share_of` must be one of {', '.join(map(repr, _SHARE_OF))}, not {share_of!r}"
        raise ConfigError(msg)
    if not 0 <= min_share <= 1:
        msg = f"`min_share` must be between 0 and 1, not {min_share!r}"
        raise ConfigError(msg)
    u = _split(_read(use, "use"), "use")
    if make is None:
        industries = u.columns
        unknown = [c for c in u.index if c not in set(industries)]
        if unknown:
            log.info(
                "use table: %d commodities have no industry of the same code and were dropped "
                "(pass a make table to assign them): %s",
                len(unknown),
                ", ".join(unknown[:20]),
            )
        flows = u.reindex(index=industries, fill_value=0.0)
        method = "use table, commodity = industry of the same code"
    else:
        v = _split(_read(make, "make"), "make")
        commodities = u.index.intersection(v.columns, sort=False)
        lost = u.index.difference(v.columns)
        if len(lost):
            log.info(
                "use table: %d commodities no industry makes were dropped: %s",
                len(lost),
                list(lost),
            )
        industries = u.columns.intersection(v.index, sort=False)
        missing = u.columns.difference(v.index)
        if len(missing):
            msg = (
                f"industries {list(missing[:10])} buy in the use table but have no row in the "
                "make table: check that both tables are of the same year and level"
            )
            raise InputError(msg)
        v = v.reindex(index=industries, columns=commodities, fill_value=0.0)
        q = v.sum(axis=0).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(q > 0, v.to_numpy() / np.where(q > 0, q, 1.0), 0.0)
        ucom = u.reindex(index=commodities, columns=industries).to_numpy()
        flows = pd.DataFrame(d @ ucom, index=industries, columns=industries)
        method = "market shares D = V / q, flows = D @ U (industry technology)"
    if len(industries) == 0:
        msg = "the use table has no industry columns once totals and final demand are dropped"
        raise InputError(msg)
    f = flows.to_numpy()
    inputs = f.sum(axis=0)
    sales = f.sum(axis=1)
    own = np.diag(f).copy()
    negative = (f < 0) & ~np.eye(len(f), dtype=bool)
    if negative.any():
        log.info(
            "from_io_tables: %d negative flows (total %.6g) are left out of the links",
            int(negative.sum()),
            float(f[negative].sum()),
        )
    src, dst = np.nonzero(f > 0)
    w = f[src, dst]
    with np.errstate(divide="ignore", invalid="ignore"):
        buyer_share = w / inputs[dst]
        seller_share = w / sales[src]
    keep = np.ones(len(w), dtype=bool) if self_loops else src != dst
    if min_share > 0:
        keep &= (buyer_share if share_of == "buyer" else seller_share) >= min_share
    codes = np.asarray(industries, dtype=object)
    edges = pd.DataFrame(
        {
            "source": codes[src[keep]],
            "target": codes[dst[keep]],
            "layer": "supply",
            "weight": w[keep],
            "value": w[keep],
            "buyer_share": buyer_share[keep],
            "seller_share": seller_share[keep],
        }
    )
    label = pd.Series(names) if names is not None else pd.Series(dtype=object)
    label.index = label.index.astype(str)
    nodes = pd.DataFrame(
        {
            "name": [str(label.get(c, c)) for c in codes],
            "kind": "industry",
            "sector": codes,
            "inputs": inputs,
            "sales": sales,
            "own_use": own,
        },
        index=pd.Index(codes, name="id"),
    )
    meta = {
        "source": "input-output tables",
        "method": method,
        "min_share": min_share,
        "share_of": share_of,
        "industries": len(codes),
    }
    log.info("from_io_tables: %d industries, %d links (%s)", len(codes), len(edges), method)
    return ClusterNetwork(nodes, edges, directed={"supply": True}, meta=meta)
