"""Static charts (matplotlib figures written to PNG or SVG).

One module per subject; each chart function takes results and returns a
:class:`matplotlib.figure.Figure`, which :func:`save_figure` writes.
"""

from clustermap.views.charts._common import (
    STYLE,
    chart_style,
    figure_to_svg,
    new_figure,
    save_figure,
)
from clustermap.views.charts.report import (
    community_composition,
    community_sizes,
    degree_distribution,
    network_picture,
    reach_by_group,
)
from clustermap.views.charts.specialisation import portfolio_chart, specialisation_heatmap

__all__ = [
    "STYLE",
    "chart_style",
    "community_composition",
    "community_sizes",
    "degree_distribution",
    "figure_to_svg",
    "network_picture",
    "new_figure",
    "portfolio_chart",
    "reach_by_group",
    "save_figure",
    "specialisation_heatmap",
]
