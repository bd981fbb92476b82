"""``clustermap init``: a commented starter project file from the files at hand.

Each file's header is read and its columns matched to clustermap's names
(:data:`SYNONYMS`: ``firm_id`` is an ``id``, ``supplier`` a ``source``,
``Latitude`` a ``lat``...). A file with a source-like and a target-like
column is a links file, any other a node file. The proposal is written as
``columns = { ours = "yours" }`` for the user to check; nothing is guessed
silently.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

from clustermap._atomic import atomic_path
from clustermap.errors import ConfigError

__all__ = ["SYNONYMS", "propose_columns", "starter_text", "write_starter"]

#: clustermap's column -> the names (normalised: lower case, ``_`` for spaces) it also answers to.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "node_id",
        "actor_id",
        "org_id",
        "organisation_id",
        "organization_id",
        "firm_id",
        "company_id",
        "pic",
        "identifier",
        "code",
    ),
    "name": (
        "name",
        "label",
        "company",
        "company_name",
        "firm",
        "firm_name",
        "organisation",
        "organization",
        "organisation_name",
        "organization_name",
        "legal_name",
        "actor",
    ),
    "kind": ("kind", "actor_type", "actor_kind", "entity_type", "org_type"),
    "category": ("category", "role", "activity_type", "subtype"),
    "sector": ("sector", "nace", "nace_code", "naics", "naics_code", "industry", "industry_code"),
    "region": ("region", "nuts", "nuts2", "nuts3", "nuts_code", "cbsa", "county", "region_code"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "employees": ("employees", "employment", "staff", "headcount", "emp"),
    "founded": ("founded", "year_founded", "established", "founding_year"),
    "source": ("source", "from", "supplier", "supplier_id", "seller", "seller_id", "src", "origin"),
    "target": (
        "target",
        "to",
        "buyer",
        "buyer_id",
        "customer",
        "customer_id",
        "dst",
        "destination",
    ),
    "layer": ("layer", "relation", "relation_type", "tie_type"),
    "weight": ("weight", "strength", "w", "intensity"),
    "type": ("type", "link_type", "kind_of_link"),
    "year": ("year", "start_year", "date_year"),
    "value": (
        "value",
        "amount",
        "contract_value",
        "value_eur",
        "value_usd",
        "grant",
        "ec_contribution",
        "ecContribution",
    ),
}

_NODE = ("id", "name", "kind", "category", "sector", "region", "lat", "lon", "employees", "founded")
_LINK = ("source", "target", "layer", "weight", "type", "year", "value")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def propose_columns(columns: Sequence[str], role: str) -> dict[str, str]:
    """``{ours: yours}`` for the columns of a ``"nodes"`` or ``"links"`` file.

    A column already named as clustermap names it is not listed.

    Examples
    --------
    >>> propose_columns(["Firm ID", "Company", "NACE code", "Latitude"], "nodes")
    {'id': 'Firm ID', 'name': 'Company', 'sector': 'NACE code', 'lat': 'Latitude'}
    >>> propose_columns(["supplier_id", "buyer_id", "value"], "links")
    {'source': 'supplier_id', 'target': 'buyer_id'}
    """
    wanted = _NODE if role == "nodes" else _LINK
    normalised = {_norm(c): c for c in columns}
    proposal: dict[str, str] = {}
    taken: set[str] = set()
    for ours in wanted:
        for alias in SYNONYMS[ours]:
            theirs = normalised.get(_norm(alias))
            if theirs is not None and theirs not in taken:
                taken.add(theirs)
                if theirs != ours:
                    proposal[ours] = theirs
                break
    return proposal


def _role(columns: Sequence[str]) -> str:
    links = propose_columns(columns, "links")
    has = {c for c in columns if c in ("source", "target")} | set(links)
    return "links" if {"source", "target"} <= has else "nodes"


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def starter_text(files: Sequence[str | os.PathLike[str]], base: Path) -> str:
    """The text of a starter project file for ``files``, with paths relative to ``base``."""
    from clustermap.loaders.files import read_table

    blocks = {"nodes": [], "links": []}  # type: dict[str, list[str]]
    for file in files:
        path = Path(file)
        table = read_table(path)
        columns = [str(c) for c in table.columns]
        role = _role(columns)
        proposal = propose_columns(columns, role)
        rel = os.path.relpath(path.resolve(), base.resolve())
        lines = [f"[[inputs.{role}]]", f"file = {_toml(Path(rel).as_posix())}"]
        lines.append(f"# columns found: {', '.join(columns)}"[:300])
        if proposal:
            pairs = ", ".join(f"{k} = {_toml(v)}" for k, v in proposal.items())
            lines.append(f"columns = {{ {pairs} }}   # proposed: ours = yours; check it")
        have = set(columns) | set(proposal)
        if role == "nodes" and "kind" not in have:
            lines.append(
                'kind = "firm"            # no kind column: firm, supplier or institution?'
            )
        if role == "links" and "layer" not in have:
            lines.append('layer = "supply"         # no layer column: "supply" or "knowledge"?')
        blocks[role].append("\n".join(lines))
    if not blocks["links"]:
        msg = "none of the files looks like a links table (a source and a target column)"
        raise ConfigError(msg)
    return _TEMPLATE.format(
        nodes="\n\n".join(blocks["nodes"]) or "# no node file: actors come from the links",
        links="\n\n".join(blocks["links"]),
    )


def write_starter(
    files: Sequence[str | os.PathLike[str]],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> Path:
    """Write a starter project file for ``files`` to ``path``.

    Raises
    ------
    ConfigError
        When ``path`` exists (unless ``overwrite``), no file is given, or
        no file has links.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        msg = f"{target} exists; pass --force to overwrite it"
        raise ConfigError(msg)
    if not files:
        msg = "give the node and link files to start from, e.g. clustermap init firms.csv links.csv"
        raise ConfigError(msg)
    text = starter_text(files, target.resolve().parent)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


_TEMPLATE = """\
# clustermap project file, written by `clustermap init`.
# Check the proposed column mappings, then run: clustermap run <this file>
# Relative paths are read from this file's folder. Every key: docs/project-file.md.

[project]
name = "My cluster"      # title of the report and the view
seed = 42                # seed of every randomised step (recorded in run.json)

# ---------------------------------------------------------------- inputs
{nodes}

{links}

[inputs]
drop_dangling = false    # true drops links to unknown ids instead of stopping
self_loops = "error"     # or "drop", "keep"

# ---------------------------------------------------------------- analyses
# A table runs its analysis; delete it (or set enabled = false) to skip it.

[analyses.communities]
method = "leiden"        # or "louvain", "label_propagation", "infomap"
resolution = 1.0
runs = 5

[analyses.centrality]
# measures = ["degree", "strength", "betweenness", "pagerank"]

[analyses.brokerage]
groups = "community"     # or a node column such as "region"

[analyses.resilience]
layers = ["supply"]

[analyses.spillover]
sources = "institution"  # or {{ category = ["university", "research centre"] }}
targets = {{ kind = ["firm", "supplier"] }}
internal = {{ kind = ["firm", "supplier"] }}
layers = ["knowledge"]

# ---------------------------------------------------------------- outputs
[outputs]
folder = "output"
formats = ["csv", "xlsx"]
network = true
view = true
report = true
"""
