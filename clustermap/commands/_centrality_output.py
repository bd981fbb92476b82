"""Private helpers of the commands that write tables: output formats and writing.

Kept apart from the command modules so that they can share them without
importing each other (the command line imports a command's module only when
it runs), and light to import: the writers are imported when used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clustermap.errors import ConfigError

__all__ = ["FORMATS", "check_output", "resolve_output", "split_list", "write_result"]

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
    """Return ``path`` when its extension is a known format, else raise ConfigError.

    Examples
    --------
    >>> check_output(Path("scores.txt"))
    Traceback (most recent call last):
    ...
    clustermap.errors.ConfigError: `--output` must end in one of .csv, .xlsx, .json, not 'sco...
    """
    if path.suffix.lower() not in FORMATS:
        msg = f"`--output` must end in one of {', '.join(FORMATS)}, not {path.name!r}"
        raise ConfigError(msg)
    return path


def resolve_output(output: str | None, fmt: str | None, *, stem: str, default: str) -> Path:
    """The output path from ``-o`` and ``--format``: the extension decides, a clash is an error.

    Without ``-o`` the file is ``<stem>.<format>``; with ``-o`` and no
    ``--format`` the extension chooses the format; when both are given and
    disagree (``--format xlsx -o k.csv``) nothing is written and the message
    says so.

    Examples
    --------
    >>> resolve_output(None, "csv", stem="communities", default="xlsx")
    PosixPath('communities.csv')
    >>> resolve_output("k.json", None, stem="communities", default="xlsx")
    PosixPath('k.json')
    >>> resolve_output("k.csv", "xlsx", stem="communities", default="xlsx")
    Traceback (most recent call last):
    ...
    clustermap.errors.ConfigError: `--format xlsx` and `--output k.csv` disagree: ...
    """
    if output is None:
        return Path(f"{stem}.{fmt or default}")
    path = check_output(Path(output))
    suffix = path.suffix.lower().lstrip(".")
    if fmt is not None and fmt != suffix:
        msg = (
            f"`--format {fmt}` and `--output {path.name}` disagree: the file would be "
            f"{fmt} named .{suffix}. Give an output ending in .{fmt}, or leave out --format "
            "(the extension chooses the format)"
        )
        raise ConfigError(msg)
    return path


def write_result(
    result: Any,
    path: Path,
    *,
    sheets: Any = None,
    inputs: Any = None,
    anonymize: bool | str = False,
) -> Path:
    """Write ``result`` as CSV, Excel or JSON according to the extension of ``path``.

    ``sheets`` replaces the workbook's sheets for ``.xlsx`` (for example the
    full table plus the top actors per measure).
    """
    from clustermap.exports import write_csv, write_excel, write_json

    suffix = check_output(path).suffix.lower()
    if suffix == ".csv":
        return write_csv(result, path, inputs=inputs, anonymize=anonymize)
    if suffix == ".xlsx":
        chosen = result if sheets is None else sheets
        return write_excel(chosen, path, inputs=inputs, anonymize=anonymize)
    return write_json(result, path, inputs=inputs, anonymize=anonymize)
