"""The default analysis a user runs, end to end, timed step by step.

:func:`run_pipeline` reads the CSV tables, builds the network and runs the
default centrality, Leiden communities, their profiles, resilience,
spillover reach from the institutions, knowledge roles (inside the largest
region), the community-level HTML view, the community list to Excel and
centrality to CSV, all through the public API. Each step records wall
seconds, CPU seconds (this process and its helper processes) and its peak
resident memory (sampled every 10 ms).

:func:`run_floor` does the same work with the bare primitives underneath
(pyarrow's CSV reader, numpy, igraph, leidenalg, SciPy, pandas, XlsxWriter),
in the same process and run, so that the pipeline can be set against the
sum of its primitives: the floor. :func:`run_networkx` is the plain networkx
script doing the same analyses.

Before each step the pipeline estimates the memory the step needs from the
numbers of actors and links (coefficients measured on this benchmark's
clusters, ``_BYTES_PER``) and stops with a :class:`MemoryError` naming the
step and what to change when it would not fit.
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import clustermap as cm
from clustermap._memory import check_memory
from clustermap._spreadsheet import EXCEL_MAX_ROWS

SEED = 1
_PAGE = resource.getpagesize()

#: Memory a step adds (its peak minus its start), in bytes per link and per actor: 1.5x
#: what was measured at 1M actors / 5M links (``start_mib`` and ``peak_mib`` of the
#: pipeline's records), rounded up; used to refuse a step that would not fit.
_BYTES_PER: dict[str, tuple[float, float]] = {
    "read CSV -> network": (450.0, 450.0),
    "centrality": (330.0, 330.0),
    "communities (Leiden)": (80.0, 80.0),
    "profiles": (90.0, 90.0),
    "resilience": (180.0, 180.0),
    "spillover reach": (180.0, 180.0),
    "knowledge roles": (100.0, 100.0),
    "community-level HTML": (80.0, 80.0),
    "community list to Excel": (40.0, 40.0),
    "centrality to CSV": (10.0, 10.0),
}
_FIX = {
    "read CSV -> network": "Read Parquet files, or split the links into fewer layers/years.",
    "centrality": "Ask for fewer measures (`measures=`) or select fewer layers (`layers=`).",
    "communities (Leiden)": "Select fewer layers (`layers=`) or a part of the network.",
    "profiles": "Profile a selection of the network (`net.select(...)`).",
    "resilience": "Run it on the supply layer of a region (`net.select(...)`).",
    "spillover reach": "Use fewer sources or layers (`sources=`, `layers=`).",
    "knowledge roles": "Select fewer layers (`layers=`).",
    "community-level HTML": "Lower `settings.view_max_nodes` or draw a selection.",
    "community list to Excel": "Write CSV instead (`write_csv`), or split the workbook.",
    "centrality to CSV": "Write fewer columns.",
}


@dataclass
class StepRecord:
    """One step's measurements."""

    step: str
    seconds: float
    cpu: float
    peak_mib: float
    note: str = ""
    #: Resident memory when the step started: ``peak_mib - start_mib`` is what it added.
    start_mib: float = 0.0


def _cpu() -> float:
    """CPU seconds of this process and its finished helper processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _rss() -> float:
    with open("/proc/self/statm") as f:
        return float(f.read().split()[1]) * _PAGE


class _PeakSampler:
    """Samples this process's resident memory; :meth:`reset` starts a new step."""

    def __init__(self) -> None:
        self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss())

    def reset(self) -> None:
        self.peak = _rss()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def _measured(
    records: list[StepRecord], sampler: _PeakSampler, name: str
) -> Iterator[dict[str, str]]:
    sampler.reset()
    note: dict[str, str] = {}
    before = _rss() / 2**20
    start, cpu = time.perf_counter(), _cpu()
    yield note
    seconds, used = time.perf_counter() - start, _cpu() - cpu
    peak = max(sampler.peak, _rss()) / 2**20
    records.append(StepRecord(name, seconds, used, peak, note.get("note", ""), before))
    progress = os.environ.get("CLUSTERMAP_PIPELINE_PROGRESS")
    if progress:  # one JSON line per finished step, so a run stopped midway still tells
        with open(progress, "a") as f:
            f.write(json.dumps(asdict(records[-1])) + "\n")


def _guard(name: str, n_actors: int, n_links: int) -> None:
    per_link, per_actor = _BYTES_PER[name]
    check_memory(
        f"pipeline step {name!r} ({n_actors:,} actors, {n_links:,} links)",
        per_link * n_links + per_actor * n_actors,
        _FIX[name],
    )


def _sizes(nodes_csv: Path, links_csv: Path) -> tuple[int, int]:
    """Actors and links, estimated from the file sizes before reading (bytes per row)."""
    return int(nodes_csv.stat().st_size / 150), int(links_csv.stat().st_size / 50)


