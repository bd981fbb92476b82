"""Did the members of a cluster programme change how they network? :func:`initiative_effect`.

A difference-in-differences comparison: how much each actor's outcome
(ties formed per year, ties with institutions, ties outside its region,
reach) changed from before the programme's start to after, for members
against comparable non-members. A permutation test and a bootstrap say how
far the difference stands out from chance; the result states the design,
the matching, the sample sizes and what the comparison cannot rule out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from clustermap._provenance import stamp
from clustermap.errors import ConfigError, EmptyNetworkError, InputError
from clustermap.graphs._lookup import positions
from clustermap.graphs.network import ClusterNetwork
from clustermap.graphs.selection import Selection

__all__ = ["OUTCOMES", "InitiativeEffect", "initiative_effect"]

log = logging.getLogger(__name__)

#: The outcomes, in plain words (per actor and year, or at a period's end).
OUTCOMES: dict[str, str] = {
    "new_ties": "ties formed per year",
    "new_institution_ties": "ties formed with institutions per year",
    "new_external_ties": "ties formed with actors of another region per year",
    "reach": "actors within two steps at the period's end (ties formed so far)",
}
#: Columns matched exactly when the node table has them (plus pre-period degree, in bins).
MATCH_COLUMNS: tuple[str, ...] = ("kind", "sector", "region")
LEVEL = 0.95


@dataclass(frozen=True, eq=False)
class InitiativeEffect:
    """A difference-in-differences estimate for a programme; see :func:`initiative_effect`.

    Attributes
    ----------
    estimate : float
        Members' change in the outcome minus comparable non-members' change.
    ci_low, ci_high : float
        95 % bootstrap interval of the estimate (members and non-members
        resampled, each group apart).
    p_value : float
        Two-sided permutation p-value: the share of reassignments of
        membership (within matching cells) giving an estimate at least as far
        from zero.
    outcome, start : str and int
        What was measured, and the programme's first year.
    design, matching : str
        The design and the matching, in plain words.
    sizes : dict
        Members given, eligible, matched; non-members eligible and used; cells.
    statement : str
        The finding in plain words, with its limits.
    caveats : list of str
        What the design cannot rule out.
    placebo : dict or None
        The same estimate on the years before the start, as if the programme
        had begun half-way through them (a check on parallel trends).
    groups : pandas.DataFrame
        Mean outcome before and after, and change, for members and
        (weighted) non-members.
    actors : pandas.DataFrame
        Per actor: member, cell, outcome before and after, change, weight.
    provenance : dict
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    outcome: str
    start: int
    design: str
    matching: str
    sizes: dict[str, int]
    statement: str
    caveats: list[str]
    placebo: dict[str, float] | None
    groups: pd.DataFrame
    actors: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"<InitiativeEffect on {self.outcome} from {self.start}: {self.estimate:+.3f} "
            f"[{self.ci_low:+.3f}, {self.ci_high:+.3f}], p = {self.p_value:.3f}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The findings as ``item`` / ``value`` rows (estimate, interval, design, sizes...)."""
        rows: list[tuple[str, Any]] = [
            ("outcome", f"{self.outcome}: {OUTCOMES[self.outcome]}"),
            ("start", self.start),
            ("estimate", self.estimate),
            ("ci_low", self.ci_low),
            ("ci_high", self.ci_high),
            ("p_value", self.p_value),
            ("design", self.design),
            ("matching", self.matching),
            *((f"n_{k}", v) for k, v in self.sizes.items()),
            ("statement", self.statement),
        ]
        if self.placebo is not None:
            rows += [(f"placebo_{k}", v) for k, v in self.placebo.items()]
        rows += [(f"caveat {i}", c) for i, c in enumerate(self.caveats, start=1)]
        table = pd.DataFrame(rows, columns=["item", "value"]).set_index("item")
        table["value"] = table["value"].astype(object)
        table.attrs.update(self.provenance)
        return table

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Sheets for :func:`~clustermap.write_excel`: ``summary``, ``groups``, ``actors``."""
        return {"summary": self.to_frame(), "groups": self.groups, "actors": self.actors}


# ------------------------------------------------------------------ outcomes


@dataclass(frozen=True)
class _Ties:
    """Dated ties over the chosen layers as integer arrays (one row per link)."""

    s: np.ndarray
    t: np.ndarray
    year: np.ndarray
    n: int


def _outcome(
    ties: _Ties, outcome: str, first: int, split: int, last: int, nodes: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outcome per actor before (``first..split-1``) and after (``split..last``); pre-degree."""
    n = ties.n
    pre = (ties.year >= first) & (ties.year < split)
    post = (ties.year >= split) & (ties.year <= last)
    upto = ties.year < split
    s, t = ties.s, ties.t
    key = np.unique(np.minimum(s[upto], t[upto]) * n + np.maximum(s[upto], t[upto]))
    degree = np.bincount(key // n, minlength=n) + np.bincount(key % n, minlength=n)
    if outcome == "reach":
        values = []
        for mask in (upto, ties.year <= last):
            g = ig.Graph(n=n)
            g.add_edges(zip(s[mask].tolist(), t[mask].tolist(), strict=True))
            g.simplify()
            values.append(np.asarray(g.neighborhood_size(order=2), dtype=float) - 1)
        return values[0], values[1], degree
    if outcome == "new_institution_ties":
        inst = (nodes["kind"] == "institution").to_numpy()
        count_s, count_t = inst[t], inst[s]
    elif outcome == "new_external_ties":
        region = nodes["region"]
        codes, _ = pd.factorize(region)
        known = codes >= 0
        other = known[s] & known[t] & (codes[s] != codes[t])
        count_s = count_t = other
    else:
        count_s = count_t = np.ones(len(s), dtype=bool)
    out = []
    for mask, years in ((pre, split - first), (post, last - split + 1)):
        per = np.bincount(s[mask & count_s], minlength=n) + np.bincount(
            t[mask & count_t], minlength=n
        )
        out.append(per / years)
    return out[0], out[1], degree


# ------------------------------------------------------------------ estimation


def _att(y: np.ndarray, treated: np.ndarray, cell: np.ndarray, w: np.ndarray, k: int) -> float:
    """Members' mean minus the cell-weighted non-members' mean, over cells with both."""
    wt = np.where(treated, w, 0.0)
    wc = np.where(treated, 0.0, w)
    st = np.bincount(cell, weights=wt, minlength=k)
    sc = np.bincount(cell, weights=wc, minlength=k)
    yt = np.bincount(cell, weights=wt * y, minlength=k)
    yc = np.bincount(cell, weights=wc * y, minlength=k)
    ok = (st > 0) & (sc > 0)
    if not ok.any():
        return float("nan")
    diff = yt[ok] / st[ok] - yc[ok] / sc[ok]
    return float((st[ok] * diff).sum() / st[ok].sum())


def _permutations(
    y: np.ndarray, treated: np.ndarray, cell: np.ndarray, k: int, rounds: int, rng: Any
) -> np.ndarray:
    """Estimates with membership reshuffled among the actors of each cell."""
    base = np.argsort(cell, kind="stable")
    ones = np.ones(len(y))
    out = np.empty(rounds)
    shuffled = np.empty(len(y), dtype=bool)
    for r in range(rounds):
        order = np.lexsort((rng.random(len(y)), cell))
        shuffled[order] = treated[base]
        out[r] = _att(y, shuffled, cell, ones, k)
    return out


def _bootstrap(
    y: np.ndarray, treated: np.ndarray, cell: np.ndarray, k: int, rounds: int, rng: Any
) -> np.ndarray:
    """Estimates on members and non-members resampled with replacement (each group apart).

    Cells are not held fixed: holding them would give a cell of one actor no
    variance at all. A cell left without members or non-members drops out.
    """
    group = treated.astype(np.int64)
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group, minlength=2)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    g_sorted = group[order]
    out = np.empty(rounds)
    for r in range(rounds):
        pick = starts[g_sorted] + (rng.random(len(y)) * sizes[g_sorted]).astype(np.int64)
        w = np.bincount(order[pick], minlength=len(y)).astype(float)
        out[r] = _att(y, treated, cell, w, k)
    return out


