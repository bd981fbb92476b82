"""The demo country's employment table: it matches the generator and the demo cluster."""

from __future__ import annotations

import pandas as pd

import clustermap as cm
from clustermap.demo import DEMO_ACTORS, DEMO_SEED
from clustermap.loaders.employment_generator import DEMO_CLUSTERS, make_employment
from tests.conftest import ROOT

DEMO = ROOT / "data" / "demo"


def test_demo_employment_files_match_the_generator():
    tables = make_employment(DEMO_SEED, n_actors=DEMO_ACTORS)
    for table, name in zip(tables, ("employment", "clusters", "cluster_links"), strict=True):
        read = pd.read_csv(DEMO / f"{name}.csv", dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(read, table.astype(str).reset_index(drop=True))


def test_every_cell_holds_the_demo_actors_jobs():
    employment, mapping, _ = make_employment(DEMO_SEED, n_actors=DEMO_ACTORS)
    nodes = cm.read_tables(DEMO / "nodes.csv", DEMO / "links.csv").nodes
    held = nodes.groupby(["region", "sector"])["employees"].sum()
    cells = employment.set_index(["region", "industry"])["employment"]
    assert (cells.reindex(held.index) >= held).all()
    assert set(nodes["sector"]) <= set(mapping["industry"]) == set(DEMO_CLUSTERS)


def test_home_regions_are_strong_in_automotive():
    employment, mapping, links = make_employment(DEMO_SEED, n_actors=DEMO_ACTORS)
    s = cm.cluster_strength(
        cm.location_quotients(employment, establishments="establishments", mapping=mapping),
        links=links,
    )
    auto = s[(s["cluster"] == "Automotive") & s["strong"]]
    assert {"XA11", "XA12", "XA13"} <= set(auto["region"])
    assert not employment.duplicated(["region", "industry"]).any()
    assert (employment["employment"] == 0).any()  # zero rows are there, as in real tables


def test_readme_explains_every_column():
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    for name in ("employment", "clusters", "cluster_links"):
        columns = pd.read_csv(DEMO / f"{name}.csv", nrows=1).columns
        assert all(f"`{c}`" in text for c in columns), name
