"""Relatedness and complexity: hand-worked matrices and an independent method of reflections.

With the 3 x 3 table of test_regional, the binary RCA matrix is A (0,0,1),
B (1,1,0), C (1,1,0): x and y are both specialisations of B and C, z of A
only. By hand: proximity(x, y) = 2 / max(2, 2) = 1, every pair with z 0;
co-occurrence C(x, y) = 2, s = (2, 2, 0), T = 4, association strength(x, y)
= 2 * 4 / (2 * 2) = 2; relatedness density of A in x = 0 (A is not
specialised in y, x's only relative), of B in x = 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import InputError

M = pd.DataFrame([[10, 20, 70], [30, 30, 40], [60, 50, 90]], index=list("ABC"), columns=list("xyz"))


def test_proximity_by_hand():
    phi = cm.proximity(M)
    assert phi.values.tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]


def test_association_strength_by_hand():
    a = cm.association_strength(M)
    assert a.loc["x", "y"] == pytest.approx(2.0)
    assert a.loc["x", "z"] == 0.0
    assert (a.values == a.values.T).all()


def test_relatedness_density_by_hand():
    d = cm.relatedness_density(M)
    assert d.loc["A", "x"] == 0.0
    assert d.loc["B", "x"] == 1.0
    assert d.loc["C", "y"] == 1.0
    assert d["z"].tolist() == [0.0, 0.0, 0.0]  # z has no relatives
    # a user's relatedness matrix: the share of x's related weight held by the region
    phi = pd.DataFrame([[0, 1, 3], [1, 0, 0], [3, 0, 0]], index=list("xyz"), columns=list("xyz"))
    assert cm.relatedness_density(M, relatedness=phi).loc["A", "x"] == pytest.approx(0.75)
    with pytest.raises(InputError, match="`relatedness` has no row for industries"):
        cm.relatedness_density(M, relatedness=phi.loc[["x"], ["x"]])


def _reflections(m: np.ndarray, steps: int) -> np.ndarray:
    """Hidalgo & Hausmann's (2009) method of reflections, written independently."""
    kc, kp = m.sum(axis=1), m.sum(axis=0)
    c, p = kc.astype(float), kp.astype(float)
    for _ in range(steps):
        c, p = (m @ p) / kc, (m.T @ c) / kp
    return c


def test_eci_matches_the_method_of_reflections():
    rng = np.random.default_rng(3)
    # a nested-ish random matrix: diverse regions hold the rare industries
    ability = rng.random(30)
    difficulty = rng.random(20)
    m = (ability[:, None] + 0.35 * rng.random((30, 20)) > difficulty[None, :] * 1.1).astype(int)
    table = pd.DataFrame(
        m, index=[f"r{i:02d}" for i in range(30)], columns=[f"i{j:02d}" for j in range(20)]
    )
    cx = cm.economic_complexity(table, threshold=1e-9)  # presence: M itself
    kept = table.loc[cx.regions.index, cx.industries.index].to_numpy()
    refl = _reflections(kept, 40)  # an even number of half-steps on each side
    corr = np.corrcoef(cx.regions["eci"], refl)[0, 1]
    assert abs(corr) > 0.99
    assert cx.regions["eci"].mean() == pytest.approx(0.0, abs=1e-9)
    assert cx.regions["eci"].std(ddof=0) == pytest.approx(1.0)
    # sign conventions (py-ecomplexity): ECI rises with diversity, PCI falls with ubiquity
    assert np.corrcoef(cx.regions["eci"], cx.regions["diversity"])[0, 1] > 0
    assert np.corrcoef(cx.industries["pci"], cx.industries["ubiquity"])[0, 1] < 0


def test_complexity_needs_two_regions():
    with pytest.raises(InputError, match="at least two regions and two industries"):
        cm.economic_complexity(pd.DataFrame([[1, 1]], index=["A"], columns=["x", "y"]))
    cx = cm.economic_complexity(M)
    assert set(cx.to_sheets()) == {"eci", "pci"}
