"""The steps of a project run: read the inputs, one step per analysis, the views.

Every step is a function of a :class:`RunContext` (a
:class:`~clustermap.demo.DemoContext` that also knows the configuration),
so the demo steps other parts register with
:func:`~clustermap.demo.demo_step` run in the same loop and share results
through ``ctx.results``. Steps store results under fixed keys the report
reads: ``partition``, ``centrality``, ``brokerage``, ``resilience``,
``spillover_*``, ``knowledge_roles``, ``specialisation``, ``comparison``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clustermap.demo import DemoContext
from clustermap.errors import ConfigError
from clustermap.graphs.network import ClusterNetwork

__all__ = ["BUILTIN", "RunContext", "Step", "read_inputs"]

log = logging.getLogger(__name__)


@dataclass
class RunContext(DemoContext):
    """What the steps of a run share: the demo context plus the configuration."""

    config: dict[str, Any] = field(default_factory=dict)
    base: Path = Path()
    inputs: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def wants(self, fmt: str) -> bool:
        """Whether the project writes tables in format ``fmt`` (``csv``, ``xlsx``)."""
        return fmt in self.config["outputs"]["formats"]

    def options(self, analysis: str) -> dict[str, Any]:
        """The resolved options of one analysis."""
        return dict(self.config["analyses"][analysis])

    def about(self) -> dict[str, Any]:
        """The ``inputs`` record written beside each table (no absolute paths, no dates)."""
        return {
            "project": str(self.config["project"]["name"]),
            "inputs": [i["file"] for i in self.inputs],
            "seed": self.seed,
        }


@dataclass(frozen=True)
class Step:
    """One step of a run."""

    name: str
    order: int
    label: str
    run: Callable[[RunContext], None]
    seeded: bool = False


def sha256(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Collect(logging.Handler):
    """Keep the loaders' messages (rows dropped, names filled in) for the report."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _renamed(table: pd.DataFrame, columns: dict[str, str] | None) -> pd.DataFrame:
    if not columns:
        return table
    attrs = dict(table.attrs)
    out = table.rename(columns={theirs: ours for ours, theirs in columns.items()})
    out.attrs = attrs
    return out


def _assigned(table: pd.DataFrame, column: str, value: str) -> pd.DataFrame:
    attrs = dict(table.attrs)
    out = table.assign(**{column: value})
    out.attrs = attrs
    return out


def read_inputs(config: dict[str, Any], base: Path) -> tuple[ClusterNetwork, list[dict], list[str]]:
    """Build the network the project describes; also return what was read and said."""
    from clustermap.loaders.files import read_table
    from clustermap.loaders.tables import from_tables

    inputs = config["inputs"]
    if "generate" in inputs:
        from clustermap.loaders.generator import make_cluster

        gen = inputs["generate"]
        net = make_cluster(n_actors=gen["n_actors"], seed=gen["seed"])
        record: dict[str, Any] = {
            "file": f"make_cluster(n_actors={gen['n_actors']}, seed={gen['seed']})",
            "role": "generated",
            "rows": net.n_nodes,
            "links": net.n_edges,
            "sha256": None,
        }
        return net, [record], []
    collect = _Collect()
    loaders = logging.getLogger("clustermap.loaders")
    loaders.addHandler(collect)
    records: list[dict[str, Any]] = []
    try:
        tables: dict[str, list[pd.DataFrame]] = {"nodes": [], "links": []}
        for role in ("nodes", "links"):
            for entry in inputs[role]:
                path = Path(entry["file"])
                table = read_table(path, sheet=entry["sheet"])
                table = _renamed(table, entry["columns"])
                if role == "nodes" and entry["kind"]:
                    table = _assigned(table, "kind", entry["kind"])
                if role == "links" and entry["layer"] and "layer" not in table.columns:
                    table = _assigned(table, "layer", entry["layer"])
                tables[role].append(table)
                records.append(
                    {
                        "file": _relative(path, base),
                        "role": role,
                        "rows": len(table),
                        "sha256": sha256(path),
                    }
                )
        net = from_tables(
            tables["nodes"] or None,
            tables["links"] or None,
            columns=inputs["columns"],
            drop_dangling=inputs["drop_dangling"],
            self_loops=inputs["self_loops"],
        )
    finally:
        loaders.removeHandler(collect)
    meta = {"name": config["project"]["name"], "inputs": [r["file"] for r in records]}
    net = ClusterNetwork._trusted(net.nodes, net.edges, net.directed, meta)
    return net, records, collect.messages


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name


