"""read_table / read_tables: the file formats users bring, as spreadsheets write them."""

from __future__ import annotations

import gzip
import json
import logging

import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError

NODES = "id,name,kind,employees\n007,Acme,firm,12\n010,Bolt Ltd,supplier,3\n"
LINKS = "source,target,layer,weight\n010,007,supply,2.5\n"


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


class TestText:
    def test_comma_csv_keeps_leading_zeros(self, tmp_path):
        df = cm.read_table(write(tmp_path / "n.csv", NODES))
        assert df["id"].tolist() == ["007", "010"]
        assert df.attrs["source"] == "n.csv"
        assert df.attrs["first_row"] == 2

    def test_semicolon_with_decimal_commas(self, tmp_path):
        write(tmp_path / "n.csv", NODES.replace(",", ";"))
        write(tmp_path / "l.csv", "source;target;layer;weight;value\n010;007;supply;2,5;1.234,50\n")
        df = cm.read_table(tmp_path / "l.csv")
        assert (df.attrs["delimiter"], df.attrs["decimal"]) == (";", ",")
        net = cm.read_tables(tmp_path / "n.csv", tmp_path / "l.csv")
        assert net.edges["weight"].tolist() == [2.5]
        assert net.edges["value"].tolist() == [1234.5]

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            (["35.000", "4.500", "120.000"], [35000.0, 4500.0, 120000.0]),
            (["1.250.000,50", "12.000,00"], [1250000.5, 12000.0]),
            (["1250000,50", "35.000"], [1250000.5, 35000.0]),
            (["2.5", "4.500"], [2.5, 4.5]),
        ],
    )
    def test_semicolon_thousands_separators(self, tmp_path, values, expected):
        write(tmp_path / "n.csv", NODES.replace(",", ";"))
        rows = "".join(f"010;007;supply;{v}\n" for v in values)
        write(tmp_path / "l.csv", "source;target;layer;value\n" + rows)
        net = cm.read_tables(tmp_path / "n.csv", tmp_path / "l.csv")
        assert net.edges["value"].tolist() == expected

    def test_semicolon_with_decimal_points(self, tmp_path):
        write(tmp_path / "n.csv", NODES.replace(",", ";"))
        write(tmp_path / "l.csv", "source;target;layer;weight\n010;007;supply;2.5\n")
        net = cm.read_tables(tmp_path / "n.csv", tmp_path / "l.csv")
        assert net.edges["weight"].tolist() == [2.5]

    def test_tab_separated(self, tmp_path):
        df = cm.read_table(write(tmp_path / "n.tsv", NODES.replace(",", "\t")))
        assert df.columns.tolist() == ["id", "name", "kind", "employees"]

    def test_tab_in_txt_is_sniffed(self, tmp_path):
        df = cm.read_table(write(tmp_path / "n.txt", NODES.replace(",", "\t")))
        assert df.attrs["delimiter"] == "\t"

    def test_utf8_bom(self, tmp_path):
        path = tmp_path / "n.csv"
        path.write_bytes("\ufeff".encode() + NODES.replace("Acme", "Müller").encode())
        df = cm.read_table(path)
        assert df.columns[0] == "id"
        assert df["name"].tolist()[0] == "Müller"

    def test_windows_1252_fallback_warns(self, tmp_path, caplog):
        path = write(tmp_path / "n.csv", NODES.replace("Acme", "Société Générale"), "cp1252")
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            df = cm.read_table(path)
        assert df["name"].tolist()[0] == "Société Générale"
        assert "n.csv is not UTF-8; read it as Windows-1252" in caplog.text

    def test_gzip(self, tmp_path):
        path = tmp_path / "n.csv.gz"
        path.write_bytes(gzip.compress(NODES.encode()))
        assert cm.read_table(path)["id"].tolist() == ["007", "010"]

    def test_quoted_fields(self, tmp_path):
        text = 'id,name,kind\n1,"Smith, Jones & Co",firm\n'
        assert cm.read_table(write(tmp_path / "n.csv", text))["name"][0] == "Smith, Jones & Co"

    def test_empty_file(self, tmp_path):
        with pytest.raises(InputError, match=r"n\.csv: the file is empty"):
            cm.read_table(write(tmp_path / "n.csv", ""))

    def test_errors_point_at_spreadsheet_rows(self, tmp_path):
        write(tmp_path / "firms.csv", NODES)
        write(tmp_path / "links.csv", LINKS + "010,F-0093,supply,1\n")
        with pytest.raises(
            InputError,
            match=r"links.csv row 3, column 'target': target 'F-0093' is not a known node id "
            r"\(check firms.csv or pass",
        ):
            cm.read_tables(tmp_path / "firms.csv", tmp_path / "links.csv")


