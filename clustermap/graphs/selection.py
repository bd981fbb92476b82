"""Resolve a *selection* of actors to node ids: the one helper every function uses.

A selection is one of

- a list (or set, tuple, :class:`pandas.Index`, :class:`pandas.Series`) of ids;
- a kind name: ``"firm"``, ``"supplier"``, ``"institution"`` (or ``"industry"``,
  the kind of the nodes of industry-level networks such as input-output tables);
- a dict ``{column: value or list of values}``, every entry of which must
  hold (``{"category": ["university", "research centre"], "region": "UKG"}``).

A selection that matches nobody is an :class:`~clustermap.errors.InputError`
that names what was asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from clustermap.errors import ConfigError, InputError
from clustermap.graphs._lookup import positions

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["KINDS", "NODE_KINDS", "Selection", "resolve_selection"]

#: The kinds of actor in a firm-level cluster network.
KINDS: tuple[str, ...] = ("firm", "supplier", "institution")
#: Every kind a node may have: the actor kinds, and ``industry`` for industry-level
#: networks (input-output tables, cluster templates).
NODE_KINDS: tuple[str, ...] = (*KINDS, "industry")

Selection: TypeAlias = str | Mapping[str, Any] | Iterable[Any]


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
            if pd.api.types.is_string_dtype(values.dtype) and all(
                isinstance(w, str) for w in wanted_list
            ):
                mask &= positions(pd.Index(wanted_list, dtype=object), values) >= 0
            else:
                mask &= np.asarray(pd.Series(values).isin(wanted_list), dtype=bool)
            parts.append(f"{column} in {wanted_list!r}")
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
        raise InputError(msg)
    return selected
