"""Selections: ids, kind names and {column: values} dicts, resolved by one helper."""

from __future__ import annotations

import pandas as pd
import pytest

import clustermap as cm
from clustermap import resolve_selection
from clustermap.errors import ConfigError, InputError


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ("institution", ["UNI", "RC", "ISO"]),
        ("firm", ["OEM"]),
        (["T1b", "OEM"], ["OEM", "T1b"]),
        ({"category": "university"}, ["UNI"]),
        ({"category": ["university", "research centre"]}, ["UNI", "RC"]),
        ({"kind": "supplier", "region": "UKF"}, ["T2b"]),
        ({"id": ["RC"]}, ["RC"]),
        (pd.Index(["ISO"]), ["ISO"]),
        ({"T2a", "T2b"}, ["T2a", "T2b"]),
    ],
)
def test_forms(supply_chain, selection, expected):
    assert list(resolve_selection(supply_chain, selection)) == expected


def test_matches_nobody_names_the_request(supply_chain):
    with pytest.raises(
        InputError, match=r"`sources` selects nobody: no actor has category in \['school'\]"
    ):
        resolve_selection(supply_chain, {"category": "school"}, argument="sources")


def test_unknown_ids(supply_chain):
    with pytest.raises(InputError, match=r"`targets` names ids that are not in the network: 'X1'"):
        resolve_selection(supply_chain, ["OEM", "X1"], argument="targets")


def test_string_that_is_not_a_kind(supply_chain):
    with pytest.raises(ConfigError, match=r"not a kind.*pass a list: \['OEM'\]"):
        resolve_selection(supply_chain, "OEM")


def test_unknown_column(supply_chain):
    with pytest.raises(ConfigError, match="column 'size', which the node table does not have"):
        resolve_selection(supply_chain, {"size": 3})


def test_empty_forms(supply_chain):
    with pytest.raises(InputError, match="empty list"):
        resolve_selection(supply_chain, [])
    with pytest.raises(ConfigError, match="empty dict"):
        resolve_selection(supply_chain, {})


def test_bad_type(supply_chain):
    with pytest.raises(ConfigError, match="must be a list of ids"):
        resolve_selection(supply_chain, 3)


def test_list_of_kinds_gets_a_hint(supply_chain):
    with pytest.raises(InputError, match=r"write \{'kind': \['firm', 'supplier'\]\}"):
        resolve_selection(supply_chain, ["firm", "supplier"], argument="targets")


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"name": cm.contains("midland")}, ["OEM", "UNI"]),
        ({"name": cm.contains("MIDLAND"), "kind": "firm"}, ["OEM"]),
        ({"name": [cm.contains("axle"), cm.contains("brake")]}, ["T1a", "T1b"]),
        ({"name": [cm.contains("axle"), "Coatings Co"]}, ["T1a", "T2c"]),
        ({"category": cm.contains("univ")}, ["UNI"]),
    ],
)
def test_contains(supply_chain, selection, expected):
    assert list(resolve_selection(supply_chain, selection)) == expected


def test_contains_folds_accents():
    net = cm.from_tables(
        {"id": ["m", "z"], "name": ["Müller Präzision", "Zeiss"], "kind": "firm"},
        {"source": ["m"], "target": ["z"], "layer": "supply"},
    )
    assert list(net.resolve({"name": cm.contains("muller")})) == ["m"]
    assert list(net.resolve({"name": cm.contains("MÜLLER")})) == ["m"]
    assert net.select(nodes={"name": cm.contains("zeiss")}).n_nodes == 1


def test_contains_needs_text():
    with pytest.raises(ConfigError, match="non-empty text"):
        cm.contains("  ")


def test_unknown_id_did_you_mean(supply_chain):
    with pytest.raises(InputError, match=r"for 'T1c' did you mean 'T1a' \(Axle Works\)"):
        resolve_selection(supply_chain, ["T1c"])
    # a name given where an id is expected: the id of that name is suggested
    with pytest.raises(InputError, match=r"'Brake Sytems' did you mean 'T1b' \(Brake Systems\)"):
        resolve_selection(supply_chain, ["Brake Sytems"])


def test_nobody_did_you_mean(supply_chain):
    with pytest.raises(InputError, match=r"selects nobody.*did you mean 'Axle Works'"):
        resolve_selection(supply_chain, {"name": "Axel Works"})
    with pytest.raises(InputError, match=r"selects nobody.*contains\('zzz'\)") as err:
        resolve_selection(supply_chain, {"name": cm.contains("zzz")})
    assert "did you mean" not in str(err.value)
