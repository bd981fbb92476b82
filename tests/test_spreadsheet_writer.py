"""The spreadsheet guard checks text columns with Arrow: the same cells as the one-cell guard.

And the workbook writer keeps every cell of a row that holds text longer than
a cell can (XlsxWriter's ``write_row`` stops at the cell it cuts).
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

import clustermap as cm
import clustermap._spreadsheet as sheet


def _payloads() -> list[str]:
    starts = ["", " ", "  ", "\u00a0", " \u00a0", "\t"]
    heads = [*sheet._TRIGGERS, "a", "1", "x=", "'"]
    tails = ["", "1", "1+1", "3.5", "e3", " ", "cmd|' /C calc'!A0", "inf"]
    return [s + h + t for s in starts for h in heads for t in tails]


@pytest.mark.parametrize("kind", ["str", "object", "category"])
def test_arrow_guard_is_the_one_cell_guard(kind):
    texts = _payloads()
    values = [*texts, None]
    series = pd.Series(values, dtype=kind)
    guarded = sheet.guard_series(series)
    expected = [sheet.guard_text(v) if isinstance(v, str) else None for v in values]
    got = [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in guarded]
    assert got == expected
    assert sum(g != t for g, t in zip(got, texts, strict=False)) > 100  # many were guarded


def test_mixed_object_columns_are_guarded_cell_by_cell():
    values = pd.Series(["=x", 1, None, "-3.5", np.nan, "@y", 2.5], dtype=object)
    assert sheet.guard_series(values).tolist()[:4] == ["'=x", 1, None, "-3.5"]
    assert sheet.guard_series(values).tolist()[5:] == ["'@y", 2.5]


def test_cells_after_a_cut_text_are_written(tmp_path, caplog):
    table = pd.DataFrame(
        {"text": ["short", "x" * 40_000], "after": ["kept", "kept too"], "n": [1, 2]},
        index=pd.Index(["a", "b"], name="id"),
    )
    out = cm.write_excel(table, tmp_path / "long.xlsx")
    ws = openpyxl.load_workbook(out)["data"]
    assert len(ws["B3"].value) == sheet.EXCEL_MAX_TEXT
    assert [ws["C3"].value, ws["D3"].value] == ["kept too", 2]
    assert "cut in column(s) text" in caplog.text
