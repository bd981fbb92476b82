"""``clustermap specialisation``: location quotients, strong clusters, regional indices, charts.

Reads a long regional employment table and an industry -> cluster mapping,
writes one Excel workbook (every cluster-region with its LQ and strength,
the strong ones, the selected regions, regional indices) and the charts
beside it: a region x cluster heat map and one portfolio chart per
``--region``, as PNG and SVG. The demo step does the same on the demo
country's synthetic employment table and adds the network side: which
specialisations the demo cluster's links back, and how far its ties reach.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from clustermap.analysis.geography import tie_geography
from clustermap.analysis.linked import linked_specialisation
from clustermap.analysis.regional import regional_indices
from clustermap.analysis.specialisation import cluster_strength, location_quotients
from clustermap.cli import console, out_path
from clustermap.demo import DemoContext, demo_step
from clustermap.errors import ConfigError, InputError
from clustermap.exports import write_excel
from clustermap.loaders.files import read_table

__all__ = ["command", "specialisation_tables", "write_charts"]


def specialisation_tables(
    strength: pd.DataFrame, regions: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """The workbook's sheets: strength, strong, (selected regions), region and cluster indices."""
    sheets: dict[str, pd.DataFrame] = {"cluster_strength": strength}
    strong = strength[strength["strong"]].sort_values(["cluster", "lq"], ascending=[True, False])
    strong.attrs = dict(strength.attrs)
    sheets["strong_clusters"] = strong
    if regions:
        chosen = strength[strength["region"].astype(str).isin(regions)]
        chosen = chosen.sort_values(["region", "lq"], ascending=[True, False])
        chosen.attrs = dict(strength.attrs)
        sheets["selected_regions"] = chosen
    matrix = strength.pivot_table(
        index="region", columns="cluster", values="employment", aggfunc="sum", fill_value=0
    )
    indices = regional_indices(matrix)
    sheets["region_indices"] = indices.regions
    sheets["cluster_indices"] = indices.industries
    return sheets


def write_charts(
    strength: pd.DataFrame,
    folder: Path,
    stem: str,
    regions: list[str],
    names: dict[str, str] | None = None,
    previous: pd.DataFrame | None = None,
) -> list[Path]:
    """Write the heat map and one portfolio chart per region, each as PNG and SVG.

    With ``previous`` (the LQ table of an earlier year) the portfolio charts
    show the employment change on their vertical axis.
    """
    from clustermap.views.charts import portfolio_chart, save_figure, specialisation_heatmap

    names = names or {}
    written = []
    # the heat map shows the chosen regions among the largest ones
    largest = strength.groupby("region")["employment"].sum().nlargest(25).index.astype(str)
    shown = list(dict.fromkeys([*regions, *largest]))[: max(25, len(regions))]
    heat = specialisation_heatmap(strength, regions=sorted(shown), names=names)
    for ext in ("png", "svg"):
        written.append(save_figure(heat, folder / f"{stem}_heatmap.{ext}"))
    for region in regions:
        label = f"{names[region]} ({region})" if region in names else region
        fig = portfolio_chart(
            strength, region, previous=previous, title=f"Cluster portfolio of {label}"
        )
        for ext in ("png", "svg"):
            written.append(save_figure(fig, folder / f"{stem}_portfolio_{region}.{ext}"))
    return written


def _region_names(table: pd.DataFrame, region: str) -> dict[str, str]:
    for col in (f"{region}_name", "region_name"):
        if col in table.columns:
            pairs = table[[region, col]].dropna().drop_duplicates(region)
            return dict(zip(pairs[region].astype(str), pairs[col].astype(str), strict=True))
    return {}


