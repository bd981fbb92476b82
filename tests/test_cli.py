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
        "(check firms.csv or pass --drop-dangling)"
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


def test_input_options_reach_the_readers(tmp_path):
    (tmp_path / "n.csv").write_bytes("id:name:kind\na:Müller:firm\nb:B:firm\n".encode("cp1252"))
    (tmp_path / "l.csv").write_text("a:b\n#N/A:b\n")
    base = ["info", "--nodes", tmp_path / "n.csv", "--links", tmp_path / "l.csv"]
    opts = ["--delimiter", ":", "--layer", "supply"]
    result = run(*base, *opts, "--encoding", "cp1252", "--no-header")
    assert result.exit_code == 0, result.output
    assert "links                1" in result.output
    result = run(*base, *opts, "--encoding", "cp1252", "--no-header", "--keep-placeholders")
    assert result.exit_code == 2  # kept as an id, '#N/A' is not a known actor
    assert "source '#N/A' is not a known node id" in result.output
    (tmp_path / "n.csv").write_text("id:name:kind\na:UniversitÃ¤t:firm\nb:B:firm\n")
    result = run(*base, *opts, "--no-header", "--fix-text")
    assert result.exit_code == 0, result.output
    assert "repaired mis-encoded text in 1 cell(s)" in result.output


def test_bad_encoding_option_is_one_line(tmp_path):
    (tmp_path / "n.csv").write_text("id,name,kind\na,A,firm\n")
    result = run("info", "--nodes", tmp_path / "n.csv", "--encoding", "bogus")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "`encoding` 'bogus'" in result.output
