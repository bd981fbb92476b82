"""The community-level view: one node per community plus the top actors.

Above ``max_nodes`` actors a page cannot draw everyone readably (nor
quickly); it draws each community as a hexagon sized by its members, the
top actors one by one, and lines that sum the links between them, and it
says on the page what is left out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from clustermap.errors import ConfigError
from clustermap.graphs.network import ClusterNetwork
from clustermap.graphs.selection import KINDS
from clustermap.views._build import (
    ACTOR_SIZE,
    LINE_WIDTH,
    PLAIN_SIZE,
    attribute_columns,
    colour_encoding,
    count_text,
    label_rank,
    membership_of,
    partition_note,
    short_labels,
    size_values,
    solid_when_crowded,
    strength,
    thin_lines,
)
from clustermap.views._data import (
    KIND_SHAPES,
    OTHER_COLOR,
    Encoding,
    aggregate_links,
    categorical,
    community_labels,
    edge_ends,
    layer_codes,
    layer_styles,
    scale,
    strongest_lines,
    top_positions,
)
from clustermap.views._drill import drill_data
from clustermap.views._options import ViewOptions
from clustermap.views._page import PageSpec
from clustermap.views._place import geo_columns, layout_mode, place

__all__ = ["COMMUNITY_SCALE", "COMMUNITY_SIZE", "LINES_PER_NODE", "community_view"]

log = logging.getLogger(__name__)

COMMUNITY_SIZE = (10.0, 90.0)
#: A community of m members is a hexagon of radius COMMUNITY_SCALE * sqrt(m) (area ~ m).
COMMUNITY_SCALE = 2.5
#: The community-level view draws at most this many lines per drawn node (the heaviest).
LINES_PER_NODE = 4


@dataclass
class _Groups:
    """Who is drawn as what: the top actors one by one, everyone else in their community.

    Drawn positions: the ``t`` top actors first (in node order), then one
    node per community (``numbers``, 0 = no community).
    """

    top: np.ndarray
    numbers: np.ndarray
    code: np.ndarray
    members: np.ndarray
    separately: np.ndarray
    drawn_of: np.ndarray

    @property
    def t(self) -> int:
        return len(self.top)

    @property
    def k(self) -> int:
        return len(self.numbers)


def _ensure_partition(net: ClusterNetwork, table: pd.DataFrame, partition: Any) -> tuple[Any, bool]:
    """The partition passed in, or one computed with find_communities defaults (logged)."""
    if partition is not None or "community" in table.columns:
        return partition, False
    from clustermap.analysis.communities import find_communities

    log.warning(
        "the view of %d actors shows communities, and none was passed: "
        "computing them with find_communities defaults",
        net.n_nodes,
    )
    return find_communities(net), True


def _numbered(comm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(comm, return_inverse=True)``, by counting when the numbers are small."""
    if len(comm) and comm.min() >= 0 and comm.max() <= 4 * len(comm):
        present = np.bincount(comm) > 0
        numbers = np.flatnonzero(present)
        code = np.cumsum(present) - 1
        return numbers, code[comm]
    numbers, code = np.unique(comm, return_inverse=True)
    return numbers, code


def _groups(community: pd.Series, ranking: np.ndarray, top_n: int) -> _Groups:
    n = len(community)
    top = top_positions(ranking, top_n)
    is_top = np.zeros(n, dtype=bool)
    is_top[top] = True
    comm = community.fillna(0).astype(np.int64).to_numpy()
    numbers, code = _numbered(comm)
    k = len(numbers)
    drawn_of = len(top) + code
    drawn_of[top] = np.arange(len(top))
    return _Groups(
        top=top,
        numbers=numbers,
        code=code,
        members=np.bincount(code, minlength=k),
        separately=np.bincount(code[is_top], minlength=k),
        drawn_of=drawn_of,
    )


