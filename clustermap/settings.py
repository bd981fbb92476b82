"""Typed defaults shared by every part of clustermap.

Change a value for the whole session by assignment, as in OSMnx::

    import clustermap as cm
    cm.settings.seed = 7

Attributes
----------
seed : int
    Random seed used by every randomised method when ``seed=`` is not given.
default_directed : dict[str, bool]
    Whether a layer is directed when the data do not say. ``supply`` runs from
    supplier to buyer and is directed; ``knowledge`` is undirected. Layers not
    listed here are undirected unless the loader is told otherwise.
exact_betweenness_max_nodes : int
    Up to this many actors betweenness (and closeness, brokerage candidates,
    single points of failure) is computed exactly; above it from a sample.
betweenness_samples : int
    Number of sampled source actors used for estimates above that size.
betweenness_arc_budget : int
    An estimate stops sampling when sources x arcs reaches this budget
    (200,000 actors with a million links: about 700 sources, a few minutes of
    CPU), unless the top ranking was stable before.
betweenness_min_samples : int
    The sources of the first round of an estimate (and the fewest it uses,
    whatever the budget); each further round doubles the sample.
betweenness_default_max_arcs : int
    Above this many arcs (an undirected link counts twice) :func:`~clustermap.centrality`
    leaves betweenness out of its default set: ranking the top actors needs
    about a thousand sampled sources, minutes at a million links. It is
    computed when asked for by name, and the result says it was left out.
betweenness_top : int
    The size of the top ranking whose stability stops the sampling.
betweenness_agreement : int
    Sampling stops once the top ``betweenness_top`` actors of two independent
    halves of the sample share at least this many (see
    :func:`~clustermap.centrality`).
processes : int
    Processes an estimate may use (the halves of a betweenness sample run
    side by side); 1 keeps everything in the calling process. The result is
    the same either way.
brokerage_work_budget : int
    Brokerage covers every actor when its sparse products stay within this
    many entries; above, the top ``brokerage_candidates`` by betweenness.
view_physics_max_nodes : int
    Up to this many actors an HTML view lays itself out with live physics.
view_max_nodes : int
    Up to this many actors an HTML view draws every actor, with positions
    precomputed by igraph and physics off. Above it the view shows the
    community-level network and the top actors.
view_top_actors : int
    How many top actors the community-level view shows beside the communities.
palette : tuple[str, ...]
    Colour-blind-safe categorical palette (Okabe & Ito 2008, then Paul Tol's
    muted scheme) used for kinds, communities and any categorical column.
kind_colors : dict[str, str]
    Fixed colours for the three kinds of actor.
layer_styles : dict[str, dict]
    How each layer's links are drawn (dashes, arrows, colour).
max_reported_problems : int
    How many problems a validation error lists at once.
year_range : tuple[int, int]
    The years a link's ``year`` may take (inclusive); values outside are
    input errors naming the row (a column of amounts read as years, 1e20, 0).
brokerage_max_nodes : int
    Up to this many actors brokerage covers everyone whatever the work.
brokerage_candidates : int
    How many candidates brokerage measures cover on large networks.
resilience_candidates : int
    How many single points of failure :func:`~clustermap.resilience` keeps,
    most harmful first, on networks above ``exact_betweenness_max_nodes``
    actors (the scan itself is exact for every actor).
spillover_top_pairs : int
    How many strongest source-target pairs get k alternative paths by default.
diffusion_runs : int
    Default number of runs of a diffusion simulation.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "betweenness_agreement",
    "betweenness_arc_budget",
    "betweenness_default_max_arcs",
    "betweenness_min_samples",
    "betweenness_samples",
    "betweenness_top",
    "brokerage_candidates",
    "brokerage_max_nodes",
    "brokerage_work_budget",
    "default_directed",
    "diffusion_runs",
    "exact_betweenness_max_nodes",
    "kind_colors",
    "layer_styles",
    "max_reported_problems",
    "palette",
    "processes",
    "resilience_candidates",
    "seed",
    "spillover_top_pairs",
    "view_max_nodes",
    "view_physics_max_nodes",
    "view_top_actors",
    "year_range",
]

seed: int = 42
default_directed: dict[str, bool] = {"supply": True, "knowledge": False}
exact_betweenness_max_nodes: int = 5_000
betweenness_samples: int = 4_096
betweenness_arc_budget: int = 1_000_000_000
betweenness_min_samples: int = 32
betweenness_default_max_arcs: int = 100_000
betweenness_top: int = 20
betweenness_agreement: int = 15
processes: int = 2
view_physics_max_nodes: int = 1_000
view_max_nodes: int = 10_000
view_top_actors: int = 100
max_reported_problems: int = 10
year_range: tuple[int, int] = (1800, 2100)
brokerage_max_nodes: int = 5_000
brokerage_candidates: int = 1_000
brokerage_work_budget: int = 2_000_000_000
resilience_candidates: int = 200
spillover_top_pairs: int = 100
diffusion_runs: int = 1_000
palette: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
kind_colors: dict[str, str] = {
    "firm": "#0072B2",
    "supplier": "#E69F00",
    "institution": "#009E73",
}
layer_styles: dict[str, dict[str, Any]] = {
    "supply": {"dashes": False, "arrows": "to", "color": "#555555"},
    "knowledge": {"dashes": True, "arrows": "", "color": "#8A6D3B"},
}
