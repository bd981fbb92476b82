"""Tests for from_lists: wide partner lists -> links, placeholders dropped."""

from __future__ import annotations

import csv
import logging

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, EmptyNetworkError, InputError


@pytest.fixture
def wide() -> pd.DataFrame:
    """Four rows; the links worked out by hand are listed in test_links_by_hand."""
    return pd.DataFrame(
        {
            "Company": ["Acme", "Bolt", "Crane", "#N/A"],
            "Country": ["DE", "DE", "FR", "IT"],
            "Supplier 1": ["Steelco", "Steelco", "#N/A Review", "Xco"],
            "Supplier 2": ["n/a", "Bolt", "Acme", None],
            "Supplier 10": ["Bolt", "-", "Acme", None],
        }
    )


def test_links_by_hand(wide, caplog):
    with caplog.at_level(logging.WARNING, logger="clustermap"):
        net = cm.from_lists(wide, actor="Company", partner_prefix="supplier")
    pairs = net.edges[["source", "target", "column"]].values.tolist()
    # row by row, partner columns in natural order (Supplier 2 before Supplier 10)
    assert pairs == [
        ["Steelco", "Acme", "Supplier 1"],
        ["Bolt", "Acme", "Supplier 10"],
        ["Steelco", "Bolt", "Supplier 1"],
        ["Acme", "Crane", "Supplier 2"],
    ]
    assert net.nodes.loc["Acme", "Country"] == "DE"
    assert net.nodes["kind"].to_dict() == {
        "Acme": "firm",
        "Bolt": "firm",
        "Crane": "firm",
        "Steelco": "supplier",
    }
    meta = net.meta
    assert meta["placeholders_dropped"] == 3  # n/a, -, #N/A Review (row 4's actor is separate)
    assert meta["rows_dropped"] == 1
    assert meta["self_listings_dropped"] == 1
    assert meta["repeated_in_row"] == 1
    assert meta["partners"] == ["Supplier 1", "Supplier 2", "Supplier 10"]
    text = caplog.text
    assert "dropped 3 placeholder cells" in text
    assert "'#N/A Review' (1)" in text
    assert "own actor" in text
    assert "row 2 ('Bolt' in 'Supplier 2')" in text
    assert "dropped 1 rows whose actor" in text
    assert (net.edges["source"] != net.edges["target"]).all()


def test_customer_lists_and_user_placeholders(wide):
    wide = wide.assign(**{"Supplier 1": ["Steelco", "unknown", "Various", "Xco"]})
    net = cm.from_lists(
        wide,
        actor="Company",
        partners=["Supplier 1", "Supplier 2"],
        direction="actor->partner",
        missing=["Unknown", "various"],
    )
    assert net.edges[["source", "target"]].values.tolist() == [
        ["Acme", "Steelco"],
        ["Crane", "Acme"],
    ]
    assert net.meta["placeholders_dropped"] == 3  # unknown, Various, n/a
    assert net.nodes.loc["Steelco", "kind"] == "firm"  # a customer, not a supplier


def test_weights_paired_with_partners():
    table = pd.DataFrame(
        {
            "firm": ["A", "B"],
            "s1": ["X", "Y"],
            "s2": ["Y", None],
            "share1": [0.6, 1.0],
            "share2": ["0.4", None],
        }
    )
    net = cm.from_lists(table, actor="firm", partners=["s1", "s2"], weights=["share1", "share2"])
    assert net.edges["weight"].tolist() == [0.6, 0.4, 1.0]
    net2 = cm.from_lists(table, actor="firm", partner_prefix="s", weights="share")
    assert net2.edges["weight"].tolist() == [0.6, 0.4, 1.0]


def test_bad_weight_names_row_and_column():
    table = pd.DataFrame({"firm": ["A", "B"], "s1": ["X", "Y"], "w1": [1.0, "lots"]})
    with pytest.raises(InputError, match=r"row 2, column 'w1': weight 'lots'"):
        cm.from_lists(table, actor="firm", partners=["s1"], weights=["w1"])
    table["w1"] = [0.0, 1.0]
    with pytest.raises(InputError, match=r"row 1, column 'w1'"):
        cm.from_lists(table, actor="firm", partners=["s1"], weights=["w1"])


