"""Two-mode data -> a network of actors: who took part in the same projects.

Many cluster data sets list participations rather than links: organisations
in research projects, assignees on patents, members of associations. Two
actors are linked when they took part in the same event (project, patent,
association); :func:`from_participations` projects such a table onto the
actors, vectorised with numpy so that a few hundred thousand participations
take seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from clustermap.errors import ConfigError, EmptyNetworkError, InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.graphs.selection import KINDS
from clustermap.loaders.tables import _frame, _ids, from_tables, normalise_kind

__all__ = ["MAX_EVENT_IDS", "MAX_PAIRS", "from_participations"]

log = logging.getLogger(__name__)

#: At most this many event ids are listed in a link's ``event_ids`` (the
#: ``events`` column always counts them all).
MAX_EVENT_IDS = 50
#: Refuse projections that would expand into more actor pairs than this
#: (about 3 GB of memory); ``max_event_size`` brings big events under it.
MAX_PAIRS = 100_000_000
_WEIGHTINGS = ("newman", "count")


def _check_options(
    actor: str,
    event: str,
    weighting: str,
    max_event_size: int | None,
    kind_column: str | None,
    kinds: Mapping[str, str] | None,
    layer: str,
) -> None:
    if weighting not in _WEIGHTINGS:
        msg = f"`weighting` must be one of {', '.join(map(repr, _WEIGHTINGS))}, not {weighting!r}"
        raise ConfigError(msg)
    if max_event_size is not None and (
        isinstance(max_event_size, bool)
        or not isinstance(max_event_size, int | np.integer)
        or max_event_size < 2
    ):
        msg = (
            f"`max_event_size` must be a whole number of at least 2 or None, not {max_event_size!r}"
        )
        raise ConfigError(msg)
    if actor == event:
        msg = f"`actor` and `event` must be different columns; both are {actor!r}"
        raise ConfigError(msg)
    if kinds is not None:
        if kind_column is None:
            msg = "`kinds` maps the values of a column to kinds: give that column as `kind_column`"
            raise ConfigError(msg)
        bad = {k: v for k, v in kinds.items() if normalise_kind(v) is None}
        if bad:
            msg = (
                f"`kinds` must map to one of {', '.join(map(repr, KINDS))}; "
                f"not {', '.join(f'{k!r}: {v!r}' for k, v in bad.items())}"
            )
            raise ConfigError(msg)
    if not isinstance(layer, str) or not layer.strip():
        msg = f"`layer` must be a non-empty name such as 'knowledge', not {layer!r}"
        raise ConfigError(msg)


def _kinds_of(
    raw: pd.Series, kind_column: str, kinds: Mapping[str, str] | None, where: str
) -> pd.Series:
    """Map an organisation-type column to kinds; unknown values are a ConfigError."""
    text = raw.astype("string").str.strip()
    if kinds is not None:
        table = {str(k).strip(): normalise_kind(v) for k, v in kinds.items()}
        mapped = text.map(table)
    else:
        mapped = text.map(normalise_kind, na_action="ignore")
    unknown = text.notna() & mapped.isna()
    if unknown.any():
        values = sorted(text[unknown].unique().tolist())
        shown = ", ".join(map(repr, values[:10])) + (" ..." if len(values) > 10 else "")
        hint = (
            "add them to `kinds`"
            if kinds is not None
            else "pass `kinds`, e.g. kinds={'PRC': 'firm', 'HES': 'institution'}"
        )
        msg = (
            f"{where}: column {kind_column!r} holds value(s) with no kind: {shown}; {hint} "
            f"(kinds are {', '.join(KINDS)})"
        )
        raise ConfigError(msg)
    missing = int(mapped.isna().sum())
    if missing:
        log.info("%d actors have no %r value; they are firms", missing, kind_column)
    return mapped.fillna("firm").astype(object)


def _pairs(
    ev: np.ndarray, ac: np.ndarray, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of co-participants: (actor a, actor b, event), a < b.

    ``ev`` and ``ac`` are the memberships sorted by event; ``sizes`` the
    number of members of each event.
    """
    m = len(ev)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    local = np.arange(m) - start[ev]
    later = sizes[ev] - 1 - local  # members after this one in its event
    total = int(later.sum())
    left = np.repeat(np.arange(m), later)
    offset = np.arange(total) - np.repeat(np.cumsum(later) - later, later)
    right = left + 1 + offset
    a, b = ac[left], ac[right]
    return np.minimum(a, b), np.maximum(a, b), ev[left]


