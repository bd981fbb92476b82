"""Tests for from_roster (roster surveys) and the survey lines of summary()."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, EmptyNetworkError, InputError

ROSTER = pd.DataFrame(
    {
        "id": ["A", "B", "C", "D", "E"],
        "name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"],
        "kind": ["firm", "firm", "firm", "supplier", "institution"],
    }
)


@pytest.fixture
def answers() -> pd.DataFrame:
    """A names B (3) and C (1); B names A (2) and D (2); C names nobody; D, E silent."""
    return pd.DataFrame(
        {
            "firm": ["A", "A", "B", "B", "C"],
            "named": ["B", "C", "A", "D", None],
            "advice": [3, 1, 2, 2, None],
        }
    )


def read(answers, **options):
    return cm.from_roster(
        answers, respondent="firm", partner="named", value="advice", roster=ROSTER, **options
    )


def arcs(net):
    e = net.edges
    return sorted(zip(e["source"], e["target"], e["weight"], strict=True))


def test_as_reported(answers):
    net = read(answers)
    assert net.is_directed("knowledge")
    assert arcs(net) == [("A", "B", 3.0), ("A", "C", 1.0), ("B", "A", 2.0), ("B", "D", 2.0)]
    assert net.nodes["responded"].tolist() == [True, True, True, False, False]
    assert net.nodes.loc["E", "kind"] == "institution"
    meta = net.meta
    assert meta["response_rate"] == 0.6
    # arcs between respondents: A->B, A->C, B->A; two of three have their reverse
    assert meta["reciprocity"] == pytest.approx(2 / 3)
    assert meta["imputation"] is None


@pytest.mark.parametrize(
    ("how", "expected", "unconfirmed"),
    [
        ("max", [("A", "B", 3.0), ("A", "C", 1.0), ("B", "D", 2.0)], 0),
        ("min", [("A", "B", 2.0)], 1),  # B-D cannot be confirmed: D did not answer
        ("reciprocated", [("A", "B", 2.5)], 1),
    ],
)
def test_symmetrise(answers, how, expected, unconfirmed, caplog):
    with caplog.at_level(logging.WARNING, logger="clustermap"):
        net = read(answers, symmetrise=how)
    assert not net.is_directed("knowledge")
    assert arcs(net) == expected
    assert net.meta["unconfirmed_ties_dropped"] == unconfirmed
    assert ("nobody could confirm" in caplog.text) == bool(unconfirmed)


def test_impute_from_partners(answers):
    net = read(answers, nonresponse="impute-from-partners")
    e = net.edges.set_index(["source", "target"])
    assert e.loc[("D", "B"), "weight"] == 2.0
    assert bool(e.loc[("D", "B"), "imputed"])
    assert int(e["imputed"].sum()) == 1
    imputation = net.meta["imputation"]
    assert imputation["arcs_imputed"] == 1
    assert imputation["non_respondents_imputed"] == 1
    assert "Huisman" in imputation["method"]
    both = read(answers, nonresponse="impute-from-partners", symmetrise="min")
    assert arcs(both) == [("A", "B", 2.0), ("B", "D", 2.0)]


def test_summary_of_a_survey(answers):
    s = read(answers).summary()
    assert s["respondents"] == 3
    assert s["non_respondents"] == 2
    assert s["response_rate"] == 0.6
    assert s["reciprocity"] == pytest.approx(2 / 3)
    hidden = read(answers).summary(min_count=5)
    assert hidden["actors"] == 5
    assert hidden["links"] == "<5"
    assert hidden["respondents"] == "<5"
    assert hidden["actors[supplier]"] == "<5"
    assert hidden["actors[firm]"] == "<5"
    assert hidden.attrs["suppression"]["min_count"] == 5
    assert "response_rate" not in cm.make_cluster(n_actors=30, seed=1).summary()


def test_without_roster_or_values(answers):
    net = cm.from_roster(answers.drop(columns="advice"), respondent="firm", partner="named")
    assert arcs(net) == [("A", "B", 1.0), ("A", "C", 1.0), ("B", "A", 1.0), ("B", "D", 1.0)]
    assert net.meta["response_rate"] == 0.75  # A, B, C answered; D was named


def test_messy_answers(answers, caplog):
    messy = pd.concat(
        [
            answers,
            pd.DataFrame(
                {
                    "firm": ["A", "C", "C", "C", "B"],
                    "named": ["#N/A", "C", "Z", "A", "D"],
                    "advice": [2, 3, 1, 0, 3],
                }
            ),
        ],
        ignore_index=True,
    )
    with caplog.at_level(logging.WARNING, logger="clustermap"):
        net = read(messy)
    assert net.meta["placeholders_dropped"] == 1
    assert net.meta["self_nominations_dropped"] == 1
    assert "'#N/A' (1)" in caplog.text
    assert "name themselves (rows 7)" in caplog.text
    assert "not on the roster (e.g. 'Z')" in caplog.text
    assert not net.nodes.loc["Z", "on_roster"]
    e = net.edges.set_index(["source", "target"])
    assert ("C", "A") not in e.index  # strength 0: no tie
    assert e.loc[("B", "D"), "weight"] == 3.0  # repeated pair: the strongest kept
    assert net.meta["response_rate"] == 0.6  # Z is not on the roster


def test_errors(answers):
    with pytest.raises(InputError, match=r"'who' do not exist.*columns are: 'firm'"):
        cm.from_roster(answers, respondent="who", partner="named")
    bad = answers.assign(advice=[3, "lots", 2, -1, None])
    with pytest.raises(InputError, match=r"row 2, column 'advice': tie strength 'lots'") as err:
        read(bad)
    assert "row 4, column 'advice': tie strength -1 is negative" in str(err.value)
    with pytest.raises(ConfigError, match="`symmetrise` must be one of"):
        read(answers, symmetrise="both")
    with pytest.raises(ConfigError, match="`nonresponse` must be one of"):
        read(answers, nonresponse="drop")
    with pytest.raises(InputError, match="roster lists ids more than once"):
        cm.from_roster(answers, respondent="firm", partner="named", roster=["A", "A"])
    with pytest.raises(InputError, match=r"roster needs an 'id' column.*'firm_id'"):
        cm.from_roster(
            answers, respondent="firm", partner="named", roster=pd.DataFrame({"firm_id": ["A"]})
        )
    with pytest.raises(EmptyNetworkError, match="nobody answered"):
        cm.from_roster(pd.DataFrame({"r": [np.nan], "p": ["A"]}), respondent="r", partner="p")


def test_min_count_range():
    net = cm.make_cluster(n_actors=30, seed=1)
    for bad in (1, 0, 2.5, True):
        with pytest.raises(ConfigError, match="`min_count` must be"):
            net.summary(min_count=bad)


def test_command_line(answers, tmp_path):
    from click.testing import CliRunner

    from clustermap.cli import main

    answers.to_csv(tmp_path / "answers.csv", index=False)
    ROSTER.to_csv(tmp_path / "roster.csv", index=False)
    out = tmp_path / "advice.cmap"
    args = ["roster", str(tmp_path / "answers.csv"), "--respondent", "firm"]
    args += ["--partner", "named", "--value", "advice", "--roster", str(tmp_path / "roster.csv")]
    result = CliRunner().invoke(main, [*args, "--nonresponse", "impute-from-partners", "-o", out])
    assert result.exit_code == 0, result.output
    assert "3 respondents, 2 non-respondents (response rate 60.0%)" in result.stdout
    assert "reciprocity of the reports 66.7%" in result.stdout
    assert "imputed 1 links for 1 non-respondents" in result.stdout
    net = cm.ClusterNetwork.load(out)
    assert net.summary()["response_rate"] == 0.6
    assert net.meta["imputation"]["arcs_imputed"] == 1
