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


class TestEncodings:
    def test_utf16_with_bom(self, tmp_path):
        path = tmp_path / "n.csv"
        path.write_bytes(NODES.replace("Acme", "Müller").encode("utf-16"))
        assert cm.read_table(path)["name"].tolist()[0] == "Müller"

    def test_utf16_without_bom(self, tmp_path, caplog):
        path = tmp_path / "n.csv"
        path.write_bytes(NODES.replace("Acme", "Müller").encode("utf-16-le"))
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            df = cm.read_table(path)
        assert df["name"].tolist()[0] == "Müller"
        assert "utf-16-le" in caplog.text

    def test_stray_byte_after_64k_keeps_utf8(self, tmp_path, caplog):
        rows = "".join(f"F{i},Société {i},firm\n" for i in range(4000))
        data = ("id,name,kind\n" + rows).encode() + b"X1,Bad\xff Name,firm\n"
        assert len(data) > 65536
        path = tmp_path / "n.csv"
        path.write_bytes(data)
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            df = cm.read_table(path)
        assert df["name"].iloc[0] == "Société 0"
        assert df["name"].iloc[-1] == "Bad\ufffd Name"
        assert df.attrs["encoding"] == "utf-8"
        assert "UTF-8 except 1 stray byte(s) at row 4002" in caplog.text

    @pytest.mark.parametrize(
        ("encoding", "names", "said"),
        [
            ("big5", ["台灣積體電路製造", "鴻海精密工業", "聯發科技", "廣達電腦"], "Big5"),
            ("shift_jis", ["トヨタ自動車", "デンソー", "東京大学", "アイシン精機"], "Shift-JIS"),
            ("cp1252", ["Müller Söhne – Brühl", "Café René", "Œuvre", "Ærø"], "Windows-1252"),
        ],
    )
    def test_legacy_encodings_detected_and_named(self, tmp_path, caplog, encoding, names, said):
        text = "id,name,kind\n" + "".join(f"F{i},{n},firm\n" for i, n in enumerate(names))
        path = tmp_path / "n.csv"
        path.write_bytes(text.encode(encoding))
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            df = cm.read_table(path)
        assert df["name"].tolist() == names
        assert said in caplog.text

    def test_byte_undefined_in_windows_1252(self, tmp_path, caplog):
        path = tmp_path / "n.csv"
        path.write_bytes(b"id,name,kind\nF1,Caf\xe9 \x81 Ren\xe9,firm\nF2,Stra\xdfe,firm\n")
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            df = cm.read_table(path)
        assert df["name"].tolist() == ["Café \ufffd René", "Straße"]
        assert "Windows-1252" in caplog.text
        assert "row 2" in caplog.text

    def test_encoding_option(self, tmp_path):
        path = write(tmp_path / "n.csv", NODES.replace("Acme", "Łódź"), "cp1250")
        assert cm.read_table(path, encoding="cp1250")["name"].tolist()[0] == "Łódź"
        net = cm.read_tables(path, None, encoding="cp1250")
        assert net.nodes.loc["007", "name"] == "Łódź"


class TestRows:
    def test_blank_rows_skipped_and_counted(self, tmp_path, caplog):
        path = write(tmp_path / "n.csv", "id,name,kind\na,A,firm\n,,\n\nb,B,shop\n")
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            df = cm.read_table(path)
        assert df["id"].tolist() == ["a", "b"]
        assert "skipped 2 blank row(s) (row 3, 4)" in caplog.text
        with pytest.raises(InputError, match=r"n\.csv row 5, column 'kind': kind 'shop'"):
            cm.read_tables(path, None)

    def test_colon_delimited_hint(self, tmp_path, caplog):
        path = write(tmp_path / "n.csv", "id:name:kind\na:A:firm\n")
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            cm.read_table(path)
        assert "':'-delimited" in caplog.text
        df = cm.read_table(path, delimiter=":")
        assert list(df.columns) == ["id", "name", "kind"]

    def test_numeric_extra_columns_become_numbers(self, tmp_path):
        write(tmp_path / "n.csv", "id,name,kind,growth,code\na,A,firm,-3.5,007\nb,B,firm,2,010\n")
        net = cm.read_tables(tmp_path / "n.csv", None)
        assert net.nodes["growth"].tolist() == [-3.5, 2.0]
        assert net.nodes["code"].tolist() == ["007", "010"]

    def test_headerless_links(self, tmp_path, caplog):
        write(tmp_path / "n.csv", "id,name,kind\na,A,firm\nb,B,firm\nc,C,firm\n")
        write(tmp_path / "l.csv", "a,b,2\nb,c,3\n")
        with caplog.at_level(logging.WARNING, logger="clustermap"), pytest.raises(InputError):
            cm.read_tables(tmp_path / "n.csv", tmp_path / "l.csv", layer="supply")
        assert "looks like a link, not a header" in caplog.text
        assert "header=False" in caplog.text
        net = cm.read_tables(tmp_path / "n.csv", tmp_path / "l.csv", layer="supply", header=False)
        assert net.edges[["source", "target", "weight"]].values.tolist() == [
            ["a", "b", 2.0],
            ["b", "c", 3.0],
        ]