class TestOtherFormats:
    def test_excel_sheet_choice_and_numeric_id_warning(self, tmp_path, caplog):
        path = tmp_path / "cluster.xlsx"
        with pd.ExcelWriter(path) as writer:
            pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
            pd.DataFrame(
                {"id": [7, 10], "name": ["Acme", "Bolt"], "kind": ["firm", "supplier"]}
            ).to_excel(writer, sheet_name="actors", index=False)
            pd.DataFrame({"source": [10], "target": [7], "layer": ["supply"]}).to_excel(
                writer, sheet_name="links", index=False
            )
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            net = cm.from_tables(
                cm.read_table(path, sheet="actors"), cm.read_table(path, sheet="links")
            )
        assert net.nodes.index.tolist() == ["7", "10"]
        assert "holds 2 ids stored by Excel as numbers; leading zeros" in caplog.text

    def test_excel_missing_sheet(self, tmp_path):
        path = tmp_path / "c.xlsx"
        pd.DataFrame({"a": [1]}).to_excel(path, sheet_name="only", index=False)
        with pytest.raises(
            InputError, match=r"c.xlsx: there is no sheet 'links'; sheets are \['only'\]"
        ):
            cm.read_table(path, sheet="links")

    def test_parquet(self, tmp_path):
        path = tmp_path / "l.parquet"
        pd.DataFrame({"source": ["010"], "target": ["007"], "layer": ["supply"]}).to_parquet(path)
        assert cm.read_table(path)["source"].tolist() == ["010"]

    def test_json_records_and_node_link(self, tmp_path):
        both = {
            "nodes": [
                {"id": "007", "name": "Acme", "kind": "firm"},
                {"id": "010", "name": "B", "kind": "firm"},
            ],
            "links": [{"source": "010", "target": "007", "layer": "knowledge"}],
        }
        path = tmp_path / "cluster.json"
        path.write_text(json.dumps(both))
        net = cm.read_tables(path, path)
        assert net.n_nodes == 2
        assert net.n_edges == 1
        with pytest.raises(InputError, match="holds several tables"):
            cm.read_table(path)

    def test_unknown_extension_and_missing_file(self, tmp_path):
        with pytest.raises(InputError, match=r"unknown file type '\.dat'"):
            cm.read_table(write(tmp_path / "x.dat", "a"))
        with pytest.raises(InputError, match="no such file"):
            cm.read_table(tmp_path / "missing.csv")


class TestReadTables:
    def test_kind_per_file(self, tmp_path):
        write(tmp_path / "firms.csv", "id,name\nf1,Acme\n")
        write(tmp_path / "suppliers.csv", "id,name\ns1,Bolt\n")
        write(tmp_path / "institutions.csv", "id,name\nu1,Uni\n")
        write(tmp_path / "links.csv", "source,target,layer\ns1,f1,supply\nu1,f1,knowledge\n")
        net = cm.read_tables(
            [
                f"{tmp_path / 'firms.csv'}:firm",
                f"{tmp_path / 'suppliers.csv'}:supplier",
                f"{tmp_path / 'institutions.csv'}:institution",
            ],
            tmp_path / "links.csv",
        )
        assert net.nodes["kind"].to_dict() == {"f1": "firm", "s1": "supplier", "u1": "institution"}
        assert net.meta == {
            "nodes": ["firms.csv", "suppliers.csv", "institutions.csv"],
            "links": ["links.csv"],
        }

    def test_kind_mapping(self, tmp_path):
        write(tmp_path / "firms.csv", "id,name\nf1,Acme\n")
        net = cm.read_tables({"firm": tmp_path / "firms.csv"}, None)
        assert net.n_edges == 0
        with pytest.raises(ConfigError, match="keys must be kinds"):
            cm.read_tables({"shops": tmp_path / "firms.csv"})

    def test_row_numbers_across_files(self, tmp_path):
        write(tmp_path / "firms.csv", "id,name\nf1,Acme\n")
        write(tmp_path / "more.csv", "id,name\nf2,B\nf1,Dup\n")
        with pytest.raises(
            InputError,
            match=r"more.csv row 3, column 'id': id 'f1' is repeated "
            r"\(first seen at firms.csv row 2\)",
        ):
            cm.read_tables([f"{tmp_path / 'firms.csv'}:firm", f"{tmp_path / 'more.csv'}:firm"])


def test_unknown_kind_suffix_is_named(tmp_path):
    write(tmp_path / "firms.csv", "id,name\nf1,Acme\n")
    with pytest.raises(ConfigError, match=r"'company' is not a kind; write FILE:firm"):
        cm.read_tables(f"{tmp_path / 'firms.csv'}:company")
