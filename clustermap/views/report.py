"""The HTML report: one self-contained file for a steering group.

:func:`save_report` puts the results of a run into one page that opens
from disk with no network (same Content-Security-Policy and escaping as the
views: every name is text, never code) and prints to PDF from the browser
(a print stylesheet, each section on a new page). Sections, in order: the
network in figures; who holds the cluster together; sub-clusters; knowledge
spillovers; specialisation and change over time when those results are
given; the interactive network; how it was computed (from the results'
provenance); the data.

Results are found by name (the keys a project run uses: ``partition``,
``centrality``, ``brokerage``, ``resilience``, ``spillover_paths``,
``spillover_brokers``, ``spillover_reach``, ``knowledge_roles``,
``spillover_diffusion``, ``specialisation``, ``comparison``) or, failing
that, by their shape, so a list of results works too. A section whose
results are missing says so in one line instead of disappearing.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import markupsafe
import numpy as np
import pandas as pd

from clustermap._atomic import atomic_path
from clustermap._provenance import provenance
from clustermap._results import named_results, result_columns
from clustermap.errors import ConfigError, EmptyNetworkError
from clustermap.graphs.network import ClusterNetwork
from clustermap.views._data import community_labels, format_number
from clustermap.views._page import _assets, _environment, _sha256

__all__ = ["save_report"]

log = logging.getLogger(__name__)

TOP = 10

#: One plain sentence per method, for the methods section.
METHODS: dict[str, str] = {
    "leiden": "Communities are groups of actors with more links inside than expected by chance "
    "(modularity), found with the Leiden algorithm (Traag, Waltman & van Eck 2019).",
    "louvain": "Communities maximise modularity, found with the Louvain method "
    "(Blondel et al. 2008).",
    "centrality": "Degree counts partners; strength sums link weights; betweenness counts the "
    "shortest paths through an actor (Freeman 1977; distance = 1 / weight); PageRank and "
    "eigenvector centrality give weight to partners that are central themselves.",
    "brokerage": "Burt's constraint (low = an actor whose partners are not linked to each other) "
    "and Gould & Fernandez (1989) brokerage roles between groups.",
    "resilience": "What happens to the supply chain when one actor fails: buyers left without any "
    "supplier, actors cut off (articulation points), dependence on a single supplier "
    "(Herfindahl index of supply shares).",
    "spillover_paths": "Channels are the strongest paths from knowledge sources to targets; a "
    "path's strength is the product of the share of each step's ties it uses.",
    "spillover_brokers": "Brokers are the intermediaries that the strongest channels run through.",
    "spillover_reach/ppr": "Reach: personalised PageRank from the sources, and who lies within a "
    "few hops of them.",
    "knowledge_roles": "Knowledge roles (Giuliani & Bell 2005; Morrison 2008): gatekeepers link "
    "the cluster to outside knowledge, mutual exchangers trade inside it.",
    "simulate_diffusion": "Diffusion: knowledge starts at the sources and spreads along ties, "
    "simulated many times with the seed shown (independent cascade or linear threshold; Kempe, "
    "Kleinberg & Tardos 2003); the result is each actor's probability of being reached.",
}

#: Columns shown as percentages.
PERCENT = frozenset(
    {"share", "largest_share", "share_within", "share_unreachable", "strength_share"}
)

#: Titles of the results in the methods section, by the names a project run uses.
TITLES: dict[str, str] = {
    "partition": "Communities",
    "centrality": "Centrality",
    "brokerage": "Brokerage",
    "resilience": "Resilience",
    "spillover_paths": "Knowledge channels",
    "spillover_brokers": "Brokers of the channels",
    "spillover_reach": "Reach of the knowledge sources",
    "knowledge_roles": "Knowledge roles",
    "spillover_diffusion": "Diffusion simulation",
    "specialisation": "Specialisation",
    "comparison": "Change over time",
}

_SKIP_KEYS = {"method", "parameters", "seed", "layers", "clustermap_version", "created"}


# ---------------------------------------------------------------- finding results


def _is_frame(method: str) -> Callable[[Any], bool]:
    def test(value: Any) -> bool:
        attrs = getattr(value, "attrs", None)
        return isinstance(value, pd.DataFrame) and str((attrs or {}).get("method", "")).startswith(
            method
        )

    return test


_FIND: dict[str, Callable[[Any], bool]] = {
    "partition": lambda v: hasattr(v, "membership"),
    "centrality": _is_frame("centrality"),
    "brokerage": _is_frame("brokerage"),
    "resilience": lambda v: hasattr(v, "failure_points"),
    "spillover_paths": _is_frame("spillover_paths"),
    "spillover_brokers": _is_frame("spillover_brokers"),
    "spillover_reach": lambda v: hasattr(v, "summary") and hasattr(v, "actors"),
    "knowledge_roles": _is_frame("knowledge_roles"),
    "spillover_diffusion": _is_frame("simulate_diffusion"),
    "comparison": lambda v: all(hasattr(v, a) for a in ("before", "after", "actors", "ties")),
    "specialisation": lambda v: (
        isinstance(v, pd.DataFrame)
        and any(str(c).lower() in ("lq", "location_quotient") for c in v.columns)
    ),
}


def _check(results: Any) -> None:
    for name, value in named_results(results):
        known = any(test(value) for test in _FIND.values())
        if not (known or isinstance(value, pd.DataFrame | pd.Series) or provenance(value)):
            msg = (
                f"result {name!r} is a {type(value).__name__}; the report takes clustermap "
                "results (partitions, tables, result objects)"
            )
            raise ConfigError(msg)


def _found(results: Any) -> dict[str, Any]:
    items = named_results(results)
    out: dict[str, Any] = {}
    for name, test in _FIND.items():
        by_key = next((v for k, v in items if k == name), None)
        out[name] = by_key if by_key is not None else next((v for _, v in items if test(v)), None)
    return out


# ---------------------------------------------------------------- small helpers


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else ""
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return format_number(float(value))
    if value is pd.NA:
        return ""
    return str(value)


def _table(
    frame: pd.DataFrame, headers: Mapping[str, str], numeric: set[str] | None = None
) -> dict:
    """A table for the template: header texts and rows of cell texts (escaped there)."""
    cols = [c for c in headers if c in frame.columns]
    shares = [c for c in cols if c in PERCENT and pd.api.types.is_float_dtype(frame[c])]
    shown = frame[cols].copy()
    for c in shares:
        shown[c] = frame[c].map(
            lambda v: "" if pd.isna(v) else f"{v:.0%}" if v >= 0.1 else f"{v:.1%}"
        )
    rows = [[_cell(v) for v in row] for row in shown.itertuples(index=False, name=None)]
    num = (
        numeric
        if numeric is not None
        else {
            c
            for c in cols
            if (
                pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
            )
            or c in shares
        }
    )
    return {
        "headers": [headers[c] for c in cols],
        "numeric": [c in num for c in cols],
        "rows": rows,
    }


def _svg(fig: Any, alt: str) -> markupsafe.Markup:
    """A figure as inline SVG with alt text: no XML prolog, no comments, role="img"."""
    from matplotlib.figure import Figure

    from clustermap.views.charts import figure_to_svg

    text = figure_to_svg(fig)
    text = text[text.index("<svg") :]
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    label = markupsafe.escape(alt)
    text = text.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
    text = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", text, count=1)
    if isinstance(fig, Figure):
        fig.clear()
    return markupsafe.Markup(text)


def _names(net: ClusterNetwork, ids: pd.Index) -> pd.Series:
    return (
        net.nodes["name"]
        .reindex(ids.astype(str))
        .fillna(pd.Series(ids.astype(str), index=ids.astype(str)))
    )


def _describe(record: Mapping[str, Any]) -> dict[str, Any]:
    params = record.get("parameters") or {}
    extra = {
        k: v for k, v in record.items() if k not in _SKIP_KEYS and not isinstance(v, Mapping | list)
    }
    estimated = record.get("estimated")
    notes = [f"{k.replace('_', ' ')}: {_param(v)}" for k, v in extra.items()]
    if isinstance(estimated, Mapping) and estimated:
        notes.append("estimated: " + "; ".join(f"{k} ({_cell(v)})" for k, v in estimated.items()))
    method = str(record.get("method", ""))
    return {
        "method": method,
        "sentence": METHODS.get(method) or METHODS.get(method.split("/")[0], ""),
        "parameters": ", ".join(f"{k} = {_param(v)}" for k, v in params.items()),
        "seed": "" if record.get("seed") is None else str(record["seed"]),
        "layers": ", ".join(record.get("layers") or []) or "all",
        "notes": notes,
    }


def _param(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_param(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_param(v) for v in value) + "]"
    if value is None:
        return "none"
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    return _cell(value) if not isinstance(value, str) else value


# ---------------------------------------------------------------- sections


def _summary(net: ClusterNetwork) -> dict[str, Any]:
    s = net.summary()
    keys = [str(k) for k in s.index]
    kinds = {k[len("actors[") : -1]: int(s[k]) for k in keys if k.startswith("actors[")}
    plural = {
        "firm": "firms",
        "supplier": "suppliers",
        "institution": "institutions",
        "industry": "industries",
    }
    layers = {k[len("links[") : -1]: int(s[k]) for k in keys if k.startswith("links[")}
    figures = [
        ("actors", f"{int(s['actors']):,}"),
        ("links", f"{int(s['links']):,}"),
        ("components", f"{int(s['components']):,}"),
        ("density", f"{float(s['density']):.3f}"),
    ]
    lines = [
        "Actors: "
        + ", ".join(f"{n:,} {k if n == 1 else plural.get(k, k)}" for k, n in kinds.items() if n)
        + ".",
        "Links: "
        + ", ".join(
            f"{n:,} {k} ({'directed' if net.directed.get(k) else 'undirected'})"
            for k, n in layers.items()
        )
        + ".",
        f"The largest connected part holds {int(s['largest_component']):,} of "
        f"{int(s['actors']):,} actors; "
        + (
            f"{int(s['isolates']):,} actors have no link."
            if int(s["isolates"])
            else "every actor has at least one link."
        ),
    ]
    return {"figures": figures, "lines": lines}


def _key_actors(
    net: ClusterNetwork, found: dict[str, Any], labels: dict[int, str]
) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(
        (
            "top",
            "ranked_by",
            "degree_chart",
            "brokers",
            "failure_points",
            "dependencies",
            "sole_sources",
            "sole_count",
        )
    )
    scores = found["centrality"]
    if isinstance(scores, pd.DataFrame) and len(scores):
        by = next(
            (m for m in ("pagerank", "betweenness", "strength", "degree") if m in scores), None
        )
        # actor columns by the one rule views and exports use (clustermap._results)
        table = result_columns(net, {"partition": found["partition"], "centrality": scores}).joined(
            net.nodes
        )
        table = table.loc[table.index.isin(scores.index)]
        top = table.sort_values(by, ascending=False, kind="stable").head(TOP) if by else table
        top = top.head(TOP)
        out["ranked_by"] = by
        out["top"] = _table(
            top,
            {
                "name": "actor",
                "kind": "kind",
                "community": "community",
                "degree": "degree (share)",
                "strength": "strength",
                "betweenness": "betweenness",
                "pagerank": "PageRank",
            },
        )
        out["degree_chart"] = _svg(
            _charts().degree_distribution(net),
            "Degree distribution on log-log axes: how many actors have how many partners.",
        )
    brokers = found["brokerage"]
    if isinstance(brokers, pd.DataFrame) and len(brokers):
        order = "total" if "total" in brokers else brokers.columns[-1]
        b = brokers.sort_values(order, ascending=False, kind="stable").head(TOP)
        b = b.assign(name=_names(net, b.index).to_numpy())
        out["brokers"] = _table(
            b,
            {
                "name": "actor",
                "kind": "kind",
                "partners": "partners",
                "constraint": "constraint",
                "gatekeeper": "gatekeeper",
                "representative": "representative",
                "liaison": "liaison",
                "total": "all roles",
            },
        )
    res = found["resilience"]
    if res is not None:
        fp = res.failure_points
        cols = [c for c in ("firms_losing_all_suppliers", "actors_cut_off") if c in fp]
        if cols:
            fp = (
                fp[(fp[cols] > 0).any(axis=1)]
                .sort_values(cols, ascending=False, kind="stable")
                .head(TOP)
            )
        out["failure_points"] = _table(
            fp.assign(name=_names(net, fp.index).to_numpy()),
            {
                "name": "actor",
                "kind": "kind",
                "buyers": "buyers",
                "firms_losing_all_suppliers": "buyers left with no supplier",
                "actors_cut_off": "actors cut off",
                "articulation_point": "cut point",
            },
        )
        dep = getattr(res, "dependencies", None)
        if isinstance(dep, pd.DataFrame) and "largest_share" in dep:
            d = dep.sort_values("largest_share", ascending=False, kind="stable").head(TOP)
            out["dependencies"] = _table(
                d.assign(name=_names(net, d.index).to_numpy()),
                {
                    "name": "buyer",
                    "suppliers": "suppliers",
                    "largest_supplier_name": "largest supplier",
                    "largest_share": "its share",
                    "herfindahl": "concentration (HHI)",
                },
            )
        sole = getattr(res, "sole_sources", None)
        if isinstance(sole, pd.DataFrame) and len(sole):
            order = "amount" if "amount" in sole else sole.columns[0]
            s = sole.sort_values(order, ascending=False, kind="stable").head(TOP)
            out["sole_sources"] = _table(
                s,
                {
                    "buyer_name": "buyer",
                    "product": "buys",
                    "supplier_name": "from its only supplier",
                    "amount": "amount",
                },
            )
            out["sole_count"] = len(sole)
    return out


def _charts() -> Any:
    from clustermap.views.charts import report as charts

    return charts


def _communities(net: ClusterNetwork, found: dict[str, Any]) -> dict[str, Any]:
    part = found["partition"]
    if part is None:
        return {}
    labels = community_labels(part, net)
    scores = found["centrality"]
    centrality = (
        scores["pagerank"] if isinstance(scores, pd.DataFrame) and "pagerank" in scores else None
    )
    profiles = part.profiles(net, centrality=centrality)
    cards = []
    for k, row in profiles.iterrows():
        facts = [
            ("members", _cell(row.get("size"))),
            (
                "firms / suppliers / institutions",
                " / ".join(
                    _cell(row.get(c, 0)) or "0" for c in ("firms", "suppliers", "institutions")
                ),
            ),
            ("main sectors", _cell(row.get("sectors"))),
            ("main regions", _cell(row.get("regions"))),
            (
                "links inside / to the rest",
                f"{_cell(row.get('internal_links'))} / {_cell(row.get('external_links'))}",
            ),
            ("institutions present", _cell(row.get("institutions_present")) or "none"),
        ]
        cards.append(
            {
                "number": int(k),
                "label": _cell(row.get("label")) or f"Community {int(k)}",
                "facts": [f for f in facts if f[1]],
                "top": _cell(row.get("top_members")),
            }
        )
    record = provenance(part)
    quality = record.get("quality") or {}
    stability = record.get("stability") or {}
    lines = [
        f"{len(profiles)} communities (sub-clusters) by {record.get('method', 'unknown method')}."
    ]
    if "modularity" in quality:
        lines.append(
            f"Modularity {quality['modularity']:.2f} "
            "(above 0.3 usually means a real community structure)."
        )
    if "ari" in stability:
        lines.append(
            f"Agreement between {stability.get('runs')} runs: "
            f"adjusted Rand index {stability['ari']:.2f} "
            "(1 = every run found the same communities)."
        )
    return {
        "lines": lines,
        "cards": cards,
        "sizes_chart": _svg(
            _charts().community_sizes(part, labels), "Bar chart of community sizes, largest first."
        ),
        "composition_chart": _svg(
            _charts().community_composition(part, net, labels=labels),
            "Stacked bars: members of each community by kind, "
            "and the share of its members in each main sector.",
        ),
    }


def _spillovers(net: ClusterNetwork, found: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(
        ("channels", "channel_line", "brokers", "gatekeepers", "roles_line", "reach", "reach_chart")
    )
    paths = found["spillover_paths"]
    if isinstance(paths, pd.DataFrame) and len(paths):
        best: pd.DataFrame = paths[paths["rank"] == 1] if "rank" in paths else paths
        best = best.sort_values("strength", ascending=False, kind="stable").head(TOP)
        src = _names(net, pd.Index(best["source"].astype(str)))
        tgt = _names(net, pd.Index(best["target"].astype(str)))
        best = best.assign(source_name=src.to_numpy(), target_name=tgt.to_numpy())
        if "path_names" in best:
            middle = best["path_names"].astype(str).str.split(" > ").str[1:-1].str.join(" > ")
            best = best.assign(intermediaries=middle.where(middle.str.len() > 0, "direct"))
        out["channels"] = _table(
            best,
            {
                "source_name": "from",
                "target_name": "to",
                "hops": "links",
                "strength": "strength",
                "intermediaries": "through",
            },
        )
        attrs = paths.attrs
        if "pairs_total" in attrs:
            out["channel_line"] = (
                f"{attrs.get('pairs_with_channel', 0):,} of {attrs['pairs_total']:,} "
                "source-target pairs are connected within "
                f"{(attrs.get('parameters') or {}).get('max_hops', '?')} links."
            )
    brokers = found["spillover_brokers"]
    if isinstance(brokers, pd.DataFrame) and len(brokers):
        b = brokers.head(TOP)
        out["brokers"] = _table(
            b.assign(name=_names(net, b.index).to_numpy()),
            {
                "name": "actor",
                "kind": "kind",
                "channels": "channels carried",
                "share": "share of channels",
            },
        )
    roles = found["knowledge_roles"]
    if isinstance(roles, pd.DataFrame) and "role" in roles:
        gk = roles[roles["role"] == "technological gatekeeper"]
        sort = "external" if "external" in gk else gk.columns[-1]
        gk = gk.sort_values(sort, ascending=False, kind="stable").head(TOP)
        out["gatekeepers"] = _table(
            gk.assign(name=_names(net, gk.index).to_numpy()),
            {
                "name": "actor",
                "kind": "kind",
                "internal_out": "ties inside",
                "external": "ties outside",
            },
        )
        counts = roles["role"].value_counts()
        out["roles_line"] = (
            "Knowledge roles: " + ", ".join(f"{n:,} {r}" for r, n in counts.items()) + "."
        )
    reach = found["spillover_reach"]
    if reach is not None and isinstance(getattr(reach, "summary", None), pd.DataFrame):
        summary = reach.summary
        out["reach"] = _table(
            summary,
            {
                "by": "grouping",
                "group": "group",
                "actors": "actors",
                "share_within": "share reached",
                "share_unreachable": "share unreachable",
                "mean_hops": "mean links",
            },
        )
        if {"by", "group", "share_within"} <= set(summary.columns) and len(summary):
            out["reach_chart"] = _svg(
                _charts().reach_by_group(summary),
                "Bar chart: share of each group's actors that knowledge from the sources reaches.",
            )
    return out


def _specialisation(found: dict[str, Any]) -> dict[str, Any]:
    """The strong cluster-regions, the portfolio of the leading region and the heat map."""
    table = found["specialisation"]
    if not isinstance(table, pd.DataFrame):
        return {}
    lq = next((c for c in table.columns if str(c).lower() in ("lq", "location_quotient")), None)
    strong = "strong" if "strong" in table.columns else None
    rows = table
    out: dict[str, Any] = {"table": None, "line": None, "charts": []}
    if strong is not None:
        flags = table[strong].fillna(False).astype(bool)
        rows = table[flags]
        out["line"] = (
            f"{int(flags.sum()):,} strong cluster-region pairs out of {len(table):,} "
            f"({table.attrs.get('rule', 'US Cluster Mapping Project rule')})."
        )
    if lq is not None:
        rows = rows.sort_values(lq, ascending=False, kind="stable")
    wanted = [
        c
        for c in ("region", "cluster", "employment", lq, "related_strength", "strong")
        if c is not None and c in rows.columns
    ]
    shown = rows[wanted] if wanted else rows
    headers = {str(c): str(c).replace("_", " ") for c in shown.columns}
    out["table"] = _table(shown.head(15).rename(columns=str), headers)
    if {"region", "employment"} <= set(table.columns) and strong is not None and len(rows):
        focus = str(rows.groupby("region")["employment"].sum().idxmax())
        chart = _optional_chart(("portfolio_chart",), table, focus)
        if chart is not None:
            caption = (
                f"Cluster portfolio of {focus}, the region with most jobs in strong clusters: "
                "location quotient (log scale) against a second measure; bubble area = "
                "employment; strong clusters in red."
            )
            out["charts"].append({"svg": _svg(chart, caption), "caption": caption})
    heat = _optional_chart(("specialisation_heatmap",), table)
    if heat is not None:
        caption = (
            "Location quotients of the largest regions and clusters: red more specialised "
            "than the nation, blue less; framed cells are strong cluster-regions."
        )
        out["charts"].append({"svg": _svg(heat, caption), "caption": caption})
    return out


def _optional_chart(names: tuple[str, ...], *args: Any) -> Any:
    from clustermap.views import charts

    for name in names:
        func = getattr(charts, name, None)
        if callable(func):
            try:
                return func(*args)
            except Exception as exc:  # an optional chart must never sink the report
                log.warning("report: the %s chart failed (%s); left out", name, exc)
                return None
    return None


def _counts_by(frame: Any, rows: str, column: str) -> Any:
    """The table of ``column``'s values counted by ``rows`` (or in all), or ``None``."""
    if not isinstance(frame, pd.DataFrame) or column not in frame:
        return None
    counts = (
        pd.crosstab(frame[rows], frame[column])
        if rows in frame
        else frame[column].value_counts().to_frame()
    )
    counts = counts.reset_index()
    return _table(counts, {str(c): str(c) for c in counts.columns})