def _degree_bin(degree: np.ndarray) -> np.ndarray:
    """0, 1, 2-3, 4-7, 8-15, ... partners: bins 0, 1, 2, 3, 4..."""
    return np.where(degree > 0, np.floor(np.log2(np.maximum(degree, 1))) + 1, 0).astype(np.int64)


def _cells(nodes: pd.DataFrame, degree: np.ndarray, control: str) -> tuple[np.ndarray, list[str]]:
    if control == "all":
        return np.zeros(len(nodes), dtype=np.int64), []
    used = [c for c in MATCH_COLUMNS if c in nodes.columns]
    parts = [nodes[c].astype(str).fillna("?").to_numpy() for c in used]
    frame = pd.DataFrame(dict(zip(used, parts, strict=True)))
    frame["degree_bin"] = _degree_bin(degree)
    codes = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
    return codes.astype(np.int64), [*used, "pre-period degree (0, 1, 2-3, 4-7, ... partners)"]


def _estimate(
    ties: _Ties,
    nodes: pd.DataFrame,
    treated_all: np.ndarray,
    eligible: np.ndarray,
    outcome: str,
    span: tuple[int, int, int],
    control: str,
    resamples: int,
    rng: Any,
) -> dict[str, Any]:
    first, split, last = span
    pre, post, degree = _outcome(ties, outcome, first, split, last, nodes)
    idx = np.flatnonzero(eligible)
    y = (post - pre)[idx]
    treated = treated_all[idx]
    cell_raw, used = _cells(nodes.iloc[idx], degree[idx], control)
    has_t = np.bincount(cell_raw, weights=treated.astype(float)) > 0
    has_c = np.bincount(cell_raw, weights=(~treated).astype(float)) > 0
    matched = (has_t & has_c)[cell_raw]
    y, treated, cell_raw = y[matched], treated[matched], cell_raw[matched]
    cell = pd.factorize(cell_raw)[0].astype(np.int64)
    k = int(cell.max()) + 1 if len(cell) else 0
    keep = idx[matched]
    if not treated.any() or treated.all():
        return {"ok": False, "used": used, "eligible_idx": idx}
    estimate = _att(y, treated, cell, np.ones(len(y)), k)
    perms = _permutations(y, treated, cell, k, resamples, rng)
    boots = _bootstrap(y, treated, cell, k, resamples, rng)
    p = float((1 + (np.abs(perms) >= abs(estimate) - 1e-12).sum()) / (resamples + 1))
    alpha = (1 - LEVEL) / 2
    lo, hi = np.nanquantile(boots, [alpha, 1 - alpha]) if resamples else (np.nan, np.nan)
    st = np.bincount(cell, weights=treated.astype(float), minlength=k)
    sc = np.bincount(cell, weights=(~treated).astype(float), minlength=k)
    weight = np.where(treated, 1.0, st[cell] / np.maximum(sc[cell], 1))
    return {
        "ok": True,
        "estimate": estimate,
        "ci_low": float(lo),
        "ci_high": float(hi),
        "p_value": p,
        "used": used,
        "keep": keep,
        "pre": pre[keep],
        "post": post[keep],
        "treated": treated,
        "cell": cell,
        "weight": weight,
        "eligible_idx": idx,
    }


