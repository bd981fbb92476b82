"""Views: interactive, self-contained HTML of a cluster network, and the HTML report."""

from clustermap.views._options import ViewOptions
from clustermap.views.html import save_html, to_pyvis
from clustermap.views.report import save_report

__all__: list[str] = ["ViewOptions", "save_html", "save_report", "to_pyvis"]
