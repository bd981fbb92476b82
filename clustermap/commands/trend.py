"""``clustermap trend``: the cluster's indicators period by period, as a table and a chart."""

from __future__ import annotations

import click

from clustermap.analysis.indicators import network_indicators
from clustermap.cli import console, network_input, out_path
from clustermap.commands._centrality_output import split_list, write_result
from clustermap.demo import DemoContext, demo_step
from clustermap.graphs.network import ClusterNetwork
from clustermap.views.charts import indicator_chart, save_figure

__all__ = ["command"]


@click.command("trend")
@network_input
@click.option("--by", default="year", show_default=True, help="Link column holding the year.")
@click.option("--window", type=int, default=1, show_default=True, help="Years per period.")
@click.option("--step", type=int, default=1, show_default=True, help="Years between periods.")
@click.option("--cumulative", is_flag=True, help="Each period holds every tie up to its end.")
@click.option("--layers", "use_layers", metavar="LAYER[,LAYER]", help="Layers to read.")
@click.option("--groups", metavar="COLUMN", help="Node column of sub-clusters (inside share).")
@click.option(
    "--indicators", metavar="NAME[,NAME]", help="Indicators to chart (default: the main ones)."
)
@click.option(
    "-o", "--output", metavar="FILE", help="Table: .xlsx, .csv or .json; default trend.xlsx."
)
def command(
    net: ClusterNetwork,
    by: str,
    window: int,
    step: int,
    cumulative: bool,
    use_layers: str | None,
    groups: str | None,
    indicators: str | None,
    output: str | None,
) -> None:
    """Measure the cluster's indicators in each period; write the table and a line chart."""
    path = out_path(output, "trend.xlsx")
    with console().status("measuring each period..."):
        periods = net.snapshots(by, window=window, step=step, cumulative=cumulative)
        table = network_indicators(periods, layers=split_list(use_layers), groups=groups)
        fig = indicator_chart(table, split_list(indicators), title=f"Indicators by {by}")
    write_result(table, path, inputs=net.meta or None)
    chart = save_figure(fig, path.with_suffix(".png"))
    shown = [c for c in ("actors", "ties", "density", "clustering") if c in table.columns]
    click.echo(table[shown].to_string(float_format=lambda v: f"{v:.4g}"))
    click.echo(f"wrote {path}\nwrote {chart}")


@demo_step(order=61, label="indicators year by year")
def _demo(ctx: DemoContext) -> None:
    table = network_indicators(ctx.net.snapshots(), groups="subcluster")
    ctx.results["trend"] = table
    write_result(table, ctx.path("trend.xlsx"))
    save_figure(indicator_chart(table, title="Demo cluster, year by year"), ctx.path("trend.png"))