# ------------------------------------------------------------------ wording


def _statement(res: dict[str, Any], outcome: str, start: int, control: str) -> str:
    est, lo, hi, p = res["estimate"], res["ci_low"], res["ci_high"], res["p_value"]
    what = OUTCOMES[outcome]
    compared = (
        "comparable non-members (same " + ", ".join(c.split(" (")[0] for c in res["used"]) + ")"
        if control == "matched"
        else "all eligible non-members"
    )
    text = (
        f"From {start} on, members' {what} changed by {est:+.3g} compared with {compared}, "
        f"each measured against its own level before {start} (difference-in-differences; "
        f"95% interval {lo:+.3g} to {hi:+.3g}; permutation p = {p:.3g}). "
    )
    if p < 1 - LEVEL and (lo > 0 or hi < 0):
        text += "A difference this large rarely arises by chance among comparable actors. "
    else:
        text += "The data cannot tell this difference from chance. "
    text += (
        "It is an association between membership and the change: it measures the "
        "programme's contribution only if, without the programme, members would have "
        "changed as the comparison group did."
    )
    return text


def _caveats(res: dict[str, Any], placebo: dict[str, float] | None, control: str) -> list[str]:
    out = [
        "Selection into the programme: actors who join may already be more active, growing or "
        "better connected, and about to form ties anyway; matching on "
        + (", ".join(res["used"]) if control == "matched" else "nothing (all non-members)")
        + " removes only the differences it sees.",
        "Parallel trends: the estimate assumes members and non-members would have followed "
        "the same course without the programme; it cannot be checked directly.",
        "Spillovers: if the programme also changed non-members (partners of members, "
        "competitors), the comparison group is not untouched and the estimate is biased.",
        "Ties are counted in the year the data date them; late or missing records shift them.",
    ]
    if placebo is not None:
        verdict = (
            "a sign of different trends before the programme: read the estimate with care"
            if placebo["p_value"] < 1 - LEVEL
            else "no clear sign of different trends before the programme"
        )
        out.append(
            f"Placebo check: pretending the programme began in {int(placebo['start'])} and "
            f"using only earlier years gives {placebo['estimate']:+.3g} (p = "
            f"{placebo['p_value']:.3g}): {verdict}."
        )
    else:
        out.append("Too few years before the start for a placebo check of parallel trends.")
    return out


