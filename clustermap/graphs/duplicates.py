"""Duplicate actors: find the same organisation under several spellings, then merge.

Real data names one firm in many ways: ``Catcher Technology Co., Ltd.``,
``Catcher Technology Co Ltd``, ``Catcher Technology Company Limited``.
:func:`suggest_duplicates` proposes candidates, as a table a user reviews
(in Excel, say); :func:`merge_actors` applies the reviewed mapping and
records it. The same function rolls plants or subsidiaries up to their
parent groups.

Names are compared after :func:`normalise_name` (accents and case folded,
punctuation and legal forms such as GmbH, Ltd, S.A., S.p.A., Oy, AB, Inc.
removed) with rapidfuzz's token-sort ratio, computed in C
(:func:`rapidfuzz.process.cdist`) block by block, so a few thousand actors
take well under a second.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from scipy.sparse.csgraph import connected_components

from clustermap._provenance import stamp
from clustermap.errors import ConfigError, InputError
from clustermap.graphs._lookup import positions
from clustermap.graphs.network import ClusterNetwork

__all__ = ["LEGAL_FORMS", "merge_actors", "normalise_name", "suggest_duplicates"]

log = logging.getLogger(__name__)

#: Legal-form words removed before names are compared (after dots are dropped
#: and case folded, so ``S.p.A.`` is ``spa`` and ``Co.`` is ``co``).
LEGAL_FORMS: frozenset[str] = frozenset(
    (
        "ab",
        "abp",
        "ag",
        "aktiengesellschaft",
        "aps",
        "as",
        "asa",
        "bhd",
        "bv",
        "bvba",
        "cia",
        "co",
        "company",
        "corp",
        "corporation",
        "cv",
        "ead",
        "eg",
        "ev",
        "gbr",
        "gie",
        "gmbh",
        "inc",
        "incorporated",
        "jsc",
        "kabushiki",
        "kaisha",
        "kft",
        "kg",
        "kgaa",
        "kk",
        "limited",
        "llc",
        "llp",
        "lp",
        "ltd",
        "ltda",
        "mbh",
        "nv",
        "nyrt",
        "oao",
        "ohg",
        "ooo",
        "oy",
        "oyj",
        "pjsc",
        "plc",
        "pt",
        "pte",
        "pty",
        "sa",
        "saa",
        "sab",
        "sae",
        "sarl",
        "sas",
        "sau",
        "sca",
        "scs",
        "se",
        "sl",
        "slu",
        "snc",
        "spa",
        "srl",
        "sro",
        "tbk",
        "ug",
        "vof",
        "zao",
        "zrt",
    )
)
_SPACES = re.compile(r"\s+")
#: Place columns whose agreement is named in a candidate's reason.
_PLACES = ("region", "city", "country")
#: Answers in a review table's ``merge`` column that reject a row.
_NO = ("no", "n", "false", "0", "nein", "non")
_PUNCT = re.compile(r"[^\w\s]")
#: Blocks bigger than this are split further by the first letter of the name
#: (then the first two, then three), to bound the work of one comparison matrix.
MAX_BLOCK = 2000
_CHUNK = 1000


def normalise_name(name: object) -> str:
    """Return a name reduced for comparison: the same firm, the same text.

    Accents and case are folded, ``&`` becomes ``and``, dots are dropped
    (``S.p.A.`` -> ``spa``), other punctuation becomes a space, and legal-form
    words (:data:`LEGAL_FORMS`) are removed unless the name is nothing else.

    Examples
    --------
    >>> normalise_name("Catcher Technology Co., Ltd.")
    'catcher technology'
    >>> normalise_name("CATCHER TECHNOLOGY COMPANY LIMITED")
    'catcher technology'
    >>> normalise_name("Zürcher Präzision AG"), normalise_name("Zurcher Prazision S.p.A.")
    ('zurcher prazision', 'zurcher prazision')
    >>> normalise_name("AT & S Austria"), normalise_name("AT&S")
    ('at and s austria', 'at and s')
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace(".", "")
    text = _PUNCT.sub(" ", text)
    words = [w for w in _SPACES.split(text) if w]
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)


