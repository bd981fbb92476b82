"""``clustermap communities``: find the sub-clusters and write the community list."""

from __future__ import annotations

import click

from clustermap.analysis.communities import METHODS, find_communities
from clustermap.analysis.partition import Partition
from clustermap.cli import console, network_input, out_path
from clustermap.demo import DemoContext, demo_step
from clustermap.exports import write_csv, write_excel, write_gexf, write_json
from clustermap.graphs.network import ClusterNetwork

__all__ = ["command"]

_FORMATS = ("csv", "xlsx", "json")


def _summary(
    part: Partition, net: ClusterNetwork, top: int = 10, min_count: int | None = None
) -> str:
    q = part.quality
    lines = [
        f"{q['n_communities']} communities of {len(part.membership)} actors "
        f"({part.method}, seed {part.seed}); modularity {q['modularity']:.4f}, "
        f"coverage {q['coverage']:.1%}"
    ]
    if part.stability:
        s = part.stability
        lines.append(f"stability over {s['runs']} runs: ARI {s['ari']:.3f}, NMI {s['nmi']:.3f}")
    labels = part.labels(net)
    sizes = part.communities(min_count=min_count)["size"]
    for c in labels.index[:top]:
        lines.append(f"  {c:>3}  {sizes[c]!s:>6}  {labels[c]}")
    if len(labels) > top:
        lines.append(f"  ... and {len(labels) - top} more")
    return "\n".join(lines)


@click.command("communities")
@network_input
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default="leiden",
    show_default=True,
    help="Community detection method (infomap needs: pip install clustermap[infomap]).",
)
@click.option(
    "--resolution",
    type=float,
    default=1.0,
    show_default=True,
    help="Modularity resolution (leiden, louvain): higher gives more, smaller communities.",
)
@click.option(
    "--layers",
    "use_layers",
    metavar="LAYER[,LAYER]",
    help="Use only the links of these layers (default: all).",
)
@click.option("--unweighted", is_flag=True, help="Count each linked pair once, ignoring weights.")
@click.option("--seed", type=int, default=None, help="Random seed (default: settings.seed).")
@click.option(
    "--runs",
    type=int,
    default=1,
    show_default=True,
    help="Run several times, keep the best and report stability.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="xlsx",
    show_default=True,
    help="xlsx: community list, profiles and how it was made; csv: community list; json.",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=2),
    default=None,
    metavar="N",
    help="Confidential data: show counts below N as '<N' in sizes and profiles.",
)
@click.option("-o", "--output", metavar="FILE", help="Output file (default communities.<format>).")
@click.option("--gexf", metavar="FILE", help="Also write the network with communities for Gephi.")
def command(
    net: ClusterNetwork,
    method: str,
    resolution: float,
    use_layers: str | None,
    unweighted: bool,
    seed: int | None,
    runs: int,
    fmt: str,
    min_count: int | None,
    output: str | None,
    gexf: str | None,
) -> None:
    """Find the sub-clusters (communities) and write the community list."""
    layers = [x.strip() for x in use_layers.split(",") if x.strip()] if use_layers else None
    with console().status(f"finding communities ({method})..."):
        part = find_communities(
            net,
            method=method,
            resolution=resolution,
            layers=layers,
            weighted=not unweighted,
            seed=seed,
            runs=runs,
        )
    path = out_path(output, f"communities.{fmt}")
    inputs = net.meta or None
    if fmt == "csv":
        write_csv(part.to_frame(net, min_count=min_count), path, inputs=inputs)
    elif fmt == "xlsx":
        write_excel(part.to_sheets(net, min_count=min_count), path, inputs=inputs)
    elif min_count is not None:  # the partition's own JSON lists every member: write profiles
        write_json(part.profiles(net, min_count=min_count), path, inputs=inputs)
    else:
        write_json(part, path, inputs=inputs)
    if gexf:
        write_gexf(net, out_path(gexf, "communities.gexf"), results=part)
    click.echo(_summary(part, net, min_count=min_count))
    click.echo(f"wrote {path}" + (f" and {gexf}" if gexf else ""))


@demo_step(order=10, label="communities")
def _demo(ctx: DemoContext) -> None:
    part = find_communities(ctx.net, seed=ctx.seed, runs=5)
    ctx.results["partition"] = part
    inputs = {"network": "demo cluster", "n_actors": ctx.net.n_nodes, "seed": ctx.seed}
    write_excel(part.to_sheets(ctx.net), ctx.path("communities.xlsx"), inputs=inputs)
    write_csv(part.to_frame(ctx.net), ctx.path("communities.csv"), inputs=inputs)
