"""Firm networks meet regional statistics: whether a specialisation is backed by real links.

A high location quotient says a region has many jobs in a cluster; it does
not say the firms there work together. :func:`linked_specialisation` puts
the two side by side for every region-cluster where the network has actors.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from clustermap._provenance import stamp
from clustermap.analysis._regional_tables import prepare_mapping
from clustermap.errors import ConfigError, InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.graphs.selection import NODE_KINDS

__all__ = ["VERDICTS", "linked_specialisation"]

log = logging.getLogger(__name__)

#: The four verdicts, from best to worst.
VERDICTS = (
    "specialised and linked",
    "specialised but weakly linked",
    "linked but not specialised",
    "neither",
)
_NO_LQ = "no LQ (a local cluster, or not in the employment table)"


def linked_specialisation(
    net: ClusterNetwork,
    lq: pd.DataFrame,
    *,
    mapping: Any,
    layers: str | list[str] | None = None,
    min_lq: float = 1.0,
    min_links_per_actor: float = 1.0,
) -> pd.DataFrame:
    """For each region-cluster with actors: its LQ next to the links among its actors.

    Actors are placed in a cluster through their ``sector`` (``mapping``:
    code -> cluster, as for :func:`~clustermap.location_quotients`) and in a
    region through their ``region``, matched to the ``lq`` table's codes.

    The verdict: *specialised* when the LQ is at least ``min_lq``; *linked*
    when the links among the group's own actors (same region and cluster)
    number at least ``min_links_per_actor`` per actor. *Specialised but
    weakly linked* marks a potential cluster (jobs without collaboration);
    *linked but not specialised* a network that the statistics do not see.

    Parameters
    ----------
    net : ClusterNetwork
        Actors with ``sector`` and ``region`` columns.
    lq : pandas.DataFrame
        :func:`~clustermap.location_quotients` or
        :func:`~clustermap.cluster_strength` output (``strong`` is carried).
    mapping : table, Series or dict
        Sector code -> cluster.
    layers : str or list, optional
        Layers whose links count (default all).
    min_lq, min_links_per_actor : float
        The verdict's thresholds (recorded in ``attrs``).

    Returns
    -------
    pandas.DataFrame
        One row per region and cluster: ``lq`` (and ``strong``), ``actors``
        and one count per kind, ``links_inside`` (and per layer
        ``<layer>_inside``), ``links_outside``, ``density`` (links inside /
        possible pairs), ``links_per_actor``, ``share_in_region`` (of the
        links touching the group, the share whose other end is in the same
        region), ``institutions_tied`` (institutions outside the group linked
        to it), ``verdict``.

    Examples
    --------
    >>> import pandas as pd, clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["a", "b", "c"], "name": ["A", "B", "C"], "kind": "firm",
    ...      "sector": ["29.10", "29.32", "62.01"], "region": ["R1", "R1", "R1"]},
    ...     {"source": ["b"], "target": ["a"], "layer": ["supply"]})
    >>> lq = pd.DataFrame({"region": ["R1", "R1"], "cluster": ["Auto", "IT"], "lq": [2.5, 0.4]})
    >>> out = linked_specialisation(net, lq, mapping={"29.10": "Auto", "29.32": "Auto",
    ...                                               "62.01": "IT"}, min_links_per_actor=0.5)
    >>> out[["cluster", "actors", "links_inside", "verdict"]].values.tolist()
    [['Auto', 2, 1, 'specialised and linked'], ['IT', 1, 0, 'neither']]
    """
    nodes = net.nodes
    for col in ("sector", "region"):
        if col not in nodes.columns:
            msg = f"linked_specialisation needs a {col!r} column in the node table"
            raise InputError(msg)
    missing = [c for c in ("region", "cluster", "lq") if c not in lq.columns]
    if missing:
        msg = f"`lq` lacks column(s) {missing}: pass the output of location_quotients"
        raise ConfigError(msg)
    mp = prepare_mapping(mapping)
    sector = nodes["sector"].astype("string").str.strip()
    cluster = sector.map(mp["cluster"]).astype(object)
    region = nodes["region"].astype("string").str.strip().astype(object)
    placed = cluster.notna() & region.notna()
    if (~placed).any():
        log.info(
            "linked_specialisation: %d actors have no mapped sector or no region (in no group)",
            int((~placed).sum()),
        )
    if not placed.any():
        msg = "no actor's sector matches the mapping (check the codes and the sector column)"
        raise InputError(msg)
    joined = (region.astype(str) + "\x1f" + cluster.astype(str)).astype(object)
    key = joined.where(placed.to_numpy(), None)
    groups = pd.DataFrame(
        {"region": region[placed], "cluster": cluster[placed], "kind": nodes["kind"][placed]}
    ).assign(key=key[placed])
    kinds = pd.crosstab(groups["key"], groups["kind"])
    table = groups.drop_duplicates("key").set_index("key")[["region", "cluster"]]
    table["actors"] = groups.groupby("key").size()
    for kind in NODE_KINDS:
        if kind in kinds.columns:
            table[f"{kind}s" if kind != "industry" else "industries"] = kinds[kind]
    e = net.select(layers=layers).edges if layers is not None else net.edges
    e = e[e["source"] != e["target"]]
    ks = key.reindex(e["source"]).to_numpy()
    kt = key.reindex(e["target"]).to_numpy()
    inside = (ks == kt) & pd.notna(ks)
    table["links_inside"] = (
        pd.Series(ks[inside]).value_counts().reindex(table.index).fillna(0).astype(int)
    )
    for layer in sorted(e["layer"].unique()):
        sel = inside & (e["layer"].to_numpy() == layer)
        counts = pd.Series(ks[sel]).value_counts()
        table[f"{layer}_inside"] = counts.reindex(table.index).fillna(0).astype(int)
    # one row per (link, group it touches from outside): both ends when they differ
    rs = region.reindex(e["source"]).to_numpy()
    rt = region.reindex(e["target"]).to_numpy()
    ends = pd.DataFrame(
        {
            "key": np.concatenate([ks, kt]),
            "other": np.concatenate([e["target"].to_numpy(), e["source"].to_numpy()]),
            "own_region": np.concatenate([rs, rt]),
            "other_region": np.concatenate([rt, rs]),
            "inside": np.concatenate([inside, inside]),
        }
    )
    ends = ends[pd.notna(ends["key"])]
    outside = ends[~ends["inside"]]
    table["links_outside"] = (
        outside.groupby("key").size().reindex(table.index).fillna(0).astype(int)
    )
    same = (outside["own_region"] == outside["other_region"]).groupby(outside["key"]).sum()
    touching = table["links_inside"] + table["links_outside"]
    local = table["links_inside"] + same.reindex(table.index).fillna(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["share_in_region"] = (local / touching).where(touching > 0)
    n = table["actors"]
    pairs = e.assign(k=ks)[inside]
    a = np.minimum(pairs["source"].to_numpy(dtype=object), pairs["target"].to_numpy(dtype=object))
    b = np.maximum(pairs["source"].to_numpy(dtype=object), pairs["target"].to_numpy(dtype=object))
    unique_pairs = pd.DataFrame({"k": pairs["k"].to_numpy(), "a": a, "b": b}).drop_duplicates()
    linked_pairs = unique_pairs.groupby("k").size().reindex(table.index).fillna(0)
    possible = n * (n - 1) / 2
    table["density"] = (linked_pairs / possible).where(possible > 0, 0.0)
    table["links_per_actor"] = table["links_inside"] / n
    inst = nodes.index[nodes["kind"] == "institution"]
    tied = outside[outside["other"].isin(inst)].drop_duplicates(["key", "other"])
    table["institutions_tied"] = (
        tied.groupby("key").size().reindex(table.index).fillna(0).astype(int)
    )
    cols = ["region", "cluster", "lq"] + (["strong"] if "strong" in lq.columns else [])
    lq_part = lq[cols].copy()
    lq_part["region"] = lq_part["region"].astype(str)
    lq_part["cluster"] = lq_part["cluster"].astype(str)
    out = table.reset_index(drop=True).merge(lq_part, on=["region", "cluster"], how="left")
    if "strong" in out.columns:
        out["strong"] = out["strong"].astype("boolean").fillna(False).astype(bool)
    specialised = out["lq"] >= min_lq
    linked = out["links_per_actor"] >= min_links_per_actor
    verdict = np.select(
        [specialised & linked, specialised, linked],
        list(VERDICTS[:3]),
        default=VERDICTS[3],
    )
    out["verdict"] = np.where(out["lq"].isna(), _NO_LQ, verdict)
    front = cols + [c for c in out.columns if c not in cols]
    out = out[front].sort_values(["region", "cluster"]).reset_index(drop=True)
    rule = (
        f"specialised: LQ >= {min_lq:g}; linked: links among the group's own actors "
        f">= {min_links_per_actor:g} per actor"
    )
    return stamp(
        out,
        method="linked_specialisation",
        parameters={"min_lq": min_lq, "min_links_per_actor": min_links_per_actor},
        layers=None if layers is None else ([layers] if isinstance(layers, str) else layers),
        rule=rule,
    )