# ------------------------------------------------------------------ public API


def _dated_ties(net: ClusterNetwork, layers: list[str] | None) -> _Ties:
    e = net._edges
    if "year" not in e.columns:
        msg = "initiative_effect needs a `year` on the links (when each tie was formed)"
        raise ConfigError(msg)
    if layers is not None:
        net._check_layers(layers)
        e = e[e["layer"].isin(layers)]
    year = pd.to_numeric(e["year"], errors="coerce")
    e = e[year.notna().to_numpy()]
    year = year.dropna()
    s = positions(net._nodes.index, e["source"])
    t = positions(net._nodes.index, e["target"])
    keep = s != t
    return _Ties(s[keep], t[keep], year.to_numpy(dtype=np.int64)[keep], net.n_nodes)


def initiative_effect(
    net: ClusterNetwork,
    *,
    members: Selection,
    start: int,
    outcome: str = "new_ties",
    layers: str | Iterable[str] | None = None,
    control: str = "matched",
    seed: int | None = None,
    resamples: int = 999,
) -> InitiativeEffect:
    """Estimate how a programme's members changed their networking, against comparable actors.

    For every actor, the outcome is measured before the programme (years
    before ``start``) and after (``start`` to the last year of the links):

    - ``"new_ties"``: ties formed per year (links dated that year, in the
      selected layers);
    - ``"new_institution_ties"``: ties formed per year with institutions;
    - ``"new_external_ties"``: ties formed per year with actors of another
      region (needs a ``region`` column);
    - ``"reach"``: actors within two steps at the end of each period,
      counting every tie formed so far.

    The estimate is a difference-in-differences (Angrist & Pischke 2009,
    ch. 5): members' mean change minus non-members' mean change. With
    ``control="matched"`` (default), members are compared with non-members
    of the same kind, sector and region (when the node table has them) and
    a similar number of partners before the start (bins 0, 1, 2-3, 4-7...),
    by coarsened exact matching (Iacus, King & Porro 2012, *Political
    Analysis* 20:1): within each cell, non-members are weighted to the
    number of members; members in cells without a non-member are left out
    and counted. With ``control="all"``, every eligible non-member is a
    control. Eligible actors are those of the kinds the members have.

    The p-value comes from a permutation test that reshuffles membership
    among the actors of each cell ``resamples`` times; the interval from a
    bootstrap that resamples members and non-members (each group apart). A placebo run on the years
    before the start (as if the programme had begun half-way through them)
    checks for different trends before it. The result never claims the
    programme caused the change: the design cannot rule out that members
    joined because they were about to change anyway.

    Parameters
    ----------
    net : ClusterNetwork
        The cluster, with a ``year`` on its links.
    members : selection
        The programme's members: a list of ids, a kind, or a
        ``{column: values}`` dict (``{"member": True}``).
    start : int
        The first year of the programme; at least one year of links must
        come before it and one from it on.
    outcome : str
        One of :data:`OUTCOMES`.
    layers : str or list of str, optional
        Layers whose ties count; all by default.
    control : {"matched", "all"}
        Who members are compared with.
    seed : int, optional
        Seed of the permutations and the bootstrap (default ``settings.seed``).
    resamples : int
        Permutations and bootstrap replicates (each).

    Returns
    -------
    InitiativeEffect

    Raises
    ------
    ConfigError
        For an unknown outcome or control, a ``start`` outside the years, or
        links without a ``year``.
    InputError
        When the members select nobody or everybody, or no member has a
        comparable non-member.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.make_cluster(n_actors=400, seed=5,
    ...                       initiative={"share": 0.3, "start": 2020, "effect": 1.5})
    >>> res = cm.initiative_effect(net, members={"member": True}, start=2020,
    ...                            outcome="new_institution_ties", seed=1, resamples=199)
    >>> res.ci_low < 1.5 < res.ci_high, res.p_value < 0.05
    (True, True)
    >>> "caused" in res.statement
    False
    """
    from clustermap import settings

    if outcome not in OUTCOMES:
        msg = f"`outcome` must be one of {', '.join(map(repr, OUTCOMES))}, not {outcome!r}"
        raise ConfigError(msg)
    if control not in ("matched", "all"):
        msg = f"`control` must be 'matched' or 'all', not {control!r}"
        raise ConfigError(msg)
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        msg = f"`resamples` must be a whole number >= 1, not {resamples!r}"
        raise ConfigError(msg)
    if outcome == "new_external_ties" and "region" not in net._nodes.columns:
        msg = "outcome 'new_external_ties' needs a `region` column in the node table"
        raise ConfigError(msg)
    layer_list = None if layers is None else ([layers] if isinstance(layers, str) else list(layers))
    ties = _dated_ties(net, layer_list)
    if not len(ties.year):
        msg = "no dated link in the selected layers: nothing to measure before and after"
        raise EmptyNetworkError(msg)
    first, last = int(ties.year.min()), int(ties.year.max())
    if isinstance(start, bool) or not isinstance(start, int | np.integer):
        msg = f"`start` must be a year (a whole number), not {start!r}"
        raise ConfigError(msg)
    if not first < start <= last:
        msg = (
            f"`start={start}` leaves no year before or after it: the links run from {first} "
            f"to {last}, so `start` must be from {first + 1} to {last}"
        )
        raise ConfigError(msg)
    seed = settings.seed if seed is None else int(seed)
    rng = np.random.default_rng(seed)
    nodes = net._nodes
    ids = net.resolve(members, argument="members")
    treated_all = nodes.index.isin(ids)
    member_kinds = nodes.loc[treated_all, "kind"].unique()
    eligible = nodes["kind"].isin(member_kinds).to_numpy()
    if treated_all.sum() == eligible.sum():
        msg = "`members` selects every eligible actor: there is nobody to compare them with"
        raise InputError(msg)
    res = _estimate(
        ties, nodes, treated_all, eligible, outcome, (first, start, last), control, resamples, rng
    )
    if not res["ok"]:
        msg = (
            "no member has a comparable non-member (same "
            + ", ".join(res["used"])
            + "): try control='all', or fewer matching columns in the node table"
        )
        raise InputError(msg)
    placebo = None
    if start - first >= 2:
        mid = first + (start - first) // 2
        pres = _estimate(
            ties, nodes, treated_all, eligible, outcome, (first, mid, start - 1), control,
            resamples, rng,
        )  # fmt: skip
        if pres["ok"]:
            placebo = {k: pres[k] for k in ("estimate", "ci_low", "ci_high", "p_value")}
            placebo["start"] = mid
    treated = res["treated"]
    n_members = int(treated_all.sum())
    sizes = {
        "members": n_members,
        "members_matched": int(treated.sum()),
        "non_members_eligible": int(eligible.sum() - n_members),
        "non_members_used": int((~treated).sum()),
        "cells": int(res["cell"].max()) + 1,
    }
    keep = res["keep"]
    actors = pd.DataFrame(
        {
            "name": nodes["name"].to_numpy()[keep],
            "kind": nodes["kind"].to_numpy()[keep],
            "member": treated,
            "cell": res["cell"] + 1,
            "before": res["pre"],
            "after": res["post"],
            "change": res["post"] - res["pre"],
            "weight": res["weight"],
        },
        index=pd.Index(nodes.index[keep], name="id"),
    )
    groups = (
        actors.assign(
            wb=actors["before"] * actors["weight"],
            wa=actors["after"] * actors["weight"],
        )
        .groupby("member")[["weight", "wb", "wa"]]
        .sum()
    )
    groups = pd.DataFrame(
        {
            "actors": actors.groupby("member").size(),
            "mean_before": groups["wb"] / groups["weight"],
            "mean_after": groups["wa"] / groups["weight"],
        }
    ).rename(index={True: "members", False: "non-members (weighted)"})
    groups["change"] = groups["mean_after"] - groups["mean_before"]
    groups.index.name = "group"
    groups = groups.loc[["members", "non-members (weighted)"]]
    design = (
        f"difference-in-differences: change in {OUTCOMES[outcome]} from {first}-{start - 1} "
        f"to {start}-{last}, members against "
        + ("matched non-members" if control == "matched" else "all eligible non-members")
    )
    matching = (
        "coarsened exact matching on " + ", ".join(res["used"])
        if control == "matched"
        else "none: every eligible non-member (kinds " + ", ".join(map(str, member_kinds)) + ")"
    )
    record = stamp(
        pd.DataFrame(),
        method="initiative_effect",
        parameters={
            "start": int(start),
            "outcome": outcome,
            "control": control,
            "resamples": resamples,
            "level": LEVEL,
        },
        seed=seed,
        layers=layer_list,
        design=design,
        matching=matching,
    ).attrs
    for table in (actors, groups):
        table.attrs.update(dict(record))
    log.info("initiative_effect: %s, estimate %.4g", outcome, res["estimate"])
    return InitiativeEffect(
        estimate=res["estimate"],
        ci_low=res["ci_low"],
        ci_high=res["ci_high"],
        p_value=res["p_value"],
        outcome=outcome,
        start=int(start),
        design=design,
        matching=matching,
        sizes=sizes,
        statement=_statement(res, outcome, int(start), control),
        caveats=_caveats(res, placebo, control),
        placebo=placebo,
        groups=groups,
        actors=actors,
        provenance=dict(record),
    )
