"""``clustermap demo``: the demo project on a generated cluster of any size."""

from __future__ import annotations

from pathlib import Path

import click

from clustermap.demo import DEMO_ACTORS, DEMO_SEED, run_demo

__all__ = ["command"]


@click.command("demo")
@click.option("--out", default="clustermap-demo", show_default=True, help="Folder for the outputs.")
@click.option("--actors", default=DEMO_ACTORS, show_default=True, help="Size of the demo cluster.")
@click.option("--seed", default=DEMO_SEED, show_default=True, help="Random seed.")
def command(out: str, actors: int, seed: int) -> None:
    """Build the demo cluster, run the demo project on it and write the outputs to --out.

    The same analyses as `clustermap run data/demo/project.toml` (what `make
    demo` runs), on a cluster drawn by make_cluster with --actors and --seed.
    """
    from clustermap.commands.run import progress_bars, show_written
    from clustermap.project import project_from_dict  # noqa: F401 - fail early if missing

    bars, progress = progress_bars([("inputs", "building the demo cluster")])
    with bars:
        written = run_demo(out, n_actors=actors, seed=seed, progress=progress)
    show_written(written, Path(out))
