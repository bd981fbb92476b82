"""What a project file may say, and the check that reports every problem at once.

The schema is data (:data:`SCHEMA`): one :class:`Key` per setting, with its
type, default and allowed values. :func:`validate` walks a parsed TOML
document against it, collects every problem with the line and dotted key it
concerns (:func:`key_lines` finds the lines, since :mod:`tomllib` keeps
none), proposes the closest known key for an unknown one, and returns the
resolved configuration: every default filled in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clustermap import settings

__all__ = ["ANALYSES", "SCHEMA", "Key", "Problem", "key_lines", "validate"]


@dataclass(frozen=True)
class Key:
    """One setting: its type, default, allowed values and a line of help."""

    type: str  # str, int, float, bool, path, strlist, selection, years, table, int|str
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a project file."""

    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.key}: {self.message}"


_SELECTION = (
    "a kind name, a list of ids, or a table {column = value or [values]}, "
    'e.g. { category = ["university", "research centre"] }'
)
_LAYERS = Key("strlist", None, "layers to use (all when left out)")

NODE_FILE = {
    "file": Key("path", None, "the node table (CSV, TSV, Excel, Parquet, JSON)", required=True),
    "kind": Key(
        "str",
        None,
        "give every actor in the file this kind",
        ("firm", "supplier", "institution", "industry"),
    ),
    "sheet": Key("int|str", None, "the Excel sheet (name or 0-based number)"),
    "columns": Key("table", None, 'your column names: { id = "firm_id", name = "company" }'),
}
LINK_FILE = {
    "file": Key("path", None, "the links table", required=True),
    "layer": Key("str", None, "the layer of every link in a file with no layer column"),
    "sheet": Key("int|str", None, "the Excel sheet (name or 0-based number)"),
    "columns": Key("table", None, 'your column names: { source = "supplier_id" }'),
}

#: The analyses a project can run, in the order they run.
ANALYSES: dict[str, dict[str, Key]] = {
    "communities": {
        "method": Key(
            "str",
            "leiden",
            "community method",
            ("leiden", "louvain", "label_propagation", "infomap"),
        ),
        "resolution": Key("float", 1.0, "higher gives more, smaller communities"),
        "runs": Key("int", 5, "runs of the method; the best is kept and stability reported"),
        "layers": _LAYERS,
    },
    "centrality": {
        "measures": Key("strlist", None, "measures to compute (all when left out)"),
        "weighted": Key("bool", True, "use link weights"),
        "layers": _LAYERS,
    },
    "brokerage": {
        "groups": Key(
            "str",
            "community",
            "'community' or a node column (e.g. region) whose groups brokers link",
        ),
        "layers": _LAYERS,
    },
    "resilience": {
        "layers": Key("strlist", ["supply"], "supply layers to examine"),
    },
    "spillover": {
        "sources": Key("selection", "institution", f"where knowledge starts: {_SELECTION}"),
        "targets": Key("selection", {"kind": ["firm", "supplier"]}, "who should receive it"),
        "internal": Key(
            "selection",
            {"kind": ["firm", "supplier"]},
            "actors inside the cluster, for knowledge roles",
        ),
        "layers": Key("strlist", ["knowledge"], "layers knowledge travels on"),
        "k": Key("int", 3, "channels kept per source-target pair"),
        "max_hops": Key("int", 4, "longest channel, in links"),
        "diffusion": Key(
            "str",
            "independent_cascade",
            "diffusion model, or 'none'",
            ("independent_cascade", "linear_threshold", "none"),
        ),
    },
    "specialisation": {
        "employment": Key("path", None, "region x industry employment table", required=True),
        "mapping": Key("path", None, "industry -> cluster mapping table"),
        "region": Key("str", "region", "region code column"),
        "industry": Key("str", "industry", "industry code column"),
        "value": Key("str", "employment", "employment column"),
        "establishments": Key("str", None, "establishments column"),
        "denominator": Key("str", "traded", "base of the location quotients", ("traded", "all")),
    },
    "change": {
        "before": Key(
            "years",
            None,
            "first and last year of the first period, e.g. [2014, 2016]",
            required=True,
        ),
        "after": Key("years", None, "first and last year of the second period", required=True),
        "layers": _LAYERS,
    },
}

