"""The ``clustermap specialisation`` command, its charts and its demo step."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

import clustermap as cm
from clustermap.cli import main
from clustermap.errors import InputError
from clustermap.views.charts import portfolio_chart, save_figure, specialisation_heatmap
from tests.conftest import ROOT

DEMO = ROOT / "data" / "demo"


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_command_writes_workbook_and_charts(tmp_path):
    out = tmp_path / "spec.xlsx"
    result = _run(
        "specialisation", "--employment", DEMO / "employment.csv", "--mapping",
        DEMO / "clusters.csv", "--cluster-links", DEMO / "cluster_links.csv", "--region", "XA12",
        "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "XA12: Automotive (LQ 2.42)" in result.output
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == [
        "cluster_strength", "strong_clusters", "selected_regions", "region_indices",
        "cluster_indices", "about",
    ]  # fmt: skip
    assert set(sheets["selected_regions"]["region"]) == {"XA12"}
    assert sheets["strong_clusters"]["strong"].all()
    for name in ("spec_heatmap.png", "spec_heatmap.svg", "spec_portfolio_XA12.png"):
        assert (tmp_path / name).stat().st_size > 10_000
    with Image.open(tmp_path / "spec_portfolio_XA12.png") as image:
        assert image.size == (1350, 900)


def test_command_errors_are_one_line(tmp_path):
    bad = tmp_path / "jobs.csv"
    bad.write_text("region,industry,employment\nA,C29.10,5\nA,C29.10,6\n", encoding="utf-8")
    result = _run("specialisation", "--employment", bad, "--mapping", DEMO / "clusters.csv",
                  "-o", tmp_path / "x.xlsx")  # fmt: skip
    assert result.exit_code == 2
    assert (
        "jobs.csv: 1 problem(s): rows 2, 3 repeat region 'A' and industry 'C29.10'" in result.output
    )
    result = _run("specialisation", "--employment", DEMO / "employment.csv", "--mapping",
                  DEMO / "clusters.csv", "--region", "ZZ99", "-o", tmp_path / "x.xlsx")  # fmt: skip
    assert result.exit_code == 2
    assert "--region ZZ99: not in employment.csv" in result.output
    result = _run("specialisation", "--employment", DEMO / "employment.csv", "--mapping",
                  DEMO / "clusters.csv", "-o", tmp_path / "x.csv")  # fmt: skip
    assert result.exit_code == 2
    assert "must end in .xlsx" in result.output


def test_demo_step_writes_its_outputs(tmp_path):
    from clustermap.commands.specialisation import _demo
    from clustermap.demo import DemoContext

    ctx = DemoContext(tmp_path, cm.make_cluster(n_actors=300, seed=2024), 2024)
    _demo(ctx)
    names = {p.name for p in ctx.written}
    assert {"specialisation.xlsx", "specialisation_heatmap.png"} <= names
    linked = ctx.results["linked_specialisation"].set_index(["region", "cluster"])
    assert linked.loc[("XA12", "Automotive"), "verdict"] == "specialised and linked"
    sheets = pd.read_excel(tmp_path / "specialisation.xlsx", sheet_name=None)
    assert {"linked_specialisation", "tie_geography", "tie_distance_decay"} <= set(sheets)


def test_charts_errors_and_previous_year(tmp_path):
    emp = cm.read_table(DEMO / "employment.csv")
    lq = cm.location_quotients(emp, mapping=cm.read_table(DEMO / "clusters.csv"))
    with pytest.raises(InputError, match="region 'nowhere' has no cluster"):
        portfolio_chart(lq, "nowhere")
    earlier = lq.assign(employment=lq["employment"] * 0.9)
    fig = portfolio_chart(lq, "XA12", previous=earlier)
    assert "change" in fig.axes[0].get_ylabel()
    y = fig.axes[0].collections[0].get_offsets()[:, 1]
    assert y.tolist() == pytest.approx([100 / 9] * len(y))  # +11.1 % everywhere
    fig = specialisation_heatmap(lq, regions=["XA11", "XA12"], clusters=["Automotive"])
    save_figure(fig, tmp_path / "h.svg")
    assert (tmp_path / "h.svg").read_text().lstrip().startswith("<?xml")


def test_two_years_chart_the_employment_change(tmp_path):
    now = pd.read_csv(DEMO / "employment.csv", dtype={"industry": str})
    before = now.assign(employment=(now["employment"] * 0.8).round().astype(int))
    both = pd.concat([before.assign(year=2023), now.assign(year=2024)])
    path = tmp_path / "two_years.csv"
    both.to_csv(path, index=False)
    args = ["specialisation", "--employment", path, "--mapping", DEMO / "clusters.csv",
            "--region", "XA12", "-o", tmp_path / "y.xlsx"]  # fmt: skip
    result = _run(*args)
    assert result.exit_code == 2  # two years: every region-industry pair twice
    assert "select one year" in result.output
    result = _run(*args, "--year", "2024", "--previous-year", "2023")
    assert result.exit_code == 0, result.output
    assert "XA12: Automotive (LQ 2.42)" in result.output
    assert (tmp_path / "y_portfolio_XA12.svg").exists()
    result = _run(*args, "--previous-year", "2023")
    assert result.exit_code == 2
    assert "--previous-year needs --year" in result.output


def test_with_a_network_the_workbook_sets_links_beside_the_lqs(tmp_path):
    out = tmp_path / "net.xlsx"
    result = _run(
        "specialisation", "--employment", DEMO / "employment.csv", "--mapping",
        DEMO / "clusters.csv", "--nodes", DEMO / "nodes.csv", "--links", DEMO / "links.csv",
        "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(out, sheet_name=None)
    linked = sheets["linked_specialisation"].set_index(["region", "cluster"])
    assert linked.loc[("XA12", "Automotive"), "verdict"] == "specialised and linked"
    assert {"tie_geography", "tie_distance_decay"} <= set(sheets)
