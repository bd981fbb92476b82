"""Suppress small counts in published tables (statistical disclosure control).

Survey and VAT data are confidential: a published count of 1 or 2 firms can
identify them. With ``min_count=k`` the summaries and community profiles
show every count from 1 to ``k - 1`` as the text ``"<k"`` (zeros stay) and
record in ``.attrs["suppression"]`` what was suppressed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from clustermap.errors import ConfigError

__all__ = ["check_min_count", "small", "suppress_values", "suppression_record"]


def check_min_count(min_count: Any) -> None:
    """Raise a ConfigError unless ``min_count`` is None or a whole number >= 2."""
    if min_count is None:
        return
    if isinstance(min_count, bool) or not isinstance(min_count, int | np.integer):
        msg = f"`min_count` must be a whole number of at least 2 or None, not {min_count!r}"
        raise ConfigError(msg)
    if min_count < 2:
        msg = (
            f"`min_count` must be at least 2 (counts below it are hidden), not {min_count}; "
            "leave it out to show every count"
        )
        raise ConfigError(msg)


def small(values: Any, min_count: int) -> np.ndarray:
    """True where a count is from 1 to ``min_count - 1``."""
    v = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy()
    with np.errstate(invalid="ignore"):
        return np.asarray((v >= 1) & (v < min_count), dtype=bool)


def suppression_record(min_count: int, counts: dict[str, int], **extra: Any) -> dict[str, Any]:
    """The provenance entry: the threshold, how cells show, what was suppressed."""
    return {
        "min_count": int(min_count),
        "shown_as": f"<{min_count}",
        "rule": f"counts from 1 to {min_count - 1} are shown as '<{min_count}'",
        "cells_suppressed": int(sum(counts.values())),
        "by_column": {k: int(v) for k, v in counts.items() if v},
        **extra,
    }


def suppress_values(data: pd.Series | pd.DataFrame, keys: Iterable[str], min_count: int) -> Any:
    """Return a copy of ``data`` with small counts in ``keys`` shown as ``"<k"``.

    For a Series, ``keys`` are index labels; for a DataFrame, columns.

    Examples
    --------
    >>> import pandas as pd
    >>> df = suppress_values(pd.DataFrame({"n": [0, 3, 12]}), ["n"], 5)
    >>> df["n"].tolist(), df.attrs["suppression"]["cells_suppressed"]
    ([0, '<5', 12], 1)
    """
    out = data.copy()
    counts: dict[str, int] = {}
    label = f"<{min_count}"
    if isinstance(out, pd.Series):
        for key in keys:
            one = bool(small([out[key]], min_count)[0])
            counts[key] = int(one)
            if one:
                out[key] = label
    else:
        for key in keys:
            hit = small(out[key], min_count)
            counts[key] = int(hit.sum())
            if hit.any():
                col = out[key].astype(object)
                col[hit] = label
                out[key] = col
    record = suppression_record(min_count, counts)
    previous = out.attrs.get("suppression")
    if previous:
        record["cells_suppressed"] += previous.get("cells_suppressed", 0)
        record["by_column"] = {**previous.get("by_column", {}), **record["by_column"]}
    out.attrs["suppression"] = record
    return out
