"""``clustermap compare``: what changed between two networks or two periods; demo steps.

Writes an Excel workbook (one sheet per table, and the about sheet), two
charts beside it: ``<name>-indicators.png`` (each indicator's change with
its interval) and ``<name>-flows.png`` (actors moving between sub-clusters),
and ``<name>.html``: both periods in one interactive view, ties coloured as
formed / dissolved / kept (:func:`~clustermap.save_html`).
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from clustermap.analysis.compare import NetworkComparison, compare_networks
from clustermap.analysis.initiative import initiative_effect
from clustermap.cli import console, network_input, out_path
from clustermap.commands._centrality_output import split_list
from clustermap.demo import DemoContext, demo_step
from clustermap.errors import ConfigError, EmptyNetworkError
from clustermap.exports import write_excel
from clustermap.graphs.network import ClusterNetwork
from clustermap.views.charts import difference_chart, flows_chart, save_figure
from clustermap.views.html import save_html

__all__ = ["command", "parse_years", "summary_lines", "write_comparison"]

_YEARS = re.compile(r"^\s*(\d{3,4})\s*(?:[-:]\s*(\d{3,4}))?\s*$")


def parse_years(value: str, option: str) -> tuple[int, int]:
    """Parse ``2014-2016`` (or ``2015``) into an inclusive pair of years.

    Examples
    --------
    >>> parse_years("2014-2016", "--years"), parse_years("2018", "--vs")
    ((2014, 2016), (2018, 2018))
    """
    match = _YEARS.match(value)
    if not match:
        msg = f"`{option}` takes a year or a range of years such as 2014-2016, not {value!r}"
        raise ConfigError(msg)
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        msg = f"`{option} {value}`: the range ends before it starts"
        raise ConfigError(msg)
    return first, last


def _periods(
    net: ClusterNetwork, years: tuple[int, int], vs: tuple[int, int]
) -> tuple[ClusterNetwork, ClusterNetwork]:
    periods = net.snapshots(periods=[years, vs])
    nets = list(periods.values())
    if len(nets) == 1:
        msg = "`--years` and `--vs` are the same period: give two different ones"
        raise ConfigError(msg)
    dated = net.edges["year"].dropna()
    for (label, period), option in zip(periods.items(), ("--years", "--vs"), strict=True):
        if period.n_edges == 0:
            msg = (
                f"`{option} {label}` is an empty period: no link is dated in it (links run "
                f"from {int(dated.min())} to {int(dated.max())})"
            )
            raise EmptyNetworkError(msg)
    return nets[0], nets[1]


def summary_lines(result: NetworkComparison) -> list[str]:
    """A few lines for the terminal: actors, ties and the main indicator changes."""
    counts = result.actor_counts.loc["all"]
    ties = result.ties["change"].value_counts()
    lines = [
        f"{result.labels[0]} -> {result.labels[1]}",
        f"  actors: {counts['before']} -> {counts['after']} (entered {counts['entered']}, "
        f"left {counts['left']}, stayed {counts['stayed']})",
        f"  ties: formed {int(ties.get('formed', 0))}, dissolved {int(ties.get('dissolved', 0))}, "
        f"kept {int(ties.get('kept', 0))}",
    ]
    table = result.indicators
    for name in ("density", "mean_degree", "clustering", "firm_institution_share"):
        if name in table.index:
            row = table.loc[name]
            lines.append(
                f"  {name}: {row['before']:.4g} -> {row['after']:.4g} ({row['difference']:+.4g}; "
                f"95% interval {row['ci_low']:+.4g} to {row['ci_high']:+.4g})"
            )
    return lines


def write_comparison(result: NetworkComparison, path: Path, *, inputs: object = None) -> list[Path]:
    """Write the workbook and the charts beside it; return the paths written."""
    written = [write_excel(result, path, inputs=inputs)]
    stem = path.with_suffix("")
    written.append(
        save_figure(difference_chart(result), stem.with_name(stem.name + "-indicators.png"))
    )
    if result.community_flows is not None and len(result.community_flows):
        written.append(save_figure(flows_chart(result), stem.with_name(stem.name + "-flows.png")))
    title = f"Change from {result.labels[0]} to {result.labels[1]}"
    written.append(save_html(result, path.with_suffix(".html"), title=title))
    return written


@click.command("compare")
@network_input
@click.option("--against", metavar="FILE.cmap", help="The second network (a saved .cmap).")
@click.option("--years", metavar="FIRST-LAST", help="First period of the network, e.g. 2014-2016.")
@click.option("--vs", "vs", metavar="FIRST-LAST", help="Second period, e.g. 2018-2020.")
@click.option("--layers", "use_layers", metavar="LAYER[,LAYER]", help="Layers to compare.")
@click.option(
    "--groups",
    metavar="COLUMN|none",
    help="Node column holding sub-clusters, or 'none'; default: found in each network.",
)
@click.option("--bootstrap", type=int, default=200, show_default=True, help="Bootstrap rounds.")
@click.option(
    "--null-models", type=int, default=20, show_default=True, help="Rewired network pairs."
)
@click.option("--seed", type=int, default=None, help="Random seed (default: settings.seed).")
@click.option("-o", "--output", metavar="FILE.xlsx", help="Workbook; default comparison.xlsx.")
def command(
    net: ClusterNetwork,
    against: str | None,
    years: str | None,
    vs: str | None,
    use_layers: str | None,
    groups: str | None,
    bootstrap: int,
    null_models: int,
    seed: int | None,
    output: str | None,
) -> None:
    """Compare two networks (--against) or two periods of one (--years ... --vs ...)."""
    path = out_path(output, "comparison.xlsx")
    if path.suffix.lower() != ".xlsx":
        msg = f"`--output` must end in .xlsx, not {path.name!r}"
        raise ConfigError(msg)
    if against and (years or vs):
        msg = "give either --against FILE.cmap or --years ... --vs ..., not both"
        raise ConfigError(msg)
    if against:
        before, after = net, ClusterNetwork.load(against)
    elif years and vs:
        before, after = _periods(net, parse_years(years, "--years"), parse_years(vs, "--vs"))
    else:
        msg = "say what to compare: --against FILE.cmap, or --years 2014-2016 --vs 2018-2020"
        raise ConfigError(msg)
    group_arg: str | bool | None = None
    if groups is not None:
        group_arg = False if groups.lower() == "none" else groups
    with console().status("comparing (bootstrap and null models)..."):
        result = compare_networks(
            before,
            after,
            layers=split_list(use_layers),
            groups=group_arg,
            bootstrap=bootstrap,
            null_models=null_models,
            seed=seed,
        )
    written = write_comparison(result, path, inputs=net.meta or None)
    click.echo("\n".join(summary_lines(result)))
    for p in written:
        click.echo(f"wrote {p}")


@demo_step(order=60, label="comparison of two periods")
def _demo(ctx: DemoContext) -> None:
    periods = ctx.net.snapshots(periods=[(2015, 2018), (2021, 2024)])
    result = compare_networks(*periods.values(), bootstrap=100, null_models=10, seed=ctx.seed)
    ctx.results["comparison"] = result
    inputs = {"network": "demo cluster", "n_actors": ctx.net.n_nodes, "seed": ctx.seed}
    for p in write_comparison(result, ctx.out / "comparison.xlsx", inputs=inputs):
        ctx.path(p.name)


@demo_step(order=62, label="initiative estimate (planted)")
def _demo_initiative(ctx: DemoContext) -> None:
    from clustermap.loaders.generator import make_cluster

    planted = {"share": 0.2, "start": 2020, "effect": 1.0}
    net = make_cluster(n_actors=ctx.net.n_nodes, seed=ctx.seed, initiative=planted)
    result = initiative_effect(
        net, members={"member": True}, start=2020, outcome="new_institution_ties", seed=ctx.seed
    )
    ctx.results["initiative"] = result
    inputs = {
        "network": "demo cluster with a planted initiative (make_cluster initiative=...)",
        "planted": planted,
        "seed": ctx.seed,
    }
    write_excel(result, ctx.path("initiative.xlsx"), inputs=inputs)
