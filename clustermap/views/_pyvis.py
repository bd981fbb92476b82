"""The pyvis ``Network`` that :func:`clustermap.to_pyvis` returns: our page, not pyvis's."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import numpy as np
import pandas as pd
from pyvis.network import Network

from clustermap._atomic import atomic_path
from clustermap.views._build import PLAIN_SIZE
from clustermap.views._data import Encoding
from clustermap.views._page import SHAPES, PageSpec, page_html, template

__all__ = ["PageNetwork", "page_html"]


class PageNetwork(Network):
    """A pyvis Network that renders clustermap's self-contained page.

    ``nodes`` and ``edges`` are pyvis-style dicts (``add_node``/``add_edge``
    still work); the attributes shown in tooltips are kept aside by id.
    """

    def __init__(self, nodes: pd.DataFrame, links: pd.DataFrame, spec: PageSpec) -> None:
        directed = any(s["directed"] for s in spec.layer_styles)
        super().__init__(height="750px", width="100%", directed=directed, cdn_resources="in_line")
        env = template().environment
        self.templateEnv = env
        self.path = "view.html.j2"
        self.template = template()
        self.heading = spec.title
        self.options.physics.enabled = spec.physics
        self._spec = spec
        self._attrs = nodes.set_index("id")[spec.attributes]
        self._filters = {
            enc.key: pd.Series(enc.codes, index=nodes["id"]) for enc in spec.node_filters
        }
        if "rank" not in nodes.columns:
            nodes = nodes.assign(rank=np.arange(len(nodes)))
        vis_cols = ["id", "label", "size", "shape", "color", "x", "y", "font", "rank"]
        records = nodes[vis_cols].astype(object).where(nodes[vis_cols].notna(), None)
        self.nodes = records.to_dict("records")
        self.node_ids = nodes["id"].tolist()
        self.node_map = dict(zip(self.node_ids, self.nodes, strict=True))
        ids = nodes["id"].to_numpy()
        layer_names = np.array([s["name"] for s in spec.layer_styles] or [""])
        edge_table = pd.DataFrame(
            {
                "from": ids[links["source"].to_numpy(dtype=np.int64)],
                "to": ids[links["target"].to_numpy(dtype=np.int64)],
                "layer": layer_names[links["layer"].to_numpy(dtype=np.int64)],
                "weight": links["weight"].to_numpy(),
                "count": links["count"].to_numpy(),
                "width": links["width"].to_numpy(),
                "thin": (
                    links["thin"].to_numpy(dtype=bool)
                    if "thin" in links.columns
                    else np.zeros(len(links), dtype=bool)
                ),
                **{f"filter:{enc.key}": enc.codes for enc in spec.edge_filters},
            }
        )
        self.edges = edge_table.to_dict("records")

    def _tables(self) -> tuple[pd.DataFrame, pd.DataFrame, PageSpec]:
        """Our node and link tables from the pyvis lists (which the user may have grown)."""
        spec = self._spec
        frame = pd.DataFrame(self.nodes)
        defaults = (("label", None), ("size", PLAIN_SIZE), ("color", "#97C2FC"), ("font", 14.0))
        for col, default in defaults:
            if col not in frame.columns:
                frame[col] = default
            frame[col] = frame[col].fillna(default) if default is not None else frame[col]
        frame["id"] = frame["id"].astype(str)
        frame["label"] = frame["label"].where(frame["label"].notna(), frame["id"]).astype(str)
        shape = frame["shape"] if "shape" in frame.columns else pd.Series("dot", index=frame.index)
        frame["shape"] = shape.where(shape.isin(SHAPES), "dot")
        for col in ("x", "y"):
            if col in frame.columns:
                frame[col] = pd.to_numeric(frame[col], errors="coerce")
            else:
                frame[col] = np.nan
        color = frame["color"].astype(str)
        frame["color"] = color.where(color.str.fullmatch(r"#[0-9A-Fa-f]{6}"), "#97C2FC")
        frame["font"] = pd.to_numeric(frame["font"], errors="coerce").fillna(14.0)
        rank = frame["rank"] if "rank" in frame.columns else pd.Series(np.nan, index=frame.index)
        frame["rank"] = pd.to_numeric(rank, errors="coerce").fillna(len(frame)).rank(method="first")
        nodes = frame[["id", "label", "size", "shape", "color", "x", "y", "font", "rank"]]
        nodes = nodes.reset_index(drop=True)
        attrs = self._attrs.reindex(nodes["id"]).reset_index(drop=True)
        nodes = pd.concat([nodes, attrs], axis=1)
        filters = []
        for enc in spec.node_filters:
            codes = self._filters[enc.key].reindex(nodes["id"]).fillna(-1).astype(np.int64)
            filters.append(Encoding(enc.key, enc.title, codes.to_numpy(), enc.options, enc.colored))
        styles = list(spec.layer_styles)
        edge_keys = [f"filter:{enc.key}" for enc in spec.edge_filters]
        edges = pd.DataFrame(
            self.edges,
            columns=["from", "to", "layer", "weight", "count", "width", "thin", *edge_keys],
        )
        known = pd.Index([s["name"] for s in styles])
        new_layers = [x for x in pd.unique(edges["layer"].fillna("links")) if x not in known]
        styles += [
            {
                "name": x,
                "directed": self.directed,
                "dashes": False,
                "arrows": "to" if self.directed else "",
                "color": "#777777",
            }
            for x in new_layers
        ]
        index = pd.Index(nodes["id"])
        links = pd.DataFrame(
            {
                "source": index.get_indexer(edges["from"].astype(str)),
                "target": index.get_indexer(edges["to"].astype(str)),
                "layer": pd.Index([s["name"] for s in styles]).get_indexer(
                    edges["layer"].fillna("links")
                ),
                "weight": edges["weight"].fillna(1.0).to_numpy(dtype=np.float64),
                "count": edges["count"].fillna(1).to_numpy(dtype=np.int64),
                "width": edges["width"].fillna(1.5).to_numpy(dtype=np.float64),
                "thin": edges["thin"].fillna(False).to_numpy(dtype=bool),
            }
        )
        drawn = ((links["source"] >= 0) & (links["target"] >= 0)).to_numpy()
        links = links[drawn]
        edge_filters = [
            Encoding(
                enc.key,
                enc.title,
                edges[f"filter:{enc.key}"].fillna(0).to_numpy(dtype=np.int64)[drawn],
                enc.options,
                enc.colored,
            )
            for enc in spec.edge_filters
        ]
        physics = (
            self.options.get("physics", {}).get("enabled", spec.physics)
            if isinstance(self.options, dict)
            else bool(self.options.physics.enabled)
        )
        page = PageSpec(
            title=self.heading or spec.title,
            notes=spec.notes,
            node_filters=filters,
            layer_styles=styles,
            attributes=spec.attributes,
            physics=physics,
            size_note=spec.size_note,
            fit=spec.fit,
            outlines=spec.outlines,
            guides=spec.guides,
            edge_filters=edge_filters,
            drill=spec.drill,
        )
        return nodes, links, page

    def generate_html(
        self, name: str = "index.html", local: bool = True, notebook: bool = False
    ) -> str:
        """The self-contained page (no CDN), as a string."""
        self.html = page_html(*self._tables())
        return str(self.html)

    def write_html(
        self, name: str, local: bool = True, notebook: bool = False, open_browser: bool = False
    ) -> None:
        """Write the self-contained page to ``name`` (UTF-8, atomically); no lib/ folder."""
        html = self.generate_html(name, notebook=notebook)
        with atomic_path(name) as tmp:
            tmp.write_text(html, encoding="utf-8")
        if open_browser:
            webbrowser.open(Path(name).resolve().as_uri())
