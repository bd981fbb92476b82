"""Private helpers of the centrality, brokerage and resilience commands.

Kept apart from the command modules so that they can share them without
importing each other (the command line imports every command module).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clustermap.errors import ConfigError
from clustermap.exports import write_csv, write_excel, write_json

__all__ = ["FORMATS", "check_output", "split_list", "write_result"]

#: Output formats, chosen by the extension of ``-o``.
FORMATS: tuple[str, ...] = (".csv", ".xlsx", ".json")


def split_list(value: str | None) -> list[str] | None:
    """Split ``a,b, c`` into ``["a", "b", "c"]``; ``None`` stays ``None``.

    Examples
    --------
    >>> split_list("degree, betweenness"), split_list(None)
    (['degree', 'betweenness'], None)
    """
    if value is None:
        return None
    return [x.strip() for x in value.split(",") if x.strip()]


def check_output(path: Path) -> Path:
    """Return ``path`` when its extension is a known format, else raise ConfigError."""
    if path.suffix.lower() not in FORMATS:
        msg = f"`--output` must end in one of {', '.join(FORMATS)}, not {path.name!r}"
        raise ConfigError(msg)
    return path


def write_result(result: Any, path: Path, *, sheets: Any = None, inputs: Any = None) -> Path:
    """Write ``result`` as CSV, Excel or JSON according to the extension of ``path``.

    ``sheets`` replaces the workbook's sheets for ``.xlsx`` (for example the
    full table plus the top actors per measure).
    """
    suffix = check_output(path).suffix.lower()
    if suffix == ".csv":
        return write_csv(result, path, inputs=inputs)
    if suffix == ".xlsx":
        return write_excel(result if sheets is None else sheets, path, inputs=inputs)
    return write_json(result, path, inputs=inputs)
