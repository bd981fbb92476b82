"""``clustermap view``: an interactive HTML map of the network; the demo's network.html."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
import pandas as pd

from clustermap.cli import console, network_input, out_path
from clustermap.demo import DemoContext, demo_step
from clustermap.errors import InputError
from clustermap.graphs.network import ClusterNetwork
from clustermap.graphs.selection import KINDS
from clustermap.loaders import read_table
from clustermap.views import save_html
from clustermap.views._options import LAYOUTS

__all__ = ["command", "partition_from", "read_results", "save_run_view"]

log = logging.getLogger(__name__)

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


def partition_from(table: pd.DataFrame, path: str, net: Any = None) -> Any:
    r"""A saved community list (``clustermap communities`` output) as a Partition, not recomputed.

    The ``community`` column gives the membership; the ``*.meta.json``
    beside the file, when present, says how it was found (method,
    parameters, seed, layers), so the page can say so.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "communities.csv"
    >>> _ = p.write_text("id,community\na,1\nb,2\n", encoding="utf-8")
    >>> part = partition_from(read_results(str(p)), str(p))
    >>> part.method, part.membership.to_dict()
    ('communities.csv', {'a': 1, 'b': 2})
    """
    from clustermap.analysis.partition import Partition

    file = Path(path)
    meta_path = file.with_name(file.stem + ".meta.json")
    meta: dict[str, Any] = {}
    if meta_path.is_file():
        try:
            loaded = json.loads(meta_path.read_text(encoding="utf-8"))
            meta = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            log.warning(
                "%s is not readable JSON; the page will not say how communities were found",
                meta_path.name,
            )
    membership = pd.to_numeric(table["community"], errors="coerce")
    if membership.isna().all():
        msg = f"{file.name}: the `community` column holds no community numbers"
        raise InputError(msg)
    if net is not None:  # a saved list is sorted by community: put it in the network's order
        ids = net.nodes.index
        unknown = membership.index.difference(ids)
        if len(unknown):
            shown = ", ".join(map(repr, unknown[:5].tolist()))
            msg = (
                f"{file.name}: {len(unknown)} ids are not actors of the network ({shown}); "
                "was the community list saved from another network?"
            )
            raise InputError(msg)
        membership = membership.reindex(ids)
    method = str(meta.get("method") or file.name)
    record = {**meta, "method": f"{method} (read from {file.name})" if meta else method}
    return Partition(
        membership=membership.astype("Int64"),
        method=method,
        parameters=dict(meta.get("parameters") or {}),
        seed=meta.get("seed"),
        layers=list(meta.get("layers") or []),
        quality=dict(meta.get("quality") or {}),
        provenance=record,
    )


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
    help="A table with an id column (e.g. centrality.csv); repeatable. A communities.csv "
    "(with a community column) is used as the partition, not recomputed.",
)
@click.option(
    "--communities",
    is_flag=True,
    help="Colour by communities: those of a --results file with a community column, "
    "else found now (find_communities defaults).",
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
    help="auto, physics, fixed (precomputed), geo (lat/lon) or tiers (supply-chain columns).",
)
@click.option(
    "--regions",
    metavar="FILE.geojson",
    help="Region outlines drawn under --layout geo (a GeoJSON file; nothing is fetched).",
)
@click.option(
    "--buyers",
    help="Final buyers of --layout tiers: ids separated by commas, or a kind (firm).",
)
@click.option(
    "--drill-members",
    type=click.IntRange(min=0),
    help="Members a community opens with in the community-level view [30].",
)
@click.option("--tooltip-columns", help="Columns shown in tooltips, e.g. category,region,pagerank.")
@click.option(
    "--keep-columns",
    "keep_columns",
    help="The only actor columns written into the page, e.g. region,sector (name and kind stay).",
)
@click.option("--anonymize", is_flag=True, help="Replace names by ids.")
@click.option(
    "--anonymize-salt",
    envvar="CLUSTERMAP_SALT",
    metavar="SECRET",
    help="Replace ids and names by salted pseudonyms (>= 8 characters; never written; "
    "or set CLUSTERMAP_SALT).",
)
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
    regions: str | None,
    buyers: str | None,
    drill_members: int | None,
    tooltip_columns: str | None,
    keep_columns: str | None,
    anonymize: bool,
    anonymize_salt: str | None,
    title: str | None,
    seed: int | None,
    output: str | None,
) -> None:
    """Write an interactive map of the network to one HTML file that works offline."""
    path = out_path(output, "network.html")
    results: dict[str, Any] = {}
    for f in result_files:
        table = read_results(f)
        if "community" in table.columns and "partition" not in results:
            results["partition"] = partition_from(table, f, net)
            table = table.drop(columns=[c for c in ("community", "community_size") if c in table])
        results[Path(f).stem] = table
    layers = _split(use_layers)
    if communities and "partition" not in results:
        from clustermap.analysis.communities import find_communities

        with console().status("finding communities..."):
            results["partition"] = find_communities(net, layers=layers, seed=seed)
    kind_or_ids: Any = None
    if buyers is not None:
        listed = _split(buyers) or []
        kind_or_ids = listed[0] if len(listed) == 1 and listed[0] in KINDS else listed
    options: dict[str, Any] = {
        "layout": layout,
        "max_nodes": max_nodes,
        "tooltip_columns": _split(tooltip_columns),
        "columns": _split(keep_columns),
        "anonymize": anonymize_salt if anonymize_salt else anonymize,
        "seed": seed,
        "regions": regions,
        "buyers": kind_or_ids,
    }
    if drill_members is not None:
        options["drill_members"] = drill_members
    with console().status("drawing the network..."):
        save_html(
            net,
            path,
            color_by=color_by or ("community" if communities else None),
            size_by=size_by,
            results=results or None,
            layers=layers,
            title=title,
            options=options,
        )
    click.echo(f"wrote {path} ({path.stat().st_size / 1024:,.0f} KiB); open it in a browser")


def save_run_view(
    net: ClusterNetwork, path: Path, results: Mapping[str, Any], *, title: str, seed: int
) -> None:
    """Write the view of a run (the demo, a project file): by community and centrality when given.

    Coloured by the run's partition when it has one (else by kind) and sized
    by the first of :data:`DEMO_SIZE_MEASURES` its centrality table holds.
    """
    partition = results.get("partition")
    table = results.get("centrality")
    shown: dict[str, Any] = {}
    size_by = None
    if partition is not None:
        shown["partition"] = partition
    if isinstance(table, pd.DataFrame):
        shown["centrality"] = table
        size_by = next((m for m in DEMO_SIZE_MEASURES if m in table.columns), None)
    save_html(
        net,
        path,
        color_by="community" if partition is not None else "kind",
        size_by=size_by,
        results=shown or None,
        title=title,
        options={"seed": seed},
    )


@demo_step(order=90, label="interactive view")
def _demo(ctx: DemoContext) -> None:
    save_run_view(
        ctx.net,
        ctx.path("network.html"),
        ctx.results,
        title=f"Demo cluster: {ctx.net.n_nodes} actors",
        seed=ctx.seed,
    )
