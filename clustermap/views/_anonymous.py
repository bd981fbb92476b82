"""What leaves in a view's file: chosen columns, and salted pseudonyms instead of ids and names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from clustermap._anonymize import pseudonyms
from clustermap.graphs.network import ClusterNetwork
from clustermap.views._build import check_column

__all__ = ["kept_columns", "pseudonymised"]

#: Columns a view always needs.
_ALWAYS = ("name", "kind", "community")


def kept_columns(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Only ``columns`` (and name, kind, community) of the actors' table.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A"], "kind": ["firm"], "vat": ["X1"], "region": ["N"]})
    >>> list(kept_columns(t, ["region"]).columns)
    ['name', 'kind', 'region']
    """
    for col in columns:
        check_column(table, col, "columns")
    keep = [c for c in table.columns if c in _ALWAYS or c in columns]
    return table[keep]


@dataclass
class _RenamedPartition:
    """A partition whose membership is indexed by pseudonyms (its labels stay generic)."""

    membership: pd.Series
    method: str
    provenance: dict[str, Any] = field(default_factory=dict)


def pseudonymised(
    net: ClusterNetwork, table: pd.DataFrame, partition: Any, salt: str
) -> tuple[ClusterNetwork, pd.DataFrame, Any]:
    """The network, table and partition with ids and names replaced by salted pseudonyms.

    The salt is used for the keyed hash only; nothing derived from it but the
    pseudonyms reaches the page.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables({"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"},
    ...                      {"source": ["a"], "target": ["b"], "layer": "supply"})
    >>> new, table, _ = pseudonymised(net, net.nodes, None, "a long secret")
    >>> table.index.equals(new.nodes.index), bool((table["name"] == table.index).all())
    (True, True)
    >>> "a" in set(new.edges["source"])
    False
    """
    mapping = pseudonyms(table.index, salt)
    renamed = pd.Index(mapping.reindex(table.index.astype(str)).to_numpy(), name="id")
    table = table.set_axis(renamed).assign(name=renamed.to_numpy())
    nodes = net._nodes.set_axis(renamed).assign(name=renamed.to_numpy())
    edges = net._edges.assign(
        source=net._edges["source"].astype(str).map(mapping).to_numpy(),
        target=net._edges["target"].astype(str).map(mapping).to_numpy(),
    )
    meta = {k: v for k, v in net._meta.items() if k != "name"}
    new = ClusterNetwork._trusted(nodes, edges, net._directed, meta)
    if partition is not None:
        m = partition.membership
        m = pd.Series(m.to_numpy(), index=m.index.astype(str).map(mapping))
        record = dict(getattr(partition, "provenance", {}) or {})
        partition = _RenamedPartition(m, str(getattr(partition, "method", "")), record)
    return new, table, partition