def _largest_region(net: cm.ClusterNetwork) -> dict[str, str]:
    region = net.nodes["region"].value_counts().index[0]
    return {"region": str(region)}


def run_pipeline(nodes_csv: Path, links_csv: Path, out: Path) -> list[StepRecord]:
    """Run the default pipeline on two CSV files; write its outputs into ``out``."""
    records: list[StepRecord] = []
    sampler = _PeakSampler()
    try:
        n, m = _sizes(nodes_csv, links_csv)
        _guard("read CSV -> network", n, m)
        with _measured(records, sampler, "read CSV -> network"):
            net = cm.read_tables(nodes_csv, links_csv)
        n, m = net.n_nodes, net.n_edges

        def step(name: str, func: Callable[[dict[str, str]], Any]) -> Any:
            _guard(name, n, m)
            with _measured(records, sampler, name) as note:
                return func(note)

        def centrality(note: dict[str, str]) -> pd.DataFrame:
            table = cm.centrality(net, seed=SEED)
            info = table.attrs["estimated"].get("betweenness")
            if "betweenness" in table.attrs.get("left_out", {}):
                note["note"] = "betweenness left out of the default set"
            elif info:
                note["note"] = f"betweenness from {info['samples']} sources ({info['stopped']})"
            else:
                note["note"] = "betweenness exact"
            return table

        cent = step("centrality", centrality)
        part = step("communities (Leiden)", lambda _: cm.find_communities(net, seed=SEED))
        step("profiles", lambda _: part.profiles(net))
        step("resilience", lambda _: cm.resilience(net))
        step("spillover reach", lambda _: cm.spillover_reach(net, sources="institution"))
        step("knowledge roles", lambda _: cm.knowledge_roles(net, internal=_largest_region(net)))
        step(
            "community-level HTML",
            lambda _: cm.save_html(
                net,
                out / "network.html",
                color_by="community",
                results={"partition": part, "centrality": cent},
                options={"seed": SEED},
            ),
        )

        def community_list(note: dict[str, str]) -> None:
            if n + 1 > EXCEL_MAX_ROWS:  # what the writer's message tells the user to do
                note["note"] = f"CSV: {n:,} rows are more than an Excel sheet holds"
                cm.write_csv(part.to_sheets(net)["membership"], out / "communities.csv")
            else:
                cm.write_excel(part.to_sheets(net), out / "communities.xlsx")

        step("community list to Excel", community_list)
        step("centrality to CSV", lambda _: cm.write_csv(cent, out / "centrality.csv"))
    finally:
        sampler.close()
    return records


# --------------------------------------------------------------------- floor


