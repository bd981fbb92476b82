"""The charts of the HTML report: where people would rather look than read.

Each function takes results (or the network, for plain counts) and returns
a :class:`matplotlib.figure.Figure` in the house style; the report inlines
them as SVG (:func:`~clustermap.views.charts.figure_to_svg`), and
:func:`~clustermap.views.charts.save_figure` writes them to PNG or SVG.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from clustermap import settings
from clustermap.graphs.network import ClusterNetwork
from clustermap.views.charts._common import chart_style, new_figure

__all__ = [
    "community_composition",
    "community_sizes",
    "degree_distribution",
    "network_picture",
    "reach_by_group",
]

_KIND_ORDER = ("firm", "supplier", "institution", "industry")
_LABEL_MAX = 42


def _short(text: Any, n: int = _LABEL_MAX) -> str:
    s = str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def _kind_color(kind: str, i: int) -> str:
    return str(settings.kind_colors.get(kind, settings.palette[i % len(settings.palette)]))


def degree_distribution(net: ClusterNetwork) -> Figure:
    """How many actors have how many partners, on log-log axes.

    One point per number of partners (distinct actors linked on any layer):
    a long tail to the right says a few hubs hold many ties.

    Examples
    --------
    >>> import clustermap as cm
    >>> fig = degree_distribution(cm.make_cluster(n_actors=60, seed=1))
    >>> fig.axes[0].get_xscale()
    'log'
    """
    g = net.to_igraph(directed=False)
    degree = np.asarray(g.degree(), dtype=np.int64) if g.vcount() else np.zeros(0, np.int64)
    values, counts = np.unique(degree[degree > 0], return_counts=True)
    with chart_style():
        fig = new_figure(6.0, 3.6)
        ax = fig.add_subplot()
        ax.scatter(values, counts, s=22, color=settings.palette[0], zorder=3)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("partners (degree, log scale)")
        ax.set_ylabel("actors (log scale)")
        isolates = int((degree == 0).sum())
        note = f"; {isolates} without partners not shown" if isolates else ""
        ax.set_title(f"Degree distribution ({len(degree):,} actors{note})", loc="left")
    return fig


def community_sizes(partition: Any, labels: dict[int, str] | None = None) -> Figure:
    """Members per community, largest first, as horizontal bars.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.make_cluster(n_actors=60, seed=1)
    >>> fig = community_sizes(cm.find_communities(net, seed=1))
    >>> len(fig.axes)
    1
    """
    sizes = partition.membership.value_counts().sort_index()
    shown = sizes.iloc[:20]
    names = [_short((labels or {}).get(int(k), f"Community {int(k)}")) for k in shown.index]
    with chart_style():
        fig = new_figure(6.5, 0.9 + 0.32 * len(shown))
        ax = fig.add_subplot()
        y = np.arange(len(shown))
        ax.barh(y, shown.to_numpy(), color=settings.palette[0], zorder=3)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlabel("members")
        ax.grid(axis="y", visible=False)
        for yi, v in zip(y, shown.to_numpy(), strict=True):
            ax.text(float(v), float(yi), f" {v}", va="center", fontsize=8)
        rest = f" (the largest 20 of {len(sizes)})" if len(sizes) > 20 else ""
        # a figure title, left-aligned: long community labels push the axes to the right
        fig.suptitle(f"Community sizes{rest}", x=0.01, ha="left", fontweight="bold")
    return fig


def community_composition(
    partition: Any, net: ClusterNetwork, *, labels: dict[int, str] | None = None, sectors: int = 8
) -> Figure:
    """What each community is made of: members by kind, and by sector.

    Left: members of each kind (stacked bars). Right: the share of members
    in each of the ``sectors`` most common sectors (the rest as "other"),
    when the actors have a ``sector`` column.
    """
    membership = partition.membership
    nodes = net.nodes.reindex(membership.index.astype(str))
    comm = pd.Series(membership.to_numpy(), index=nodes.index, name="community")
    numbers = comm.value_counts().sort_index().index
    order = numbers[:15]
    kinds = pd.crosstab(comm, nodes["kind"]).reindex(order).fillna(0)
    kinds = kinds[[k for k in _KIND_ORDER if k in kinds.columns]]
    has_sector = "sector" in nodes.columns and nodes["sector"].notna().any()
    names = [_short((labels or {}).get(int(k), f"Community {int(k)}"), 30) for k in order]
    with chart_style():
        fig = new_figure(9.5 if has_sector else 6.0, 1.2 + 0.34 * len(order))
        axes = fig.subplots(1, 2 if has_sector else 1, sharey=True, squeeze=False)[0]
        y = np.arange(len(order))
        left = np.zeros(len(order))
        for i, kind in enumerate(kinds.columns):
            values = kinds[kind].to_numpy(dtype=float)
            axes[0].barh(y, values, left=left, label=kind, color=_kind_color(kind, i), zorder=3)
            left += values
        axes[0].set_yticks(y, names)
        axes[0].invert_yaxis()
        axes[0].set_xlabel("members")
        axes[0].set_title("By kind", loc="left")
        axes[0].legend(loc="lower right", fontsize=8, frameon=False)
        if len(numbers) > len(order):
            fig.suptitle(
                f"The largest {len(order)} of {len(numbers)} communities",
                x=0.01,
                ha="left",
                fontsize=10,
            )
        axes[0].grid(axis="y", visible=False)
        if has_sector:
            sector = nodes["sector"].astype("string").fillna("(missing)")
            top = sector.value_counts().index[:sectors]
            sector = sector.where(sector.isin(top), "other")
            shares = pd.crosstab(comm, sector, normalize="index").reindex(order).fillna(0)
            columns = [
                *[s for s in top if s in shares.columns],
                *(["other"] if "other" in shares.columns else []),
            ]
            left = np.zeros(len(order))
            for i, col in enumerate(columns):
                values = shares[col].to_numpy(dtype=float)
                color = (
                    "#BBBBBB"
                    if col == "other"
                    else settings.palette[(i + 3) % len(settings.palette)]
                )
                axes[1].barh(y, values, left=left, label=_short(col, 24), color=color, zorder=3)
                left += values
            axes[1].xaxis.set_major_formatter(PercentFormatter(1.0))
            axes[1].set_xlabel("share of members")
            axes[1].set_title("By sector", loc="left")
            axes[1].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
            axes[1].grid(axis="y", visible=False)
    return fig


def reach_by_group(summary: pd.DataFrame, *, by: str | None = None) -> Figure:
    """Share of each group's actors that knowledge reaches, as bars.

    ``summary`` is :attr:`SpilloverReach.summary` (columns ``by``, ``group``,
    ``actors``, ``share_within``); ``by`` picks the grouping (default: the
    first one other than "all").
    """
    groupings = [b for b in summary["by"].unique() if b != "all"]
    chosen = by if by is not None else (groupings[-1] if groupings else "all")
    rows = summary[summary["by"] == chosen]
    everyone = summary[summary["by"] == "all"]
    with chart_style():
        fig = new_figure(6.5, 1.1 + 0.34 * len(rows))
        ax = fig.add_subplot()
        y = np.arange(len(rows))
        ax.barh(y, rows["share_within"].to_numpy(dtype=float), color=settings.palette[2], zorder=3)
        names = [
            f"{_short(g, 30)} ({n})" for g, n in zip(rows["group"], rows["actors"], strict=True)
        ]
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("share of the group's actors reached")
        ax.grid(axis="y", visible=False)
        if len(everyone):
            overall = float(everyone["share_within"].iloc[0])
            ax.axvline(overall, color="#444444", linestyle="--", linewidth=1)
            ax.text(overall, -0.7, f" all: {overall:.0%}", fontsize=8, va="bottom")
        ax.set_title(f"Reach by {chosen}", loc="left")
    return fig


_MARKERS = {"dot": "o", "square": "s", "triangle": "^", "hexagon": "h", "diamond": "D"}


def network_picture(nodes: pd.DataFrame, links: pd.DataFrame, *, labels: int = 6) -> Figure:
    """A static picture of a view: the drawn nodes and links of :func:`prepare_view`.

    The same positions, colours, shapes and sizes as the interactive view
    (``nodes`` needs ``x``, ``y``, ``color``, ``shape``, ``size``,
    ``label`` and ``font``; ``links`` the positions ``source`` and
    ``target`` and a ``width``), so the printed report shows the network the
    screen shows; the ``labels`` actors with the largest label font are named.

    Examples
    --------
    >>> import clustermap as cm
    >>> from clustermap.views.html import prepare_view
    >>> nodes, links, _ = prepare_view(cm.make_cluster(n_actors=40, seed=1),
    ...                                options={"layout": "fixed"})
    >>> len(network_picture(nodes, links).axes[0].collections) > 1
    True
    """
    from matplotlib.collections import LineCollection

    x = nodes["x"].to_numpy(dtype=float)
    y = -nodes["y"].to_numpy(dtype=float)  # the canvas counts y downwards
    with chart_style():
        fig = new_figure(7.0, 4.6)
        ax = fig.add_subplot()
        ax.set_axis_off()
        if len(links):
            s = links["source"].to_numpy(dtype=np.int64)
            t = links["target"].to_numpy(dtype=np.int64)
            segments = np.stack([np.column_stack([x[s], y[s]]), np.column_stack([x[t], y[t]])], 1)
            widths = 0.25 + 0.25 * links["width"].to_numpy(dtype=float)
            ax.add_collection(
                LineCollection(
                    list(segments), linewidths=widths, colors="#9AA0A6", alpha=0.45, zorder=1
                )
            )
        area = (0.45 * nodes["size"].to_numpy(dtype=float)) ** 2
        for shape, marker in _MARKERS.items():
            on = (nodes["shape"] == shape).to_numpy()
            if on.any():
                ax.scatter(
                    x[on],
                    y[on],
                    s=area[on],
                    c=nodes["color"].to_numpy()[on],
                    marker=marker,
                    edgecolors="white",
                    linewidths=0.4,
                    zorder=2,
                )
        top = np.argsort(-nodes["font"].to_numpy(dtype=float), kind="stable")[:labels]
        for i in top:
            ax.annotate(
                _short(nodes["label"].iloc[i], 30),
                (x[i], y[i]),
                xytext=(0, 6),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                zorder=3,
            )
        ax.set_aspect("equal")
        ax.autoscale_view()
    return fig
