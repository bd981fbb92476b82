"""from_tables: building from tables, column mapping, and one test per validation rule."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, EmptyNetworkError, InputError


def nodes(**extra):
    base = {
        "id": ["a", "b", "c"],
        "name": ["A", "B", "C"],
        "kind": ["firm", "supplier", "institution"],
    }
    base.update(extra)
    return pd.DataFrame(base)


def links(**extra):
    base = {"source": ["b", "c"], "target": ["a", "a"], "layer": ["supply", "knowledge"]}
    base.update(extra)
    return pd.DataFrame(base)


class TestBuilding:
    def test_basic(self):
        net = cm.from_tables(nodes(), links())
        assert net.nodes.index.tolist() == ["a", "b", "c"]
        assert net.edges["weight"].tolist() == [1.0, 1.0]
        assert net.directed == {"supply": True, "knowledge": False}

    def test_column_mapping_in_one_call(self):
        firms = pd.DataFrame({"firm_id": ["F1", "F2"], "company": ["Acme", "Bolt"]})
        purchases = pd.DataFrame(
            {"supplier_id": ["F2"], "firm_id": ["F1"], "value_eur": ["1200.5"], "kind_of": ["x"]}
        )
        net = cm.from_tables(
            {"firm": firms},
            purchases,
            layer="supply",
            columns={
                "id": "firm_id",
                "name": "company",
                "source": "supplier_id",
                "target": "firm_id",
                "value": "value_eur",
            },
        )
        assert net.nodes["name"].tolist() == ["Acme", "Bolt"]
        row = net.edges.iloc[0]
        assert (row["source"], row["target"], row["value"]) == ("F2", "F1", 1200.5)
        assert "kind_of" in net.edges.columns

    def test_separate_tables_per_kind(self):
        firms = pd.DataFrame({"id": ["f"], "name": ["F"]})
        sups = pd.DataFrame({"id": ["s"], "name": ["S"]})
        insts = pd.DataFrame({"id": ["u"], "name": ["U"]})
        net = cm.from_tables(
            {"firms": firms, "supplier": sups, "Institution": insts},
            {"source": ["s"], "target": ["f"], "layer": ["supply"]},
        )
        assert net.nodes["kind"].to_dict() == {"f": "firm", "s": "supplier", "u": "institution"}

    def test_list_of_node_tables_with_kind_columns(self):
        a = pd.DataFrame({"id": ["f"], "name": ["F"], "kind": ["Firm"]})
        b = pd.DataFrame({"id": ["u"], "name": ["U"], "kind": ["institutions"]})
        net = cm.from_tables([a, b], {"source": ["u"], "target": ["f"], "layer": ["knowledge"]})
        assert net.nodes["kind"].tolist() == ["firm", "institution"]

    def test_nodes_derived_from_links(self, caplog):
        with caplog.at_level(logging.INFO, logger="clustermap"):
            net = cm.from_tables(None, links(), kind="supplier")
        assert sorted(net.nodes.index) == ["a", "b", "c"]
        assert set(net.nodes["kind"]) == {"supplier"}
        assert "derived from the links" in caplog.text

    def test_ids_stay_text(self):
        net = cm.from_tables(
            {"id": ["007", "010"], "name": ["Bond", "Ten"], "kind": ["firm", "firm"]},
            {"source": ["007"], "target": ["010"], "layer": ["knowledge"]},
        )
        assert net.nodes.index.tolist() == ["007", "010"]

    def test_integer_ids_become_text(self):
        net = cm.from_tables(
            {"id": [1, 2], "name": ["A", "B"], "kind": "firm"},
            {"source": [1.0], "target": [2.0], "layer": ["supply"]},
        )
        assert net.edges[["source", "target"]].values.tolist() == [["1", "2"]]

    def test_missing_names_use_id(self, caplog):
        net = cm.from_tables(nodes(name=["A", None, " "]), links())
        assert net.nodes["name"].tolist() == ["A", "b", "c"]
        assert "2 actors have no name" in caplog.text

    def test_self_loops_keep_and_drop(self):
        loop = links(source=["b", "a"], target=["a", "a"])
        assert cm.from_tables(nodes(), loop, self_loops="keep").n_edges == 2
        assert cm.from_tables(nodes(), loop, self_loops="drop").n_edges == 1

    def test_drop_dangling_warns_with_count(self, caplog):
        bad = links(source=["b", "zz"], target=["a", "yy"])
        net = cm.from_tables(nodes(), bad, drop_dangling=True)
        assert net.n_edges == 1
        assert "dropped 1 links" in caplog.text

    def test_extra_layer_and_direction(self):
        own = pd.DataFrame({"source": ["a"], "target": ["b"], "layer": ["ownership"]})
        net = cm.from_tables(nodes(), own, directed={"ownership": True})
        assert net.is_directed("ownership")


class TestValidationRules:
    """One test per rule; each asserts the message names the place and the fix."""

    def test_missing_node_id_column(self):
        with pytest.raises(InputError, match=r"nodes table: the required column 'id' is missing"):
            cm.from_tables(nodes().drop(columns="id"), links())

    def test_missing_name_column(self):
        with pytest.raises(
            InputError, match=r"required column 'name' is missing.*columns=\{'name'"
        ):
            cm.from_tables(nodes().drop(columns="name"), links())

    def test_missing_kind_column(self):
        with pytest.raises(InputError, match=r"required column 'kind' is missing.*kind='firm'"):
            cm.from_tables(nodes().drop(columns="kind"), links())

    def test_missing_edge_columns(self):
        with pytest.raises(
            InputError, match=r"edges table: the required column\(s\) 'target', 'layer'"
        ):
            cm.from_tables(nodes(), links().drop(columns=["target", "layer"]))

    def test_duplicate_ids(self):
        with pytest.raises(
            InputError,
            match=r"nodes table row 3, column 'id': id 'a' is repeated "
            r"\(first seen at nodes table row 1\)",
        ):
            cm.from_tables(nodes(id=["a", "b", "a"]), links())

    def test_empty_id(self):
        with pytest.raises(InputError, match=r"row 2, column 'id': the id is empty"):
            cm.from_tables(nodes(id=["a", None, "c"]), links(source=["c", "c"]))

    def test_unknown_kind(self):
        with pytest.raises(
            InputError,
            match=r"row 3, column 'kind': kind 'university' is not one of "
            r"firm, supplier, institution",
        ):
            cm.from_tables(nodes(kind=["firm", "supplier", "university"]), links())

    def test_dangling_links(self):
        with pytest.raises(
            InputError,
            match=r"edges table row 2, column 'target': target 'F-0093' is not a known node id "
            r"\(check nodes table or pass drop_dangling=True",
        ):
            cm.from_tables(nodes(), links(target=["a", "F-0093"]))

    @pytest.mark.parametrize(
        ("weight", "message"),
        [
            ("heavy", r"row 1, column 'weight': weight 'heavy' is not a number"),
            (0, r"row 1, column 'weight': weight 0 is not > 0"),
            (-2.5, r"weight -2.5 is not > 0"),
            (np.nan, r"row 1, column 'weight': weight is missing"),
            (np.inf, r"weight inf is infinite"),
        ],
    )
    def test_bad_weights(self, weight, message):
        with pytest.raises(InputError, match=message):
            cm.from_tables(nodes(), links(weight=pd.Series([weight, 1.0], dtype=object)))

    def test_empty_node_table(self):
        with pytest.raises(EmptyNetworkError, match="no actors"):
            cm.from_tables(nodes().iloc[0:0], None)

    def test_empty_links_table(self):
        with pytest.raises(InputError, match="the links table has no rows"):
            cm.from_tables(nodes(), links().iloc[0:0])

    def test_no_input_at_all(self):
        with pytest.raises(EmptyNetworkError, match="give a node table"):
            cm.from_tables(None, None)

    def test_self_loop_is_an_error_by_default(self):
        with pytest.raises(
            InputError,
            match=r"row 1, column 'target': link from 'a' to itself \(pass self_loops='drop'",
        ):
            cm.from_tables(nodes(), links(source=["a", "c"]))

    def test_bad_year_and_value(self):
        with pytest.raises(InputError, match=r"year '20x1' is not a whole number") as info:
            cm.from_tables(nodes(), links(year=["20x1", "2020"], value=[-5.0, 1.0]))
        assert "value -5 is negative" in str(info.value)

    def test_bad_coordinates(self):
        with pytest.raises(InputError, match=r"lat 95.0 is outside -90..90"):
            cm.from_tables(nodes(lat=[95.0, 1.0, 2.0], lon=[1.0, 2.0, 3.0]), links())

    def test_empty_endpoint(self):
        with pytest.raises(InputError, match=r"row 2, column 'source': source is empty"):
            cm.from_tables(nodes(), links(source=["b", None]))

    def test_reports_up_to_ten_at_once(self):
        bad = pd.DataFrame({"source": ["zz"] * 25, "target": ["a"] * 25, "layer": ["supply"] * 25})
        with pytest.raises(InputError) as info:
            cm.from_tables(nodes(), bad)
        text = str(info.value)
        assert text.startswith("25 problems in the input (the first 10 shown):")
        assert text.count("is not a known node id") == 10
        assert "row 10," in text
        assert "row 11," not in text

    def test_problems_across_rules_reported_together(self):
        with pytest.raises(InputError) as info:
            cm.from_tables(nodes(kind=["firm", "shop", "firm"]), links(weight=[0, "x"]))
        text = str(info.value)
        assert "kind 'shop'" in text
        assert "weight 0 is not > 0" in text
        assert "weight 'x' is not a number" in text


class TestOptions:
    def test_bad_self_loops_option(self):
        with pytest.raises(
            ConfigError, match=r"`self_loops` must be one of 'error', 'drop', 'keep'"
        ):
            cm.from_tables(nodes(), links(), self_loops="ignore")

    def test_bad_kind_option(self):
        with pytest.raises(ConfigError, match=r"`kind` must be one of 'firm'"):
            cm.from_tables(nodes(), links(), kind="bank")

    def test_mapping_to_missing_column(self):
        with pytest.raises(
            ConfigError, match=r"maps 'value' to your column 'eur', which no table has"
        ):
            cm.from_tables(nodes(), links(), columns={"value": "eur"})

    def test_mapping_given_backwards(self):
        with pytest.raises(ConfigError, match=r"did you mean \{'source': 'supplier_id'\}"):
            cm.from_tables(
                nodes(),
                links().rename(columns={"source": "supplier_id"}),
                columns={"supplier_id": "source"},
            )

    def test_dict_of_tables_with_bad_key(self):
        with pytest.raises(ConfigError, match="keys of a dict of tables must be kinds"):
            cm.from_tables({"shops": nodes()}, links())


class TestColumnMappingEdges:
    def test_one_column_feeds_two_fields(self):
        edges = links().assign(value_musd=[2.0, 3.0])
        net = cm.from_tables(
            nodes(), edges, columns={"value": "value_musd", "weight": "value_musd"}
        )
        assert net.edges["value"].tolist() == [2.0, 3.0]
        assert net.edges["weight"].tolist() == [2.0, 3.0]

    def test_misspelt_key_is_caught(self):
        edges = links().assign(value_eur=[2.0, 3.0])
        with pytest.raises(ConfigError, match=r"key 'valu'.*did you mean 'value'\?"):
            cm.from_tables(nodes(), edges, columns={"valu": "value_eur"})

    def test_other_keys_rename_extra_columns(self):
        edges = links().assign(Projekt=["P1", "P2"])
        net = cm.from_tables(nodes(), edges, columns={"project": "Projekt"})
        assert net.edges["project"].tolist() == ["P1", "P2"]


def test_row_problems_and_unknown_ids_come_in_one_report():
    bad_nodes = nodes(id=["a", "a", "c"], kind=["firm", "firm", "university"])
    bad_links = links(target=["a", "zz"], weight=[0, 1])
    with pytest.raises(InputError) as info:
        cm.from_tables(bad_nodes, bad_links)
    text = str(info.value)
    for part in ("is repeated", "kind 'university'", "weight 0 is not > 0", "'zz' is not a known"):
        assert part in text


def test_drop_dangling_names_the_unknown_ids(caplog):
    cm.from_tables(nodes(), links(source=["b", "S00401"]), drop_dangling=True)
    assert "1 unknown ids: 'S00401'" in caplog.text


class TestReadersHardening:
    def test_problems_grouped_by_kind_with_every_kind_shown(self):
        n = 25
        bad = pd.DataFrame(
            {
                "source": ["zz"] * n + ["b", "b"],
                "target": ["a"] * n + ["a", "a"],
                "layer": ["supply"] * (n + 2),
                "weight": [1.0] * n + [-1.0, 0.0],
            }
        )
        with pytest.raises(InputError) as info:
            cm.from_tables(nodes(kind=["firm", "shop", "firm"]), bad)
        text = str(info.value)
        assert text.startswith("28 problems in the input, of 3 kinds")
        assert "kind 'shop'" in text
        assert "weight -1 is not > 0" in text
        assert "weight 0 is not > 0" in text
        assert text.count("is not a known node id") == 3
        assert "... and 22 more like this" in text

    def test_directed_strings_parsed(self):
        net = cm.from_tables(nodes(), links(), directed={"knowledge": "true", "supply": "false"})
        assert net.directed == {"knowledge": True, "supply": False}

    def test_directed_rejects_other_values(self):
        with pytest.raises(ConfigError, match=r"`directed` for layer 'supply' must be True"):
            cm.from_tables(nodes(), links(), directed={"supply": "perhaps"})

    def test_duplicate_column_names(self):
        table = links()
        table.columns = ["source", "target", "source"]
        with pytest.raises(
            InputError, match=r"edges table: the column name 'source' appears twice"
        ):
            cm.from_tables(nodes(), table)

    def test_ids_from_floats(self):
        table = pd.DataFrame({"id": [1.0, 2.0, 3.5], "name": list("ABC"), "kind": ["firm"] * 3})
        net = cm.from_tables(table, None)
        assert net.nodes.index.tolist() == ["1", "2", "3.5"]

    def test_year_range_setting(self, monkeypatch):
        monkeypatch.setattr(cm.settings, "year_range", (2000, 2030))
        with pytest.raises(
            InputError, match=r"row 1, column 'year': year 1999 is outside 2000..2030"
        ):
            cm.from_tables(nodes(), links(year=[1999, 2001]))

    def test_placeholder_ids_in_memory_tables(self, caplog):
        with caplog.at_level("WARNING", logger="clustermap"):
            net = cm.from_tables(nodes(), links(source=["b", "#N/A Invalid Security"]))
        assert net.n_edges == 1
        assert "'#N/A Invalid Security' (1)" in caplog.text


def test_industry_is_a_node_kind_for_industry_networks(tmp_path):
    # input-output networks live in the same model: kind "industry" is read from files too
    (tmp_path / "industries.csv").write_text("id,name\n331,Steel\n3361,Cars\n", encoding="utf-8")
    (tmp_path / "flows.csv").write_text("source,target,weight\n331,3361,5.5\n", encoding="utf-8")
    nodes = f"{tmp_path / 'industries.csv'}:industries"  # a whole file of one kind
    net = cm.read_tables(nodes, str(tmp_path / "flows.csv"), layer="supply")
    assert net.nodes["kind"].tolist() == ["industry", "industry"]
    assert net.resolve("industry").tolist() == ["331", "3361"]
    with pytest.raises(
        cm.ConfigError, match="`kind` must be one of 'firm', 'supplier', 'institution', 'industry'"
    ):
        cm.from_tables({"id": ["a"], "name": ["A"]}, None, kind="sector")
