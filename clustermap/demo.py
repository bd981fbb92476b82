"""The demo: the shipped project file, run on the demo cluster.

``make demo`` runs ``clustermap run data/demo/project.toml``: the demo is
also the example of a project file (:mod:`clustermap.project`).
:func:`run_demo` (``clustermap demo``) runs the same project on a cluster
drawn by :func:`~clustermap.make_cluster`, so that it works from any
installation and at any size.

Parts of clustermap that are not (yet) an analysis of the project file add
their demo step in the module of their subcommand in
:mod:`clustermap.commands`, with the :func:`demo_step` decorator; a project
with ``demo_steps = true`` (the demo's) runs them after the analyses that
come before them by ``order`` and before the view and the report. Steps
share results through :attr:`DemoContext.results`; a step whose result
belongs in the report stores it under the name the report reads
(``specialisation``, ``comparison``; see :mod:`clustermap.views.report`).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clustermap.graphs.network import ClusterNetwork

__all__ = ["DEMO_ACTORS", "DEMO_ANALYSES", "DEMO_SEED", "DemoContext", "demo_step", "run_demo"]

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


#: The analyses of the shipped demo project (data/demo/project.toml), for :func:`run_demo`.
DEMO_ANALYSES: dict[str, dict[str, Any]] = {
    "communities": {"method": "leiden", "resolution": 1.0, "runs": 5},
    "centrality": {},
    "brokerage": {"groups": "community"},
    "resilience": {"layers": ["supply"]},
    "spillover": {
        "sources": {"category": ["university", "research centre"]},
        "targets": {"kind": ["firm", "supplier"]},
        "internal": {"kind": ["firm", "supplier"]},
        "layers": ["knowledge"],
        "diffusion": "independent_cascade",
    },
}


def run_demo(
    out: str | Path,
    *,
    n_actors: int = DEMO_ACTORS,
    seed: int = DEMO_SEED,
    progress: Callable[[str, str, str, float], None] | None = None,
) -> list[Path]:
    """Build the demo cluster, run the demo project on it and write the outputs to ``out``.

    Parameters
    ----------
    out : str or path
        Output folder, created when missing.
    n_actors, seed : int
        Size and seed of the demo cluster (:func:`~clustermap.make_cluster`);
        ``seed`` is also the seed of every randomised step.
    progress : callable, optional
        As in :func:`~clustermap.project.run_project`.

    Returns
    -------
    list of pathlib.Path
        Every file written, in order, ``run.json`` last.
    """
    from clustermap.project import project_from_dict, run_project

    project = project_from_dict(
        {
            "project": {
                "name": f"Demo cluster: {n_actors} actors",
                "seed": seed,
                "demo_steps": True,
            },
            "inputs": {"generate": {"n_actors": n_actors, "seed": seed}},
            "analyses": DEMO_ANALYSES,
        }
    )
    return run_project(project, out=out, progress=progress)