def test_errors(wide):
    with pytest.raises(InputError, match=r"'Supplier 3'.*do not exist; columns are: 'Company'"):
        cm.from_lists(wide, actor="Company", partners=["Supplier 1", "Supplier 3"])
    with pytest.raises(InputError, match=r"no column starts with 'Vendor'.*'Supplier 10'"):
        cm.from_lists(wide, actor="Company", partner_prefix="Vendor")
    with pytest.raises(InputError, match="actor column 'Firm' does not exist"):
        cm.from_lists(wide, actor="Firm", partner_prefix="Supplier")
    with pytest.raises(InputError, match="2 weight column"):
        cm.from_lists(wide, actor="Company", partner_prefix="Supplier", weights=["a", "b"])
    with pytest.raises(ConfigError, match="not both"):
        cm.from_lists(wide, actor="Company", partners=["Supplier 1"], partner_prefix="S")
    with pytest.raises(ConfigError, match="name the partner columns"):
        cm.from_lists(wide, actor="Company")
    with pytest.raises(ConfigError, match="`direction` must be one of"):
        cm.from_lists(wide, actor="Company", partner_prefix="S", direction="both")  # type: ignore[arg-type]
    empty = pd.DataFrame({"firm": ["A"], "s1": ["#N/A"]})
    with pytest.raises(EmptyNetworkError, match="no links"):
        cm.from_lists(empty, actor="firm", partners=["s1"])


def test_willems_chain_as_wide_list(realdata):
    """Chain 38 of Willems (2008), reshaped into a supplier list padded with #N/A.

    The README gives 2,025 stages and 16,225 supplier -> customer arcs.
    """
    path = realdata("willems2008_supply_chains") / "data" / "willems_38.csv"
    with path.open(newline="") as fh:
        body = list(csv.reader(fh))[1:]
    ups = [[f for f in r[8:] if f != ""] for r in body]
    k = max(len(u) // 2 for u in ups)
    data: dict[str, list[object]] = {"stage": [r[0] for r in body]}
    for j in range(k):
        data[f"Supplier {j + 1}"] = [u[2 * j] if 2 * j < len(u) else "#N/A" for u in ups]
        data[f"Qty {j + 1}"] = [float(u[2 * j + 1]) if 2 * j < len(u) else np.nan for u in ups]
    table = pd.DataFrame(data)
    net = cm.from_lists(table, actor="stage", partner_prefix="Supplier", weights="Qty")
    assert net.n_nodes == 2025
    assert net.n_edges == 16225
    assert net.meta["placeholders_dropped"] == len(table) * k - 16225
    assert not net.nodes.index.str.startswith("#").any()


def test_command_line(wide, tmp_path):
    from click.testing import CliRunner

    from clustermap.cli import main

    src = tmp_path / "suppliers.csv"
    wide.to_csv(src, index=False)
    out = tmp_path / "lists.cmap"
    result = CliRunner().invoke(
        main,
        ["lists", str(src), "--actor", "Company", "--partner-prefix", "Supplier", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "dropped 3 placeholder cells" in result.stdout
    assert cm.ClusterNetwork.load(out).n_edges == 4
    bad = CliRunner().invoke(
        main, ["lists", str(src), "--actor", "Company", "--partners", "Vendor 1", "-o", str(out)]
    )
    assert bad.exit_code == 2
    assert "'Vendor 1' do not exist; columns are:" in bad.output


def test_year_column_goes_to_the_links():
    table = pd.DataFrame(
        {"firm": ["A", "A"], "year": [2020, 2021], "s1": ["X", "X"], "s2": ["Y", "#N/A"]}
    )
    net = cm.from_lists(table, actor="firm", partner_prefix="s")
    assert net.edges[["source", "year"]].values.tolist() == [["X", 2020], ["Y", 2020], ["X", 2021]]
    assert "year" not in net.nodes.columns


def test_apple_lists_by_year_match_the_long_table(realdata):
    """Apple's list reshaped wide (one row per year, Supplier 1..N) gives the same links."""
    d = pd.read_csv(realdata("apple_suppliers_2012_2022") / "apple-supplier-list.csv")
    d["supplier_name"] = d["supplier_name"].str.replace(r"\s+", " ", regex=True).str.strip()
    long = d.drop_duplicates(["year", "supplier_name"])
    long = long.assign(col=long.groupby("year").cumcount() + 1)
    wide = long.pivot(index="year", columns="col", values="supplier_name")
    wide.columns = [f"Supplier {c}" for c in wide.columns]
    wide = wide.reset_index().assign(buyer="Apple")
    net = cm.from_lists(wide, actor="buyer", partner_prefix="Supplier")
    assert net.n_edges == len(long) == 1975
    assert net.n_nodes == long["supplier_name"].nunique() + 1
    got = set(zip(net.edges["source"], net.edges["year"].astype(int), strict=True))
    assert got == set(zip(long["supplier_name"], long["year"], strict=True))
    assert net.meta["empty_cells"] == wide.shape[0] * (wide.shape[1] - 2) - 1975
