"""The example notebooks run from start to end (nbclient), as a reader would run them."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "examples").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["demo.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path):
    # run from a copy of examples/ beside the repository's data/, as `jupyter` in examples/ would
    (tmp_path / "data").symlink_to(ROOT / "data")
    work = tmp_path / "examples"
    work.mkdir()
    shutil.copy(path, work / path.name)
    nb = nbformat.read(work / path.name, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]  # fmt: skip
    assert errors == []
    assert (work / "demo-network.html").exists()
    assert (work / "demo-report.html").exists()
    shown = nb.cells[-3]["outputs"]
    assert any(
        "IFrame" in str(o.get("data", {})) or "iframe" in str(o.get("data", {})) for o in shown
    )
