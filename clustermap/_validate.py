"""Collect problems in user data and report them all at once.

Validation never stops at the first problem: each rule adds the rows that
break it to a :class:`Problems` collector, which then raises one
:class:`~clustermap.errors.InputError` listing the first
``settings.max_reported_problems`` problems and how many there are in all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustermap import settings
from clustermap.errors import EmptyNetworkError, InputError

__all__ = ["Problem", "Problems", "TableInfo"]


@dataclass(frozen=True)
class TableInfo:
    """Where a table came from, so that messages can point into it.

    Parameters
    ----------
    labels : numpy.ndarray
        For each row, the file name (``"links.csv"``) or a description
        (``"edges table"``) of the table it came from.
    rows : numpy.ndarray
        For each row of the table as it is now, the row number a user would
        look for: the spreadsheet row (the header is row 1) for files, the
        1-based position for in-memory tables.
    """

    labels: np.ndarray
    rows: np.ndarray

    @classmethod
    def of(cls, df: pd.DataFrame, default_label: str) -> TableInfo:
        """Describe ``df``, using what :func:`read_table` put in ``df.attrs``."""
        label = str(df.attrs.get("source", default_label))
        first = int(df.attrs.get("first_row", 1))
        return cls(
            np.full(len(df), label, dtype=object),
            np.arange(first, first + len(df), dtype=np.int64),
        )

    @classmethod
    def concat(cls, parts: Sequence[TableInfo]) -> TableInfo:
        """Describe tables stacked one after another."""
        if not parts:
            return cls(np.empty(0, dtype=object), np.empty(0, dtype=np.int64))
        return cls(
            np.concatenate([p.labels for p in parts]),
            np.concatenate([p.rows for p in parts]),
        )

    def take(self, mask: np.ndarray) -> TableInfo:
        """Describe the rows of the table that ``mask`` keeps."""
        return TableInfo(self.labels[mask], self.rows[mask])

    def where(self, position: int) -> str:
        """``"links.csv row 17"`` for the row at ``position``."""
        return f"{self.labels[position]} row {self.rows[position]}"


@dataclass(frozen=True)
class Problem:
    """One broken rule at one place."""

    where: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = self.where
        if self.row is not None:
            place += f" row {self.row}"
        if self.column is not None:
            place += f", column {self.column!r}"
        return f"{place}: {self.message}"


@dataclass
class Problems:
    """A collector of :class:`Problem` that raises them together."""

    items: list[Problem] = field(default_factory=list)
    total: int = 0
    #: problems with a whole table (a missing column), after which rows cannot be checked
    table_level: int = 0

    def add(
        self, where: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        """Record a single problem (one without a row is about the whole table)."""
        self.total += 1
        if row is None:
            self.table_level += 1
        if len(self.items) < settings.max_reported_problems:
            self.items.append(Problem(where, row, column, message))

    def add_rows(
        self,
        table: TableInfo,
        mask: np.ndarray | pd.Series,
        column: str | None,
        message: Callable[..., str],
        values: Sequence[Any] | pd.Series | np.ndarray | None = None,
    ) -> int:
        """Record a problem for every row where ``mask`` is true.

        ``message`` is called with the row's value from ``values`` (only for
        the rows that will be shown), so building messages stays cheap on
        large tables. Returns the number of rows flagged.
        """
        flags = np.asarray(mask, dtype=bool)
        positions = np.flatnonzero(flags)
        room = max(settings.max_reported_problems - len(self.items), 0)
        shown = positions[:room]
        picked: list[Any] = [None] * len(shown)
        if values is not None and len(shown):
            if isinstance(values, pd.Series):
                picked = values.iloc[shown].tolist()
            else:
                picked = [values[int(p)] for p in shown]
        for pos, value in zip(shown, picked, strict=True):
            self.items.append(
                Problem(str(table.labels[pos]), int(table.rows[pos]), column, message(value))
            )
        self.total += len(positions)
        return len(positions)

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self, *, empty: bool = False) -> None:
        """Raise one :class:`InputError` listing the problems, if there are any."""
        if not self:
            return
        shown = len(self.items)
        head = (
            "1 problem in the input" if self.total == 1 else f"{self.total} problems in the input"
        )
        if shown < self.total:
            head += f" (the first {shown} shown)"
        lines = [head + ":"] + [f"  {p}" for p in self.items]
        msg = "\n".join(lines) if self.total > 1 else str(self.items[0])
        if empty:
            raise EmptyNetworkError(msg)
        raise InputError(msg)