@click.command("specialisation")
@click.option(
    "--employment",
    "employment",
    required=True,
    metavar="FILE",
    help="Long table: one row per region and industry (CSV, Excel, Parquet).",
)
@click.option(
    "--mapping",
    "mapping",
    required=True,
    metavar="FILE",
    help="Industry code -> cluster table (columns code/NAICS/NACE, Cluster, "
    "optionally TradedLocal).",
)
@click.option(
    "--cluster-links",
    "links",
    metavar="FILE",
    help="Related clusters (two columns: cluster, related cluster).",
)
@click.option(
    "--nodes",
    "nodes",
    multiple=True,
    metavar="FILE[:kind]",
    help="Optional network: node table(s) with sector and region, to set the links beside "
    "the LQs (linked specialisation) and measure tie distances.",
)
@click.option(
    "--links",
    "network_links",
    multiple=True,
    metavar="FILE",
    help="Optional network: links table(s).",
)
@click.option(
    "--network",
    "network",
    metavar="FILE.cmap",
    help="Optional network saved by `build` (instead of --nodes/--links).",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="CODE",
    help="A region to chart and list (repeatable).",
)
@click.option(
    "--region-column", default="region", show_default=True, help="Column of the region code."
)
@click.option(
    "--industry-column",
    default="industry",
    show_default=True,
    help="Column of the industry code (kept as text).",
)
@click.option(
    "--value-column", default="employment", show_default=True, help="Column of the employment."
)
@click.option(
    "--year-column",
    default="year",
    show_default=True,
    help="Column of the year, for --year and --previous-year.",
)
@click.option(
    "--year",
    "year",
    default=None,
    metavar="YEAR",
    help="Use this year's rows of a table holding several years.",
)
@click.option(
    "--previous-year",
    default=None,
    metavar="YEAR",
    help="Chart the employment change since this year (needs --year).",
)
@click.option(
    "--establishments-column",
    default=None,
    help="Column of establishments (default: 'establishments' when present).",
)
@click.option(
    "--level",
    type=int,
    default=None,
    help="Keep codes of this many characters (e.g. 6 for 6-digit NAICS).",
)
@click.option(
    "--denominator",
    type=click.Choice(["traded", "all"]),
    default=None,
    help="Base of the LQ (default traded when the mapping flags traded clusters).",
)
@click.option(
    "--unmapped",
    type=click.Choice(["error", "other"]),
    default="error",
    show_default=True,
    help="Codes the mapping lacks: stop, or count in no cluster.",
)
@click.option("-o", "--output", metavar="FILE", help="Output .xlsx (default specialisation.xlsx).")
def command(
    employment: str,
    mapping: str,
    links: str | None,
    regions: tuple[str, ...],
    region_column: str,
    industry_column: str,
    value_column: str,
    establishments_column: str | None,
    level: int | None,
    denominator: str | None,
    unmapped: str,
    output: str | None,
    year_column: str,
    year: str | None,
    previous_year: str | None,
    nodes: tuple[str, ...],
    network_links: tuple[str, ...],
    network: str | None,
) -> None:
    """Location quotients, strong clusters and regional indices of an employment table."""
    path = out_path(output, "specialisation.xlsx")
    if path.suffix.lower() != ".xlsx":
        msg = f"`--output` must end in .xlsx, not {path.name!r}"
        raise ConfigError(msg)
    if previous_year is not None and year is None:
        msg = "--previous-year needs --year (the year to compare with it)"
        raise ConfigError(msg)
    full = read_table(employment)
    if establishments_column is None and "establishments" in full.columns:
        establishments_column = "establishments"
    mapping_table = read_table(mapping)

    def lq_of(when: str | None) -> pd.DataFrame:
        table = full
        if when is not None:
            if year_column not in full.columns:
                msg = f"{Path(employment).name}: no column {year_column!r} (--year-column)"
                raise ConfigError(msg)
            table = full[full[year_column].astype(str).str.strip() == str(when)]
            table.attrs = dict(full.attrs)
            if table.empty:
                msg = f"{Path(employment).name}: no row has {year_column} = {when}"
                raise InputError(msg)
        return location_quotients(
            table,
            region=region_column,
            industry=industry_column,
            value=value_column,
            establishments=establishments_column,
            mapping=mapping_table,
            denominator=denominator,  # type: ignore[arg-type]
            level=level,
            unmapped=unmapped,  # type: ignore[arg-type]
        )

    with console().status("computing location quotients..."):
        lq = lq_of(year)
        strength = cluster_strength(lq, links=None if links is None else read_table(links))
        previous = None if previous_year is None else lq_of(previous_year)
    table = full
    chosen = [str(r) for r in regions]
    unknown = sorted(set(chosen) - set(strength["region"].astype(str)))
    if unknown:
        where = f"{Path(employment).name} (column {region_column!r})"
        msg = f"--region {', '.join(unknown)}: not in {where}"
        raise InputError(msg)
    inputs = {"employment": Path(employment).name, "mapping": Path(mapping).name}
    if links:
        inputs["cluster_links"] = Path(links).name
    sheets = specialisation_tables(strength, chosen)
    if nodes or network_links or network:
        sheets.update(_network_sheets(nodes, network_links, network, strength, mapping_table))
        inputs["network"] = network or ", ".join(Path(p).name for p in (*nodes, *network_links))
    write_excel(sheets, path, inputs=inputs, index=False)
    charts = write_charts(
        strength, path.parent, path.stem, chosen, _region_names(table, region_column), previous
    )
    n_strong = int(strength["strong"].sum())
    click.echo(
        f"{strength['region'].nunique()} regions x {strength['cluster'].nunique()} clusters; "
        f"{n_strong} strong cluster-regions ({strength.attrs.get('rule', '')})"
    )
    for region in chosen:
        top = strength[(strength["region"].astype(str) == region) & strength["strong"]]
        top = top.sort_values("lq", ascending=False)
        listed = ", ".join(
            f"{c} (LQ {v:.2f})" for c, v in zip(top["cluster"], top["lq"], strict=True)
        )
        click.echo(f"  {region}: {listed or 'no strong cluster'}")
    click.echo(f"wrote {path} and {len(charts)} charts")


