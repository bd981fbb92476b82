"""The one rule that turns results into actor columns (clustermap._results)."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

import clustermap as cm
from clustermap._results import named_results, result_columns
from clustermap.exports import _result_columns
from clustermap.views._data import gather_results


@pytest.fixture
def partition(supply_chain):
    return cm.find_communities(supply_chain, seed=1)


def test_partition_gives_community_and_label(supply_chain, partition):
    cols = result_columns(supply_chain, partition)
    assert cols.partition is partition
    assert list(cols.table.columns) == ["community", "community_label"]
    labels = partition.labels(supply_chain)
    assert cols.table.loc["OEM", "community"] == partition.membership["OEM"]
    assert cols.table.loc["OEM", "community_label"] == labels[partition.membership["OEM"]]


def test_names_of_results():
    s = pd.Series([1.0], name="pagerank")
    assert [k for k, _ in named_results([s, pd.DataFrame(), None])] == ["pagerank", "result 2"]
    assert [k for k, _ in named_results(s)] == ["results"]
    assert named_results(None) == []


def test_same_valued_node_columns_dropped_others_renamed(supply_chain):
    nodes = supply_chain.nodes
    scores = pd.DataFrame(
        {"name": nodes["name"], "kind": nodes["kind"], "degree": range(len(nodes))},
        index=nodes.index,
    )
    other = pd.DataFrame({"degree": 5.0, "kind": "x"}, index=["OEM", "T1a"])
    cols = result_columns(supply_chain, {"centrality": scores, "guess": other})
    assert list(cols.table.columns) == ["degree", "guess.degree", "guess.kind"]
    assert cols.sources == {"degree": "centrality", "guess.degree": "guess", "guess.kind": "guess"}
    assert cols.table.loc["OEM", "guess.degree"] == 5.0
    assert pd.isna(cols.table.loc["RC", "guess.degree"])  # actors not covered: missing
    assert cols.joined(nodes).loc["OEM", "kind"] == nodes.loc["OEM", "kind"]


def test_partial_result_repeating_names_is_not_a_clash(supply_chain):
    # a table of three actors carrying their own names repeats the node table there
    part = supply_chain.nodes[["name"]].iloc[:3].assign(score=1.0)
    assert list(result_columns(supply_chain, part).table.columns) == ["score"]


def test_duplicate_ids_keep_first_and_ids_are_text(supply_chain):
    table = pd.DataFrame({"x": [1, 2]}, index=["OEM", "OEM"])
    assert result_columns(supply_chain, table).table.loc["OEM", "x"] == 1


def test_tables_not_about_actors_are_skipped(supply_chain, caplog):
    paths = pd.DataFrame({"source": ["RC"], "target": ["OEM"]})
    with caplog.at_level(logging.INFO, logger="clustermap._results"):
        cols = result_columns(supply_chain, {"paths": paths})
    assert cols.table.shape[1] == 0
    assert "'paths' is not indexed by actor id" in caplog.text


def test_bad_result_type(supply_chain):
    with pytest.raises(cm.ConfigError, match="result 'x' is a int"):
        result_columns(supply_chain, {"x": 3})


def test_views_and_exports_use_the_same_columns(supply_chain, partition):
    scores = cm.centrality(supply_chain, measures=["degree", "pagerank"])
    results = {"partition": partition, "centrality": scores}
    view_table, view_part, added = gather_results(supply_chain, results)
    export_table = _result_columns(supply_chain, results)
    assert (
        added == list(export_table.columns) == ["community", "community_label", *scores.columns[2:]]
    )
    assert view_part is partition
    pd.testing.assert_frame_equal(view_table[added], export_table)