# ---------------------------------------------------------------- analyses


def _network(ctx: RunContext) -> None:
    from clustermap.exports import write_csv

    if not ctx.config["outputs"]["network"]:
        return
    ctx.net.save(ctx.path("network.cmap"))
    summary = ctx.net.summary().to_frame("value")
    summary.index.name = "item"
    if ctx.wants("csv"):
        write_csv(summary.astype(str), ctx.path("summary.csv"), meta=False)


def _communities(ctx: RunContext) -> None:
    from clustermap.analysis.communities import find_communities
    from clustermap.exports import write_csv, write_excel

    o = ctx.options("communities")
    part = find_communities(
        ctx.net,
        method=o["method"],
        resolution=o["resolution"],
        runs=o["runs"],
        layers=o["layers"],
        seed=ctx.seed,
    )
    ctx.results["partition"] = part
    if ctx.wants("xlsx"):
        write_excel(part.to_sheets(ctx.net), ctx.path("communities.xlsx"), inputs=ctx.about())
    if ctx.wants("csv"):
        write_csv(part.to_frame(ctx.net), ctx.path("communities.csv"), inputs=ctx.about())


def _centrality(ctx: RunContext) -> None:
    from clustermap.analysis.centrality import centrality
    from clustermap.commands.centrality import key_actor_sheets
    from clustermap.exports import write_csv, write_excel

    o = ctx.options("centrality")
    table = centrality(
        ctx.net, measures=o["measures"], layers=o["layers"], weighted=o["weighted"], seed=ctx.seed
    )
    ctx.results["centrality"] = table
    if ctx.wants("csv"):
        write_csv(table, ctx.path("centrality.csv"), inputs=ctx.about())
    if ctx.wants("xlsx"):
        write_excel(key_actor_sheets(table), ctx.path("key_actors.xlsx"), inputs=ctx.about())


def _brokerage(ctx: RunContext) -> None:
    from clustermap.analysis.brokerage import brokerage
    from clustermap.exports import write_csv

    o = ctx.options("brokerage")
    groups: Any = o["groups"]
    if groups == "community":
        partition = ctx.results.get("partition")
        if partition is None:
            msg = (
                "analyses.brokerage.groups = 'community' needs the communities analysis: "
                "add an [analyses.communities] table or name a node column (e.g. 'region')"
            )
            raise ConfigError(msg)
        groups = partition.membership.rename("community")
    table = brokerage(ctx.net, groups=groups, layers=o["layers"])
    ctx.results["brokerage"] = table
    if ctx.wants("csv"):
        write_csv(table, ctx.path("brokerage.csv"), inputs=ctx.about())


def _resilience(ctx: RunContext) -> None:
    from clustermap.analysis.resilience import resilience
    from clustermap.exports import write_excel

    result = resilience(ctx.net, layers=ctx.options("resilience")["layers"])
    ctx.results["resilience"] = result
    if ctx.wants("xlsx"):
        write_excel(result, ctx.path("resilience.xlsx"), inputs=ctx.about())


def _spillover(ctx: RunContext) -> None:
    from clustermap.commands.spillover import _analyse, _write

    o = ctx.options("spillover")
    partition = ctx.results.get("partition")
    groups = partition.membership.rename("community") if partition is not None else None
    results = _analyse(
        ctx.net,
        sources=o["sources"],
        targets=o["targets"],
        internal=o["internal"],
        layers=o["layers"],
        options={
            "groups": groups,
            "seed": ctx.seed,
            "k": o["k"],
            "max_hops": o["max_hops"],
            "diffusion": None if o["diffusion"] == "none" else o["diffusion"],
        },
    )
    ctx.results.update(results)
    if ctx.wants("csv"):
        _write(results, ctx.path, ctx.about(), 0)


