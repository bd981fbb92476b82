"""clustermap init: starter project files proposed from the files' columns."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from clustermap.cli import main
from clustermap.errors import ConfigError
from clustermap.project import load_project, run_project
from clustermap.project.starter import propose_columns, write_starter


@pytest.mark.parametrize(
    ("columns", "role", "expected"),
    [
        (["Firm ID", "Company", "NACE code", "Latitude"], "nodes",
         {"id": "Firm ID", "name": "Company", "sector": "NACE code", "lat": "Latitude"}),
        (["id", "name", "kind"], "nodes", {}),
        (["supplier_id", "buyer_id", "Contract value"], "links",
         {"source": "supplier_id", "target": "buyer_id", "value": "Contract value"}),
        (["From", "To", "Weight"], "links", {"source": "From", "target": "To", "weight": "Weight"}),
    ],
)  # fmt: skip
def test_propose_columns(columns, role, expected):
    assert propose_columns(columns, role) == expected


def test_init_writes_a_project_that_runs(tmp_path):
    (tmp_path / "firms.csv").write_text(
        "Firm ID,Company\nA,Alpha\nB,Beta\nC,Gamma\n", encoding="utf-8"
    )
    (tmp_path / "purchases.csv").write_text(
        "supplier_id,buyer_id\nA,B\nB,C\nA,C\n", encoding="utf-8"
    )
    out = tmp_path / "project.toml"
    runner = CliRunner()
    result = runner.invoke(
        main, ["init", str(tmp_path / "firms.csv"), str(tmp_path / "purchases.csv"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    assert doc["inputs"]["nodes"][0] == {
        "file": "firms.csv",
        "columns": {"id": "Firm ID", "name": "Company"},
        "kind": "firm",
    }
    assert doc["inputs"]["links"][0]["columns"] == {"source": "supplier_id", "target": "buyer_id"}
    assert doc["inputs"]["links"][0]["layer"] == "supply"
    assert "# columns found: Firm ID, Company" in text
    # a supply-only cluster: drop the spillover table, then it runs as written
    text = text.split("[analyses.spillover]")[0] + "[outputs]" + text.split("[outputs]")[1]
    out.write_text(text, encoding="utf-8")
    written = run_project(load_project(out))
    assert (tmp_path / "output" / "report.html") in written
    again = runner.invoke(main, ["init", str(tmp_path / "firms.csv"), "-o", str(out)])
    assert again.exit_code == 2
    assert "exists; pass --force" in again.output


def test_init_needs_links(tmp_path):
    (tmp_path / "firms.csv").write_text("id,name\nA,Alpha\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="none of the files looks like a links table"):
        write_starter([tmp_path / "firms.csv"], tmp_path / "p.toml")
    with pytest.raises(ConfigError, match="give the node and link files"):
        write_starter([], tmp_path / "p.toml")
