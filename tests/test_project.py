"""Project files: checking (every problem, with line and key), running, run.json, reruns."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import clustermap as cm
from clustermap.cli import main
from clustermap.demo import DemoContext, demo_step
from clustermap.errors import ConfigError
from clustermap.project import load_project, project_from_dict, run_project
from clustermap.project._schema import key_lines

ROOT = Path(__file__).resolve().parent.parent
DEMO_PROJECT = ROOT / "data" / "demo" / "project.toml"


def write(tmp_path: Path, text: str, name: str = "project.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tables(tmp_path, supply_chain):
    nodes = supply_chain.nodes.reset_index()
    nodes.to_csv(tmp_path / "nodes.csv", index=False)
    supply_chain.edges.to_csv(tmp_path / "links.csv", index=False)
    return tmp_path


SMALL = """\
[project]
name = "Small cluster"
seed = 3

[[inputs.nodes]]
file = "nodes.csv"

[[inputs.links]]
file = "links.csv"

[analyses.communities]
runs = 2

[analyses.centrality]

[analyses.resilience]

[outputs]
folder = "out"
"""


# ---------------------------------------------------------------- checking


def test_demo_project_loads_with_defaults_filled_in():
    project = load_project(DEMO_PROJECT)
    assert project.steps == [
        "network",
        "communities",
        "centrality",
        "brokerage",
        "resilience",
        "spillover",
        "view",
        "report",
    ]
    config = project.config
    assert config["analyses"]["spillover"]["k"] == 3  # a default
    assert config["analyses"]["communities"]["runs"] == 5  # as written
    assert Path(config["inputs"]["nodes"][0]["file"]).is_absolute()
    assert config["inputs"]["nodes"][0]["kind"] is None


def test_every_problem_at_once_with_line_and_key(tables):
    path = write(
        tables,
        """\
[project]
seed = "seven"

[[inputs.nodes]]
file = "nodes.csv"
kind = "company"

[[inputs.links]]
file = "missing.csv"

[analyses.communities]
resolutoin = 2.0
method = "leiden"

[analyses.centralty]

