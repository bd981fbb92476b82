"""Tests of the small shared mechanisms: placeholders, pseudonyms, chart saving."""

from __future__ import annotations

import pandas as pd
import pytest

from clustermap._anonymize import pseudonym, pseudonyms
from clustermap.errors import ConfigError
from clustermap.loaders._placeholders import placeholder_examples, placeholder_mask
from clustermap.views.charts import figure_to_svg, new_figure, save_figure


@pytest.mark.parametrize(
    "cell",
    [
        "#N/A",
        "#N/A Invalid Security",
        "#n/a review",
        "#REF!",
        "#VALUE!",
        "#DIV/0!",
        "#NAME?",
        "NA",
        "n/a",
        "N/A",
        "NULL",
        "null",
        "None",
        "-",
        " -- ",
        "?",
    ],
)
def test_placeholders_recognised(cell):
    assert placeholder_mask([cell]).tolist() == [True]


@pytest.mark.parametrize("cell", ["F-001", "Acme-Werke", "NAFTA Parts", "#1 Supplier", "0", "-5"])
def test_real_values_are_not_placeholders(cell):
    assert placeholder_mask([cell]).tolist() == [False]


def test_placeholders_missing_cells_and_user_list():
    s = pd.Series(["x", None, "unknown", float("nan")], dtype=object)
    assert placeholder_mask(s).tolist() == [False, False, False, False]
    assert placeholder_mask(s, extra=["UNKNOWN"]).tolist() == [False, False, True, False]
    assert placeholder_mask(["-"], defaults=False).tolist() == [False]
    mask = placeholder_mask(pd.Series(["#N/A", "#N/A", "-", "F"]))
    assert (
        placeholder_examples(pd.Series(["#N/A", "#N/A", "-", "F"]), mask) == "'#N/A' (2), '-' (1)"
    )


def test_pseudonyms_stable_keyed_and_distinct():
    a = pseudonyms(["F1", "F2", "F3"], "salt-one-long")
    b = pseudonyms(["F3", "F1"], "salt-one-long")
    assert a["F1"] == b["F1"] == pseudonym("F1", "salt-one-long")
    assert pseudonyms(["F1"], "salt-two-long")["F1"] != a["F1"]
    assert a.is_unique
    assert "F1" not in "".join(a)


def test_pseudonym_short_salt_is_config_error():
    with pytest.raises(ConfigError, match="at least 8 characters"):
        pseudonym("F1", "short")


def test_save_figure_reproducible(tmp_path):
    def draw():
        fig = new_figure(3, 2)
        fig.add_subplot().bar(["a", "b"], [1, 2])
        return fig

    p1 = save_figure(draw(), tmp_path / "a.svg")
    p2 = save_figure(draw(), tmp_path / "b.svg")
    assert p1.read_bytes() == p2.read_bytes()
    assert figure_to_svg(draw()) == figure_to_svg(draw())
    png = save_figure(draw(), tmp_path / "sub" / "c.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob("**/*.part"))
    with pytest.raises(ConfigError, match=r"must end in \.png or \.svg"):
        save_figure(draw(), tmp_path / "c.pdf")
