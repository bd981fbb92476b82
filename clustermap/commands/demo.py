"""``clustermap demo``: the whole pipeline on the embedded demo cluster."""

from __future__ import annotations

from pathlib import Path

import click

from clustermap.cli import console, echo, folder_option
from clustermap.demo import DEMO_ACTORS, DEMO_SEED, run_demo

__all__ = ["command"]


@click.command("demo")
@folder_option(
    "--out", default="clustermap-demo", show_default=True, help="Folder for the outputs."
)
@click.option("--actors", default=DEMO_ACTORS, show_default=True, help="Size of the demo cluster.")
@click.option("--seed", default=DEMO_SEED, show_default=True, help="Random seed.")
def command(out: str, actors: int, seed: int) -> None:
    """Build the demo cluster, run every analysis and write the outputs to --out."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description:<32}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console(),
    ) as bar:
        task = bar.add_task("starting", total=1)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        written = run_demo(out, n_actors=actors, seed=seed, progress=progress)
    echo(f"wrote {len(written)} files to {Path(out).resolve()}:")
    for path in written:
        size = path.stat().st_size if path.exists() else 0
        echo(f"  {path.name:<28} {size / 1024:8.1f} KiB")
