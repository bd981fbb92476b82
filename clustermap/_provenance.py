"""Record how a result was made, in ``DataFrame.attrs`` and in files.

Every analysis stamps its DataFrames with :func:`stamp`; exports read the
record back with :func:`provenance` and write it beside the data (a sheet
in Excel, a ``*.meta.json`` beside a CSV, a ``meta`` key in JSON).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd

__all__ = ["now", "provenance", "stamp", "without_timestamps"]

_KEYS = ("method", "parameters", "seed", "layers", "clustermap_version", "created")


_TIMESTAMPS: contextvars.ContextVar[bool] = contextvars.ContextVar("timestamps", default=True)


@contextlib.contextmanager
def without_timestamps() -> Iterator[None]:
    """Leave dates out of results and files made inside the block.

    A project run (:mod:`clustermap.project`) uses it so that running again
    on the same inputs writes identical files; the run's times go to its
    ``run.json`` only.

    Examples
    --------
    >>> with without_timestamps():
    ...     now() is None
    True
    >>> now() is None
    False
    """
    token = _TIMESTAMPS.set(False)
    try:
        yield
    finally:
        _TIMESTAMPS.reset(token)


def now() -> str | None:
    """The current UTC time as ISO text, or ``None`` inside :func:`without_timestamps`."""
    if not _TIMESTAMPS.get():
        return None
    return datetime.now(UTC).isoformat(timespec="seconds")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Iterable):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return repr(value)


def stamp(
    df: pd.DataFrame | pd.Series,
    *,
    method: str,
    parameters: Mapping[str, Any] | None = None,
    seed: int | None = None,
    layers: Iterable[str] | None = None,
    **extra: Any,
) -> Any:
    """Write the record of how ``df`` was made into ``df.attrs`` and return ``df``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = stamp(pd.DataFrame({"x": [1]}), method="degree", parameters={"weighted": True})
    >>> df.attrs["method"], df.attrs["parameters"]
    ('degree', {'weighted': True})
    """
    from clustermap import __version__

    df.attrs.update(
        {
            "method": method,
            "parameters": _jsonable(dict(parameters or {})),
            "seed": seed,
            "layers": None if layers is None else [str(x) for x in layers],
            "clustermap_version": __version__,
            **{k: _jsonable(v) for k, v in extra.items()},
        }
    )
    created = now()
    if created is not None:
        df.attrs["created"] = created
    return df


def provenance(obj: Any) -> dict[str, Any]:
    """Return the record of how ``obj`` was made (empty when it has none).

    Works for stamped DataFrames / Series and for result objects that have a
    ``provenance`` attribute or mapping.
    """
    record = getattr(obj, "provenance", None)
    if isinstance(record, Mapping):
        return _jsonable(dict(record))
    attrs = getattr(obj, "attrs", None)
    if isinstance(attrs, Mapping):
        return _jsonable(dict(attrs))
    return {}
