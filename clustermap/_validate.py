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

__all__ = ["Problem", "Problems", "TableInfo", "spreadsheet_rows"]


def spreadsheet_rows(first: int, n: int, skipped: Sequence[int] = ()) -> np.ndarray:
    """The spreadsheet row of each of ``n`` table rows, the first at ``first``.

    ``skipped`` lists rows of the file that are not in the table (blank rows),
    so that the rows after them keep the numbers a spreadsheet shows.

    Examples
    --------
    >>> spreadsheet_rows(2, 4, [3, 5]).tolist()
    [2, 4, 6, 7]
    """
    if not len(skipped):
        return np.arange(first, first + n, dtype=np.int64)
    every = np.arange(first, first + n + len(skipped), dtype=np.int64)
    return np.setdiff1d(every, np.asarray(skipped, dtype=np.int64), assume_unique=True)[:n]


@dataclass(frozen=True)
class TableInfo:
    """Where a table came from, so that messages can point into it.

    Parameters
    ----------
    names : numpy.ndarray
        The file names (``"links.csv"``) or descriptions (``"edges table"``)
        of the tables stacked into this one.
    codes : numpy.ndarray
        For each row, the position in ``names`` of the table it came from
        (small integers: cheap on millions of rows).
    rows : numpy.ndarray
        For each row of the table as it is now, the row number a user would
        look for: the spreadsheet row (the header is row 1) for files, the
        1-based position for in-memory tables.
    """

    names: np.ndarray
    codes: np.ndarray
    rows: np.ndarray

    @classmethod
    def of(cls, df: pd.DataFrame, default_label: str) -> TableInfo:
        """Describe ``df``, using what :func:`read_table` put in ``df.attrs``."""
        label = str(df.attrs.get("source", default_label))
        first = int(df.attrs.get("first_row", 1))
        return cls(
            np.array([label], dtype=object),
            np.zeros(len(df), dtype=np.int32),
            spreadsheet_rows(first, len(df), df.attrs.get("skipped_rows", ())),
        )

    @classmethod
    def concat(cls, parts: Sequence[TableInfo]) -> TableInfo:
        """Describe tables stacked one after another."""
        if not parts:
            return cls(
                np.empty(0, dtype=object), np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int64)
            )
        if len(parts) == 1:
            return parts[0]
        offsets = np.cumsum([0] + [len(p.names) for p in parts[:-1]])
        return cls(
            np.concatenate([p.names for p in parts]),
            np.concatenate([p.codes + off for p, off in zip(parts, offsets, strict=True)]).astype(
                np.int32
            ),
            np.concatenate([p.rows for p in parts]),
        )

    @property
    def labels(self) -> np.ndarray:
        """For each row, the name of the table it came from."""
        return self.names[self.codes]

    def label(self, position: int) -> str:
        """The name of the table that the row at ``position`` came from."""
        return str(self.names[self.codes[position]])

    def label_set(self, mask: np.ndarray | None = None) -> list[str]:
        """The names of the tables the rows (where ``mask`` is true) came from, sorted."""
        codes = self.codes if mask is None else self.codes[mask]
        return sorted({str(self.names[c]) for c in np.unique(codes)})

    def take(self, mask: np.ndarray) -> TableInfo:
        """Describe the rows of the table that ``mask`` keeps."""
        return TableInfo(self.names, self.codes[mask], self.rows[mask])

    def where(self, position: int) -> str:
        """``"links.csv row 17"`` for the row at ``position``."""
        return f"{self.label(position)} row {self.rows[position]}"


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
class _Kind:
    """The problems that break one rule in one column."""

    count: int = 0
    examples: list[Problem] = field(default_factory=list)


@dataclass
class Problems:
    """A collector of :class:`Problem` that raises them together, grouped by kind.

    A kind is one rule in one column (``target is not a known node id``).
    The message shows how many problems of each kind there are and the first
    examples of every kind, so one round tells a user everything to fix.
    """

    kinds: dict[Any, _Kind] = field(default_factory=dict)
    total: int = 0
    #: problems with a whole table (a missing column), after which rows cannot be checked
    table_level: int = 0

    @property
    def items(self) -> list[Problem]:
        """Every example kept, kind by kind."""
        return [p for kind in self.kinds.values() for p in kind.examples]

    def _kind(self, key: Any) -> _Kind:
        return self.kinds.setdefault(key, _Kind())

    def add(
        self, where: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        """Record a single problem (one without a row is about the whole table)."""
        self.total += 1
        if row is None:
            self.table_level += 1
        kind = self._kind((where, column, message) if row is None else (column, message))
        kind.count += 1
        if len(kind.examples) < settings.max_reported_problems:
            kind.examples.append(Problem(where, row, column, message))

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
        if not len(positions):
            return 0
        kind = self._kind((column, getattr(message, "__code__", message)))
        room = max(settings.max_reported_problems - len(kind.examples), 0)
        shown = positions[:room]
        picked: list[Any] = [None] * len(shown)
        if values is not None and len(shown):
            if isinstance(values, pd.Series):
                picked = values.iloc[shown].tolist()
            else:
                picked = [values[int(p)] for p in shown]
        for pos, value in zip(shown, picked, strict=True):
            kind.examples.append(
                Problem(table.label(pos), int(table.rows[pos]), column, message(value))
            )
        kind.count += len(positions)
        self.total += len(positions)
        return len(positions)

    def __bool__(self) -> bool:
        return self.total > 0

    def message(self) -> str:
        """The text of the error: counts, then the first examples of every kind."""
        if self.total == 1:
            return str(self.items[0])
        kinds = list(self.kinds.values())
        budget = settings.max_reported_problems
        each = budget if len(kinds) == 1 else max(2, budget // len(kinds))
        lines: list[str] = []
        shown = 0
        for kind in kinds:
            for p in kind.examples[:each]:
                lines.append(f"  {p}")
                shown += 1
            rest = kind.count - min(each, len(kind.examples))
            if rest > 0:
                lines.append(f"    ... and {rest} more like this")
        head = f"{self.total} problems in the input"
        if len(kinds) > 1:
            head += f", of {len(kinds)} kinds"
        if shown < self.total:
            head += (
                f" (the first {shown} shown)"
                if len(kinds) == 1
                else " (the first examples of each kind shown)"
            )
        return "\n".join([head + ":", *lines])

    def raise_if_any(self, *, empty: bool = False) -> None:
        """Raise one :class:`InputError` listing the problems, if there are any."""
        if not self:
            return
        msg = self.message()
        if empty:
            raise EmptyNetworkError(msg)
        raise InputError(msg)