[outputs]
formats = ["csv", "pdf"]
""",
    )
    with pytest.raises(ConfigError) as info:
        load_project(path)
    text = str(info.value)
    assert text.startswith("project.toml: 6 problems:")
    assert "line 2, project.seed: a whole number expected, got 'seven'" in text
    assert "line 6, inputs.nodes[1].kind: 'company' is not allowed; one of 'firm'" in text
    assert "line 9, inputs.links[1].file: file 'missing.csv' not found" in text
    assert (
        "line 12, analyses.communities.resolutoin: unknown key 'resolutoin' (did you mean " in text
    )
    assert "'resolution'?)" in text
    assert (
        "line 15, analyses.centralty: unknown key 'centralty' (did you mean 'centrality'?)" in text
    )
    assert "line 18, outputs.formats: 'pdf' is not allowed" in text


def test_at_most_ten_problems_shown(tables):
    keys = "\n".join(f"unknown_{i} = 1" for i in range(12))
    path = write(tables, f"[project]\n{keys}\n[inputs.generate]\n")
    with pytest.raises(ConfigError, match=r"12 problems \(and 2 more\)") as info:
        load_project(path)
    assert str(info.value).count("unknown key") == 10


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[project\nname = 1", r"not valid TOML: .*line 1"),
        ("[project]\nname = 'x'\n", r"1 problem:\n  inputs: no input"),
        (
            "[[inputs.links]]\nfile = 'links.csv'\n[inputs.generate]\nn_actors = 5\n",
            "give either input files or generate",
        ),
        ("[inputs.generate]\n[analyses.change]\nbefore = [2020, 2018]\n", r"\[first year, last"),
        ("[inputs.generate]\n[analyses.change]\nafter = [2018, 2020]\n", "before: required key"),
        ("[inputs]\nnodes = 'nodes.csv'\n", r"write it as \[\[inputs.nodes\]\] tables"),
    ],
)
def test_bad_project_files(tables, text, match):
    with pytest.raises(ConfigError, match=match):
        load_project(write(tables, text))


def test_unreadable_project_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the project file"):
        load_project(tmp_path / "absent.toml")


def test_key_lines_follow_tables_arrays_and_inline_tables():
    text = (
        "[project] # comment\nname = 'x'\n[[inputs.nodes]]\nfile = 'a'\n[[inputs.nodes]]\n"
        "file = 'b'\ncolumns = { id = 'firm_id' }\n[analyses.spillover]\n"
        "sources = [\n  'a',\n]\ntargets = 'firm'\n"
    )
    lines = key_lines(text)
    assert lines["project.name"] == 2
    assert lines["inputs.nodes[1].file"] == 4
    assert lines["inputs.nodes[2].file"] == 6
    assert lines["inputs.nodes[2].columns.id"] == 7
    assert lines["analyses.spillover.targets"] == 12


# ---------------------------------------------------------------- running


def test_run_writes_outputs_and_run_json(tables):
    project = load_project(write(tables, SMALL))
    seen: list[tuple[str, str]] = []
    written = run_project(
        project, progress=lambda name, label, state, s: seen.append((name, state))
    )
    names = [p.name for p in written]
    assert names[-1] == "run.json"
    for expected in (
        "network.cmap",
        "summary.csv",
        "communities.xlsx",
        "communities.csv",
        "communities.meta.json",
        "centrality.csv",
        "key_actors.xlsx",
        "resilience.xlsx",
        "network.html",
        "report.html",
    ):
        assert expected in names
    assert all(p.parent == tables / "out" for p in written)
    assert seen[0] == ("inputs", "start")
    assert seen[-1] == ("report", "done")
    assert [n for n, s in seen if s == "done"] == [
        "inputs",
        "network",
        "communities",
        "centrality",
        "resilience",
        "view",
        "report",
    ]
    record = json.loads((tables / "out" / "run.json").read_text(encoding="utf-8"))
    assert record["seeds"] == {"project": 3, "communities": 3, "centrality": 3, "view": 3}
    digest = hashlib.sha256((tables / "nodes.csv").read_bytes()).hexdigest()
    assert record["inputs"][0] == {
        "file": "nodes.csv",
        "role": "nodes",
        "rows": 9,
        "sha256": digest,
    }
    assert record["versions"]["clustermap"] == cm.__version__
    assert record["versions"]["igraph"]
    assert [s["step"] for s in record["steps"]][:2] == ["inputs", "network"]
    assert all(s["seconds"] >= 0 for s in record["steps"])
    assert record["configuration"]["analyses"]["communities"]["runs"] == 2
    outputs = {o["file"]: o["sha256"] for o in record["outputs"]}
    report = tables / "out" / "report.html"
    assert outputs["report.html"] == hashlib.sha256(report.read_bytes()).hexdigest()
    # a seeded result's provenance has no date inside a run
    meta = json.loads((tables / "out" / "centrality.meta.json").read_text(encoding="utf-8"))
    assert "created" not in meta
    assert "written" not in meta
    assert not list((tables / "out").glob("*.part"))


def test_rerun_gives_identical_files_apart_from_run_json(tmp_path):
    project = load_project(DEMO_PROJECT)
    first = run_project(project, out=tmp_path / "a")
    second = run_project(project, out=tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    differ = [
        a.name for a, b in zip(first, second, strict=True) if a.read_bytes() != b.read_bytes()
    ]
    assert differ == ["run.json"]
    with zipfile.ZipFile(tmp_path / "a" / "communities.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_formats_and_outputs_choose_what_is_written(tables):
    text = SMALL.replace('folder = "out"', 'folder = "out"\nformats = ["csv"]\nview = false')
    text = text.replace("[analyses.resilience]\n", "")
    names = [p.name for p in run_project(load_project(write(tables, text)))]
    assert "communities.xlsx" not in names
    assert "key_actors.xlsx" not in names
    assert "network.html" not in names
    assert "centrality.csv" in names
    assert "report.html" in names


def test_per_file_kind_layer_and_columns(tmp_path):
    (tmp_path / "firms.csv").write_text("firm_id,company\nA,Alpha\nB,Beta\n", encoding="utf-8")
    (tmp_path / "unis.csv").write_text("id,name\nU,Uni\n", encoding="utf-8")
    (tmp_path / "buy.csv").write_text("supplier,buyer\nA,B\n", encoding="utf-8")
    (tmp_path / "proj.csv").write_text("source,target\nU,A\nU,B\n", encoding="utf-8")
    text = """\