for _section in ANALYSES.values():
    _section["enabled"] = Key("bool", True, "false keeps the table but skips the analysis")

SCHEMA: dict[str, Any] = {
    "project": {
        "name": Key("str", "Cluster network", "title of the report and the view"),
        "seed": Key("int", settings.seed, "random seed of every randomised step"),
        "demo_steps": Key(
            "bool", False, "also run the demo steps other parts of clustermap register"
        ),
    },
    "inputs": {
        "nodes": [NODE_FILE],
        "links": [LINK_FILE],
        "generate": {
            "n_actors": Key("int", 300, "actors of a synthetic cluster (make_cluster)"),
            "seed": Key("int", 2024, "seed of the synthetic cluster"),
        },
        "columns": Key("table", None, "column names shared by every file"),
        "drop_dangling": Key("bool", False, "drop links to unknown ids instead of failing"),
        "self_loops": Key(
            "str", "error", "links from an actor to itself", ("error", "drop", "keep")
        ),
    },
    "analyses": ANALYSES,
    "outputs": {
        "folder": Key("path", "output", "where to write (relative to the project file)"),
        "formats": Key("strlist", ["csv", "xlsx"], "table formats to write", ("csv", "xlsx")),
        "network": Key("bool", True, "write network.cmap and summary.csv"),
        "view": Key("bool", True, "write the interactive network.html"),
        "report": Key("bool", True, "write report.html"),
    },
}


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")


def _parts(dotted: str) -> list[str]:
    return [p.strip().strip("\"'") for p in dotted.split(".")]


def key_lines(text: str) -> dict[str, int]:
    r"""Map each dotted key of a TOML text to its line (1-based).

    Array-of-tables entries are numbered: ``inputs.nodes[1].file``.
    Keys inside an inline table get the line of the table.

    Examples
    --------
    >>> lines = key_lines('[project]\nseed = 1\n[[inputs.nodes]]\nfile = "a.csv"\n')
    >>> lines["project.seed"], lines["inputs.nodes[1].file"]
    (2, 4)
    """
    lines: dict[str, int] = {}
    prefix: list[str] = []
    counts: dict[str, int] = {}
    depth = 0  # brackets open in a multi-line array or inline table
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0] if '"' not in raw and "'" not in raw else raw
        if depth == 0:
            header = _HEADER.match(line)
            if header:
                name = ".".join(_parts(header.group(2)))
                if header.group(1) == "[[":
                    counts[name] = counts.get(name, 0) + 1
                    prefix = [f"{name}[{counts[name]}]"]
                else:
                    prefix = [name]
                # a table inside an array-of-tables entry, [inputs.nodes.columns]
                for base, n in counts.items():
                    if name.startswith(base + ".") and header.group(1) != "[[":
                        prefix = [f"{base}[{n}]{name[len(base) :]}"]
                lines.setdefault(prefix[0], number)
                continue
            assign = _ASSIGN.match(line)
            if assign:
                key = (
                    ".".join([*prefix, *_parts(assign.group(1))])
                    if prefix
                    else ".".join(_parts(assign.group(1)))
                )
                lines.setdefault(key, number)
                rest = line[assign.end() :]
                inner = re.findall(r"([A-Za-z_][A-Za-z0-9_\-]*)\s*=", rest)
                for sub in inner:
                    lines.setdefault(f"{key}.{sub}", number)
        depth += line.count("[") + line.count("{") - line.count("]") - line.count("}")
        depth = max(depth, 0)
    return lines


def _line(lines: Mapping[str, int], key: str) -> int | None:
    probe = key
    while probe:
        if probe in lines:
            return lines[probe]
        probe = probe.rsplit(".", 1)[0] if "." in probe else ""
    return None


def _unknown(key: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(sorted(known))}"
    return f"unknown key {name!r} ({hint})"


