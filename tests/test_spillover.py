"""Spillover channels and brokers: hand-worked chains, known second-best paths, networkx checks."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import clustermap as cm
from clustermap.analysis.spillover import PATH_SEPARATOR
from clustermap.cli import main  # imported first, so that every command registers
from clustermap.errors import ConfigError, InputError


def make_net(
    edges: list[tuple[str, str, float]],
    *,
    kinds: dict[str, str] | None = None,
    layer: str = "knowledge",
    directed: bool = False,
    extra: dict[str, list[object]] | None = None,
) -> cm.ClusterNetwork:
    ids = sorted({x for e in edges for x in e[:2]} | set(kinds or {}))
    kinds = kinds or {}
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Actor {x}" for x in ids],
            "kind": [kinds.get(x, "firm") for x in ids],
        }
    )
    table = pd.DataFrame(edges, columns=["source", "target", "weight"]).assign(layer=layer)
    for column, values in (extra or {}).items():
        table[column] = values
    return cm.from_tables(nodes, table, directed={layer: directed})


@pytest.fixture
def chain() -> cm.ClusterNetwork:
    """a - b - c - d with a side tie a - e.

    Strengths: s_a = 2 + 2 = 4, s_b = 2 + 1 = 3, s_c = 1 + 3 = 4. So
    p(a->b) = 2/4, p(b->c) = 1/3, p(c->d) = 3/4 and the channel a -> d has
    strength 1/2 * 1/3 * 3/4 = 1/8, bottleneck 1/3.
    """
    return make_net(
        [("a", "b", 2.0), ("b", "c", 1.0), ("c", "d", 3.0), ("a", "e", 2.0)],
        kinds={"a": "institution"},
    )


@pytest.fixture
def diamond() -> cm.ClusterNetwork:
    """s - x - t and s - y - t: two channels whose strengths are known.

    s_s = 3 + 1 = 4, s_x = 3 + 1 = 4, s_y = 1 + 2 = 3.
    Via x: p(s->x) p(x->t) = 3/4 * 1/4 = 3/16 = 0.1875 (best).
    Via y: p(s->y) p(y->t) = 1/4 * 2/3 = 1/6 (second best). No other path.
    """
    return make_net(
        [("s", "x", 3.0), ("x", "t", 1.0), ("s", "y", 1.0), ("y", "t", 2.0)],
        kinds={"s": "institution"},
    )


def test_chain_best_path_by_hand(chain):
    paths = cm.spillover_paths(chain, sources=["a"], targets=["d"])
    assert len(paths) == 1
    row = paths.iloc[0]
    assert (row["source"], row["target"], row["rank"], row["hops"]) == ("a", "d", 1, 3)
    assert row["path"] == "a > b > c > d"
    assert row["path_names"] == "Actor a > Actor b > Actor c > Actor d"
    assert row["intermediaries"] == "b > c"
    assert row["strength"] == pytest.approx(1 / 8)
    assert row["bottleneck"] == pytest.approx(1 / 3)


def test_chain_every_target(chain):
    paths = cm.spillover_paths(chain, sources="institution", targets="firm").set_index("target")
    expected = {"b": 0.5, "c": 0.5 / 3, "d": 1 / 8, "e": 0.5}
    assert paths["strength"].to_dict() == pytest.approx(expected)
    assert paths.loc["b", "intermediaries"] == ""
    # strongest pairs first
    assert paths["strength"].is_monotonic_decreasing


def test_max_hops_drops_longer_channels(chain):
    paths = cm.spillover_paths(chain, sources=["a"], targets=["c", "d"], max_hops=2)
    assert paths["target"].tolist() == ["c"]
    assert paths.attrs["pairs_without_channel"] == 1
    assert paths.attrs["pairs_with_channel"] == 1


def test_max_hops_keeps_the_strongest_short_channel():
    # u - a - b - c is the strongest channel to c (3 hops, 1/6); the direct tie u - c is weak
    net = make_net(
        [("u", "a", 10.0), ("a", "b", 10.0), ("b", "c", 10.0), ("u", "c", 0.1), ("u", "x", 5.0)],
        kinds={"u": "institution"},
    )
    long = cm.spillover_paths(net, sources=["u"], targets=["c"], k=1, max_hops=3)
    assert long["path"].tolist() == ["u > a > b > c"]
    assert long["strength"].iloc[0] == pytest.approx(10 / 15.1 * 0.5 * 0.5)
    short = cm.spillover_paths(net, sources=["u"], targets=["c", "b"], k=1, max_hops=2)
    rows = short.set_index("target")
    assert rows.loc["c", "path"] == "u > c"
    assert rows.loc["c", "strength"] == pytest.approx(0.1 / 15.1)
    assert rows.loc["b", "path"] == "u > a > b"
    assert short.attrs["pairs_without_channel"] == 0


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("max_hops", [1, 2, 3])
def test_max_hops_against_brute_force(seed, max_hops):
    rng = np.random.default_rng(seed)
    G = nx.gnm_random_graph(12, 26, seed=seed)
    edges = [(f"n{u:02d}", f"n{v:02d}", float(rng.integers(1, 9))) for u, v in G.edges()]
    net = make_net(edges)
    H = _nx_cost_graph(net)
    sources = ["n00", "n01"]
    targets = [x for x in net.nodes.index if x not in sources]
    paths = cm.spillover_paths(net, sources=sources, targets=targets, k=1, max_hops=max_hops)
    best = paths.set_index(["source", "target"])
    for s in sources:
        for t in targets:
            options = [
                math.exp(-nx.path_weight(H, p, "cost"))
                for p in nx.all_simple_paths(H, s, t, cutoff=max_hops)
            ]
            if options:
                assert best.loc[(s, t), "strength"] == pytest.approx(max(options))
                assert best.loc[(s, t), "hops"] <= max_hops
                ids = best.loc[(s, t), "path"].split(PATH_SEPARATOR)
                assert all(H.has_edge(u, v) for u, v in itertools.pairwise(ids))
            else:
                assert (s, t) not in best.index


def test_second_best_path_known(diamond):
    paths = cm.spillover_paths(diamond, sources=["s"], targets=["t"], k=3)
    assert paths["rank"].tolist() == [1, 2]  # only two loopless paths exist
    assert paths["path"].tolist() == ["s > x > t", "s > y > t"]
    assert paths["strength"].tolist() == pytest.approx([3 / 16, 1 / 6])
    assert paths["bottleneck"].tolist() == pytest.approx([1 / 4, 1 / 4])
    assert paths["intermediaries"].tolist() == ["x", "y"]


def test_k1_gives_only_best(diamond):
    paths = cm.spillover_paths(diamond, sources=["s"], targets=["t"], k=1)
    assert paths["path"].tolist() == ["s > x > t"]


def test_alternatives_only_for_pairs_asked(diamond):
    asked = cm.spillover_paths(diamond, sources=["s"], targets=["x", "t"], pairs=[("s", "t")])
    assert asked.groupby("target")["rank"].max().to_dict() == {"t": 2, "x": 1}
    # s -> x has a second channel s > y > t > x as well; ask for that pair only
    only_x = cm.spillover_paths(diamond, sources=["s"], targets=["x", "t"], pairs=[("s", "x")])
    assert only_x.groupby("target")["rank"].max().to_dict() == {"t": 1, "x": 2}
    assert only_x.attrs["pairs_with_alternatives"] == 1


def test_top_pairs_setting_limits_alternatives(diamond, monkeypatch):
    monkeypatch.setattr(cm.settings, "spillover_top_pairs", 1)
    paths = cm.spillover_paths(diamond, sources=["s"], targets=["x", "y", "t"])
    assert paths.attrs["pairs_with_alternatives"] == 1
    strongest = paths[paths["rank"] == 1].iloc[0]["target"]
    assert set(paths.loc[paths["rank"] > 1, "target"]) == {strongest}


def test_probability_column_replaces_weights(chain):
    net = make_net(
        [("a", "b", 1.0), ("b", "c", 1.0), ("a", "b", 1.0)],
        extra={"p": [0.5, 0.2, 0.5]},
    )
    # parallel links a - b combine as 1 - (1 - 0.5)(1 - 0.5) = 0.75
    paths = cm.spillover_paths(net, sources=["a"], targets=["c"], probability="p")
    assert paths.iloc[0]["strength"] == pytest.approx(0.75 * 0.2)
    assert paths.iloc[0]["bottleneck"] == pytest.approx(0.2)
    assert "links column" in paths.attrs["definition"]


@pytest.mark.parametrize("bad", [0.0, 1.5, -0.1, float("nan")])
def test_probability_column_out_of_range(bad):
    net = make_net([("a", "b", 1.0), ("b", "c", 1.0)], extra={"p": [0.5, bad]})
    with pytest.raises(InputError, match=r"the link 'b' -> 'c' \(layer 'knowledge'\): column 'p'"):
        cm.spillover_paths(net, sources=["a"], targets=["c"], probability="p")


def test_directed_layer_only_forwards():
    net = make_net([("a", "b", 1.0), ("b", "c", 1.0)], layer="advice", directed=True)
    forward = cm.spillover_paths(net, sources=["a"], targets=["c"], layers="advice")
    assert forward["path"].tolist() == ["a > b > c"]
    assert forward.iloc[0]["strength"] == pytest.approx(1.0)
    backward = cm.spillover_paths(net, sources=["c"], targets=["a"], layers="advice")
    assert backward.empty
    assert list(backward.columns) == list(forward.columns)


def test_supply_chain_fixture_by_hand(supply_chain):
    """Knowledge layer: s_UNI = 3, s_RC = 2, so UNI -> OEM via RC is 1/3 * 1/2."""
    paths = cm.spillover_paths(
        supply_chain,
        sources={"category": ["university"]},
        targets={"kind": ["firm", "supplier"]},
    ).set_index(["target", "rank"])
    row = paths.loc[("OEM", 1)]
    assert row["path"] == "UNI > RC > OEM"
    assert row["strength"] == pytest.approx(1 / 6)
    # T2* suppliers have no knowledge ties: no channel
    assert not paths.index.get_level_values("target").str.startswith("T2").any()
    # UNI -> T1a: direct (1/3) beats UNI > T1b > T1a (1/3 * 2/3)
    assert paths.loc[("T1a", 1), "strength"] == pytest.approx(1 / 3)
    assert paths.loc[("T1a", 2), "path"] == "UNI > T1b > T1a"
    assert paths.loc[("T1a", 2), "strength"] == pytest.approx(2 / 9)


def _nx_cost_graph(net: cm.ClusterNetwork) -> nx.DiGraph:
    """An independent transfer graph: p = w / strength from the raw edge table."""
    e = net.edges
    both = pd.concat(
        [
            e[["source", "target", "weight"]],
            e.rename(columns={"source": "target", "target": "source"}),
        ]
    )
    both = both[both["source"] != both["target"]]
    agg = both.groupby(["source", "target"], as_index=False)["weight"].sum()
    agg["p"] = agg["weight"] / agg.groupby("source")["weight"].transform("sum")
    agg["cost"] = -np.log(agg["p"])
    G = nx.DiGraph()
    G.add_nodes_from(net.nodes.index)
    G.add_weighted_edges_from(agg[["source", "target", "cost"]].itertuples(index=False), "cost")
    return G


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_against_networkx_on_random_graphs(seed):
    rng = np.random.default_rng(seed)
    G = nx.gnm_random_graph(14, 30, seed=seed)
    edges = [(f"n{u:02d}", f"n{v:02d}", float(rng.integers(1, 5))) for u, v in G.edges()]
    net = make_net(edges)
    H = _nx_cost_graph(net)
    sources = ["n00", "n01", "n02"]
    targets = [x for x in net.nodes.index if x not in sources]
    paths = cm.spillover_paths(net, sources=sources, targets=targets, k=4, max_hops=50)
    best = paths[paths["rank"] == 1].set_index(["source", "target"])["strength"]
    for s in sources:
        lengths = nx.single_source_dijkstra_path_length(H, s, weight="cost")
        for t in targets:
            if t in lengths:
                assert best.loc[(s, t)] == pytest.approx(math.exp(-lengths[t]))
            else:
                assert (s, t) not in best.index
    # k best alternatives match networkx's loopless shortest paths (by strength)
    assert paths.attrs["pairs_with_alternatives"] == len(best)  # all pairs (< top pairs)
    for (s, t), rows in paths.groupby(["source", "target"]):
        gen = nx.shortest_simple_paths(H, s, t, weight="cost")
        want = [
            math.exp(-nx.path_weight(H, p, "cost")) for _, p in zip(range(4), gen, strict=False)
        ]
        assert rows.sort_values("rank")["strength"].tolist() == pytest.approx(want)
        # each path string is a real path of the stated length
        for path, hops in zip(rows["path"], rows["hops"], strict=True):
            ids = path.split(PATH_SEPARATOR)
            assert len(ids) == hops + 1
            assert all(H.has_edge(u, v) for u, v in itertools.pairwise(ids))


def test_brokers_on_star():
    """u - h, h - a, h - b, h - c: every channel from u to a, b, c runs through h."""
    net = make_net(
        [("u", "h", 1.0), ("h", "a", 1.0), ("h", "b", 1.0), ("h", "c", 2.0)],
        kinds={"u": "institution"},
    )
    brokers = cm.spillover_brokers(net, sources="institution", targets=["a", "b", "c"])
    assert brokers.index.tolist() == ["h"]
    h = brokers.loc["h"]
    assert h["channels"] == 3
    assert h["share"] == pytest.approx(1.0)
    # s_h = 1 + 1 + 1 + 2 = 5; strengths 1/5, 1/5, 2/5
    assert h["strength"] == pytest.approx(0.8)
    assert h["strength_share"] == pytest.approx(1.0)
    assert (h["sources"], h["targets"]) == (1, 3)
    assert brokers.attrs["total_channels"] == 3


def test_brokers_agree_with_paths(supply_chain):
    kw = {"sources": "institution", "targets": {"kind": ["firm", "supplier"]}, "layers": None}
    paths = cm.spillover_paths(supply_chain, k=1, **kw)
    brokers = cm.spillover_brokers(supply_chain, **kw)
    inner = paths["intermediaries"].str.split(PATH_SEPARATOR).explode()
    counts = inner[inner != ""].value_counts()
    assert brokers["channels"].to_dict() == counts.to_dict()
    assert brokers["channels"].is_monotonic_decreasing
    assert brokers.attrs["total_channels"] == len(paths)


def test_results_are_stamped_and_input_untouched(chain):
    before = cm.ClusterNetwork._trusted(chain.nodes, chain.edges, chain.directed, chain.meta)
    paths = cm.spillover_paths(chain, sources=["a"], targets="firm")
    brokers = cm.spillover_brokers(chain, sources=["a"], targets="firm")
    for result, method in ((paths, "spillover_paths"), (brokers, "spillover_brokers")):
        assert result.attrs["method"] == method
        assert result.attrs["layers"] == ["knowledge"]
        assert result.attrs["parameters"]["max_hops"] == 4
    assert chain.equals(before)


def test_exports_write_paths(chain, tmp_path):
    paths = cm.spillover_paths(chain, sources=["a"], targets="firm")
    out = cm.write_csv(paths, tmp_path / "paths.csv", index=False)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("source,target,rank,hops,path,path_names")
    assert (tmp_path / "paths.meta.json").exists()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sources": {"category": ["university"]}}, r"`sources` selects nobody: .*category"),
        ({"targets": {"kind": "supplier"}}, r"`targets` selects nobody: no actor has kind"),
        ({"sources": ["zz"]}, r"`sources` names ids that are not in the network: 'zz'"),
        ({"pairs": [("a", "zz")]}, r"`pairs` names ids that are not in the network"),
    ],
)
def test_input_errors(chain, kwargs, match):
    args = {"sources": ["a"], "targets": "firm", **kwargs}
    if "category" in str(kwargs):
        chain = chain.annotate(pd.Series("x", index=chain.nodes.index, name="category"))
    with pytest.raises(InputError, match=match):
        cm.spillover_paths(chain, **args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"k": 0}, r"`k` must be a whole number >= 1"),
        ({"k": 2.5}, r"`k` must be a whole number"),
        ({"max_hops": 0}, r"`max_hops` must be a whole number >= 1"),
        ({"layers": "gossip"}, r"unknown layer\(s\) 'gossip'; `layers` must be among"),
        ({"layers": []}, r"`layers` is empty"),
        ({"probability": "nope"}, r"`probability` names column 'nope'"),
        ({"probability": "source"}, r"`probability` names column 'source'"),
        ({"pairs": ["ad"]}, r"`pairs` must be \(source id, target id\) tuples"),
        ({"sources": "university"}, r"`sources` is the string 'university'"),
    ],
)
def test_config_errors(chain, kwargs, match):
    args = {"sources": ["a"], "targets": "firm", **kwargs}
    with pytest.raises(ConfigError, match=match):
        cm.spillover_paths(chain, **args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_hops": -1}, r"`max_hops` must be a whole number >= 1"),
        ({"layers": "gossip"}, r"unknown layer"),
        ({"probability": "nope"}, r"`probability` names column 'nope'"),
    ],
)
def test_broker_config_errors(chain, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        cm.spillover_brokers(chain, sources=["a"], targets="firm", **kwargs)


def test_broker_selection_error(chain):
    with pytest.raises(InputError, match="`targets` selects nobody"):
        cm.spillover_brokers(chain, sources=["a"], targets="supplier")


def test_no_channel_at_all():
    net = make_net([("a", "b", 1.0)], kinds={"c": "institution"})
    paths = cm.spillover_paths(net, sources="institution", targets="firm")
    assert paths.empty
    assert paths.attrs["pairs_without_channel"] == 2
    brokers = cm.spillover_brokers(net, sources="institution", targets="firm")
    assert brokers.empty
    assert brokers.attrs["total_channels"] == 0


@pytest.mark.parametrize("seed", [4, 5])
def test_alternatives_respect_max_hops(seed):
    """With a hop limit, alternatives are the strongest short paths, in order."""
    rng = np.random.default_rng(seed)
    G = nx.gnm_random_graph(12, 28, seed=seed)
    edges = [(f"n{u:02d}", f"n{v:02d}", float(rng.integers(1, 5))) for u, v in G.edges()]
    net = make_net(edges)
    H = _nx_cost_graph(net)
    paths = cm.spillover_paths(net, sources=["n00"], targets="firm", k=4, max_hops=3)
    assert paths["hops"].max() <= 3
    assert len(paths) > paths["target"].nunique()  # some pairs have alternatives
    for (s, t), rows in paths.groupby(["source", "target"]):
        short = sorted(
            math.exp(-nx.path_weight(H, p, "cost")) for p in nx.all_simple_paths(H, s, t, cutoff=3)
        )[::-1]
        got = rows.sort_values("rank")["strength"].tolist()
        assert got == pytest.approx(short[: len(got)])


# ----------------------------------------------------------------- command line


@pytest.fixture
def files(tmp_path):
    (tmp_path / "nodes.csv").write_text(
        "id,name,kind,category,region\n"
        "u1,Uni One,institution,university,N\n"
        "r1,Lab,institution,research centre,S\n"
        "f1,Acme,firm,OEM,N\n"
        "f2,Bolt,firm,OEM,S\n"
        "s1,Cast,supplier,tier 1,3\n"
    )
    (tmp_path / "links.csv").write_text(
        "source,target,layer,weight\n"
        "u1,f1,knowledge,2\n"
        "f1,s1,knowledge,1\n"
        "r1,f2,knowledge,1\n"
        "f2,f1,knowledge,1\n"
        "s1,f1,supply,1\n"
    )
    return tmp_path


def _cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_writes_every_table(files):
    out = files / "out"
    result = _cli(
        "spillover",
        "--nodes",
        files / "nodes.csv",
        "--links",
        files / "links.csv",
        "--sources",
        "category=university,research centre",
        "--targets",
        "firm",
        "--groups",
        "region",
        "--runs",
        200,
        "--out-dir",
        out,
    )
    assert result.exit_code == 0, result.output
    names = {
        "spillover_paths.csv",
        "spillover_brokers.csv",
        "spillover_reach.csv",
        "spillover_reach_summary.csv",
        "knowledge_roles.csv",
        "spillover_diffusion.csv",
    }
    assert names <= {p.name for p in out.iterdir()}
    assert all((out / n.replace(".csv", ".meta.json")).exists() for n in names)
    paths = pd.read_csv(out / "spillover_paths.csv", encoding="utf-8-sig")
    best = paths[paths["rank"] == 1].set_index(["source", "target"])["strength"]
    # s_u1 = 2, s_f2 = 2, s_r1 = 1: u1 -> f1 = 1; r1 -> f2 = 1; r1 -> f1 = 1/2; u1 -> f2 = 1/4
    assert best.to_dict() == pytest.approx(
        {("u1", "f1"): 1.0, ("r1", "f2"): 1.0, ("r1", "f1"): 0.5, ("u1", "f2"): 0.25}
    )
    roles = pd.read_csv(out / "knowledge_roles.csv", encoding="utf-8-sig", index_col="id")
    assert list(roles.index) == ["f1", "f2", "s1"]  # default inside: firms and suppliers
    assert "channels:" in result.output
    assert "wrote 6 files" in result.output


def test_cli_max_rows_keeps_the_strongest_pairs(files, caplog):
    out = files / "out"
    args = ["spillover", "--nodes", files / "nodes.csv", "--links", files / "links.csv"]
    args += ["--sources", "category=university,research centre", "--targets", "firm"]
    args += ["--diffusion", "none", "--max-rows", 3, "--out-dir", out]
    result = _cli(*args)
    assert result.exit_code == 0, result.output
    paths = pd.read_csv(out / "spillover_paths.csv", encoding="utf-8-sig")
    assert len(paths) <= 3
    pairs = set(zip(paths["source"], paths["target"], strict=True))
    # the two pairs of strength 1 come first; a pair keeps all its rows or none
    assert {("u1", "f1"), ("r1", "f2")} <= pairs
    assert ("u1", "f2") not in pairs
    assert "keeps the" in caplog.text


def test_cli_ids_layers_and_no_diffusion(files):
    out = files / "out"
    result = _cli(
        "spillover",
        "--nodes",
        files / "nodes.csv",
        "--links",
        files / "links.csv",
        "--sources-ids",
        "s1",
        "--targets-ids",
        "f1",
        "--internal",
        "region=3",
        "--internal",
        "kind=supplier",
        "--layers",
        "supply",
        "--diffusion",
        "none",
        "--out-dir",
        out,
    )
    assert result.exit_code == 0, result.output
    assert not (out / "spillover_diffusion.csv").exists()
    paths = pd.read_csv(out / "spillover_paths.csv", encoding="utf-8-sig")
    assert paths["path"].tolist() == ["s1 > f1"]
    roles = pd.read_csv(out / "knowledge_roles.csv", encoding="utf-8-sig")
    assert roles["id"].tolist() == ["s1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sources", "category=museum"], "`sources` selects nobody"),
        (["--sources", "museum"], "--sources 'museum' is neither a kind"),
        (["--sources", "firm", "--sources-ids", "f1"], "give either --sources or --sources-ids"),
        (["--targets-ids", " , "], "--targets-ids is empty"),
        (["--internal", "region="], "--internal 'region=' must read COLUMN=VALUE"),
        (["--layers", "gossip"], "unknown layer(s) 'gossip'"),
    ],
)
def test_cli_errors_are_one_line(files, args, message):
    result = _cli(
        "spillover", "--nodes", files / "nodes.csv", "--links", files / "links.csv", *args
    )
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_parse_selection_combines_columns():
    from clustermap.commands.spillover import parse_selection

    got = parse_selection(("kind=firm", "region=N,3", "supplier"), None, option="x")
    assert got == {"kind": ["firm", "supplier"], "region": ["N", "3", 3]}
    assert parse_selection((), None, option="x") is None


def test_demo_step_writes_the_tables(tmp_path):
    from clustermap.commands.spillover import _demo
    from clustermap.demo import DemoContext

    net = cm.make_cluster(n_actors=120, seed=3)
    ctx = DemoContext(tmp_path, net, 3)
    _demo(ctx)
    written = {p.name for p in ctx.written}
    assert {
        "spillover_paths.csv",
        "spillover_brokers.csv",
        "spillover_reach.csv",
        "knowledge_roles.csv",
    } <= written
    assert all(p.exists() for p in ctx.written)
    for key in ("spillover_paths", "spillover_brokers", "spillover_reach", "knowledge_roles"):
        assert key in ctx.results
    paths = ctx.results["spillover_paths"]
    sources = set(net.nodes.index[net.nodes["category"].isin(["university", "research centre"])])
    assert set(paths["source"]) <= sources
    assert set(net.nodes.loc[paths["target"], "kind"]) <= {"firm", "supplier"}
    assert "subcluster" in ctx.results["spillover_reach"].summary["by"].tolist()
