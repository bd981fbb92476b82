"""Every cell of every spreadsheet clustermap writes is inert: no formula, from any command.

The inputs are hostile on purpose: actor ids, names, categories and regions
that are formula payloads, an input file whose name is one, and an option
value (``--remove '=1+1'``) that is one. The test runs ``clustermap demo``
and every subcommand that writes files, then walks every cell of every sheet
of every ``.xlsx`` (sheet names and headers included) and every cell of every
CSV, and fails on anything a spreadsheet would run.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import clustermap as cm
from clustermap.cli import main

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NUMBER = re.compile(r"\s*[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*\Z")


def live(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula."""
    return text.lstrip(" \u00a0").startswith(TRIGGERS) and NUMBER.match(text) is None


def walk_xlsx(path: Path) -> list[str]:
    problems = []
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        if live(ws.title):
            problems.append(f"{path.name}: sheet name {ws.title!r}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(
                        f"{path.name}!{ws.title}!{cell.coordinate}: formula {cell.value!r}"
                    )
                elif isinstance(cell.value, str) and live(cell.value.replace("_x000D_", "\r")):
                    problems.append(f"{path.name}!{ws.title}!{cell.coordinate}: {cell.value!r}")
    return problems


def walk_csv(path: Path) -> list[str]:
    problems = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for r, row in enumerate(csv.reader(handle), start=1):
            for c, value in enumerate(row, start=1):
                if live(value):
                    problems.append(f"{path.name} row {r} column {c}: {value!r}")
    return problems


def walk(folder: Path) -> tuple[list[str], int]:
    problems: list[str] = []
    files = sorted(folder.rglob("*.xlsx")) + sorted(folder.rglob("*.csv"))
    for path in files:
        if path.parent.name == "inputs":
            continue
        problems += walk_xlsx(path) if path.suffix == ".xlsx" else walk_csv(path)
    return problems, len(files)


PAYLOADS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    " =1+1",
    "\uff1dcmd",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    inputs = folder / "inputs"
    inputs.mkdir()
    n = 24
    ids = ["=1+1", "@A1", "-5+5", *[f"F{i}" for i in range(n - 3)]]
    kinds = ["firm", "supplier", "institution"]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [PAYLOADS[i % len(PAYLOADS)] + f" {i}" for i in range(n)],
            "kind": [kinds[i % 3] for i in range(n)],
            "category": ["=cmd" if i % 2 else "university" for i in range(n)],
            "region": ["-x+1" if i % 3 else "@r" for i in range(n)],
            "growth": [-3.5 + i for i in range(n)],
        }
    )
    rows = []
    for i in range(n):
        for j in (1, 2, 5):
            a, b = ids[i], ids[(i + j) % n]
            rows.append({"source": a, "target": b, "layer": "supply", "weight": 1.0 + j})
            rows.append({"source": a, "target": b, "layer": "knowledge", "weight": 0.5 * j})
    nodes.to_csv(inputs / '=HYPERLINK("x").csv', index=False)
    pd.DataFrame(rows).to_csv(inputs / "@links.csv", index=False)
    return folder


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def test_every_command_writes_inert_spreadsheets(hostile):
    inputs = hostile / "inputs"
    given = ["--nodes", inputs / '=HYPERLINK("x").csv', "--links", inputs / "@links.csv"]
    out = hostile / "out"
    run("info", *given)
    run("build", *given, "-o", out / "net.cmap")
    for ext in ("xlsx", "csv", "json"):
        run("centrality", *given, "-o", out / f"centrality.{ext}")
        run("brokerage", *given, "-o", out / f"brokerage.{ext}")
        run("communities", *given, "-o", out / f"communities.{ext}")
        run("resilience", *given, "-o", out / f"resilience.{ext}")
        run("resilience", *given, "--remove", "=1+1", "-o", out / f"what_if.{ext}")
    run("communities", *given, "-o", out / "c2.xlsx", "--gexf", out / "c.gexf")
    run("spillover", *given, "--out-dir", out / "spill", "--groups", "region")
    salt = "a long secret salt"
    run("centrality", *given, "-o", out / "anon.xlsx", "--anonymize-salt", salt)
    problems, files = walk(hostile)
    assert files >= 20
    assert problems == []
    # the payloads are there, guarded, not dropped
    book = openpyxl.load_workbook(out / "what_if.xlsx")
    about = {r[0].value: r[1].value for r in book["about"].iter_rows(min_row=2)}
    assert any(isinstance(v, str) and v.startswith("'=1+1") for v in about.values()), about
    assert salt not in (out / "anon.xlsx").read_bytes().decode("latin-1")


def test_demo_writes_inert_spreadsheets(tmp_path):
    run("demo", "--out", tmp_path, "--actors", 80)
    problems, files = walk(tmp_path)
    assert files >= 10
    assert problems == []


def test_library_multiindex_table_is_guarded_in_csv_and_excel(tmp_path):
    index = pd.MultiIndex.from_tuples(
        [("=kind", "@firm"), ("region", "-x+1"), ("region", "-3.5")], names=["=by", "group"]
    )
    table = pd.DataFrame(
        {("=share", "all"): [0.5, -0.25, 1.0], ("note", ""): ["=1", "ok", "+2"]}, index=index
    )
    cm.write_csv(table, tmp_path / "t.csv")
    cm.write_excel(table, tmp_path / "t.xlsx")
    problems, _ = walk(tmp_path)
    assert problems == []
    with (tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    # level names are kept (guarded); numbers and number-like text are untouched
    assert rows[0][:2] == ["'=by", "group"]
    assert rows[-1][:2] == ["region", "-3.5"]
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["data"]
    assert [c.value for c in ws[1]] == ["'=by", "group", "'=share / all", "note"]
    assert ws["C3"].value == -0.25
