"""The report's charts (clustermap.views.charts.report): what they draw, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.views.charts import (
    community_composition,
    community_sizes,
    degree_distribution,
    figure_to_svg,
    reach_by_group,
    save_figure,
)


def test_degree_distribution_counts_partners(supply_chain):
    fig = degree_distribution(supply_chain)
    ax = fig.axes[0]
    points = ax.collections[0].get_offsets()
    G = supply_chain.to_networkx().to_undirected()  # independent count with networkx
    degrees = pd.Series(dict(G.degree()))
    expected = degrees[degrees > 0].value_counts().sort_index()
    assert points[:, 0].tolist() == expected.index.tolist()
    assert points[:, 1].tolist() == expected.tolist()
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_community_sizes_bars(two_triangles):
    part = cm.find_communities(two_triangles, seed=1)
    fig = community_sizes(part, {1: "first", 2: "second"})
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == part.membership.value_counts().sort_index().tolist()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["first", "second"]


def test_community_composition_stacks_to_sizes():
    net = cm.make_cluster(n_actors=80, seed=3)
    part = cm.find_communities(net, seed=3)
    fig = community_composition(part, net)
    kinds_ax, sectors_ax = fig.axes[:2]
    n = part.n_communities
    totals = np.zeros(n)
    for patch in kinds_ax.patches:
        totals[round(patch.get_y() + patch.get_height() / 2)] += patch.get_width()
    assert totals.tolist() == part.membership.value_counts().sort_index().tolist()
    shares = np.zeros(n)
    for patch in sectors_ax.patches:
        shares[round(patch.get_y() + patch.get_height() / 2)] += patch.get_width()
    assert shares == pytest.approx(np.ones(n))


def test_reach_by_group_bars():
    summary = pd.DataFrame(
        {"by": ["all", "kind", "kind"], "group": ["all", "firm", "supplier"],
         "actors": [10, 4, 6], "share_within": [0.5, 0.25, 0.75]}
    )  # fmt: skip
    fig = reach_by_group(summary)
    assert [p.get_width() for p in fig.axes[0].patches] == [0.25, 0.75]
    assert fig.axes[0].get_title(loc="left") == "Reach by kind"


def test_charts_save_and_inline(supply_chain, tmp_path):
    fig = degree_distribution(supply_chain)
    a = save_figure(fig, tmp_path / "a.svg").read_bytes()
    b = save_figure(degree_distribution(supply_chain), tmp_path / "b.svg").read_bytes()
    assert a == b
    assert "<svg" in figure_to_svg(fig)


def test_network_picture_draws_the_view(supply_chain):
    from clustermap.views.charts import network_picture
    from clustermap.views.html import prepare_view

    nodes, links, _ = prepare_view(supply_chain, options={"layout": "fixed"})
    fig = network_picture(nodes, links, labels=2)
    ax = fig.axes[0]
    lines, *markers = ax.collections
    assert len(lines.get_segments()) == len(links)
    assert sum(len(m.get_offsets()) for m in markers) == len(nodes)
    assert len(ax.texts) == 2