def _actor_frame(actors: pd.DataFrame) -> pd.DataFrame:
    """The ``actors`` table with its ids, as text, in an ``id`` column."""
    nodes = actors
    if "id" not in nodes.columns:
        if nodes.index.name == "id" or not isinstance(nodes.index, pd.RangeIndex):
            nodes = nodes.reset_index(names="id")
        else:
            msg = "`actors` needs an 'id' column (or an index of ids) matching the actor column"
            raise InputError(msg)
    nodes = nodes.copy()
    nodes["id"] = _ids(nodes["id"])
    return nodes


def _node_table(
    ids: pd.Index,
    actors: pd.DataFrame | None,
    raw_kind: pd.Series | None,
    kind: pd.Series | None,
    kind_column: str | None,
) -> pd.DataFrame:
    """The actors as a node table, to be validated by :func:`from_tables`."""
    plain = ids.to_numpy(dtype=object)
    if actors is None:
        nodes = pd.DataFrame({"id": plain, "name": plain})
    else:
        nodes = actors
        if "name" not in nodes.columns:
            nodes["name"] = nodes["id"]
        extra = ids[~ids.isin(nodes["id"].dropna())]
        if len(extra):
            log.warning(
                "%d actors of the participations table are not in `actors`; "
                "they are added, named by their id",
                len(extra),
            )
            names = extra.to_numpy(dtype=object)
            nodes = pd.concat(
                [nodes, pd.DataFrame({"id": names, "name": names})], ignore_index=True
            )
    if kind is not None and raw_kind is not None and kind_column is not None:
        nodes["kind"] = nodes["id"].map(kind).fillna("firm")
        if kind_column not in nodes.columns:
            nodes[kind_column] = nodes["id"].map(raw_kind)
    elif "kind" in nodes.columns:
        nodes["kind"] = nodes["kind"].fillna("firm")
    else:
        nodes["kind"] = "firm"
    return nodes


