"""Shared fixtures: tiny hand-made clusters whose right answers are known by hand.

Helpers for real data: ``realdata(name)`` returns the folder
``../shared/realdata/<name>`` or skips the test, saying why, when it is absent.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import clustermap as cm

ROOT = Path(__file__).resolve().parent.parent
REALDATA = Path(os.environ.get("CLUSTERMAP_REALDATA", ROOT.parent / "shared" / "realdata"))


@pytest.fixture(autouse=True)
def _restore_clustermap_logger():
    """The command line configures the ``clustermap`` logger; undo that after each test."""
    logger = logging.getLogger("clustermap")
    handlers, level = logger.handlers[:], logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.fixture
def realdata():
    """Return a function giving a real-data folder, or skipping when it is absent."""

    def get(name: str) -> Path:
        folder = REALDATA / name
        if not folder.is_dir():
            pytest.skip(f"real data folder {folder} is absent (it lives in ../shared/realdata)")
        return folder

    return get


@pytest.fixture
def chromium_path():
    """Debian's chromium, or a skip (a failure under CI=true, where it must exist)."""
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed, and CI=true requires the browser tests to run")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


def supply_chain_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small car-parts cluster, drawn here so answers can be worked out by hand.

    Supply (directed, supplier -> buyer)::

        T2a -> T1a -> OEM <- T1b <- T2b
               T2c -> T1b
        T2c also -> T1a   (value 10, weight 1)

    Knowledge (undirected): UNI - T1a, UNI - T1b, UNI - RC, RC - OEM, T1a - T1b (weight 2).
    ``ISO`` is an isolated training body.
    """
    nodes = pd.DataFrame(
        {
            "id": ["OEM", "T1a", "T1b", "T2a", "T2b", "T2c", "UNI", "RC", "ISO"],
            "name": [
                "Midland Motors",
                "Axle Works",
                "Brake Systems",
                "Castings Ltd",
                "Bolt & Nut",
                "Coatings Co",
                "University of Midland",
                "Automotive Research Centre",
                "Skills Academy",
            ],
            "kind": [
                "firm",
                "supplier",
                "supplier",
                "supplier",
                "supplier",
                "supplier",
                "institution",
                "institution",
                "institution",
            ],
            "category": [
                "OEM",
                "tier 1",
                "tier 1",
                "tier 2",
                "tier 2",
                "tier 2",
                "university",
                "research centre",
                "training body",
            ],
            "sector": ["C29", "C29", "C29", "C24", "C25", "C25", "P85", "M72", "P85"],
            "region": ["UKG", "UKG", "UKG", "UKG", "UKF", "UKG", "UKG", "UKG", "UKF"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["T1a", "T1b", "T2a", "T2b", "T2c", "T2c", "UNI", "UNI", "UNI", "RC", "T1a"],
            "target": ["OEM", "OEM", "T1a", "T1b", "T1b", "T1a", "T1a", "T1b", "RC", "OEM", "T1b"],
            "layer": ["supply"] * 6 + ["knowledge"] * 5,
            "weight": [3.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0],
            "value": [300.0, 200.0, 50.0, 40.0, 60.0, 10.0, None, None, None, None, None],
            "year": [2020, 2020, 2021, 2021, 2022, 2022, 2019, 2020, 2021, 2022, 2023],
        }
    )
    return nodes, edges


@pytest.fixture
def supply_chain() -> cm.ClusterNetwork:
    """The car-parts cluster of :func:`supply_chain_tables` as a network."""
    nodes, edges = supply_chain_tables()
    return cm.from_tables(nodes, edges)


@pytest.fixture
def two_triangles() -> cm.ClusterNetwork:
    """Two knowledge triangles a-b-c and d-e-f joined by the single tie c-d."""
    ids = list("abcdef")
    nodes = pd.DataFrame({"id": ids, "name": [x.upper() for x in ids], "kind": "firm"})
    pairs = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
    edges = pd.DataFrame(pairs, columns=["source", "target"]).assign(layer="knowledge")
    return cm.from_tables(nodes, edges)


@pytest.fixture
def four_actors_two_years() -> cm.ClusterNetwork:
    """Four actors across two years, for change over time (answers worked out by hand).

    2019: firms F1, F2 (region R1) and supplier S (R2) form a triangle:
    F1 - F2 knowledge (weight 1), S -> F1 supply (2), S -> F2 supply (1).
    2020: S is gone and institution U (R1) has come: F1 - F2 knowledge
    (weight 3, kept), F1 - U and F2 - U knowledge (formed). Column ``team``:
    F1, F2 in "A"; S, U in "B".
    """
    nodes = pd.DataFrame(
        {
            "id": ["F1", "F2", "S", "U"],
            "name": ["Firm one", "Firm two", "Supplier", "University"],
            "kind": ["firm", "firm", "supplier", "institution"],
            "region": ["R1", "R1", "R2", "R1"],
            "team": ["A", "A", "B", "B"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["F1", "S", "S", "F1", "F1", "F2"],
            "target": ["F2", "F1", "F2", "F2", "U", "U"],
            "layer": ["knowledge", "supply", "supply", "knowledge", "knowledge", "knowledge"],
            "weight": [1.0, 2.0, 1.0, 3.0, 1.0, 1.0],
            "year": [2019, 2019, 2019, 2020, 2020, 2020],
        }
    )
    return cm.from_tables(nodes, edges)
