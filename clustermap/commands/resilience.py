"""``clustermap resilience``: where the supply chain would break; the demo's resilience.xlsx."""

from __future__ import annotations

import click

from clustermap.analysis.resilience import RemovalImpact, Resilience, resilience, simulate_removal
from clustermap.cli import console, network_input, out_path
from clustermap.commands._centrality_output import check_output, split_list, write_result
from clustermap.demo import DemoContext, demo_step
from clustermap.exports import write_excel
from clustermap.graphs.network import ClusterNetwork

__all__ = ["command"]


def _summary(result: Resilience) -> str:
    fp = result.failure_points
    dep = result.dependencies
    lines = [
        f"{len(result.articulation_points)} articulation points, {len(result.bridges)} bridges, "
        f"{len(dep)} buyers"
    ]
    if len(dep):
        single = int((dep["suppliers"] == 1).sum())
        lines.append(f"  buyers with a single supplier: {single}")
    customers = result.customer_dependencies
    if len(customers):
        captive = int((customers["largest_share"] >= 0.5).sum())
        lines.append(f"  suppliers selling half or more to one customer: {captive}")
    if len(result.sole_sources):
        lines.append(f"  products bought from a single supplier: {len(result.sole_sources)}")
    for actor, row in fp.head(5).iterrows():
        if row["firms_losing_all_suppliers"] or row["actors_cut_off"]:
            lines.append(
                f"  {row['name']} ({actor}): {row['firms_losing_all_suppliers']} firms lose every "
                f"supplier, {row['actors_cut_off']} actors cut off"
            )
    return "\n".join(lines)


def _removal_summary(result: RemovalImpact) -> str:
    before = result.summary["before"].to_dict()
    after = result.summary["after"].to_dict()
    i = result.impact.to_dict()
    return "\n".join(
        [
            f"removed {i['removed']} actors",
            f"  components {before['components']} -> {after['components']}, "
            f"largest {before['largest_component']} -> {after['largest_component']}",
            f"  firms losing a supplier: {i['firms_losing_a_supplier']} "
            f"(all of them: {i['firms_losing_all_suppliers']}); cut off: {i['actors_cut_off']}; "
            f"downstream: {i['downstream_actors']}",
        ]
    )


@click.command("resilience")
@network_input
@click.option(
    "--layers",
    "use_layers",
    default="supply",
    show_default=True,
    metavar="LAYER[,LAYER]",
    help="Layers to read.",
)
@click.option("--top", type=int, default=None, help="Keep this many failure points.")
@click.option(
    "--remove",
    metavar="ID[,ID]",
    help="What-if: remove these actors and write what happens instead of the scan.",
)
@click.option(
    "--max-hops",
    type=click.IntRange(min=1),
    default=None,
    help="With --remove: count actors downstream within this many steps (1 = direct buyers).",
)
@click.option(
    "--product",
    metavar="COLUMN",
    default=None,
    help="Link column that says what is supplied, for sole sources per product.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Output .xlsx (every table), .csv (the main table) or .json; default resilience.xlsx.",
)
def command(
    net: ClusterNetwork,
    use_layers: str,
    top: int | None,
    remove: str | None,
    max_hops: int | None,
    product: str | None,
    output: str | None,
) -> None:
    """Find where the supply chain would break, or simulate actors leaving (--remove)."""
    default = "what_if.xlsx" if remove else "resilience.xlsx"
    path = check_output(out_path(output, default))
    layers = split_list(use_layers)
    if remove:
        with console().status("simulating the removal..."):
            impact = simulate_removal(
                net, split_list(remove) or [], layers=layers, max_hops=max_hops
            )
        write_result(impact, path, inputs=net.meta or None)
        click.echo(_removal_summary(impact))
    else:
        with console().status("scanning for single points of failure..."):
            result = resilience(net, layers=layers, top=top, product=product)
        write_result(result, path, inputs=net.meta or None)
        click.echo(_summary(result))
    click.echo(f"wrote {path}")


@demo_step(order=40, label="resilience")
def _demo(ctx: DemoContext) -> None:
    result = resilience(ctx.net)
    ctx.results["resilience"] = result
    inputs = {"network": "demo cluster", "n_actors": ctx.net.n_nodes, "seed": ctx.seed}
    write_excel(result, ctx.path("resilience.xlsx"), inputs=inputs)
