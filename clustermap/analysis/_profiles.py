"""Community profiles: who is in each community and what links it (private helpers).

Used by :meth:`clustermap.analysis.partition.Partition.profiles` and
:meth:`~clustermap.analysis.partition.Partition.labels`. Everything is
vectorised over actors and links; only the short texts are joined per
community.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from clustermap._suppress import small, suppress_values
from clustermap.graphs._lookup import positions
from clustermap.graphs.selection import KINDS

if TYPE_CHECKING:
    from clustermap.analysis.partition import Partition
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["build_profiles", "community_labels"]

TOP_MEMBERS = 5
TOP_SHARES = 3
MAX_INSTITUTIONS = 10
_KIND_COLUMNS = {"firm": "firms", "supplier": "suppliers", "institution": "institutions"}


def _index(part: Partition) -> pd.RangeIndex:
    return pd.RangeIndex(1, part.n_communities + 1, name="community")


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``values`` as text (-1 for missing) and the texts, in sorted order.

    Values are compared as their text (``str``), so the codes order them as
    sorting the texts would; hashing the column once is far cheaper than
    turning millions of cells into Python strings.
    """
    text_already = isinstance(values.dtype, pd.StringDtype) or (
        pd.api.types.is_object_dtype(values.dtype)
        and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    )
    if not text_already:  # numbers, or a mix: 1 and 1.0 hash alike but read differently
        missing = values.isna().to_numpy()
        cells = values.astype(str).to_numpy(dtype=object)
        cells[missing] = None
        values = pd.Series(cells, index=values.index, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = np.asarray(pd.Index(uniques).astype(str), dtype=object)
    sorted_texts, remap = np.unique(texts, return_inverse=True)
    out = np.full(len(codes), -1, dtype=np.int64)
    present = codes >= 0
    out[present] = remap.reshape(-1)[codes[present]]
    return out, sorted_texts


def _ranked_counts(comm: np.ndarray, values: pd.Series) -> pd.DataFrame:
    """Members per (community, value), most frequent first, ties by value."""
    codes, texts = _codes(values)
    present = codes >= 0
    width = max(len(texts), 1)
    key, n = np.unique(comm[present] * width + codes[present], return_counts=True)
    c, v = key // width, key % width
    order = np.lexsort((v, -n, c))
    return pd.DataFrame(
        {
            "c": c[order],
            "v": pd.Series(texts[v[order]], dtype="str"),
            "n": n[order].astype(np.int64),
        }
    )


def _dominant(
    comm: np.ndarray, values: pd.Series, index: pd.RangeIndex, min_count: int | None = None
) -> pd.DataFrame:
    """The most frequent value per community, its count, and the top-3 text with shares.

    With ``min_count``, a share resting on fewer than ``min_count`` actors is
    shown as ``"<k"`` in the text (the share alone would give the count away).
    """
    counts = _ranked_counts(comm, values)
    sizes = pd.Series(np.bincount(comm, minlength=len(index) + 1)[1:], index=index)
    top = counts.drop_duplicates("c").set_index("c")
    out = pd.DataFrame(index=index)
    out["main"] = top["v"].reindex(index)
    out["count"] = top["n"].reindex(index).fillna(0).astype(np.int64)
    out["share"] = out["count"] / sizes
    head = counts.groupby("c", sort=False).head(TOP_SHARES)
    shares = (head["n"] / sizes.reindex(head["c"]).to_numpy()).map("{:.0%}".format).astype("str")
    if min_count is not None:
        hidden = head["n"].to_numpy() < min_count
        shares = shares.where(~hidden, f"<{min_count}")
        out.attrs["hidden_in_text"] = int(hidden.sum())
    head = head.assign(text=head["v"] + " (" + shares + ")")
    out["text"] = head.groupby("c")["text"].agg(", ".join).reindex(index)
    return out


def community_labels(part: Partition, net: ClusterNetwork) -> pd.Series:
    """A short label per community from its dominant sector and region.

    ``sector_name`` / ``region_name`` are preferred when the node table has
    them (the sector name followed by the span of codes that carry it in the
    community, e.g. "Castings & machining (C24-C25)"); otherwise the codes.
    Without either column the label is ``Community k``. Repeated labels get
    ``#2``, ``#3``... in community order.
    """
    nodes = net.nodes
    comm = part.membership.to_numpy()
    index = _index(part)
    parts: list[pd.Series] = []
    if "sector_name" in nodes.columns:
        named = _dominant(comm, nodes["sector_name"], index)["main"]
        text = named.copy()
        if "sector" in nodes.columns:
            # the codes of the members whose sector name is their community's main one
            name_codes, name_texts = _codes(nodes["sector_name"])
            main_code = np.full(len(index) + 1, -2, dtype=np.int64)
            has_main = named.notna().to_numpy()
            main_code[index.to_numpy()[has_main]] = np.searchsorted(
                name_texts, named.to_numpy(dtype=object)[has_main]
            )
            rows = (name_codes == main_code[comm]) & nodes["sector"].notna().to_numpy()
            codes = _spans(comm[rows], nodes["sector"][rows]).reindex(index)
            text = named.where(codes.isna(), named + " (" + codes.fillna("") + ")")
        parts.append(text)
    elif "sector" in nodes.columns:
        parts.append(_dominant(comm, nodes["sector"], index)["main"])
    region_col = "region_name" if "region_name" in nodes.columns else "region"
    if region_col in nodes.columns:
        parts.append(_dominant(comm, nodes[region_col], index)["main"])
    label = pd.Series("", index=index, dtype=object)
    for p in parts:
        present = p.notna()
        joined = np.where(label == "", p.astype(object), label + ", " + p.astype(object))
        label = label.where(~present, pd.Series(joined, index=index, dtype=object))
    fallback = pd.Series([f"Community {c}" for c in index], index=index, dtype=object)
    label = label.where(label != "", fallback)
    repeat = label.groupby(label).cumcount() + 1
    label = label.where(repeat == 1, label + " #" + repeat.astype(str))
    label.name = "label"
    return label


def _spans(comm: np.ndarray, codes: pd.Series) -> pd.Series:
    """Per community, its one code or the span ``first-last`` of its codes in text order."""
    numbers, texts = _codes(codes)
    low = pd.Series(numbers).groupby(comm).min()
    high = pd.Series(numbers).groupby(comm).max()
    first, last = texts[low.to_numpy()], texts[high.to_numpy()]
    span = np.where(low.to_numpy() == high.to_numpy(), first, first + "-" + last)
    return pd.Series(span, index=low.index, dtype=object)


def _id_ranks(ids: pd.Index) -> np.ndarray:
    """Each id's place in text order (ids are unique): the tie-break of rankings."""
    text = ids if isinstance(ids.dtype, pd.StringDtype) else ids.astype(str).astype("string")
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[np.asarray(text.argsort())] = np.arange(len(ids))
    return ranks


def _top_names(
    comm: np.ndarray,
    names: pd.Series,
    score: np.ndarray,
    id_ranks: np.ndarray,
    index: pd.RangeIndex,
    limit: int,
    mask: np.ndarray | None = None,
    more: bool = False,
) -> pd.Series:
    """The ``limit`` highest-scoring names per community, joined with ``"; "``.

    Ordered by score (missing last), then by id; only the names shown are
    read from the name column.
    """
    rows = np.arange(len(comm)) if mask is None else np.flatnonzero(mask)
    c = comm[rows]
    order = np.lexsort((id_ranks[rows], -score[rows], c))  # NaN sorts last
    rows, c = rows[order], c[order]
    first = np.searchsorted(c, c, side="left")
    shown = (np.arange(len(c)) - first) < limit
    counts = pd.Series(np.bincount(c, minlength=len(index) + 1)[1:], index=index)
    picked = pd.DataFrame({"c": c[shown], "name": names.iloc[rows[shown]].to_numpy(dtype=object)})
    text = picked.groupby("c")["name"].agg("; ".join).reindex(index).astype("str")
    if more:
        extra = counts - limit
        text = text.where(extra <= 0, text + "; + " + extra.astype(str) + " more")
    return text.fillna("")


#: Profile columns that count actors or links, hidden below ``min_count``.
COUNT_COLUMNS: tuple[str, ...] = (
    "size",
    "firms",
    "suppliers",
    "institutions",
    "internal_links",
    "external_links",
)


def build_profiles(
    part: Partition,
    net: ClusterNetwork,
    centrality: pd.Series | None,
    min_count: int | None = None,
) -> pd.DataFrame:
    """The profile table of :meth:`Partition.profiles` (without conductance).

    With ``min_count``, counts from 1 to ``min_count - 1`` are shown as
    ``"<k"``, and so are the shares of the main sector and region and the
    shares in the ``sectors`` / ``regions`` texts that rest on fewer actors;
    ``.attrs["suppression"]`` records what was hidden.
    """
    nodes = net.nodes
    ids = nodes.index
    comm = part.membership.to_numpy().astype(np.int64)
    index = _index(part)
    k = len(index)
    out = pd.DataFrame(index=index)
    out["label"] = pd.Series(part.labels(net).to_numpy(), index=index, dtype=object)
    sizes = np.bincount(comm, minlength=k + 1)[1:]
    out["size"] = sizes
    kind_codes, kind_texts = _codes(nodes["kind"])
    for kind in KINDS:
        found = np.flatnonzero(kind_texts == kind)
        members = kind_codes == found[0] if len(found) else np.zeros(len(comm), dtype=bool)
        out[_KIND_COLUMNS[kind]] = np.bincount(comm[members], minlength=k + 1)[1:]
    hidden: dict[str, int] = {}
    for col, word in (("sector", "sector"), ("region", "region")):
        if col in nodes.columns:
            dom = _dominant(comm, nodes[col], index, min_count)
            out[f"main_{word}"] = dom["main"]
            out[f"main_{word}_share"] = dom["share"]
            out[f"{word}s"] = dom["text"].fillna("")
            if min_count is not None:
                few = small(dom["count"], min_count)
                hidden[f"main_{word}_share"] = int(few.sum())
                hidden[f"{word}s"] = int(dom.attrs.get("hidden_in_text", 0))
                if few.any():
                    share = out[f"main_{word}_share"].astype(object)
                    share[few] = f"<{min_count}"
                    out[f"main_{word}_share"] = share
            named = f"{col}_name"
            if named in nodes.columns:
                out[f"main_{word}_name"] = _dominant(comm, nodes[named], index)["main"]
    g = net._igraph(layers=part.layers, directed=False)
    if centrality is None:
        score = np.asarray(g.degree(), dtype=np.float64)
        by = "degree"
    else:
        score = pd.to_numeric(centrality.reindex(ids), errors="coerce").to_numpy(dtype=np.float64)
        by = str(centrality.name or "centrality")
    is_inst = nodes["kind"].to_numpy() == "institution"
    ranks = _id_ranks(ids)
    out["institutions_present"] = _top_names(
        comm, nodes["name"], score, ranks, index, MAX_INSTITUTIONS, mask=is_inst, more=True
    )
    out["top_members"] = _top_names(comm, nodes["name"], score, ranks, index, TOP_MEMBERS)
    # links: rows of the edge table over the partition's layers
    edges = net._edges  # read only: no copy of a table of millions of links
    layer_codes, layer_texts = _codes(edges["layer"])
    keep = np.isin(layer_codes, np.flatnonzero(np.isin(layer_texts, list(part.layers))))
    if ids.equals(net._nodes.index):  # reuse the network's one id lookup
        src, dst = net._edge_positions()
    else:
        src, dst = positions(ids, edges["source"]), positions(ids, edges["target"])
    cs, ct = comm[src[keep]], comm[dst[keep]]
    w = edges["weight"].to_numpy(dtype=np.float64)[keep]
    inside = cs == ct
    out["internal_links"] = np.bincount(cs[inside], minlength=k + 1)[1:]
    out["external_links"] = (
        np.bincount(cs[~inside], minlength=k + 1) + np.bincount(ct[~inside], minlength=k + 1)
    )[1:]
    out["internal_weight"] = np.bincount(cs[inside], weights=w[inside], minlength=k + 1)[1:]
    out["external_weight"] = (
        np.bincount(cs[~inside], weights=w[~inside], minlength=k + 1)
        + np.bincount(ct[~inside], weights=w[~inside], minlength=k + 1)
    )[1:]
    first, second = net._ends(layers=part.layers, directed=False)
    loop = first == second
    pu, pv = comm[first[~loop]], comm[second[~loop]]
    linked = np.bincount(pu[pu == pv], minlength=k + 1)[1:]
    possible = sizes * (sizes - 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        out["internal_density"] = np.where(
            possible > 0, linked / np.where(possible > 0, possible, 1), np.nan
        )
    layer = layer_codes[keep]
    internal = out["internal_links"].to_numpy()
    for name in part.layers:
        found = np.flatnonzero(layer_texts == name)
        code = found[0] if len(found) else -2
        in_layer = np.bincount(cs[inside & (layer == code)], minlength=k + 1)[1:]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"share_{name}"] = np.where(
                internal > 0, in_layer / np.where(internal > 0, internal, 1), np.nan
            )
    out.attrs["top_members_by"] = by
    if min_count is not None:
        out = suppress_values(out, COUNT_COLUMNS, min_count)
        record = out.attrs["suppression"]
        record["by_column"].update({k: v for k, v in hidden.items() if v})
        record["cells_suppressed"] += sum(hidden.values())
        record["not_suppressed"] = (
            "names (top_members, institutions_present), link weights, densities and "
            "conductance; use anonymize= for names"
        )
    return out