def _public(name: str, part: str) -> Any:
    import clustermap

    try:
        return getattr(clustermap, name)
    except AttributeError:
        msg = f"this clustermap has no {name}(); the {part} analysis needs a newer clustermap"
        raise ConfigError(msg) from None


def _specialisation(ctx: RunContext) -> None:
    from clustermap.exports import write_csv, write_excel
    from clustermap.loaders.files import read_table

    o = ctx.options("specialisation")
    location_quotients = _public("location_quotients", "specialisation")
    table = read_table(o["employment"])
    mapping = read_table(o["mapping"]) if o["mapping"] else None
    lq = location_quotients(
        table,
        region=o["region"],
        industry=o["industry"],
        value=o["value"],
        establishments=o["establishments"],
        mapping=mapping,
        denominator=o["denominator"],
    )
    strength = getattr(__import__("clustermap"), "cluster_strength", None)
    result = strength(lq) if callable(strength) else lq
    ctx.results["specialisation"] = result
    if ctx.wants("csv"):
        write_csv(result, ctx.path("specialisation.csv"), index=False, inputs=ctx.about())
    if ctx.wants("xlsx"):
        write_excel(result, ctx.path("specialisation.xlsx"), inputs=ctx.about())


def _change(ctx: RunContext) -> None:
    from clustermap.exports import write_excel

    o = ctx.options("change")
    compare_networks = _public("compare_networks", "change")
    before = ctx.net.select(years=tuple(o["before"]))
    after = ctx.net.select(years=tuple(o["after"]))
    comparison = compare_networks(before, after, layers=o["layers"])
    ctx.results["comparison"] = comparison
    if ctx.wants("xlsx") and callable(getattr(comparison, "to_sheets", None)):
        write_excel(comparison, ctx.path("change.xlsx"), inputs=ctx.about())


# ---------------------------------------------------------------- outputs


def _view(ctx: RunContext) -> None:
    from clustermap.commands.view import save_run_view

    if not ctx.config["outputs"]["view"]:
        return
    save_run_view(
        ctx.net,
        ctx.path("network.html"),
        ctx.results,
        title=str(ctx.config["project"]["name"]),
        seed=ctx.seed,
    )


def _report(ctx: RunContext) -> None:
    from clustermap.views.report import save_report

    if not ctx.config["outputs"]["report"]:
        return
    save_report(
        ctx.net,
        ctx.path("report.html"),
        results=ctx.results,
        title=str(ctx.config["project"]["name"]),
        inputs={"files": ctx.inputs, "messages": ctx.messages},
        seed=ctx.seed,
    )


#: The built-in steps, by name; orders match those of the demo steps they replace.
BUILTIN: dict[str, Step] = {
    s.name: s
    for s in (
        Step("network", 0, "network", _network),
        Step("communities", 10, "communities", _communities, seeded=True),
        Step("centrality", 20, "centrality", _centrality, seeded=True),
        Step("brokerage", 30, "brokerage", _brokerage),
        Step("resilience", 40, "resilience", _resilience),
        Step("spillover", 50, "knowledge spillovers", _spillover, seeded=True),
        Step("specialisation", 60, "specialisation", _specialisation),
        Step("change", 70, "change over time", _change),
        Step("view", 90, "interactive view", _view, seeded=True),
        Step("report", 95, "report", _report),
    )
}

#: Modules whose registered demo steps the built-in steps replace.
COVERED_MODULES = frozenset(
    f"clustermap.commands.{m}"
    for m in (
        "network",
        "communities",
        "centrality",
        "brokerage",
        "resilience",
        "spillover",
        "view",
    )
)