def _encodings(
    actor_rows: pd.DataFrame,
    g: _Groups,
    labels: dict[int, str] | None,
    color_by: str,
) -> tuple[list[Encoding], np.ndarray]:
    """The filters (kind, community, colour column) and the colour of every drawn node."""
    t, k = g.t, g.k
    drawn_comm = np.concatenate([g.numbers[g.code[g.top]], g.numbers])
    comm_enc = categorical(
        pd.Series(drawn_comm, dtype="Int64").mask(lambda s: s == 0),
        key="community",
        title="Community (colours repeat after 16)" if k > 16 else "Community",
        order=sorted(int(c) for c in g.numbers if c),
        labels=labels,
        cycle=True,
    )
    # an option counts the members of its communities (the hexagons), not the drawn nodes
    counts = np.bincount(comm_enc.codes[t:], weights=g.members, minlength=len(comm_enc.options))
    for option, count in zip(comm_enc.options, counts, strict=True):
        option["shape"] = "hexagon"
        option["count"] = int(count)
    kind_enc = categorical(
        pd.concat([actor_rows["kind"], pd.Series(["community"] * k)], ignore_index=True),
        key="kind",
        title="Kind of node",
        order=[*KINDS, "community"],
        fixed={"community": OTHER_COLOR},
    )
    for option in kind_enc.options:
        option["shape"] = KIND_SHAPES.get(str(option["value"]), "hexagon")
    kind_enc.colored = False
    filters = [kind_enc, comm_enc]
    if color_by == "community":
        return filters, comm_enc.colors()
    colour = colour_encoding(actor_rows, color_by, None, None)
    if color_by == "kind":
        kind_enc.colored = True
        kind_enc.options[-1]["label"] = "community (coloured by community)"
    else:
        colour.codes = np.concatenate([colour.codes, np.full(k, len(colour.options))])
        colour.options.append({"label": "communities", "value": None, "color": None, "count": k})
        filters.append(colour)
    return filters, np.concatenate([colour.colors()[:t], comm_enc.colors()[t:]])


