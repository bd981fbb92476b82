"""Recognise spreadsheet placeholders that stand where an id or name should be.

Spreadsheets, data terminals and statistics packages fill empty or failed
cells with text such as ``#N/A``, ``#N/A Invalid Security`` (Bloomberg),
``#REF!``, ``#VALUE!``, ``NA`` (R), ``NULL`` (SQL) or a lone ``-``. Read as
ids, such cells become actors: in a real supplier export ``#N/A Review`` was
the best-connected "firm". Every loader that reads ids (the table loaders,
wide supplier lists, roster surveys) asks this module which cells are
placeholders, so the rule is the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_PLACEHOLDERS", "placeholder_examples", "placeholder_mask"]

#: Cell texts (compared after trimming, case-insensitively) that are never an actor.
DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "NA",
    "N/A",
    "N.A.",
    "NAN",
    "NULL",
    "NONE",
    "-",
    "--",
    "?",
)

# Excel and Bloomberg errors carry a free-text tail: "#N/A Invalid Security", "#N/A Review".
_PREFIX = re.compile(r"^#(N/A|REF!|VALUE!|DIV/0!|NAME\?|NULL!|NUM!)", re.IGNORECASE)


def placeholder_mask(
    values: pd.Series | Iterable[object],
    *,
    extra: Iterable[str] = (),
    defaults: bool = True,
) -> np.ndarray:
    """Return a boolean array: True where a cell is a placeholder, not a value.

    Parameters
    ----------
    values : Series or iterable
        The cells to check (text or anything; missing cells are not placeholders,
        they are simply empty and each loader handles them on its own).
    extra : iterable of str
        More placeholder texts given by the user (compared trimmed, case-insensitively).
    defaults : bool
        Whether :data:`DEFAULT_PLACEHOLDERS` and the ``#N/A ...`` family count too.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> placeholder_mask(["F1", "#N/A Review", "n/a", " - ", "Acme-Werke", None]).tolist()
    [False, True, True, True, False, False]
    >>> placeholder_mask(["unknown", "F2"], extra=["Unknown"]).tolist()
    [True, False]
    """
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    present = s.notna().to_numpy()
    text = s.astype("string").str.strip().str.upper()
    words = {w.strip().upper() for w in extra}
    if defaults:
        words |= set(DEFAULT_PLACEHOLDERS)
    hit = np.array(text.isin(sorted(words)).fillna(False), dtype=bool)
    if defaults:
        hit |= np.array(text.str.match(_PREFIX).fillna(False), dtype=bool)
    return hit & present


def placeholder_examples(values: pd.Series, mask: np.ndarray, *, limit: int = 3) -> str:
    """Describe the placeholders found, most common first, for a warning.

    Examples
    --------
    >>> s = pd.Series(["#N/A", "F1", "#N/A", "-"])
    >>> placeholder_examples(s, placeholder_mask(s))
    "'#N/A' (2), '-' (1)"
    """
    counts = pd.Series(values[mask]).astype(str).value_counts()
    return ", ".join(f"{k!r} ({v})" for k, v in counts.head(limit).items())
