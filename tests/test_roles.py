"""Knowledge roles after Giuliani & Bell (2005): a star whose gatekeeper is obvious, and more."""

from __future__ import annotations

import pandas as pd
import pytest

import clustermap as cm
from clustermap.analysis.roles import KNOWLEDGE_ROLES
from clustermap.errors import ConfigError, InputError


def make_net(
    edges: list[tuple[str, str]],
    *,
    inside: list[str],
    outside: list[str],
    layer: str = "knowledge",
    directed: bool = False,
    weights: list[float] | None = None,
) -> cm.ClusterNetwork:
    ids = inside + outside
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [x.upper() for x in ids],
            "kind": ["firm"] * len(inside) + ["institution"] * len(outside),
            "region": ["home"] * len(inside) + ["away"] * len(outside),
        }
    )
    table = pd.DataFrame(edges, columns=["source", "target"]).assign(layer=layer)
    if weights is not None:
        table["weight"] = weights
    return cm.from_tables(nodes, table, directed={layer: directed})


@pytest.fixture
def star() -> cm.ClusterNetwork:
    """Hub h with local partners a, b, c, e; e also trades with a, b, c; h links to lab x.

    Internal degrees: h 4, e 4, a 2, b 2, c 2, d 0, i 0 (mean 2). d links only to
    the outside lab y; i has no ties at all.
    """
    edges = [("h", "a"), ("h", "b"), ("h", "c"), ("h", "e"), ("e", "a"), ("e", "b"), ("e", "c")]
    edges += [("x", "h"), ("y", "d")]
    return make_net(edges, inside=["h", "e", "a", "b", "c", "d", "i"], outside=["x", "y"])


def test_star_gatekeeper_is_obvious(star):
    roles = cm.knowledge_roles(star, internal="firm")
    assert roles["role"].to_dict() == {
        "h": "technological gatekeeper",
        "e": "active mutual exchanger",
        "a": "weakly connected",
        "b": "weakly connected",
        "c": "weakly connected",
        "d": "external star",
        "i": "isolated",
    }
    assert roles.loc["h", ["internal_out", "internal_in", "external"]].tolist() == [4, 4, 1]
    # undirected: degree serves as both scores
    assert (roles["internal_out"] == roles["internal_in"]).all()
    assert roles.attrs["cut_source"] == "above 2"
    assert roles.attrs["directed"] is False
    assert roles.attrs["counts"]["technological gatekeeper"] == 1
    assert list(roles.index) == ["h", "e", "a", "b", "c", "d", "i"]
    assert set(roles["role"]) <= set(KNOWLEDGE_ROLES)


def test_internal_by_column(star):
    by_kind = cm.knowledge_roles(star, internal="firm")
    by_region = cm.knowledge_roles(star, internal={"region": "home"})
    pd.testing.assert_series_equal(by_kind["role"], by_region["role"])


def test_numeric_and_median_cuts(star):
    at_least_2 = cm.knowledge_roles(star, internal="firm", high=2)
    assert at_least_2.loc["a", "role"] == "active mutual exchanger"
    assert at_least_2.attrs["cut_source"] == "at least 2"
    median = cm.knowledge_roles(star, internal="firm", high="median")  # median 2, strictly above
    assert median.loc["e", "role"] == "active mutual exchanger"
    assert median.loc["a", "role"] == "weakly connected"


def test_external_min(star):
    roles = cm.knowledge_roles(star, internal="firm", external_min=2)
    assert roles.loc["h", "role"] == "active mutual exchanger"
    assert roles.loc["d", "role"] == "isolated"


def test_external_counts_distinct_partners_or_weight():
    edges = [("a", "b"), ("a", "x"), ("x", "a"), ("a", "y")]
    net = make_net(edges, inside=["a", "b"], outside=["x", "y"], weights=[1.0, 2.0, 3.0, 0.5])
    counted = cm.knowledge_roles(net, internal="firm")
    assert counted.loc["a", "external"] == 2  # x (twice) and y
    weighted = cm.knowledge_roles(net, internal="firm", weighted=True)
    assert weighted.loc["a", "external"] == pytest.approx(5.5)
    assert weighted.attrs["parameters"]["weighted"] is True


def test_directed_sources_and_absorbers():
    """Advice flows p -> q, p -> r, p -> t, q -> r, t -> r, r -> q.

    Out (source): p 3, q 1, r 1, t 1 (mean 1.5). In (absorber): p 0, q 2, r 3, t 1.
    """
    edges = [("p", "q"), ("p", "r"), ("p", "t"), ("q", "r"), ("t", "r"), ("r", "q")]
    net = make_net(edges, inside=["p", "q", "r", "t"], outside=["x"], layer="advice", directed=True)
    roles = cm.knowledge_roles(net, internal="firm", layers="advice")
    assert roles["internal_out"].tolist() == [3, 1, 1, 1]
    assert roles["internal_in"].tolist() == [0, 2, 3, 1]
    assert roles["role"].to_dict() == {
        "p": "source",
        "q": "absorber",
        "r": "absorber",
        "t": "weakly connected",
    }
    assert roles.attrs["directed"] is True
    # knowledge from outside makes p the gatekeeper and r an external star; t only
    # gives knowledge to the outside, which does not make it open
    opened = make_net(
        [*edges, ("x", "p"), ("x", "r"), ("t", "x")],
        inside=["p", "q", "r", "t"],
        outside=["x"],
        layer="advice",
        directed=True,
    )
    roles = cm.knowledge_roles(opened, internal="firm", layers="advice")
    assert roles.loc["p", "role"] == "technological gatekeeper"
    assert roles.loc["r", "role"] == "external star"
    assert roles.loc["t", ["external", "role"]].tolist() == [0, "weakly connected"]


def test_everyone_inside_means_nobody_open(star, caplog):
    with caplog.at_level("INFO", logger="clustermap.analysis.roles"):
        roles = cm.knowledge_roles(star, internal=list(star.nodes.index))
    assert not roles["open"].any()
    assert "no ties leave the `internal` selection" in caplog.text


def test_input_untouched_and_stamped(star):
    before = star.edges.copy()
    roles = cm.knowledge_roles(star, internal="firm")
    pd.testing.assert_frame_equal(star.edges, before)
    assert roles.attrs["method"] == "knowledge_roles"
    assert roles.attrs["layers"] == ["knowledge"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"high": "max"}, r"`high` must be one of 'mean', 'median'"),
        ({"high": 0}, r"`high` must be 'mean', 'median' or a number of ties > 0"),
        ({"high": True}, r"`high`"),
        ({"external_min": 0}, r"`external_min` must be a number > 0"),
        ({"external_min": "1"}, r"`external_min` must be a number > 0"),
        ({"layers": "supply"}, r"unknown layer"),
        ({"internal": "university"}, r"`internal` is the string 'university'"),
    ],
)
def test_config_errors(star, kwargs, match):
    args = {"internal": "firm", **kwargs}
    with pytest.raises(ConfigError, match=match):
        cm.knowledge_roles(star, **args)


def test_selection_matching_nobody(star):
    with pytest.raises(
        InputError, match=r"`internal` selects nobody: no actor has kind 'supplier'"
    ):
        cm.knowledge_roles(star, internal="supplier")
