"""Saving and loading .cmap files: identical round trips, and crafted files refused early."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import InputError
from clustermap.graphs import io


def _net():
    return cm.from_tables(
        pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "supplier"]}),
        pd.DataFrame({"source": ["b"], "target": ["a"], "layer": ["supply"], "weight": [2.0]}),
    )


def test_round_trip(tmp_path):
    net = _net()
    net.save(tmp_path / "n.cmap")
    assert cm.ClusterNetwork.load(tmp_path / "n.cmap").equals(net)


def test_zip_bomb_refused_before_inflating(tmp_path, monkeypatch):
    path = tmp_path / "bomb.cmap"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("header.json", json.dumps({"format": io.FORMAT}))
        with zf.open("nodes.parquet", "w") as fh:
            for _ in range(32):
                fh.write(bytes(1024 * 1024))
        zf.writestr("edges.parquet", b"")
    assert path.stat().st_size < 100_000

    def no_reading(*args, **kwargs):
        raise AssertionError("a member was read before the sizes were checked")

    monkeypatch.setattr(io, "_read_member", no_reading)
    with pytest.raises(InputError, match=r"bomb\.cmap: not a valid clustermap network.*zip bomb"):
        cm.ClusterNetwork.load(path)


def test_member_size_limit(tmp_path, monkeypatch):
    _net().save(tmp_path / "n.cmap")
    monkeypatch.setattr(io, "MAX_MEMBER_BYTES", 10)
    with pytest.raises(InputError, match=r"n\.cmap: .*nodes\.parquet would be .* bytes, more than"):
        cm.ClusterNetwork.load(tmp_path / "n.cmap")


def test_negative_weight_names_the_file(tmp_path):
    path = tmp_path / "w.cmap"
    _net().save(path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    edges = pd.DataFrame({"source": ["b"], "target": ["a"], "layer": ["supply"], "weight": [-1.0]})
    members["edges.parquet"] = edges.to_parquet()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(InputError, match=r"w\.cmap: not a valid clustermap network.*weight"):
        cm.ClusterNetwork.load(path)
