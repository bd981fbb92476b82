"""National cluster templates: communities of the input-output network (Feser & Bergman 2000).

Industries that buy from and sell to each other a lot, relative to their
size, form a *value chain*: a template of what a regional cluster could hold.
:func:`cluster_templates` finds those groups in an industry network built by
:func:`~clustermap.from_io_tables` and compares them with a reference
definition (the US benchmark clusters, through a crosswalk:
:func:`reference_clusters`) with :func:`~clustermap.compare_partitions`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustermap._provenance import stamp
from clustermap.analysis._regional_tables import prepare_mapping, source_name
from clustermap.analysis.communities import find_communities
from clustermap.analysis.partition import Partition, PartitionComparison, compare_partitions
from clustermap.errors import ConfigError, EmptyNetworkError, InputError
from clustermap.graphs.network import ClusterNetwork

__all__ = ["ClusterTemplates", "cluster_templates", "reference_clusters"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClusterTemplates:
    """Cluster templates of an industry network and their agreement with a reference.

    Attributes
    ----------
    partition : Partition
        The templates (communities of the linkage network), numbered by size.
    members : pandas.DataFrame
        One row per industry: ``name``, ``template``, (``reference``).
    comparison : PartitionComparison or None
        ARI, NMI and the cross-table against the reference, when given.
    linkages : ClusterNetwork
        The undirected linkage network the templates were found in.
    provenance : dict
    """

    partition: Partition
    members: pd.DataFrame
    comparison: PartitionComparison | None
    linkages: ClusterNetwork
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The member table."""
        return self.members

    def agreement(self) -> pd.DataFrame:
        """Agreement figures: templates, reference clusters, industries compared, ARI, NMI."""
        rows: dict[str, Any] = {"templates": self.partition.n_communities}
        if self.comparison is not None:
            rows.update(
                {
                    "reference_clusters": int(self.members["reference"].nunique()),
                    "industries_compared": self.comparison.n_actors,
                    "ari": self.comparison.ari,
                    "nmi": self.comparison.nmi,
                }
            )
        out = pd.DataFrame(
            {"value": list(rows.values())}, index=pd.Index(list(rows), name="measure")
        )
        out.attrs.update(self.provenance)
        return out

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Sheets for Excel: ``templates``, ``agreement`` and (with a reference) ``cross_table``."""
        sheets = {"templates": self.members, "agreement": self.agreement()}
        if self.comparison is not None:
            sheets["cross_table"] = self.comparison.cross_table
        return sheets


def _linkage_network(io_net: ClusterNetwork, layers: Any) -> ClusterNetwork:
    """Symmetric linkage strength: the largest of the four shares of a pair's flows."""
    e = io_net.select(layers=layers).edges if layers is not None else io_net.edges
    e = e[e["source"] != e["target"]]
    if e.empty:
        msg = "the industry network has no links between different industries"
        raise EmptyNetworkError(msg)
    if {"buyer_share", "seller_share"} <= set(e.columns):
        share = np.maximum(e["buyer_share"].to_numpy(), e["seller_share"].to_numpy())
    else:
        w = e["weight"].to_numpy()
        out_total = e.groupby("source")["weight"].transform("sum").to_numpy()
        in_total = e.groupby("target")["weight"].transform("sum").to_numpy()
        share = np.maximum(w / out_total, w / in_total)
    a = np.minimum(e["source"].to_numpy(dtype=object), e["target"].to_numpy(dtype=object))
    b = np.maximum(e["source"].to_numpy(dtype=object), e["target"].to_numpy(dtype=object))
    strongest = (
        pd.DataFrame({"source": a, "target": b, "weight": share})
        .groupby(["source", "target"], as_index=False)["weight"]
        .max()
    )
    pairs = strongest[strongest["weight"] > 0].assign(layer="linkage")
    nodes = io_net.nodes
    return ClusterNetwork(nodes, pairs, directed={"linkage": False}, meta=io_net.meta)


