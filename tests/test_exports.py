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

DANGEROUS = ['=HYPERLINK("http://x")', "+1+A1", "-cmd", "@SUM(A1)", "\tTab", "\rCR"]


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
    # XlsxWriter stores a carriage return as _x000D_, which Excel reads back as one
    names = [ws.cell(row=r, column=2).value.replace("_x000D_", "\r") for r in range(2, 9)]
    assert names[:6] == ["'" + v for v in DANGEROUS]
    assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(2, 9))
    assert ws.cell(row=2, column=3).value == -3.5
    assert ws.cell(row=8, column=1).value == "'=g"


def test_excel_sheet_names_are_made_valid(table, tmp_path):
    sheets = {"a/b": table, "A/B": table, "x" * 40: table}
    out = cm.write_excel(sheets, tmp_path / "t.xlsx")
    names = openpyxl.load_workbook(out).sheetnames
    assert names == ["a_b", "A_B (2)", "x" * 31, "about"]


def test_excel_atomic_when_writing_fails(table, tmp_path, monkeypatch):
    from xlsxwriter.worksheet import Worksheet

    original = Worksheet.write_row

    def broken(self, row, col, data, *args):
        if row > 3:
            raise OSError("disk full")
        return original(self, row, col, data, *args)

    monkeypatch.setattr(Worksheet, "write_row", broken)
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


# ------------------------------------------------- guard: numbers and neighbours