def _text_of(nodes: pd.DataFrame, by: tuple[str, ...]) -> pd.Series:
    parts = [nodes[c].map(normalise_name) for c in by]
    text = parts[0]
    for p in parts[1:]:
        text = text + " " + p
    return text.str.strip()


def _check_columns(nodes: pd.DataFrame, cols: tuple[str, ...], argument: str) -> None:
    missing = [c for c in cols if c not in nodes.columns]
    if missing:
        msg = (
            f"`{argument}` names column(s) {', '.join(map(repr, missing))} that the node table "
            f"does not have; columns are: {', '.join(map(repr, nodes.columns))}"
        )
        raise ConfigError(msg)


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _blocks(nodes: pd.DataFrame, text: pd.Series, within: tuple[str, ...]) -> np.ndarray:
    """A block number per actor: pairs are only sought inside a block."""
    if within:
        keys = nodes[list(within)].astype("string").fillna("\x00missing")
        block = keys.groupby(list(within), sort=False, dropna=False).ngroup().to_numpy()
    else:
        block = np.zeros(len(nodes), dtype=np.int64)
    for letters in (1, 2, 3):
        sizes = np.bincount(block - block.min())
        big = sizes[block - block.min()] > MAX_BLOCK
        if not big.any():
            break
        key = pd.Series(block).astype(str) + "\x00" + text.str[:letters].fillna("").to_numpy()
        extra = pd.factorize(key.where(big))[0]
        block = np.where(big, block.max() + 1 + extra, block)
    return block


