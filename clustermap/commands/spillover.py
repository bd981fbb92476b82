"""``clustermap spillover``: knowledge channels, brokers, reach, roles and diffusion as CSV."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from clustermap.cli import anonymize_option, console, echo, folder_option, network_input
from clustermap.demo import DemoContext, demo_step
from clustermap.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from clustermap.analysis.spillover_reach import SpilloverReach
    from clustermap.graphs.network import ClusterNetwork
    from clustermap.graphs.selection import Selection

log = logging.getLogger(__name__)

__all__ = ["DIFFUSION_MODELS", "command", "parse_selection"]

#: The models of :func:`clustermap.simulate_diffusion`, repeated here so that the command
#: line needs no import of the analysis to check them (a test keeps them the same).
DIFFUSION_MODELS = ("independent_cascade", "linear_threshold")

#: Default selections of the command: institutions to businesses.
DEFAULT_SOURCES: Selection = "institution"
DEFAULT_TARGETS: Selection = {"kind": ["firm", "supplier"]}


_HELP = """Trace how knowledge travels from sources to targets, and write the tables as CSV.

Writes to --out-dir: spillover_paths.csv (strongest channels per source-target
pair, alternatives for the strongest pairs), spillover_brokers.csv (who carries
those channels), spillover_reach.csv and spillover_reach_summary.csv (exposure
and distance to the sources, by kind and group), knowledge_roles.csv
(gatekeepers, exchangers..., after Giuliani & Bell 2005) and
spillover_diffusion.csv (simulated spreading), each with a .meta.json saying
how it was made.

\b
Selections (--sources, --targets, --internal):
  --sources institution                             a kind
  --sources 'category=university,research centre'   a column, any of the values
  --sources kind=institution --sources region=UKG   both must hold
  --sources-ids UNI-001,RC-002                      a list of ids
