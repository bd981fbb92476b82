"""The :class:`Partition` of a cluster into sub-clusters, and comparing partitions.

A partition assigns every actor to one community (a sub-cluster: actors
more tightly linked with each other than with the rest). Communities are
numbered from 1 by size, largest first, ties broken by the smallest member
id, so that the same partition always reads the same way.

:func:`~clustermap.find_communities` makes partitions; this module holds the
result object, its quality measures, its community profiles and
:func:`compare_partitions`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import pandas as pd

from clustermap._provenance import _jsonable, stamp
from clustermap._suppress import check_min_count, suppress_values
from clustermap.errors import ConfigError, InputError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["Partition", "PartitionComparison", "compare_partitions"]

log = logging.getLogger(__name__)


# --------------------------------------------------------------------- helpers


def renumber(labels: Sequence[int] | np.ndarray, ids: pd.Index) -> np.ndarray:
    """Number communities from 1 by size, largest first, ties by the smallest member id.

    Parameters
    ----------
    labels : array of int
        Any community label per actor, in the order of ``ids``.
    ids : pandas.Index
        The actor ids (strings), compared as text to break ties.

    Returns
    -------
    numpy.ndarray
        The new community number (1, 2, ...) of each actor.

    Examples
    --------
    >>> import pandas as pd
    >>> renumber([7, 7, 3, 3, 5], pd.Index(["e", "d", "c", "a", "b"])).tolist()
    [2, 2, 1, 1, 3]
    """
    raw = np.asarray(labels)
    n = len(raw)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    _, inverse = np.unique(raw, return_inverse=True)
    inverse = inverse.reshape(-1)
    k = int(inverse.max()) + 1
    sizes = np.bincount(inverse, minlength=k)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(np.asarray(ids, dtype=str), kind="stable")] = np.arange(n)
    smallest = np.full(k, n, dtype=np.int64)
    np.minimum.at(smallest, inverse, rank)
    order = np.lexsort((smallest, -sizes))
    new = np.empty(k, dtype=np.int64)
    new[order] = np.arange(1, k + 1)
    return new[inverse]


def _similarity(
    a: Sequence[int] | np.ndarray, b: Sequence[int] | np.ndarray
) -> tuple[float, float]:
    """Adjusted Rand index and normalised mutual information of two labelings.

    igraph computes both (NMI normalised by the arithmetic mean of the two
    entropies, as Danon et al. 2005). Where ARI is undefined (both labelings
    trivial), identical labelings score 1 and different ones 0, as
    scikit-learn does.
    """
    la = np.asarray(a).tolist()
    lb = np.asarray(b).tolist()
    ari = float(ig.compare_communities(la, lb, method="adjusted_rand"))
    nmi = float(ig.compare_communities(la, lb, method="nmi"))
    if not np.isfinite(ari):
        ari = 1.0 if float(ig.compare_communities(la, lb, method="split-join")) == 0 else 0.0
    return ari, nmi


def mean_pairwise_similarity(labelings: Sequence[np.ndarray]) -> tuple[float, float]:
    """Mean adjusted Rand index and NMI over every pair of labelings."""
    aris, nmis = [], []
    for i in range(len(labelings)):
        for j in range(i + 1, len(labelings)):
            ari, nmi = _similarity(labelings[i], labelings[j])
            aris.append(ari)
            nmis.append(nmi)
    if not aris:
        return 1.0, 1.0
    return float(np.mean(aris)), float(np.mean(nmis))


def quality_of(
    graph: ig.Graph,
    membership: np.ndarray,
    weights: np.ndarray | None,
    ends: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, Any]:
    """Modularity, coverage, sizes and conductance of a partition of an undirected graph.

    ``membership`` holds community numbers 1..k in vertex order; ``weights``
    are the edge weights used (``None``: every edge counts 1); ``ends``, the
    graph's edge endpoints in edge order when the caller has them (reading
    them back from igraph builds a Python tuple per edge).
    """
    k = int(membership.max()) if len(membership) else 0
    labels0 = (membership - 1).tolist()
    modularity = float(
        graph.modularity(labels0, weights=None if weights is None else weights.tolist())
    )
    if ends is None:
        edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        ends = (edges[:, 0], edges[:, 1])
    w = np.ones(len(ends[0])) if weights is None else np.asarray(weights, dtype=np.float64)
    cu = membership[ends[0]] - 1
    cv = membership[ends[1]] - 1
    inside = cu == cv
    total = float(w.sum())
    internal = np.bincount(cu[inside], weights=w[inside], minlength=k)
    cut = np.bincount(cu[~inside], weights=w[~inside], minlength=k) + np.bincount(
        cv[~inside], weights=w[~inside], minlength=k
    )
    volume = 2 * internal + cut
    denominator = np.minimum(volume, 2 * total - volume)
    with np.errstate(invalid="ignore", divide="ignore"):
        conductance = np.where(
            denominator > 0, cut / np.where(denominator > 0, denominator, 1), np.nan
        )
    sizes = np.bincount(membership - 1, minlength=k)
    return {
        "modularity": modularity,
        "coverage": float(internal.sum() / total) if total > 0 else float("nan"),
        "n_communities": k,
        "sizes": sizes.tolist(),
        "singletons": int((sizes == 1).sum()),
        "conductance": [None if not np.isfinite(c) else float(c) for c in conductance],
    }


def _as_membership(obj: Partition | pd.Series, argument: str) -> pd.Series:
    if isinstance(obj, Partition):
        return obj.membership
    if isinstance(obj, pd.Series):
        return obj
    msg = f"`{argument}` must be a Partition or a membership Series, not {type(obj).__name__}"
    raise ConfigError(msg)


# ------------------------------------------------------------------- Partition


@dataclass(frozen=True, eq=False)
class Partition:
    """A partition of the cluster into communities (sub-clusters), and how it was found.

    Made by :func:`~clustermap.find_communities`; not usually built by hand.

    Attributes
    ----------
    membership : pandas.Series
        Community number (int, from 1) of every actor, indexed by id, named
        ``community``. Communities are numbered by size, largest first, ties
        broken by the smallest member id.
    method : str
        The algorithm ("leiden", "louvain", "label_propagation", "infomap").
    parameters : dict
        The options it ran with (resolution, weighted, runs...).
    seed : int or None
        The seed of the first run (run ``i`` used ``seed + i``).
    layers : list of str
        The layers whose links were used.
    quality : dict
        ``modularity`` (Newman 2006, resolution 1, computed with the weights
        actually used, direction dropped), ``objective`` (what the method
        optimised: modularity at the resolution used, or Infomap's
        codelength), ``coverage`` (share of link weight inside communities),
        ``n_communities``, ``sizes``, ``singletons`` and ``conductance`` (one
        value per community, in community order: weight of links leaving it
        over the smaller of its volume and the rest's; lower is better
        separated; ``None`` for a community without links).
    stability : dict or None
        With ``runs > 1``: ``runs``, mean pairwise ``ari`` (adjusted Rand
        index) and ``nmi`` (normalised mutual information) between the runs'
        partitions, and the range of the quality across runs.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": list("abcdef"), "name": list("ABCDEF"), "kind": "firm"},
    ...     {"source": list("abadedc"), "target": list("bcceffd"), "layer": "knowledge"},
    ... )
    >>> part = cm.find_communities(net, seed=1)
    >>> part.membership.tolist()
    [1, 1, 1, 2, 2, 2]
    >>> round(part.quality["modularity"], 4)
    0.3571
    """

    membership: pd.Series
    method: str
    parameters: dict[str, Any]
    seed: int | None
    layers: list[str]
    quality: dict[str, Any]
    stability: dict[str, Any] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    #: Tables built from this partition and a network (profiles, labels), built once:
    #: the Excel sheets and the view reuse what the analysis computed.
    _memo: dict[tuple[Any, ...], tuple[Any, Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self.provenance:
            record = stamp(
                pd.Series(dtype=float),
                method=self.method,
                parameters=self.parameters,
                seed=self.seed,
                layers=self.layers,
                quality=self.quality,
                stability=self.stability,
            ).attrs
            object.__setattr__(self, "provenance", dict(record))
        self.membership.attrs.update(dict(self.provenance))

    def _stamped(self, df: Any) -> Any:
        df.attrs.update(dict(self.provenance))
        return df

    def __repr__(self) -> str:
        q = self.quality
        return (
            f"<Partition: {q['n_communities']} communities of {len(self.membership)} actors "
            f"({self.method}, modularity {q['modularity']:.4f})>"
        )

    # ---------------------------------------------------------------- basics

    @property
    def n_communities(self) -> int:
        """Number of communities."""
        return int(self.quality["n_communities"])

    @property
    def sizes(self) -> pd.Series:
        """Number of actors per community, indexed by community number."""
        sizes = pd.Series(
            self.quality["sizes"],
            index=pd.RangeIndex(1, self.n_communities + 1, name="community"),
            name="size",
        )
        return self._stamped(sizes)

    def members(self, community: int) -> list[str]:
        """The ids of the actors in ``community`` (in node order).

        Examples
        --------
        >>> import clustermap as cm
        >>> net = cm.from_tables(
        ...     {"id": list("abcd"), "name": list("ABCD"), "kind": "firm"},
        ...     {"source": ["a", "c"], "target": ["b", "d"], "layer": "knowledge"},
        ... )
        >>> cm.find_communities(net, seed=1).members(2)
        ['c', 'd']
        """
        if community not in range(1, self.n_communities + 1):
            msg = f"`community` must be between 1 and {self.n_communities}, not {community!r}"
            raise ConfigError(msg)
        m = self.membership
        return m.index[m.to_numpy() == community].tolist()

    def communities(self, *, min_count: int | None = None) -> pd.DataFrame:
        """One row per community: size and conductance (lower: better separated).

        With ``min_count``, sizes from 1 to ``min_count - 1`` are shown as
        ``"<k"`` and ``.attrs["suppression"]`` says so (see :meth:`profiles`).

        Examples
        --------
        >>> import clustermap as cm
        >>> net = cm.from_tables(
        ...     {"id": list("abcd"), "name": list("ABCD"), "kind": "firm"},
        ...     {"source": ["a", "c", "b"], "target": ["b", "d", "c"], "layer": "knowledge"},
        ... )
        >>> cm.find_communities(net, seed=1).communities()["conductance"].tolist()
        [0.3333333333333333, 0.3333333333333333]
        """
        table = pd.DataFrame(
            {
                "size": self.quality["sizes"],
                "conductance": pd.to_numeric(
                    pd.Series(self.quality["conductance"], dtype=object), errors="coerce"
                ).to_numpy(dtype=float),
            },
            index=pd.RangeIndex(1, self.n_communities + 1, name="community"),
        )
        check_min_count(min_count)
        if min_count is not None:
            table = suppress_values(table, ["size"], min_count)
        return self._stamped(table)

    def _check_net(self, net: ClusterNetwork) -> None:
        ids = net.nodes.index
        if len(ids) != len(self.membership) or not ids.equals(self.membership.index):
            missing = self.membership.index.difference(ids)
            msg = (
                "this partition was found on another network: "
                f"{len(missing)} of its actors are not in `net`"
                if len(missing)
                else "this partition was found on another network (its actors differ from `net`)"
            )
            raise InputError(msg)

    # -------------------------------------------------------------- profiles

    def profiles(
        self,
        net: ClusterNetwork,
        *,
        centrality: pd.Series | None = None,
        min_count: int | None = None,
    ) -> pd.DataFrame:
        """Describe each community so an analyst can read it: who is in it, what it does.

        One row per community, indexed by community number:

        - ``label``: a short name from the dominant sector and region
          ("Castings & machining (C24-C25), West Midlands"), using
          ``sector_name`` / ``region_name`` when the node table has them and
          the codes otherwise; ``Community k`` when it has neither;
          repeated labels get ``#2``, ``#3``...
        - ``size``, and ``firms``, ``suppliers``, ``institutions`` (counts by kind);
        - ``main_sector``, ``main_sector_share``, ``sectors`` (the top three
          with their shares), and the same for regions (when the node table
          has ``sector`` / ``region``);
        - ``institutions_present``: names of the institutions in it;
        - ``top_members``: the names of the five members with the highest
          ``centrality`` (degree, i.e. number of partners over the
          partition's layers, when none is given);
        - ``internal_links``, ``external_links`` (rows of the edge table over
          the partition's layers with both ends / one end inside),
          ``internal_weight``, ``external_weight``;
        - ``internal_density``: linked pairs inside over possible pairs
          (direction dropped; empty for a community of one);
        - ``share_<layer>``: the share of the internal links in each layer
          (``share_supply``, ``share_knowledge``...); empty without internal links;
        - ``conductance``: as in :attr:`quality`.

        Parameters
        ----------
        net : ClusterNetwork
            The network the partition was found on.
        centrality : pandas.Series, optional
            A score per actor (one column of a centrality table) used to
            pick the top members.
        min_count : int, optional
            For confidential data (surveys, VAT records): counts of actors
            and links from 1 to ``min_count - 1`` (``size``, ``firms``,
            ``suppliers``, ``institutions``, ``internal_links``,
            ``external_links``) are shown as ``"<k"``, and so are the main
            sector / region shares and the shares in ``sectors`` /
            ``regions`` that rest on fewer actors. ``.attrs["suppression"]``
            records the threshold and how many cells of each column were
            hidden. Names are not hidden (that is ``anonymize=`` in writers
            and views).

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import clustermap as cm
        >>> net = cm.from_tables(
        ...     {"id": list("abcdef"), "name": list("ABCDEF"), "kind": "firm",
        ...      "sector": ["C24", "C24", "C25", "J62", "J62", "J62"], "region": "UKG"},
        ...     {"source": list("abadedc"), "target": list("bcceffd"), "layer": "knowledge"},
        ... )
        >>> prof = cm.find_communities(net, seed=1).profiles(net)
        >>> prof["label"].tolist()
        ['C24, UKG', 'J62, UKG']
        >>> prof[["size", "internal_links", "external_links"]].values.tolist()
        [[3, 3, 1], [3, 3, 1]]
        >>> hidden = cm.find_communities(net, seed=1).profiles(net, min_count=3)
        >>> hidden[["size", "internal_links", "external_links"]].values.tolist()
        [[3, 3, '<3'], [3, 3, '<3']]
        >>> hidden[["main_sector_share", "sectors"]].values.tolist()
        [['<3', 'C24 (<3), C25 (<3)'], [1.0, 'J62 (100%)']]
        >>> hidden.attrs["suppression"]["by_column"]
        {'external_links': 2, 'main_sector_share': 1, 'sectors': 2}
        """
        from clustermap.analysis._profiles import build_profiles

        self._check_net(net)
        if centrality is not None and not isinstance(centrality, pd.Series):
            msg = (
                "`centrality` must be a Series (one score per actor), e.g. "
                "table['betweenness'], not " + type(centrality).__name__
            )
            raise ConfigError(msg)
        check_min_count(min_count)

        def build() -> pd.DataFrame:
            table = build_profiles(self, net, centrality, min_count)
            table.insert(len(table.columns), "conductance", self.communities()["conductance"])
            return table

        if centrality is not None:  # a score given by the caller: not remembered
            return self._stamped(build())
        return self._stamped(self._remembered(net, ("profiles", min_count), build).copy())

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without what it remembers (that would pickle whole networks)."""
        state = dict(self.__dict__)
        state["_memo"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _remembered(self, net: ClusterNetwork, key: tuple[Any, ...], build: Any) -> Any:
        """``build()``, computed once per network (both are immutable).

        The network is kept with the result, so its identity cannot be reused
        by another network while the result is remembered.
        """
        full = (id(net), *key)
        held = self._memo.get(full)
        if held is None or held[0] is not net:
            held = self._memo[full] = (net, build())
        return held[1]

    def labels(self, net: ClusterNetwork) -> pd.Series:
        """The short label of each community (see :meth:`profiles`), indexed by community.

        Examples
        --------
        >>> import clustermap as cm
        >>> net = cm.from_tables(
        ...     {"id": list("abcd"), "name": list("ABCD"), "kind": "firm"},
        ...     {"source": ["a", "c"], "target": ["b", "d"], "layer": "knowledge"},
        ... )
        >>> cm.find_communities(net, seed=1).labels(net).tolist()
        ['Community 1', 'Community 2']
        """
        from clustermap.analysis._profiles import community_labels

        self._check_net(net)
        labels = self._remembered(net, ("labels",), lambda: community_labels(self, net))
        return self._stamped(labels.copy())

    # --------------------------------------------------------------- outputs

    def to_frame(
        self,
        net: ClusterNetwork | None = None,
        *,
        centrality: pd.Series | None = None,
        min_count: int | None = None,
    ) -> pd.DataFrame:
        """The community list: one row per actor, indexed by id.

        Columns: ``name`` and ``kind`` (when ``net`` is given),
        ``community``, ``community_label`` (when ``net`` is given),
        ``community_size``, and the actor's ``centrality`` score under the
        Series' own name when it is given. Rows are sorted by community,
        then by the score (highest first) or the id. With ``min_count``,
        community sizes below it are shown as ``"<k"`` (see :meth:`profiles`).

        Examples
        --------
        >>> import clustermap as cm
        >>> net = cm.from_tables(
        ...     {"id": list("abcd"), "name": list("ABCD"), "kind": "firm"},
        ...     {"source": ["a", "c"], "target": ["b", "d"], "layer": "knowledge"},
        ... )
        >>> cm.find_communities(net, seed=1).to_frame(net).columns.tolist()
        ['name', 'kind', 'community', 'community_label', 'community_size']
        """
        m = self.membership
        frame = pd.DataFrame(index=m.index.copy())
        if net is not None:
            self._check_net(net)
            nodes = net.nodes
            frame["name"] = nodes["name"]
            frame["kind"] = nodes["kind"]
        frame["community"] = m.to_numpy()
        if net is not None:
            labels = self.labels(net)
            frame["community_label"] = labels.reindex(m.to_numpy()).to_numpy()
        frame["community_size"] = np.asarray(self.quality["sizes"], dtype=np.int64)[
            m.to_numpy() - 1
        ]
        keys = ["community"]
        ascending = [True]
        if centrality is not None:
            if not isinstance(centrality, pd.Series):
                msg = "`centrality` must be a Series (one score per actor)"
                raise ConfigError(msg)
            col = str(centrality.name or "centrality")
            if col in frame.columns:
                col = f"{col}_score"
            frame[col] = centrality.reindex(frame.index).to_numpy()
            keys.append(col)
            ascending.append(False)
        frame["_id"] = frame.index.to_numpy(dtype=str)
        frame = frame.sort_values([*keys, "_id"], ascending=[*ascending, True], kind="stable")
        frame = frame.drop(columns="_id")
        frame.index.name = "id"
        check_min_count(min_count)
        if min_count is not None:
            frame = suppress_values(frame, ["community_size"], min_count)
        return self._stamped(frame)

    def to_sheets(
        self,
        net: ClusterNetwork | None = None,
        *,
        centrality: pd.Series | None = None,
        min_count: int | None = None,
    ) -> dict[str, pd.DataFrame]:
        """The tables of an Excel file: ``membership``, ``profiles`` (or ``communities``).

        With ``net``, ``membership`` has id, name, kind, community,
        community label, community size and the ``centrality`` score when
        given, and ``profiles`` describes each community
        (:meth:`profiles`). Without ``net``, ``membership`` has the community
        numbers and ``communities`` their sizes and conductance. ``min_count``
        hides small counts in every sheet (see :meth:`profiles`). Give the
        result to :func:`~clustermap.write_excel`, which adds the ``about``
        sheet (method, parameters, seed, quality, date, version, inputs).

        Examples
        --------
        >>> import clustermap as cm, tempfile, pathlib
        >>> net = cm.from_tables(
        ...     {"id": list("abcd"), "name": list("ABCD"), "kind": "firm"},
        ...     {"source": ["a", "c"], "target": ["b", "d"], "layer": "knowledge"},
        ... )
        >>> part = cm.find_communities(net, seed=1)
        >>> list(part.to_sheets(net))
        ['membership', 'profiles']
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "communities.xlsx"
        >>> _ = cm.write_excel(part.to_sheets(net), out)
        """
        membership = self.to_frame(net, centrality=centrality, min_count=min_count)
        if net is None:
            sheets = {
                "membership": membership,
                "communities": self.communities(min_count=min_count),
            }
        else:
            profiles = self.profiles(net, centrality=centrality, min_count=min_count)
            sheets = {"membership": membership, "profiles": profiles}
        if min_count is not None:
            # one record for the whole file, whichever sheet an export reads it from
            records = {name: sheet.attrs["suppression"] for name, sheet in sheets.items()}
            combined = dict(records["membership"])
            combined["by_column"] = {
                f"{name}.{col}": n
                for name, r in records.items()
                for col, n in r["by_column"].items()
            }
            combined["cells_suppressed"] = sum(r["cells_suppressed"] for r in records.values())
            for sheet in sheets.values():
                sheet.attrs["suppression"] = combined
        return sheets

    def to_json(self) -> str:
        """The partition as JSON text: how it was made, its quality, the communities.

        ``{"meta": {...}, "communities": [{"community": 1, "size": 3,
        "members": [ids]}, ...], "data": [{"id": ..., "community": ...}, ...]}``

        Examples
        --------
        >>> import clustermap as cm, json
        >>> net = cm.from_tables(
        ...     {"id": list("abcd"), "name": list("ABCD"), "kind": "firm"},
        ...     {"source": ["a", "c"], "target": ["b", "d"], "layer": "knowledge"},
        ... )
        >>> doc = json.loads(cm.find_communities(net, seed=1).to_json())
        >>> doc["communities"][0]
        {'community': 1, 'size': 2, 'members': ['a', 'b']}
        """
        m = self.membership
        order = np.argsort(m.to_numpy(), kind="stable")
        bounds = np.cumsum(self.quality["sizes"])[:-1]
        groups = np.split(m.index.to_numpy()[order], bounds)
        communities = [
            {"community": c, "size": len(idx), "members": [str(x) for x in idx]}
            for c, idx in enumerate(groups, start=1)
        ]
        data = [{"id": str(i), "community": int(c)} for i, c in m.items()]
        doc = {"meta": _jsonable(dict(self.provenance)), "communities": communities, "data": data}
        return json.dumps(doc, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ comparison


@dataclass(frozen=True)
class PartitionComparison:
    """How much two partitions agree: ARI, NMI and the cross-table.

    Attributes
    ----------
    ari : float
        Adjusted Rand index (Hubert & Arabie 1985): 1 for identical
        partitions, about 0 for unrelated ones.
    nmi : float
        Normalised mutual information (Danon et al. 2005): 1 identical, 0
        independent.
    cross_table : pandas.DataFrame
        Actors in community ``i`` of the first (rows) and ``j`` of the second
        (columns).
    n_actors : int
        Actors compared (those in both).
    provenance : dict
    """

    ari: float
    nmi: float
    cross_table: pd.DataFrame
    n_actors: int
    provenance: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """The cross-table (rows: first partition's communities)."""
        return self.cross_table

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Sheets for Excel: ``agreement`` (ARI, NMI, actors) and ``cross_table``."""
        agreement = pd.DataFrame(
            {"value": [self.ari, self.nmi, self.n_actors]},
            index=pd.Index(["ari", "nmi", "actors"], name="measure"),
        )
        agreement.attrs.update(self.provenance)
        return {"agreement": agreement, "cross_table": self.cross_table}


def compare_partitions(a: Partition | pd.Series, b: Partition | pd.Series) -> PartitionComparison:
    """Say how much two partitions of the same actors agree.

    Useful to check that sub-clusters are robust (two seeds, two methods,
    two resolutions) or that they match a known grouping (official cluster
    definitions, trade associations).

    The adjusted Rand index counts pairs of actors put together or apart
    by both, corrected for chance (Hubert & Arabie 1985, *J. Classif.* 2:193);
    NMI is :math:`2 I(A;B) / (H(A) + H(B))` (Danon et al. 2005, *J. Stat.
    Mech.* P09008). Both are 1 for identical partitions. Only actors present
    in both are compared.

    Parameters
    ----------
    a, b : Partition or pandas.Series
        Partitions, or any grouping as a Series (id -> label).

    Returns
    -------
    PartitionComparison

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.Series([1, 1, 2, 2], index=list("wxyz"))
    >>> b = pd.Series(["p", "p", "p", "q"], index=list("wxyz"))
    >>> cmp = compare_partitions(a, b)
    >>> round(cmp.ari, 4), round(cmp.nmi, 4)
    (0.0, 0.3437)
    >>> cmp.cross_table.values.tolist()
    [[2, 0], [1, 1]]
    """
    ma = _as_membership(a, "a")
    mb = _as_membership(b, "b")
    common = ma.index.intersection(mb.index, sort=False)
    if len(common) == 0:
        msg = "the two partitions have no actor in common"
        raise InputError(msg)
    dropped = len(ma) + len(mb) - 2 * len(common)
    if dropped:
        log.info(
            "compare_partitions: %d actors are in only one partition and were left out", dropped
        )
    va = ma.reindex(common)
    vb = mb.reindex(common)
    if va.isna().any() or vb.isna().any():
        msg = "a partition has actors without a community (missing values)"
        raise InputError(msg)
    codes_a, _ = pd.factorize(va, sort=True)
    codes_b, _ = pd.factorize(vb, sort=True)
    ari, nmi = _similarity(codes_a, codes_b)
    cross = pd.crosstab(va.to_numpy(), vb.to_numpy())
    cross.index.name = f"{ma.name or 'a'} (a)" if ma.name != mb.name else "a"
    cross.columns.name = f"{mb.name or 'b'} (b)" if ma.name != mb.name else "b"
    cross.attrs.update(
        stamp(
            pd.Series(dtype=float),
            method="compare_partitions",
            parameters={"actors": len(common)},
            ari=ari,
            nmi=nmi,
        ).attrs
    )
    return PartitionComparison(
        ari=ari,
        nmi=nmi,
        cross_table=cross,
        n_actors=len(common),
        provenance={str(k): v for k, v in cross.attrs.items()},
    )