def test_numbers_stay_numbers_and_number_text_is_not_mangled(tmp_path):
    table = pd.DataFrame(
        {
            "growth": [-3.5, 2.0, np.nan],
            "count": pd.array([-1, None, 3], dtype="Int64"),
            "as_text": ["-3.5", "+1", "1e-3"],
            "kind": pd.Categorical(["=cmd", "firm", "=cmd"]),
            "mixed": [-2.5, "=1+1", None],
        },
        index=pd.Index(["a", "b", "c"], name="id"),
    )
    cm.write_csv(table, tmp_path / "t.csv", meta=False)
    lines = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "a,-3.5,-1,-3.5,'=cmd,-2.5"
    assert lines[2] == "b,2.0,,+1,firm,'=1+1"
    cm.write_excel(table, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["data"]
    assert [c.value for c in ws[2]] == ["a", -3.5, -1, "-3.5", "'=cmd", -2.5]
    assert [c.value for c in ws[3]] == ["b", 2, None, "+1", "firm", "'=1+1"]
    assert ws["B2"].data_type == "n"
    assert ws["D2"].data_type == "s"  # text stays text, unmangled


def test_excel_about_sheet_and_sheet_names_are_guarded(tmp_path):
    table = stamp(
        pd.DataFrame({"x": [1.0]}),
        method="what_if",
        parameters={"remove": ["=1+1"], "note": "@cmd"},
    )
    out = cm.write_excel(
        {"=sheet": table}, tmp_path / "t.xlsx", inputs={"nodes": ["=HYPERLINK(1).csv"]}
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["_=sheet", "about"]
    about = {r[0].value: r[1].value for r in book["about"].iter_rows(min_row=2)}
    assert about["parameters: remove"] == "'=1+1"
    assert about["parameters: note"] == "'@cmd"
    assert about["inputs: nodes"] == "'=HYPERLINK(1).csv"
    # the workbook has a frozen header and an autofilter, as before
    ws = book["_=sheet"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:A2"


def test_excel_past_its_row_limit_is_a_config_error(monkeypatch, tmp_path):
    import clustermap._spreadsheet as sheet

    monkeypatch.setattr(sheet, "EXCEL_MAX_ROWS", 3)
    table = pd.DataFrame({"x": range(3)})
    with pytest.raises(ConfigError, match=r"has 3 rows, more than an Excel sheet holds.*CSV"):
        cm.write_excel(table, tmp_path / "big.xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "writer",
    [
        lambda net, p: cm.write_csv(net.nodes, p / "x.csv"),
        lambda net, p: cm.write_excel(net.nodes, p / "x.xlsx"),
        lambda net, p: cm.write_json(net.nodes, p / "x.json"),
        lambda net, p: cm.write_gexf(net, p / "x.gexf"),
        lambda net, p: cm.write_graphml(net, p / "x.graphml"),
        lambda net, p: cm.save_html(net, p / "x.html"),
        lambda net, p: net.save(p / "x.cmap"),
    ],
    ids=["csv", "xlsx", "json", "gexf", "graphml", "html", "cmap"],
)
def test_every_writer_refuses_a_parent_that_is_a_file(writer, supply_chain, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match=r"cannot write .*file\.txt is a file, not a folder"):
        writer(supply_chain, blocker)
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_unwritable_folder_is_a_config_error(table, tmp_path, monkeypatch):
    import errno
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ConfigError, match=r"cannot write .*t\.csv: permission denied"):
        cm.write_csv(table, tmp_path / "t.csv")


# ----------------------------------------------------- columns= and anonymize=


def test_columns_choose_what_leaves(table, tmp_path):
    cm.write_csv(table, tmp_path / "t.csv", columns=["score"], meta=False)
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0] == "id,score"
    with pytest.raises(
        ConfigError, match=r"`columns` names \['nope'\].*it has \['name', 'score'\]"
    ):
        cm.write_excel(table, tmp_path / "t.xlsx", columns=["nope"])
    doc = json.loads(cm.write_json(table, tmp_path / "t.json", columns=["name"]).read_text())
    assert set(doc["data"][0]) == {"id", "name"}


SALT = "a long secret salt"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_salted_pseudonyms_replace_ids_and_names_everywhere(supply_chain, fmt, tmp_path):
    from clustermap._anonymize import pseudonyms

    res = cm.resilience(supply_chain)
    table = res.failure_points if fmt != "xlsx" else res
    writer = {"csv": cm.write_csv, "xlsx": cm.write_excel, "json": cm.write_json}[fmt]
    out = writer(table, tmp_path / f"r.{fmt}", anonymize=SALT)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        text = " ".join(
            str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
        )
    else:
        text = out.read_text(encoding="utf-8-sig")
        if fmt == "csv":
            text += (tmp_path / "r.meta.json").read_text(encoding="utf-8")
    fake = pseudonyms(supply_chain.nodes.index, SALT)
    for actor, name in supply_chain.nodes["name"].items():
        assert name not in text
        assert f"{actor}," not in text
    assert fake["T1a"] in text
    assert SALT not in text
    assert "salted pseudonyms" in text


def test_pseudonyms_are_the_same_on_every_sheet_and_rows_line_up(supply_chain, tmp_path):
    res = cm.resilience(supply_chain)
    out = cm.write_excel(res, tmp_path / "r.xlsx", anonymize=SALT)
    sheets = pd.read_excel(out, sheet_name=None)
    deps = sheets["dependencies"].set_index("id")
    from clustermap._anonymize import pseudonyms

    fake = pseudonyms(supply_chain.nodes.index, SALT)
    real = res.dependencies
    assert set(deps.index) == {fake[i] for i in real.index}
    assert (deps["name"] == deps.index).all()
    assert set(deps["largest_supplier"]) == {fake[i] for i in real["largest_supplier"]}
    assert (deps["largest_supplier_name"] == deps["largest_supplier"]).all()


def test_anonymize_true_replaces_names_by_ids(table, tmp_path):
    cm.write_csv(table, tmp_path / "t.csv", anonymize=True)
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", keep_default_na=False)
    assert back["name"].tolist() == back["id"].tolist()
    meta = json.loads((tmp_path / "t.meta.json").read_text(encoding="utf-8"))
    assert meta["anonymized"] == "actor names replaced by ids"


def test_anonymize_rejects_a_short_salt(table, tmp_path):
    with pytest.raises(ConfigError, match="at least 8 characters"):
        cm.write_csv(table, tmp_path / "t.csv", anonymize="short")
    assert list(tmp_path.iterdir()) == []


def test_chains_of_ids_are_pseudonymised(supply_chain, tmp_path):
    paths = cm.spillover_paths(supply_chain, sources="institution", targets="firm", max_hops=3)
    out = cm.write_csv(paths, tmp_path / "p.csv", index=False, anonymize=SALT, meta=False)
    back = pd.read_csv(out, encoding="utf-8-sig")
    hops = back["path"].str.split(" > ")
    assert (hops.str[0] == back["source"]).all()
    assert (hops.str[-1] == back["target"]).all()
    assert (back["path_names"] == back["path"]).all()
    assert not back["path"].str.contains("UNI|RC|OEM").any()


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_network_files_anonymised_with_chosen_columns(supply_chain, fmt, tmp_path):
    from clustermap._anonymize import pseudonyms

    writer = cm.write_gexf if fmt == "gexf" else cm.write_graphml
    reader = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    out = writer(
        supply_chain,
        tmp_path / f"n.{fmt}",
        columns=["name", "kind"],
        link_columns=["layer", "weight"],
        anonymize=SALT,
    )
    G = reader(out)
    fake = pseudonyms(supply_chain.nodes.index, SALT)
    assert set(G.nodes) == set(fake)
    attrs = G.nodes[fake["OEM"]]
    assert attrs["name"] == fake["OEM"]
    assert attrs["kind"] == "firm"
    assert "sector" not in attrs
    assert "region" not in attrs
    for _, _, data in G.edges(data=True):
        assert set(data) - {"id", "key", "directed", "label"} <= {"layer", "weight"}
    raw = out.read_text(encoding="utf-8")
    assert "Midland Motors" not in raw
    assert SALT not in raw
    with pytest.raises(ConfigError, match=r"`columns` names \['nope'\]"):
        writer(supply_chain, tmp_path / f"m.{fmt}", columns=["nope"])


def test_network_files_leave_out_event_lists_by_default(tmp_path, caplog):
    table = pd.DataFrame(
        {"actor": ["a", "b", "c", "a", "b"], "project": ["p1", "p1", "p1", "p2", "p2"]}
    )
    net = cm.from_participations(table, actor="actor", event="project")
    assert "event_ids" in net.edges.columns
    with caplog.at_level("INFO", logger="clustermap"):
        out = cm.write_gexf(net, tmp_path / "n.gexf")
    assert "event_ids" not in out.read_text(encoding="utf-8")
    assert any("left out link column(s) ['event_ids']" in m for m in caplog.messages)
    assert any("n.gexf (" in m and "3 actors, 3 links" in m for m in caplog.messages)
    asked = cm.write_graphml(net, tmp_path / "n.graphml", link_columns=["weight", "event_ids"])
    assert "p1;p2" in asked.read_text(encoding="utf-8")


def _every_result(net: cm.ClusterNetwork) -> dict[str, object]:
    part = cm.find_communities(net, seed=1)
    reach = cm.spillover_reach(net, sources="institution", groups="kind", seed=1)
    return {
        "centrality": cm.centrality(net, seed=1),
        "brokerage": cm.brokerage(net),
        "resilience": cm.resilience(net),
        "what_if": cm.simulate_removal(net, ["T1a"]),
        "paths": cm.spillover_paths(net, sources="institution", targets="firm", max_hops=3),
        "brokers": cm.spillover_brokers(net, sources="institution", targets="firm"),
        "reach": reach,
        "reach_summary": reach.summary,
        "roles": cm.knowledge_roles(net, internal={"kind": ["firm", "supplier"]}),
        "diffusion": cm.simulate_diffusion(net, sources="institution", runs=20, seed=1),
        "communities": part.to_sheets(net),
        "membership": part.to_frame(net),
    }


def test_no_actor_id_or_name_leaves_in_any_result(supply_chain, tmp_path):
    secret = set(supply_chain.nodes.index) | set(supply_chain.nodes["name"])
    leaks = []
    for label, result in _every_result(supply_chain).items():
        out = cm.write_excel(result, tmp_path / f"{label}.xlsx", anonymize=SALT)
        for ws in openpyxl.load_workbook(out).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    tokens = str(cell.value).replace(" > ", "\n").replace("; ", "\n").split("\n")
                    leaks += [
                        f"{label}!{ws.title}!{cell.coordinate}" for t in tokens if t in secret
                    ]
        if not isinstance(result, dict):
            csv_out = cm.write_csv(result, tmp_path / f"{label}.csv", anonymize=SALT)
            back = pd.read_csv(csv_out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
            for col in back.columns:
                for value in back[col]:
                    tokens = value.replace(" > ", "\n").replace("; ", "\n").split("\n")
                    leaks += [f"{label}.csv:{col}" for t in tokens if t in secret]
    assert leaks == []