def community_view(
    net: ClusterNetwork,
    table: pd.DataFrame,
    partition: Any,
    color_by: str | None,
    size_by: str | None,
    title: str,
    opts: ViewOptions,
) -> tuple[pd.DataFrame, pd.DataFrame, PageSpec]:
    """One node per community plus the top actors; what is left out is said on the page."""
    partition, computed = _ensure_partition(net, table, partition)
    community = membership_of(table, partition)
    if community is None:  # pragma: no cover - a partition or the column exists here
        msg = "the community-level view needs communities"
        raise ConfigError(msg)
    table = table.assign(community=community)
    color_by = color_by or "community"
    labels = community_labels(partition, net) if partition is not None else None
    n = len(table)

    values, size_note = size_values(table, size_by)
    rank_name = size_by if size_by is not None else "summed link weight"
    ranking = values if values is not None else strength(net)
    g = _groups(community, ranking, min(opts.top, n))
    t, k = g.t, g.k

    # lines: links summed between drawn nodes; those inside one node are counted, not drawn
    styles = layer_styles(net.layers, net.directed)
    e = net._edges
    source, target = edge_ends(net, table.index)
    ends = (g.drawn_of[source], g.drawn_of[target])
    layer_code = layer_codes(net)
    directed = np.array([s["directed"] for s in styles], dtype=bool)
    links, internal = aggregate_links(e, ends, layer_code, directed, n=t + k, drop_internal=True)
    all_lines = len(links)
    links = strongest_lines(links, max(LINES_PER_NODE * (t + k), 400))
    links["width"] = scale(links["weight"].to_numpy(), *LINE_WIDTH)
    links, thin_note = thin_lines(links, t + k, noun="node")
    solid_note = solid_when_crowded(styles, int((~links["thin"]).sum()))

    actor_rows = table.iloc[g.top]
    filters, colors = _encodings(actor_rows, g, labels, color_by)
    mode = layout_mode(opts, t + k)
    layout_notes = []
    if mode == "tiers":
        mode = "fixed"
        layout_notes.append(
            "The tier layout draws actors one by one: select fewer actors (or raise "
            "`max_nodes`) to see it; this community-level view is laid out by links."
        )
    geo = None
    if mode == "geo":
        lat, lon = geo_columns(table)
        lat_c = pd.Series(lat).groupby(g.code).mean().reindex(range(k)).to_numpy()
        lon_c = pd.Series(lon).groupby(g.code).mean().reindex(range(k)).to_numpy()
        geo = (np.concatenate([lat[g.top], lat_c]), np.concatenate([lon[g.top], lon_c]))
    placed = place(mode, net, pd.DataFrame(index=range(t + k)), links, opts, geo=geo, noun="node")
    x, y = placed.x, placed.y

    prefix = "community:"
    while table.index.str.startswith(prefix).any():
        prefix = "~" + prefix
    comm_name = [
        (labels or {}).get(int(c), f"Community {int(c)}") if c else "No community"
        for c in g.numbers
    ]
    actor_labels = actor_rows.index.to_series() if opts.anonymize else actor_rows["name"]
    hexagon_labels = short_labels(
        pd.Series([f"{name} ({m:,})" for name, m in zip(comm_name, g.members, strict=True)])
    ).tolist()
    nodes = pd.DataFrame(
        {
            "id": [*actor_rows.index, *(f"{prefix}{c}" for c in g.numbers)],
            "label": [*short_labels(actor_labels.astype(str)), *hexagon_labels],
            "size": np.concatenate(
                [
                    np.full(t, PLAIN_SIZE + 4)
                    if values is None
                    else scale(values[g.top], *ACTOR_SIZE),
                    np.clip(
                        COMMUNITY_SCALE * np.sqrt(g.members.astype(np.float64)), *COMMUNITY_SIZE
                    ),
                ]
            ),
            "shape": [*actor_rows["kind"].map(KIND_SHAPES).fillna("dot"), *["hexagon"] * k],
            "color": colors,
            "x": x,
            "y": y,
            "font": np.concatenate([np.full(t, 16.0), np.full(k, 28.0)]),
            # community labels claim space first (largest first), then the actors
            "rank": label_rank(
                np.concatenate([1.0 - label_rank(ranking[g.top]) / max(t, 1), 2.0 + g.members])
            ),
        }
    )
    actor_attrs = attribute_columns(actor_rows, opts.tooltip_columns, opts.anonymize)
    for col in actor_attrs:
        nodes[col] = actor_rows[col].reset_index(drop=True).reindex(range(t + k)).to_numpy()
    nothing = np.full(t, np.nan)
    nodes["community name"] = [*([None] * t), *comm_name]
    nodes["members"] = np.concatenate([nothing, g.members])
    nodes["drawn separately"] = np.concatenate([nothing, g.separately])
    nodes["links inside"] = np.concatenate([nothing, internal[t:]])

    notes = [
        f"This network has {count_text(n, 'actor')} and {count_text(net.n_edges, 'link')}, "
        f"more than the {opts.limit:,} actors a page draws one by one.",
        f"Shown: {count_text(k, 'community', 'communities')} as hexagons sized by their members, "
        f"and the {count_text(t, 'actor')} with the highest {rank_name}, drawn one by one.",
        f"Left out: the other {count_text(n - t, 'actor')} appear only inside their community, "
        f"and the {count_text(int(internal[t:].sum()), 'link')} inside communities are not "
        "drawn; lines between communities sum their links.",
    ]
    if len(links) < all_lines:
        notes.append(
            f"Lines: the {len(links):,} heaviest of {all_lines:,} (each node keeps at least "
            "its heaviest line); the lighter ones are left out."
        )
    notes.append(
        partition_note(partition, computed)
        if partition is not None
        else "Communities: the `community` column of the actors."
    )
    notes.extend(placed.notes)
    notes.extend(layout_notes)
    if thin_note:
        notes.append(thin_note)
    drill, drill_notes = drill_data(
        net, table, g, opts, ranking=ranking, sized=values, colors=colors, attributes=actor_attrs
    )
    notes.extend(drill_notes)
    notes.append(
        "To draw one community actor by actor, select its members first: "
        "net.select(nodes=partition.members(k))."
    )
    if solid_note:
        notes.append(solid_note)
    if opts.salt:
        notes.append("Ids and names are replaced by salted pseudonyms.")
    elif opts.anonymize:
        notes.append("Names are replaced by ids.")
    spec = PageSpec(
        title=title,
        notes=notes,
        node_filters=filters,
        layer_styles=styles,
        attributes=[*actor_attrs, "community name", "members", "drawn separately", "links inside"],
        physics=mode == "physics",
        size_note=(size_note if size_by else "Size of an actor: the same for all.")
        + " Size of a community: its number of members.",
        fit=placed.fit,
        outlines=placed.outlines,
        drill=drill,
    )
    return nodes, links, spec
