"""``clustermap view``: an interactive HTML map of the network; the demo's network.html."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from clustermap.cli import console, network_input, out_path
from clustermap.demo import DemoContext, demo_step
from clustermap.errors import InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.loaders import read_table
from clustermap.views import save_html
from clustermap.views._options import LAYOUTS

__all__ = ["command", "read_results"]

#: Centrality measures the demo sizes actors by, in order of preference.
DEMO_SIZE_MEASURES = ("pagerank", "betweenness", "strength", "degree")


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [x.strip() for x in value.split(",") if x.strip()]


def read_results(path: str) -> pd.DataFrame:
    r"""Read a table of results with an ``id`` column (a centrality.csv, say), numbers as numbers.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "scores.csv"
    >>> _ = p.write_text("id,score,note\na,0.5,x\nb,1.5,y\n", encoding="utf-8")
    >>> read_results(str(p)).dtypes.astype(str).to_dict()
    {'score': 'float64', 'note': 'str'}
    """
    table = read_table(path)
    if "id" not in table.columns:
        msg = f"{Path(path).name}: a results table needs an `id` column (the actor ids)"
        raise InputError(msg)
    table = table.set_index(table["id"].astype(str)).drop(columns="id")
    for col in table.columns:
        if pd.api.types.is_numeric_dtype(table[col]):
            continue
        text = table[col].astype("string").str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers.notna().sum() and (numbers.notna() | text.isna() | (text == "")).all():
            table[col] = numbers.astype("float64")
    return table


@click.command("view")
@network_input
@click.option("--color-by", help="kind, community, or a column of the actors or of --results.")
@click.option("--size-by", help="A numeric column (employees, or pagerank from --results).")
@click.option("--layers", "use_layers", help="Only these layers' links, e.g. supply,knowledge.")
@click.option(
    "--results",
    "result_files",
    multiple=True,
    metavar="FILE",
    help="A table with an id column (e.g. centrality.csv); repeatable.",
)
@click.option(
    "--communities",
    is_flag=True,
    help="Find communities (find_communities defaults) and colour by them.",
)
@click.option(
    "--max-nodes",
    type=int,
    help="Above this many actors draw the community-level view (default settings.view_max_nodes).",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="auto",
    show_default=True,
    help="auto, physics, fixed (precomputed) or geo (lat/lon).",
)
@click.option("--tooltip-columns", help="Columns shown in tooltips, e.g. category,region,pagerank.")
@click.option("--anonymize", is_flag=True, help="Replace names by ids.")
@click.option("--title", help="Page title.")
@click.option("--seed", type=int, help="Seed of the layout and of --communities.")
@click.option("-o", "--output", metavar="FILE.html", help="Where to write [network.html].")
def command(
    net: ClusterNetwork,
    color_by: str | None,
    size_by: str | None,
    use_layers: str | None,
    result_files: tuple[str, ...],
    communities: bool,
    max_nodes: int | None,
    layout: str,
    tooltip_columns: str | None,
    anonymize: bool,
    title: str | None,
    seed: int | None,
    output: str | None,
) -> None:
    """Write an interactive map of the network to one HTML file that works offline."""
    path = out_path(output, "network.html")
    results: dict[str, Any] = {Path(f).stem: read_results(f) for f in result_files}
    layers = _split(use_layers)
    if communities:
        from clustermap.analysis.communities import find_communities

        with console().status("finding communities..."):
            results["partition"] = find_communities(net, layers=layers, seed=seed)
    options = {
        "layout": layout,
        "max_nodes": max_nodes,
        "tooltip_columns": _split(tooltip_columns),
        "anonymize": anonymize,
        "seed": seed,
    }
    with console().status("drawing the network..."):
        save_html(
            net,
            path,
            color_by=color_by,
            size_by=size_by,
            results=results or None,
            layers=layers,
            title=title,
            options=options,
        )
    click.echo(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KiB); open it in a browser")


@demo_step(order=90, label="interactive view")
def _demo(ctx: DemoContext) -> None:
    partition = ctx.results.get("partition")
    table = ctx.results.get("centrality")
    results: dict[str, Any] = {}
    size_by = None
    if partition is not None:
        results["partition"] = partition
    if isinstance(table, pd.DataFrame):
        results["centrality"] = table
        size_by = next((m for m in DEMO_SIZE_MEASURES if m in table.columns), None)
    save_html(
        ctx.net,
        ctx.path("network.html"),
        color_by="community" if partition is not None else "kind",
        size_by=size_by,
        results=results or None,
        title=f"Demo cluster: {ctx.net.n_nodes} actors",
        options={"seed": ctx.seed},
    )
