"""Tests for clustermap.exports: CSV, Excel, JSON, GEXF and GraphML, written safely."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest

import clustermap as cm
from clustermap._provenance import stamp
from clustermap.errors import ConfigError

DANGEROUS = ['=HYPERLINK("http://x")', "+1", "-cmd", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture
def table() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "name": [*DANGEROUS, "Société Générale"],
            "score": [-3.5, 1.0, 2.0, 3.0, 4.0, 5.0, np.nan],
        },
        index=pd.Index(["a", "b", "c", "d", "e", "f", "=g"], name="id"),
    )
    return stamp(df, method="test", parameters={"k": 1}, seed=3, layers=["supply"])


@pytest.fixture
def partition(supply_chain) -> cm.Partition:
    return cm.find_communities(supply_chain, seed=1)


def _no_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


# -------------------------------------------------------------------- CSV


def test_csv_has_bom_and_guards_formulas(table, tmp_path):
    out = cm.write_csv(table, tmp_path / "t.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out, encoding="utf-8-sig", index_col="id", keep_default_na=False)
    assert back["name"].tolist()[:6] == ["'" + v for v in DANGEROUS]
    assert back["name"].tolist()[6] == "Société Générale"
    assert back.index[-1] == "'=g"
    assert back["score"].tolist()[0] == "-3.5"  # numbers are never guarded


def test_csv_meta_json(table, tmp_path):
    cm.write_csv(table, tmp_path / "t.csv", inputs={"nodes": ["firms.csv"]})
    meta = json.loads((tmp_path / "t.meta.json").read_text(encoding="utf-8"))
    assert meta["method"] == "test"
    assert meta["parameters"] == {"k": 1}
    assert meta["seed"] == 3
    assert meta["layers"] == ["supply"]
    assert meta["inputs"] == {"nodes": ["firms.csv"]}
    assert {"clustermap_version", "created", "written"} <= set(meta)


def test_csv_without_meta(table, tmp_path):
    cm.write_csv(table, tmp_path / "t.csv", meta=False)
    assert not (tmp_path / "t.meta.json").exists()


def test_csv_of_partition(partition, supply_chain, tmp_path):
    cm.write_csv(partition.to_frame(supply_chain), tmp_path / "c.csv")
    back = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig", index_col="id")
    assert back["community"].to_dict() == partition.membership.to_dict()
    meta = json.loads((tmp_path / "c.meta.json").read_text(encoding="utf-8"))
    assert meta["method"] == "leiden"
    assert meta["quality"]["n_communities"] == partition.n_communities


def test_csv_atomic_when_writing_fails(table, tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("old", encoding="utf-8")

    def broken(self, path, *args, **kwargs):
        Path(path).write_text("id,name\npartial", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        cm.write_csv(table, target)
    assert target.read_text(encoding="utf-8") == "old"
    _no_leftovers(tmp_path)


def test_csv_rejects_other_objects(tmp_path):
    with pytest.raises(ConfigError, match="can only write"):
        cm.write_csv(object(), tmp_path / "x.csv")


# ------------------------------------------------------------------ Excel


def test_excel_of_partition_has_membership_profiles_and_about(partition, supply_chain, tmp_path):
    score = pd.Series(np.arange(9.0), index=supply_chain.nodes.index, name="betweenness")
    out = cm.write_excel(
        partition.to_sheets(supply_chain, centrality=score),
        tmp_path / "communities.xlsx",
        inputs={"nodes": ["firms.csv"], "links": ["links.csv"]},
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["membership", "profiles", "about"]
    header = [c.value for c in book["membership"][1]]
    assert header == [
        "id",
        "name",
        "kind",
        "community",
        "community_label",
        "community_size",
        "betweenness",
    ]
    membership = pd.read_excel(out, sheet_name="membership", index_col="id")
    assert membership["community"].to_dict() == partition.membership.to_dict()
    assert membership.loc["UNI", "name"] == "University of Midland"
    profiles = pd.read_excel(out, sheet_name="profiles", index_col="community")
    assert profiles["size"].sum() == 9
    assert {"label", "top_members", "internal_density", "conductance"} <= set(profiles.columns)
    about = dict(pd.read_excel(out, sheet_name="about").to_numpy().tolist())
    assert about["method"] == "leiden"
    assert about["parameters: resolution"] == 1.0
    assert about["seed"] == 1
    assert about["inputs: nodes"] == "firms.csv"
    assert about["inputs: links"] == "links.csv"
    assert about["quality: modularity"] == pytest.approx(partition.quality["modularity"])
    assert {"clustermap_version", "created", "written"} <= set(about)


def test_excel_guards_formulas(table, tmp_path):
    out = cm.write_excel(table, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(out)["data"]
    names = [ws.cell(row=r, column=2).value for r in range(2, 9)]
    # Excel (XML) stores a carriage return as a line feed
    assert names[:6] == ["'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(2, 9))
    assert ws.cell(row=2, column=3).value == -3.5
    assert ws.cell(row=8, column=1).value == "'=g"


def test_excel_sheet_names_are_made_valid(table, tmp_path):
    sheets = {"a/b": table, "A/B": table, "x" * 40: table}
    out = cm.write_excel(sheets, tmp_path / "t.xlsx")
    names = openpyxl.load_workbook(out).sheetnames
    assert names == ["a_b", "A_B (2)", "x" * 31, "about"]


def test_excel_atomic_when_writing_fails(table, tmp_path, monkeypatch):
    original = pd.DataFrame.to_excel

    def broken(self, writer, *args, sheet_name="Sheet1", **kwargs):
        if sheet_name == "about":
            return original(self, writer, *args, sheet_name=sheet_name, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_excel", broken)
    with pytest.raises(OSError, match="disk full"):
        cm.write_excel(table, tmp_path / "t.xlsx")
    assert not (tmp_path / "t.xlsx").exists()
    _no_leftovers(tmp_path)


# ------------------------------------------------------------------- JSON


def test_json_is_not_guarded_and_nulls_missing(table, tmp_path):
    out = cm.write_json(table, tmp_path / "t.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [r["name"] for r in doc["data"]][:6] == DANGEROUS
    assert doc["data"][-1] == {"id": "=g", "name": "Société Générale", "score": None}
    assert doc["meta"]["method"] == "test"


def test_json_of_partition_carries_inputs(partition, tmp_path):
    out = cm.write_json(partition, tmp_path / "c.json", inputs={"nodes": ["n.csv"]})
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["meta"]["inputs"] == {"nodes": ["n.csv"]}
    assert doc["meta"]["seed"] == 1
    assert sum(c["size"] for c in doc["communities"]) == 9


# ------------------------------------------------------- GEXF and GraphML


@pytest.fixture
def annotated(supply_chain) -> cm.ClusterNetwork:
    """The supply chain with awkward columns: lists, missing values, nullable ints."""
    extra = pd.DataFrame(
        {
            "tags": [["auto", "oem"], [], ("a", "b")] + [None] * 6,
            "employees": pd.array([1200, None, 80, 40, None, 15, 3000, 120, 20], dtype="Int64"),
            "listed": [True, False, False, False, False, False, False, False, False],
            "since": pd.to_datetime(["2001-05-01"] + [None] * 8),
        },
        index=supply_chain.nodes.index,
    )
    return supply_chain.annotate(extra)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_network_file_round_trip(annotated, fmt, tmp_path):
    part = cm.find_communities(annotated, seed=1)
    score = pd.Series(np.linspace(0, 1, 9), index=annotated.nodes.index, name="betweenness")
    score.iloc[2] = np.nan
    writer = cm.write_gexf if fmt == "gexf" else cm.write_graphml
    reader = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    out = writer(annotated, tmp_path / f"net.{fmt}", results=[part, score])
    G = reader(out)
    assert G.is_directed()
    assert G.number_of_nodes() == annotated.n_nodes
    assert G.number_of_edges() == annotated.n_edges
    for node, c in part.membership.items():
        assert G.nodes[node]["community"] == c
    labels = part.labels(annotated)
    assert G.nodes["OEM"]["community_label"] == labels[part.membership["OEM"]]
    assert G.nodes["OEM"]["name"] == "Midland Motors"
    assert G.nodes["OEM"]["tags"] == "auto; oem"
    assert G.nodes["T1b"]["tags"] == "a; b"
    assert G.nodes["T1a"].get("tags", "") == ""
    assert "tags" not in G.nodes["RC"]
    assert G.nodes["OEM"]["employees"] == 1200
    assert "employees" not in G.nodes["T1a"]
    assert G.nodes["OEM"]["listed"] is True
    assert G.nodes["OEM"]["since"].startswith("2001-05-01")
    assert "betweenness" not in G.nodes["T1b"]
    assert G.nodes["T1a"]["betweenness"] == pytest.approx(0.125)
    edges = list(G.edges(data=True))
    by_layer = {d["layer"]: d for _, _, d in edges}
    assert by_layer["knowledge"]["directed"] is False
    assert by_layer["supply"]["directed"] is True
    weights = sorted(d["weight"] for _, _, d in edges)
    assert weights == sorted(annotated.edges["weight"].tolist())
    supply_years = sorted(d["year"] for _, _, d in edges if d["layer"] == "supply")
    assert supply_years == sorted(annotated.edges.query("layer == 'supply'")["year"].tolist())
    _no_leftovers(tmp_path)


def test_gexf_renames_type_and_labels_nodes(tmp_path):
    nodes = pd.DataFrame({"id": ["a", "b"], "name": ["Alpha", "Beta"], "kind": "firm"})
    edges = pd.DataFrame(
        {"source": ["a"], "target": ["b"], "layer": ["knowledge"], "type": ["co-patent"]}
    )
    net = cm.from_tables(nodes, edges)
    out = cm.write_gexf(net, tmp_path / "n.gexf")
    G = nx.read_gexf(out)
    assert not G.is_directed()
    assert G.nodes["a"]["label"] == "Alpha"
    ((_, _, data),) = G.edges(data=True)
    assert data["link_type"] == "co-patent"
    H = nx.read_graphml(cm.write_graphml(net, tmp_path / "n.graphml"))
    ((_, _, data),) = H.edges(data=True)
    assert data["type"] == "co-patent"
    assert H.graph["clustermap_version"] == cm.__version__


def test_graphml_records_how_results_were_made(partition, supply_chain, tmp_path):
    H = nx.read_graphml(cm.write_graphml(supply_chain, tmp_path / "n.graphml", results=partition))
    made = json.loads(H.graph["results"])
    assert made[0]["method"] == "leiden"
    assert made[0]["seed"] == 1


@pytest.mark.parametrize("writer", [cm.write_gexf, cm.write_graphml])
def test_network_file_atomic_when_writing_fails(supply_chain, writer, tmp_path, monkeypatch):
    target = tmp_path / "n.out"
    target.write_text("old", encoding="utf-8")

    def broken(G, path, *args, **kwargs):
        Path(path).write_text("<partial", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(nx, "write_gexf", broken)
    monkeypatch.setattr(nx, "write_graphml", broken)
    with pytest.raises(OSError, match="disk full"):
        writer(supply_chain, target)
    assert target.read_text(encoding="utf-8") == "old"
    _no_leftovers(tmp_path)


@pytest.mark.parametrize(
    ("results", "match"),
    [
        ([1, 2, 3], "results must be partitions, Series or DataFrames"),
        (pd.Series(1.0, index=["OEM"], name="label"), "reserved in network files"),
    ],
)
def test_network_file_bad_results(supply_chain, results, match, tmp_path):
    with pytest.raises(ConfigError, match=match):
        cm.write_gexf(supply_chain, tmp_path / "n.gexf", results=results)
    assert not (tmp_path / "n.gexf").exists()


def test_network_file_renames_clashing_result_columns(supply_chain, tmp_path):
    # the one rule of clustermap._results: clashes are renamed "<result name>.<column>"
    first = pd.Series(1.0, index=["OEM"], name="s")
    second = pd.Series(2.0, index=["OEM"], name="s")
    G = nx.read_graphml(
        cm.write_graphml(supply_chain, tmp_path / "n.graphml", results={"a": first, "b": second})
    )
    assert G.nodes["OEM"]["s"] == 1.0
    assert G.nodes["OEM"]["b.s"] == 2.0


def test_gexf_takes_a_centrality_table_that_repeats_name_and_kind(tmp_path):
    import networkx as nx

    import clustermap as cm

    net = cm.make_cluster(n_actors=40, seed=2)
    scores = cm.centrality(net, measures=["degree"])
    assert {"name", "kind"} <= set(scores.columns)
    path = cm.write_gexf(net, tmp_path / "g.gexf", results=[scores])
    G = nx.read_gexf(path)
    node = next(iter(G.nodes(data=True)))[1]
    assert "degree" in node
    changed = scores.assign(kind="firm")
    G = nx.read_gexf(cm.write_gexf(net, tmp_path / "h.gexf", results={"scores": changed}))
    assert {d["scores.kind"] for _, d in G.nodes(data=True)} == {"firm"}
    assert {d["kind"] for _, d in G.nodes(data=True)} == set(net.nodes["kind"])