def _change(found: dict[str, Any]) -> dict[str, Any]:
    comp = found["comparison"]
    if comp is None:
        return {}
    out: dict[str, Any] = dict.fromkeys(("actors", "ties", "indicators"))
    out["actors"] = _counts_by(comp.actors, "kind", "status")
    out["ties"] = _counts_by(comp.ties, "layer", "change")
    indicators = getattr(comp, "indicators", None)
    if isinstance(indicators, pd.DataFrame) and len(indicators):
        ind = indicators.reset_index()
        out["indicators"] = _table(
            ind.head(30), {str(c): str(c).replace("_", " ") for c in ind.columns[:8]}
        )
    out["charts"] = []
    pictures = (
        (
            "difference_chart",
            "Change in each indicator as a share of its value before, with its 95 % bootstrap "
            "interval; filled red where the change exceeds what rewired networks show.",
        ),
        (
            "flows_chart",
            "How actors moved between sub-clusters from the first period to the second.",
        ),
    )
    for name, caption in pictures:
        chart = _optional_chart((name,), comp)
        if chart is not None:
            out["charts"].append({"svg": _svg(chart, caption), "caption": caption})
    return out


def _embedded_view(
    net: ClusterNetwork, found: dict[str, Any], title: str, seed: int | None
) -> dict[str, Any]:
    from clustermap.views._pyvis import page_html
    from clustermap.views.html import prepare_view

    results: dict[str, Any] = {}
    size_by = None
    if found["partition"] is not None:
        results["partition"] = found["partition"]
    scores = found["centrality"]
    if isinstance(scores, pd.DataFrame):
        results["centrality"] = scores
        size_by = next(
            (m for m in ("pagerank", "betweenness", "strength", "degree") if m in scores), None
        )
    options = {"seed": seed} if seed is not None else None
    nodes, links, spec = prepare_view(
        net,
        color_by="community" if found["partition"] is not None else "kind",
        size_by=size_by,
        results=results or None,
        title=title,
        options=options,
    )
    picture = None
    if nodes["x"].notna().all():
        picture = _svg(
            _charts().network_picture(nodes, links),
            "The network as the interactive view draws it: actors coloured by community, "
            "sized by centrality, the most central named.",
        )
    return {"srcdoc": page_html(nodes, links, spec), "notes": spec.notes, "picture": picture}


