"""``clustermap lists``: a wide partner list (one row per actor) -> a saved network."""

from __future__ import annotations

import click

from clustermap.cli import out_path

__all__ = ["command"]


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [x.strip() for x in text.split(",") if x.strip()]


@click.command("lists")
@click.argument("table", metavar="TABLE")
@click.option("--actor", required=True, help="Column of the row's actor (e.g. Company).")
@click.option("--partners", metavar="COL[,COL]", help="Partner columns, in order.")
@click.option(
    "--partner-prefix", metavar="TEXT", help="Instead of --partners: columns starting with TEXT."
)
@click.option("--layer", default="supply", show_default=True, help="Layer of the links.")
@click.option(
    "--direction",
    type=click.Choice(["partner->actor", "actor->partner"]),
    default="partner->actor",
    show_default=True,
    help="partner->actor for supplier lists, actor->partner for customer lists.",
)
@click.option(
    "--weights",
    metavar="PREFIX|COL,COL",
    help="Tie strengths: a column prefix (Share) or columns paired with the partner columns.",
)
@click.option(
    "--missing",
    multiple=True,
    metavar="TEXT",
    help="More placeholder texts to drop (repeatable), besides #N/A, n/a, -, NULL...",
)
@click.option("--sheet", help="Excel sheet of TABLE (name or 0-based number).")
@click.option("-o", "--output", required=True, metavar="FILE.cmap", help="Where to save.")
def command(
    table: str,
    actor: str,
    partners: str | None,
    partner_prefix: str | None,
    layer: str,
    direction: str,
    weights: str | None,
    missing: tuple[str, ...],
    sheet: str | None,
    output: str,
) -> None:
    """Turn partner lists (one row per actor, columns Supplier 1, Supplier 2...) into links.

    Placeholder cells (#N/A Invalid Security, n/a, -) are dropped and
    counted; an actor listing itself is reported. Example:

        clustermap lists suppliers.xlsx --actor Company --partner-prefix Supplier
        -o suppliers.cmap
    """
    from clustermap.loaders.files import read_table
    from clustermap.loaders.lists import from_lists

    sheet_arg: str | int | None = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    frame = read_table(table, sheet=sheet_arg)
    weight_arg: str | list[str] | None = weights
    if weights is not None and "," in weights:
        weight_arg = _split(weights)
    net = from_lists(
        frame,
        actor=actor,
        partners=_split(partners),
        partner_prefix=partner_prefix,
        layer=layer,
        direction=direction,  # type: ignore[arg-type]
        weights=weight_arg,
        missing=missing,
    )
    path = out_path(output, "lists.cmap")
    net.save(path)
    meta = net.meta
    click.echo(f"saved {net!r} to {path}")
    click.echo(
        f"{meta['rows']} rows, {len(meta['partners'])} partner columns; dropped "
        f"{meta['placeholders_dropped']} placeholder cells"
        + (f" ({meta['placeholder_examples']})" if meta["placeholders_dropped"] else "")
        + f", {meta['self_listings_dropped']} self-listings, {meta['rows_dropped']} rows "
        "without an actor"
    )
