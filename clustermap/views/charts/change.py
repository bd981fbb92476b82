"""Charts of change: indicators over time and the flows of actors between sub-clusters.

:func:`indicator_chart` draws the rows of
:func:`~clustermap.network_indicators` as small line charts, one per
indicator; :func:`flows_chart` draws the community flows of a
:func:`~clustermap.compare_networks` result as an alluvial (Sankey) picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from clustermap.errors import ConfigError, InputError
from clustermap.views.charts._common import chart_style, new_figure

__all__ = [
    "DEFAULT_DIFFERENCES",
    "DEFAULT_TREND",
    "difference_chart",
    "flows_chart",
    "indicator_chart",
]

#: Indicators drawn by default, when the table has them.
DEFAULT_TREND: tuple[str, ...] = (
    "actors",
    "ties",
    "density",
    "mean_degree",
    "clustering",
    "largest_component_share",
    "firm_institution_share",
    "institution_reach",
    "local_share",
)
_ENTER_LEAVE = "#9e9e9e"


def indicator_chart(
    table: pd.DataFrame,
    indicators: Iterable[str] | None = None,
    *,
    title: str | None = None,
) -> Figure:
    """Draw indicators over periods: one small line chart per indicator.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`~clustermap.network_indicators` table (periods as rows).
    indicators : list of str, optional
        Columns to draw; by default those of :data:`DEFAULT_TREND` it has.
    title : str, optional
        Title over the charts.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ConfigError
        When an indicator is not a column of the table.
    InputError
        When the table has no rows.

    Examples
    --------
    >>> import clustermap as cm
    >>> from clustermap.views.charts import indicator_chart
    >>> net = cm.make_cluster(n_actors=120, seed=1)
    >>> fig = indicator_chart(cm.network_indicators(net.snapshots()), ["density", "clustering"])
    >>> len(fig.axes)
    2
    """
    if not len(table):
        msg = "the indicators table has no rows (no period to draw)"
        raise InputError(msg)
    wanted = (
        [c for c in DEFAULT_TREND if c in table.columns] if indicators is None else list(indicators)
    )
    unknown = [c for c in wanted if c not in table.columns]
    if unknown or not wanted:
        msg = (
            f"`indicators` {unknown or wanted} are not columns of the table; "
            f"choose among {', '.join(map(repr, table.columns))}"
        )
        raise ConfigError(msg)
    cols = min(3, len(wanted))
    rows = -(-len(wanted) // cols)
    x = np.arange(len(table))
    labels = [str(i) for i in table.index]
    step = max(1, len(labels) // 8)
    with chart_style():
        fig = new_figure(3.2 * cols + 0.6, 2.4 * rows + (0.5 if title else 0.2))
        axes = fig.subplots(rows, cols, squeeze=False)
        for ax, name in zip(axes.ravel(), wanted, strict=False):
            values = pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float)
            ax.plot(x, values, marker="o", markersize=3.5, linewidth=1.6, color="#1f5f8b")
            ax.set_title(name, fontsize=10)
            ax.set_xticks(x[::step], labels[::step], rotation=45 if len(labels) > 4 else 0)
            ax.tick_params(labelsize=8)
            ax.margins(x=0.05)
        for ax in axes.ravel()[len(wanted) :]:
            ax.set_visible(False)
        if title:
            fig.suptitle(title, fontweight="bold")
    return fig


def _top(flows: pd.DataFrame, column: str, special: str, top: int) -> pd.Series:
    """Map each community of ``column`` to itself, or to "other" beyond the ``top`` biggest."""
    sizes = flows[flows[column] != special].groupby(column)["actors"].sum()
    sizes = sizes.sort_values(ascending=False, kind="stable")
    keep = set(sizes.index[:top])
    names = flows[column].astype(str)
    return names.where(names.isin(keep | {special}), "other")


def _order(nodes: pd.Series, special: str) -> list[str]:
    """Biggest first, "other" then the special node (entered / left) last."""
    ordered = nodes.drop([x for x in ("other", special) if x in nodes.index])
    ordered = ordered.sort_values(ascending=False, kind="stable")
    tail = [x for x in ("other", special) if x in nodes.index]
    return [*ordered.index.tolist(), *tail]


def _positions(order: list[str], sizes: pd.Series, gap: float) -> dict[str, float]:
    pos, y = {}, 0.0
    for name in order:
        pos[name] = y
        y += float(sizes[name]) + gap
    return pos


def flows_chart(comparison: Any, *, top: int = 10, title: str | None = None) -> Figure:
    """Draw how actors moved between sub-clusters: an alluvial (Sankey) picture.

    Left, the communities before (and the actors who entered); right, the
    communities after (and the actors who left); each band is the actors
    going from one to the other, coloured by where they came from. Labels
    give the community, its size and its event (merged, split...).

    Parameters
    ----------
    comparison : NetworkComparison
        A :func:`~clustermap.compare_networks` result with community tables.
    top : int
        Communities drawn on each side; smaller ones are pooled as "other".
    title : str, optional
        Title of the chart.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        When the comparison has no community flows (``groups=False``, or a
        network without ties).

    Examples
    --------
    >>> import clustermap as cm
    >>> from clustermap.views.charts import flows_chart
    >>> net = cm.make_cluster(n_actors=200, seed=1)
    >>> p = net.snapshots(periods=[(2015, 2018), (2021, 2024)])
    >>> cmp = cm.compare_networks(*p.values(), bootstrap=0, null_models=0)
    >>> fig = flows_chart(cmp, top=5)
    >>> len(fig.axes)
    1
    """
    flows = getattr(comparison, "community_flows", None)
    if flows is None or not len(flows):
        msg = "the comparison has no community flows (compare_networks with groups=False?)"
        raise InputError(msg)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        msg = f"`top` must be a whole number >= 1, not {top!r}"
        raise ConfigError(msg)
    data = pd.DataFrame(
        {
            "before": _top(flows, "before", "entered", top).to_numpy(),
            "after": _top(flows, "after", "left", top).to_numpy(),
            "actors": flows["actors"].to_numpy(),
        }
    )
    data = pd.DataFrame(
        data.groupby(["before", "after"], as_index=False, sort=False)["actors"].sum()
    )
    left = data.groupby("before")["actors"].sum()
    right = data.groupby("after")["actors"].sum()
    left_order, right_order = _order(left, "entered"), _order(right, "left")
    total = max(float(left.sum()), float(right.sum()))
    gap = total * 0.015
    ly = _positions(left_order, left, gap)
    ry = _positions(right_order, right, gap)
    events = {}
    table = getattr(comparison, "communities", None)
    labels = getattr(comparison, "labels", ("before", "after"))
    if table is not None and len(table):
        for row in table.itertuples(index=False):
            side = 0 if row.period == labels[0] else 1
            events[(side, str(row.community))] = str(row.event)
    palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
    ]  # fmt: skip
    colour = {name: palette[i % len(palette)] for i, name in enumerate(left_order)}
    colour["entered"] = _ENTER_LEAVE
    colour["other"] = "#c7c7c7"
    data["li"] = data["before"].map({n: i for i, n in enumerate(left_order)})
    data["ri"] = data["after"].map({n: i for i, n in enumerate(right_order)})
    out_off = dict.fromkeys(left_order, 0.0)
    in_off = dict.fromkeys(right_order, 0.0)
    width = 0.06
    t = np.linspace(0.0, 1.0, 60)
    ease = 3 * t**2 - 2 * t**3
    xs = width + t * (1 - 2 * width)
    with chart_style():
        height = max(4.0, min(12.0, 0.35 * (len(left_order) + len(right_order)) + 2))
        fig = new_figure(8.5, height)
        ax = fig.add_subplot()
        ordered = data.sort_values(["li", "ri"])
        for src, dst, count in zip(
            ordered["before"].astype(str).tolist(),
            ordered["after"].astype(str).tolist(),
            ordered["actors"].astype(float).tolist(),
            strict=True,
        ):
            y0 = ly[src] + out_off[src]
            y1 = ry[dst] + in_off[dst]
            out_off[src] += count
            in_off[dst] += count
            low = y0 + (y1 - y0) * ease
            ax.fill_between(xs, low, low + count, color=colour[src], alpha=0.45, linewidth=0)
        for side, order, pos, sizes in ((0, left_order, ly, left), (1, right_order, ry, right)):
            x0 = 0.0 if side == 0 else 1 - width
            for name in order:
                c = colour.get(name, "#555555") if side == 0 else "#555555"
                ax.bar(x0, float(sizes[name]), width=width, bottom=pos[name], align="edge",
                       color=c, edgecolor="white", linewidth=0.5)  # fmt: skip
                event = events.get((side, name), "")
                plain = name in ("entered", "left", "other")
                text = name if plain else f"C{name}"
                text += f" ({int(sizes[name])})" + (
                    f" {event}" if event and event != "small" else ""
                )
                ax.text(
                    -0.01 if side == 0 else 1.01,
                    pos[name] + float(sizes[name]) / 2,
                    text,
                    ha="right" if side == 0 else "left",
                    va="center",
                    fontsize=8,
                )
        ax.set_xlim(-0.32, 1.32)
        ax.invert_yaxis()
        ax.axis("off")
        bottom = max(
            max(ly[n] + float(left[n]) for n in left_order),
            max(ry[n] + float(right[n]) for n in right_order),
        )
        for x_label, text in ((width / 2, labels[0]), (1 - width / 2, labels[1])):
            ax.text(x_label, bottom + gap, str(text), ha="center", va="top", fontweight="bold")
        ax.set_title(title or "Actors moving between sub-clusters", loc="left")
    return fig


#: Indicators drawn by :func:`difference_chart` by default, when present.
DEFAULT_DIFFERENCES: tuple[str, ...] = (
    "actors",
    "ties",
    "density",
    "mean_degree",
    "clustering",
    "largest_component_share",
    "firm_institution_share",
    "community_inside_share",
    "local_share",
    "institution_reach",
    "degree_centralisation",
)


def difference_chart(comparison: Any, indicators: Iterable[str] | None = None) -> Figure:
    """Draw each indicator's change as a share of its value before, with its interval.

    One row per indicator: a dot at ``difference / before`` (in %) and a
    whisker for the 95 % bootstrap interval on the same scale; a dot filled
    red when the null model says the change is more than the degrees would
    bring (``null_p`` < 0.05), hollow otherwise.

    Parameters
    ----------
    comparison : NetworkComparison
        A :func:`~clustermap.compare_networks` result.
    indicators : list of str, optional
        Rows of its indicators table; by default :data:`DEFAULT_DIFFERENCES`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import clustermap as cm
    >>> from clustermap.views.charts import difference_chart
    >>> net = cm.make_cluster(n_actors=150, seed=1)
    >>> p = net.snapshots(periods=[(2015, 2018), (2021, 2024)])
    >>> cmp = cm.compare_networks(*p.values(), bootstrap=20, null_models=2, seed=1)
    >>> len(difference_chart(cmp).axes)
    1
    """
    table = comparison.indicators
    wanted = (
        [c for c in DEFAULT_DIFFERENCES if c in table.index]
        if indicators is None
        else list(indicators)
    )
    unknown = [c for c in wanted if c not in table.index]
    if unknown or not wanted:
        msg = (
            f"`indicators` {unknown or wanted} are not rows of the comparison; "
            f"choose among {', '.join(map(repr, table.index))}"
        )
        raise ConfigError(msg)
    rows = table.loc[wanted[::-1]]
    base = rows["before"].abs().replace(0, np.nan)
    pct = 100 * rows["difference"] / base
    lo = 100 * rows["ci_low"] / base
    hi = 100 * rows["ci_high"] / base
    y = np.arange(len(rows))
    strong = (rows["null_p"] < 0.05).to_numpy()
    labels = getattr(comparison, "labels", ("before", "after"))
    with chart_style():
        fig = new_figure(7.0, 0.38 * len(rows) + 1.6)
        ax = fig.add_subplot()
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.hlines(y, lo, hi, color="#1f5f8b", linewidth=2, alpha=0.6)
        ax.scatter(pct[~strong], y[~strong], s=36, facecolors="white", edgecolors="#1f5f8b",
                   zorder=3, label="within what the degrees bring (or no null test)")  # fmt: skip
        ax.scatter(pct[strong], y[strong], s=36, color="#c0392b", zorder=3,
                   label="beyond the rewiring null model (p < 0.05)")  # fmt: skip
        ax.set_yticks(y, rows.index.tolist())
        ax.set_xlabel(f"change from {labels[0]} to {labels[1]}, % of {labels[0]} (95% interval)")
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=7, frameon=False
        )
        ax.set_title("How the cluster's indicators changed", loc="left")
    return fig
