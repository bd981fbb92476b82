"""Views: interactive, self-contained HTML of a cluster network."""

from clustermap.views._options import ViewOptions
from clustermap.views.html import save_html, to_pyvis

__all__: list[str] = ["ViewOptions", "save_html", "to_pyvis"]
