"""Roster and name-generator surveys -> a network, with non-respondents made explicit.

Cluster studies often rest on surveys: each firm gets the list of the other
firms (the roster) and says, for each, how strongly it relates to it ("from
which of these firms did you seek technical advice?", 0-3; Giuliani & Bell
2005). A firm that did not answer leaves a hole: the ties it would have
reported are unknown, not absent. :func:`from_roster` reads such responses,
marks who answered on the node table, can reconstruct a non-respondent's
ties from what its partners reported, and can symmetrise the reports.

References
----------
E. Giuliani and M. Bell, "The micro-determinants of meso-level learning and
innovation: evidence from a Chilean wine cluster", Research Policy 34(1),
47-68 (2005).

M. Huisman, "Imputation of missing network data: some simple procedures",
Journal of Social Structure 10(1) (2009).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from clustermap._validate import Problems, TableInfo
from clustermap.errors import ConfigError, EmptyNetworkError, InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.loaders._placeholders import placeholder_examples, placeholder_mask
from clustermap.loaders.participations import _actor_frame
from clustermap.loaders.tables import _frame, _ids, _to_number, from_tables

__all__ = ["NONRESPONSE", "SYMMETRISE", "from_roster"]

log = logging.getLogger(__name__)

#: Allowed values of ``symmetrise``.
SYMMETRISE: tuple[str, ...] = ("none", "min", "max", "reciprocated")
#: Allowed values of ``nonresponse``.
NONRESPONSE: tuple[str, ...] = ("keep", "impute-from-partners")


def _check(symmetrise: str, nonresponse: str, layer: str) -> None:
    if symmetrise not in SYMMETRISE:
        msg = f"`symmetrise` must be one of {', '.join(map(repr, SYMMETRISE))}, not {symmetrise!r}"
        raise ConfigError(msg)
    if nonresponse not in NONRESPONSE:
        msg = (
            f"`nonresponse` must be one of {', '.join(map(repr, NONRESPONSE))}, not {nonresponse!r}"
        )
        raise ConfigError(msg)
    if not isinstance(layer, str) or not layer.strip():
        msg = f"`layer` must be a non-empty name such as 'knowledge', not {layer!r}"
        raise ConfigError(msg)


def _roster_table(roster: pd.DataFrame | Sequence[Any] | None) -> pd.DataFrame | None:
    if roster is None:
        return None
    if isinstance(roster, pd.DataFrame | Mapping):
        frame = _frame(roster, "roster")
        if "id" not in frame.columns and isinstance(frame.index, pd.RangeIndex):
            msg = (
                "the roster needs an 'id' column (or an index of ids) matching the respondent "
                f"and partner ids; its columns are: {', '.join(map(repr, map(str, frame.columns)))}"
            )
            raise InputError(msg)
        table = _actor_frame(frame)
    else:
        table = pd.DataFrame({"id": _ids(pd.Series(list(roster), dtype=object))})
    table = table[table["id"].notna()]
    dup = table["id"].duplicated()
    if dup.any():
        msg = f"the roster lists ids more than once: {table['id'][dup].unique()[:10].tolist()}"
        raise InputError(msg)
    return table


def _values(
    frame: pd.DataFrame, value: str | None, info: TableInfo, where: str, named: np.ndarray
) -> np.ndarray:
    """Tie strength per row: > 0 a tie, 0 none; bad cells are an InputError."""
    if value is None:
        return np.where(named, 1.0, 0.0)
    raw = frame[value]
    parsed = _to_number(raw, frame.attrs.get("decimal") == ",").to_numpy()
    text = raw.astype("string").str.strip()
    given = (raw.notna() & (text != "")).to_numpy()
    problems = Problems()
    problems.add_rows(
        info,
        given & ~np.isfinite(parsed),
        value,
        lambda v: f"tie strength {v!r} is not a number",
        raw,
    )
    problems.add_rows(
        info,
        np.isfinite(parsed) & (parsed < 0),
        value,
        lambda v: f"tie strength {v!r} is negative (0 means no tie)",
        raw,
    )
    problems.raise_if_any()
    return np.where(named & np.isfinite(parsed), parsed, 0.0)


def _symmetrise(arcs: pd.DataFrame, how: str, answered: set[str]) -> tuple[pd.DataFrame, int]:
    """One undirected tie per pair from the two reports; also the pairs left unconfirmed."""
    src = arcs["source"].to_numpy(dtype=object)
    dst = arcs["target"].to_numpy(dtype=object)
    swap = (arcs["source"].astype(str) > arcs["target"].astype(str)).to_numpy()
    lo, hi = np.where(swap, dst, src), np.where(swap, src, dst)
    pairs = arcs.assign(a=lo, b=hi)
    grouped = pairs.groupby(["a", "b"], sort=False)
    table = grouped.agg(
        reports=("weight", "size"),
        low=("weight", "min"),
        high=("weight", "max"),
        mean=("weight", "mean"),
        imputed=("imputed", "any"),
    ).reset_index()
    unconfirmed = 0
    if how == "max":
        table["weight"] = table["high"]
    else:
        both = table["reports"].to_numpy() == 2
        # a pair with a non-respondent could not be confirmed: say how many are lost
        can_answer = table["a"].isin(answered).to_numpy() & table["b"].isin(answered).to_numpy()
        unconfirmed = int((~both & ~can_answer).sum())
        table = table[both]
        table["weight"] = table["low"] if how == "min" else table["mean"]
    out = pd.DataFrame(
        {
            "source": table["a"].to_numpy(),
            "target": table["b"].to_numpy(),
            "weight": table["weight"].to_numpy(dtype=np.float64),
            "reports": table["reports"].to_numpy(dtype=np.int64),
            "imputed": table["imputed"].to_numpy(dtype=bool),
        }
    )
    return out, unconfirmed


def from_roster(
    responses: pd.DataFrame | Mapping[str, Any],
    *,
    respondent: str = "respondent",
    partner: str = "partner",
    value: str | None = None,
    roster: pd.DataFrame | Sequence[Any] | None = None,
    symmetrise: Literal["none", "min", "max", "reciprocated"] = "none",
    nonresponse: Literal["keep", "impute-from-partners"] = "keep",
    layer: str = "knowledge",
) -> ClusterNetwork:
    """Build a network from a roster or name-generator survey.

    ``responses`` has one row per answer: the respondent, the partner it
    names and, optionally, the tie strength on the survey's scale (``0``
    no tie, ``1``-``3`` weak to strong...). A respondent that named nobody
    appears with an empty partner, so it still counts as having answered.
    Each reported tie is an arc *respondent -> partner* ("A sought advice
    from B"). Partner cells that are spreadsheet placeholders (``#N/A``,
    ``-``) are dropped with a warning; a respondent naming itself is dropped
    with a warning; a pair reported twice keeps the strongest value.

    Every actor gets ``responded`` (True / False) on the node table. The
    response rate and the reciprocity of the reports (the share of arcs
    between two respondents whose reverse arc was reported too) are in
    ``net.meta`` and in :meth:`ClusterNetwork.summary`.

    Parameters
    ----------
    responses : DataFrame or dict of columns
        The answers.
    respondent, partner : str
        The columns of the answering actor and of the actor named.
    value : str, optional
        The column of tie strengths (numbers >= 0; empty counts as 0). Without
        it every row with a partner is a tie of weight 1.
    roster : DataFrame or list of ids, optional
        Everyone the survey asked (a node table with ``id``, ``name``,
        ``kind`` and any other columns, or a list of ids). Actors on the
        roster who never answered are the non-respondents. Without it the
        actors are the respondents and the partners they name. Partners not
        on the roster are kept with ``on_roster`` False and a warning.
    symmetrise : {"none", "min", "max", "reciprocated"}
        ``"none"`` keeps the arcs as reported (a directed layer).
        Otherwise each pair gets one undirected tie: ``"max"`` when either
        side reports it (the stronger value); ``"min"`` only when both do
        (the weaker value); ``"reciprocated"`` only when both do (the mean
        of the two). With ``"min"`` and ``"reciprocated"`` a tie to a
        non-respondent cannot be confirmed and is dropped (the log counts
        them) unless ``nonresponse="impute-from-partners"``.
    nonresponse : {"keep", "impute-from-partners"}
        ``"keep"``: non-respondents keep only the ties others reported to
        them. ``"impute-from-partners"``: a non-respondent's own reports are
        reconstructed from its partners' (when A named non-respondent B with
        strength 2, B -> A of strength 2 is added), the reconstruction of
        Huisman (2009); imputed links have ``imputed`` True and the
        provenance (``net.meta["imputation"]``) states what was done.
    layer : str
        The layer of the links, ``"knowledge"`` by default.

    Returns
    -------
    ClusterNetwork
        Links have ``weight``, ``type`` (``"survey"``) and ``imputed``;
        symmetrised links also ``reports`` (1 or 2). ``net.meta`` has
        ``respondents``, ``non_respondents``, ``response_rate``,
        ``reciprocity`` and the options.

    Raises
    ------
    InputError
        When a column is missing, a tie strength is not a number >= 0, or
        nobody answered.
    ConfigError
        For options with values that are not allowed.

    Examples
    --------
    >>> import pandas as pd, clustermap as cm
    >>> answers = pd.DataFrame({
    ...     "firm": ["A", "A", "B", "B", "C"],
    ...     "named": ["B", "C", "A", "D", None],
    ...     "advice": [3, 1, 2, 2, None],
    ... })
    >>> net = cm.from_roster(answers, respondent="firm", partner="named", value="advice",
    ...                      roster=["A", "B", "C", "D", "E"])
    >>> net.nodes["responded"].tolist()
    [True, True, True, False, False]
    >>> net.meta["response_rate"], round(net.meta["reciprocity"], 3)
    (0.6, 0.667)
    >>> sym = cm.from_roster(answers, respondent="firm", partner="named", value="advice",
    ...                      symmetrise="max")
    >>> sym.edges[["source", "target", "weight"]].values.tolist()
    [['A', 'B', 3.0], ['A', 'C', 1.0], ['B', 'D', 2.0]]
    """
    _check(symmetrise, nonresponse, layer)
    frame = _frame(responses, "responses")
    where = str(frame.attrs.get("source", "responses"))
    needed = [respondent, partner] + ([value] if value is not None else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        msg = (
            f"{where}: the column(s) {', '.join(map(repr, missing))} do not exist (name them "
            f"with respondent=, partner=, value=); columns are: "
            f"{', '.join(map(repr, map(str, frame.columns)))}"
        )
        raise InputError(msg)
    frame = frame.reset_index(drop=True)
    info = TableInfo.of(frame, where)
    resp = _ids(frame[respondent])
    bad_resp = resp.isna().to_numpy() | placeholder_mask(resp)
    if bad_resp.any():
        log.warning(
            "%s: dropped %d rows without a respondent (empty or a placeholder)",
            where,
            int(bad_resp.sum()),
        )
    part = _ids(frame[partner])
    holder = placeholder_mask(part)
    if holder.any():
        log.warning(
            "%s: dropped %d placeholder cells in column %r (%s); they are not actors",
            where,
            int(holder.sum()),
            partner,
            placeholder_examples(part, holder),
        )
    named = part.notna().to_numpy() & ~holder & ~bad_resp
    self_named = named & (part.fillna("").to_numpy() == resp.fillna("").to_numpy())
    if self_named.any():
        rows = ", ".join(str(r) for r in info.rows[self_named][:5])
        log.warning(
            "%s: %d respondents name themselves (rows %s); dropped",
            where,
            int(self_named.sum()),
            rows,
        )
    named &= ~self_named
    strength = _values(frame, value, info, where, named)
    answered_ids = pd.unique(resp[~bad_resp])
    if not len(answered_ids):
        msg = f"{where}: nobody answered (column {respondent!r} is empty)"
        raise EmptyNetworkError(msg)
    tie = named & (strength > 0)
    arcs = pd.DataFrame(
        {
            "source": resp.to_numpy(dtype=object)[tie],
            "target": part.to_numpy(dtype=object)[tie],
            "weight": strength[tie],
        }
    )
    repeated = arcs.duplicated(["source", "target"], keep=False)
    if repeated.any():
        log.info("%d answers repeat a pair; the strongest value is kept", int(repeated.sum()))
        arcs = arcs.groupby(["source", "target"], sort=False, as_index=False).agg(
            weight=("weight", "max")
        )
    arcs["imputed"] = False
    answered = set(map(str, answered_ids))

    # actors: the roster (or respondents and partners), marked
    table = _roster_table(roster)
    partners_named = pd.unique(part[named])
    if table is None:
        ids = pd.unique(np.concatenate([answered_ids, partners_named]))
        nodes = pd.DataFrame({"id": ids})
    else:
        nodes = table
        off = [
            p
            for p in pd.unique(np.concatenate([answered_ids, partners_named]))
            if p not in set(nodes["id"])
        ]
        nodes = nodes.assign(on_roster=True)
        if off:
            log.warning(
                "%d respondents or partners are not on the roster (e.g. %s); they are kept "
                "with on_roster=False",
                len(off),
                ", ".join(map(repr, off[:5])),
            )
            nodes = pd.concat(
                [nodes, pd.DataFrame({"id": off, "on_roster": False})], ignore_index=True
            )
    if "name" not in nodes.columns:
        nodes["name"] = nodes["id"]
    nodes["name"] = nodes["name"].where(nodes["name"].notna(), nodes["id"])
    if "kind" not in nodes.columns:
        nodes["kind"] = "firm"
    nodes["kind"] = nodes["kind"].fillna("firm")
    nodes["responded"] = nodes["id"].isin(answered).to_numpy()
    non_resp = set(nodes["id"][~nodes["responded"]].astype(str))

    # reciprocity of the reports, among pairs where both sides answered
    both_answered = arcs["source"].isin(answered) & arcs["target"].isin(answered)
    among = arcs[both_answered]
    forward = pd.MultiIndex.from_arrays([among["source"], among["target"]])
    backward = pd.MultiIndex.from_arrays([among["target"], among["source"]])
    reciprocated = int(backward.isin(forward).sum())
    reciprocity = reciprocated / len(among) if len(among) else float("nan")

    imputation: dict[str, Any] | None = None
    if nonresponse == "impute-from-partners":
        to_silent = arcs[arcs["target"].isin(non_resp)]
        added = pd.DataFrame(
            {
                "source": to_silent["target"].to_numpy(),
                "target": to_silent["source"].to_numpy(),
                "weight": to_silent["weight"].to_numpy(),
                "imputed": True,
            }
        )
        arcs = pd.concat([arcs, added], ignore_index=True)
        imputation = {
            "method": "reconstruction from partners' reports (Huisman 2009)",
            "rule": "a non-respondent's tie to A is taken to be A's reported tie to it, "
            "with the same strength",
            "non_respondents_imputed": int(to_silent["target"].nunique()),
            "arcs_imputed": len(added),
        }
        log.info(
            "from_roster: imputed %d arcs for %d non-respondents from their partners' reports",
            len(added),
            imputation["non_respondents_imputed"],
        )
    unconfirmed = 0
    if symmetrise == "none":
        edges = arcs
        directed = True
    else:
        edges, unconfirmed = _symmetrise(arcs, symmetrise, answered)
        directed = False
        if unconfirmed:
            log.warning(
                "symmetrise=%r dropped %d ties to non-respondents, which nobody could "
                "confirm (nonresponse='impute-from-partners' reconstructs them)",
                symmetrise,
                unconfirmed,
            )
    edges = edges.assign(layer=layer, type="survey")
    first = ["source", "target", "layer", "weight", "type"]
    edges = edges[first + [c for c in edges.columns if c not in first]]
    net = from_tables(nodes, edges, directed={layer: directed})
    n_roster = int(nodes["on_roster"].sum()) if "on_roster" in nodes.columns else len(nodes)
    n_answered = int((nodes["responded"] & nodes.get("on_roster", True)).sum())
    meta: dict[str, Any] = {
        "source": "roster",
        "responses": where,
        "respondent": respondent,
        "partner": partner,
        "value": value,
        "layer": layer,
        "symmetrise": symmetrise,
        "nonresponse": nonresponse,
        "roster_given": table is not None,
        "actors_asked": n_roster,
        "respondents": len(answered),
        "non_respondents": len(non_resp),
        "response_rate": n_answered / n_roster if n_roster else float("nan"),
        "reported_ties": int(tie.sum()),
        "reciprocity": reciprocity,
        "placeholders_dropped": int(holder.sum()),
        "self_nominations_dropped": int(self_named.sum()),
        "unconfirmed_ties_dropped": unconfirmed,
        "imputation": imputation,
    }
    return ClusterNetwork._trusted(net._nodes, net._edges, net._directed, meta)