[[inputs.nodes]]
file = "firms.csv"
kind = "firm"
columns = { id = "firm_id", name = "company" }
[[inputs.nodes]]
file = "unis.csv"
kind = "institution"
[[inputs.links]]
file = "buy.csv"
layer = "supply"
columns = { source = "supplier", target = "buyer" }
[[inputs.links]]
file = "proj.csv"
layer = "knowledge"
[analyses.centrality]
[outputs]
report = false
view = false
"""
    project = load_project(write(tmp_path, text))
    run_project(project, out=tmp_path / "o")
    net = cm.ClusterNetwork.load(tmp_path / "o" / "network.cmap")
    assert net.nodes.loc["A", "name"] == "Alpha"
    assert net.nodes.loc["U", "kind"] == "institution"
    assert sorted(net.edges["layer"]) == ["knowledge", "knowledge", "supply"]


def test_loader_messages_reach_run_json_and_report(tables):
    import pandas as pd

    links = pd.read_csv(tables / "links.csv")
    ghost = links.iloc[[0]].assign(source="GHOST")
    pd.concat([links, ghost]).to_csv(tables / "links.csv", index=False)
    text = SMALL.replace("[analyses.communities]\nruns = 2\n", "").replace(
        '[inputs.links]]\nfile = "links.csv"\n',
        '[inputs.links]]\nfile = "links.csv"\n[inputs]\ndrop_dangling = true\n',
    )
    run_project(load_project(write(tables, text)))
    record = json.loads((tables / "out" / "run.json").read_text(encoding="utf-8"))
    assert any("GHOST" in m or "dangling" in m or "unknown" in m for m in record["loader_messages"])
    html = (tables / "out" / "report.html").read_text(encoding="utf-8")
    assert "Problems fixed or dropped while reading" in html
    assert "None: every row was read as it was." not in html


def test_brokerage_by_community_needs_communities():
    project = project_from_dict(
        {"inputs": {"generate": {"n_actors": 30, "seed": 1}}, "analyses": {"brokerage": {}}}
    )
    with pytest.raises(ConfigError, match="needs the communities analysis"):
        run_project(project, out=Path(project.base) / "never-written")


def test_missing_optional_analysis_is_a_clear_error():
    # specialisation and change call clustermap.location_quotients / compare_networks,
    # which other parts provide; without them the run stops with a clear message
    from clustermap.project._steps import _public

    with pytest.raises(ConfigError, match=r"no no_such_measure\(\); the change analysis needs"):
        _public("no_such_measure", "change")


def test_registered_demo_steps_run_with_the_shared_results(tmp_path, monkeypatch):
    from clustermap import demo

    seen: dict[str, object] = {}

    def extra(ctx: DemoContext) -> None:
        seen["partition"] = ctx.results.get("partition")
        ctx.path("extra.txt").write_text("made by a registered step", encoding="utf-8")

    monkeypatch.setattr(demo, "_STEPS", dict(demo._STEPS))
    extra.__module__ = "clustermap.commands.someone_elses"
    demo_step(order=60, label="someone else's step")(extra)
    project = project_from_dict(
        {
            "project": {"demo_steps": True},
            "inputs": {"generate": {"n_actors": 40, "seed": 1}},
            "analyses": {"communities": {}},
            "outputs": {"report": False, "view": False},
        }
    )
    names = [p.name for p in run_project(project, out=tmp_path)]
    assert "extra.txt" in names
    assert seen["partition"] is not None
    # the registered steps of the built-in analyses do not run twice
    assert names.count("communities.xlsx") == 1
    assert "centrality.csv" not in names


# ---------------------------------------------------------------- command line


def test_cli_run_check_and_errors(tables):
    path = write(tables, SMALL)
    runner = CliRunner()
    result = runner.invoke(main, ["run", str(path), "--check"])
    assert result.exit_code == 0, result.output
    assert "ok; steps: network, communities, centrality, resilience, view, report" in result.output
    bad = write(tables, SMALL.replace("runs = 2", "rusn = 2"), "bad.toml")
    result = runner.invoke(main, ["run", str(bad)])
    assert result.exit_code == 2
    assert "did you mean 'runs'?" in result.output


def test_cli_run_writes_to_out(tables):
    path = write(tables, SMALL)
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(tables / "elsewhere")])
    assert result.exit_code == 0, result.output
    assert (tables / "elsewhere" / "run.json").exists()
    assert "report.html" in result.output


def test_cli_demo_runs_the_demo_project(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path), "--actors", "80"])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert record["inputs"][0]["file"] == "make_cluster(n_actors=80, seed=2024)"
    today = {
        "network.cmap", "summary.csv", "communities.xlsx", "communities.csv", "centrality.csv",
        "key_actors.xlsx", "brokerage.csv", "resilience.xlsx", "spillover_paths.csv",
        "spillover_brokers.csv", "spillover_reach.csv", "spillover_reach_summary.csv",
        "knowledge_roles.csv", "spillover_diffusion.csv", "network.html",
    }  # fmt: skip
    assert today <= {p.name for p in tmp_path.iterdir()}
    assert (tmp_path / "report.html").exists()


def test_every_key_is_documented():
    from clustermap.project import SCHEMA
    from clustermap.project._schema import Key

    text = (ROOT / "docs" / "project-file.md").read_text(encoding="utf-8")

    def walk(prefix: str, table: dict) -> None:
        for name, spec in table.items():
            if isinstance(spec, Key):
                section = text.split(f"### `{prefix}`")[1].split("### ")[0]
                assert f"| `{name}` |" in section, f"{prefix} {name}"
            elif isinstance(spec, list):
                walk(f"[[{prefix.strip('[]')}.{name}]]", spec[0])
            else:
                walk(f"[{prefix.strip('[]')}.{name}]" if prefix else f"[{name}]", spec)

    walk("", SCHEMA)
