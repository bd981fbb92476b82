"""Real cases for snapshots and comparison: EU CORDIS H2020 (Portugal) and Apple's supplier lists.

Figures checked here are those quoted in docs/change.md.
"""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import clustermap as cm

pytestmark = pytest.mark.realdata

_KINDS = {"PRC": "firm", "HES": "institution", "REC": "institution", "PUB": "institution",
          "OTH": "institution"}  # fmt: skip
_LEGAL = {"ltd", "limited", "corp", "corporation", "inc", "incorporated", "co", "company", "plc",
          "ag", "sa", "gmbh", "llc", "holding", "holdings", "the", "group", "kk", "bhd", "berhad",
          "nv", "se", "spa"}  # fmt: skip


@functools.cache
def _cordis_pt(folder: Path):
    raw = pd.read_csv(folder / "h2020.csv.gz", dtype={"pic": str, "rcn": str}, na_values=["NA"])
    part = raw[raw["country"] == "PT"].dropna(subset=["start_year"])
    part = part.assign(start_year=part["start_year"].astype(int))
    actors = part.groupby("pic", as_index=False)["type"].first().rename(columns={"pic": "id"})
    actors["name"] = actors["id"]

    def period(first, last):
        p = part[part["start_year"].between(first, last)]
        net = cm.from_participations(
            p, actor="pic", event="rcn", actors=actors[actors["id"].isin(p["pic"])],
            kind_column="type", kinds=_KINDS, max_event_size=60,
        )  # fmt: skip
        meta = {**net.meta, "period": f"{first}-{last}"}
        return cm.ClusterNetwork(net.nodes, net.edges, directed=net.directed, meta=meta)

    before, after = period(2014, 2016), period(2018, 2020)
    return before, after, actors.set_index("id")["type"]


@functools.cache
def _cordis_comparison(folder: Path):
    before, after, _ = _cordis_pt(folder)
    return cm.compare_networks(before, after, seed=1)


@pytest.fixture
def cordis_pt(realdata):
    return _cordis_pt(realdata("cordis_h2020"))


@pytest.fixture
def cordis_comparison(realdata):
    return _cordis_comparison(realdata("cordis_h2020"))


def test_cordis_portugal_entrants_and_leavers(cordis_comparison):
    counts = cordis_comparison.actor_counts
    assert counts.loc["all"].tolist() == [392, 501, 307, 198, 194]
    assert counts.loc["firm", ["entered", "left", "stayed"]].tolist() == [214, 141, 84]
    assert counts.loc["institution", ["entered", "left", "stayed"]].tolist() == [93, 57, 110]


def test_cordis_portugal_ties_formed_by_kind_pair(cordis_comparison, cordis_pt):
    counts = cordis_comparison.tie_counts.loc["knowledge"]
    assert counts.loc["firm-institution", ["before", "after", "formed"]].tolist() == [235, 370, 336]
    assert counts.loc["firm-firm", "formed"] == 161
    # by organisation type: firms with research organisations and with universities
    types = cordis_pt[2]
    formed = cordis_comparison.ties[cordis_comparison.ties["change"] == "formed"]
    pairs = pd.Series(
        ["-".join(sorted(p)) for p in zip(types.reindex(formed["source"]),
                                          types.reindex(formed["target"]), strict=True)]
    ).value_counts()  # fmt: skip
    assert pairs["PRC-REC"] == 144
    assert pairs["HES-PRC"] == 86


def test_cordis_portugal_indicator_differences_have_intervals(cordis_comparison):
    ind = cordis_comparison.indicators
    assert ind.loc["mean_degree", ["before", "after"]].round(3).tolist() == [2.872, 3.501]
    for name in ("density", "mean_degree", "clustering", "firm_institution_share"):
        row = ind.loc[name]
        assert row["ci_low"] <= row["difference"] <= row["ci_high"], name
    # more firms, more ties; the share of firm-institution ties barely moved
    assert ind.loc["ties", "ci_low"] > 0
    assert (
        ind.loc["firm_institution_share", "ci_low"]
        < 0
        < ind.loc["firm_institution_share", "ci_high"]
    )
    assert cordis_comparison.provenance["seed"] == 1


def _supplier_key(name: str) -> str:
    tokens = re.sub(r"[^0-9a-z]+", " ", name.casefold()).split()
    return " ".join(t for t in tokens if t not in _LEGAL) or name.casefold()


@pytest.fixture
def apple(realdata):
    return _apple(realdata("apple_suppliers_2012_2022"))


@functools.cache
def _apple(folder: Path):
    raw = pd.read_csv(folder / "apple-supplier-list.csv")
    raw = raw.assign(key=raw["supplier_name"].map(_supplier_key))
    main = raw.groupby("key")["country"].agg(lambda s: s.value_counts().index[0])
    names = raw.groupby("key")["supplier_name"].first()
    nodes = pd.concat(
        [
            pd.DataFrame({"id": ["APPLE"], "name": ["Apple"], "kind": ["firm"], "region": ["USA"]}),
            pd.DataFrame({"id": main.index, "name": names.reindex(main.index).to_numpy(),
                          "kind": "supplier", "region": main.to_numpy()}),
        ]
    )  # fmt: skip
    links = raw.drop_duplicates(["key", "year"])[["key", "year"]]
    links = links.rename(columns={"key": "source"}).assign(target="APPLE", layer="supply")
    return cm.from_tables(nodes, links), raw


def test_apple_suppliers_entering_and_leaving_by_year(apple):
    net, _ = apple
    snaps = net.snapshots()
    assert snaps["2019"].n_nodes == 0  # Apple published no list for 2019
    lists = {k: v for k, v in snaps.items() if v.n_edges}
    labels = list(lists)
    churn = {}
    for a, b in itertools.pairwise(labels):
        cmp = cm.compare_networks(lists[a], lists[b], groups=False, bootstrap=0, null_models=0)
        status = cmp.actors.loc[cmp.actors["kind"] == "supplier", "status"].value_counts()
        churn[f"{a}-{b}"] = (status["entered"], status["left"], status["stayed"])
    assert churn["2012-2013"] == (48, 48, 152)
    assert churn["2018-2020"] == (56, 57, 141)
    assert churn["2021-2022"] == (21, 24, 167)
    whole = cm.compare_networks(lists["2012"], lists["2022"], groups=False, bootstrap=0,
                                null_models=0)  # fmt: skip
    assert whole.actor_counts.loc["supplier", ["entered", "left", "stayed"]].tolist() == [
        118,
        130,
        70,
    ]


def test_apple_geography_of_facilities_shifts(apple):
    _, raw = apple
    share = pd.crosstab(raw["year"], raw["country"], normalize="index") * 100
    china = share["China"].round(1)
    assert china[2012] == 41.5
    assert china[2018] == 47.0
    assert china[2022] == 38.9
    assert share.loc[2022, "Vietnam"] > 3 * share.loc[2012, "Vietnam"]
    assert share.loc[2012, "India"] == 0
    assert share.loc[2022, "India"] > 1.5
    assert np.isclose(share.sum(axis=1), 100).all()
