"""linked_specialisation on a hand-made cluster whose counts are known.

Region R1: Auto actors a (firm), b, c (suppliers); IT actor d; institution u
(sector 72.19 -> Research). Region R2: Auto actor e.
Links: b->a, c->a (supply), a-b (knowledge), e->a (supply, from R2),
u-a, u-b (knowledge), d-b (knowledge).
R1/Auto: 3 actors, 3 links inside, density 2 pairs of 3 = 2/3 ... (a-b twice counts once),
links touching it from outside: e->a, u-a, u-b, d-b = 4, of which 3 in R1.
"""

from __future__ import annotations

import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError

MAPPING = {"29.10": "Auto", "29.32": "Auto", "62.01": "IT", "72.19": "Research"}


def _net() -> cm.ClusterNetwork:
    nodes = {
        "id": ["a", "b", "c", "d", "u", "e"],
        "name": list("ABCDUE"),
        "kind": ["firm", "supplier", "supplier", "firm", "institution", "supplier"],
        "sector": ["29.10", "29.32", "29.32", "62.01", "72.19", "29.32"],
        "region": ["R1", "R1", "R1", "R1", "R1", "R2"],
    }
    edges = {
        "source": ["b", "c", "a", "e", "u", "u", "d"],
        "target": ["a", "a", "b", "a", "a", "b", "b"],
        "layer": ["supply", "supply", "knowledge", "supply", "knowledge", "knowledge", "knowledge"],
    }
    return cm.from_tables(nodes, edges)


LQ = pd.DataFrame(
    {
        "region": ["R1", "R1", "R2", "R1"],
        "cluster": ["Auto", "IT", "Auto", "Research"],
        "lq": [2.0, 0.5, 3.0, 0.8],
        "strong": [True, False, True, False],
    }
)


def test_counts_by_hand():
    out = cm.linked_specialisation(_net(), LQ, mapping=MAPPING).set_index(["region", "cluster"])
    auto = out.loc[("R1", "Auto")]
    assert auto["actors"] == 3
    assert auto["firms"] == 1
    assert auto["suppliers"] == 2
    assert auto["links_inside"] == 3
    assert auto["supply_inside"] == 2
    assert auto["knowledge_inside"] == 1
    assert auto["links_outside"] == 4
    assert auto["density"] == pytest.approx(2 / 3)  # pairs a-b, a-c of 3 possible
    assert auto["links_per_actor"] == pytest.approx(1.0)
    assert auto["share_in_region"] == pytest.approx(6 / 7)  # e->a leaves the region
    assert auto["institutions_tied"] == 1
    assert auto["verdict"] == "specialised and linked"
    assert bool(auto["strong"])
    r2 = out.loc[("R2", "Auto")]
    assert r2["verdict"] == "specialised but weakly linked"  # one actor, no link inside
    assert r2["share_in_region"] == 0.0
    assert out.loc[("R1", "IT"), "verdict"] == "neither"
    assert out.attrs["rule"].startswith("specialised: LQ >= 1")


def test_thresholds_change_the_verdict():
    out = cm.linked_specialisation(_net(), LQ, mapping=MAPPING, min_lq=2.5, min_links_per_actor=0.5)
    v = out.set_index(["region", "cluster"])["verdict"]
    assert v[("R1", "Auto")] == "linked but not specialised"
    assert v[("R2", "Auto")] == "specialised but weakly linked"
    knowledge = cm.linked_specialisation(_net(), LQ, mapping=MAPPING, layers="knowledge")
    assert knowledge.set_index(["region", "cluster"]).loc[("R1", "Auto"), "links_inside"] == 1


def test_missing_lq_and_errors():
    out = cm.linked_specialisation(_net(), LQ[LQ["cluster"] != "Research"], mapping=MAPPING)
    row = out.set_index(["region", "cluster"]).loc[("R1", "Research")]
    assert row["verdict"].startswith("no LQ")
    with pytest.raises(InputError, match="no actor's sector matches the mapping"):
        cm.linked_specialisation(_net(), LQ, mapping={"00.00": "X"})
    with pytest.raises(ConfigError, match="`lq` lacks column"):
        cm.linked_specialisation(_net(), LQ.drop(columns="lq"), mapping=MAPPING)
    bare = cm.from_tables({"id": ["a"], "name": ["A"], "kind": ["firm"]}, None)
    with pytest.raises(InputError, match="needs a 'sector' column"):
        cm.linked_specialisation(bare, LQ, mapping=MAPPING)
