"""The model: :class:`ClusterNetwork`, two tables and a little metadata.

Tables are the truth. ``nodes`` has one row per actor (index ``id``, a
string) with at least ``name`` and ``kind``; ``edges`` has one row per
relation with at least ``source``, ``target``, ``layer`` and ``weight``.
Graph engines (igraph, networkx) are views built from the tables on demand;
igraph views are cached, since the network never changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from clustermap import settings
from clustermap.errors import ConfigError, InputError
from clustermap.graphs._lookup import positions
from clustermap.graphs.selection import KINDS, NODE_KINDS, Selection, resolve_selection

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "ClusterNetwork"]

log = logging.getLogger(__name__)

#: Recognised node columns (``id`` is the index); the first two are required.
NODE_COLUMNS: tuple[str, ...] = (
    "name",
    "kind",
    "category",
    "sector",
    "region",
    "lat",
    "lon",
    "employees",
    "founded",
)
#: Recognised edge columns; the first three are required, ``weight`` defaults to 1.
EDGE_COLUMNS: tuple[str, ...] = ("source", "target", "layer", "weight", "type", "year", "value")


def _layer_list(layers: str | Iterable[str] | None) -> list[str] | None:
    if layers is None:
        return None
    if isinstance(layers, str):
        return [layers]
    return list(dict.fromkeys(layers))


class ClusterNetwork:
    """A cluster of actors and their relations, as a node table and an edge table.

    Build one with a loader (:func:`~clustermap.from_tables`,
    :func:`~clustermap.read_tables`, :func:`~clustermap.make_cluster`...)
    rather than by hand: loaders validate user data and report every problem
    at once. The constructor checks the model's invariants only.

    The network is immutable: :meth:`select` and :meth:`annotate` return new
    networks, and :attr:`nodes` / :attr:`edges` return copies that can be
    changed freely without touching the network.

    Parameters
    ----------
    nodes : pandas.DataFrame
        Index ``id`` (strings); columns ``name``, ``kind`` and any others.
    edges : pandas.DataFrame
        Columns ``source``, ``target``, ``layer``, ``weight`` and any others.
    directed : mapping of str to bool, optional
        Whether each layer is directed. Layers not given follow
        ``settings.default_directed`` and are undirected when not listed there.
    meta : mapping, optional
        Free metadata (name of the network, input files), saved with it.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.make_cluster(n_actors=60, seed=1)
    >>> net.is_directed("supply"), net.is_directed("knowledge")
    (True, False)
    >>> sub = net.select(layers="knowledge", kinds=["firm", "institution"])
    >>> set(sub.edges["layer"])
    {'knowledge'}
    """

    __slots__ = ("_cache", "_directed", "_edges", "_meta", "_nodes")

    def __init__(
        self,
        nodes: pd.DataFrame,
        edges: pd.DataFrame,
        *,
        directed: Mapping[str, bool] | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self._setup(*self._normalise(nodes, edges, check=True), directed, meta)

    @classmethod
    def _from_checked(
        cls,
        nodes: pd.DataFrame,
        edges: pd.DataFrame,
        *,
        directed: Mapping[str, bool] | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> ClusterNetwork:
        """Build from tables a loader has already validated (dtypes are still fixed)."""
        net = cls.__new__(cls)
        net._setup(*cls._normalise(nodes, edges, check=False), directed, meta)
        return net

    def _setup(
        self,
        nodes: pd.DataFrame,
        edges: pd.DataFrame,
        directed: Mapping[str, bool] | None,
        meta: Mapping[str, Any] | None,
    ) -> None:
        layer_names = [str(x) for x in pd.unique(edges["layer"])]
        given = dict(directed or {})
        directions = {
            layer: bool(given.get(layer, settings.default_directed.get(layer, False)))
            for layer in [*layer_names, *given]
        }
        self._nodes = nodes
        self._edges = edges
        self._directed = directions
        self._meta = dict(meta or {})
        self._cache: dict[tuple[Any, ...], Any] = {}

    @staticmethod
    def _normalise(
        nodes: pd.DataFrame, edges: pd.DataFrame, *, check: bool
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Fix dtypes and, when ``check``, the model's invariants; vectorised."""
        missing = [c for c in ("name", "kind") if c not in nodes.columns]
        missing += [c for c in ("source", "target", "layer") if c not in edges.columns]
        if missing:
            msg = f"the network tables lack required column(s): {', '.join(missing)}"
            raise InputError(msg)
        nodes = nodes.copy()
        nodes.index = pd.Index(nodes.index.astype(str), name="id")
        edges = edges.reset_index(drop=True)
        for col in ("source", "target", "layer"):
            edges[col] = edges[col].astype(str)
        if "weight" not in edges.columns:
            edges["weight"] = 1.0
        edges["weight"] = pd.to_numeric(edges["weight"]).astype("float64")
        nodes["name"] = nodes["name"].astype(str)
        nodes["kind"] = nodes["kind"].astype(str)
        if not check:
            return nodes, edges
        if nodes.index.has_duplicates:
            dup = nodes.index[nodes.index.duplicated()].unique()[:5].tolist()
            msg = f"node ids must be unique; repeated: {dup}"
            raise InputError(msg)
        bad_kind = ~nodes["kind"].isin(NODE_KINDS)
        if bad_kind.any():
            bad = nodes["kind"][bad_kind].unique()[:5].tolist()
            msg = f"`kind` must be one of {', '.join(NODE_KINDS)}; found {bad}"
            raise InputError(msg)
        w = edges["weight"].to_numpy()
        if len(w) and not (np.isfinite(w) & (w > 0)).all():
            msg = "`weight` must be a finite number > 0 on every link"
            raise InputError(msg)
        known = (positions(nodes.index, edges["source"]) >= 0) & (
            positions(nodes.index, edges["target"]) >= 0
        )
        if not known.all():
            row = int(np.flatnonzero(~known)[0])
            msg = f"edge {row + 1} links an id that is not in the node table"
            raise InputError(msg)
        return nodes, edges

    @classmethod
    def _trusted(
        cls,
        nodes: pd.DataFrame,
        edges: pd.DataFrame,
        directed: Mapping[str, bool],
        meta: Mapping[str, Any],
    ) -> ClusterNetwork:
        """Build from tables already known to be valid (used by derivations)."""
        net = cls.__new__(cls)
        net._nodes = nodes
        net._edges = edges
        net._directed = dict(directed)
        net._meta = dict(meta)
        net._cache = {}
        return net

    # ------------------------------------------------------------------ tables

    @property
    def nodes(self) -> pd.DataFrame:
        """The node table (a copy: changing it does not change the network)."""
        return self._nodes.copy(deep=False)

    @property
    def edges(self) -> pd.DataFrame:
        """The edge table (a copy: changing it does not change the network)."""
        return self._edges.copy(deep=False)

    @property
    def directed(self) -> dict[str, bool]:
        """Whether each layer is directed."""
        return dict(self._directed)

    @property
    def meta(self) -> dict[str, Any]:
        """Free metadata saved with the network."""
        return dict(self._meta)

    @property
    def layers(self) -> list[str]:
        """The layers the network knows, in order of first appearance."""
        return list(self._directed)

    @property
    def n_nodes(self) -> int:
        """Number of actors."""
        return len(self._nodes)

    @property
    def n_edges(self) -> int:
        """Number of rows in the edge table (parallel links counted separately)."""
        return len(self._edges)

    def is_directed(self, layer: str) -> bool:
        """Return whether ``layer`` is directed."""
        self._check_layers([layer])
        return self._directed[layer]

    def __len__(self) -> int:
        return len(self._nodes)

    def __repr__(self) -> str:
        kinds = self._nodes["kind"].value_counts()
        k = ", ".join(f"{int(kinds.get(x, 0))} {x}" for x in NODE_KINDS if kinds.get(x, 0))
        layers = self._edges["layer"].value_counts()
        e = ", ".join(f"{layer} {int(layers.get(layer, 0))}" for layer in self._directed)
        return f"<ClusterNetwork: {self.n_nodes} actors ({k}); {self.n_edges} links ({e})>"

    def _check_layers(self, layers: Iterable[str]) -> None:
        unknown = [layer for layer in layers if layer not in self._directed]
        if unknown:
            allowed = ", ".join(map(repr, self._directed)) or "none (the network has no links)"
            asked = ", ".join(map(repr, unknown))
            msg = f"unknown layer(s) {asked}; `layers` must be among {allowed}"
            raise ConfigError(msg)

    # --------------------------------------------------------------- selection

    def resolve(self, selection: Selection, *, argument: str = "nodes") -> pd.Index:
        """Return the ids picked by a selection; see :func:`resolve_selection`."""
        return resolve_selection(self, selection, argument=argument)

    def select(
        self,
        *,
        layers: str | Iterable[str] | None = None,
        kinds: str | Iterable[str] | None = None,
        years: int | tuple[int, int] | Iterable[int] | None = None,
        nodes: Selection | None = None,
        drop_isolates: bool = False,
    ) -> ClusterNetwork:
        """Return a new network with only some layers, kinds, years or actors.

        Parameters
        ----------
        layers : str or list of str, optional
            Keep only the links of these layers (every actor stays).
        kinds : str or list of str, optional
            Keep only actors of these kinds and the links among them.
        years : int, (first, last) tuple or list of int, optional
            Keep only links dated in these years (a tuple is an inclusive
            range). Links without a year are dropped, and the log says how many.
        nodes : selection, optional
            Keep only these actors (see :func:`resolve_selection`) and the
            links among them.
        drop_isolates : bool
            Afterwards, drop actors left without any link.

        Returns
        -------
        ClusterNetwork
        """
        node_table = self._nodes
        edge_table = self._edges
        directed = dict(self._directed)
        layer_list = _layer_list(layers)
        if layer_list is not None:
            self._check_layers(layer_list)
            edge_table = edge_table[edge_table["layer"].isin(layer_list)]
            directed = {layer: directed[layer] for layer in layer_list}
        if kinds is not None:
            kind_list = _layer_list(kinds) or []
            bad = [k for k in kind_list if k not in NODE_KINDS]
            if bad:
                msg = (
                    f"unknown kind(s) {bad}; `kinds` must be among "
                    f"{', '.join(map(repr, NODE_KINDS))}"
                )
                raise ConfigError(msg)
            node_table = node_table[node_table["kind"].isin(kind_list)]
        if nodes is not None:
            ids = resolve_selection(self, nodes, argument="nodes")
            node_table = node_table[node_table.index.isin(ids)]
        if years is not None:
            if "year" not in edge_table.columns:
                msg = "`years` was given but the links have no `year` column"
                raise ConfigError(msg)
            if isinstance(years, tuple) and len(years) == 2:
                wanted = list(range(int(years[0]), int(years[1]) + 1))
            elif isinstance(years, int):
                wanted = [years]
            else:
                wanted = [int(y) for y in years]
            undated = int(edge_table["year"].isna().sum())
            if undated:
                log.info("select(years=...) dropped %d links that have no year", undated)
            edge_table = edge_table[edge_table["year"].isin(wanted)]
        if len(node_table) != len(self._nodes):
            keep = edge_table["source"].isin(node_table.index) & edge_table["target"].isin(
                node_table.index
            )
            edge_table = edge_table[keep]
        if drop_isolates:
            linked = pd.unique(np.concatenate([edge_table["source"], edge_table["target"]]))
            node_table = node_table[node_table.index.isin(linked)]
        return ClusterNetwork._trusted(
            node_table, edge_table.reset_index(drop=True), directed, self._meta
        )

    def annotate(
        self, data: pd.Series | pd.DataFrame, *, name: str | None = None
    ) -> ClusterNetwork:
        """Return a new network whose node table gains the columns of ``data``.

        ``data`` is indexed by node id (a result of an analysis, for example);
        actors it does not cover get missing values. Existing columns of the
        same name are replaced.

        Examples
        --------
        >>> import clustermap as cm, pandas as pd
        >>> net = cm.make_cluster(n_actors=60, seed=1)
        >>> deg = pd.Series(1.0, index=net.nodes.index, name="score")
        >>> "score" in net.annotate(deg).nodes.columns
        True
        """
        frame = data.to_frame(name or data.name or "value") if isinstance(data, pd.Series) else data
        frame = frame.reindex(self._nodes.index)
        protected = {"name", "kind"} & set(frame.columns)
        if protected:
            msg = f"annotate cannot replace the required column(s) {sorted(protected)}"
            raise ConfigError(msg)
        nodes = self._nodes.drop(columns=[c for c in frame.columns if c in self._nodes.columns])
        nodes = pd.concat([nodes, frame], axis=1)
        nodes.index.name = "id"
        return ClusterNetwork._trusted(nodes, self._edges, self._directed, self._meta)

    def snapshots(
        self,
        by: str = "year",
        *,
        window: int = 1,
        step: int = 1,
        cumulative: bool = False,
        periods: Iterable[tuple[int, int]] | None = None,
    ) -> dict[str, ClusterNetwork]:
        """Cut the network into periods, one network per period, in time order.

        A tie counts in the periods its year falls in; with ``cumulative=True``
        it counts from its year on (each period holds every tie up to its last
        year). Links without a year are left out (the log says how many).
        Actors present in a period are those with a tie in it, unless the node
        table has ``entered`` / ``exited`` columns (years): then an actor is
        present when it entered on or before the period's last year and had
        not exited before its first year (missing: open-ended), and only ties
        among present actors count.

        Parameters
        ----------
        by : str
            The link column holding the date, ``"year"`` by default (whole numbers).
        window : int
            Years per period (``window=3``: 2015-2017, 2016-2018... with ``step=1``).
        step : int
            Years between the starts of successive periods.
        cumulative : bool
            Each period holds every tie up to its last year.
        periods : list of (first, last) pairs, optional
            Explicit inclusive periods instead of ``window`` / ``step``, e.g.
            ``[(2014, 2016), (2018, 2020)]``.

        Returns
        -------
        dict of str to ClusterNetwork
            Labelled ``"2015"`` (one year) or ``"2014-2016"``; each network's
            ``meta`` has ``period``, ``period_first`` and ``period_last``.

        Raises
        ------
        ConfigError
            When ``by`` is not a link column, or ``window`` / ``step`` / ``periods``
            are not valid.
        EmptyNetworkError
            When no link has a date, or an explicit period has no links and no actors.

        Examples
        --------
        >>> import clustermap as cm
        >>> net = cm.from_tables(
        ...     {"id": list("abc"), "name": list("ABC"), "kind": "firm"},
        ...     {"source": ["a", "b", "a"], "target": ["b", "c", "c"],
        ...      "layer": "knowledge", "year": [2018, 2019, 2020]},
        ... )
        >>> {k: v.n_edges for k, v in net.snapshots().items()}
        {'2018': 1, '2019': 1, '2020': 1}
        >>> {k: v.n_nodes for k, v in net.snapshots(window=2).items()}
        {'2018-2019': 3, '2019-2020': 3}
        >>> list(net.snapshots(cumulative=True))
        ['2018', '2018-2019', '2018-2020']
        """
        from clustermap.graphs._snapshots import snapshots

        return snapshots(
            self, by=by, window=window, step=step, cumulative=cumulative, periods=periods
        )

    # ----------------------------------------------------------------- summary

    def summary(self, *, min_count: int | None = None) -> pd.Series:
        """Counts and shape of the network, as a flat :class:`pandas.Series`.

        Keys: ``actors``, ``actors[<kind>]``, ``links``, ``links[<layer>]``,
        ``directed[<layer>]``, ``components`` (weakly connected, all layers,
        isolates included), ``largest_component``, ``isolates`` and
        ``density`` (distinct linked pairs over possible pairs, all layers
        taken undirected).

        For a network read from a survey (:func:`~clustermap.from_roster`,
        or any node table with a ``responded`` column) also
        ``respondents``, ``non_respondents`` and ``response_rate``
        (respondents over the actors on the roster), and ``reciprocity``
        (the share of reported ties between two respondents that the other
        side reported too, as computed when the survey was read).

        Parameters
        ----------
        min_count : int, optional
            Suppress small counts for confidential data: counts of actors,
            links, isolates and respondents from 1 to ``min_count - 1`` are
            shown as ``"<min_count"``; ``.attrs["suppression"]`` says what
            was suppressed.

        Examples
        --------
        >>> import clustermap as cm
        >>> s = cm.make_cluster(n_actors=60, seed=1).summary()
        >>> int(s["actors"])
        60
        """
        from clustermap._suppress import check_min_count, suppress_values

        check_min_count(min_count)
        out: dict[str, Any] = {"actors": self.n_nodes}
        kinds = self._nodes["kind"].value_counts()
        for kind in KINDS:
            out[f"actors[{kind}]"] = int(kinds.get(kind, 0))
        out["links"] = self.n_edges
        layers = self._edges["layer"].value_counts()
        for layer in self._directed:
            out[f"links[{layer}]"] = int(layers.get(layer, 0))
        for layer, is_dir in self._directed.items():
            out[f"directed[{layer}]"] = is_dir
        g = self._igraph(directed=False)
        if self.n_nodes:
            sizes = g.connected_components().sizes()
            out["components"] = len(sizes)
            out["largest_component"] = max(sizes)
        else:
            out["components"] = 0
            out["largest_component"] = 0
        out["isolates"] = int((np.asarray(g.degree()) == 0).sum())
        n = self.n_nodes
        out["density"] = g.ecount() / (n * (n - 1) / 2) if n > 1 else 0.0
        nodes = self._nodes
        if "responded" in nodes.columns:
            responded = nodes["responded"].fillna(False).astype(bool)
            asked = (
                nodes["on_roster"].fillna(False).astype(bool)
                if "on_roster" in nodes.columns
                else pd.Series(True, index=nodes.index)
            )
            out["respondents"] = int((responded & asked).sum())
            out["non_respondents"] = int((~responded & asked).sum())
            n_asked = int(asked.sum())
            out["response_rate"] = out["respondents"] / n_asked if n_asked else float("nan")
        if self._meta.get("source") == "roster" and "reciprocity" in self._meta:
            out["reciprocity"] = float(self._meta["reciprocity"])
        result = pd.Series(out, dtype=object, name="summary")
        if min_count is not None:
            counted = [
                k
                for k in result.index
                if k.startswith(("actors", "links"))
                or k in ("isolates", "respondents", "non_respondents")
            ]
            result = suppress_values(result, counted, min_count)
        return result

    # ---------------------------------------------------------------- engines

    def _arcs(
        self, layers: list[str] | None, directed: bool | None
    ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, bool]:
        """Integer endpoints and attributes of the aggregated links.

        Returns ``(src, dst, attrs, directed)`` where ``attrs`` has ``weight``,
        ``count`` and (when the edge table has it) ``value``, one row per
        distinct (ordered or unordered) pair.
        """
        src_all, dst_all = self._edge_positions()
        if layers is not None:
            self._check_layers(layers)
            keep = self._edges["layer"].isin(layers).to_numpy()
            e = self._edges[keep]
            src, dst = src_all[keep], dst_all[keep]
            names = layers
        else:
            e = self._edges
            src, dst = src_all, dst_all
            names = list(self._directed)
        is_dir = [self._directed[x] for x in names]
        if directed is None:
            directed = any(is_dir)
        index = self._nodes.index
        weight = e["weight"].to_numpy(dtype=np.float64)
        has_value = "value" in e.columns
        value = (
            pd.to_numeric(e["value"], errors="coerce").to_numpy(dtype=np.float64)
            if has_value
            else None
        )
        if directed:
            directed_names = [name for name, d in self._directed.items() if d]
            layer_dir = e["layer"].isin(directed_names).to_numpy(dtype=bool)
            both = ~layer_dir
            if both.any():
                src, dst = (
                    np.concatenate([src, dst[both]]),
                    np.concatenate([dst, src[both]]),
                )
                weight = np.concatenate([weight, weight[both]])
                if value is not None:
                    value = np.concatenate([value, value[both]])
        else:
            src, dst = np.minimum(src, dst), np.maximum(src, dst)
        n = max(len(index), 1)
        key = src * n + dst
        uniq, inverse = np.unique(key, return_inverse=True)
        attrs = pd.DataFrame(
            {
                "weight": np.bincount(inverse, weights=weight, minlength=len(uniq)),
                "count": np.bincount(inverse, minlength=len(uniq)).astype(np.int64),
            }
        )
        if value is not None:
            finite = np.nan_to_num(value, nan=0.0)
            attrs["value"] = np.bincount(inverse, weights=finite, minlength=len(uniq))
        return uniq // n, uniq % n, attrs, bool(directed)

    def _view_layers(self, layers: str | Iterable[str] | None) -> list[str] | None:
        """The layers of a view, ``None`` when they are all of them (one cache entry)."""
        layer_list = _layer_list(layers)
        if layer_list is not None and set(layer_list) == set(self._directed):
            return None
        return layer_list

    def _view_key(
        self, layers: str | Iterable[str] | None, directed: bool | None
    ) -> tuple[list[str] | None, bool | None]:
        """The layers and direction of a view, normalised so that equal views share a cache entry.

        All layers are ``None``; ``directed`` is ``None`` when it is what the
        layers give anyway (directed when any of them is).
        """
        layer_list = self._view_layers(layers)
        if layer_list is not None:
            self._check_layers(layer_list)
        names = list(self._directed) if layer_list is None else layer_list
        if directed is not None and bool(directed) == any(self._directed[x] for x in names):
            directed = None
        return layer_list, directed

    def _view_arcs(
        self, *, layers: str | Iterable[str] | None = None, directed: bool | None = None
    ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, bool]:
        """The aggregated links of a view (see :meth:`_arcs`), computed once per view.

        The igraph view, the transfer graph of the spillover analyses and the
        knowledge roles all read the same arrays; they are read-only.
        """
        layer_list, directed = self._view_key(layers, directed)
        key = ("arcs", tuple(layer_list) if layer_list is not None else None, directed)
        cached = self._cache.get(key)
        if cached is None:
            src, dst, attrs, is_dir = self._arcs(layer_list, directed)
            src.flags.writeable = False
            dst.flags.writeable = False
            cached = self._cache[key] = (src, dst, attrs, is_dir)
        arcs: tuple[np.ndarray, np.ndarray, pd.DataFrame, bool] = cached
        return arcs

    def _igraph(
        self, *, layers: str | Iterable[str] | None = None, directed: bool | None = None
    ) -> ig.Graph:
        """The cached igraph view; callers inside the package must not mutate it."""
        layer_list, directed = self._view_key(layers, directed)
        key = ("igraph", tuple(layer_list) if layer_list is not None else None, directed)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        src, dst, attrs, is_dir = self._view_arcs(layers=layer_list, directed=directed)
        g = ig.Graph(n=self.n_nodes, directed=is_dir)
        g.add_edges(zip(src.tolist(), dst.tolist(), strict=True))
        # Only the weight: igraph keeps attributes as Python objects (32 bytes a float), so
        # the ids, counts and values are added to the copies users get (to_igraph).
        g.es["weight"] = attrs["weight"].tolist()
        self._cache[key] = g
        return g

    def _ends(
        self, *, layers: str | Iterable[str] | None = None, directed: bool | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Endpoints of the igraph view's edges, in edge order (read-only int64 arrays).

        Reading them back from igraph builds a Python tuple per edge.
        """
        src, dst, _, _ = self._view_arcs(layers=layers, directed=directed)
        return src, dst

    # ---------------------------------------------------------- reused results

    def _edge_positions(self) -> tuple[np.ndarray, np.ndarray]:
        """Node positions of every link's source and target (edge-table order), cached.

        Looking ids up is the slowest part of building a view; every view
        (all layers, one layer, directed or not) reuses this one lookup.
        """
        key = ("result", "edge positions")
        if key not in self._cache:
            index = self._nodes.index
            self._cache[key] = (
                positions(index, self._edges["source"]).astype(np.int64),
                positions(index, self._edges["target"]).astype(np.int64),
            )
        ends: tuple[np.ndarray, np.ndarray] = self._cache[key]
        return ends

    def _reused(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """A result several analyses share (betweenness...), computed once per network.

        Kept apart from the engine views (its keys start with ``"result"``);
        the network is immutable, so a cached result never goes stale. Callers
        put every option that shapes the result into ``key`` and must not
        change what they get back.
        """
        full = ("result", *key)
        if full not in self._cache:
            self._cache[full] = build()
        return self._cache[full]

    def to_igraph(
        self, *, layers: str | Iterable[str] | None = None, directed: bool | None = None
    ) -> ig.Graph:
        """Return an igraph view of the network: the fast engine.

        Vertices are in the order of :attr:`nodes` and carry the id as
        ``name``. Parallel links are aggregated: edge attributes ``weight``
        (summed), ``count`` (number of rows) and ``value`` (summed, when the
        edge table has it).

        Parameters
        ----------
        layers : str or list of str, optional
            Layers to include; ``None`` means all.
        directed : bool, optional
            ``None``: directed when any selected layer is directed, and then
            each undirected tie becomes two arcs. ``True``: the same, forced.
            ``False``: direction is dropped and both directions of a pair are
            merged into one edge.

        Returns
        -------
        igraph.Graph
            A fresh copy, yours to change.

        Examples
        --------
        >>> import clustermap as cm
        >>> net = cm.from_tables(
        ...     {"id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "firm"]},
        ...     {"source": ["a", "a"], "target": ["b", "b"], "layer": ["supply", "supply"],
        ...      "weight": [1.0, 2.0]},
        ... )
        >>> g = net.to_igraph()
        >>> g.is_directed(), g.ecount(), g.es["weight"]
        (True, 1, [3.0])
        """
        layer_list, directed = self._view_key(layers, directed)  # reads an iterator once
        g = self._igraph(layers=layer_list, directed=directed).copy()
        g.vs["name"] = self._nodes.index.tolist()
        _, _, attrs, _ = self._view_arcs(layers=layer_list, directed=directed)
        for col in attrs.columns.drop("weight"):
            g.es[col] = attrs[col].tolist()
        return g

    def to_networkx(
        self,
        *,
        layers: str | Iterable[str] | None = None,
        directed: bool | None = None,
        multigraph: bool = False,
    ) -> nx.Graph:
        """Return a networkx view, for interoperability and networkx-only algorithms.

        Nodes are the ids with every node column as attributes. Links are
        aggregated as in :meth:`to_igraph` (``weight``, ``count``, ``value``)
        unless ``multigraph=True``, which keeps one edge per row with all its
        columns (and then ``directed=None`` means directed when any selected
        layer is directed, undirected ties kept as a single edge).

        Examples
        --------
        >>> import clustermap as cm
        >>> net = cm.make_cluster(n_actors=60, seed=1)
        >>> G = net.to_networkx(layers="knowledge")
        >>> G.is_directed(), G.number_of_nodes()
        (False, 60)
        """
        layer_list = _layer_list(layers)
        index = self._nodes.index
        G: nx.Graph
        if multigraph:
            if layer_list is not None:
                self._check_layers(layer_list)
                e = self._edges[self._edges["layer"].isin(layer_list)]
            else:
                e = self._edges
                layer_list = list(self._directed)
            is_dir = (
                directed if directed is not None else any(self._directed[x] for x in layer_list)
            )
            G = nx.MultiDiGraph() if is_dir else nx.MultiGraph()
            G.add_nodes_from(zip(index, self._nodes.to_dict("records"), strict=True))
            extra = [c for c in e.columns if c not in ("source", "target")]
            records = e[extra].to_dict("records")
            G.add_edges_from(zip(e["source"], e["target"], records, strict=True))
            return G
        src, dst, attrs, is_dir = self._arcs(layer_list, directed)
        G = nx.DiGraph() if is_dir else nx.Graph()
        G.add_nodes_from(zip(index, self._nodes.to_dict("records"), strict=True))
        G.add_edges_from(
            zip(index[src], index[dst], attrs.to_dict("records"), strict=True),
        )
        return G

    # ------------------------------------------------------------------- files

    def save(self, path: str | Any) -> None:
        """Write the network to one ``.cmap`` file (a zip of Parquet tables and JSON).

        See :func:`clustermap.graphs.io.save_network`.
        """
        from clustermap.graphs.io import save_network

        save_network(self, path)

    @classmethod
    def load(cls, path: str | Any) -> ClusterNetwork:
        """Read a network written by :meth:`save`; it comes back identical."""
        from clustermap.graphs.io import load_network

        return load_network(path)

    def equals(self, other: ClusterNetwork) -> bool:
        """Return whether both tables, the layer directions and the metadata are equal."""
        return (
            self._nodes.equals(other._nodes)
            and self._edges.equals(other._edges)
            and self._directed == other._directed
            and self._meta == other._meta
        )
