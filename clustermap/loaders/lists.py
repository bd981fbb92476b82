"""Wide partner lists -> links: one row per actor, several partner columns.

Supplier databases, customer lists and "name your five main suppliers"
survey questions come as one row per company with columns ``Supplier 1``,
``Supplier 2``... :func:`from_lists` turns such a table into a network.
Spreadsheet placeholders (``#N/A Invalid Security``, ``n/a``, ``-``) are
dropped with the same rule as the table loaders
(:mod:`clustermap.loaders._placeholders`) and counted in a warning, and an
actor that lists itself is reported rather than silently becoming a
self-loop.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from clustermap._validate import Problems, TableInfo
from clustermap.errors import ConfigError, EmptyNetworkError, InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.loaders._placeholders import placeholder_examples, placeholder_mask
from clustermap.loaders.tables import _frame, _ids, _to_number, from_tables

__all__ = ["DIRECTIONS", "from_lists"]

log = logging.getLogger(__name__)

#: Allowed values of ``direction``.
DIRECTIONS: tuple[str, ...] = ("partner->actor", "actor->partner")
_NUMBER = re.compile(r"(\d+)")


def _natural_key(name: str) -> list[Any]:
    """Sort ``Supplier 2`` before ``Supplier 10``."""
    return [int(p) if p.isdigit() else p.lower() for p in _NUMBER.split(name)]


def _columns_found(frame: pd.DataFrame) -> str:
    return ", ".join(map(repr, map(str, frame.columns)))


def _partner_columns(
    frame: pd.DataFrame,
    partners: Sequence[str] | None,
    prefix: str | None,
    what: str,
    where: str,
) -> list[str]:
    """The partner (or weight) columns named by a list or a prefix, in order."""
    if partners is not None and prefix is not None:
        msg = f"give either `{what}s` (a list of columns) or `{what}_prefix`, not both"
        raise ConfigError(msg)
    if partners is None and prefix is None:
        msg = (
            f"name the {what} columns: `{what}s=['Supplier 1', 'Supplier 2']` or "
            f"`{what}_prefix='Supplier'`"
        )
        raise ConfigError(msg)
    if prefix is not None:
        if not isinstance(prefix, str) or not prefix:
            msg = f"`{what}_prefix` must be a non-empty text, not {prefix!r}"
            raise ConfigError(msg)
        found = [str(c) for c in frame.columns if str(c).lower().startswith(prefix.lower())]
        if not found:
            msg = (
                f"{where}: no column starts with {prefix!r} (`{what}_prefix`); "
                f"columns are: {_columns_found(frame)}"
            )
            raise InputError(msg)
        return sorted(found, key=_natural_key)
    assert partners is not None
    if isinstance(partners, str):
        partners = [partners]
    chosen = [str(c) for c in partners]
    if not chosen:
        msg = f"`{what}s` is an empty list: name at least one column"
        raise ConfigError(msg)
    missing = [c for c in chosen if c not in frame.columns]
    if missing:
        msg = (
            f"{where}: the {what} column(s) {', '.join(map(repr, missing))} do not exist; "
            f"columns are: {_columns_found(frame)}"
        )
        raise InputError(msg)
    return chosen


def _weight_columns(
    frame: pd.DataFrame, weights: str | Sequence[str] | None, n: int, where: str
) -> list[str] | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        cols = _partner_columns(frame, None, weights, "weight", where)
    else:
        cols = [str(c) for c in weights]
    if len(cols) != n:
        msg = (
            f"{where}: {len(cols)} weight column(s) for {n} partner column(s); `weights` must "
            f"pair one weight column with each partner column (found {cols})"
        )
        raise InputError(msg)
    return _partner_columns(frame, cols, None, "weight", where)


def _drop_cells(cells: pd.Series, extra: Iterable[str]) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Masks of placeholder and empty cells, and the ids read as text."""
    ids = _ids(cells)
    empty = ids.isna().to_numpy()
    holder = placeholder_mask(ids, extra=extra)
    return holder, empty, ids