def _methods(results: Any) -> list[dict[str, Any]]:
    out = []
    for name, value in named_results(results):
        record = provenance(value)
        if not record or "method" not in record:
            continue
        entry = _describe(record)
        entry["name"] = TITLES.get(name, name.replace("_", " "))
        out.append(entry)
    return out


def _data(net: ClusterNetwork, inputs: Mapping[str, Any] | None) -> dict[str, Any]:
    files = list((inputs or {}).get("files") or [])
    rows = [
        {
            "file": str(f.get("file", "")),
            "role": str(f.get("role", "")),
            "rows": _cell(f.get("rows")),
            "sha256": (str(f["sha256"])[:12] + "…") if f.get("sha256") else "",
        }
        for f in files
    ]
    messages = [str(m) for m in (inputs or {}).get("messages") or []]
    meta = {str(k): _param(v) for k, v in net.meta.items()} if not files else {}
    return {"files": rows, "messages": messages, "meta": meta}


# ---------------------------------------------------------------- the page


def save_report(
    net: ClusterNetwork,
    path: str | os.PathLike[str],
    *,
    results: Any = None,
    title: str | None = None,
    inputs: Mapping[str, Any] | None = None,
    seed: int | None = None,
    interactive: bool = True,
) -> Path:
    """Write the report of a cluster analysis to one self-contained HTML file.

    Readable on screen and printable to PDF from the browser (each section
    starts a page). Sections: the network in figures; who holds the cluster
    together (top actors, brokers, single points of failure with what they
    would cut off, supplier dependence); sub-clusters (one card per
    community, sizes and composition charts); knowledge spillovers
    (strongest channels, brokers, gatekeepers, reach by group);
    specialisation and change over time when those results are given; the
    interactive network; how it was computed, written from each result's
    provenance (method, parameters, seed, layers, what was estimated); the
    data (files read, rows, hashes, what the loaders fixed or dropped).

    The report shows the results it is given and computes none, except the
    degree distribution (a count) and the community profiles of the given
    partition.

    Parameters
    ----------
    net : ClusterNetwork
        The network the results describe.
    path : str or path
        The HTML file (written under a temporary name, then renamed).
    results : dict, list or one result, optional
        ``{name: result}`` as a project run collects them, or a list; see the
        module docstring for the names and shapes recognised. Columns are
        joined by the rule of :mod:`clustermap._results` (its top actors table).
    title : str, optional
        Title (default: the network's name, or "Cluster report").
    inputs : dict, optional
        For the data section: ``files`` (dicts with ``file``, ``role``,
        ``rows``, ``sha256``) and ``messages`` (what the loaders said).
    seed : int, optional
        Seed of the embedded view's layout.
    interactive : bool
        Embed the interactive network (about 1 MB of script).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import clustermap as cm
    >>> net = cm.make_cluster(n_actors=60, seed=1)
    >>> results = {"partition": cm.find_communities(net, seed=1), "centrality": cm.centrality(net)}
    >>> out = cm.save_report(net, pathlib.Path(tempfile.mkdtemp()) / "report.html", results=results)
    >>> "Who holds the cluster together" in out.read_text(encoding="utf-8")
    True
    """
    if net.n_nodes == 0:
        msg = "the network has no actors to report on"
        raise EmptyNetworkError(msg)
    _check(results)
    title = title or str(net.meta.get("name") or "Cluster report")
    found = _found(results)
    labels = community_labels(found["partition"], net) if found["partition"] is not None else {}
    view = _embedded_view(net, found, title, seed) if interactive else None
    assets = _assets()
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(assets['vis_js'])} {_sha256(assets['app_js'])}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    html = (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            csp=csp,
            css=markupsafe.Markup(_read_css()),
            summary=_summary(net),
            key=_key_actors(net, found, labels),
            communities=_communities(net, found),
            spill=_filled(_spillovers(net, found)),
            special=_specialisation(found),
            change=_filled(_change(found)),
            view=view,
            methods=_methods(results),
            data=_data(net, inputs),
            version=_version(),
        )
    )
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_text(html, encoding="utf-8")
    log.info("wrote %s", target)
    return target


def _filled(section: dict[str, Any]) -> dict[str, Any]:
    """The section, or ``{}`` (shown as "not computed") when none of its parts is there."""
    return section if any(v is not None for v in section.values()) else {}


def _read_css() -> str:
    from importlib import resources

    text = (
        resources.files("clustermap.views")
        .joinpath("templates/report.css")
        .read_text(encoding="utf-8")
    )
    if "</style" in text.lower():
        msg = "report.css cannot contain '</style'"
        raise RuntimeError(msg)
    return text


def _version() -> str:
    from clustermap import __version__

    return __version__
