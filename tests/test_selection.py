"""Selections: ids, kind names and {column: values} dicts, resolved by one helper."""

from __future__ import annotations

import pandas as pd
import pytest

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
