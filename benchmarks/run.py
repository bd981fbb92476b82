"""Run the benchmark steps and print a table: ``make bench`` / ``make bench-full``.

Usage::

    python -m benchmarks.run                     # 10k and 100k actors
    python -m benchmarks.run --full              # ... and 1M
    python -m benchmarks.run --sizes 5k,20k --steps "read CSV" --limit 60

Every step of every ``benchmarks/steps/*.py`` module (its ``STEPS`` list)
runs once per size in a fresh Python process, so that the peak memory
reported (the child's ``ru_maxrss``) is the step's own; its networkx
baseline runs in another fresh process and is stopped after ``--limit``
seconds of its own work ("> 120 s"). The synthetic cluster of each size is
built once, before any timing, and cached in ``.bench-cache/``; data that a
step builds lazily (loading the network, writing files, building the
networkx graph) is never counted in its time.

The table has: step, size (actors), seconds (wall clock), cpu s (CPU
seconds of the process, all threads: steadier than wall time on a busy
machine), peak MiB, networkx seconds (wall clock), ratio (networkx seconds /
clustermap seconds: how many times faster clustermap is) and the extra
columns steps add.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.harness import ROOT, BenchData, Step, cpu_seconds

DEFAULT_SIZES = (10_000, 100_000)
FULL_SIZE = 1_000_000
DEFAULT_LIMIT = 120.0
#: Wall-clock limit of a clustermap step's process (including its untimed setup).
STEP_LIMIT = 3600.0
#: Extra wall-clock time a baseline process gets for its untimed setup.
SETUP_GRACE = 1800.0
_TIMEOUT_EXIT = 3


# ----------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Found:
    """A step and where it lives, so that a child process can find it again."""

    module: str
    index: int
    step: Step


def discover(package: str = "benchmarks.steps") -> list[Found]:
    """Every step of every module of ``package``, in module then list order."""
    pkg = importlib.import_module(package)
    found: list[Found] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        name = f"{package}.{info.name}"
        module = importlib.import_module(name)
        for index, step in enumerate(getattr(module, "STEPS", [])):
            found.append(Found(name, index, step))
    return found


def parse_size(text: str) -> int:
    """``"10k"`` -> 10000, ``"1M"`` -> 1000000, ``"2500"`` -> 2500."""
    match = re.fullmatch(r"\s*([0-9_.]+)\s*([kKmM]?)\s*", text)
    if not match:
        msg = f"not a size: {text!r} (use e.g. 10000, 10k or 1M)"
        raise argparse.ArgumentTypeError(msg)
    number = float(match.group(1).replace("_", ""))
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return round(number * factor)


def plan(
    found: Sequence[Found],
    sizes: Sequence[int],
    *,
    explicit_sizes: bool = False,
    filters: Sequence[str] = (),
) -> list[tuple[Found, int]]:
    """The (step, size) runs: name filters (any substring, case-insensitive) and sizes.

    A step with its own ``sizes`` runs at those (only at the ones also asked
    for, when ``--sizes`` is given); other steps run at ``sizes``.
    """
    runs: list[tuple[Found, int]] = []
    wanted = [f.lower() for f in filters]
    for item in found:
        if wanted and not any(w in item.step.name.lower() for w in wanted):
            continue
        own = item.step.sizes
        if own is None:
            chosen = list(sizes)
        elif explicit_sizes:
            chosen = [s for s in own if s in sizes]
        else:
            chosen = list(own)
        runs.extend((item, size) for size in chosen)
    return runs


# ----------------------------------------------------------------- child side


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _watchdog(data: BenchData, start: float, limit: float, out: Path) -> None:
    """Stop the process once the timed work (untimed builds excluded) passes ``limit``."""
    while True:
        time.sleep(0.2)
        if data.building:
            continue
        if time.perf_counter() - start - data.untimed > limit:
            out.write_text(json.dumps({"status": "timeout", "peak_mib": _peak_mib()}))
            os._exit(_TIMEOUT_EXIT)


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one step (or its baseline) at one size, in this process; return the record."""
    module = importlib.import_module(spec["module"])
    step: Step = module.STEPS[spec["index"]]
    data = BenchData(spec["size"])
    func = step.baseline if spec["mode"] == "baseline" else step.run
    assert func is not None
    if step.prepare is not None:
        with data._build():
            data.prepared = step.prepare(data)
    data.untimed = data.untimed_cpu = 0.0
    start, cpu = time.perf_counter(), cpu_seconds()
    limit = spec.get("limit")
    if limit is not None:
        args = (data, start, float(limit), Path(spec["out"]))
        threading.Thread(target=_watchdog, args=args, daemon=True).start()
    result = func(data)
    seconds = time.perf_counter() - start - data.untimed
    cpu_used = cpu_seconds() - cpu - data.untimed_cpu
    record: dict[str, Any] = {
        "status": "ok",
        "seconds": seconds,
        "cpu": cpu_used,
        "peak_mib": _peak_mib(),
    }
    if step.extra is not None and spec["mode"] == "run":
        record["extra"] = {str(k): str(v) for k, v in step.extra(data, result).items()}
    if step.details is not None and spec["mode"] == "run":
        record["details"] = step.details(data, result)
    return record