Numbers are matched as numbers too (--internal region=3).
"""


def _values(text: str) -> list[Any]:
    """Comma-separated values, each also as a number when it reads as one."""
    out: list[Any] = []
    for part in text.split(","):
        value = part.strip()
        if not value:
            continue
        out.append(value)
        try:
            number = float(value)
        except ValueError:
            continue
        if math.isfinite(number):
            out.append(int(number) if number.is_integer() else number)
    return out


def parse_selection(values: tuple[str, ...], ids: str | None, *, option: str) -> Selection | None:
    """Turn ``--sources``-style options into a selection (``None`` when none given).

    Examples
    --------
    >>> parse_selection(("institution",), None, option="sources")
    {'kind': ['institution']}
    >>> parse_selection(("category=university,research centre",), None, option="sources")
    {'category': ['university', 'research centre']}
    >>> parse_selection((), "a, b", option="targets")
    ['a', 'b']
    """
    from clustermap.graphs.selection import KINDS

    if ids is not None and values:
        msg = f"give either --{option} or --{option}-ids, not both"
        raise ConfigError(msg)
    if ids is not None:
        chosen = [x.strip() for x in ids.split(",") if x.strip()]
        if not chosen:
            msg = f"--{option}-ids is empty: give ids separated by commas"
            raise ConfigError(msg)
        return chosen
    if not values:
        return None
    selection: dict[str, list[Any]] = {}
    for value in values:
        column, sep, wanted = value.partition("=")
        column = column.strip()
        if not sep:
            if column not in KINDS:
                msg = (
                    f"--{option} {value!r} is neither a kind ({', '.join(KINDS)}) "
                    "nor COLUMN=VALUE[,VALUE...]"
                )
                raise ConfigError(msg)
            selection.setdefault("kind", []).append(column)
            continue
        parsed = _values(wanted)
        if not column or not parsed:
            msg = f"--{option} {value!r} must read COLUMN=VALUE[,VALUE...]"
            raise ConfigError(msg)
        selection.setdefault(column, []).extend(parsed)
    return selection


def _layers(text: str) -> list[str] | None:
    names = [x.strip() for x in text.split(",") if x.strip()]
    return None if names == ["all"] else names


def _analyse(
    net: ClusterNetwork,
    *,
    sources: Selection,
    targets: Selection,
    internal: Selection,
    layers: list[str] | None,
    options: dict[str, Any],
) -> dict[str, Any]:
    """Every spillover analysis, with shared selections and options."""
    from clustermap.analysis.diffusion import simulate_diffusion
    from clustermap.analysis.roles import knowledge_roles
    from clustermap.analysis.spillover import spillover_brokers, spillover_paths
    from clustermap.analysis.spillover_reach import spillover_reach

    k, max_hops = options.get("k", 3), options.get("max_hops", 4)
    probability = options.get("probability")
    results: dict[str, Any] = {
        "spillover_paths": spillover_paths(
            net,
            sources=sources,
            targets=targets,
            k=k,
            max_hops=max_hops,
            layers=layers,
            probability=probability,
        ),
        "spillover_brokers": spillover_brokers(
            net,
            sources=sources,
            targets=targets,
            max_hops=max_hops,
            layers=layers,
            probability=probability,
        ),
        "spillover_reach": spillover_reach(
            net,
            sources=sources,
            max_hops=options.get("reach_hops", 2),
            layers=layers,
            groups=options.get("groups"),
            seed=options.get("seed"),
        ),
        "knowledge_roles": knowledge_roles(net, internal=internal, layers=layers),
    }
    model = options.get("diffusion")
    if model:
        results["spillover_diffusion"] = simulate_diffusion(
            net,
            sources=sources,
            model=model,
            runs=options.get("runs"),
            seed=options.get("seed"),
            layers=layers,
            probability=probability if model == "independent_cascade" else None,
        )
    return results


def strongest_pairs(paths: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """Keep the rows of the strongest source-target pairs, at most ``max_rows`` rows.

    Pairs are ranked by the strength of their best channel; a pair keeps all
    its rows or none, so alternatives are never cut off from their best channel.

    Examples
    --------
    >>> import pandas as pd
    >>> paths = pd.DataFrame({"source": ["u", "u", "u"], "target": ["a", "a", "b"],
    ...                       "rank": [1, 2, 1], "strength": [0.2, 0.1, 0.5]})
    >>> strongest_pairs(paths, 2)[["target", "rank"]].values.tolist()
    [['b', 1]]
    """
    import pandas as pd

    if max_rows <= 0 or len(paths) <= max_rows:
        return paths
    best = paths.groupby(["source", "target"], sort=False)["strength"].transform("max")
    pairs = (
        paths.assign(_best=best)
        .groupby(["source", "target"], sort=False)
        .agg(rows=("rank", "size"), best=("_best", "first"))
        .sort_values("best", ascending=False, kind="stable")
    )
    kept = pairs[pairs["rows"].cumsum() <= max_rows].index
    keep = pd.MultiIndex.from_frame(paths[["source", "target"]]).isin(kept)
    log.warning(
        "spillover_paths.csv keeps the %d strongest of %d source-target pairs (%d of %d rows; "
        "--max-rows 0 writes them all)",
        len(kept),
        len(pairs),
        int(keep.sum()),
        len(paths),
    )
    return paths[keep]


def _write(
    results: dict[str, Any],
    path: Callable[[str], Path],
    inputs: Any,
    max_rows: int,
    anonymize: bool | str = False,
) -> list[Path]:
    """Write the results as CSV files named after them."""
    from clustermap.exports import write_csv

    reach: SpilloverReach = results["spillover_reach"]
    paths = strongest_pairs(results["spillover_paths"], max_rows)
    tables = [
        ("spillover_paths.csv", paths, False),
        ("spillover_brokers.csv", results["spillover_brokers"], True),
        ("spillover_reach.csv", reach, True),
        ("spillover_reach_summary.csv", reach.summary, False),
        ("knowledge_roles.csv", results["knowledge_roles"], True),
    ]
    if "spillover_diffusion" in results:
        diffusion = results["spillover_diffusion"].sort_values(
            "probability", ascending=False, kind="stable"
        )
        tables.append(("spillover_diffusion.csv", diffusion, True))
    return [
        write_csv(table, path(name), index=index, inputs=inputs, anonymize=anonymize)
        for name, table, index in tables
    ]


def _report(results: dict[str, Any]) -> str:
    paths = results["spillover_paths"]
    reach: SpilloverReach = results["spillover_reach"]
    brokers = results["spillover_brokers"]
    roles = results["knowledge_roles"]
    lines = [
        f"channels: {paths.attrs['pairs_with_channel']} of {paths.attrs['pairs_total']} "
        f"source-target pairs within {paths.attrs['parameters']['max_hops']} hops"
    ]
    if len(brokers):
        top = brokers.head(3)
        named = ", ".join(f"{n} ({c})" for n, c in zip(top["name"], top["channels"], strict=True))
        lines.append(f"top brokers (channels carried): {named}")
    everyone = reach.summary[reach.summary["by"] == "all"]
    if len(everyone):
        row = everyone.iloc[0]
        hops = reach.summary.attrs["parameters"]["max_hops"]
        lines.append(
            f"reach: {row['share_within']:.0%} of non-source actors within {hops} hops, "
            f"{row['share_unreachable']:.0%} unreachable"
        )
    counts = roles["role"].value_counts()
    lines.append("roles: " + ", ".join(f"{r} {n}" for r, n in counts.items()))
    if "spillover_diffusion" in results:
        sim = results["spillover_diffusion"]
        lines.append(
            f"diffusion ({sim.attrs['parameters']['model']}, {sim.attrs['parameters']['runs']} "
            f"runs): {sim.attrs['spread_mean']:.1f} actors reached per run on average"
        )
    return "\n".join(lines)


@click.command("spillover", help=_HELP)
@network_input
@click.option(
    "--sources",
    multiple=True,
    metavar="SELECTION",
    help="Where knowledge comes from (default: kind institution). "
    "E.g. --sources institution, --sources 'category=university,research centre'.",
)
@click.option("--sources-ids", metavar="ID,ID,...", help="Sources as a list of ids.")
@click.option(
    "--targets",
    multiple=True,
    metavar="SELECTION",
    help="Who knowledge should reach (default: kinds firm and supplier). E.g. --targets firm.",
)
@click.option("--targets-ids", metavar="ID,ID,...", help="Targets as a list of ids.")
@click.option(
    "--internal",
    multiple=True,
    metavar="SELECTION",
    help="Who is inside the cluster, for the knowledge roles (default: firms and "
    "suppliers, so institutions count as outside knowledge sources). E.g. --internal region=UKG.",
)
@click.option("--internal-ids", metavar="ID,ID,...", help="Inside actors as a list of ids.")
@click.option(
    "--layers",
    "use_layers",
    default="knowledge",
    show_default=True,
    metavar="LAYER[,LAYER]",
    help="Layers knowledge travels on; 'all' for every layer.",
)
@click.option("-k", "k", default=3, show_default=True, help="Channels per pair for top pairs.")
@click.option("--max-hops", default=4, show_default=True, help="Longest channel, in ties.")
@click.option(
    "--reach-hops", default=2, show_default=True, help="'Within reach' means at most this many."
)
@click.option("--groups", metavar="COLUMN", help="Node column to summarise reach by.")
@click.option("--probability", metavar="COLUMN", help="Links column of pass probabilities (0, 1].")
@click.option(
    "--diffusion",
    type=click.Choice([*DIFFUSION_MODELS, "none"]),
    default="independent_cascade",
    show_default=True,
    help="Diffusion model to simulate from the sources ('none' to skip).",
)
@click.option("--runs", type=int, default=None, help="Diffusion runs (default: settings).")
@click.option("--seed", type=int, default=None, help="Random seed (default: settings.seed).")
@click.option(
    "--max-rows",
    type=int,
    default=1_000_000,
    show_default=True,
    help="Keep the strongest pairs' channels within this many rows of spillover_paths.csv "
    "(Excel opens at most 1,048,576); 0 writes every pair.",
)
@folder_option(
    "--out-dir",
    default="spillover",
    show_default=True,
    metavar="DIR",
    help="Folder for the CSV files.",
)
@anonymize_option
def command(
    net: ClusterNetwork,
    sources: tuple[str, ...],
    sources_ids: str | None,
    targets: tuple[str, ...],
    targets_ids: str | None,
    internal: tuple[str, ...],
    internal_ids: str | None,
    use_layers: str,
    k: int,
    max_hops: int,
    reach_hops: int,
    groups: str | None,
    probability: str | None,
    diffusion: str,
    runs: int | None,
    seed: int | None,
    max_rows: int,
    out_dir: str,
    anonymize_salt: str | None,
) -> None:
    """Trace how knowledge travels from sources to targets, and write the tables as CSV."""
    chosen_sources = parse_selection(sources, sources_ids, option="sources") or DEFAULT_SOURCES
    chosen_targets = parse_selection(targets, targets_ids, option="targets") or DEFAULT_TARGETS
    chosen_internal = parse_selection(internal, internal_ids, option="internal") or DEFAULT_TARGETS
    options = {
        "k": k,
        "max_hops": max_hops,
        "reach_hops": reach_hops,
        "groups": groups,
        "probability": probability,
        "diffusion": None if diffusion == "none" else diffusion,
        "runs": runs,
        "seed": seed,
    }
    with console().status("tracing knowledge spillovers..."):
        results = _analyse(
            net,
            sources=chosen_sources,
            targets=chosen_targets,
            internal=chosen_internal,
            layers=_layers(use_layers),
            options=options,
        )
    folder = Path(out_dir)
    written = _write(
        results, lambda name: folder / name, net.meta or None, max_rows, anonymize_salt or False
    )
    echo(_report(results))
    echo(f"wrote {len(written)} files to {folder}: " + ", ".join(p.name for p in written))


@demo_step(order=50, label="knowledge spillovers")
def _demo(ctx: DemoContext) -> None:
    net = ctx.net
    partition = ctx.results.get("partition")
    groups: Any = None
    if partition is not None:
        groups = partition.membership.rename("community")
    elif "subcluster" in net.nodes.columns:
        groups = "subcluster"
    results = _analyse(
        net,
        sources={"category": ["university", "research centre"]},
        targets={"kind": ["firm", "supplier"]},
        internal={"kind": ["firm", "supplier"]},
        layers=["knowledge"],
        options={"groups": groups, "seed": ctx.seed, "diffusion": "independent_cascade"},
    )
    inputs = {"network": "demo cluster", "n_actors": net.n_nodes, "seed": ctx.seed}
    _write(results, ctx.path, inputs, 0)
    ctx.results.update(results)
