"""Tests of the benchmark runner: discovery, planning, the table, the child processes.

Nothing heavy runs here: the sizes are tiny and the steps are fakes.
"""

from __future__ import annotations

import argparse
import textwrap

import pytest

from benchmarks import harness
from benchmarks import run as runner
from benchmarks.harness import BenchData, Step


def _step(name: str, sizes: tuple[int, ...] | None = None) -> runner.Found:
    return runner.Found("fake", 0, Step(name, lambda d: None, sizes=sizes))


@pytest.mark.parametrize(
    ("text", "size"),
    [("10k", 10_000), ("100K", 100_000), ("1M", 1_000_000), ("2500", 2500), ("1.5k", 1500)],
)
def test_parse_size(text, size):
    assert runner.parse_size(text) == size


def test_parse_size_rejects_nonsense():
    with pytest.raises(argparse.ArgumentTypeError, match="not a size"):
        runner.parse_size("lots")


def test_discover_finds_the_foundation_steps():
    found = runner.discover()
    names = [f.step.name for f in found]
    assert "foundation: make_cluster" in names
    assert "foundation: read CSV (read_tables)" in names
    assert all(isinstance(f.step, Step) for f in found)
    csv = next(f for f in found if f.step.name == "foundation: read CSV (read_tables)")
    assert csv.module == "benchmarks.steps.foundation"
    assert csv.step.baseline is not None


def test_plan_filters_and_sizes():
    found = [_step("read CSV"), _step("views: html", sizes=(500, 5000)), _step("make_cluster")]
    runs = runner.plan(found, [10_000, 100_000])
    assert [(f.step.name, s) for f, s in runs] == [
        ("read CSV", 10_000),
        ("read CSV", 100_000),
        ("views: html", 500),
        ("views: html", 5000),
        ("make_cluster", 10_000),
        ("make_cluster", 100_000),
    ]
    runs = runner.plan(found, [5000], explicit_sizes=True, filters=["HTML", "csv"])
    assert [(f.step.name, s) for f, s in runs] == [("read CSV", 5000), ("views: html", 5000)]


def test_format_table():
    ok = {"status": "ok", "seconds": 0.5, "cpu": 0.25, "peak_mib": 210.4}
    rows = [
        runner.Row(
            "read CSV", 10_000, ok, {"status": "ok", "seconds": 2.0}, 120, {"file MiB": "3"}
        ),
        runner.Row("centrality", 100_000, ok, {"status": "timeout"}, 120, {"pairs": "9"}),
        runner.Row("make_cluster", 100_000, ok, None, 120),
        runner.Row("broken", 10_000, {"status": "error", "error": "boom"}, None, 120),
    ]
    table = runner.format_table(rows).splitlines()
    assert table[0].split() == [
        "step", "size", "seconds", "cpu", "s", "peak", "MiB", "networkx", "s", "ratio", "file",
        "MiB", "pairs",
    ]  # fmt: skip
    assert table[2].split() == ["read", "CSV", "10,000", "0.5", "0.25", "210", "2", "4", "3"]
    assert table[3].split() == [
        "centrality",
        "100,000",
        "0.5",
        "0.25",
        "210",
        ">",
        "120",
        ">",
        "240",
        "9",
    ]
    assert table[4].split() == ["make_cluster", "100,000", "0.5", "0.25", "210", "-", "-"]
    assert table[5].split() == ["broken", "10,000", "error", "-", "-", "-", "-"]
    assert "broken @ 10,000 (clustermap): boom" in runner._errors(rows)


def test_bench_data_counts_builds_as_untimed(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "CACHE", tmp_path)
    data = BenchData(40, seed=1)
    assert data.untimed == 0.0
    net = data.net
    assert net.n_nodes == 40
    assert data.untimed > 0.0
    assert not data.building
    data.prepare_files()
    folder = data.folder
    for name in ("network.cmap", "nodes.csv", "links.csv", "nodes.parquet", "links.parquet"):
        assert (folder / name).exists(), name
    # a second BenchData reads the cached network back identically
    assert BenchData(40, seed=1).net.equals(net)
    G = data.nx_graph()
    assert G.number_of_nodes() == 40
    assert G.size(weight="weight") == pytest.approx(net.edges["weight"].sum())


@pytest.mark.slow
def test_steps_run_in_child_processes_with_a_time_limit(tmp_path, monkeypatch):
    module = tmp_path / "fake_bench_steps.py"
    module.write_text(
        textwrap.dedent(
            """
            import time
            from benchmarks.harness import Step

            def fast(data):
                return data.n_actors * 2

            def slow(data):
                time.sleep(30)

            def fails(data):
                raise RuntimeError("broken on purpose")

            STEPS = [
                Step("fast", fast, baseline=slow, extra=lambda d, r: {"double": r}),
                Step("fails", fails),
            ]
            """
        )
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    fast = runner.Found("fake_bench_steps", 0, Step("fast", lambda d: None))
    fails = runner.Found("fake_bench_steps", 1, Step("fails", lambda d: None))
    record = runner.measure(fast, 21, "run", None)
    assert record["status"] == "ok"
    assert record["extra"] == {"double": "42"}
    assert record["peak_mib"] > 10
    assert record["cpu"] >= 0
    assert runner.measure(fast, 21, "baseline", 0.5)["status"] == "timeout"
    record = runner.measure(fails, 21, "run", None)
    assert record["status"] == "error"
    assert "RuntimeError: broken on purpose" in record["error"]


def test_format_table_prints_the_pipeline_steps_under_their_row():
    detail = {"step": "centrality", "seconds": 2.0, "cpu": 1.5, "peak_mib": 300.0}
    run = {
        "status": "ok",
        "seconds": 4.0,
        "cpu": 3.0,
        "peak_mib": 310.0,
        "details": [{**detail, "floor": 1.0, "floor_cpu": 0.5, "note": "exact"}],
    }
    table = runner.format_table([runner.Row("pipeline", 10_000, run, None, 120)]).splitlines()
    assert "note" in table[0]
    assert table[3].split() == ["centrality", "10,000", "2", "1.5", "300", "1", "0.5", "2.00",
                                "3.00", "exact"]  # fmt: skip


def test_pipeline_refuses_a_step_that_would_not_fit(tmp_path, monkeypatch):
    import clustermap._memory as memory
    from benchmarks import pipeline

    nodes, links = tmp_path / "nodes.csv", tmp_path / "links.csv"
    ids = [f"firm-{i:04d}" for i in range(200)]
    nodes.write_text("id,name,kind\n" + "".join(f"{i},{i},firm\n" for i in ids))
    links.write_text("source,target,layer\n" + "".join(f"{ids[0]},{i},supply\n" for i in ids[1:]))
    monkeypatch.setattr(memory, "available_bytes", lambda: 10.0)
    with pytest.raises(MemoryError, match=r"pipeline step 'read CSV -> network'.*Parquet"):
        pipeline.run_pipeline(nodes, links, tmp_path)
