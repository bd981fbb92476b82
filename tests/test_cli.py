"""The command line: shared input options, info and build, errors as one message."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

import clustermap as cm
from clustermap.cli import main


@pytest.fixture
def files(tmp_path):
    (tmp_path / "firms.csv").write_text("firm_id,name\nf1,Acme\nf2,Bolt\n")
    (tmp_path / "unis.csv").write_text("firm_id,name\nu1,Uni\n")
    (tmp_path / "links.csv").write_text("supplier_id,buyer,value_eur\nf2,f1,100\n")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_info(files):
    result = run(
        "info",
        "--nodes",
        f"{files / 'firms.csv'}:firm",
        "--nodes",
        f"{files / 'unis.csv'}:institution",
        "--links",
        files / "links.csv",
        "--layer",
        "supply",
        "--columns",
        "id=firm_id,source=supplier_id,target=buyer",
        "--columns",
        "value=value_eur",
    )
    assert result.exit_code == 0, result.output
    assert "actors[institution]" in result.stdout
    assert "links[supply]" in result.stdout


def test_build_then_info_from_cmap(files):
    out = files / "net.cmap"
    result = run(
        "build",
        "--nodes",
        f"{files / 'firms.csv'}:firm",
        "--links",
        files / "links.csv",
        "--layer",
        "supply",
        "--columns",
        "id=firm_id,source=supplier_id,target=buyer,value=value_eur",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    net = cm.ClusterNetwork.load(out)
    assert net.edges["value"].tolist() == [100.0]
    again = run("info", "--network", out)
    assert again.exit_code == 0
    assert "links[supply]" in again.stdout


def test_bad_input_is_one_message_and_exit_2(files):
    result = run("info", "--nodes", f"{files / 'firms.csv'}:firm", "--links", files / "links.csv")
    assert result.exit_code == 2
    assert result.stderr.startswith("clustermap: error: ")
    assert "Traceback" not in result.output
    assert "links.csv" in result.stderr


def test_dangling_message_names_file_row_and_fix(files):
    (files / "links2.csv").write_text("source,target,layer\nf2,F-0093,supply\n")
    result = run(
        "info",
        "--nodes",
        f"{files / 'firms.csv'}:firm",
        "--columns",
        "id=firm_id",
        "--links",
        files / "links2.csv",
    )
    assert result.exit_code == 2
    assert (
        "links2.csv row 2, column 'target': target 'F-0093' is not a known node id "
        "(check firms.csv or pass drop_dangling=True / --drop-dangling)"
    ) in result.stderr


def test_drop_dangling_option(files):
    (files / "links2.csv").write_text("source,target,layer\nf2,F-0093,supply\nf2,f1,supply\n")
    result = run(
        "info",
        "--nodes",
        f"{files / 'firms.csv'}:firm",
        "--columns",
        "id=firm_id",
        "--links",
        files / "links2.csv",
        "--drop-dangling",
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["info"], "no input: give --nodes"),
        (["info", "--network", "missing.cmap"], "missing.cmap: no such file"),
        (["info", "--nodes", "x.csv", "--columns", "idfirm"], "--columns takes ours=theirs pairs"),
    ],
)
def test_option_errors(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_real_entry_point_prints_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "clustermap", "info", "--network", str(tmp_path / "nope.cmap")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"clustermap: error: {tmp_path / 'nope.cmap'}: no such file"
    ]
