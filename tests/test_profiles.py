"""Community profiles with small counts suppressed (min_count=), worked out by hand."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError


@pytest.fixture
def two_groups():
    """A clique of six (a-f) and a separate pair (g-h): two communities for certain.

    Clique: a, b, c firms; d, e suppliers; f an institution; sectors C24 x4, C25 x2.
    Pair: g, h firms in J62.
    """
    ids = list("abcdefgh")
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [x.upper() for x in ids],
            "kind": ["firm"] * 3 + ["supplier"] * 2 + ["institution"] + ["firm"] * 2,
            "sector": ["C24"] * 4 + ["C25"] * 2 + ["J62"] * 2,
        }
    )
    pairs = [*itertools.combinations("abcdef", 2), ("g", "h")]
    edges = pd.DataFrame(
        {
            "source": [p[0] for p in pairs],
            "target": [p[1] for p in pairs],
            "layer": "knowledge",
        }
    )
    net = cm.from_tables(nodes, edges)
    return net, cm.find_communities(net, seed=1)


def test_profiles_by_hand(two_groups):
    net, part = two_groups
    plain = part.profiles(net)
    assert plain[["size", "firms", "suppliers", "institutions"]].values.tolist() == [
        [6, 3, 2, 1],
        [2, 2, 0, 0],
    ]
    hidden = part.profiles(net, min_count=3)
    assert hidden[["size", "firms", "suppliers", "institutions"]].values.tolist() == [
        [6, 3, "<3", "<3"],
        ["<3", "<3", 0, 0],
    ]
    assert hidden["internal_links"].tolist() == [15, "<3"]
    assert hidden["main_sector_share"].tolist() == [pytest.approx(4 / 6), "<3"]
    assert hidden["sectors"].tolist() == ["C24 (67%), C25 (<3)", "J62 (<3)"]
    record = hidden.attrs["suppression"]
    assert record["min_count"] == 3
    assert record["shown_as"] == "<3"
    assert record["by_column"] == {
        "size": 1,
        "firms": 1,
        "suppliers": 1,
        "institutions": 1,
        "internal_links": 1,
        "main_sector_share": 1,
        "sectors": 2,
    }
    assert record["cells_suppressed"] == 8
    assert hidden.attrs["method"] == part.method  # provenance kept


def test_other_tables(two_groups):
    net, part = two_groups
    assert part.communities(min_count=3)["size"].tolist() == [6, "<3"]
    frame = part.to_frame(net, min_count=3)
    assert frame.loc[["a", "g"], "community_size"].tolist() == [6, "<3"]
    sheets = part.to_sheets(net, min_count=3)
    record = sheets["membership"].attrs["suppression"]
    assert record["by_column"]["profiles.size"] == 1
    assert record["by_column"]["membership.community_size"] == 2
    assert sheets["profiles"].attrs["suppression"] == record


def test_written_files_say_what_was_hidden(two_groups, tmp_path):
    net, part = two_groups
    path = cm.write_csv(part.profiles(net, min_count=3), tmp_path / "profiles.csv")
    meta = json.loads((tmp_path / "profiles.meta.json").read_text(encoding="utf-8"))
    assert meta["suppression"]["cells_suppressed"] == 8
    assert "<3" in path.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("bad", [1, 0, -5, 2.0, "5", True])
def test_min_count_range(two_groups, bad):
    net, part = two_groups
    with pytest.raises(ConfigError, match="`min_count` must be"):
        part.profiles(net, min_count=bad)


def test_command_line_min_count(two_groups, tmp_path):
    from click.testing import CliRunner

    from clustermap.cli import main

    net, _ = two_groups
    net.save(tmp_path / "net.cmap")
    out = tmp_path / "communities.xlsx"
    args = ["communities", "--network", str(tmp_path / "net.cmap"), "--seed", "1", "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--min-count", "3"])
    assert result.exit_code == 0, result.output
    assert "     <3  " in result.stdout  # the pair's size in the terminal summary
    profiles = pd.read_excel(out, sheet_name="profiles")
    assert profiles["size"].astype(str).tolist() == ["6", "<3"]
    bad = CliRunner().invoke(main, [*args, "--min-count", "1"])
    assert bad.exit_code == 2
    assert "--min-count" in bad.output


def test_profiles_of_one_layer_count_that_layer_only():
    """A partition of the knowledge layer counts its links, not the supply links beside them.

    Knowledge: a-b, b-c (one community with c-a missing) and d-e; supply a->d, c->e,
    a->b. Internal knowledge links: 2 and 1; the supply links are not read.
    """
    nodes = pd.DataFrame({"id": list("abcde"), "name": list("ABCDE"), "kind": "firm"})
    edges = pd.DataFrame(
        {
            "source": ["a", "b", "d", "a", "c", "a"],
            "target": ["b", "c", "e", "d", "e", "b"],
            "layer": ["knowledge"] * 3 + ["supply"] * 3,
        }
    )
    net = cm.from_tables(nodes, edges)
    part = cm.find_communities(net, layers="knowledge", seed=1)
    table = part.profiles(net).set_index("size")
    assert table.loc[3, ["internal_links", "external_links"]].tolist() == [2, 0]
    assert table.loc[2, ["internal_links", "external_links"]].tolist() == [1, 0]
    assert table["share_knowledge"].tolist() == [1.0, 1.0]
    assert table.loc[3, "internal_density"] == pytest.approx(2 / 3)


def test_profiles_are_remembered_per_network(two_groups):
    """The Excel sheets reuse the profiles computed once; another network gets its own."""
    net, part = two_groups
    first = part.profiles(net)
    first.loc[1, "size"] = 99  # the caller's copy: what is remembered stays right
    assert part.profiles(net).loc[1, "size"] == 6
    fewer = cm.from_tables(net.nodes.reset_index(), net.edges.iloc[:3])
    assert part.profiles(fewer)["internal_links"].tolist() == [3, 0]
    assert part.profiles(net)["internal_links"].tolist() == [15, 1]


def test_profiles_read_mixed_values_as_their_text():
    """1, 1.0 and True are one value to a hash but three texts to a reader."""
    from clustermap.analysis._profiles import _dominant

    comm = np.array([1, 1, 1, 1, 1, 2, 2, 2])
    values = pd.Series([1, 1.0, 1.0, "x", "x", True, 1, 1.0], dtype=object)
    text = _dominant(comm, values, pd.RangeIndex(1, 3))["text"].tolist()
    assert text == ["1.0 (40%), x (40%), 1 (20%)", "1 (33%), 1.0 (33%), True (33%)"]


def test_labels_without_any_sector_name_use_the_region(two_groups):
    net, _ = two_groups
    nodes = net.nodes.reset_index().assign(sector_name=np.nan, region=["R1"] * 6 + ["R2"] * 2)
    net2 = cm.from_tables(nodes, net.edges)
    part = cm.find_communities(net2, seed=1)
    assert part.labels(net2).tolist() == ["R1", "R2"]
    assert part.profiles(net2)["sectors"].tolist() == ["C24 (67%), C25 (33%)", "J62 (100%)"]


def test_a_pickled_partition_leaves_what_it_remembers_behind(two_groups):
    import pickle

    net, _ = two_groups
    part = cm.find_communities(net, seed=1)
    before = len(pickle.dumps(part))
    part.profiles(net)
    assert len(pickle.dumps(part)) == before  # not the network it profiled
    again = pickle.loads(pickle.dumps(part))
    pd.testing.assert_frame_equal(again.profiles(net), part.profiles(net))
