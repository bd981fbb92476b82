"""What every chart shares: a plain house style and safe, reproducible saving.

Charts are :class:`matplotlib.figure.Figure` objects made without
``pyplot`` (no global state, no display needed). :func:`save_figure` writes
PNG or SVG atomically and byte-identically for the same figure: SVG ids are
seeded and file dates left out, so a report rebuilt on the same data does
not change.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from typing import Any, cast

from matplotlib.figure import Figure

from clustermap._atomic import atomic_path
from clustermap.errors import ConfigError

__all__ = ["STYLE", "chart_style", "figure_to_svg", "new_figure", "save_figure"]

#: rcParams applied to every chart (readable on screen and on paper).
STYLE: dict[str, Any] = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.hashsalt": "clustermap",
    "svg.fonttype": "path",
}

_FORMATS = ("png", "svg")


def new_figure(width: float = 7.0, height: float = 4.5) -> Figure:
    """Return an empty figure in the house style (size in inches).

    Examples
    --------
    >>> with chart_style():
    ...     fig = new_figure()
    ...     ax = fig.add_subplot()
    >>> float(fig.get_figwidth())
    7.0
    """
    return Figure(figsize=(width, height), layout="constrained")


def chart_style() -> contextlib.AbstractContextManager[Any]:
    """Return a context in which axes and artists take the house style.

    Style settings apply when axes are made, so chart functions make their
    axes and draw inside ``with chart_style():``.
    """
    import matplotlib

    return matplotlib.rc_context(cast(Any, STYLE))


def _metadata(fmt: str) -> dict[str, Any]:
    # no dates or software versions in the file: the same chart gives the same bytes
    if fmt == "svg":
        return {"Date": None, "Creator": None}
    return {"Software": None}


def save_figure(fig: Figure, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path`` (``.png`` or ``.svg``, by the extension), atomically.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The chart.
    path : str or path
        Where to write; the folder is created when missing.
    dpi : int
        Resolution of PNG files.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ConfigError
        When the extension is neither ``.png`` nor ``.svg``.
    """
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in _FORMATS:
        msg = f"chart file {str(target)!r} must end in .png or .svg, not {target.suffix!r}"
        raise ConfigError(msg)
    import matplotlib

    with matplotlib.rc_context(cast(Any, STYLE)), atomic_path(target) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return target


def figure_to_svg(fig: Figure) -> str:
    """Return ``fig`` as SVG text, for inlining in an HTML report.

    Examples
    --------
    >>> fig = new_figure(2, 2)
    >>> _ = fig.add_subplot().plot([0, 1], [0, 1])
    >>> figure_to_svg(fig).lstrip().startswith("<?xml")
    True
    """
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(cast(Any, STYLE)):
        fig.savefig(buf, format="svg", metadata=_metadata("svg"))
    return buf.getvalue()