def _child_main(path: str) -> int:
    spec = json.loads(Path(path).read_text())
    out = Path(spec["out"])
    try:
        record = child(spec)
    except Exception as exc:  # reported in the table, with the traceback below it
        record = {
            "status": "error",
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
            "peak_mib": _peak_mib(),
        }
    out.write_text(json.dumps(record))
    return 0


def _prepare_main(size: int) -> int:
    BenchData(size).prepare_files()
    return 0


# ----------------------------------------------------------------- parent side


def _spawn(args: list[str], timeout: float) -> subprocess.CompletedProcess[str] | None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    try:
        return subprocess.run(
            [sys.executable, "-m", "benchmarks.run", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None


def measure(item: Found, size: int, mode: str, limit: float | None) -> dict[str, Any]:
    """Run a step or its baseline in a fresh process and return its record."""
    with tempfile.TemporaryDirectory(prefix="clustermap-bench-") as tmp:
        out = Path(tmp) / "result.json"
        spec_path = Path(tmp) / "spec.json"
        spec = {
            "module": item.module,
            "index": item.index,
            "size": size,
            "mode": mode,
            "limit": limit,
            "out": str(out),
        }
        spec_path.write_text(json.dumps(spec))
        wall = STEP_LIMIT if limit is None else limit + SETUP_GRACE
        proc = _spawn(["--child", str(spec_path)], wall)
        if proc is None:
            return {"status": "timeout"}
        if out.exists():
            record: dict[str, Any] = json.loads(out.read_text())
            return record
        return {
            "status": "error",
            "error": f"the process died (exit status {proc.returncode})",
            "traceback": proc.stderr[-3000:],
        }


@dataclass
class Row:
    """One line of the table."""

    step: str
    size: int
    run: dict[str, Any]
    baseline: dict[str, Any] | None
    limit: float
    extra: dict[str, str] = field(default_factory=dict)


def _seconds(record: dict[str, Any] | None, limit: float) -> str:
    if record is None:
        return "-"
    if record["status"] == "timeout":
        return f"> {limit:g}"
    if record["status"] != "ok":
        return "error"
    return f"{record['seconds']:.3g}" if record["seconds"] < 100 else f"{record['seconds']:.0f}"


def _cpu(record: dict[str, Any]) -> str:
    if record.get("status") != "ok" or "cpu" not in record:
        return "-"
    return f"{record['cpu']:.3g}" if record["cpu"] < 100 else f"{record['cpu']:.0f}"


def _ratio(row: Row) -> str:
    run, base = row.run, row.baseline
    if base is None or run["status"] != "ok":
        return "-"
    cm_seconds = max(run["seconds"], 1e-6)
    if base["status"] == "timeout":
        return f"> {row.limit / cm_seconds:.3g}"
    if base["status"] != "ok":
        return "-"
    return f"{base['seconds'] / cm_seconds:.3g}"


def _detail_lines(row: Row, extra_names: list[str]) -> list[list[str]]:
    """The sub-rows of a step (the pipeline's steps), indented under it."""
    lines = []
    for detail in row.run.get("details") or []:
        floor, floor_cpu = detail.get("floor"), detail.get("floor_cpu")
        extra = {
            "floor s": f"{floor:.3g}" if floor is not None else "",
            "floor cpu": f"{floor_cpu:.3g}" if floor_cpu is not None else "",
            "x floor": f"{detail['seconds'] / max(floor, 1e-9):.2f}" if floor else "",
            "x floor cpu": f"{detail['cpu'] / max(floor_cpu, 1e-9):.2f}" if floor_cpu else "",
            "note": str(detail.get("note", "")),
        }
        lines.append(
            [
                f"  {detail['step']}",
                f"{row.size:,}",
                f"{detail['seconds']:.3g}",
                f"{detail['cpu']:.3g}",
                f"{detail['peak_mib']:.0f}",
                "",
                "",
                *[extra.get(name, "") for name in extra_names],
            ]
        )
    return lines


def format_table(rows: Sequence[Row]) -> str:
    """The results as an aligned text table (extra columns after the fixed ones)."""
    extra_names: list[str] = []
    for row in rows:
        for key in row.extra:
            if key not in extra_names:
                extra_names.append(key)
    if any(row.run.get("details") for row in rows):
        for key in ("floor s", "floor cpu", "x floor", "x floor cpu", "note"):
            if key not in extra_names:
                extra_names.append(key)
    header = ["step", "size", "seconds", "cpu s", "peak MiB", "networkx s", "ratio", *extra_names]
    lines = [header]
    for row in rows:
        peak = row.run.get("peak_mib")
        lines.append(
            [
                row.step,
                f"{row.size:,}",
                _seconds(row.run, STEP_LIMIT),
                _cpu(row.run),
                f"{peak:.0f}" if isinstance(peak, int | float) else "-",
                _seconds(row.baseline, row.limit),
                _ratio(row),
                *[row.extra.get(name, "") for name in extra_names],
            ]
        )
        lines.extend(_detail_lines(row, extra_names))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    right = {1, 2, 3, 4, 5, 6}
    out = []
    for n, line in enumerate(lines):
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _errors(rows: Sequence[Row]) -> str:
    notes = []
    for row in rows:
        for what, record in (("clustermap", row.run), ("networkx", row.baseline)):
            if record is not None and record["status"] == "error":
                notes.append(
                    f"{row.step} @ {row.size:,} ({what}): {record.get('error')}\n"
                    f"{record.get('traceback', '').rstrip()}"
                )
    return "\n\n".join(notes)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the benchmarks, print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--full", action="store_true", help="also run 1M actors")
    parser.add_argument(
        "--sizes",
        type=lambda s: [parse_size(x) for x in s.split(",") if x.strip()],
        help="comma-separated sizes, e.g. 10k,100k (default 10k,100k)",
    )
    parser.add_argument(
        "--steps",
        action="append",
        default=[],
        metavar="SUBSTRING",
        help="run only steps whose name contains this (repeatable)",
    )
    parser.add_argument(
        "--limit",
        type=float,
        default=DEFAULT_LIMIT,
        help=f"time limit of each networkx baseline in seconds (default {DEFAULT_LIMIT:g})",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the networkx baselines")
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="skip the pipeline's floor (bare primitives), e.g. when measuring the scale ceiling",
    )
    parser.add_argument("--list", action="store_true", help="list the steps and exit")
    parser.add_argument("--json", metavar="PATH", help="also write every record to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child_main(args.child)
    if args.prepare:
        return _prepare_main(args.prepare)
    if args.no_floor:
        os.environ["CLUSTERMAP_BENCH_FLOOR"] = "0"  # read by the pipeline step's process

    found = discover()
    if args.list:
        for item in found:
            own = ", ".join(f"{s:,}" for s in item.step.sizes) if item.step.sizes else "runner's"
            base = "networkx baseline" if item.step.baseline else "no baseline"
            print(f"{item.step.name}  [{item.module}; sizes: {own}; {base}]")
        return 0
    sizes = list(args.sizes or DEFAULT_SIZES)
    if args.full and FULL_SIZE not in sizes:
        sizes.append(FULL_SIZE)
    runs = plan(found, sizes, explicit_sizes=args.sizes is not None, filters=args.steps)
    if not runs:
        print("no steps match", file=sys.stderr)
        return 2

    for size in sorted({size for _, size in runs}):
        start = time.perf_counter()
        proc = _spawn(["--prepare", str(size)], STEP_LIMIT)
        if proc is None or proc.returncode != 0:
            detail = "timed out" if proc is None else proc.stderr[-3000:]
            print(f"preparing {size:,} actors failed: {detail}", file=sys.stderr)
            return 1
        print(f"prepared {size:,} actors ({time.perf_counter() - start:.1f} s)", file=sys.stderr)

    rows: list[Row] = []
    for item, size in runs:
        print(f"running {item.step.name} @ {size:,}", file=sys.stderr, flush=True)
        run = measure(item, size, "run", None)
        baseline = None
        if item.step.baseline is not None and not args.no_baseline:
            baseline = measure(item, size, "baseline", args.limit)
        rows.append(Row(item.step.name, size, run, baseline, args.limit, run.get("extra", {})))
    print(format_table(rows))
    if args.json:
        records = [
            {"step": r.step, "size": r.size, "run": r.run, "baseline": r.baseline} for r in rows
        ]
        Path(args.json).write_text(json.dumps(records, indent=1))
    errors = _errors(rows)
    if errors:
        print("\nerrors:\n" + errors)
    return 1 if any(r.run["status"] == "error" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
