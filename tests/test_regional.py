"""Regional indices against hand-worked 3 x 3 tables and EconGeo's documented examples.

The 3 x 3 table (regions A, B, C x industries x, y, z)::

    A  10 20 70 | 100
    B  30 30 40 | 100
    C  60 50 90 | 200

Worked by hand: Krugman A = |.1-.3| + |.2-.2667| + |.7-.4333| = 0.5333;
Herfindahl A = .01 + .04 + .49 = 0.54, B = 0.34, C = 0.355; entropy A =
-(.1 log2 .1 + .2 log2 .2 + .7 log2 .7) = 1.15678 bits; Hoover of x against
equal regions = (|.1-1/3| + |.3-1/3| + |.6-1/3|) / 2 = 0.2667, against total
employment (.25, .25, .5) = 0.15; locational Gini of x: regions by LQ (A 0.4,
B 1.2, C 1.2), curve (0,0) (.25,.1) (.5,.4) (1,1), area under 0.425, index
0.075; binary RCA A (0,0,1), B (1,1,0), C (1,1,0) (C's y is exactly 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError

M = pd.DataFrame([[10, 20, 70], [30, 30, 40], [60, 50, 90]], index=list("ABC"), columns=list("xyz"))

# EconGeo's documented example matrix (location_quotient, locational_gini help pages)
ECONGEO = pd.DataFrame(
    [
        [100, 0, 0, 0, 0],
        [0, 15, 5, 70, 10],
        [0, 20, 10, 20, 50],
        [0, 25, 30, 5, 40],
        [0, 40, 55, 5, 0],
    ],
    index=["R1", "R2", "R3", "R4", "R5"],
    columns=["I1", "I2", "I3", "I4", "I5"],
)


def _long(mat: pd.DataFrame) -> pd.DataFrame:
    out = mat.stack().rename("jobs").reset_index()
    out.columns = ["area", "code", "jobs"]
    return out


def test_rca_and_binary_rca_by_hand():
    assert cm.rca(M).loc["A"].tolist() == pytest.approx([0.4, 0.8, 1.4])
    assert cm.rca(M, binary=True).values.tolist() == [[0, 0, 1], [1, 1, 0], [1, 1, 0]]
    assert cm.diversity(M).tolist() == [1, 2, 2]
    assert cm.ubiquity(M).tolist() == [2, 2, 1]


def test_econgeo_documented_matrix():
    # every row and column sums to 100, so LQ = value / 20
    lq = cm.rca(ECONGEO)
    assert lq.loc["R1", "I1"] == pytest.approx(5.0)
    assert lq.loc["R2", "I4"] == pytest.approx(3.5)
    assert lq.loc["R5", "I3"] == pytest.approx(2.75)
    assert (cm.rca(ECONGEO, binary=True) == (ECONGEO >= 20).astype(int)).all().all()
    # locational Gini of I1 (all in R1, a fifth of the jobs): 0.5 - 0.1 = 0.4;
    # of I4 (0, 70, 20, 5, 5): 0.5 - 0.2 * 0.95 = 0.31
    gini = cm.locational_gini(ECONGEO)
    assert gini["I1"] == pytest.approx(0.4)
    assert gini["I4"] == pytest.approx(0.31)


def test_econgeo_hoover_vectors():
    # hoover_gini / hoover_index help: "30% of the population produces 50% of the output"
    ind = pd.DataFrame({"ind": [0, 10, 10, 30, 50]}, index=list("abcde"))
    pop = pd.Series([10, 15, 20, 25, 30], index=list("abcde"))
    assert cm.hoover_index(ind, reference=pop)["ind"] == pytest.approx(0.25)
    # without a reference, regions count equally: (.2+.1+.1+.1+.3)/2
    assert cm.hoover_index(ind)["ind"] == pytest.approx(0.4)


def test_specialisation_indices_by_hand():
    assert cm.krugman_index(M)["A"] == pytest.approx(0.2 + 0.2 / 3 + 0.8 / 3)
    assert cm.herfindahl_index(M).tolist() == pytest.approx([0.54, 0.34, 0.355])
    entropy = -(0.1 * np.log2(0.1) + 0.2 * np.log2(0.2) + 0.7 * np.log2(0.7))
    assert cm.shannon_entropy(M)["A"] == pytest.approx(entropy)
    assert cm.shannon_entropy(M, base=np.e)["A"] == pytest.approx(entropy * np.log(2))
    assert cm.hoover_index(M)["x"] == pytest.approx(0.8 / 3)
    assert cm.hoover_index(M, reference=M.sum(axis=1))["x"] == pytest.approx(0.15)
    assert cm.locational_gini(M)["x"] == pytest.approx(0.075)


def test_bounds():
    one = pd.DataFrame([[10, 0], [0, 10]], index=["A", "B"], columns=["x", "y"])
    assert cm.krugman_index(one).tolist() == [2.0, 2.0]
    assert cm.herfindahl_index(one).tolist() == [1.0, 1.0]
    assert cm.shannon_entropy(one).tolist() == [0.0, 0.0]
    same = pd.DataFrame([[5, 5], [10, 10]], index=["A", "B"], columns=["x", "y"])
    assert cm.krugman_index(same).tolist() == [0.0, 0.0]
    assert cm.locational_gini(same).tolist() == pytest.approx([0.0, 0.0])


def test_long_and_wide_tables_agree():
    kw = {"region": "area", "industry": "code", "value": "jobs"}
    pd.testing.assert_series_equal(
        cm.krugman_index(_long(M), **kw), cm.krugman_index(M), check_names=False, check_index=False
    )
    ri = cm.regional_indices(_long(M), **kw)
    assert ri.regions["herfindahl"].tolist() == pytest.approx([0.54, 0.34, 0.355])
    assert ri.industries["ubiquity"].tolist() == [2, 2, 1]
    assert ri.industries["hoover"]["x"] == pytest.approx(0.15)  # against total employment
    assert set(ri.to_sheets()) == {"regions", "industries"}
    assert ri.provenance["method"] == "regional_indices"


def test_bad_tables():
    with pytest.raises(InputError, match="neither a long table"):
        cm.herfindahl_index(pd.DataFrame({"a": ["x"], "b": [-1]}))
    with pytest.raises(ConfigError, match="`reference` has no value for region"):
        cm.hoover_index(M, reference=pd.Series([1.0], index=["A"]))
