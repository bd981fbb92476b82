"""Results as actor columns: the one rule that views, exports and the report share.

Views colour and size actors by result columns, exports write them as node
attributes, the report ranks actors by them. All three turn "the results the
user passed" into columns beside the node table with :func:`result_columns`,
so a column gets the same name everywhere.

The rule
--------
1. ``results`` is ``None``, one result, a list of results or a dict
   ``{name: result}``. Each result has a *name*: its dict key; in a list, a
   Series' own name, else ``"result 1"``, ``"result 2"``...; a single result
   is ``"results"``. ``None`` entries are skipped.
2. A partition (anything with a ``membership`` Series) gives ``community``
   and, when it has ``labels(net)``, ``community_label``. The first
   partition is also returned as :attr:`ResultColumns.partition`.
3. A Series gives one column, called by its name (or the result's name when
   unnamed); a DataFrame, or an object with ``to_frame()``, gives its
   columns. Ids are read as text; a duplicated id keeps its first row;
   actors the result does not cover get missing values.
4. A table that covers none of the network's actors (a table of paths, a
   summary by group) is skipped, with an INFO log message: it is not an
   actor-level result.
5. A column that repeats a node column with the same values (the ``name``
   and ``kind`` a centrality table carries) is dropped.
6. Any other clash, with a node column or with a column an earlier result
   gave, is renamed ``"<result name>.<column>"``: nothing is overwritten and
   nothing is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from clustermap.errors import ConfigError
from clustermap.graphs._lookup import positions

__all__ = ["ResultColumns", "named_results", "result_columns"]

log = logging.getLogger(__name__)


@dataclass
class ResultColumns:
    """Columns from results, aligned with the network's node table.

    Attributes
    ----------
    table : pandas.DataFrame
        Only the result columns, indexed like ``net.nodes``.
    partition : object or None
        The first partition among the results.
    sources : dict
        ``{column: name of the result it came from}``.
    """

    table: pd.DataFrame
    partition: Any = None
    sources: dict[str, str] = field(default_factory=dict)

    def joined(self, nodes: pd.DataFrame) -> pd.DataFrame:
        """The node table with the result columns added after its own."""
        if self.table.shape[1] == 0:
            return nodes
        out = pd.concat([nodes, self.table], axis=1)
        out.index.name = nodes.index.name
        return out


def named_results(results: Any) -> list[tuple[str, Any]]:
    """``(name, result)`` pairs by rule 1 of the module docstring.

    Examples
    --------
    >>> named_results({"scores": 1, "skip": None})
    [('scores', 1)]
    >>> [name for name, _ in named_results([pd.Series([1], name="pagerank"), pd.DataFrame()])]
    ['pagerank', 'result 2']
    """
    if results is None:
        return []
    if isinstance(results, Mapping):
        items = [(str(k), v) for k, v in results.items()]
    elif isinstance(results, list | tuple):
        items = [
            (
                str(v.name) if isinstance(v, pd.Series) and v.name is not None else f"result {i}",
                v,
            )
            for i, v in enumerate(results, start=1)
        ]
    else:
        items = [("results", results)]
    return [(k, v) for k, v in items if v is not None]


def _frame(net: Any, key: str, value: Any) -> pd.DataFrame:
    if hasattr(value, "membership"):
        membership = value.membership
        frame = pd.DataFrame({"community": membership.to_numpy()}, index=membership.index)
        labels = getattr(value, "labels", None)
        if callable(labels):
            frame["community_label"] = membership.map(labels(net)).to_numpy()
        return frame
    if isinstance(value, pd.Series):
        return value.to_frame(value.name if value.name is not None else key)
    if isinstance(value, pd.DataFrame):
        return value
    if callable(getattr(value, "to_frame", None)):
        frame = value.to_frame()
        if isinstance(frame, pd.DataFrame):
            return frame
    msg = (
        f"result {key!r} is a {type(value).__name__}; results must be partitions, Series or "
        "DataFrames indexed by actor id (or objects with to_frame())"
    )
    raise ConfigError(msg)


def _same(nodes: pd.DataFrame, column: str, values: pd.Series) -> bool:
    ours = nodes[column]
    if not ours.index.equals(values.index):
        ours = ours.reindex(values.index)
    elif ours.dtype == values.dtype and ours.equals(values):
        return True
    return bool(ours.astype(object).equals(values.astype(object)))


def result_columns(net: Any, results: Any) -> ResultColumns:
    """Turn results into columns beside ``net.nodes`` by the rule of this module.

    Parameters
    ----------
    net : ClusterNetwork
        The network whose actors the results describe.
    results : None, a result, a list of results or a dict of them
        Partitions, Series, DataFrames indexed by actor id, objects with
        ``to_frame()``.

    Returns
    -------
    ResultColumns

    Raises
    ------
    ConfigError
        When a result is none of the accepted types.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.make_cluster(n_actors=30, seed=1)
    >>> a = pd.DataFrame({"score": 1.0, "name": net.nodes["name"]}, index=net.nodes.index)
    >>> b = pd.Series(2.0, index=net.nodes.index, name="score")
    >>> cols = result_columns(net, {"a": a, "b": b})
    >>> list(cols.table.columns), cols.sources["b.score"]
    (['score', 'b.score'], 'b')
    """
    nodes = net.nodes
    partition = None
    pieces: list[pd.DataFrame] = []
    sources: dict[str, str] = {}
    for key, value in named_results(results):
        if partition is None and hasattr(value, "membership"):
            partition = value
        frame = _frame(net, key, value)
        aligned = frame.index.equals(nodes.index)  # a result of this very network
        if not aligned:
            index = pd.Index(frame.index.astype(str))
            known = positions(nodes.index, index) >= 0  # Arrow hash lookup: fast on text ids
            if len(frame) and not known.any():
                log.info("result %r is not indexed by actor id; it gives no actor columns", key)
                continue
            frame = frame.set_axis(index)
            frame = frame.loc[~index.duplicated() & known]
        rename: dict[Any, str] = {}
        for col in frame.columns:
            name = str(col)
            if name in nodes.columns and _same(nodes, name, frame[col]):
                continue
            if name in nodes.columns or name in sources:
                name = f"{key}.{name}"
            rename[col] = name
            sources[name] = key
        if rename:
            chosen = frame[list(rename)].set_axis(list(rename.values()), axis=1)
            pieces.append(chosen.set_axis(nodes.index) if aligned else chosen.reindex(nodes.index))
    table = pd.concat(pieces, axis=1) if pieces else pd.DataFrame(index=nodes.index)
    table.index.name = nodes.index.name
    return ResultColumns(table, partition, sources)
