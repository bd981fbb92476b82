"""Tests of initiative_effect: by hand, planted effects recovered, nominal rejection."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, EmptyNetworkError, InputError


@pytest.fixture
def tiny():
    """Members m1, m2 and non-members c1, c2 (all firms); one year before, one after.

    2018: m1 - c1. 2019: m1 - m2, m1 - c2, m2 - c2.
    New ties per year, before -> after: m1 1 -> 2, m2 0 -> 2, c1 1 -> 0, c2 0 -> 2.
    Changes: members +1, +2 (mean 1.5); non-members -1, +2 (mean 0.5): estimate 1.0.
    """
    ids = ["m1", "m2", "c1", "c2"]
    return cm.from_tables(
        {"id": ids, "name": ids, "kind": "firm"},
        {
            "source": ["m1", "m1", "m1", "m2"],
            "target": ["c1", "m2", "c2", "c2"],
            "layer": "knowledge",
            "year": [2018, 2019, 2019, 2019],
        },
    )


def test_hand_worked_estimate(tiny):
    res = cm.initiative_effect(tiny, members=["m1", "m2"], start=2019, control="all", seed=1)
    assert res.estimate == pytest.approx(1.0)
    assert res.groups.loc["members", ["mean_before", "mean_after", "change"]].tolist() == [
        0.5, 2.0, 1.5
    ]  # fmt: skip
    assert res.groups.loc["non-members (weighted)", "change"] == pytest.approx(0.5)
    assert res.actors.loc["c1", ["before", "after", "change"]].tolist() == [1, 0, -1]
    assert res.sizes["members_matched"] == 2
    assert res.sizes["non_members_used"] == 2
    # with four actors, only 6 ways to pick two members: the p-value cannot be small
    assert res.p_value > 0.1
    assert res.placebo is None
    assert any("placebo" in c.lower() for c in res.caveats)
    assert "estimate" in res.to_frame().index
    assert list(res.to_sheets()) == ["summary", "groups", "actors"]


def test_matched_weights_balance_each_cell():
    # cell 1 (region X): member a, non-members b, c; cell 2 (region Y): member d, non-member e
    ids = list("abcdefg")
    net = cm.from_tables(
        {"id": ids, "name": ids, "kind": "firm", "region": list("XXXYYZZ")},
        {
            "source": ["f", "a", "a", "b", "d", "d", "e"],
            "target": ["g", "f", "g", "g", "f", "g", "f"],
            "layer": "knowledge",
            "year": [2018, 2019, 2019, 2019, 2019, 2019, 2019],
        },
    )
    res = cm.initiative_effect(net, members=["a", "d"], start=2019, seed=1, resamples=50)
    # cell X: a 2 - mean(b 1, c 0) = 1.5; cell Y: d 2 - e 1 = 1; mean over members 1.25
    assert res.estimate == pytest.approx(1.25)
    w = res.actors["weight"]
    assert w["a"] == 1
    assert w["b"] == pytest.approx(0.5)
    assert w["c"] == pytest.approx(0.5)
    # f, g (region Z) have no member in their cell: left out
    assert "f" not in res.actors.index
    assert "region" in res.matching


def test_statement_is_plain_and_never_causal():
    net = cm.make_cluster(n_actors=300, seed=8, initiative={"effect": 1.0})
    res = cm.initiative_effect(net, members={"member": True}, start=2020,
                               outcome="new_institution_ties", seed=2, resamples=199)  # fmt: skip
    text = (res.statement + " ".join(res.caveats)).lower()
    assert "caus" not in text
    assert "difference-in-differences" in text
    assert "selection" in text
    assert "2020" in res.design
    assert "matched" in res.design
    assert res.provenance["seed"] == 2
    assert res.provenance["method"] == "initiative_effect"


def test_recovers_a_planted_effect_within_its_interval():
    covered = 0
    for seed in range(10):
        net = cm.make_cluster(
            n_actors=300, seed=100 + seed, initiative={"share": 0.25, "start": 2020, "effect": 1.0}
        )
        res = cm.initiative_effect(
            net, members={"member": True}, start=2020, outcome="new_institution_ties",
            seed=seed, resamples=199,
        )  # fmt: skip
        covered += res.ci_low <= 1.0 <= res.ci_high
        assert res.p_value < 0.05
    assert covered >= 8


def test_with_no_effect_rejects_at_about_the_nominal_rate():
    p_values = []
    for seed in range(40):
        net = cm.make_cluster(
            n_actors=200, seed=500 + seed, initiative={"share": 0.25, "start": 2020, "effect": 0.0}
        )
        res = cm.initiative_effect(
            net, members={"member": True}, start=2020, outcome="new_ties", control="all",
            seed=seed, resamples=99,
        )  # fmt: skip
        p_values.append(res.p_value)
    p = np.array(p_values)
    assert (p < 0.05).mean() <= 0.15
    assert 0.3 < p.mean() < 0.7  # about uniform under no effect


@pytest.mark.parametrize(
    "outcome", ["new_ties", "new_institution_ties", "new_external_ties", "reach"]
)
def test_every_outcome_runs(outcome):
    net = cm.make_cluster(n_actors=200, seed=4, initiative={"effect": 1.0})
    res = cm.initiative_effect(net, members={"member": True}, start=2021, outcome=outcome,
                               seed=1, resamples=50)  # fmt: skip
    assert np.isfinite(res.estimate)
    assert res.outcome == outcome
    assert res.placebo is not None
    assert res.placebo["start"] == 2018


def test_errors(tiny):
    with pytest.raises(ConfigError, match="`outcome` must be one of"):
        cm.initiative_effect(tiny, members=["m1"], start=2019, outcome="sales")
    with pytest.raises(ConfigError, match="`control` must be"):
        cm.initiative_effect(tiny, members=["m1"], start=2019, control="twins")
    with pytest.raises(ConfigError, match="from 2019 to 2019"):
        cm.initiative_effect(tiny, members=["m1"], start=2018)
    with pytest.raises(ConfigError, match="needs a `region`"):
        cm.initiative_effect(tiny, members=["m1"], start=2019, outcome="new_external_ties")
    with pytest.raises(InputError, match="every eligible actor"):
        cm.initiative_effect(tiny, members="firm", start=2019)
    with pytest.raises(InputError, match="not in the network"):
        cm.initiative_effect(tiny, members=["zz"], start=2019)
    with pytest.raises(ConfigError, match="`resamples`"):
        cm.initiative_effect(tiny, members=["m1"], start=2019, resamples=0)
    undated = cm.from_tables(
        {"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"},
        {"source": ["a"], "target": ["b"], "layer": "knowledge"},
    )
    with pytest.raises(ConfigError, match="needs a `year`"):
        cm.initiative_effect(undated, members=["a"], start=2019)
    blank = cm.from_tables(
        {"id": ["a", "b"], "name": ["A", "B"], "kind": "firm"},
        pd.DataFrame({"source": ["a"], "target": ["b"], "layer": "knowledge", "year": [None]}),
    )
    with pytest.raises(EmptyNetworkError, match="no dated link"):
        cm.initiative_effect(blank, members=["a"], start=2019)
    # matched on degree: m1 had a partner before, m2 none; c1 had one, c2 none -> matched;
    # a member alone in its cell with no non-member
    lone = cm.from_tables(
        {"id": ["m", "c"], "name": ["M", "C"], "kind": ["firm", "firm"], "region": ["X", "Y"]},
        {"source": ["m", "m"], "target": ["c", "c"], "layer": "knowledge", "year": [2018, 2019]},
    )
    with pytest.raises(InputError, match="no member has a comparable non-member"):
        cm.initiative_effect(lone, members=["m"], start=2019)
