"""Project files: a whole analysis, from spreadsheets to a report, in one TOML file.

A project file says where the data are (files, sheets, column mappings, the
kind of actor each node file holds, the layer of each links file), which
analyses to run with which options, and what to write. ``clustermap run
project.toml`` (or :func:`run_project`) reads it, checks it (every problem
at once, with its line and key), runs the steps in order and writes
everything to the output folder, each file complete or not at all, plus
``run.json``: the resolved configuration, every seed, the SHA-256 of every
input and output file, the versions of clustermap and its dependencies,
and the time each step took. Running it again on the same inputs writes
identical files; only ``run.json`` records when.

See ``docs/project-file.md`` for every key, and ``data/demo/project.toml``
for an example.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import random
import re
import time
import tomllib
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from clustermap._atomic import atomic_path
from clustermap._provenance import without_timestamps
from clustermap.errors import ConfigError
from clustermap.project._schema import SCHEMA, Problem, validate
from clustermap.project._steps import (
    BUILTIN,
    COVERED_MODULES,
    RunContext,
    Step,
    read_inputs,
    sha256,
)

__all__ = ["DEPENDENCIES", "SCHEMA", "Project", "load_project", "project_from_dict", "run_project"]

log = logging.getLogger(__name__)

#: Packages whose versions go into run.json.
DEPENDENCIES = (
    "networkx",
    "igraph",
    "leidenalg",
    "pandas",
    "numpy",
    "scipy",
    "pyarrow",
    "pyvis",
    "jinja2",
    "matplotlib",
    "openpyxl",
    "XlsxWriter",
)

#: Date given to the members of zip containers (.xlsx, .cmap) a run writes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: Called as ``progress(step_name, label, state, seconds)``, state "start" or "done".
Progress = Callable[[str, str, str, float], None]


@dataclass
class Project:
    """A checked project file.

    Attributes
    ----------
    path : pathlib.Path or None
        The file (``None`` for a project built in code).
    config : dict
        The resolved configuration: every default filled in, paths absolute.
    """

    path: Path | None
    config: dict[str, Any]

    @property
    def base(self) -> Path:
        """The folder relative paths are read from."""
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def out(self) -> Path:
        """The output folder."""
        return Path(self.config["outputs"]["folder"])

    @property
    def steps(self) -> list[str]:
        """Names of the steps this project runs, in order."""
        names = ["network", *self.config["analyses"]]
        names = [n for n in names if n == "network" or self.config["analyses"][n]["enabled"]]
        names += ["view", "report"]
        return sorted(names, key=lambda n: BUILTIN[n].order)


def _raise(name: str, problems: list[Problem]) -> None:
    shown = problems[:10]
    more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
    noun = "problem" if len(problems) == 1 else "problems"
    lines = "\n".join(f"  {p}" for p in shown)
    msg = f"{name}: {len(problems)} {noun}{more}:\n{lines}"
    raise ConfigError(msg)


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and check a project file.

    Parameters
    ----------
    path : str or path
        The ``.toml`` file. Relative paths inside it are read from its folder.

    Returns
    -------
    Project

    Raises
    ------
    ConfigError
        Listing every problem (up to ten) with its line and key: TOML syntax,
        unknown keys (with the closest known one), wrong types, values
        outside the allowed ones, missing files.

    Examples
    --------
    >>> project = load_project("data/demo/project.toml")
    >>> project.steps[:3]
    ['network', 'communities', 'centrality']
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        msg = f"cannot read the project file {str(file)!r}: {exc.strerror or exc}"
        raise ConfigError(msg) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{file.name}: not valid TOML: {exc}"
        raise ConfigError(msg) from None
    config, problems = validate(document, text, file.resolve().parent)
    if problems:
        _raise(file.name, problems)
    return Project(file.resolve(), config)


def project_from_dict(
    document: Mapping[str, Any], *, base: str | os.PathLike[str] = "."
) -> Project:
    """Check a project given as a dict (the parsed TOML), with paths read from ``base``.

    Examples
    --------
    >>> p = project_from_dict(
    ...     {"inputs": {"generate": {"n_actors": 40}}, "analyses": {"centrality": {}}}
    ... )
    >>> p.steps
    ['network', 'centrality', 'view', 'report']
    """
    root = Path(base).resolve()
    config, problems = validate(document, "", root)
    if problems:
        _raise("project", problems)
    return Project(None, config)


def _normalise_zip(path: Path) -> None:
    """Give every member of a zip container one fixed date, so reruns give the same bytes."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    stamp = "%04d-%02d-%02dT%02d:%02d:%02dZ" % ZIP_DATE  # noqa: UP031
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as dst:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + stamp + m.group(3),
                    text,
                )
                data = text.encode("utf-8")
            clean = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            clean.compress_type = info.compress_type
            clean.external_attr = info.external_attr
            dst.writestr(clean, data)


