"""Specialisation charts: a region's cluster portfolio and a region x cluster heat map.

Both take the tables of :func:`~clustermap.location_quotients` /
:func:`~clustermap.cluster_strength` and return a matplotlib figure;
:func:`~clustermap.views.charts.save_figure` writes it to PNG or SVG.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from clustermap.errors import ConfigError, InputError
from clustermap.views.charts._common import chart_style, new_figure

__all__ = ["portfolio_chart", "specialisation_heatmap"]

_STRONG = "#C0392B"
_OTHER = "#7F8C8D"


def _wrap(text: str, width: int = 22) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _check(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        msg = f"{what} needs column(s) {missing}: pass location_quotients / cluster_strength output"
        raise ConfigError(msg)


def portfolio_chart(
    strength: pd.DataFrame,
    region: str,
    *,
    previous: pd.DataFrame | None = None,
    measure: str | None = None,
    labels: int = 12,
    title: str | None = None,
) -> Figure:
    """The cluster portfolio of one region: specialisation, a second measure, size.

    Each bubble is a cluster: LQ on a log horizontal axis (right of the line
    at 1: more specialised than the nation), bubble area proportional to
    employment, strong clusters in red. The vertical axis is the employment
    change since ``previous`` (the same table for an earlier year) when
    given; else ``measure``: ``related_strength`` (when the table has it) or
    ``national_share``.

    Parameters
    ----------
    strength : pandas.DataFrame
        :func:`~clustermap.cluster_strength` (or location quotient) output.
    region : str
        The region code.
    previous : pandas.DataFrame, optional
        The table of an earlier year.
    measure : str, optional
        Column for the vertical axis when ``previous`` is not given.
    labels : int
        Label the largest clusters (and every strong one) up to this many.
    title : str, optional
        Defaults to "Cluster portfolio of <region>".

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["A", "A", "B", "B"], "cluster": ["x", "y", "x", "y"],
    ...                   "employment": [30, 70, 10, 90], "lq": [1.5, 0.875, 0.5, 1.125],
    ...                   "national_share": [0.2, 0.8, 0.2, 0.8],
    ...                   "strong": [True, False, False, True]})
    >>> fig = portfolio_chart(t, "A")
    >>> fig.axes[0].get_xscale()
    'log'
    """
    _check(strength, ("region", "cluster", "employment", "lq"), "portfolio_chart")
    rows = strength[(strength["region"].astype(str) == str(region)) & (strength["employment"] > 0)]
    if rows.empty:
        msg = f"region {region!r} has no cluster with employment in the table"
        raise InputError(msg)
    rows = rows.copy()
    if previous is not None:
        _check(previous, ("region", "cluster", "employment"), "portfolio_chart(previous=)")
        before = previous[previous["region"].astype(str) == str(region)].set_index("cluster")
        old = rows["cluster"].map(before["employment"])
        with np.errstate(divide="ignore", invalid="ignore"):
            rows["y"] = 100 * (rows["employment"] / old - 1)
        ylabel = "Employment change since the earlier year (%)"
    else:
        if measure is None:
            has_related = "related_strength" in rows and rows["related_strength"].notna().any()
            measure = "related_strength" if has_related else "national_share"
        _check(rows, (measure,), "portfolio_chart")
        rows["y"] = rows[measure].astype(float)
        if measure == "national_share":
            rows["y"] *= 100
        ylabel = {
            "related_strength": "Share of related clusters that are strong here",
            "national_share": "Cluster's share of national employment (%)",
        }.get(measure, measure)
    rows = rows[np.isfinite(rows["y"]) & (rows["lq"] > 0)]
    if rows.empty:
        msg = f"region {region!r}: no cluster has both an LQ above 0 and the second measure"
        raise InputError(msg)
    strong = rows["strong"].to_numpy(dtype=bool) if "strong" in rows else np.zeros(len(rows), bool)
    area = 2500 * rows["employment"].to_numpy() / rows["employment"].max()
    with chart_style():
        fig = new_figure(9.0, 6.0)
        ax = fig.add_subplot()
        ax.scatter(
            rows["lq"],
            rows["y"],
            s=np.maximum(area, 12),
            c=np.where(strong, _STRONG, _OTHER),
            alpha=0.55,
            edgecolors="white",
            linewidths=0.8,
        )
        ax.set_xscale("log")
        ax.axvline(1.0, color="#333333", linewidth=1, linestyle="--")
        lo, hi = float(rows["lq"].min()), float(rows["lq"].max())
        ax.set_xlim(min(lo / 1.6, 0.5), max(hi * 1.6, 2.0))
        ax.text(
            1.04,
            0.01,
            "more specialised than the nation \u2192",
            transform=ax.get_xaxis_transform(),
            ha="left",
            va="bottom",
            fontsize=8,
            color="#333333",
        )
        _log_ticks(ax.xaxis, ax.get_xlim())
        # strong clusters first, then the specialised ones, then the rest, largest first
        order = rows.assign(_s=strong, _lq=rows["lq"] >= 1).sort_values(
            ["_s", "_lq", "employment"], ascending=False
        )
        ylo, yhi = float(rows["y"].min()), float(rows["y"].max())
        pad = 0.12 * (yhi - ylo) if yhi > ylo else 1.0
        ax.set_ylim(ylo - pad, yhi + pad)
        xspan = np.log10(ax.get_xlim()[1] / ax.get_xlim()[0])
        placed: list[tuple[float, float]] = []
        for is_strong, (_, r) in zip(order["_s"], order.iterrows(), strict=True):
            if len(placed) >= labels and not is_strong:
                break
            px = np.log10(r["lq"]) / xspan
            py = (r["y"] - ylo) / (yhi - ylo) if yhi > ylo else 0.5
            clash = any(abs(px - a) < 0.22 and abs(py - b) < 0.06 for a, b in placed)
            small = r["employment"] < 0.02 * rows["employment"].max()
            if (clash or small) and not is_strong:
                continue  # a label already sits there: leave this one out rather than overprint
            placed.append((px, py))
            ax.annotate(
                _wrap(r["cluster"]),
                (r["lq"], r["y"]),
                xytext=(6, -16 if clash else 4),
                textcoords="offset points",
                fontsize=8,
                fontweight="bold" if is_strong else "normal",
            )
        ax.set_xlabel("Location quotient (log scale; 1 = national average)")
        ax.set_ylabel(ylabel)
        ax.set_title(title or f"Cluster portfolio of {region}")
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=_STRONG,
                alpha=0.6,
                markersize=9,
                label="strong cluster",
            ),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=_OTHER,
                alpha=0.6,
                markersize=9,
                label="other cluster",
            ),
        ]
        ax.legend(
            handles=handles,
            loc="upper left",
            fontsize=8,
            title="Bubble area = employment",
            title_fontsize=8,
        )
    return fig


def specialisation_heatmap(
    strength: pd.DataFrame,
    *,
    regions: Sequence[str] | None = None,
    clusters: Sequence[str] | None = None,
    max_regions: int = 25,
    max_clusters: int = 25,
    names: Mapping[str, str] | None = None,
    title: str = "Specialisation by region and cluster (location quotient)",
) -> Figure:
    """A region x cluster heat map of location quotients, strong cells outlined.

    Red cells are more specialised than the nation, blue less (log colour
    scale centred on 1); a black frame marks a strong cluster-region. Without
    ``regions`` / ``clusters``, the largest by employment are shown (up to
    ``max_regions`` / ``max_clusters``). ``names`` (region code -> name)
    labels the rows "name (code)".

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["A", "A", "B", "B"], "cluster": ["x", "y", "x", "y"],
    ...                   "employment": [30, 70, 10, 90], "lq": [1.5, 0.875, 0.5, 1.125]})
    >>> fig = specialisation_heatmap(t)
    >>> len(fig.axes)  # the map and its colour bar
    2
    """
    _check(strength, ("region", "cluster", "employment", "lq"), "specialisation_heatmap")
    t = strength.assign(region=strength["region"].astype(str))
    if regions is None:
        regions = t.groupby("region")["employment"].sum().nlargest(max_regions).index.tolist()
        regions = sorted(regions)
    if clusters is None:
        clusters = t.groupby("cluster")["employment"].sum().nlargest(max_clusters).index.tolist()
        clusters = sorted(clusters)
    t = t[t["region"].isin(regions) & t["cluster"].isin(clusters)]
    if t.empty:
        msg = "none of the regions and clusters asked for are in the table"
        raise InputError(msg)
    lq = t.pivot(index="region", columns="cluster", values="lq").reindex(
        index=list(regions), columns=list(clusters)
    )
    grid = lq.to_numpy(dtype=float)
    shown = np.where(grid > 0, grid, np.nan)
    bound = float(np.nanmax(np.abs(np.log10(shown)))) if np.isfinite(shown).any() else 1.0
    bound = min(max(bound, np.log10(2.0)), 1.0)
    norm = LogNorm(vmin=10**-bound, vmax=10**bound)
    width = min(max(6.0, 0.45 * len(clusters) + 3.5), 18.0)
    height = min(max(4.0, 0.32 * len(regions) + 3.0), 16.0)
    with chart_style():
        fig = new_figure(width, height)
        ax = fig.add_subplot()
        ax.grid(False)
        image = ax.imshow(
            np.clip(shown, norm.vmin, norm.vmax), cmap="RdBu_r", norm=norm, aspect="auto"
        )
        ax.set_xticks(
            range(len(clusters)),
            [_wrap(c, 24) for c in clusters],
            rotation=60,
            ha="right",
            fontsize=8,
        )
        names = names or {}
        rows = [f"{names[r]} ({r})" if r in names else r for r in regions]
        ax.set_yticks(range(len(regions)), rows, fontsize=8)
        if "strong" in t.columns:
            marks = t[t["strong"].astype(bool)]
            rpos = {r: i for i, r in enumerate(regions)}
            cpos = {c: j for j, c in enumerate(clusters)}
            for _, r in marks.iterrows():
                ax.add_patch(_frame(cpos[r["cluster"]], rpos[r["region"]]))
        if grid.size <= 400:
            for (i, j), v in np.ndenumerate(grid):
                if np.isfinite(v):
                    dark = abs(np.log10(max(v, 1e-9))) > 0.6 * bound
                    ax.text(
                        j,
                        i,
                        f"{v:.1f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if dark else "#222222",
                    )
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        _log_ticks(bar.ax.yaxis, (10**-bound, 10**bound))
        bar.set_label("Location quotient (1 = national average)")
        ax.set_title(title + ("\nframed: strong cluster" if "strong" in t.columns else ""))
    return fig


def _log_ticks(axis: Any, limits: tuple[float, float]) -> None:
    """Plain-number ticks (0.5, 1, 2...) on a log axis instead of powers of ten."""
    candidates = np.array([0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100])
    lo, hi = limits
    ticks = candidates[(candidates >= lo) & (candidates <= hi)]
    axis.set_major_locator(FixedLocator(ticks.tolist()))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    axis.set_minor_locator(NullLocator())


def _frame(x: int, y: int):  # type: ignore[no-untyped-def]
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.5, y - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=1.6)
