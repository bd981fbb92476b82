"""``clustermap roster``: roster / name-generator survey answers -> a saved network."""

from __future__ import annotations

import click

from clustermap.cli import out_path
from clustermap.loaders.roster import NONRESPONSE, SYMMETRISE

__all__ = ["command"]


@click.command("roster")
@click.argument("responses", metavar="RESPONSES")
@click.option("--respondent", default="respondent", show_default=True, help="Who answered.")
@click.option("--partner", default="partner", show_default=True, help="Whom they named.")
@click.option("--value", help="Column of tie strengths (0 = no tie); default: every row weighs 1.")
@click.option("--roster", "roster_file", metavar="FILE", help="Everyone asked (id, name, kind...).")
@click.option(
    "--symmetrise",
    type=click.Choice(SYMMETRISE),
    default="none",
    show_default=True,
    help="none: arcs as reported; max: either side; min / reciprocated: both sides.",
)
@click.option(
    "--nonresponse",
    type=click.Choice(NONRESPONSE),
    default="keep",
    show_default=True,
    help="impute-from-partners: a non-respondent's ties taken from what its partners reported.",
)
@click.option("--layer", default="knowledge", show_default=True, help="Layer of the links.")
@click.option("-o", "--output", required=True, metavar="FILE.cmap", help="Where to save.")
def command(
    responses: str,
    respondent: str,
    partner: str,
    value: str | None,
    roster_file: str | None,
    symmetrise: str,
    nonresponse: str,
    layer: str,
    output: str,
) -> None:
    """Read a roster survey (one row per respondent and partner named) and save the network.

    Example (Giuliani & Bell 2005: "from which of these firms did you seek
    technical advice?", 0-3):

        clustermap roster answers.csv --respondent firm --partner named
        --value advice --roster firms.csv --symmetrise max -o advice.cmap
    """
    from clustermap.loaders.files import read_table
    from clustermap.loaders.roster import from_roster

    net = from_roster(
        read_table(responses),
        respondent=respondent,
        partner=partner,
        value=value,
        roster=read_table(roster_file) if roster_file else None,
        symmetrise=symmetrise,  # type: ignore[arg-type]
        nonresponse=nonresponse,  # type: ignore[arg-type]
        layer=layer,
    )
    path = out_path(output, "roster.cmap")
    net.save(path)
    meta = net.meta
    click.echo(f"saved {net!r} to {path}")
    click.echo(
        f"{meta['respondents']} respondents, {meta['non_respondents']} non-respondents "
        f"(response rate {meta['response_rate']:.1%}); reciprocity of the reports "
        f"{meta['reciprocity']:.1%}"
    )
    if meta["imputation"]:
        imp = meta["imputation"]
        click.echo(
            f"imputed {imp['arcs_imputed']} links for {imp['non_respondents_imputed']} "
            "non-respondents from their partners' reports"
        )
