"""Tests of the `compare` and `trend` commands and of the charts of change."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

import clustermap as cm
from clustermap.cli import main
from clustermap.errors import ConfigError, InputError
from clustermap.loaders.generator import write_cluster
from clustermap.views.charts import difference_chart, flows_chart, indicator_chart, save_figure


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("change")
    net = cm.make_cluster(n_actors=150, seed=6)
    nodes, links = write_cluster(net, folder)
    periods = net.snapshots(periods=[(2015, 2017), (2022, 2024)])
    a, b = folder / "a.cmap", folder / "b.cmap"
    next(iter(periods.values())).save(a)
    list(periods.values())[1].save(b)
    return {"nodes": nodes, "links": links, "a": a, "b": b, "folder": folder}


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_compare_two_periods_writes_workbook_and_charts(files, tmp_path):
    out = tmp_path / "cmp.xlsx"
    result = run(
        "compare", "--nodes", files["nodes"], "--links", files["links"], "--years", "2015-2017",
        "--vs", "2022-2024", "--bootstrap", 20, "--null-models", 2, "--seed", 4, "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2015-2017 -> 2022-2024" in result.output
    assert "entered" in result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames[:3] == ["indicators", "actor_counts", "actors"]
    assert "community_flows" in book.sheetnames
    assert book.sheetnames[-1] == "about"
    assert (tmp_path / "cmp-indicators.png").stat().st_size > 1000
    assert (tmp_path / "cmp-flows.png").stat().st_size > 1000
    page = (tmp_path / "cmp.html").read_text(encoding="utf-8")
    assert "Change from 2015-2017 to 2022-2024" in page
    assert "formed" in page


def test_compare_against_a_saved_network(files, tmp_path):
    out = tmp_path / "ab.xlsx"
    result = run(
        "compare", "--network", files["a"], "--against", files["b"], "--groups", "subcluster",
        "--bootstrap", 0, "--null-models", 0, "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "say what to compare"),
        (["--years", "2015-2017"], "say what to compare"),
        (["--years", "20x", "--vs", "2020"], "takes a year or a range"),
        (["--years", "2017-2015", "--vs", "2020"], "ends before it starts"),
        (["--years", "2015", "--vs", "2015"], "same period"),
        (["--years", "2030-2032", "--vs", "2020"], "have no links"),
        (["--years", "2015", "--vs", "2020", "-o", "x.csv"], "must end in .xlsx"),
        (["--years", "2015", "--vs", "2020", "--layers", "ownership"], "unknown layer"),
        (["--years", "2015", "--vs", "2020", "--bootstrap", "-3"], "`bootstrap` must be"),
    ],
)
def test_compare_option_errors(files, tmp_path, extra, message):
    result = run("compare", "--nodes", files["nodes"], "--links", files["links"], *extra)
    assert result.exit_code == 2
    assert message in result.output


def test_compare_both_ways_at_once_is_an_error(files):
    result = run("compare", "--network", files["a"], "--against", files["b"], "--years", "2015",
                 "--vs", "2016")  # fmt: skip
    assert result.exit_code == 2
    assert "not both" in result.output


def test_trend_writes_table_and_chart(files, tmp_path):
    out = tmp_path / "trend.xlsx"
    result = run(
        "trend", "--nodes", files["nodes"], "--links", files["links"], "--groups", "subcluster",
        "--window", 2, "--indicators", "density,clustering", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2015-2016" in result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["data", "about"]
    assert (tmp_path / "trend.png").stat().st_size > 1000


def test_trend_errors(files):
    result = run("trend", "--nodes", files["nodes"], "--links", files["links"], "--by", "when")
    assert result.exit_code == 2
    assert "no 'when' column" in result.output
    result = run("trend", "--nodes", files["nodes"], "--links", files["links"], "--indicators",
                 "wealth")  # fmt: skip
    assert result.exit_code == 2
    assert "not columns of the table" in result.output


def test_charts(tmp_path):
    net = cm.make_cluster(n_actors=200, seed=2)
    table = cm.network_indicators(net.snapshots())
    fig = indicator_chart(table)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 9  # every default indicator
    save_figure(fig, tmp_path / "trend.svg")
    periods = net.snapshots(periods=[(2015, 2018), (2021, 2024)])
    cmp = cm.compare_networks(*periods.values(), bootstrap=10, null_models=2, seed=1)
    assert len(flows_chart(cmp, top=3).axes) == 1
    assert len(difference_chart(cmp, ["density", "clustering"]).axes) == 1
    with pytest.raises(ConfigError, match="not rows of the comparison"):
        difference_chart(cmp, ["wealth"])
    with pytest.raises(ConfigError, match="`top`"):
        flows_chart(cmp, top=0)
    bare = cm.compare_networks(*periods.values(), groups=False, bootstrap=0, null_models=0)
    with pytest.raises(InputError, match="no community flows"):
        flows_chart(bare)
    with pytest.raises(InputError, match="no rows"):
        indicator_chart(table.iloc[:0])
