"""Diffusion: exact probabilities on two- and three-actor networks, and step-by-step references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.analysis import diffusion
from clustermap.errors import ConfigError, InputError

RUNS = 40_000


def make_net(
    edges: list[tuple[str, str, float]],
    *,
    layer: str = "knowledge",
    directed: bool = False,
    extra: dict[str, list[object]] | None = None,
) -> cm.ClusterNetwork:
    ids = sorted({x for e in edges for x in e[:2]})
    nodes = pd.DataFrame({"id": ids, "name": [x.upper() for x in ids], "kind": "firm"})
    table = pd.DataFrame(edges, columns=["source", "target", "weight"]).assign(layer=layer)
    for column, values in (extra or {}).items():
        table[column] = values
    return cm.from_tables(nodes, table, directed={layer: directed})


def close(estimate: float, exact: float, runs: int = RUNS) -> bool:
    """Within five standard errors of a Monte-Carlo proportion."""
    se = max(np.sqrt(exact * (1 - exact) / runs), 1e-12)
    return abs(estimate - exact) <= 5 * se


@pytest.fixture
def triangle() -> cm.ClusterNetwork:
    """a - b (1), a - c (3), b - c (1).

    Strengths: s_a = 4, s_b = 2, s_c = 4, so p(a->b) = 1/4, p(a->c) = 3/4,
    p(b->c) = 1/2, p(c->b) = 1/4.
    """
    return make_net([("a", "b", 1.0), ("a", "c", 3.0), ("b", "c", 1.0)])


def test_two_actors_cascade_exact():
    net = make_net([("u", "f", 1.0)], extra={"p": [0.3]})
    sim = cm.simulate_diffusion(net, sources=["u"], probability="p", runs=RUNS, seed=1)
    assert close(sim.loc["f", "probability"], 0.3)
    assert sim.loc["f", "mean_steps"] == 1.0
    assert sim.loc["u", "probability"] == 1.0
    assert sim.loc["u", "mean_steps"] == 0.0
    assert sim.loc["f", "probability_se"] == pytest.approx(np.sqrt(0.3 * 0.7 / RUNS), rel=0.05)


def test_two_actors_default_probability_is_certain():
    """With p = w / s, an actor with a single tie always passes it on."""
    net = make_net([("u", "f", 2.0)])
    for model in diffusion.DIFFUSION_MODELS:
        sim = cm.simulate_diffusion(net, sources=["u"], model=model, runs=50, seed=1)
        assert sim["probability"].tolist() == [1.0, 1.0]
        assert sim.loc["f", "mean_steps"] == 1.0


def test_triangle_cascade_exact(triangle):
    """b is reached if a->b is live, or a->c and c->b are: 1 - (3/4)(1 - 3/16) = 25/64."""
    sim = cm.simulate_diffusion(triangle, sources=["a"], runs=RUNS, seed=2)
    p_b, p_c = 25 / 64, 25 / 32
    assert close(sim.loc["b", "probability"], p_b)
    assert close(sim.loc["c", "probability"], p_c)
    # E[step | reached]: b at 1 w.p. 1/4, at 2 w.p. 3/4 * 3/16; c at 1 w.p. 3/4, 2 w.p. 1/32
    steps_b = (0.25 * 1 + 0.75 * 3 / 16 * 2) / p_b
    steps_c = (0.75 * 1 + 0.25 * 1 / 8 * 2) / p_c
    assert sim.loc["b", "mean_steps"] == pytest.approx(steps_b, abs=0.02)
    assert sim.loc["c", "mean_steps"] == pytest.approx(steps_c, abs=0.02)
    assert sim.attrs["spread_mean"] == pytest.approx(p_b + p_c, abs=0.02)


def test_triangle_threshold_exact(triangle):
    """Live-edge: b keeps a or c (1/2 each), c keeps a (3/4) or b (1/4): both reached 7/8."""
    sim = cm.simulate_diffusion(
        triangle, sources=["a"], model="linear_threshold", runs=RUNS, seed=3
    )
    assert close(sim.loc["b", "probability"], 7 / 8)
    assert close(sim.loc["c", "probability"], 7 / 8)
    assert sim.loc["b", "mean_steps"] == pytest.approx((0.5 + 2 * 3 / 8) / (7 / 8), abs=0.02)
    assert sim.loc["c", "mean_steps"] == pytest.approx((0.75 + 2 * 1 / 8) / (7 / 8), abs=0.02)


def test_max_steps_stops_the_spread(triangle):
    sim = cm.simulate_diffusion(triangle, sources=["a"], runs=RUNS, seed=4, max_steps=1)
    assert close(sim.loc["b", "probability"], 1 / 4)
    assert close(sim.loc["c", "probability"], 3 / 4)
    assert sim["mean_steps"].max() == 1.0


def test_directed_layer_spreads_forwards_only():
    net = make_net([("a", "b", 1.0), ("b", "c", 1.0)], layer="supply", directed=True)
    back = cm.simulate_diffusion(net, sources=["c"], layers="supply", runs=100, seed=1)
    assert back["probability"].tolist() == [0.0, 0.0, 1.0]
    assert back["mean_steps"].isna().tolist() == [True, True, False]
    forward = cm.simulate_diffusion(net, sources=["a"], layers="supply", runs=100, seed=1)
    assert forward["probability"].tolist() == [1.0, 1.0, 1.0]
    assert forward["mean_steps"].tolist() == [0.0, 1.0, 2.0]


def _reference_cascade(adj: dict[int, list[tuple[int, float]]], n: int, src: list[int], runs: int):
    """The independent cascade step by step, as Kempe et al. describe it."""
    rng = np.random.default_rng(0)
    reached = np.zeros(n)
    steps = np.zeros(n)
    for _ in range(runs):
        active = dict.fromkeys(src, 0)
        frontier, t = list(src), 0
        while frontier:
            t += 1
            new = []
            for u in frontier:
                for v, p in adj.get(u, []):
                    if v not in active and rng.random() < p:
                        active[v] = t
                        new.append(v)
            frontier = new
        for v, when in active.items():
            reached[v] += 1
            steps[v] += when
    return reached / runs, steps / np.maximum(reached, 1)


def _reference_threshold(
    inw: dict[int, list[tuple[int, float]]], n: int, src: list[int], runs: int
):
    """The linear threshold model with uniform thresholds, simulated directly."""
    rng = np.random.default_rng(0)
    reached = np.zeros(n)
    steps = np.zeros(n)
    for _ in range(runs):
        theta = rng.random(n)
        active = dict.fromkeys(src, 0)
        t = 0
        while True:
            t += 1
            new = [
                v
                for v in range(n)
                if v not in active and sum(b for u, b in inw.get(v, []) if u in active) >= theta[v]
            ]
            if not new:
                break
            for v in new:
                active[v] = t
        for v, when in active.items():
            reached[v] += 1
            steps[v] += when
    return reached / runs, steps / np.maximum(reached, 1)


@pytest.fixture
def small_random() -> cm.ClusterNetwork:
    rng = np.random.default_rng(11)
    pairs = {(0, 1), (1, 2), (2, 3), (3, 0), (1, 4), (4, 5), (5, 6), (2, 6), (6, 7), (0, 7)}
    edges = [(f"v{u}", f"v{v}", float(rng.integers(1, 4))) for u, v in sorted(pairs)]
    return make_net(edges)


def _transfer(net: cm.ClusterNetwork) -> pd.DataFrame:
    e = net.edges
    both = pd.concat([e, e.rename(columns={"source": "target", "target": "source"})])
    arcs = both.groupby(["source", "target"], as_index=False)["weight"].sum()
    pos = {x: i for i, x in enumerate(net.nodes.index)}
    arcs["u"] = arcs["source"].map(pos)
    arcs["v"] = arcs["target"].map(pos)
    arcs["p"] = arcs["weight"] / arcs.groupby("source")["weight"].transform("sum")
    arcs["b"] = arcs["weight"] / arcs.groupby("target")["weight"].transform("sum")
    return arcs


def test_cascade_matches_step_by_step_reference(small_random):
    arcs = _transfer(small_random)
    adj: dict[int, list[tuple[int, float]]] = {}
    for u, v, p in arcs[["u", "v", "p"]].itertuples(index=False):
        adj.setdefault(u, []).append((v, p))
    runs = 20_000
    ref_p, ref_steps = _reference_cascade(adj, 8, [0], runs)
    sim = cm.simulate_diffusion(small_random, sources=["v0"], runs=runs, seed=8)
    # difference of two independent estimates: sd <= 0.5 * sqrt(2 / runs) = 0.005
    assert np.abs(sim["probability"].to_numpy() - ref_p).max() < 0.025
    assert np.abs(sim["mean_steps"].to_numpy() - ref_steps).max() < 0.1


def test_threshold_live_edge_matches_threshold_reference(small_random):
    arcs = _transfer(small_random)
    inw: dict[int, list[tuple[int, float]]] = {}
    for u, v, b in arcs[["u", "v", "b"]].itertuples(index=False):
        inw.setdefault(v, []).append((u, b))
    runs = 20_000
    ref_p, ref_steps = _reference_threshold(inw, 8, [0, 5], runs)
    sim = cm.simulate_diffusion(
        small_random, sources=["v0", "v5"], model="linear_threshold", runs=runs, seed=9
    )
    assert np.abs(sim["probability"].to_numpy() - ref_p).max() < 0.025
    assert np.abs(sim["mean_steps"].to_numpy() - ref_steps).max() < 0.1


@pytest.mark.parametrize("model", diffusion.DIFFUSION_MODELS)
def test_same_seed_same_result_whatever_the_batching(small_random, model, monkeypatch):
    one = cm.simulate_diffusion(small_random, sources=["v0"], model=model, runs=500, seed=5)
    again = cm.simulate_diffusion(small_random, sources=["v0"], model=model, runs=500, seed=5)
    pd.testing.assert_frame_equal(one, again)
    monkeypatch.setattr(diffusion, "_BATCH_CELLS", 40)  # 2 runs per batch
    batched = cm.simulate_diffusion(small_random, sources=["v0"], model=model, runs=500, seed=5)
    pd.testing.assert_frame_equal(one, batched)
    other = cm.simulate_diffusion(small_random, sources=["v0"], model=model, runs=500, seed=6)
    assert not one["probability"].equals(other["probability"])


def test_default_runs_and_seed_from_settings(triangle, monkeypatch):
    monkeypatch.setattr(cm.settings, "diffusion_runs", 123)
    monkeypatch.setattr(cm.settings, "seed", 77)
    sim = cm.simulate_diffusion(triangle, sources=["a"])
    assert sim.attrs["parameters"]["runs"] == 123
    assert sim.attrs["seed"] == 77
    assert sim.attrs["method"] == "simulate_diffusion/independent_cascade"
    assert set(sim.attrs["spread_quantiles"]) == {"10", "50", "90"}
    same = cm.simulate_diffusion(triangle, sources=["a"], runs=123, seed=77)
    pd.testing.assert_frame_equal(sim, same)


def test_standard_error_column(triangle):
    sim = cm.simulate_diffusion(triangle, sources=["a"], runs=400, seed=1)
    p = sim["probability"]
    assert sim["probability_se"].to_numpy() == pytest.approx(np.sqrt(p * (1 - p) / 400))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"model": "sir"}, r"`model` must be one of 'independent_cascade', 'linear_threshold'"),
        ({"runs": 0}, r"`runs` must be a whole number >= 1"),
        ({"runs": True}, r"`runs` must be a whole number"),
        ({"max_steps": 0}, r"`max_steps` must be a whole number >= 1"),
        (
            {"model": "linear_threshold", "probability": "weight"},
            r"`probability` applies to the independent cascade only",
        ),
        ({"probability": "nope"}, r"`probability` names column 'nope'"),
        ({"layers": "gossip"}, r"unknown layer"),
    ],
)
def test_config_errors(triangle, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        cm.simulate_diffusion(triangle, sources=["a"], **kwargs)


def test_selection_matching_nobody(triangle):
    with pytest.raises(InputError, match=r"`sources` selects nobody: no actor has kind"):
        cm.simulate_diffusion(triangle, sources="institution")
    with pytest.raises(InputError, match=r"`sources` names ids that are not in the network"):
        cm.simulate_diffusion(triangle, sources=["zz"])
