"""``clustermap info`` and ``clustermap build``: read a network, describe or save it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from clustermap.cli import echo, network_input, out_path, output_option
from clustermap.demo import DemoContext, demo_step

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["build", "info"]


def _summary_text(net: ClusterNetwork) -> str:
    summary = net.summary()
    width = max(len(str(k)) for k in summary.index)
    lines = []
    for key, value in summary.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        lines.append(f"{key!s:<{width}}  {shown}")
    return "\n".join(lines)


@click.command()
@network_input
def info(net: ClusterNetwork) -> None:
    """Print a summary of the network: actors by kind, links by layer, components."""
    echo(_summary_text(net))


@click.command()
@network_input
@output_option("-o", "--output", required=True, metavar="FILE.cmap", help="Where to save.")
def build(net: ClusterNetwork, output: str) -> None:
    """Validate the input tables and save the network as one .cmap file."""
    net.save(out_path(output, "network.cmap"))
    echo(f"saved {net!r} to {output}")


commands = [info, build]


@demo_step(order=0, label="network")
def _demo(ctx: DemoContext) -> None:
    from clustermap.exports import write_csv

    ctx.net.save(ctx.path("network.cmap"))
    summary = ctx.net.summary().to_frame("value")
    summary.index.name = "item"
    write_csv(summary.astype(str), ctx.path("summary.csv"), meta=False)
