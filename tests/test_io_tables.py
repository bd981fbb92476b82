"""from_io_tables: a hand-worked Make/Use pair, totals recognised, real BEA tables.

Make (industry x commodity): I1 makes 80 of c1 and 20 of c2, I2 makes 100 of
c2; commodity outputs q = (80, 120), market shares D: I1 (1, 1/6), I2 (0, 5/6).
Use (commodity x industry): c1 -> I1 10, I2 30; c2 -> I1 12, I2 6.
Flows D @ U by hand: I1->I1 12, I1->I2 31, I2->I1 10, I2->I2 5.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    use = pd.DataFrame(
        {
            "I1": [10, 12, 22, 50],
            "I2": [30, 6, 36, 40],
            "T001": [40, 18, 58, 90],
            "F01000": [5, 100, 0, 0],
        },
        index=["c1", "c2", "T005", "V00100"],
    )
    make = pd.DataFrame(
        {"c1": [80, 0, 80], "c2": [20, 100, 120], "T008": [100, 100, 200]},
        index=["I1", "I2", "T007"],
    )
    return use, make


def test_market_shares_by_hand(caplog):
    use, make = _tables()
    with caplog.at_level(logging.INFO, logger="clustermap"):
        net = cm.from_io_tables(use, make, names={"I1": "Metals", "I2": "Machines"})
    assert "T005, V00100" in caplog.text
    assert "T001, F01000" in caplog.text
    e = net.edges.set_index(["source", "target"])
    assert e["weight"].to_dict() == pytest.approx({("I1", "I2"): 31.0, ("I2", "I1"): 10.0})
    assert e.loc[("I1", "I2"), "buyer_share"] == pytest.approx(31 / 36)
    assert e.loc[("I1", "I2"), "seller_share"] == pytest.approx(31 / 43)
    n = net.nodes
    assert n["own_use"].tolist() == pytest.approx([12.0, 5.0])
    assert n["inputs"].tolist() == pytest.approx([22.0, 36.0])
    assert n["name"].tolist() == ["Metals", "Machines"]
    assert set(n["kind"]) == {"industry"}
    assert net.is_directed("supply")
    # every intermediate purchase is kept: links + own use = the Use table's intermediate block
    assert e["weight"].sum() + n["own_use"].sum() == pytest.approx(58.0)


def test_thresholds_and_self_loops():
    use, make = _tables()
    strong = cm.from_io_tables(use, make, min_share=0.5)
    assert strong.edges[["source", "target"]].values.tolist() == [["I1", "I2"]]
    sellers = cm.from_io_tables(use, make, min_share=0.6, share_of="seller")  # 31/43, 10/15
    assert sellers.edges[["source", "target"]].values.tolist() == [["I1", "I2"], ["I2", "I1"]]
    loops = cm.from_io_tables(use, make, self_loops=True)
    assert loops.n_edges == 4
    with pytest.raises(ConfigError, match="`share_of` must be one of"):
        cm.from_io_tables(use, make, share_of="both")  # type: ignore[arg-type]


def test_without_make_commodities_are_industries_of_the_same_code():
    use = pd.DataFrame({"A": [0, 5, 9], "B": [4, 0, 9]}, index=["A", "B", "V00100"])
    net = cm.from_io_tables(use)
    assert net.edges[["source", "target", "weight"]].values.tolist() == [
        ["A", "B", 4.0],
        ["B", "A", 5.0],
    ]


def test_industry_networks_work_with_the_analyses():
    use, make = _tables()
    net = cm.from_io_tables(use, make)
    assert list(net.select(kinds="industry").nodes.index) == ["I1", "I2"]
    assert len(cm.centrality(net)) == 2


def test_bad_tables():
    use, make = _tables()
    bad = use.astype(object)
    bad.loc["c2", "I2"] = "n/a"
    with pytest.raises(InputError, match=r"row 'c2' column 'I2' is not a number \('n/a'\)"):
        cm.from_io_tables(bad, make)
    with pytest.raises(
        InputError, match=r"industries \['I2'\] buy in the use table but have no row"
    ):
        cm.from_io_tables(use, make.drop(index="I2"))


def test_real_bea_detail_tables(realdata):
    folder = realdata("bea_io_2017")
    use = folder / "Detail_Use_2017_PRO_BeforeRedef_17sch.csv"
    make = folder / "Detail_Make_2017_BeforeRedef_17sch.csv"
    net = cm.from_io_tables(use, make)
    assert net.n_nodes == 402
    u = pd.read_csv(use, index_col=0).iloc[:402, :402]
    v = pd.read_csv(make, index_col=0).iloc[:402, :402].reindex(columns=u.index)
    # the flows computed here with plain numpy, commodity by commodity
    q = v.sum(axis=0).to_numpy()
    shares = np.divide(v.to_numpy(), q, out=np.zeros(v.shape), where=q > 0)
    flows = shares @ u.to_numpy()
    off = ~np.eye(402, dtype=bool)
    assert net.edges["weight"].sum() == pytest.approx(flows[off & (flows > 0)].sum(), rel=1e-9)
    assert net.nodes["own_use"].sum() == pytest.approx(np.trace(flows), rel=1e-9)
    # commodities nobody makes (scrap, used goods) cannot be assigned; the rest is conserved
    assert flows.sum() == pytest.approx(u.loc[q > 0].to_numpy().sum(), rel=1e-9)
    e = net.edges.set_index(["source", "target"])
    # crude oil goes to refineries: the largest flow of the economy
    assert e["weight"].idxmax() == ("211000", "324110")
    assert np.isfinite(net.edges["buyer_share"]).all()