def _network_sheets(
    nodes: tuple[str, ...],
    links: tuple[str, ...],
    network: str | None,
    strength: pd.DataFrame,
    mapping: pd.DataFrame,
) -> dict[str, pd.DataFrame]:
    """Linked specialisation (and tie geography when actors have coordinates) of a network."""
    from clustermap.cli import load_network

    with console().status("reading the network..."):
        net = load_network(
            nodes=nodes,
            links=links,
            network=network,
            columns=(),
            sheet=None,
            layer=None,
            drop_dangling=False,
            self_loops="error",
        )
    sheets = {"linked_specialisation": linked_specialisation(net, strength, mapping=mapping)}
    if {"lat", "lon"} <= set(net.nodes.columns):
        geography = tie_geography(net)
        sheets["tie_geography"] = geography.summary.reset_index()
        sheets["tie_distance_decay"] = geography.decay
    return sheets


@demo_step(order=60, label="regional specialisation")
def _demo(ctx: DemoContext) -> None:
    from clustermap.loaders.employment_generator import make_employment

    employment, mapping, links = make_employment(ctx.seed, n_actors=ctx.net.n_nodes)
    lq = location_quotients(employment, establishments="establishments", mapping=mapping)
    strength = cluster_strength(lq, links=links)
    ctx.results["cluster_strength"] = strength
    home = ["XA11", "XA12", "XA13"]
    sheets: dict[str, Any] = specialisation_tables(strength, home)
    linked = linked_specialisation(ctx.net, strength, mapping=mapping)
    ctx.results["linked_specialisation"] = linked
    sheets["linked_specialisation"] = linked
    geography = tie_geography(ctx.net, seed=ctx.seed)
    ctx.results["tie_geography"] = geography
    sheets["tie_geography"] = geography.summary.reset_index()
    sheets["tie_distance_decay"] = geography.decay
    inputs = {"employment": "synthetic demo country (make_employment)", "seed": ctx.seed}
    write_excel(sheets, ctx.path("specialisation.xlsx"), inputs=inputs, index=False)
    names = _region_names(employment, "region")
    for written in write_charts(strength, ctx.out, "specialisation", home, names):
        ctx.written.append(written)
