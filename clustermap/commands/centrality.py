"""``clustermap centrality``: score every actor; the demo's centrality.csv and key_actors.xlsx."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from clustermap.cli import anonymize_option, console, echo, network_input, out_path, output_option
from clustermap.commands._centrality_output import FORMATS, check_output, split_list, write_result
from clustermap.demo import DemoContext, demo_step

if TYPE_CHECKING:
    import pandas as pd

    from clustermap.graphs.network import ClusterNetwork

__all__ = ["command", "key_actor_sheets"]

KEY_ACTORS = 10


def key_actor_sheets(table: pd.DataFrame, *, top: int = KEY_ACTORS) -> dict[str, pd.DataFrame]:
    """The top actors by each measure of a :func:`centrality` table, one sheet per measure.

    Each sheet lists rank, id, name, kind and the score, and carries the
    table's record of how it was made.

    Examples
    --------
    >>> import clustermap as cm
    >>> net = cm.from_tables(
    ...     {"id": ["a", "b", "c"], "name": ["A", "B", "C"], "kind": "firm"},
    ...     {"source": ["a", "b"], "target": ["b", "c"], "layer": "knowledge"},
    ... )
    >>> sheets = key_actor_sheets(cm.centrality(net, measures=["degree"]), top=1)
    >>> sheets["degree"].to_dict("records")
    [{'id': 'b', 'name': 'B', 'kind': 'firm', 'degree': 1.0}]
    """
    import pandas as pd

    from clustermap.analysis.centrality import MEASURES

    sheets: dict[str, pd.DataFrame] = {}
    for measure in (c for c in table.columns if c in MEASURES):
        ranked = table.sort_values(measure, ascending=False, kind="stable").head(top)
        sheet = ranked[["name", "kind", measure]].reset_index()
        sheet.index = pd.RangeIndex(1, len(sheet) + 1, name="rank")
        sheet.attrs = dict(table.attrs)
        sheets[measure] = sheet
    return sheets


def _summary(table: pd.DataFrame) -> str:
    from clustermap.analysis.centrality import MEASURES

    measures = [c for c in table.columns if c in MEASURES]
    lines = [f"centrality of {len(table)} actors: {', '.join(measures)}"]
    for measure, info in table.attrs.get("estimated", {}).items():
        lines.append(f"  {measure} estimated from {info['samples']} sampled sources")
    for measure in measures[:3] + [m for m in ("betweenness", "pagerank") if m in measures[3:]]:
        best = table.iloc[int(table[measure].to_numpy().argmax())]
        lines.append(f"  top by {measure}: {best['name']} ({best[measure]:.4g})")
    return "\n".join(lines)


@click.command("centrality")
@network_input
@click.option(
    "--measures",
    metavar="M[,M]",
    help=(
        "Measures to compute: degree, strength (and their in_/out_ forms), betweenness, "
        "pagerank, eigenvector, coreness, closeness, harmonic (default: degree, strength, "
        "betweenness, pagerank, eigenvector, coreness, and in/out degree and strength on "
        "directed layers)."
    ),
)
@click.option(
    "--layers", "use_layers", metavar="LAYER[,LAYER]", help="Use only these layers (default all)."
)
@click.option("--unweighted", is_flag=True, help="Every link counts 1 in paths and walks.")
@click.option("--raw", is_flag=True, help="Do not normalise degree, betweenness and harmonic.")
@click.option("--seed", type=int, default=None, help="Seed for estimates on large networks.")
@output_option(
    "-o",
    "--output",
    suffixes=FORMATS,
    metavar="FILE",
    help="Output .csv, .xlsx (with the top actors per measure) or .json; default centrality.csv.",
)
@anonymize_option
def command(
    net: ClusterNetwork,
    measures: str | None,
    use_layers: str | None,
    unweighted: bool,
    raw: bool,
    seed: int | None,
    output: str | None,
    anonymize_salt: str | None,
) -> None:
    """Score every actor: partners, betweenness, PageRank, eigenvector, core, closeness."""
    from clustermap.analysis.centrality import centrality

    path = check_output(out_path(output, "centrality.csv"))
    with console().status("computing centrality..."):
        table = centrality(
            net,
            measures=split_list(measures),
            layers=split_list(use_layers),
            weighted=not unweighted,
            normalized=not raw,
            seed=seed,
        )
    sheets = {"centrality": table, **key_actor_sheets(table)}
    anonymize = anonymize_salt or False
    write_result(table, path, sheets=sheets, inputs=net.meta or None, anonymize=anonymize)
    echo(_summary(table))
    echo(f"wrote {path}")


@demo_step(order=20, label="centrality")
def _demo(ctx: DemoContext) -> None:
    from clustermap.analysis.centrality import centrality
    from clustermap.exports import write_csv, write_excel

    table = centrality(ctx.net, seed=ctx.seed)
    ctx.results["centrality"] = table
    inputs = {"network": "demo cluster", "n_actors": ctx.net.n_nodes, "seed": ctx.seed}
    write_csv(table, ctx.path("centrality.csv"), inputs=inputs)
    write_excel(key_actor_sheets(table), ctx.path("key_actors.xlsx"), inputs=inputs)
