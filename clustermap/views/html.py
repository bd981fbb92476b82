"""Interactive HTML views of a cluster network: one self-contained file.

:func:`save_html` writes a page that opens from disk with no network at all
(vis-network, our script and styles, and the data are inlined; a
Content-Security-Policy forbids every request). :func:`to_pyvis` gives the
same page as a pyvis ``Network`` for notebooks.

How a view is built (:func:`prepare_view`): the results passed in are
joined onto the node table (:func:`~clustermap.views._data.gather_results`);
colours, sizes, shapes, positions and merged links are computed column by
column (:mod:`clustermap.views._build`, and :mod:`clustermap.views._summary`
for the community-level view); the drawn nodes, the drawn links and a
:class:`~clustermap.views._page.PageSpec` go to
:func:`~clustermap.views._page.build_payload` and the page template. Any
future view (a comparison of two snapshots) is another pair of tables and
a spec.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from clustermap._atomic import atomic_path
from clustermap.errors import ConfigError, EmptyNetworkError
from clustermap.graphs.network import ClusterNetwork
from clustermap.views._anonymous import kept_columns, pseudonymised
from clustermap.views._build import actor_view, check_column, membership_of
from clustermap.views._compare import comparison_view, is_comparison
from clustermap.views._data import gather_results
from clustermap.views._options import ViewOptions, as_options
from clustermap.views._page import PageSpec, page_html
from clustermap.views._summary import community_view

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = ["prepare_view", "save_html", "to_pyvis"]

log = logging.getLogger(__name__)


def prepare_view(
    net: ClusterNetwork | Any,
    *,
    color_by: str | None = None,
    size_by: str | None = None,
    results: Any = None,
    layers: str | Sequence[str] | None = None,
    title: str | None = None,
    options: ViewOptions | Mapping[str, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, PageSpec]:
    """The drawn nodes, the drawn links and the page spec of a view (see :func:`save_html`)."""
    opts = as_options(options)
    if is_comparison(net):
        if color_by is not None or size_by is not None or results is not None or layers:
            msg = (
                "a comparison view colours actors by entry/exit and ties by change; "
                "`color_by`, `size_by`, `results` and `layers` do not apply"
            )
            raise ConfigError(msg)
        return comparison_view(net, title=title, opts=opts)
    if layers is not None:
        net = net.select(layers=layers)
    if net.n_nodes == 0:
        msg = "the network has no actors to draw"
        raise EmptyNetworkError(msg)
    # the partition's labels serve the result columns and the legend: computed once
    table, partition, _ = gather_results(net, results)
    community = membership_of(table, partition)
    if community is not None:
        table = table.assign(community=community)
    if opts.columns is not None:
        table = kept_columns(table, opts.columns)
    if opts.salt:
        net, table, partition = pseudonymised(net, table, partition, opts.salt)
    if color_by is not None:
        check_column(table, color_by, "color_by", ("kind", "community"))
    if opts.anonymize and color_by == "name":
        msg = "`color_by='name'` would show names, which `anonymize=True` hides"
        raise ConfigError(msg)
    if size_by is not None:
        check_column(table, size_by, "size_by")
    title = title if title is not None else str(net.meta.get("name") or "Cluster network")
    if net.n_nodes > opts.limit:
        return community_view(net, table, partition, color_by, size_by, title, opts)
    return actor_view(net, table, partition, community, color_by, size_by, title, opts)


def save_html(
    net: ClusterNetwork | Any,
    path: str | os.PathLike[str],
    *,
    color_by: str | None = None,
    size_by: str | None = None,
    results: Any = None,
    layers: str | Sequence[str] | None = None,
    title: str | None = None,
    options: ViewOptions | Mapping[str, Any] | None = None,
) -> Path:
    """Write an interactive map of the cluster to one HTML file that works offline.

    The page draws actors (shape = kind, colour and size as asked) and their
    links (supply: solid arrows from supplier to buyer; knowledge: dashed
    lines; width = summed weight), with a legend whose checkboxes show or
    hide kinds, communities, colour classes and layers, a search box that
    finds an actor by name or id, and tooltips and a panel with each
    actor's attributes. Everything (vis-network, styles, data) is inside the
    file: it opens from disk with no network, so it can be mailed around.
    Names and attributes are shown as text, never run as code.

    Scale: live physics up to ``settings.view_physics_max_nodes`` actors;
    above it positions precomputed with igraph (Fruchterman & Reingold 1991)
    and physics off; above ``settings.view_max_nodes`` the page shows one
    node per community (sized by members, links summed) and the top
    ``settings.view_top_actors`` actors, and says what is left out. That
    view uses the partition in ``results``; when none is given it computes
    one with :func:`~clustermap.find_communities` defaults and says so.
    Clicking a community there opens its most central members in place
    (``drill_members``; the data is embedded within a stated budget).

    Readable at any size: the largest connected component is laid out first
    and fills the screen when the page opens; smaller components are packed
    around it (largest nearest) and actors without links wait in a grid
    below. Labels are placed by the page itself: as many as fit without
    overlapping at the current zoom, the largest actors first, more as the
    reader zooms in. Above a density the lighter lines are hidden at first
    (the page says how many; a selected actor shows all its lines, and a
    checkbox shows them all). Each actor's panel offers its neighbourhood
    (1 or 2 steps) in place. To draw one community in full, select it first
    (:meth:`ClusterNetwork.select`).

    Parameters
    ----------
    net : ClusterNetwork or comparison
        The cluster to draw; or a comparison of two periods (the result of
        :func:`~clustermap.compare_networks`, or any object with ``before``,
        ``after``, ``actors``, ``ties`` and ``provenance``): both periods in
        one picture, ties coloured formed / dissolved / kept, entrants and
        leavers marked, a legend with the counts and filters by change.
    path : str or path
        The HTML file to write (written to a temporary name, then renamed).
    color_by : str, optional
        ``"kind"``, ``"community"`` (needs a partition in ``results`` or a
        ``community`` column) or any column of the actors or of the result
        tables. Text columns get the colour-blind-safe ``settings.palette``
        (the most frequent 16 values; the rest "other"); numeric columns
        with many values five quantile classes (viridis). Default:
        community when a partition is given, else kind.
    size_by : str, optional
        A numeric column (a centrality score from ``results``, employees...);
        area grows with the value. Default: all the same size.
    results : dict, list or one result, optional
        ``{name: result}`` or ``[result, ...]``: a
        :class:`~clustermap.Partition` (communities) and tables indexed by
        actor id (a centrality table...), whose columns can colour, size and
        appear in tooltips.
    layers : str or list of str, optional
        Draw only these layers' links (every actor stays).
    title : str, optional
        Page title (default: the network's name, or "Cluster network").
    options : ViewOptions or dict, optional
        ``tooltip_columns``, ``columns``, ``anonymize`` (True, or a salt
        string for pseudonyms), ``layout`` ("auto", "physics", "fixed",
        "geo", "tiers"), ``regions`` (GeoJSON outlines for "geo"),
        ``buyers`` (for "tiers"), ``max_nodes``, ``physics_max_nodes``,
        ``top_actors``, ``drill_members``, ``seed``; see :class:`ViewOptions`.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import clustermap as cm
    >>> net = cm.make_cluster(n_actors=60, seed=1)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "network.html"
    >>> cm.save_html(net, out, options={"layout": "fixed"}).name
    'network.html'
    >>> "https://" in out.read_text(encoding="utf-8").split("<script>")[0]
    False
    """
    nodes, links, spec = prepare_view(
        net,
        color_by=color_by,
        size_by=size_by,
        results=results,
        layers=layers,
        title=title,
        options=options,
    )
    html = page_html(nodes, links, spec)
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_text(html, encoding="utf-8")
    log.info("wrote %s (%d nodes, %d lines)", target, len(nodes), len(links))
    return target


def to_pyvis(
    net: ClusterNetwork | Any,
    *,
    color_by: str | None = None,
    size_by: str | None = None,
    results: Any = None,
    layers: str | Sequence[str] | None = None,
    title: str | None = None,
    options: ViewOptions | Mapping[str, Any] | None = None,
) -> Network:
    """Return the view of :func:`save_html` as a pyvis ``Network``, for notebooks.

    The network renders clustermap's self-contained page, so
    ``g.show("map.html")`` and ``g.write_html(...)`` work offline (no CDN,
    no ``lib/`` folder), with the same legend, filters, search and
    tooltips. Nodes and edges are filled in bulk; ``add_node`` /
    ``add_edge`` still work for additions.

    Parameters
    ----------
    net, color_by, size_by, results, layers, title, options
        As in :func:`save_html`.

    Returns
    -------
    pyvis.network.Network

    Examples
    --------
    >>> import clustermap as cm
    >>> g = cm.to_pyvis(cm.make_cluster(n_actors=40, seed=1), options={"layout": "fixed"})
    >>> g.num_nodes()
    40
    >>> "cdnjs" in g.generate_html()
    False
    """
    from clustermap.views._pyvis import PageNetwork  # imports pyvis, which save_html never needs

    nodes, links, spec = prepare_view(
        net,
        color_by=color_by,
        size_by=size_by,
        results=results,
        layers=layers,
        title=title,
        options=options,
    )
    return PageNetwork(nodes, links, spec)
