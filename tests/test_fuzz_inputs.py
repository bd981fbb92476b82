"""Property-based fuzzing of the readers: the only errors that escape are ClusterMapErrors.

Arbitrary bytes are written as every kind of table file and read with
``read_table`` / ``read_tables``; arbitrary tables (text, numbers, NaN,
infinities, booleans, placeholders, NUL bytes) go through ``from_tables``.
Whatever comes in, the result is a table, a network, or a
:class:`~clustermap.errors.ClusterMapError`; never another exception and
never a Python warning (warnings are errors in this suite).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clustermap as cm
from clustermap.errors import ClusterMapError

# CLUSTERMAP_FUZZ_EXAMPLES=500 for a longer hunt; 40 keeps the suite fast
FUZZ = settings(
    max_examples=int(os.environ.get("CLUSTERMAP_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".json", ".xlsx", ".parquet")

# pieces that make parsers work: delimiters, quotes, line ends, BOMs, placeholders, accents
_PIECES = st.sampled_from(
    [
        ",",
        ";",
        "\t",
        "|",
        ":",
        '"',
        "'",
        "\n",
        "\r\n",
        "\r",
        "",
        "\ufeff",
        "\x00",
        "#N/A",
        "NULL",
        "-",
        "id",
        "name",
        "kind",
        "firm",
        "source",
        "target",
        "layer",
        "weight",
        "year",
        "supply",
        "1e20",
        "-3.5",
        "1,5",
        "007",
        "Müller",
        "UniversitÃ¤t",
        "台灣",
        " ",
    ]
)
TEXTS = st.lists(_PIECES, max_size=60).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "big5", "utf-8-sig"])


def _read(data: bytes, suffix: str, **kwargs: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"t{suffix}"
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        with contextlib.suppress(ClusterMapError):
            cm.read_table(path, **kwargs)  # type: ignore[arg-type]


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
def test_read_table_arbitrary_bytes(data, suffix):
    _read(data, suffix)


@FUZZ
@given(text=TEXTS, encoding=ENCODINGS, suffix=st.sampled_from((".csv", ".tsv", ".txt")))
def test_read_table_delimited_text(text, encoding, suffix):
    data = text.encode(encoding, errors="replace")
    _read(data, suffix)
    _read(data, suffix, header=False)


@FUZZ
@given(nodes=TEXTS, links=TEXTS, encoding=ENCODINGS)
def test_read_tables_text(nodes, links, encoding):
    with tempfile.TemporaryDirectory() as folder:
        n, l_ = Path(folder) / "n.csv", Path(folder) / "l.csv"
        n.write_bytes(("id,name,kind\n" + nodes).encode(encoding, errors="replace"))
        l_.write_bytes(("source,target,layer\n" + links).encode(encoding, errors="replace"))
        with contextlib.suppress(ClusterMapError):
            cm.read_tables(n, l_, self_loops="drop", fix_text=True)


CELLS = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["a", "b", "c", "#N/A", "NA", "-", "firm", "supply", "knowledge", "\x00"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
)
NODE_COLUMNS = ["id", "name", "kind", "lat", "lon", "employees", "founded", "extra"]
EDGE_COLUMNS = ["source", "target", "layer", "weight", "year", "value", "type", "extra"]


@st.composite
def tables(draw, names):
    cols = draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))
    n = draw(st.integers(min_value=0, max_value=6))
    return pd.DataFrame({c: draw(st.lists(CELLS, min_size=n, max_size=n)) for c in cols})


@FUZZ
@given(
    nodes=tables(NODE_COLUMNS),
    edges=tables(EDGE_COLUMNS),
    layer=st.sampled_from([None, "supply", "knowledge"]),
    kind=st.sampled_from([None, "firm"]),
    directed=st.sampled_from([None, {"supply": "false"}, {"x": 1}, {"k": "maybe"}]),
)
def test_from_tables_arbitrary_frames(nodes, edges, layer, kind, directed):
    with contextlib.suppress(ClusterMapError):
        cm.from_tables(
            nodes if len(nodes.columns) else None,
            edges,
            layer=layer,
            kind=kind,
            directed=directed,
            self_loops="drop",
        )


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_fuzz_covers_each_reader(suffix, tmp_path):
    """A known-bad file of each type fails with ClusterMapError (so the fuzz can fail)."""
    path = tmp_path / f"t{suffix}"
    text = suffix in (".csv", ".tsv", ".txt")
    path.write_bytes(b"" if text else b"\x00\xff" * 3 if not suffix.endswith(".gz") else b"x")
    with pytest.raises(ClusterMapError):
        cm.read_table(path)