class TestPlaceholders:
    LINKS = "source,target,layer\nb,a,supply\n#N/A Review,a,supply\nb,#REF!,supply\nNULL,a,supply\n"

    def test_dropped_with_a_counted_warning(self, tmp_path, caplog):
        write(tmp_path / "n.csv", "id,name,kind\na,A,firm\nb,B,firm\n#N/A,X,firm\n")
        write(tmp_path / "l.csv", self.LINKS)
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            net = cm.read_tables(tmp_path / "n.csv", tmp_path / "l.csv")
        assert sorted(net.nodes.index) == ["a", "b"]
        assert net.n_edges == 1
        assert "dropped 3 links" in caplog.text
        assert "'#N/A Review' (1)" in caplog.text
        assert "rows 3, 4, 5" in caplog.text
        assert "dropped 1 actor rows" in caplog.text

    def test_kept_on_request(self, tmp_path):
        write(tmp_path / "l.csv", self.LINKS)
        net = cm.read_tables(None, tmp_path / "l.csv", keep_placeholders=True)
        assert "#N/A Review" in net.nodes.index
        assert net.n_edges == 4


class TestExcelIds:
    def test_whole_number_floats_become_integers(self, tmp_path, caplog):
        firms = pd.DataFrame({"id": [1, 2, 7, 3.5], "name": list("ABCD"), "kind": ["firm"] * 4})
        links = pd.DataFrame({"source": [1, 7.0], "target": [2, 3.5], "layer": ["supply"] * 2})
        firms.to_excel(tmp_path / "n.xlsx", index=False)
        links.to_excel(tmp_path / "l.xlsx", index=False)
        net = cm.read_tables(tmp_path / "n.xlsx", tmp_path / "l.xlsx")
        assert sorted(net.nodes.index) == ["1", "2", "3.5", "7"]
        assert net.edges[["source", "target"]].values.tolist() == [["1", "2"], ["7", "3.5"]]

    def test_empty_cells_are_not_numeric_ids(self, tmp_path, caplog):
        links = pd.DataFrame(
            {"source": ["a", None, "b"], "target": ["b", "a", "a"], "layer": ["supply"] * 3}
        )
        links.to_excel(tmp_path / "l.xlsx", index=False)
        with caplog.at_level(logging.WARNING, logger="clustermap"), pytest.raises(InputError):
            cm.read_tables(None, tmp_path / "l.xlsx")
        assert "stored by Excel as numbers" not in caplog.text

    def test_readme_first_sheet_hint(self, tmp_path, caplog):
        path = tmp_path / "n.xlsx"
        with pd.ExcelWriter(path) as writer:
            pd.DataFrame({"About this file": ["made by X"]}).to_excel(
                writer, sheet_name="README", index=False
            )
            pd.DataFrame({"id": ["a"], "name": ["A"], "kind": ["firm"]}).to_excel(
                writer, sheet_name="firms", index=False
            )
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            cm.read_table(path)
        assert "'README', which looks like notes" in caplog.text
        assert "--sheet" in caplog.text
        assert cm.read_table(path, sheet="firms")["id"].tolist() == ["a"]

    def test_formulas_without_values_warned(self, tmp_path, caplog):
        import openpyxl

        book = openpyxl.Workbook()
        ws = book.active
        ws.append(["id", "name", "kind"])
        ws.append(["a", '=UPPER("acme")', "firm"])
        book.save(tmp_path / "n.xlsx")  # openpyxl saves formulas without cached values
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            df = cm.read_table(tmp_path / "n.xlsx")
        assert df["name"].isna().all()
        assert "1 formula cell(s) have no saved value" in caplog.text
        assert "B2" in caplog.text


class TestMojibake:
    NAMES = "id,name,kind\na,UniversitÃ¤t Stuttgart,institution\nb,Soci√©t√© G√©n√©rale,firm\n"

    def test_warns_and_suggests_fix_text(self, tmp_path, caplog):
        write(tmp_path / "n.csv", self.NAMES)
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            net = cm.read_tables(tmp_path / "n.csv", None)
        assert net.nodes.loc["a", "name"] == "UniversitÃ¤t Stuttgart"
        assert "2 cell(s) look mis-encoded" in caplog.text
        assert "fix_text=True (--fix-text)" in caplog.text

    def test_fix_text_repairs_and_counts(self, tmp_path, caplog):
        write(tmp_path / "n.csv", self.NAMES)
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            net = cm.read_tables(tmp_path / "n.csv", None, fix_text=True)
        assert net.nodes["name"].tolist() == ["Universität Stuttgart", "Société Générale"]
        assert "repaired mis-encoded text in 2 cell(s)" in caplog.text

    def test_clean_text_left_alone(self, tmp_path, caplog):
        write(tmp_path / "n.csv", "id,name,kind\na,SÃO PAULO Ltda,firm\nb,Müller,firm\n")
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            net = cm.read_tables(tmp_path / "n.csv", None, fix_text=True)
        assert net.nodes["name"].tolist() == ["SÃO PAULO Ltda", "Müller"]

    def test_cordis_organisation_names(self, realdata, caplog):
        path = realdata("cordis_h2020") / "org_names_2017" / "stacked_dump.csv"
        with caplog.at_level(logging.WARNING, logger="clustermap"):
            before = cm.read_table(path)
        count, _ = cm.loaders._mojibake.mojibake_examples(before[["name", "city", "street"]])
        assert count > 400
        from clustermap.loaders import _mojibake

        fixed = _mojibake.fix_mojibake(before[["name", "city", "street"]], "stacked_dump.csv")
        left, _ = _mojibake.mojibake_examples(fixed)
        assert fixed.attrs["fixed_text"] > 400
        assert left < count / 10
        assert (fixed["city"] == "München").any() or (fixed["city"] == "MÜNCHEN").any()
