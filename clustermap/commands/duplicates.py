"""``clustermap duplicates`` and ``clustermap merge-actors``: find, review, merge."""

from __future__ import annotations

import click

from clustermap.cli import network_input, out_path
from clustermap.graphs.network import ClusterNetwork

__all__ = ["duplicates", "merge_actors_command"]


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


@click.command("duplicates")
@network_input
@click.option(
    "--by", default="name", show_default=True, metavar="COL[,COL]", help="Text columns compared."
)
@click.option(
    "--within",
    default="region",
    show_default=True,
    metavar="COL[,COL]|-",
    help="Compare only actors with the same values here ('-': compare everyone).",
)
@click.option(
    "--threshold",
    type=float,
    default=90.0,
    show_default=True,
    help="Smallest name similarity (0-100) for a candidate.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Review table, .xlsx or .csv (default duplicates.xlsx).",
)
def duplicates(
    net: ClusterNetwork, by: str, within: str, threshold: float, output: str | None
) -> None:
    """Propose actors that are probably the same organisation, for review in Excel.

    Delete the rows you reject, then apply the rest with
    `clustermap merge-actors --network net.cmap duplicates.xlsx -o merged.cmap`.
    """
    from clustermap.exports import write_csv, write_excel
    from clustermap.graphs.duplicates import suggest_duplicates

    within_cols = None if within.strip() in ("-", "") else _split(within)
    if within_cols == ["region"] and "region" not in net.nodes.columns:
        within_cols = None
    table = suggest_duplicates(net, by=_split(by), within=within_cols, threshold=threshold)
    path = out_path(output, "duplicates.xlsx")
    if path.suffix.lower() == ".csv":
        write_csv(table, path, index=False)
    else:
        write_excel(table, path)
    groups = table["group"].nunique() if len(table) else 0
    exact = int(table["same_name"].sum()) if len(table) else 0
    click.echo(
        f"{len(table)} actors look like another ({groups} groups; {exact} with the same name "
        f"once legal forms are set aside); wrote {path}"
    )


@click.command("merge-actors")
@network_input
@click.argument("mapping", metavar="MAPPING")
@click.option(
    "--create",
    is_flag=True,
    help="Kept ids may be new actors (roll plants or subsidiaries up to parent groups).",
)
@click.option("-o", "--output", required=True, metavar="FILE.cmap", help="Where to save.")
def merge_actors_command(net: ClusterNetwork, mapping: str, create: bool, output: str) -> None:
    """Merge the actors of MAPPING (a table: id, keep_id; or old id and kept id columns)."""
    from clustermap.graphs.duplicates import merge_actors
    from clustermap.loaders.files import read_table

    merged = merge_actors(net, read_table(mapping), create=create)
    path = out_path(output, "merged.cmap")
    merged.save(path)
    record = merged.meta.get("merges", [{}])[-1]
    click.echo(
        f"merged {record.get('actors_merged', 0)} actors into {record.get('actors_kept', 0)}: "
        f"{net.n_nodes} -> {merged.n_nodes} actors, {net.n_edges} -> {merged.n_edges} links "
        f"({len(record.get('conflicts', []))} attribute conflicts); saved {path}"
    )


commands = [duplicates, merge_actors_command]
