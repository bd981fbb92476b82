"""``clustermap communities``: find the sub-clusters and write the community list."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from clustermap.cli import anonymize_option, console, echo, network_input, out_path, output_option
from clustermap.commands._centrality_output import FORMATS, resolve_output
from clustermap.demo import DemoContext, demo_step
from clustermap.errors import ConfigError

if TYPE_CHECKING:
    from clustermap.analysis.partition import Partition
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["METHODS", "command"]

_FORMATS = ("csv", "xlsx", "json")

#: The methods of :func:`clustermap.find_communities`, repeated here so that the
#: command line needs no import of the analysis to check them (a test keeps them the same).
METHODS = ("leiden", "louvain", "label_propagation", "infomap")


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


def _agree(output: str | None, fmt: str | None, *, fmt_param: bool = False) -> str | None:
    """Refuse ``--format xlsx -o k.csv`` as soon as both are read, before any work."""
    if output is not None and fmt is not None:
        resolve_output(output, fmt, stem="communities", default="xlsx")
    return fmt if fmt_param else output


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
    default=None,
    callback=lambda ctx, param, value: _agree(ctx.params.get("output"), value, fmt_param=True),
    help="xlsx (the default): community list, profiles and how it was made; csv: community "
    "list; json. Without it the extension of -o chooses.",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=2),
    default=None,
    metavar="N",
    help="Confidential data: show counts below N as '<N' in sizes and profiles.",
)
@output_option(
    "-o",
    "--output",
    suffixes=FORMATS,
    callback=lambda ctx, param, value: _agree(value, ctx.params.get("fmt")),
    metavar="FILE",
    help="Output .xlsx, .csv or .json (default communities.<format>).",
)
@output_option(
    "--gexf",
    suffixes=(".gexf",),
    metavar="FILE",
    help="Also write the network with communities for Gephi.",
)
@anonymize_option
def command(
    net: ClusterNetwork,
    method: str,
    resolution: float,
    use_layers: str | None,
    unweighted: bool,
    seed: int | None,
    runs: int,
    fmt: str | None,
    min_count: int | None,
    output: str | None,
    gexf: str | None,
    anonymize_salt: str | None,
) -> None:
    """Find the sub-clusters (communities) and write the community list."""
    from clustermap.analysis.communities import find_communities
    from clustermap.exports import write_csv, write_excel, write_gexf, write_json

    path = out_path(str(resolve_output(output, fmt, stem="communities", default="xlsx")), "")
    if gexf is not None and not gexf.lower().endswith(".gexf"):
        msg = f"`--gexf` must end in .gexf, not {gexf!r}"
        raise ConfigError(msg)
    anonymize = anonymize_salt or False
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
    inputs = net.meta or None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(part.to_frame(net, min_count=min_count), path, inputs=inputs, anonymize=anonymize)
    elif suffix == ".xlsx":
        sheets = part.to_sheets(net, min_count=min_count)
        write_excel(sheets, path, inputs=inputs, anonymize=anonymize)
    elif min_count is not None:  # the partition's own JSON lists every member: write profiles
        profiles = part.profiles(net, min_count=min_count)
        write_json(profiles, path, inputs=inputs, anonymize=anonymize)
    else:
        write_json(part, path, inputs=inputs, anonymize=anonymize)
    if gexf:
        write_gexf(net, out_path(gexf, "communities.gexf"), results=part, anonymize=anonymize)
    echo(_summary(part, net, min_count=min_count))
    echo(f"wrote {path}" + (f" and {gexf}" if gexf else ""))


@demo_step(order=10, label="communities")
def _demo(ctx: DemoContext) -> None:
    from clustermap.analysis.communities import find_communities
    from clustermap.exports import write_csv, write_excel

    part = find_communities(ctx.net, seed=ctx.seed, runs=5)
    ctx.results["partition"] = part
    inputs = {"network": "demo cluster", "n_actors": ctx.net.n_nodes, "seed": ctx.seed}
    write_excel(part.to_sheets(ctx.net), ctx.path("communities.xlsx"), inputs=inputs)
    write_csv(part.to_frame(ctx.net), ctx.path("communities.csv"), inputs=inputs)