def from_lists(
    table: pd.DataFrame | Mapping[str, Any],
    *,
    actor: str,
    partners: Sequence[str] | None = None,
    partner_prefix: str | None = None,
    layer: str = "supply",
    direction: Literal["partner->actor", "actor->partner"] = "partner->actor",
    weights: str | Sequence[str] | None = None,
    missing: Iterable[str] = (),
) -> ClusterNetwork:
    """Build a network from partner lists: one row per actor, one column per partner.

    A supplier database export or a survey question such as "name your main
    suppliers" gives one row per company and columns ``Supplier 1``,
    ``Supplier 2``... Each filled partner cell becomes one link between the
    row's actor and that partner.

    Cells that are spreadsheet placeholders (``#N/A``, ``#N/A Invalid
    Security``, ``n/a``, ``NULL``, ``-``..., plus the texts in ``missing``)
    are dropped and counted in a warning with examples; empty cells are
    simply skipped. A row that lists its own actor as a partner is reported
    in a warning (with its row number) and that cell is dropped, never
    turned into a self-loop. The same partner named twice in one row counts
    once. Rows whose actor cell is empty or a placeholder are dropped with a
    warning.

    Parameters
    ----------
    table : DataFrame or dict of columns
        The wide table. Columns other than the actor, partner and weight
        columns describe the row's actor (first row per actor): ``name``,
        ``kind``, ``region``... A ``year`` column is copied to the links.
    actor : str
        The column of actor ids (or names, which then serve as ids).
    partners : list of str, optional
        The partner columns, in order.
    partner_prefix : str, optional
        Instead of ``partners``: every column whose name starts with this
        text (case-insensitively), in natural order (``Supplier 2`` before
        ``Supplier 10``).
    layer : str
        The layer of the links, ``"supply"`` by default (directed).
    direction : {"partner->actor", "actor->partner"}
        ``"partner->actor"`` for supplier lists (the partner supplies the
        row's actor), ``"actor->partner"`` for customer lists. Only matters
        on a directed layer.
    weights : str or list of str, optional
        Tie strengths: a list of columns paired with the partner columns, or
        a prefix (``"Share"`` for ``Share 1``, ``Share 2``...). A weight must
        be a number > 0 wherever its partner cell is filled. Default 1.
    missing : iterable of str
        More placeholder texts to drop (``["unknown", "various"]``),
        compared trimmed and case-insensitively.

    Returns
    -------
    ClusterNetwork
        Actors of the rows are ``firm`` unless the table has a ``kind``
        column; partners that never have a row of their own are
        ``supplier`` on a ``supply`` layer read ``partner->actor`` and
        ``firm`` otherwise. Links have ``weight``, ``type`` (``"listed"``)
        and ``column`` (the partner column the cell came from).
        ``net.meta`` counts the placeholders, empty cells and self-listings
        dropped.

    Raises
    ------
    InputError
        When a named column does not exist (the message lists the columns
        found), a weight is not a number > 0, or no link is left.
    ConfigError
        For options with values that are not allowed.

    Examples
    --------
    >>> import pandas as pd, clustermap as cm
    >>> table = pd.DataFrame({
    ...     "Company": ["Acme", "Bolt"],
    ...     "Supplier 1": ["Steelco", "#N/A Invalid Security"],
    ...     "Supplier 2": ["Bolt", "Steelco"],
    ... })
    >>> net = cm.from_lists(table, actor="Company", partner_prefix="Supplier")
    >>> net.edges[["source", "target"]].values.tolist()
    [['Steelco', 'Acme'], ['Bolt', 'Acme'], ['Steelco', 'Bolt']]
    >>> net.nodes["kind"].to_dict()
    {'Acme': 'firm', 'Bolt': 'firm', 'Steelco': 'supplier'}
    >>> net.meta["placeholders_dropped"]
    1
    """
    if direction not in DIRECTIONS:
        msg = f"`direction` must be one of {', '.join(map(repr, DIRECTIONS))}, not {direction!r}"
        raise ConfigError(msg)
    if not isinstance(layer, str) or not layer.strip():
        msg = f"`layer` must be a non-empty name such as 'supply', not {layer!r}"
        raise ConfigError(msg)
    if isinstance(missing, str):
        missing = [missing]
    extra = [str(m) for m in missing]
    frame = _frame(table, "table")
    where = str(frame.attrs.get("source", "lists table"))
    if actor not in frame.columns:
        msg = f"{where}: the actor column {actor!r} does not exist; columns are: " + (
            _columns_found(frame)
        )
        raise InputError(msg)
    cols = _partner_columns(frame, partners, partner_prefix, "partner", where)
    if isinstance(weights, str):
        cols = [c for c in cols if not c.lower().startswith(weights.lower())]
    elif weights is not None:
        cols = [c for c in cols if c not in set(map(str, weights))]
    cols = [c for c in cols if c != actor]
    wcols = _weight_columns(frame, weights, len(cols), where)
    info = TableInfo.of(frame, where)
    n, k = len(frame), len(cols)

    actor_ids = _ids(frame[actor].reset_index(drop=True))
    bad_rows = placeholder_mask(actor_ids, extra=extra) | actor_ids.isna().to_numpy()
    if bad_rows.any():
        shown = ", ".join(str(r) for r in info.rows[bad_rows][:5])
        log.warning(
            "%s: dropped %d rows whose actor (column %r) is empty or a placeholder (rows %s%s)",
            where,
            int(bad_rows.sum()),
            actor,
            shown,
            " ..." if bad_rows.sum() > 5 else "",
        )

    # the partner cells, stacked column by column (row-major after the sort below)
    cells = pd.concat([frame[c].reset_index(drop=True) for c in cols], ignore_index=True)
    row = np.tile(np.arange(n), k)
    col = np.repeat(np.arange(k), n)
    holder, empty, partner_ids = _drop_cells(cells, extra)
    if holder.any():
        log.warning(
            "%s: dropped %d placeholder cells in the partner columns (%s); they are not actors",
            where,
            int(holder.sum()),
            placeholder_examples(cells, holder),
        )
    keep = ~holder & ~empty & ~bad_rows[row]
    p_all = partner_ids.fillna("").to_numpy(dtype=object)
    a_all = actor_ids.fillna("").to_numpy(dtype=object)
    own = keep & (p_all == a_all[row])
    if own.any():
        rows_shown = ", ".join(
            f"{info.rows[r]} ({actor_ids.iloc[r]!r} in {cols[c]!r})"
            for r, c in zip(row[own][:5], col[own][:5], strict=True)
        )
        log.warning(
            "%s: %d rows list their own actor as a partner; those cells are dropped, not "
            "turned into self-loops: row %s%s",
            where,
            int(own.sum()),
            rows_shown,
            " ..." if own.sum() > 5 else "",
        )
    keep &= ~own

    weight = np.ones(n * k)
    if wcols is not None:
        raw_w = pd.concat([frame[c].reset_index(drop=True) for c in wcols], ignore_index=True)
        decimal_comma = frame.attrs.get("decimal") == ","
        parsed = _to_number(raw_w, decimal_comma).to_numpy()
        bad = keep & ~(np.isfinite(parsed) & (parsed > 0))
        if bad.any():
            problems = Problems()
            order = np.lexsort((col[bad], row[bad]))
            for r, c, v in zip(
                row[bad][order], col[bad][order], raw_w.to_numpy()[bad][order], strict=True
            ):
                problems.add(
                    where,
                    f"weight {v!r} of partner {partner_ids.iloc[r + c * n]!r} is not a number "
                    "> 0 (fill it in, or empty the partner cell)",
                    row=int(info.rows[r]),
                    column=wcols[c],
                )
            problems.raise_if_any()
        weight = np.where(keep, parsed, 1.0)

    order = np.lexsort((col[keep], row[keep]))  # row by row, partners in column order
    r_kept, c_kept = row[keep][order], col[keep][order]
    p_kept = p_all[keep][order]
    a_kept = a_all[r_kept]
    links = pd.DataFrame({"actor": a_kept, "partner": p_kept, "_row": r_kept})
    repeated = links.duplicated(["_row", "partner"]).to_numpy()
    if repeated.any():
        log.info("%d partners named twice in the same row count once", int(repeated.sum()))
    if not len(links):
        msg = (
            f"{where}: no links: every partner cell of {', '.join(map(repr, cols))} is empty, "
            "a placeholder or the row's own actor"
        )
        raise EmptyNetworkError(msg)
    first = ~repeated
    source, target = (p_kept, a_kept) if direction == "partner->actor" else (a_kept, p_kept)
    edges = pd.DataFrame(
        {
            "source": source[first],
            "target": target[first],
            "layer": layer,
            "weight": weight[keep][order][first],
            "type": "listed",
            "column": np.asarray(cols, dtype=object)[c_kept[first]],
        }
    )
    if "year" in frame.columns and "year" not in (actor, *cols, *(wcols or [])):
        edges["year"] = frame["year"].to_numpy()[r_kept[first]]

    # nodes: the row actors (with their attributes), then partners seen only as partners
    described = frame.iloc[np.flatnonzero(~bad_rows)].reset_index(drop=True)
    attr_cols = [c for c in described.columns if c not in {actor, *cols, *(wcols or []), "year"}]
    actors_table = described[attr_cols].assign(id=actor_ids[~bad_rows].to_numpy())
    actors_table = actors_table.drop_duplicates("id", keep="first")
    if "id" in attr_cols:
        msg = f"{where}: a column named 'id' beside the actor column {actor!r} is ambiguous"
        raise InputError(msg)
    if "name" not in actors_table.columns:
        actors_table["name"] = actors_table["id"]
    actors_table["name"] = actors_table["name"].where(
        actors_table["name"].notna(), actors_table["id"]
    )
    if "kind" in actors_table.columns:
        actors_table["kind"] = actors_table["kind"].fillna("firm")
    else:
        actors_table["kind"] = "firm"
    partner_only = pd.unique(p_kept[first])
    partner_only = partner_only[~pd.Index(partner_only).isin(actors_table["id"])]
    partner_kind = "supplier" if layer == "supply" and direction == "partner->actor" else "firm"
    others = pd.DataFrame({"id": partner_only, "name": partner_only, "kind": partner_kind})
    nodes = pd.concat([actors_table, others], ignore_index=True)
    columns_first = ["id", "name", "kind"]
    nodes = nodes[columns_first + [c for c in nodes.columns if c not in columns_first]]
    net = from_tables(nodes, edges)
    meta = {
        "source": "lists",
        "table": where,
        "actor": actor,
        "partners": cols,
        "weights": wcols,
        "layer": layer,
        "direction": direction,
        "rows": n,
        "rows_dropped": int(bad_rows.sum()),
        "cells_filled": int((~empty).sum()),
        "placeholders_dropped": int(holder.sum()),
        "placeholder_examples": placeholder_examples(cells, holder) if holder.any() else "",
        "empty_cells": int(empty.sum()),
        "self_listings_dropped": int(own.sum()),
        "repeated_in_row": int(repeated.sum()),
        "links": len(edges),
    }
    log.info(
        "from_lists: %d rows, %d partner columns -> %d actors, %d links",
        n,
        k,
        net.n_nodes,
        len(edges),
    )
    return ClusterNetwork._trusted(net._nodes, net._edges, net._directed, meta)
