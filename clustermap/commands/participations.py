"""``clustermap participations``: a participation table -> a saved network of actors."""

from __future__ import annotations

import click

from clustermap.cli import echo, out_path, output_option, parse_columns
from clustermap.errors import ConfigError

__all__ = ["command"]


def _kinds(values: tuple[str, ...]) -> dict[str, str] | None:
    """``--kinds PRC=firm,HES=institution`` -> ``{"PRC": "firm", "HES": "institution"}``."""
    if not values:
        return None
    try:
        return parse_columns(values)
    except ConfigError:
        msg = f"--kinds takes value=kind pairs (e.g. PRC=firm,HES=institution), not {values!r}"
        raise ConfigError(msg) from None


@click.command("participations")
@click.argument("table", metavar="TABLE")
@click.option("--actor", required=True, help="Column of actor ids (e.g. pic).")
@click.option("--event", required=True, help="Column of event ids: project, patent... (e.g. rcn).")
@click.option(
    "--weighting",
    type=click.Choice(["newman", "count"]),
    default="newman",
    show_default=True,
    help="newman: each event adds 1/(n-1) to each of its pairs; count: shared events.",
)
@click.option("--max-event-size", type=int, help="Skip events with more participants than this.")
@click.option("--actors", "actors_file", metavar="FILE", help="Node table with names and kinds.")
@click.option("--kind-column", help="Column whose values give kinds (e.g. type).")
@click.option(
    "--kinds",
    multiple=True,
    metavar="VALUE=KIND,...",
    help="Map kind-column values to kinds, e.g. PRC=firm,HES=institution,REC=institution.",
)
@click.option("--layer", default="knowledge", show_default=True, help="Layer of the links.")
@click.option(
    "--type", "link_type", default="joint project", show_default=True, help="Type of the links."
)
@click.option("--sheet", help="Excel sheet of TABLE (name or 0-based number).")
@output_option("-o", "--output", required=True, metavar="FILE.cmap", help="Where to save.")
def command(
    table: str,
    actor: str,
    event: str,
    weighting: str,
    max_event_size: int | None,
    actors_file: str | None,
    kind_column: str | None,
    kinds: tuple[str, ...],
    layer: str,
    link_type: str,
    sheet: str | None,
    output: str,
) -> None:
    """Link the actors of a participation table (actor x project) and save the network.

    TABLE has one row per actor per event (CSV, Excel, Parquet or JSON).
    Example, for EU CORDIS data:

        clustermap participations h2020.csv.gz --actor pic --event rcn
        --kind-column type --kinds PRC=firm,HES=institution,REC=institution,
        PUB=institution,OTH=institution --max-event-size 60 -o h2020.cmap
    """
    from clustermap.loaders.files import read_table
    from clustermap.loaders.participations import from_participations

    sheet_arg: str | int | None = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    participations = read_table(table, sheet=sheet_arg)
    actors = read_table(actors_file) if actors_file else None
    net = from_participations(
        participations,
        actor=actor,
        event=event,
        weighting=weighting,  # type: ignore[arg-type]
        max_event_size=max_event_size,
        actors=actors,
        kind_column=kind_column,
        kinds=_kinds(kinds),
        layer=layer,
        link_type=link_type,
    )
    path = out_path(output, "participations.cmap")
    net.save(path)
    skipped = net.meta.get("events_skipped", 0)
    note = f" ({skipped} events over --max-event-size skipped)" if skipped else ""
    echo(f"saved {net!r} to {path}{note}")
