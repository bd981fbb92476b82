"""``clustermap run`` and ``clustermap init``: project files on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from clustermap.cli import console

__all__ = ["commands", "progress_bars", "show_written"]


def progress_bars(steps: list[tuple[str, str]]) -> Any:
    """A rich display with one progress bar per step, and the callback that drives it."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bars = Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(bar_width=30),
        TextColumn("{task.fields[status]:>8}"),
        TimeElapsedColumn(),
        console=console(),
    )
    tasks = {
        name: bars.add_task(label, total=1, status="waiting", start=False) for name, label in steps
    }

    def progress(name: str, label: str, state: str, seconds: float) -> None:
        if name not in tasks:
            tasks[name] = bars.add_task(label, total=1, status="waiting", start=False)
        task = tasks[name]
        if state == "start":
            bars.start_task(task)
            bars.update(task, status="running")
        else:
            bars.update(task, completed=1, status=f"{seconds:.1f} s")
            bars.stop_task(task)

    return bars, progress


def show_written(written: list[Path], folder: Path) -> None:
    """List the files written, with their sizes."""
    click.echo(f"wrote {len(written)} files to {folder.resolve()}:")
    for path in written:
        size = path.stat().st_size if path.exists() else 0
        click.echo(f"  {path.name:<34} {size / 1024:8.1f} KiB")


@click.command("run")
@click.argument("project_file", type=click.Path(dir_okay=False))
@click.option("--out", help="Write here instead of the project's outputs.folder.")
@click.option("--check", is_flag=True, help="Only check the project file, run nothing.")
def run_command(project_file: str, out: str | None, check: bool) -> None:
    """Run a project file: inputs, analyses and outputs in one TOML file.

    Every problem in the file is reported at once, with its line and key.
    The outputs and run.json (configuration, seeds, input hashes, versions,
    time per step) go to the output folder; a rerun on the same inputs
    writes identical files, apart from run.json.
    """
    from clustermap.project import load_project, run_project

    project = load_project(project_file)
    if check:
        click.echo(f"{project_file}: ok; steps: {', '.join(project.steps)}")
        return
    steps = [("inputs", "reading the inputs")] + [(s, s) for s in project.steps]
    bars, progress = progress_bars(steps)
    with bars:
        written = run_project(project, out=out, progress=progress)
    show_written(written, Path(out) if out else project.out)


@click.command("init")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o", "--output", default="project.toml", show_default=True, help="The project file to write."
)
@click.option("--force", is_flag=True, help="Overwrite an existing project file.")
def init_command(files: tuple[str, ...], output: str, force: bool) -> None:
    """Write a commented starter project file for FILES (node and link tables).

    Each file's columns are read and matched to clustermap's (id, name,
    kind, source, target, layer...); the proposed mapping is written as
    `columns = {...}` for you to check. Edit the file, then `clustermap run` it.
    """
    from clustermap.project.starter import write_starter

    path = write_starter(list(files), output, overwrite=force)
    click.echo(f"wrote {path}; check the proposed column mappings, then: clustermap run {path}")


commands = [run_command, init_command]