def _candidate_pairs(
    text: pd.Series, block: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) in the same block with a name score >= threshold."""
    values = text.to_numpy(dtype=object)
    order = np.argsort(block, kind="stable")
    bounds = np.flatnonzero(np.diff(block[order])) + 1
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    score: list[np.ndarray] = []
    for members in np.split(order, bounds):
        if len(members) < 2:
            continue
        names = values[members].tolist()
        for start in range(0, len(members), _CHUNK):
            rows = names[start : start + _CHUNK]
            matrix = process.cdist(
                rows,
                names,
                scorer=fuzz.token_sort_ratio,
                score_cutoff=threshold,
                dtype=np.uint8,
                workers=1,
            )
            i, j = np.nonzero(matrix)
            i = i + start
            upper = i < j
            left.append(members[i[upper]])
            right.append(members[j[upper]])
            score.append(matrix[i[upper] - start, j[upper]].astype(np.float64))
    if not left:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    a, b = np.concatenate(left), np.concatenate(right)
    # the first word carries the firm's identity ("NXP Semiconductors" is not
    # "ON Semiconductor"): it must match too, allowing "Minebea" ~ "MinebeaMitsumi"
    first = [v.split(" ", 1)[0] for v in values.tolist()]
    same_first = np.fromiter(
        (fuzz.partial_ratio(first[i], first[j]) >= threshold for i, j in zip(a, b, strict=True)),
        dtype=bool,
        count=len(a),
    )
    a, b = a[same_first], b[same_first]
    return np.minimum(a, b), np.maximum(a, b), np.concatenate(score)[same_first]


def _adjacency(net: ClusterNetwork) -> sp.csr_matrix:
    g = net._igraph(directed=False)
    n = net.n_nodes
    pairs = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    data = np.ones(2 * len(pairs))
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return sp.csr_matrix((data, (rows, cols)), shape=(n, n))


def suggest_duplicates(
    net: ClusterNetwork,
    *,
    by: str | Iterable[str] = ("name",),
    within: str | Iterable[str] | None = ("region",),
    threshold: float = 90.0,
) -> pd.DataFrame:
    """Propose actors that are probably the same organisation, for a person to review.

    Names are compared after :func:`normalise_name`; pairs whose
    token-sort similarity (0-100, rapidfuzz) reaches ``threshold`` are
    candidates, and candidates that chain together (A like B, B like C) form
    one group. In each group the actor with the most links (then the first
    in the node table) is proposed as the one to keep, and every other
    member gets one row: the table can go to Excel, rows the reviewer
    rejects are deleted, and the rest passed to :func:`merge_actors`
    (``merge_actors(net, table[["id", "keep_id"]])``).

    Parameters
    ----------
    net : ClusterNetwork
        The network whose actors are compared.
    by : str or list of str
        Text columns compared (normalised, joined with a space): ``"name"``
        by default; ``("name", "city")`` compares both.
    within : str, list of str or None
        Only actors with the same values in these columns are compared
        (``"region"`` by default when the node table has it; ``None``
        compares everyone). Actors missing a value are compared with the
        others missing it. Blocks over :data:`MAX_BLOCK` actors are split by
        the first letter of the normalised name (then the first two, three),
        so on large networks names that differ in their first letters are
        not compared.
    threshold : float
        Smallest similarity (0-100) for a candidate; 100 keeps only names
        that are equal after normalisation.

    Returns
    -------
    pandas.DataFrame
        One row per actor proposed for merging, with ``group``, ``id``,
        ``name``, ``keep_id``, ``keep_name``, ``score`` (similarity to the
        kept actor's name), ``same_name`` (equal after normalisation),
        ``shared_partners`` (actors linked to both, any layer),
        ``links`` and ``keep_links`` (number of partners of each), the
        ``within`` columns, ``reason`` in words, and ``merge`` ("yes"; a
        reviewer changes it to "no" to reject a row, or deletes the row).
        Sorted by group, then score. ``.attrs`` records the method and options.

    Raises
    ------
    ConfigError
        When ``threshold`` is outside 0-100 or a column does not exist.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["a", "b", "c", "d"],
    ...      "name": ["Catcher Technology Co., Ltd.", "Catcher Technology Company Limited",
    ...               "Catcher Technologies Ltd", "Bosch GmbH"],
    ...      "kind": "firm", "region": "TW"},
    ...     {"source": ["a", "b", "c"], "target": ["d", "d", "d"], "layer": "supply"},
    ... )
    >>> dup = cm.suggest_duplicates(net, threshold=85)
    >>> dup[["id", "keep_id", "score", "same_name", "shared_partners"]].values.tolist()
    [['b', 'a', 100.0, True, 1], ['c', 'a', 89.5, False, 1]]
    """
    by_cols, within_cols = _as_tuple(by), _as_tuple(within)
    if not by_cols:
        msg = "`by` must name at least one text column, such as 'name'"
        raise ConfigError(msg)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        msg = f"`threshold` must be a number between 0 and 100, not {threshold!r}"
        raise ConfigError(msg)
    if not 0 <= threshold <= 100:
        msg = f"`threshold` must be between 0 and 100 (a similarity score), not {threshold!r}"
        raise ConfigError(msg)
    nodes = net.nodes
    if within == ("region",) and "region" not in nodes.columns:
        within_cols = ()
    _check_columns(nodes, by_cols, "by")
    _check_columns(nodes, within_cols, "within")
    text = _text_of(nodes, by_cols)
    blank = (text == "").to_numpy()
    block = _blocks(nodes, text, within_cols)
    block = np.where(blank, -1 - np.arange(len(block)), block)  # empty names match nobody
    a, b, _ = _candidate_pairs(text, block, float(threshold))
    n = net.n_nodes
    columns = [
        "group",
        "id",
        "name",
        "keep_id",
        "keep_name",
        "score",
        "same_name",
        "shared_partners",
        "links",
        "keep_links",
        *within_cols,
        "reason",
        "merge",
    ]
    parameters = {"by": list(by_cols), "within": list(within_cols), "threshold": threshold}
    if len(a) == 0:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return stamp(empty, method="suggest_duplicates", parameters=parameters, candidates=0)
    graph = sp.csr_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    in_pair = np.zeros(n, dtype=bool)
    in_pair[a] = True
    in_pair[b] = True
    adj = _adjacency(net)
    degree = np.asarray(adj.sum(axis=1)).ravel().astype(np.int64)
    members = np.flatnonzero(in_pair)
    # kept: most partners, then first in the node table
    order = np.lexsort((members, -degree[members], comp[members]))
    ranked = members[order]
    first_of = pd.Series(ranked).groupby(comp[ranked], sort=False).transform("first").to_numpy()
    keep_of = np.full(n, -1, dtype=np.int64)
    keep_of[ranked] = first_of
    merge = members[keep_of[members] != members]
    kept = keep_of[merge]
    values = text.to_numpy(dtype=object)
    scores = np.asarray(
        [fuzz.token_sort_ratio(values[i], values[k]) for i, k in zip(merge, kept, strict=True)],
        dtype=np.float64,
    )
    shared = np.asarray(adj[merge].multiply(adj[kept]).sum(axis=1)).ravel().astype(np.int64)
    ids = nodes.index
    names = nodes["name"].to_numpy(dtype=object)
    groups = pd.factorize(comp[merge], sort=False)[0] + 1
    out = pd.DataFrame(
        {
            "group": groups,
            "id": ids[merge].to_numpy(dtype=object),
            "name": names[merge],
            "keep_id": ids[kept].to_numpy(dtype=object),
            "keep_name": names[kept],
            "score": np.round(scores, 1),
            "same_name": values[merge] == values[kept],
            "shared_partners": shared,
            "links": degree[merge],
            "keep_links": degree[kept],
        }
    )
    for col in within_cols:
        out[col] = nodes[col].to_numpy()[merge]
    reason = np.where(
        out["same_name"],
        "same name once legal forms, accents and case are set aside",
        "similar names (" + out["score"].map("{:g}".format) + " of 100)",
    ).astype(object)
    low = out["score"].to_numpy() < threshold
    reason = np.where(
        low, reason + "; grouped through another spelling above the threshold", reason
    )
    if within_cols:
        reason = reason + "; same " + " and ".join(within_cols)
    for col in [c for c in _PLACES if c in nodes.columns and c not in within_cols]:
        place = nodes[col].astype("string")
        here = place.iloc[merge].reset_index(drop=True)
        there = place.iloc[kept].reset_index(drop=True)
        same = here.eq(there).fillna(False).to_numpy(dtype=bool)
        reason = np.where(same, reason + f"; same {col}", reason)
    reason = np.where(
        shared > 0,
        reason + "; " + pd.Series(shared).astype(str).to_numpy() + " shared partners",
        reason,
    )
    out["reason"] = reason
    out["merge"] = "yes"
    out = out.sort_values(["group", "score", "id"], ascending=[True, False, True], kind="stable")
    out = out.reset_index(drop=True)[columns]
    log.info(
        "suggest_duplicates: %d candidate pairs, %d actors in %d groups",
        len(a),
        len(members),
        int(groups.max()),
    )
    return stamp(
        out,
        method="suggest_duplicates",
        parameters=parameters,
        candidates=len(a),
    )


# --------------------------------------------------------------------- merge


def _mapping_of(
    mapping: Mapping[Any, Any] | pd.DataFrame | pd.Series,
) -> tuple[pd.Series, pd.Series | None]:
    """The mapping as a Series old id -> kept id, and group names when given."""
    names = None
    if isinstance(mapping, pd.Series):
        pairs = mapping.rename("keep")
        pairs.index = pairs.index.rename("old")
    elif isinstance(mapping, pd.DataFrame):
        if {"id", "keep_id"} <= set(mapping.columns):
            old, new = "id", "keep_id"
        elif mapping.shape[1] >= 2:
            old, new = mapping.columns[0], mapping.columns[1]
        else:
            msg = (
                "`mapping` as a table needs two columns: the id to merge and the id to keep "
                f"(or 'id' and 'keep_id'); it has {list(mapping.columns)}"
            )
            raise ConfigError(msg)
        if "merge" in mapping.columns:
            answer = mapping["merge"].astype("string").str.strip().str.lower()
            rejected = answer.isin(_NO).fillna(False).to_numpy(dtype=bool)
            if rejected.any():
                log.info("merge_actors: %d rows marked as not to merge", int(rejected.sum()))
            mapping = mapping[~rejected]
        pairs = pd.Series(mapping[new].to_numpy(), index=mapping[old].to_numpy())
        if "keep_name" in mapping.columns:
            names = pd.Series(mapping["keep_name"].to_numpy(), index=mapping[new].to_numpy())
    elif isinstance(mapping, Mapping):
        pairs = pd.Series(dict(mapping), dtype=object)
    else:
        msg = (
            "`mapping` must be a dict {old id: kept id} or a two-column table, not "
            f"{type(mapping).__name__}"
        )
        raise ConfigError(msg)
    pairs = pairs.astype(object)
    blank = pairs.isna().to_numpy() | np.asarray(pairs.index.isna())
    pairs = pairs[~blank]
    pairs.index = pd.Index([str(x).strip() for x in pairs.index], dtype=object)
    pairs = pd.Series([str(x).strip() for x in pairs], index=pairs.index, dtype=object)
    if names is not None:
        names = names.dropna()
        names.index = pd.Index([str(x).strip() for x in names.index], dtype=object)
        names = names[~names.index.duplicated()]
    return pairs, names


def _resolve(pairs: pd.Series) -> pd.Series:
    """Follow chains (a -> b -> c gives a -> c); a cycle is an InputError."""
    pairs = pairs[pairs.index != pairs.to_numpy()]
    dup = pairs.index[pairs.index.duplicated(keep=False)]
    if len(dup):
        clash = pairs[pairs.index.isin(dup)]
        shown = "; ".join(
            f"{k!r} -> {sorted(set(v))}" for k, v in clash.groupby(level=0).agg(list).items()
        )
        msg = f"`mapping` sends the same id to different actors: {shown[:500]}"
        raise InputError(msg)
    # pointer jumping on integer codes: a chain of length d is followed in log2(d) rounds
    codes, labels = pd.factorize(np.concatenate([pairs.index.to_numpy(), pairs.to_numpy()]))
    n = len(pairs)
    nxt = np.arange(len(labels))
    nxt[codes[:n]] = codes[n:]
    for _ in range(int(np.ceil(np.log2(max(n, 2)))) + 1):
        jumped = nxt[nxt]
        if np.array_equal(jumped, nxt):
            break
        nxt = jumped
    is_key = np.zeros(len(labels), dtype=bool)
    is_key[codes[:n]] = True
    final = nxt[codes[:n]]
    # in a cycle or leading into one: never settles, or settles on an id that is mapped
    cyc = pairs.index[(nxt[final] != final) | is_key[final]]
    target = pd.Series(labels[nxt[codes[:n]]], index=pairs.index, dtype=object)
    if len(cyc):
        shown = ", ".join(map(repr, list(cyc)[:10]))
        msg = (
            f"`mapping` has a cycle (ids mapped back to themselves through others): {shown}; "
            "each group of duplicates needs one id that is kept and not mapped"
        )
        raise InputError(msg)
    chained = int((target != pairs).sum())
    if chained:
        log.info("merge_actors: followed %d chains of the mapping (a -> b -> c)", chained)
    return target


def _combine_nodes(
    nodes: pd.DataFrame, target: pd.Series, group_names: pd.Series | None, create: bool
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """One row per kept actor: first non-missing value per column; conflicts listed."""
    ids = nodes.index
    new_ids = [k for k in pd.unique(target.to_numpy()) if k not in ids]
    frame = nodes.copy()
    if new_ids:
        first_member = target.groupby(target.to_numpy(), sort=False).head(1)
        created = pd.DataFrame(index=pd.Index(new_ids, name="id", dtype=object))
        created["name"] = group_names.reindex(created.index) if group_names is not None else np.nan
        created["name"] = created["name"].astype(object)
        created["name"] = created["name"].where(created["name"].notna(), created.index.to_series())
        kinds = nodes["kind"].reindex(first_member.index)
        kinds.index = first_member.to_numpy()
        created["kind"] = kinds.reindex(created.index).fillna("firm")
        frame = pd.concat([frame, created])
    owner = pd.Series(frame.index.to_numpy(), index=frame.index, dtype=object)
    owner.loc[target.index] = target.to_numpy()
    # kept actor's own row first, then the merged rows in node order
    is_self = (owner.index.to_numpy() == owner.to_numpy()).astype(np.int8)
    rank = np.lexsort((np.arange(len(frame)), -is_self, owner.to_numpy().astype(str)))
    frame = frame.iloc[rank]
    owner = owner.iloc[rank]
    grouped = frame.groupby(owner.to_numpy(), sort=False)
    combined = grouped.first()
    conflicts: list[dict[str, Any]] = []
    touched = pd.Index(pd.unique(target.to_numpy()))
    sub = frame[owner.isin(touched).to_numpy()]
    sub_owner = owner[owner.isin(touched)].to_numpy()
    for col in [c for c in sub.columns if c != "name"]:
        pairs = pd.DataFrame({"o": sub_owner, "v": sub[col].astype("string").to_numpy()})
        pairs = pairs.dropna().drop_duplicates()
        several = pairs["o"].duplicated(keep=False).to_numpy()
        if not several.any():
            continue
        pairs = pairs[several]
        head = ~pairs["o"].duplicated().to_numpy()
        kept_value = dict(zip(pairs["o"][head], pairs["v"][head], strict=True))
        dropped = pairs[~head].groupby("o", sort=False)["v"].agg(list)
        conflicts.extend(
            {"id": str(k), "column": str(col), "kept": str(kept_value[k]), "dropped": list(v)}
            for k, v in dropped.items()
        )
    merged_ids = (
        pd.Series(target.index.to_numpy(), index=target.to_numpy())
        .groupby(level=0, sort=False)
        .agg(";".join)
    )
    order = [i for i in ids if i in combined.index] + [i for i in new_ids if i not in ids]
    combined = combined.reindex(order)
    combined["merged_ids"] = merged_ids.reindex(combined.index).astype(object)
    combined.index.name = "id"
    return combined, conflicts


def _combine_edges(
    edges: pd.DataFrame, target: pd.Series, directed: dict[str, bool]
) -> tuple[pd.DataFrame, int, int]:
    """Rename endpoints; rows that now coincide (pair, layer, year, type) are summed."""
    old_ids, new_ids = pd.Index(target.index), target.to_numpy(dtype=object)
    ps = positions(old_ids, edges["source"])
    pt = positions(old_ids, edges["target"])
    src = np.where(ps >= 0, new_ids[ps], edges["source"].to_numpy(dtype=object))
    dst = np.where(pt >= 0, new_ids[pt], edges["target"].to_numpy(dtype=object))
    touched = pd.Series((ps >= 0) | (pt >= 0), index=edges.index)
    undirected = ~edges["layer"].isin([k for k, v in directed.items() if v]).to_numpy()
    lo = np.where(undirected & (src > dst), dst, src)
    hi = np.where(undirected & (src > dst), src, dst)
    out = edges.assign(source=lo, target=hi)
    loops = (out["source"] == out["target"]).to_numpy()
    n_loops = int((loops & touched.to_numpy()).sum())
    if n_loops:
        log.warning("merge_actors: dropped %d links between actors merged into one", n_loops)
    keep = ~(loops & touched.to_numpy())
    out, touched = out[keep], touched[keep]
    keys = [c for c in ("source", "target", "layer", "year", "type") if c in out.columns]
    key_frame = out[keys].astype("string").fillna("\x00")
    group = key_frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    hit = pd.Series(touched.to_numpy()).groupby(group).transform("any").to_numpy()
    size = np.bincount(group)[group]
    combine = hit & (size > 1)
    if not combine.any():
        return out.reset_index(drop=True), n_loops, 0
    part = out[combine]
    agg: dict[str, Any] = dict.fromkeys(part.columns, "first")
    agg["weight"] = "sum"
    if "value" in part.columns:
        agg["value"] = lambda s: s.sum(min_count=1)
    summed = part.groupby(group[combine], sort=False).agg(agg)
    rest = out[~combine]
    result = pd.concat([rest, summed], ignore_index=True)
    first_pos = np.concatenate(
        [
            np.flatnonzero(~combine),
            pd.Series(np.flatnonzero(combine))
            .groupby(group[combine], sort=False)
            .first()
            .to_numpy(),
        ]
    )
    result = result.iloc[np.argsort(first_pos, kind="stable")].reset_index(drop=True)
    return result, n_loops, int(combine.sum() - len(summed))


def merge_actors(
    net: ClusterNetwork,
    mapping: Mapping[Any, Any] | pd.DataFrame | pd.Series,
    *,
    create: bool = False,
) -> ClusterNetwork:
    """Merge actors that are the same organisation (or roll plants up to their groups).

    Every id in ``mapping`` is replaced by the id it maps to. Their links
    are combined: links that now join the same pair on the same layer (and
    the same ``year`` and ``type``, when the links have them) become one,
    with weights and values summed; years stay apart. Links between two
    actors merged into one are dropped. Their attributes are combined: the
    kept actor's value, else the first non-missing one; columns where the
    merged actors disagree are listed in ``net.meta["merges"]`` (and
    counted in a warning). A ``merged_ids`` column lists, for each kept
    actor, the ids merged into it.

    Parameters
    ----------
    net : ClusterNetwork
        The network.
    mapping : dict, Series or DataFrame
        ``{old id: kept id}``; or a table whose columns ``id`` and
        ``keep_id`` (as :func:`suggest_duplicates` writes them) or whose
        first two columns give the same; rows whose ``merge`` column says
        "no" are skipped. Chains (a -> b -> c) are followed.
        A ``keep_name`` column names created groups.
    create : bool
        Allow kept ids that are not in the network: they become new actors
        (a parent group above its plants or subsidiaries, named by
        ``keep_name`` or their id, of the kind of their first member),
        with ``merged_ids`` keeping the original ids.

    Returns
    -------
    ClusterNetwork
        ``net.meta["merges"]`` gains a record: the mapping, how many actors
        were merged, links combined and dropped, and the conflicts.

    Raises
    ------
    InputError
        When an id to merge is unknown, a kept id is unknown (without
        ``create``), an id is mapped to two actors, or the mapping has a cycle.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["a", "a2", "b"], "name": ["Acme Ltd", "ACME Limited", "Bolt"],
    ...      "kind": "firm", "region": ["UKG", None, "UKG"]},
    ...     {"source": ["a", "a2", "a2"], "target": ["b", "b", "a"], "layer": "supply",
    ...      "weight": [1.0, 2.0, 1.0]},
    ... )
    >>> merged = cm.merge_actors(net, {"a2": "a"})
    >>> merged.edges[["source", "target", "weight"]].values.tolist()
    [['a', 'b', 3.0]]
    >>> merged.nodes[["name", "region", "merged_ids"]].values.tolist()
    [['Acme Ltd', 'UKG', 'a2'], ['Bolt', 'UKG', nan]]
    """
    if not isinstance(create, bool):
        msg = f"`create` must be True or False, not {create!r}"
        raise ConfigError(msg)
    pairs, group_names = _mapping_of(mapping)
    nodes = net.nodes
    ids = nodes.index
    problems: list[str] = []
    unknown_old = pairs.index[positions(ids, pairs.index) < 0]
    if len(unknown_old):
        shown = ", ".join(map(repr, unknown_old[:10]))
        problems.append(f"ids to merge that are not in the network: {shown}")
    targets = pd.Index(pd.unique(pairs.to_numpy()))
    unknown_new = targets[(positions(ids, targets) < 0) & ~targets.isin(pairs.index)]
    if len(unknown_new) and not create:
        shown = ", ".join(map(repr, unknown_new[:10]))
        problems.append(
            f"kept ids that are not in the network: {shown} (pass create=True to roll actors "
            "up into new parent groups)"
        )
    if problems:
        msg = "`mapping` does not fit the network: " + "; ".join(problems)
        raise InputError(msg)
    target = _resolve(pairs)
    if target.empty:
        log.info("merge_actors: the mapping merges nobody")
        return net
    new_nodes, conflicts = _combine_nodes(nodes, target, group_names, create)
    new_edges, loops, combined = _combine_edges(net.edges, target, net.directed)
    if conflicts:
        log.warning(
            "merge_actors: %d attribute conflicts (the kept or first value wins), e.g. %s",
            len(conflicts),
            "; ".join(
                f"{c['id']}.{c['column']}: {c['kept']!r} over {c['dropped'][:3]}"
                + (" ..." if len(c["dropped"]) > 3 else "")
                for c in conflicts[:3]
            ),
        )
    record = {
        "mapping": {str(k): str(v) for k, v in target.items()},
        "actors_merged": len(target),
        "actors_kept": int(pd.Index(target.to_numpy()).nunique()),
        "actors_created": int((~pd.Index(pd.unique(target.to_numpy())).isin(ids)).sum()),
        "links_combined": combined,
        "links_dropped": loops,
        "conflicts": conflicts,
    }
    meta = net.meta
    meta["merges"] = [*meta.get("merges", []), record]
    log.info(
        "merge_actors: %d actors merged into %d; %d -> %d actors, %d -> %d links",
        len(target),
        record["actors_kept"],
        net.n_nodes,
        len(new_nodes),
        net.n_edges,
        len(new_edges),
    )
    return ClusterNetwork(new_nodes, new_edges, directed=net.directed, meta=meta)
