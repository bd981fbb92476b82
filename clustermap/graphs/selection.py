"""Resolve a *selection* of actors to node ids: the one helper every function uses.

A selection is one of

- a list (or set, tuple, :class:`pandas.Index`, :class:`pandas.Series`) of ids;
- a kind name: ``"firm"``, ``"supplier"``, ``"institution"`` (or ``"industry"``,
  the kind of the nodes of industry-level networks such as input-output tables);
- a dict ``{column: value or list of values}``, every entry of which must
  hold (``{"category": ["university", "research centre"], "region": "UKG"}``);
  a value may be :func:`contains` for a piece of text
  (``{"name": cm.contains("Bosch")}`` finds "Robert Bosch GmbH").

A selection that matches nobody is an :class:`~clustermap.errors.InputError`
that names what was asked; unknown ids and text values get a "did you mean"
with the closest ids and names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from clustermap.errors import ConfigError, InputError
from clustermap.graphs._lookup import positions

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["KINDS", "NODE_KINDS", "Contains", "Selection", "contains", "resolve_selection"]

#: The kinds of actor in a firm-level cluster network.
KINDS: tuple[str, ...] = ("firm", "supplier", "institution")
#: Every kind a node may have: the actor kinds, and ``industry`` for industry-level
#: networks (input-output tables, cluster templates).
NODE_KINDS: tuple[str, ...] = (*KINDS, "industry")

Selection: TypeAlias = str | Mapping[str, Any] | Iterable[Any]


def _fold(text: pd.Series) -> pd.Series:
    """Case and accents folded, for matching pieces of text."""
    folded = text.astype("string").str.normalize("NFKD").str.encode("ascii", "ignore")
    return folded.str.decode("ascii").str.casefold()


@dataclass(frozen=True)
class Contains:
    """A piece of text to look for in a column; made by :func:`contains`."""

    text: str

    def __repr__(self) -> str:
        return f"contains({self.text!r})"

    def mask(self, values: pd.Series | pd.Index) -> np.ndarray:
        """True where the value holds the text (case and accents set aside)."""
        needle = _fold(pd.Series([self.text])).iloc[0]
        found = _fold(pd.Series(values)).str.contains(needle, regex=False)
        return np.asarray(found.fillna(False), dtype=bool)


def contains(text: str) -> Contains:
    """Select the actors whose column holds ``text``, case and accents set aside.

    Use it as a value of a ``{column: value}`` selection; a list of several
    picks actors that hold any of them.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["b1", "b2", "s"], "name": ["Robert Bosch GmbH", "BOSCH Rexroth", "Siemens"],
    ...      "kind": "firm"},
    ...     {"source": ["b1"], "target": ["s"], "layer": "supply"},
    ... )
    >>> list(net.resolve({"name": cm.contains("bosch")}))
    ['b1', 'b2']
    """
    if not isinstance(text, str) or not text.strip():
        msg = f"`contains` needs a non-empty text, not {text!r}"
        raise ConfigError(msg)
    return Contains(text.strip())


def _closest(asked: str, choices: list[str], limit: int) -> list[tuple[int, float]]:
    """Positions and scores of the choices closest to ``asked`` (rapidfuzz WRatio >= 60)."""
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        asked,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=60,
    )
    return [(int(pos), float(score)) for _, score, pos in found]


def did_you_mean(nodes: pd.DataFrame, asked: str, *, column: str = "id", limit: int = 3) -> str:
    """The closest ids (with their names) or values of ``column``, as text for a message.

    Examples
    --------
    >>> import pandas as pd
    >>> nodes = pd.DataFrame({"name": ["Acme GmbH", "Bolt"]}, index=["F-0093", "F-0100"])
    >>> did_you_mean(nodes, "F-093")
    "did you mean 'F-0093' (Acme GmbH)?"
    >>> did_you_mean(nodes, "acme")
    "did you mean 'F-0093' (Acme GmbH)?"
    """
    if column == "id":
        ids = nodes.index.astype(str).tolist()
        names = nodes["name"].astype(str).tolist() if "name" in nodes.columns else ids
        hits: dict[int, float] = {}
        for choices in (ids, names):
            for pos, score in _closest(asked, choices, limit):
                hits[pos] = max(score, hits.get(pos, 0.0))
        best = sorted(hits, key=lambda p: (-hits[p], p))[:limit]
        shown = [f"{ids[p]!r} ({names[p]})" if names[p] != ids[p] else repr(ids[p]) for p in best]
    else:
        values = pd.unique(nodes[column].dropna().astype(str)).tolist()
        shown = [repr(values[pos]) for pos, _ in _closest(asked, values, limit)]
    return f"did you mean {' or '.join(shown)}?" if shown else ""


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def resolve_selection(
    net: ClusterNetwork, selection: Selection, *, argument: str = "nodes"
) -> pd.Index:
    """Return the ids of the actors that ``selection`` picks, in network order.

    Parameters
    ----------
    net : ClusterNetwork
        The network whose actors are selected.
    selection : list of ids, kind name or dict
        See the module docstring.
    argument : str
        The name of the option being resolved, used in error messages.

    Returns
    -------
    pandas.Index
        The selected ids, in the order of ``net.nodes``.

    Raises
    ------
    InputError
        When ids are unknown or the selection matches nobody.
    ConfigError
        When the selection has an unsupported form or names a missing column.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["a", "b", "u"], "name": ["A", "B", "Uni"],
    ...      "kind": ["firm", "firm", "institution"]},
    ...     {"source": ["u"], "target": ["a"], "layer": ["knowledge"]},
    ... )
    >>> list(resolve_selection(net, "institution"))
    ['u']
    >>> list(resolve_selection(net, {"kind": ["firm"]}))
    ['a', 'b']
    >>> list(resolve_selection(net, ["b", "a"]))
    ['a', 'b']
    """
    nodes = net.nodes
    hint = ""
    if isinstance(selection, str):
        if selection not in NODE_KINDS:
            msg = (
                f"`{argument}` is the string {selection!r}, which is not a kind; "
                f"a string selection must be one of {', '.join(map(repr, NODE_KINDS))} "
                f"(for a single actor pass a list: [{selection!r}])"
            )
            raise ConfigError(msg)
        mask = (nodes["kind"] == selection).to_numpy()
        described = f"kind {selection!r}"
    elif isinstance(selection, Mapping):
        if not selection:
            msg = f"`{argument}` is an empty dict; give at least one {{column: value}}"
            raise ConfigError(msg)
        mask = np.ones(len(nodes), dtype=bool)
        parts = []
        for column, wanted in selection.items():
            if column != "id" and column not in nodes.columns:
                msg = (
                    f"`{argument}` selects on column {column!r}, which the node table "
                    f"does not have; columns are: {', '.join(map(repr, nodes.columns))}"
                )
                raise ConfigError(msg)
            values = nodes.index if column == "id" else nodes[column]
            wanted_list = _as_list(wanted)
            pieces = [w for w in wanted_list if isinstance(w, Contains)]
            exact = [w for w in wanted_list if not isinstance(w, Contains)]
            hit = np.zeros(len(nodes), dtype=bool)
            for piece in pieces:
                hit |= piece.mask(values)
            text_only = all(isinstance(w, str) for w in exact)
            if exact and pd.api.types.is_string_dtype(values.dtype) and text_only:
                hit |= positions(pd.Index(exact, dtype=object), values) >= 0
            elif exact:
                hit |= np.asarray(pd.Series(values).isin(exact), dtype=bool)
            mask &= hit
            parts.append(f"{column} in {wanted_list!r}")
            texts = [w.text if isinstance(w, Contains) else w for w in wanted_list]
            if not hit.any() and all(isinstance(w, str) for w in texts):
                hints = [did_you_mean(nodes, w, column=column) for w in texts[:3]]
                hint = "; ".join(h for h in hints if h)
        described = " and ".join(parts)
    elif isinstance(selection, Iterable):
        ids = pd.Index([str(x) for x in selection])
        if len(ids) == 0:
            msg = f"`{argument}` is an empty list of ids: select at least one actor"
            raise InputError(msg)
        unknown = ids[positions(nodes.index, ids) < 0]
        if len(unknown):
            shown = ", ".join(map(repr, unknown[:10]))
            more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
            msg = f"`{argument}` names ids that are not in the network: {shown}{more}"
            if set(unknown) <= set(KINDS):
                msg += f" (to select several kinds write {{'kind': {list(unknown)!r}}})"
            else:
                close = [(u, did_you_mean(nodes, u)) for u in unknown[:3]]
                said = "; ".join(f"for {u!r} {h}" for u, h in close if h)
                if said:
                    msg += f" ({said})"
            raise InputError(msg)
        mask = positions(ids, nodes.index) >= 0
        described = "the ids given"
    else:
        msg = (
            f"`{argument}` must be a list of ids, a kind name or a {{column: values}} dict, "
            f"not {type(selection).__name__}"
        )
        raise ConfigError(msg)
    selected = nodes.index[mask]
    if len(selected) == 0:
        msg = f"`{argument}` selects nobody: no actor has {described}"
        if hint:
            msg += f" ({hint})"
        raise InputError(msg)
    return selected
