"""``clustermap brokerage``: structural holes and brokerage roles; the demo's brokerage.csv."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from clustermap.cli import anonymize_option, console, echo, network_input, out_path, output_option
from clustermap.commands._centrality_output import FORMATS, check_output, split_list, write_result
from clustermap.demo import DemoContext, demo_step

if TYPE_CHECKING:
    import pandas as pd

    from clustermap.graphs.network import ClusterNetwork

__all__ = ["command"]


def _summary(table: pd.DataFrame) -> str:
    import numpy as np

    from clustermap.analysis.brokerage import ROLES

    lines = [f"brokerage of {len(table)} actors ({table.attrs.get('nodes', '')})"]
    if len(table):
        constraint = table["constraint"].to_numpy(dtype=float)
        if np.isfinite(constraint).any():
            low = table.iloc[int(np.nanargmin(constraint))]
            lines.append(f"  least constrained: {low['name']} (constraint {low['constraint']:.3f})")
        for role in (*ROLES, "total"):
            best = table.iloc[int(table[role].to_numpy().argmax())]
            if best[role] > 0:
                lines.append(f"  top {role}: {best['name']} ({best[role]})")
    return "\n".join(lines)


@click.command("brokerage")
@network_input
@click.option(
    "--groups",
    default="kind",
    show_default=True,
    metavar="COLUMN",
    help="Node column that defines the groups for the brokerage roles (kind, region, sector...).",
)
@click.option(
    "--layers", "use_layers", metavar="LAYER[,LAYER]", help="Use only these layers (default all)."
)
@click.option(
    "--actors",
    metavar="ID[,ID]",
    help="Only these actors (default: all, or the top candidates by betweenness on big networks).",
)
@output_option(
    "-o",
    "--output",
    suffixes=FORMATS,
    metavar="FILE",
    help="Output .csv, .xlsx or .json; default brokerage.csv.",
)
@anonymize_option
def command(
    net: ClusterNetwork,
    groups: str,
    use_layers: str | None,
    actors: str | None,
    output: str | None,
    anonymize_salt: str | None,
) -> None:
    """Find the brokers: Burt's constraint and effective size, Gould-Fernandez roles."""
    from clustermap.analysis.brokerage import brokerage

    path = check_output(out_path(output, "brokerage.csv"))
    with console().status("computing brokerage..."):
        table = brokerage(
            net, groups=groups, layers=split_list(use_layers), nodes=split_list(actors)
        )
    write_result(table, path, inputs=net.meta or None, anonymize=anonymize_salt or False)
    echo(_summary(table))
    echo(f"wrote {path}")


@demo_step(order=30, label="brokerage")
def _demo(ctx: DemoContext) -> None:
    from clustermap.analysis.brokerage import brokerage
    from clustermap.exports import write_csv

    partition = ctx.results.get("partition")
    groups = partition.membership if partition is not None else "region"
    table = brokerage(ctx.net, groups=groups)
    ctx.results["brokerage"] = table
    inputs = {"network": "demo cluster", "n_actors": ctx.net.n_nodes, "seed": ctx.seed}
    write_csv(table, ctx.path("brokerage.csv"), inputs=inputs)