def cluster_templates(
    io_net: ClusterNetwork,
    *,
    reference: pd.Series | None = None,
    min_linkage: float = 0.0,
    resolution: float = 1.0,
    method: str = "leiden",
    seed: int | None = None,
    layers: Any = None,
) -> ClusterTemplates:
    """Group industries into cluster templates by the strength of their input-output links.

    The linkage between two industries is the largest of the four shares of
    their flows (what *i* sells to *j* as a share of *i*'s sales and of *j*'s
    inputs, and the reverse): a normalisation in the spirit of Feser &
    Bergman (2000, *Regional Studies* 34:1), so that big industries do not
    swallow the small ones they depend on. Communities of that undirected
    network (:func:`~clustermap.find_communities`, Leiden by default) are the
    templates.

    Parameters
    ----------
    io_net : ClusterNetwork
        An industry network, e.g. from :func:`~clustermap.from_io_tables`.
    reference : pandas.Series, optional
        Industry id -> reference cluster (see :func:`reference_clusters`);
        the result then holds ARI, NMI and the cross-table.
    min_linkage : float
        Drop linkages weaker than this share before grouping (0 keeps all).
    resolution, method, seed
        Passed to :func:`~clustermap.find_communities`.
    layers : str or list, optional
        Layers of ``io_net`` to read (default all).

    Returns
    -------
    ClusterTemplates

    Examples
    --------
    >>> import pandas as pd
    >>> from clustermap.loaders.io_tables import from_io_tables
    >>> use = pd.DataFrame(0.0, index=list("abcd"), columns=list("abcd"))
    >>> use.loc["a", "b"] = use.loc["b", "a"] = 10
    >>> use.loc["c", "d"] = use.loc["d", "c"] = 10
    >>> use.loc["a", "c"] = 1
    >>> ref = pd.Series(list("xxyy"), index=list("abcd"))
    >>> t = cluster_templates(from_io_tables(use), reference=ref, seed=1)
    >>> t.members["template"].tolist(), round(t.comparison.ari, 3)
    ([1, 1, 2, 2], 1.0)
    """
    if not 0 <= min_linkage <= 1:
        msg = f"`min_linkage` must be between 0 and 1, not {min_linkage!r}"
        raise ConfigError(msg)
    linked = _linkage_network(io_net, layers)
    if min_linkage > 0:
        e = linked.edges
        linked = ClusterNetwork(
            linked.nodes, e[e["weight"] >= min_linkage], directed={"linkage": False}
        )
    part = find_communities(linked, method=method, resolution=resolution, seed=seed)
    members = pd.DataFrame(
        {"name": io_net.nodes["name"], "template": part.membership.reindex(io_net.nodes.index)}
    )
    comparison = None
    if reference is not None:
        ref = pd.Series(reference).dropna()
        ref.index = ref.index.astype(str)
        members["reference"] = ref.reindex(members.index)
        common = members.index.intersection(ref.index)
        if len(common) == 0:
            msg = "`reference` names none of the network's industries (check the codes)"
            raise InputError(msg)
        comparison = compare_partitions(
            part.membership.rename("template"), ref.rename("reference").astype(str)
        )
        log.info(
            "cluster_templates: %d templates vs %d reference clusters over %d industries: "
            "ARI %.3f, NMI %.3f",
            part.n_communities,
            ref.nunique(),
            comparison.n_actors,
            comparison.ari,
            comparison.nmi,
        )
    record = dict(
        stamp(
            members,
            method="cluster_templates",
            parameters={
                "min_linkage": min_linkage,
                "resolution": resolution,
                "method": method,
                "reference": reference is not None,
            },
            seed=part.seed,
            templates=part.n_communities,
            ari=None if comparison is None else comparison.ari,
            nmi=None if comparison is None else comparison.nmi,
        ).attrs
    )
    return ClusterTemplates(part, members, comparison, linked, record)


def reference_clusters(
    crosswalk: pd.DataFrame,
    mapping: Any,
    *,
    industry: str,
    code: str,
) -> pd.Series:
    """Map industries of one classification to benchmark clusters through a crosswalk.

    Each crosswalk row links an industry (e.g. a BEA detail code) to a code
    of the mapping's classification, possibly at a coarser level (``'3361'``
    stands for every 6-digit code that starts with it). Where the crosswalk
    lists a hierarchy for one industry (``'33'``, ``'336'``, ``'3361'``), only
    the most detailed codes count. An industry takes the
    cluster of most of its matched codes (ties: the first name in alphabetical
    order); its share of matched codes is in ``attrs["purity"]``.

    Parameters
    ----------
    crosswalk : pandas.DataFrame
        Rows industry -> code.
    mapping : table, Series or dict
        Code -> cluster (as for :func:`~clustermap.location_quotients`).
    industry, code : str
        Crosswalk columns of the industry and of the mapping's code.

    Returns
    -------
    pandas.Series
        Industry -> cluster, named ``reference``.

    Examples
    --------
    >>> import pandas as pd
    >>> cw = pd.DataFrame({"bea": ["A", "A", "A", "B"], "naics": ["33", "3361", "336390", "5112"]})
    >>> mp = {"336111": "Automotive", "336112": "Automotive", "336390": "Automotive",
    ...       "511210": "IT"}
    >>> reference_clusters(cw, mp, industry="bea", code="naics").to_dict()
    {'A': 'Automotive', 'B': 'IT'}
    """
    for col in (industry, code):
        if col not in crosswalk.columns:
            msg = (
                f"{source_name(crosswalk, 'the crosswalk')}: no column {col!r}; the columns are "
                f"{list(crosswalk.columns)}"
            )
            raise ConfigError(msg)
    mp = prepare_mapping(mapping)
    mp = mp[mp["cluster"].notna()]
    cw = pd.DataFrame(
        {"industry": crosswalk[industry].astype(str).str.strip(), "code": crosswalk[code]}
    ).dropna()
    cw["code"] = cw["code"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    cw = cw.drop_duplicates().sort_values(["industry", "code"]).reset_index(drop=True)
    # crosswalks list the whole hierarchy ('33', '336', '3361', '336111'): keep the leaves
    nxt = cw["code"].shift(-1).fillna("")
    same = cw["industry"].shift(-1) == cw["industry"]
    prefix = np.array([b.startswith(a) for a, b in zip(cw["code"], nxt, strict=True)])
    cw = cw[~(same.to_numpy() & prefix)]
    full = pd.DataFrame({"full": mp.index.astype(str), "cluster": mp["cluster"].to_numpy()})
    matched = []
    for length in sorted(cw["code"].str.len().unique()):
        part = cw[cw["code"].str.len() == length]
        keyed = full.assign(code=full["full"].str[:length])
        matched.append(part.merge(keyed, on="code"))
    hits = pd.concat(matched).drop_duplicates(["industry", "full"])
    counts = hits.groupby(["industry", "cluster"]).size().rename("n").reset_index()
    counts = counts.sort_values(["industry", "n", "cluster"], ascending=[True, False, True])
    best = counts.drop_duplicates("industry").set_index("industry")
    total = counts.groupby("industry")["n"].sum()
    out = best["cluster"].rename("reference")
    out.index.name = "industry"
    out.attrs["purity"] = (best["n"] / total.reindex(best.index)).to_dict()
    unmatched = sorted(set(cw["industry"]) - set(out.index))
    if unmatched:
        log.info(
            "reference_clusters: %d industries match no mapped code: %s",
            len(unmatched),
            unmatched[:10],
        )
    return out