def _finished(paths: list[Path]) -> list[Path]:
    """The files a step wrote, zip dates fixed, each CSV followed by its ``.meta.json``."""
    out: list[Path] = []
    for path in paths:
        if path.suffix in (".xlsx", ".cmap") and path.exists():
            _normalise_zip(path)
        out.append(path)
        meta = path.with_name(path.stem + ".meta.json")
        if path.suffix == ".csv" and meta.exists():
            out.append(meta)
    return out


def _versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in ("clustermap", *DEPENDENCIES):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _steps(project: Project) -> list[Step]:
    steps = [BUILTIN[name] for name in project.steps]
    if project.config["project"]["demo_steps"]:
        from clustermap.demo import _discover

        for registered in _discover():
            module = registered.run.__module__
            if module in COVERED_MODULES:
                continue
            name = f"{module.rsplit('.', 1)[-1]}.{registered.run.__name__}"

            def run(ctx: RunContext, step: Any = registered) -> None:
                step.run(ctx)

            steps.append(Step(name, registered.order, registered.label, run, seeded=True))
    return sorted(steps, key=lambda s: s.order)


def run_project(
    project: Project | str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Run a project: read the inputs, run every step, write the outputs and ``run.json``.

    Parameters
    ----------
    project : Project or path
        A checked project or the path of a project file.
    out : str or path, optional
        Write here instead of the project's ``outputs.folder``.
    progress : callable, optional
        Called as ``progress(step, label, "start", 0.0)`` before each step and
        ``progress(step, label, "done", seconds)`` after it; the command line
        draws one progress bar per step with it.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``run.json`` last.

    Examples
    --------
    >>> import tempfile
    >>> p = project_from_dict({"inputs": {"generate": {"n_actors": 40, "seed": 1}},
    ...                        "analyses": {"centrality": {}}, "outputs": {"report": False}})
    >>> for f in run_project(p, out=tempfile.mkdtemp()):
    ...     print(f.name)
    network.cmap
    summary.csv
    centrality.csv
    centrality.meta.json
    key_actors.xlsx
    network.html
    run.json
    """
    if not isinstance(project, Project):
        project = load_project(project)
    config = project.config
    folder = Path(out) if out is not None else project.out
    folder.mkdir(parents=True, exist_ok=True)
    seed = int(config["project"]["seed"])
    started = datetime.now(UTC)
    timings: list[dict[str, Any]] = []
    seeds: dict[str, Any] = {"project": seed}
    if "generate" in config["inputs"]:
        seeds["inputs.generate"] = config["inputs"]["generate"]["seed"]

    def tick(name: str, label: str, state: str, seconds: float) -> None:
        if progress is not None:
            progress(name, label, state, seconds)

    steps = _steps(project)
    with without_timestamps():
        tick("inputs", "reading the inputs", "start", 0.0)
        t0 = time.perf_counter()
        net, records, messages = read_inputs(config, project.base)
        seconds = time.perf_counter() - t0
        timings.append({"step": "inputs", "seconds": round(seconds, 3)})
        tick("inputs", "reading the inputs", "done", seconds)
        ctx = RunContext(
            folder, net, seed, config=config, base=project.base, inputs=records, messages=messages
        )
        for step in steps:
            tick(step.name, step.label, "start", 0.0)
            log.info("project step: %s", step.label)
            # python-igraph draws from Python's random module (ARPACK start vectors,
            # layouts); seeding it and numpy before each step makes every step repeatable
            random.seed(seed)
            np.random.seed(seed)  # noqa: NPY002 - libraries that read the global state
            before = len(ctx.written)
            t0 = time.perf_counter()
            step.run(ctx)
            ctx.written[before:] = _finished(ctx.written[before:])
            seconds = time.perf_counter() - t0
            if step.seeded:
                seeds[step.name] = seed
            timings.append({"step": step.name, "seconds": round(seconds, 3)})
            tick(step.name, step.label, "done", seconds)
    written = list(dict.fromkeys(ctx.written))
    record = {
        "project": str(project.path) if project.path else None,
        "output_folder": str(folder.resolve()),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": _versions(),
        "seeds": seeds,
        "inputs": records,
        "loader_messages": messages,
        "steps": timings,
        "outputs": [
            {"file": p.name, "bytes": p.stat().st_size, "sha256": sha256(p)}
            for p in written
            if p.exists()
        ],
        "configuration": config,
    }
    run_json = folder / "run.json"
    with atomic_path(run_json) as tmp:
        tmp.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return [*written, run_json]