def run_floor(nodes_csv: Path, links_csv: Path, out: Path, samples: int) -> list[StepRecord]:
    """The pipeline's work done with the bare primitives, step by step.

    ``samples`` is the number of betweenness sources the pipeline used, so
    that both do the same work.
    """
    import igraph as ig
    import pyarrow.csv as pv
    import scipy.sparse as sp

    records: list[StepRecord] = []
    sampler = _PeakSampler()
    state: dict[str, Any] = {}

    def read(_: dict[str, str]) -> None:
        nodes = pv.read_csv(nodes_csv).to_pandas()
        links = pv.read_csv(links_csv).to_pandas()
        ids = pd.Index(nodes["id"].astype(str))
        src = ids.get_indexer(links["source"].astype(str))
        dst = ids.get_indexer(links["target"].astype(str))
        w = links["weight"].to_numpy(dtype=np.float64)
        n = len(ids)
        both = (links["layer"] == "knowledge").to_numpy()
        s2, d2 = np.concatenate([src, dst[both]]), np.concatenate([dst, src[both]])
        w2 = np.concatenate([w, w[both]])
        key, inv = np.unique(s2 * n + d2, return_inverse=True)
        # igraph reads Python int pairs faster than a numpy array (measured at 5M edges)
        directed = ig.Graph(n=n, directed=True)
        directed.add_edges(zip((key // n).tolist(), (key % n).tolist(), strict=True))
        directed.es["weight"] = np.bincount(inv, weights=w2)
        lo, hi = np.minimum(src, dst), np.maximum(src, dst)
        ukey, uinv = np.unique(lo * n + hi, return_inverse=True)
        undirected = ig.Graph(n=n)
        undirected.add_edges(zip((ukey // n).tolist(), (ukey % n).tolist(), strict=True))
        undirected.es["weight"] = np.bincount(uinv, weights=w)
        state.update(nodes=nodes, links=links, n=n, d=directed, u=undirected, src=src, dst=dst)

    def centrality(_: dict[str, str]) -> None:
        d, u, n = state["d"], state["u"], state["n"]
        nodes = state["nodes"]
        table = pd.DataFrame({"name": nodes["name"], "kind": nodes["kind"]})
        table.index = nodes["id"]
        table["degree"] = u.degree()
        table["in_degree"] = d.degree(mode="in")
        table["out_degree"] = d.degree(mode="out")
        table["strength"] = u.strength(weights="weight")
        table["in_strength"] = d.strength(mode="in", weights="weight")
        table["out_strength"] = d.strength(mode="out", weights="weight")
        lengths = 1.0 / np.asarray(d.es["weight"])
        if samples:
            sources = np.random.default_rng(SEED).permutation(n)[:samples].tolist()
            table["betweenness"] = d.betweenness(weights=lengths, sources=sources)
        table["pagerank"] = d.pagerank(weights="weight")
        table["eigenvector"] = u.eigenvector_centrality(weights="weight")
        table["coreness"] = u.coreness()
        state["cent"] = table

    def communities(_: dict[str, str]) -> None:
        u = state["u"]
        part = u.community_leiden(
            objective_function="modularity", weights="weight", resolution=1, n_iterations=2
        )
        state["membership"] = np.asarray(part.membership)

    def profiles(_: dict[str, str]) -> None:
        # what a profile row holds: counts by kind, the top three sectors and regions
        # with shares, the top members, links inside and across
        nodes, m = state["nodes"], state["membership"]
        k = int(m.max()) + 1
        pd.crosstab(m, nodes["kind"].to_numpy())
        for col in ("sector", "region"):
            codes, _ = pd.factorize(nodes[col])
            key, count = np.unique(m * (codes.max() + 1) + codes, return_counts=True)
            order = np.lexsort((-count, key // (codes.max() + 1)))
            group = (key // (codes.max() + 1))[order]
            first = np.searchsorted(group, group)
            order[np.arange(len(order)) - first < 3]
        score = state["cent"]["degree"].to_numpy()
        order = np.lexsort((-score, m))
        first = np.searchsorted(m[order], m[order])
        nodes["name"].to_numpy()[order[np.arange(len(order)) - first < 5]]
        cs, ct = m[state["src"]], m[state["dst"]]
        inside = cs == ct
        np.bincount(cs[inside], minlength=k)
        np.bincount(cs[~inside], minlength=k) + np.bincount(ct[~inside], minlength=k)

    def resilience(_: dict[str, str]) -> None:
        supply = state["links"]["layer"].to_numpy() == "supply"
        s, t = state["src"][supply], state["dst"][supply]
        w = state["links"]["weight"].to_numpy(dtype=np.float64)[supply]
        g = ig.Graph(n=state["n"])
        g.add_edges(zip(s.tolist(), t.tolist(), strict=True))
        g.simplify()
        g.biconnected_components(return_articulation_points=True)
        g.bridges()
        # dependence of each buyer on its suppliers and of each supplier on its buyers
        # (largest share, Herfindahl), and the firms whose only supplier an actor is
        n = state["n"]
        for a in (t, s):  # buyers, then suppliers
            total = np.bincount(a, weights=w, minlength=n)
            share = w / total[a]
            np.bincount(a, weights=share**2, minlength=n)
            np.maximum.at(np.zeros(n), a, share)
        distinct = np.unique(t * n + s)
        only = np.bincount(distinct // n, minlength=n) == 1
        np.bincount((distinct % n)[only[distinct // n]], minlength=n)

    def reach(_: dict[str, str]) -> None:
        inst = np.flatnonzero(state["nodes"]["kind"].to_numpy() == "institution").tolist()
        state["d"].personalized_pagerank(reset_vertices=inst, weights="weight")

    def roles(_: dict[str, str]) -> None:
        u, nodes = state["u"], state["nodes"]
        inside = (nodes["region"] == nodes["region"].value_counts().index[0]).to_numpy()
        edges = np.asarray(u.get_edgelist())
        a = sp.csr_array((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(state["n"],) * 2)
        a = a + a.T
        a @ inside.astype(float), a @ (~inside).astype(float)

    def html(_: dict[str, str]) -> None:
        # the community-level view: the graph of communities, laid out, with sizes
        u = state["u"].copy()
        u.contract_vertices(state["membership"].tolist(), combine_attrs="first")
        u.simplify(combine_edges={"weight": "sum"})
        layout = u.layout_fruchterman_reingold(weights="weight", niter=500, seed=None)
        sizes = np.bincount(state["membership"]).tolist()
        payload = {
            "nodes": [[i, sizes[i], *xy] for i, xy in enumerate(layout.coords)],
            "edges": u.get_edgelist(),
            "weights": u.es["weight"],
        }
        (out / "floor.html").write_text(json.dumps(payload))

    def excel(_: dict[str, str]) -> None:
        # the sheets the pipeline writes: membership (id, name, kind, community,
        # its label and size) and one row per community
        m = state["membership"]
        sizes = np.bincount(m)
        frame = state["nodes"][["id", "name", "kind"]].assign(
            community=m, label=np.char.add("Community ", m.astype(str)), size=sizes[m]
        )
        summary = pd.DataFrame({"community": np.arange(len(sizes)), "size": sizes})
        if len(frame) + 1 > EXCEL_MAX_ROWS:  # as the pipeline does
            frame.to_csv(out / "floor-communities.csv", index=False)
            return
        with pd.ExcelWriter(
            out / "floor.xlsx",
            engine="xlsxwriter",
            engine_kwargs={"options": {"constant_memory": True}},
        ) as writer:
            frame.to_excel(writer, sheet_name="membership", index=False)
            summary.to_excel(writer, sheet_name="profiles", index=False)

    def csv(_: dict[str, str]) -> None:
        state["cent"].to_csv(out / "floor.csv")

    try:
        for name, func in (
            ("read CSV -> network", read),
            ("centrality", centrality),
            ("communities (Leiden)", communities),
            ("profiles", profiles),
            ("resilience", resilience),
            ("spillover reach", reach),
            ("knowledge roles", roles),
            ("community-level HTML", html),
            ("community list to Excel", excel),
            ("centrality to CSV", csv),
        ):
            with _measured(records, sampler, name) as note:
                func(note)
    finally:
        sampler.close()
    return records


# ------------------------------------------------------------------- networkx


def run_networkx(nodes_csv: Path, links_csv: Path, out: Path) -> None:
    """The same analyses as a plain networkx script would do them."""
    import networkx as nx

    nodes = pd.read_csv(nodes_csv)
    links = pd.read_csv(links_csv)
    D = nx.DiGraph()
    D.add_nodes_from(nodes["id"].astype(str))
    U = nx.Graph()
    U.add_nodes_from(nodes["id"].astype(str))
    for s, t, layer, w in links[["source", "target", "layer", "weight"]].itertuples(index=False):
        for a, b in ((s, t), (t, s)) if layer == "knowledge" else ((s, t),):
            old = D.get_edge_data(a, b, {"weight": 0.0})["weight"]
            D.add_edge(a, b, weight=old + w, distance=1.0 / (old + w))
        old = U.get_edge_data(s, t, {"weight": 0.0})["weight"]
        U.add_edge(s, t, weight=old + w)
    cent = pd.DataFrame(
        {
            "degree": nx.degree_centrality(U),
            "in_degree": nx.in_degree_centrality(D),
            "out_degree": nx.out_degree_centrality(D),
            "betweenness": nx.betweenness_centrality(D, k=500, weight="distance", seed=SEED),
            "pagerank": nx.pagerank(D, weight="weight"),
            "eigenvector": nx.eigenvector_centrality(U, weight="weight", max_iter=1000),
            "coreness": nx.core_number(U),
        }
    )
    communities = nx.community.louvain_communities(U, weight="weight", seed=SEED)
    membership = {v: i for i, c in enumerate(communities) for v in c}
    kinds = nodes.set_index("id")["kind"]
    pd.crosstab(pd.Series(membership), kinds)
    supply = links[links["layer"] == "supply"]
    S = nx.from_pandas_edgelist(supply, "source", "target")
    list(nx.articulation_points(S))
    list(nx.bridges(S))
    inst = nodes.loc[nodes["kind"] == "institution", "id"]
    nx.pagerank(D, personalization=dict.fromkeys(inst, 1.0), weight="weight")
    region = nodes["region"].value_counts().index[0]
    inside = set(nodes.loc[nodes["region"] == region, "id"])
    {v: sum(u in inside for u in U[v]) for v in U}
    C = nx.quotient_graph(U, communities)
    (out / "nx.html").write_text(json.dumps(nx.node_link_data(C, edges="links"), default=str))
    pd.DataFrame({"community": membership}).to_excel(out / "nx.xlsx")
    cent.to_csv(out / "nx.csv")


def total(records: list[StepRecord]) -> StepRecord:
    """The sum of the steps (peak: the largest step peak)."""
    return StepRecord(
        "total",
        sum(r.seconds for r in records),
        sum(r.cpu for r in records),
        max((r.peak_mib for r in records), default=0.0),
    )


def as_dicts(records: list[StepRecord]) -> list[dict[str, Any]]:
    """Records as plain dicts (for the runner's JSON)."""
    return [asdict(r) for r in records]


def scratch() -> Path:
    """A fresh output folder for one run."""
    return Path(tempfile.mkdtemp(prefix="clustermap-pipeline-", dir=os.environ.get("TMPDIR")))