def from_participations(
    table: pd.DataFrame | Mapping[str, Any],
    *,
    actor: str = "actor",
    event: str = "event",
    weighting: Literal["newman", "count"] = "newman",
    max_event_size: int | None = None,
    actors: pd.DataFrame | None = None,
    kind_column: str | None = None,
    kinds: Mapping[str, str] | None = None,
    layer: str = "knowledge",
    link_type: str = "joint project",
) -> ClusterNetwork:
    """Link the actors that took part in the same projects, patents or associations.

    A participation table has one row per actor per event (organisation x
    project, assignee x patent, member x association). Every pair of actors
    that share an event gets one undirected link, which remembers how many
    events created it (``events``) and which (``event_ids``). Every actor
    becomes a node, including those whose events had no other participant.

    With ``weighting="newman"`` an event with *n* participants adds
    ``1 / (n - 1)`` to the weight of each of its pairs, so a project of 40
    partners counts for less between two of them than a project of 3, and
    the weights of an actor's links add up to the number of its events that
    had partners (Newman 2001). With ``weighting="count"`` the weight is the
    number of shared events.

    Parameters
    ----------
    table : DataFrame or dict of columns
        The participations. Ids are read as text; rows without an actor or an
        event are dropped (the log says how many) and an actor listed twice in
        one event counts once.
    actor, event : str
        The columns holding the actor id and the event id.
    weighting : {"newman", "count"}
        How shared events add up into a link's ``weight`` (see above).
    max_event_size : int, optional
        Events with more participants than this are skipped (their
        participants still become nodes; the log and ``net.meta`` count
        them). Big consortia link everyone to everyone and say little about
        who works with whom; they also cost memory quadratic in their size.
    actors : DataFrame, optional
        A node table (``id`` column or index, ``name``, optional ``kind``
        and any other columns) giving names and kinds; actors missing from
        it are added, named by their id.
    kind_column, kinds : str and dict, optional
        Where kinds come from when ``actors`` has no ``kind`` column: the
        column ``kind_column`` (of ``actors`` when it has it, else of the
        participations, first value per actor), whose values ``kinds`` maps
        to kinds, e.g. ``kind_column="type", kinds={"PRC": "firm", "HES":
        "institution", "REC": "institution", "PUB": "institution", "OTH":
        "institution"}`` for EU CORDIS data. Without ``kinds`` the column
        must hold kinds itself. A value ``kinds`` does not map is an error;
        a missing value gives a firm. ``kind_column`` takes precedence over a
        ``kind`` column of ``actors``. Without either, every actor is a firm.
    layer : str
        The layer of the links (undirected), ``"knowledge"`` by default.
    link_type : str
        The ``type`` of the links, ``"joint project"`` by default
        (``"co-patent"`` for patents, ``"membership"`` for associations).

    Returns
    -------
    ClusterNetwork
        One link per pair with ``weight``, ``type``, ``events`` (number of
        shared events) and ``event_ids`` (the shared events in the order of
        the table, separated by ``;``; at most :data:`MAX_EVENT_IDS` of them,
        so compare with ``events`` to see whether the list is complete).
        ``net.meta`` records the options and the counts of events used and
        skipped.

    Raises
    ------
    InputError
        When a named column is missing.
    EmptyNetworkError
        When the table has no participations.
    ConfigError
        For options with values that are not allowed.

    References
    ----------
    M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths,
    weighted networks, and centrality", Physical Review E 64, 016132 (2001).

    Examples
    --------
    >>> import pandas as pd, clustermap as cm
    >>> table = pd.DataFrame({
    ...     "org": ["U1", "F1", "F2", "U1", "F1", "F3"],
    ...     "project": ["P1", "P1", "P1", "P2", "P2", "P3"],
    ... })
    >>> net = cm.from_participations(table, actor="org", event="project")
    >>> net.edges[["source", "target", "weight", "events", "event_ids"]]
      source target  weight  events event_ids
    0     U1     F1     1.5       2     P1;P2
    1     U1     F2     0.5       1        P1
    2     F1     F2     0.5       1        P1
    >>> net.n_nodes  # F3 worked alone but is still an actor
    4
    """
    _check_options(actor, event, weighting, max_event_size, kind_column, kinds, layer)
    frame = _frame(table, "table")
    where = str(frame.attrs.get("source", "participations table"))
    missing = [c for c in (actor, event) if c not in frame.columns]
    if missing:
        msg = (
            f"{where}: the column(s) {', '.join(map(repr, missing))} are missing (name the "
            f"columns with actor= and event=); columns are: {', '.join(map(str, frame.columns))}"
        )
        raise InputError(msg)
    actor_table = _actor_frame(_frame(actors, "actors")) if actors is not None else None
    kind_from_actors = (
        kind_column is not None and actor_table is not None and kind_column in actor_table.columns
    )
    if kind_column is not None and not kind_from_actors and kind_column not in frame.columns:
        msg = f"{where}: `kind_column` {kind_column!r} is not a column of the participations" + (
            " or of `actors`" if actor_table is not None else ""
        )
        raise InputError(msg)

    a_text = _ids(frame[actor])
    e_text = _ids(frame[event])
    ok = (a_text.notna() & e_text.notna()).to_numpy()
    if not ok.all():
        log.warning("dropped %d participations without an actor or an event", int((~ok).sum()))
    if not ok.any():
        msg = f"{where}: no participations (the table has no rows with an actor and an event)"
        raise EmptyNetworkError(msg)
    a_codes, a_uniques = pd.factorize(a_text[ok])
    e_codes, e_uniques = pd.factorize(e_text[ok])
    n_actors, n_events = len(a_uniques), len(e_uniques)

    key = np.unique(e_codes.astype(np.int64) * n_actors + a_codes)
    duplicates = int(ok.sum()) - len(key)
    if duplicates:
        log.info("%d repeated participations (same actor, same event) count once", duplicates)
    ev, ac = key // n_actors, key % n_actors
    sizes = np.bincount(ev, minlength=n_events)
    skipped = sizes > max_event_size if max_event_size is not None else np.zeros(n_events, bool)
    if skipped.any():
        log.warning(
            "skipped %d events with more than %d participants (%d participations)",
            int(skipped.sum()),
            max_event_size,
            int(sizes[skipped].sum()),
        )
    keep = ~skipped[ev] & (sizes[ev] >= 2)
    ev, ac = ev[keep], ac[keep]
    used = np.flatnonzero((sizes >= 2) & ~skipped)
    remap = np.full(n_events, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    used_sizes = sizes[used]
    n_pairs = int((used_sizes * (used_sizes - 1) // 2).sum())
    if n_pairs > MAX_PAIRS:
        msg = (
            f"{where}: the events would link {n_pairs:,} pairs of actors (more than "
            f"{MAX_PAIRS:,}); the largest event has {int(sizes.max()):,} participants: pass "
            "max_event_size= to skip the biggest events"
        )
        raise ConfigError(msg)
    lo, hi, pair_event = _pairs(remap[ev], ac, used_sizes)
    pair_event = used[pair_event]
    pair_key = lo * n_actors + hi
    order = np.argsort(pair_key, kind="stable")  # events stay in table order within a pair
    pair_key, pair_event = pair_key[order], pair_event[order]
    uniq, first, counts = np.unique(pair_key, return_index=True, return_counts=True)
    if weighting == "newman":
        contrib = 1.0 / (sizes[pair_event] - 1.0)
        weight = np.add.reduceat(contrib, first) if len(first) else np.zeros(0)
    else:
        weight = counts.astype(np.float64)
    rank = np.arange(len(pair_key)) - np.repeat(first, counts)
    listed = rank < MAX_EVENT_IDS
    offsets = np.concatenate([[0], np.cumsum(np.minimum(counts, MAX_EVENT_IDS))])
    labels = pa.array(np.asarray(e_uniques, dtype=object), type=pa.string())
    id_lists = pa.ListArray.from_arrays(
        pa.array(offsets, type=pa.int64()), labels.take(pa.array(pair_event[listed]))
    )
    event_ids = pd.array(pc.binary_join(id_lists, ";"), dtype="str")

    ids = pd.Index(a_uniques.astype(object), dtype=object)
    raw_kind: pd.Series | None = None
    kind: pd.Series | None = None
    if kind_column is not None:
        if kind_from_actors:
            assert actor_table is not None
            raw_kind = actor_table.set_index("id")[kind_column]
        else:
            raw_kind = frame.loc[ok, kind_column].set_axis(a_text[ok].to_numpy())
        raw_kind = raw_kind.dropna()
        raw_kind = raw_kind[~raw_kind.index.duplicated(keep="first")]
        kind = _kinds_of(raw_kind, kind_column, kinds, where)
    node_frame = _node_table(ids, actor_table, raw_kind, kind, kind_column)
    nodes = from_tables(node_frame).nodes

    src = pd.array(ids.to_numpy(), dtype="str")
    edges = pd.DataFrame(
        {
            "source": src.take(uniq // n_actors),
            "target": src.take(uniq % n_actors),
            "layer": pd.array([layer], dtype="str").take(np.zeros(len(uniq), dtype=np.int64)),
            "weight": weight.astype(np.float64),
            "type": pd.array([link_type], dtype="str").take(np.zeros(len(uniq), dtype=np.int64)),
            "events": counts.astype(np.int64),
            "event_ids": event_ids,
        }
    )
    meta = {
        "source": "participations",
        "actor": actor,
        "event": event,
        "weighting": weighting,
        "max_event_size": max_event_size,
        "participations": int(ok.sum()),
        "events": n_events,
        "events_linking": len(used),
        "events_skipped": int(skipped.sum()),
    }
    log.info(
        "from_participations: %d actors, %d events (%d with partners), %d links",
        n_actors,
        n_events,
        len(used),
        len(edges),
    )
    return ClusterNetwork._trusted(nodes, edges, {layer: False}, meta)