class _Checker:
    def __init__(self, lines: Mapping[str, int], base: Path) -> None:
        self.lines = lines
        self.base = base
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message, _line(self.lines, key)))

    def value(self, key: str, spec: Key, value: Any) -> Any:
        t = spec.type
        ok = True
        if t in ("str", "path"):
            ok = isinstance(value, str) and value.strip() != ""
        elif t == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif t == "float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value) if ok else value
        elif t == "bool":
            ok = isinstance(value, bool)
        elif t == "int|str":
            ok = isinstance(value, int | str) and not isinstance(value, bool)
        elif t == "strlist":
            if isinstance(value, str):
                value = [value]
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif t == "table":
            ok = isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values())
        elif t == "selection":
            ok = isinstance(value, str | list | Mapping)
        elif t == "years":
            ok = (
                isinstance(value, list)
                and len(value) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                and value[0] <= value[1]
            )
        if not ok:
            self.problem(key, f"{_TYPE_TEXT[t]} expected, got {value!r}")
            return spec.default
        if spec.choices:
            given = value if isinstance(value, list) else [value]
            bad = [v for v in given if v not in spec.choices]
            if bad:
                allowed = ", ".join(repr(c) for c in spec.choices)
                self.problem(key, f"{bad[0]!r} is not allowed; one of {allowed}")
                return spec.default
        if t == "path":
            path = (self.base / value).resolve()
            if spec.required and not path.exists():
                self.problem(key, f"file {value!r} not found (looked for {path})")
            return str(path)
        return value

    def table(self, key: str, schema: Mapping[str, Any], given: Any) -> dict[str, Any]:
        if not isinstance(given, Mapping):
            self.problem(key, f"a table expected, got {given!r}")
            given = {}
        out: dict[str, Any] = {}
        for name in given:
            dotted = f"{key}.{name}" if key else name
            if name not in schema:
                self.problem(dotted, _unknown(dotted, name, list(schema)))
        for name, spec in schema.items():
            dotted = f"{key}.{name}" if key else name
            if key == "analyses":
                if name in given:
                    out[name] = self.table(dotted, spec, given[name])
                continue
            if isinstance(spec, list):
                entries = given.get(name, [])
                if not isinstance(entries, list):
                    self.problem(dotted, f"write it as [[{dotted}]] tables, got {entries!r}")
                    entries = []
                out[name] = [
                    self.table(f"{dotted}[{i}]", spec[0], entry)
                    for i, entry in enumerate(entries, start=1)
                ]
            elif isinstance(spec, Mapping):
                if name in given or key == "":
                    out[name] = self.table(dotted, spec, given.get(name, {}))
            elif name in given:
                out[name] = self.value(dotted, spec, given[name])
            elif spec.required:
                self.problem(dotted, "required key is missing")
            else:
                out[name] = spec.default
        return out


_TYPE_TEXT = {
    "str": "text",
    "path": "a file path (text)",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "int|str": "a name or a number",
    "strlist": "a list of text",
    "table": "a table of text values",
    "selection": "a selection (" + _SELECTION + ")",
    "years": "[first year, last year]",
}


def validate(
    document: Mapping[str, Any], text: str, base: Path
) -> tuple[dict[str, Any], list[Problem]]:
    """Check a parsed project file; return the resolved configuration and every problem.

    Parameters
    ----------
    document : dict
        What :func:`tomllib.loads` made of ``text``.
    text : str
        The file's text, to find the line of each key.
    base : pathlib.Path
        The project file's folder; relative paths are resolved against it.
    """
    checker = _Checker(key_lines(text), base)
    config = checker.table("", SCHEMA, document)
    inputs = config.get("inputs", {})
    has_files = bool(inputs.get("nodes") or inputs.get("links"))
    if "generate" in document.get("inputs", {}) and has_files:
        checker.problem("inputs.generate", "give either input files or generate, not both")
    if not has_files and "generate" not in document.get("inputs", {}):
        checker.problem(
            "inputs", "no input: add [[inputs.nodes]] and [[inputs.links]] tables with a file each"
        )
    if "generate" not in document.get("inputs", {}):
        inputs.pop("generate", None)
    return config, checker.problems
