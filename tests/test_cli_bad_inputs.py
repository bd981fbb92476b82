"""The command line's half of the bad-input corpus: options, output paths and hostile names.

Every subcommand, run with a bad option, an output it cannot write or actor
names that carry terminal escapes, must end with exit status 2 and one line
on stderr (``clustermap: error: ...``), no traceback, and no file left behind
(no output, no hidden ``.part``). Names never reach the terminal raw.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from clustermap.cli import main

OUTPUT_COMMANDS = {
    # command: (output option, file name it writes, extra arguments)
    "build": ("-o", "net.cmap", []),
    "centrality": ("-o", "scores.csv", []),
    "brokerage": ("-o", "brokers.xlsx", []),
    "communities": ("-o", "communities.xlsx", []),
    "resilience": ("-o", "resilience.xlsx", []),
    "spillover": ("--out-dir", "spill", []),
    "duplicates": ("-o", "duplicates.xlsx", ["--within", "-"]),
    "view": ("-o", "map.html", []),
}


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    n = 12
    ids = [f"F{i}" for i in range(n)]
    kinds = ["firm", "supplier", "institution"]
    names = [f"Firm {i}" for i in range(n)]
    pd.DataFrame({"id": ids, "name": names, "kind": [kinds[i % 3] for i in range(n)]}).to_csv(
        folder / "nodes.csv", index=False
    )
    rows = [
        {"source": ids[i], "target": ids[(i + j) % n], "layer": layer, "weight": 1.0}
        for i in range(n)
        for j in (1, 3)
        for layer in ("supply", "knowledge")
    ]
    pd.DataFrame(rows).to_csv(folder / "links.csv", index=False)
    return folder


def given(tables: Path) -> list[str]:
    return ["--nodes", str(tables / "nodes.csv"), "--links", str(tables / "links.csv")]


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result, *needles: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("clustermap: error: "), lines[0]
    assert "Traceback" not in result.output
    assert "\x1b" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def nothing_written(folder: Path) -> None:
    left = [p for p in folder.rglob("*") if p.is_file()]
    assert left == [], left


# -------------------------------------------------------------- output paths


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_output_whose_parent_is_a_file(command, tables, tmp_path):
    option, name, extra = OUTPUT_COMMANDS[command]
    blocker = tmp_path / "blocker.txt"
    blocker.write_text("not a folder")
    target = blocker / "sub" / name
    result = run(command, *given(tables), option, target, *extra)
    one_line_error(result, str(blocker), "is a file")
    assert blocker.read_text() == "not a folder"
    assert [p.name for p in tmp_path.iterdir()] == ["blocker.txt"]


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_output_folder_not_writable(command, tables, tmp_path, monkeypatch):
    option, name, extra = OUTPUT_COMMANDS[command]
    real_access = os.access

    def no_write(path, mode, *args, **kwargs):
        if Path(path) == tmp_path and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", no_write)
    target = tmp_path / name
    result = run(command, *given(tables), option, target, *extra)
    one_line_error(result, "not writable")
    nothing_written(tmp_path)


@pytest.mark.parametrize("command", ["centrality", "brokerage", "communities", "resilience"])
def test_permission_error_while_writing_is_one_line(command, tables, tmp_path, monkeypatch):
    option, name, extra = OUTPUT_COMMANDS[command]

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = run(command, *given(tables), option, tmp_path / name, *extra)
    one_line_error(result, str(tmp_path / name), "permission denied")
    nothing_written(tmp_path)


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_output_into_a_missing_folder_creates_it(command, tables, tmp_path):
    option, name, extra = OUTPUT_COMMANDS[command]
    target = tmp_path / "new" / "deeper" / name
    result = run(command, *given(tables), option, target, *extra)
    assert result.exit_code == 0, result.output
    assert target.exists()
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.parametrize("command", ["centrality", "brokerage", "communities", "resilience"])
def test_output_that_is_a_folder(command, tables, tmp_path):
    option, _, extra = OUTPUT_COMMANDS[command]
    folder = tmp_path / "x.csv"
    folder.mkdir()
    result = run(command, *given(tables), option, folder, *extra)
    one_line_error(result, str(folder), "is a folder")


# ---------------------------------------------------------------- bad options

BAD_OPTIONS = [
    (["centrality", "-o", "x.txt"], "must end in one of .csv, .xlsx, .json"),
    (["brokerage", "-o", "x.parquet"], "must end in one of .csv, .xlsx, .json"),
    (["resilience", "-o", "x"], "must end in one of .csv, .xlsx, .json"),
    (["duplicates", "-o", "k.json"], "must end in one of .xlsx, .csv"),
    (["communities", "--format", "xlsx", "-o", "k.csv"], "`--format xlsx` and `--output k.csv`"),
    (["communities", "-o", "k.json", "--format", "csv"], "`--format csv` and `--output k.json`"),
    (["communities", "--gexf", "net.graphml"], "`--gexf` must end in one of .gexf"),
    (["communities", "--method", "magic"], "'magic' is not one of"),
    (["communities", "--runs", "many"], "'many' is not a valid integer"),
    (["centrality", "--seed", "1.5"], "'1.5' is not a valid integer"),
    (["centrality", "--bogus"], "No such option '--bogus'"),
    (["centrality", "--anonymize-salt", "short"], "at least 8 characters"),
    (["spillover", "--diffusion", "rumour"], "'rumour' is not one of"),
    (["spillover", "--sources", "planets"], "--sources 'planets' is neither a kind"),
    (["view", "--layout", "spiral"], "'spiral' is not one of"),
    (["demo", "--actors", "lots"], "'lots' is not a valid integer"),
    (["build"], "Missing option '-o'"),
    (["participations", "t.csv"], "Missing option '--actor'"),
    (["nonsense"], "No such command 'nonsense'"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS]
)
def test_bad_option_is_one_line_and_exit_2(args, message, tables, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    needs_input = args[0] not in ("demo", "participations", "nonsense")
    result = run(*args, *(given(tables) if needs_input else []))
    one_line_error(result, message)
    nothing_written(tmp_path)


def test_unknown_actor_in_remove_is_one_line(tables, tmp_path):
    result = run("resilience", *given(tables), "--remove", "NOPE", "-o", tmp_path / "w.xlsx")
    one_line_error(result, "NOPE")
    nothing_written(tmp_path)


def test_participations_into_a_file_is_one_line(tmp_path):
    (tmp_path / "taken").write_text("x")
    (tmp_path / "t.csv").write_text("a,e\n1,p\n2,p\n")
    target = tmp_path / "taken" / "net.cmap"
    result = run("participations", tmp_path / "t.csv", "--actor", "a", "--event", "e", "-o", target)
    one_line_error(result, str(target), "is a file")


def test_demo_into_a_file_is_one_line(tmp_path):
    (tmp_path / "taken").write_text("x")
    result = run("demo", "--out", tmp_path / "taken")
    one_line_error(result, str(tmp_path / "taken"), "is a file")


def test_salt_from_the_environment(tables, tmp_path):
    out = tmp_path / "c.csv"
    salt = "from the environment, not history"
    result = CliRunner().invoke(
        main,
        ["centrality", *given(tables), "-o", str(out)],
        env={"CLUSTERMAP_ANONYMIZE_SALT": salt},
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "F1," not in text
    assert "Firm 1" not in text
    meta = (tmp_path / "c.meta.json").read_text(encoding="utf-8")
    assert salt not in text + meta
    assert "pseudonyms" in meta


# -------------------------------------------------------------- hostile names

ESCAPES = [
    "\x1b]0;pwned\x07",
    "\x1b[2J\x1b[H",
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
    "\u202etxt.exe",
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    n = 12
    ids = [f"E{i}" for i in range(n)]
    kinds = ["firm", "supplier", "institution"]
    names = [ESCAPES[i % len(ESCAPES)] + f"[bold red]Firm {i}[/bold red]" for i in range(n)]
    pd.DataFrame({"id": ids, "name": names, "kind": [kinds[i % 3] for i in range(n)]}).to_csv(
        folder / "nodes.csv", index=False
    )
    rows = [
        {"source": ids[i], "target": ids[(i + j) % n], "layer": layer, "weight": 1.0 + j}
        for i in range(n)
        for j in (1, 2)
        for layer in ("supply", "knowledge")
    ]
    pd.DataFrame(rows).to_csv(folder / "links.csv", index=False)
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["centrality", "-o", "{out}/c.csv"],
        ["brokerage", "-o", "{out}/b.csv"],
        ["communities", "-o", "{out}/c.xlsx"],
        ["resilience", "-o", "{out}/r.xlsx"],
        ["resilience", "--remove", "E1", "-o", "{out}/w.xlsx"],
        ["spillover", "--out-dir", "{out}/s"],
    ],
)
def test_names_never_reach_the_terminal_raw(command, hostile, tmp_path):
    args = [a.format(out=tmp_path) for a in command]
    result = run("-v", *args, *given(hostile))
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.output
    if command[0] in ("centrality", "brokerage", "spillover"):
        # names are shown, escaped and with their markup as plain text
        assert "\\x1b" in result.stdout
        assert "[bold red]" in result.stdout


def test_error_line_with_a_hostile_id_is_printable(hostile, tmp_path):
    (tmp_path / "links.csv").write_text("source,target,layer\nE1,\x1b[2Jghost\x07,supply\n")
    result = run("info", "--nodes", hostile / "nodes.csv", "--links", tmp_path / "links.csv")
    line = one_line_error(result, "ghost")
    assert "\\x1b" in line


# ---------------------------------------------------------------- real process


def test_sigterm_during_an_export_leaves_no_part_file(tmp_path):
    out = tmp_path / "big.csv"
    script = textwrap.dedent(
        f"""
        import os, signal, threading, time
        from pathlib import Path
        import pandas as pd
        from clustermap.cli import main
        from clustermap.exports import write_csv

        out = Path({str(out)!r})

        @main.command("slow")
        def slow():
            table = pd.DataFrame({{"x": range(1_000_000), "name": "=text"}})
            def stop():
                while not any(p.name.endswith(".part") for p in out.parent.iterdir()):
                    time.sleep(0.005)
                os.kill(os.getpid(), signal.SIGTERM)
            threading.Thread(target=stop, daemon=True).start()
            write_csv(table, out)

        main(["slow"])
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last == "clustermap: terminated; no partial file was left"
    assert list(tmp_path.iterdir()) == []


