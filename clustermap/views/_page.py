"""From drawn nodes and links to one self-contained HTML page.

:func:`build_payload` turns a table of drawn nodes, a table of drawn links
and a :class:`PageSpec` into the JSON payload the page's script reads;
:func:`render_page` puts the payload, vis-network (inlined from the copy pyvis
ships) and our script into the autoescaped template. Any view (the network,
its communities, later a comparison of two snapshots) is a pair of tables
and a spec.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import numpy as np
import pandas as pd

from clustermap.views._data import OTHER_COLOR, Encoding

__all__ = ["SHAPES", "PageSpec", "build_payload", "page_html", "render_page", "script_json"]

#: Node shapes the page knows; the payload refers to them by position.
SHAPES: tuple[str, ...] = ("dot", "square", "triangle", "hexagon", "diamond")

_VIS_DIR = "lib/vis-9.1.2"

_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


@dataclass
class PageSpec:
    """What a page shows besides its nodes and links.

    Attributes
    ----------
    title : str
        Shown as the page title and heading (escaped).
    notes : list of str
        Sentences saying what is shown and what is left out (escaped).
    node_filters : list of Encoding
        Categories of the nodes (kind, community, the colour column), each
        a group of checkboxes; the one with ``colored=True`` is the colour legend.
    layer_styles : list of dict
        One per layer code of the links: ``name``, ``directed``, ``dashes``,
        ``arrows``, ``color``.
    attributes : list of str
        Columns of the node table shown in tooltips and the attribute panel.
    physics : bool
        Live physics (nodes settle by themselves) or fixed positions.
    size_note : str, optional
        What node size shows, for the legend.
    fit : list of int, optional
        The nodes the page first fits on screen (the main component); ``None``: all.
    outlines : list of dict, optional
        Region outlines drawn under the nodes: ``name`` and ``rings`` (flat x, y lists).
    guides : list of dict, optional
        Headings drawn on the canvas (``x``, ``y``, ``text``): tier columns.
    edge_filters : list of Encoding
        Categories of the lines (a comparison's formed / dissolved / kept),
        checkboxes like ``node_filters``; a ``colored`` one colours the lines.
    drill : dict, optional
        The members each community node opens on click (community-level view).
    """

    title: str
    notes: list[str] = field(default_factory=list)
    node_filters: list[Encoding] = field(default_factory=list)
    layer_styles: list[dict[str, Any]] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    physics: bool = False
    size_note: str | None = None
    fit: list[int] | None = None
    outlines: list[dict[str, Any]] | None = None
    guides: list[dict[str, Any]] | None = None
    edge_filters: list[Encoding] = field(default_factory=list)
    drill: dict[str, Any] | None = None


def _column_values(column: pd.Series) -> list[Any]:
    """A column as JSON-ready values: numbers stay numbers, missing becomes null."""
    present = column.notna().to_numpy()
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float", "decimal") or (
        pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    ):
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        out = values.astype(object)
        out[~np.isfinite(values)] = None
        return list(out.tolist())
    text = column.astype(object) if kind == "boolean" else column.astype(str)
    out = np.array(text.to_numpy(dtype=object), dtype=object, copy=True)
    out[~present] = None
    return list(out.tolist())


def build_payload(nodes: pd.DataFrame, links: pd.DataFrame, spec: PageSpec) -> dict[str, Any]:
    """The data a page draws, as plain JSON-ready Python objects (column-wise).

    Parameters
    ----------
    nodes : pandas.DataFrame
        One row per drawn node, in drawing order: ``id``, ``label``,
        ``size``, ``shape`` (one of :data:`SHAPES`), ``color`` (hex), ``x``
        and ``y`` (NaN when the page lays nodes out itself), ``font`` (label
        size in px; small labels hide when zoomed out) and the columns named
        in ``spec.attributes``.
    links : pandas.DataFrame
        One row per drawn line: ``source`` and ``target`` (positions in
        ``nodes``), ``layer`` (position in ``spec.layer_styles``),
        ``weight``, ``count`` and ``width``.
    spec : PageSpec
        Filters, legend, notes and physics.

    Examples
    --------
    >>> nodes = pd.DataFrame({"id": ["a", "b"], "label": ["A", "B"], "size": [10.0, 10.0],
    ...     "shape": ["dot", "dot"], "color": ["#111111", "#111111"], "x": np.nan, "y": np.nan,
    ...     "font": 12.0})
    >>> links = pd.DataFrame({"source": [0], "target": [1], "layer": [0], "weight": [1.0],
    ...     "count": [1], "width": [1.5]})
    >>> p = build_payload(nodes, links, PageSpec("t"))
    >>> p["nodes"]["id"], p["edges"]["from"], p["nodes"]["x"]
    (['a', 'b'], [0], None)
    """
    shape_code = pd.Index(SHAPES).get_indexer(pd.Index(nodes["shape"]))
    if (shape_code < 0).any():
        bad = sorted(set(nodes["shape"][shape_code < 0]))
        msg = f"unknown node shape(s) {bad}; known: {SHAPES}"
        raise ValueError(msg)
    color_code, colors = pd.factorize(nodes["color"], sort=False)
    has_xy = bool(nodes["x"].notna().any())
    node_block: dict[str, Any] = {
        "id": nodes["id"].astype(str).tolist(),
        "label": nodes["label"].astype(str).tolist(),
        "size": np.round(nodes["size"].to_numpy(dtype=np.float64), 1).tolist(),
        "font": np.round(nodes["font"].to_numpy(dtype=np.float64), 1).tolist(),
        "shape": shape_code.tolist(),
        "color": color_code.tolist(),
        "x": _column_values(nodes["x"].round(1)) if has_xy else None,
        "y": _column_values(nodes["y"].round(1)) if has_xy else None,
        "rank": (
            nodes["rank"].to_numpy(dtype=np.int64).tolist()
            if "rank" in nodes.columns
            else list(range(len(nodes)))
        ),
        "filters": {enc.key: enc.codes.tolist() for enc in spec.node_filters},
        "attrs": {col: _column_values(nodes[col]) for col in spec.attributes},
    }
    edge_block = {
        "from": links["source"].to_numpy(dtype=np.int64).tolist(),
        "to": links["target"].to_numpy(dtype=np.int64).tolist(),
        "layer": links["layer"].to_numpy(dtype=np.int64).tolist(),
        "width": np.round(links["width"].to_numpy(dtype=np.float64), 2).tolist(),
        "weight": _column_values(links["weight"]),
        "count": links["count"].to_numpy(dtype=np.int64).tolist(),
        "thin": (
            links["thin"].to_numpy(dtype=np.int8).tolist()
            if "thin" in links.columns and bool(links["thin"].any())
            else None
        ),
        "filters": {enc.key: enc.codes.tolist() for enc in spec.edge_filters},
    }
    return {
        "version": 2,
        "title": spec.title,
        "nodes": node_block,
        "edges": edge_block,
        "shapes": list(SHAPES),
        "colors": [str(c) for c in colors],
        "filters": [_filter(enc) for enc in spec.node_filters],
        "edgeFilters": [_filter(enc) for enc in spec.edge_filters],
        "layers": spec.layer_styles,
        "attributes": list(spec.attributes),
        "physics": spec.physics,
        "sizeNote": spec.size_note,
        "fit": spec.fit,
        "outlines": spec.outlines,
        "guides": spec.guides,
        "drill": spec.drill,
    }


def _filter(enc: Encoding) -> dict[str, Any]:
    """A filter group of the legend; every option has a colour (grey when it has none)."""
    options = [{**o, "color": o.get("color") or OTHER_COLOR} for o in enc.options]
    return {"key": enc.key, "title": enc.title, "colored": enc.colored, "options": options}


def script_json(data: Any) -> str:
    r"""JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u003c``, ``\u003e``, ``\u0026`` (so
    neither ``</script>`` nor ``<!--`` can appear), and the line separators
    U+2028 / U+2029 are escaped too. JSON.parse reads the same strings back.

    Examples
    --------
    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JSON_ESCAPES:
        text = text.replace(char, escaped)
    return text


def _read(package: str, name: str) -> str:
    """A data file of an installed package, read without importing the package if possible.

    (Importing pyvis imports IPython and more, a tenth of a second that a
    page, which only needs vis-network's files, has no use for.)
    """
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    path = Path(folders[0]).joinpath(name) if len(folders) == 1 else None
    if path is not None and path.is_file():
        return path.read_text(encoding="utf-8")
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """vis-network's script and style (from pyvis) and ours, checked to be inlinable."""
    assets = {
        "vis_js": _read("pyvis", f"{_VIS_DIR}/vis-network.min.js"),
        "vis_css": _read("pyvis", f"{_VIS_DIR}/vis-network.css"),
        "app_js": _read("clustermap.views", "templates/view.js"),
        "app_css": _read("clustermap.views", "templates/view.css"),
    }
    for name, text in assets.items():
        closing = "</style" if name.endswith("css") else "</script"
        if closing in text.lower() or "<!--" in text:
            msg = f"{name} contains {closing!r} or '<!--' and cannot be inlined safely"
            raise RuntimeError(msg)
    return assets


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("clustermap.views", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def template() -> jinja2.Template:
    """The page template (autoescaped Jinja2)."""
    return _environment().get_template("view.html.j2")


def render_page(payload: dict[str, Any], *, title: str, notes: list[str]) -> str:
    """The whole HTML page: styles, vis-network, our script and the payload inlined.

    A Content-Security-Policy allows exactly the two inline scripts (by hash)
    and data: images, and nothing from the network, so even a mistake
    elsewhere could neither run injected script nor fetch anything.
    """
    assets = _assets()
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(assets['vis_js'])} {_sha256(assets['app_js'])}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    return template().render(
        title=title,
        notes=notes,
        csp=csp,
        vis_js=markupsafe.Markup(assets["vis_js"]),
        vis_css=markupsafe.Markup(assets["vis_css"]),
        app_js=markupsafe.Markup(assets["app_js"]),
        app_css=markupsafe.Markup(assets["app_css"]),
        payload=markupsafe.Markup(script_json(payload)),
    )


def page_html(nodes: pd.DataFrame, links: pd.DataFrame, spec: PageSpec) -> str:
    """The whole page of a view: :func:`build_payload` rendered by :func:`render_page`."""
    return render_page(build_payload(nodes, links, spec), title=spec.title, notes=spec.notes)
