"""Location quotients and cluster strength: hand-worked tables, identities, bad inputs, real CBP.

The 3 x 3 table used throughout (employment)::

            x    y    z   total
    A      10   20   70    100
    B      30   30   40    100
    C      60   50   90    200
    nation 100  100  200   400

All-employment LQs, worked by hand: A (0.4, 0.8, 1.4), B (1.2, 1.2, 0.8),
C (1.2, 1.0, 0.9). With x -> X and y -> Y traded and z -> Z local, the traded
base is A 30, B 60, C 110 (nation 200): LQ_X = (0.667, 1.0, 1.0909),
LQ_Y = (1.333, 1.0, 0.9091).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError

E = {"A": [10, 20, 70], "B": [30, 30, 40], "C": [60, 50, 90]}


def _long() -> pd.DataFrame:
    rows = [(r, i, v) for r, vals in E.items() for i, v in zip("xyz", vals, strict=True)]
    return pd.DataFrame(rows, columns=["region", "industry", "employment"])


MAPPING = pd.DataFrame(
    {
        "industry": ["x", "y", "z"],
        "cluster": ["X", "Y", "Z"],
        "traded": ["Traded", "Traded", "Local"],
    }
)


def _lq(table: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(r, c): v for r, c, v in table[["region", "cluster", "lq"]].itertuples(index=False)}


def test_all_employment_lq_by_hand():
    lq = _lq(cm.location_quotients(_long()))
    expected = {
        ("A", "x"): 0.4, ("A", "y"): 0.8, ("A", "z"): 1.4,
        ("B", "x"): 1.2, ("B", "y"): 1.2, ("B", "z"): 0.8,
        ("C", "x"): 1.2, ("C", "y"): 1.0, ("C", "z"): 0.9,
    }  # fmt: skip
    assert lq == pytest.approx(expected)


def test_traded_denominator_by_hand():
    out = cm.location_quotients(_long(), mapping=MAPPING)
    assert out.attrs["parameters"]["denominator"] == "traded"
    assert set(out["cluster"]) == {"X", "Y"}  # local clusters get no traded LQ
    assert _lq(out) == pytest.approx(
        {
            ("A", "X"): 10 / 30 / 0.5, ("A", "Y"): 20 / 30 / 0.5,
            ("B", "X"): 1.0, ("B", "Y"): 1.0,
            ("C", "X"): 60 / 110 / 0.5, ("C", "Y"): 50 / 110 / 0.5,
        }
    )  # fmt: skip
    every = cm.location_quotients(_long(), mapping=MAPPING, denominator="all")
    assert _lq(every)[("A", "Z")] == pytest.approx(1.4)


@pytest.mark.parametrize("denominator", ["traded", "all"])
def test_identities_national_lq_is_one_and_shares_sum_to_one(denominator):
    rng = np.random.default_rng(5)
    codes = [f"{i:02d}" for i in range(12)]
    table = pd.DataFrame(
        [(f"R{r}", c, float(rng.integers(0, 500))) for r in range(9) for c in codes],
        columns=["region", "industry", "employment"],
    )
    mapping = pd.DataFrame(
        {"industry": codes, "cluster": [f"K{i % 5}" for i in range(12)],
         "traded": ["Traded" if i % 5 < 3 else "Local" for i in range(12)]}
    )  # fmt: skip
    out = cm.location_quotients(table, mapping=mapping, denominator=denominator)
    base = out.groupby("region")["employment"].sum()
    # the nation's LQ: the employment-weighted mean of regional LQs is exactly 1
    weights = out["region"].map(base) / base.sum()
    national_lq = (out["lq"] * weights).groupby(out["cluster"]).sum()
    assert np.allclose(national_lq, 1.0)
    assert np.allclose(out.groupby("region")["regional_share"].sum(), 1.0)
    assert out.groupby("cluster")["national_share"].first().sum() == pytest.approx(1.0)


def test_codes_stay_text_levels_are_chosen_and_totals_left_out(tmp_path):
    path = tmp_path / "cbp.csv"
    path.write_text(
        "area,code,level,jobs\n"
        "01,00,2,100\n01,31,2,60\n01,0311,4,60\n01,0312,4,0\n01,54,2,40\n01,0541,4,40\n"
        "02,00,2,50\n02,31,2,10\n02,0311,4,10\n02,54,2,40\n02,0541,4,40\n",
        encoding="utf-8",
    )
    table = cm.read_table(path)
    with pytest.raises(InputError, match=r"cbp\.csv: column 'code' mixes code levels \(2, 4"):
        cm.location_quotients(table, region="area", industry="code", value="jobs")
    out = cm.location_quotients(table, region="area", industry="code", value="jobs", level=4)
    assert set(out["cluster"]) == {"0311", "0312", "0541"}  # leading zeros kept
    assert out["employment"].sum() == 150  # no double counting, no '00' totals
    assert out.loc[out["cluster"] == "0312", "zero"].tolist() == [True]
    two = cm.location_quotients(table, region="area", industry="code", value="jobs", level=2)
    assert set(two["cluster"]) == {"31", "54"}


def _csv(tmp_path, name: str, text: str) -> pd.DataFrame:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return cm.read_table(path)


def test_duplicate_rows_name_file_rows_and_columns(tmp_path):
    t = _csv(tmp_path, "jobs.csv", "region,industry,employment\nA,x,1\nA,y,2\nA,x,3\n")
    with pytest.raises(
        InputError, match=r"jobs\.csv: 1 problem.*rows 2, 4 repeat region 'A' and industry 'x'"
    ):
        cm.location_quotients(t)


def test_negative_and_non_numbers_are_reported_together(tmp_path):
    t = _csv(tmp_path, "jobs.csv", "region,industry,employment\nA,x,1\nA,y,-2\nB,x,lots\nB,y,\n")
    with pytest.raises(InputError, match=r"jobs\.csv: 2 problem") as info:
        cm.location_quotients(t)
    text = str(info.value)
    assert "row 3 column 'employment' must be a number >= 0 (found '-2')" in text
    assert "row 4 column 'employment' must be a number >= 0 (found 'lots')" in text
    # an empty cell is a suppressed cell, not an error
    ok = _csv(tmp_path, "ok.csv", "region,industry,employment\nA,x,1\nA,y,2\nB,x,3\nB,y,\n")
    assert len(cm.location_quotients(ok)) == 3


def test_codes_matching_no_mapping_row(tmp_path):
    t = _csv(tmp_path, "jobs.csv", "region,industry,employment\nA,x,1\nA,q,2\nB,x,3\n")
    m = _csv(tmp_path, "map.csv", "industry,cluster\nx,X\n")
    with pytest.raises(
        InputError, match=r"jobs\.csv: 1 problem.*row 3 code 'q' matches no row of map\.csv"
    ):
        cm.location_quotients(t, mapping=m)
    out = cm.location_quotients(t, mapping=m, unmapped="other")
    # q counts in A's all-industry base: A's X share is 1/3
    assert out.set_index("region").loc["A", "regional_share"] == pytest.approx(1 / 3)


def test_a_code_in_two_clusters(tmp_path):
    t = _csv(tmp_path, "jobs.csv", "region,industry,employment\nA,x,1\n")
    m = _csv(tmp_path, "map.csv", "NAICS,Cluster,TradedLocal\nx,X,Traded\nx,Y,Traded\nz,Z,Local\n")
    with pytest.raises(
        InputError,
        match=r"map\.csv: 1 problem.*code 'x' is in 2 clusters .* on rows 2, 3 \(column 'NAICS'\)",
    ):
        cm.location_quotients(t, mapping=m)


def test_bad_traded_flag_and_options():
    m = MAPPING.assign(traded=["Traded", "maybe", "Local"])
    with pytest.raises(
        InputError, match=r"row 3 column 'traded' must be Traded or Local, not 'maybe'"
    ):
        cm.location_quotients(_long(), mapping=m)
    with pytest.raises(ConfigError, match="needs a mapping with a traded/local flag"):
        cm.location_quotients(_long(), denominator="traded")
    with pytest.raises(ConfigError, match="`denominator` must be one of"):
        cm.location_quotients(_long(), denominator="most")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"no column for value='jobs'"):
        cm.location_quotients(_long(), value="jobs")


def test_strength_rule_by_hand_and_related_clusters():
    lq = cm.location_quotients(_long(), mapping=MAPPING)
    links = pd.DataFrame({"Core Cluster": ["X"], "Linked Cluster": ["Y"], "Strength": ["strong"]})
    s = cm.cluster_strength(lq, links=links).set_index(["region", "cluster"])
    # X: LQ 75th pct of (0.667, 1, 1.0909) = 1.04545, employment 25th pct of (10, 30, 60) = 20
    assert s.loc[("C", "X"), "lq_threshold"] == pytest.approx(1 + 0.5 * (60 / 110 / 0.5 - 1))
    assert s.loc[("C", "X"), "employment_threshold"] == pytest.approx(20.0)
    # Y: A has the top LQ (1.333) but 20 jobs, not above the 25th pct (25)
    assert s["strong"][s["strong"]].index.tolist() == [("C", "X")]
    assert s.loc[("C", "Y"), "related_strong"] == 1
    assert s.loc[("C", "Y"), "related_strength"] == 1.0
    assert s.loc[("A", "Y"), "related_strong"] == 0
    assert s.loc[("C", "X"), "related_clusters"] == 1
    assert "establishments criterion was not applied" not in s.attrs["rule"]
    assert "no establishments column" in s.attrs["rule"]


def test_strength_uses_establishments_and_thresholds_are_options():
    t = _long().assign(establishments=[1, 1, 1, 5, 5, 5, 9, 1, 9])
    lq = cm.location_quotients(t, establishments="establishments", mapping=MAPPING)
    s = cm.cluster_strength(lq)
    assert "establishments > 25th percentile" in s.attrs["rule"]
    assert s.loc[s["strong"], ["region", "cluster"]].values.tolist() == [["C", "X"]]
    loose = cm.cluster_strength(lq, lq_percentile=0, size_percentile=0, establishments_percentile=0)
    # LQ >= 1 with more jobs and establishments than the smallest region (A's Y has 20 jobs,
    # the fewest; C's Y has LQ 0.91)
    assert loose.loc[loose["strong"], ["region", "cluster"]].values.tolist() == [
        ["B", "X"], ["B", "Y"], ["C", "X"]
    ]  # fmt: skip
    with pytest.raises(ConfigError, match="`lq_percentile` must be between 0 and 100"):
        cm.cluster_strength(lq, lq_percentile=120)


def test_provenance_is_recorded():
    lq = cm.location_quotients(_long(), mapping=MAPPING)
    assert lq.attrs["method"] == "location_quotients"
    assert lq.attrs["parameters"]["denominator"] == "traded"
    s = cm.cluster_strength(lq)
    assert s.attrs["method"] == "cluster_strength"
    assert s.attrs["location_quotients"]["parameters"]["denominator"] == "traded"


# ----------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def cbp_strength():
    from tests.conftest import REALDATA

    folder = REALDATA / "cbp2019_metro_employment"
    defs = REALDATA / "us_cluster_definitions"
    if not folder.is_dir() or not defs.is_dir():
        pytest.skip(f"real data {folder} is absent")
    table = cm.read_table(folder / "cbp2019_cbsa_naics_emp.csv.gz")
    mapping = cm.read_table(defs / "naics2012_to_cluster.csv")
    links = cm.read_table(defs / "cluster_linkages.csv")
    out = {}
    for den in ("traded", "all"):
        lq = cm.location_quotients(
            table, region="cbsa_code", industry="naics_code", value="EMP",
            establishments="ESTAB", mapping=mapping, level=6, denominator=den,
        )  # fmt: skip
        out[den] = cm.cluster_strength(lq, links=links)
    return table, out


@pytest.mark.parametrize(
    ("cbsa", "cluster", "traded_lq", "all_lq"),
    [
        ("19820", "Automotive", 11.01, 13.15),  # Detroit-Warren-Dearborn
        ("42660", "Aerospace Vehicles and Defense", 8.67, 10.94),  # Seattle-Tacoma-Bellevue
        ("41940", "Information Technology and Analytical Instruments", 5.24, 8.50),  # San Jose
    ],
)
def test_real_cbp_known_clusters_are_strong(cbp_strength, cbsa, cluster, traded_lq, all_lq):
    _, out = cbp_strength
    for den, value in (("traded", traded_lq), ("all", all_lq)):
        s = out[den]
        row = s[(s["region"] == cbsa) & (s["cluster"] == cluster)].iloc[0]
        assert row["lq"] == pytest.approx(value, abs=0.01)
        assert bool(row["strong"])


def test_real_cbp_never_double_counts(cbp_strength):
    table, out = cbp_strength
    six = table[table["naics_level"] == "6"]
    jobs = pd.to_numeric(six["EMP"])
    s = out["all"]
    # 6-digit jobs of the codes in a cluster (814110 private households has none)
    assert s["employment"].sum() == jobs[six["naics_code"] != "814110"].sum()
    assert s["region"].nunique() == 933
    # 67 of the 70 clusters (51 traded, 19 local) have CBP jobs: CBP leaves out government,
    # farms and private households
    assert s["cluster"].nunique() == 67
    t = out["traded"]
    assert t["cluster"].nunique() == 51
    assert np.allclose(t.groupby("region")["regional_share"].sum(), 1.0)


def test_at_the_percentile_counts_as_strong():
    # five regions of 100 jobs with 10..50 in x: LQs 1/3..5/3; the 75th percentile is R4's LQ
    x = [10, 20, 30, 40, 50]
    rows = [(f"R{i + 1}", "x", v) for i, v in enumerate(x)]
    rows += [(f"R{i + 1}", "y", 100 - v) for i, v in enumerate(x)]
    table = pd.DataFrame(rows, columns=["region", "industry", "employment"])
    s = cm.cluster_strength(cm.location_quotients(table))
    strong = s.loc[s["strong"] & (s["cluster"] == "x"), "region"].tolist()
    assert strong == ["R4", "R5"]


def test_rows_named_are_the_files_rows_after_filtering(tmp_path):
    t = _csv(
        tmp_path,
        "years.csv",
        "year,region,industry,employment\n2023,A,x,1\n2023,A,y,2\n2024,A,x,3\n2024,A,y,-4\n",
    )
    one = t[t["year"] == "2024"]
    with pytest.raises(InputError, match=r"years\.csv: 1 problem.*row 5 column 'employment'"):
        cm.location_quotients(one)
