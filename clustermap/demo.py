"""The demo: build the demo cluster and run every analysis on it.

Each part of clustermap adds its step in one place, the module of its
subcommand in :mod:`clustermap.commands`, with the :func:`demo_step`
decorator. :func:`run_demo` discovers the steps, runs them in order and
returns the files they wrote. Steps share results (the partition, the
centrality table) through :attr:`DemoContext.results`.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported lazily: the command line imports this module at start-up
    from clustermap.graphs.network import ClusterNetwork

__all__ = ["DEMO_ACTORS", "DEMO_SEED", "DemoContext", "demo_step", "run_demo"]

log = logging.getLogger(__name__)

DEMO_ACTORS = 300
DEMO_SEED = 2024


@dataclass
class DemoContext:
    """What demo steps share: the output folder, the network and earlier results."""

    out: Path
    net: ClusterNetwork
    seed: int
    results: dict[str, Any] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    def path(self, name: str) -> Path:
        """The path of an output file called ``name``, recorded as written."""
        p = self.out / name
        self.written.append(p)
        return p


@dataclass(frozen=True)
class _Step:
    order: int
    label: str
    run: Callable[[DemoContext], None]


_STEPS: dict[str, _Step] = {}


def demo_step(order: int, label: str) -> Callable[[Callable[[DemoContext], None]], Any]:
    """Register a function as a demo step; lower ``order`` runs first.

    Orders in use: 0 network, 10 communities, 20 centrality, 30 brokerage,
    40 resilience, 50 spillover, 90 views.
    """

    def register(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _STEPS[f"{func.__module__}.{func.__qualname__}"] = _Step(order, label, func)
        return func

    return register


def _discover() -> list[_Step]:
    import clustermap.commands as commands

    for info in pkgutil.iter_modules(commands.__path__):
        importlib.import_module(f"{commands.__name__}.{info.name}")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.label))


def run_demo(
    out: str | Path,
    *,
    n_actors: int = DEMO_ACTORS,
    seed: int = DEMO_SEED,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Path]:
    """Build the demo cluster, run every analysis and write the outputs to ``out``.

    Parameters
    ----------
    out : str or path
        Output folder, created when missing.
    n_actors, seed : int
        Size and seed of the demo cluster (:func:`~clustermap.make_cluster`).
    progress : callable, optional
        Called as ``progress(label, done, total)`` before each step and once
        at the end; the command line draws a progress bar with it.

    Returns
    -------
    list of pathlib.Path
        Every file written, in order.
    """
    from clustermap.loaders.generator import make_cluster

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    steps = _discover()
    total = len(steps) + 1
    if progress:
        progress("building the demo cluster", 0, total)
    ctx = DemoContext(folder, make_cluster(n_actors=n_actors, seed=seed), seed)
    for done, step in enumerate(steps, start=1):
        if progress:
            progress(step.label, done, total)
        log.info("demo step: %s", step.label)
        step.run(ctx)
    if progress:
        progress("done", total, total)
    return ctx.written