HEAVY = (
    "pandas",
    "numpy",
    "igraph",
    "networkx",
    "rich",
    "openpyxl",
    "xlsxwriter",
    "matplotlib",
    "pyvis",
    "leidenalg",
    "pyarrow",
    "clustermap.analysis",
    "clustermap.graphs.network",
    "clustermap.loaders",
    "clustermap.views",
    "clustermap.exports",
)


def imported(
    *args: str, cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "clustermap", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    modules = {
        line.split("|")[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return proc, modules


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["centrality", "--help"],
        ["centrality", "--bogus"],
        ["communities", "--format", "xlsx", "-o", "k.csv", "--nodes", "n.csv"],
        ["brokerage", "-o", "{file}/x.csv", "--nodes", "n.csv"],
        ["duplicates", "-o", "k.json", "--nodes", "n.csv"],
        ["nonsense"],
        ["info", "--network", "missing.cmap"],
        ["centrality", "--nodes", "missing.csv:firm", "--links", "missing_links.csv"],
    ],
)
def test_help_and_early_errors_import_no_heavy_module(args, tmp_path):
    (tmp_path / "file").write_text("x")
    proc, modules = imported(*[a.format(file=tmp_path / "file") for a in args], cwd=tmp_path)
    assert proc.returncode in (0, 2), proc.stderr[-2000:]
    assert "clustermap.cli" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy == []
    if any(a.startswith("missing") for a in args):
        assert "no such file" in proc.stderr


def test_communities_min_count_and_salt_together(tables, tmp_path):
    out = tmp_path / "c.xlsx"
    salt = "a long secret salt"
    result = run(
        "communities", *given(tables), "-o", out, "--min-count", 50, "--anonymize-salt", salt
    )
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(out, sheet_name=None)
    profiles = sheets["profiles"]
    assert profiles["size"].astype(str).str.startswith("<").all()  # 12 actors: every count < 50
    members = sheets["membership"]
    assert not members["name"].str.startswith("Firm").any()
    assert (members["name"] == members["id"]).all()
    text = " ".join(str(v) for t in sheets.values() for v in t.to_numpy().ravel())
    assert "Firm " not in text
    assert salt not in text


def test_any_command_printing_with_click_echo_is_made_printable(monkeypatch):
    import click

    @click.command("raw-echo")
    def raw_echo() -> None:
        click.echo("region \x1b]0;pwned\x07 \x1b[2J\tdone")

    monkeypatch.setitem(main.commands, "raw-echo", raw_echo)
    result = run("raw-echo")
    assert result.exit_code == 0
    # click itself drops CSI sequences (ESC [ ...) when not on a terminal; the rest is escaped
    assert result.stdout.startswith("region \\x1b]0;pwned\\x07 ")
    assert result.stdout.endswith("\tdone\n")
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
