r"""Regional specialisation: location quotients and cluster strength.

*Is this region specialised in this industry, and is the specialisation
strong by national standards?* The US Cluster Mapping Project (Delgado,
Porter & Stern 2016, *J. Econ. Geogr.* 16:1) answers with location quotients
over benchmark cluster definitions and a rule for *strong* cluster-regions.

Regional tables are plain long pandas tables (region, industry, employment,
establishments), as statistics offices publish them; column names are options.
See ``docs/specialisation.md`` for the method, caveats and references.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

import numpy as np
import pandas as pd

from clustermap._provenance import stamp
from clustermap.analysis._regional_tables import (
    check_mapped,
    prepare_employment,
    prepare_mapping,
    source_name,
)
from clustermap.errors import ConfigError, InputError

__all__ = ["cluster_strength", "location_quotients"]

log = logging.getLogger(__name__)

_DENOMINATORS = ("traded", "all")
_UNMAPPED = ("error", "other")


def location_quotients(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
    establishments: str | None = None,
    mapping: Any = None,
    denominator: Literal["traded", "all"] | None = None,
    level: int | None = None,
    unmapped: Literal["error", "other"] = "error",
) -> pd.DataFrame:
    r"""How concentrated each cluster (or industry) is in each region, against the nation.

    An LQ of 2 means the cluster's share of the region's jobs is twice its
    share of the nation's jobs; 1 means the region looks like the nation.

    .. math:: LQ_{rc} = \frac{E_{rc} / E_{r,\text{base}}}{E_{\text{nation},c} /
              E_{\text{nation},\text{base}}}

    where the base is employment in traded clusters (``denominator="traded"``,
    the US Cluster Mapping Project's choice, since local services follow
    population) or all employment (``"all"``). The nation is the sum of the
    regions in the table. Industries are summed into clusters through
    ``mapping``; without one each industry is its own cluster.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table, one row per region and industry. Codes are kept as text.
        Empty value cells are suppressed cells and are left out; zero rows are
        kept and flagged (column ``zero``).
    region, industry, value : str
        Column names of the region code, the industry code and the employment.
    establishments : str, optional
        Column of the number of establishments (summed like employment).
    mapping : table, Series or dict, optional
        Industry code -> cluster, with an optional traded/local flag (see
        :func:`~clustermap.analysis.specialisation` docs: columns found by name,
        ``NAICS``/``industry``/``code``, ``Cluster``, ``TradedLocal``/``traded``).
    denominator : {"traded", "all"}, optional
        The base. Default: ``"traded"`` when the mapping has a traded flag,
        else ``"all"``. With ``"traded"``, only traded clusters get an LQ.
    level : int, optional
        Keep only codes of this many characters (6 for 6-digit NAICS). Needed
        when the table mixes levels (County Business Patterns holds 2- to
        6-digit codes): summing levels would count jobs twice.
    unmapped : {"error", "other"}
        Codes the mapping lacks: an :class:`~clustermap.errors.InputError`
        naming them (default), or counted in the all-industry base only.

    Returns
    -------
    pandas.DataFrame
        One row per region and cluster with employment: ``region``,
        ``cluster``, (``traded``), ``employment``, (``establishments``),
        ``regional_share``, ``national_share``, ``lq``, ``zero``.

    Raises
    ------
    InputError
        Duplicate region-industry rows, negative or non-numeric values, mixed
        code levels without ``level``, codes the mapping lacks, a code in two
        clusters; each names the file, row and column.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["A", "A", "B", "B"], "industry": ["x", "y", "x", "y"],
    ...                   "employment": [30, 70, 10, 90]})
    >>> lq = location_quotients(t)
    >>> lq.set_index(["region", "cluster"])["lq"].round(3).to_dict()
    {('A', 'x'): 1.5, ('A', 'y'): 0.875, ('B', 'x'): 0.5, ('B', 'y'): 1.125}
    """
    if denominator is not None and denominator not in _DENOMINATORS:
        allowed = ", ".join(map(repr, _DENOMINATORS))
        msg = f"`denominator` must be one of {allowed}, not {denominator!r}"
        raise ConfigError(msg)
    if unmapped not in _UNMAPPED:
        msg = f"`unmapped` must be one of {', '.join(map(repr, _UNMAPPED))}, not {unmapped!r}"
        raise ConfigError(msg)
    emp = prepare_employment(
        table,
        region=region,
        industry=industry,
        value=value,
        establishments=establishments,
        level=level,
    )
    df = emp.data
    has_traded = False
    if mapping is not None:
        mapped = prepare_mapping(mapping)
        has_traded = "traded" in mapped.columns
        known = check_mapped(emp, mapped, unmapped=unmapped)
        df = df.assign(cluster=df["industry"].map(mapped["cluster"]))
        if has_traded:
            df["traded"] = df["industry"].map(mapped["traded"]).astype("boolean")
        df = df.assign(known=known.to_numpy() & df["cluster"].notna().to_numpy())
    else:
        df = df.assign(cluster=df["industry"], known=True)
    if denominator is None:
        denominator = "traded" if has_traded else "all"
    if denominator == "traded" and not has_traded:
        msg = (
            "`denominator='traded'` needs a mapping with a traded/local flag column "
            "(e.g. TradedLocal); pass denominator='all' to use all employment"
        )
        raise ConfigError(msg)
    in_base = df["traded"].fillna(False).to_numpy(dtype=bool) if denominator == "traded" else None
    base_rows = df if in_base is None else df[in_base]
    regional_base = base_rows.groupby("region", sort=True)["value"].sum()
    national_base = float(base_rows["value"].sum())
    clustered = df[df["known"].to_numpy(dtype=bool)] if in_base is None else base_rows
    sums = {"employment": ("value", "sum")}
    if emp.has_establishments:
        sums["establishments"] = ("establishments", "sum")
    keys = ["region", "cluster"] + (["traded"] if has_traded else [])
    out = clustered.groupby(keys, sort=True, observed=True).agg(**sums).reset_index()
    national = out.groupby("cluster")["employment"].transform("sum")
    base = out["region"].map(regional_base)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["regional_share"] = out["employment"] / base
        out["national_share"] = national / national_base
        out["lq"] = out["regional_share"] / out["national_share"]
    out["lq"] = out["lq"].fillna(0.0)
    out["zero"] = out["employment"] == 0
    if has_traded:
        out["traded"] = out["traded"].astype(bool)
    parameters = {
        "region": region,
        "industry": industry,
        "value": value,
        "establishments": establishments,
        "mapping": None if mapping is None else source_name(mapping, "mapping table"),
        "denominator": denominator,
        "level": level,
        "unmapped": unmapped,
    }
    return stamp(
        out,
        method="location_quotients",
        parameters=parameters,
        source=emp.source,
        regions=int(df["region"].nunique()),
        national_base=national_base,
    )


# ----------------------------------------------------------------- strength


def _prepare_links(links: Any) -> pd.DataFrame:
    where = source_name(links, "the cluster links")
    if not isinstance(links, pd.DataFrame):
        links = pd.DataFrame(links)
    if links.shape[1] < 2:
        msg = f"{where}: needs two columns, a cluster and a related cluster"
        raise InputError(msg)
    lower = {str(c).strip().lower(): c for c in links.columns}
    a = next((lower[k] for k in ("core cluster", "cluster", "source") if k in lower), None)
    b = next(
        (
            lower[k]
            for k in ("linked cluster", "related cluster", "related", "target")
            if k in lower
        ),
        None,
    )
    if a is None or b is None:
        a, b = links.columns[0], links.columns[1]
        log.info("%s: read columns %r and %r as cluster and related cluster", where, a, b)
    pairs = pd.DataFrame(
        {"cluster": links[a].astype(str).str.strip(), "related": links[b].astype(str).str.strip()}
    )
    both = pd.concat([pairs, pairs.rename(columns={"cluster": "related", "related": "cluster"})])
    both = both[both["cluster"] != both["related"]].drop_duplicates()
    return both.reset_index(drop=True)


def cluster_strength(
    lq: pd.DataFrame,
    *,
    lq_percentile: float = 75.0,
    min_lq: float = 1.0,
    size_percentile: float = 25.0,
    establishments_percentile: float = 25.0,
    links: Any = None,
) -> pd.DataFrame:
    """Mark the strong cluster-regions, by the US Cluster Mapping Project rule.

    A cluster is *strong* in a region when it is specialised there by
    national standards and has real weight: its LQ is at or above the
    ``lq_percentile`` (75th) of the LQs of the regions that have employment
    in the cluster, and at least ``min_lq`` (1); its employment is above the
    ``size_percentile`` (25th) of those regions; and its establishments are
    above the ``establishments_percentile`` (25th) (when the table has them).
    Percentiles use linear interpolation between regions.

    With ``links`` (a table of related clusters, such as the USCMP cluster
    linkages: taken as undirected), each row also counts the related
    clusters that are strong in the same region: a specialisation backed by
    its neighbours is more robust.

    Parameters
    ----------
    lq : pandas.DataFrame
        The output of :func:`location_quotients`.
    lq_percentile, min_lq, size_percentile, establishments_percentile : float
        The thresholds of the rule.
    links : table, optional
        Related clusters: columns ``Core Cluster`` / ``Linked Cluster`` (or
        ``cluster`` / ``related``, or the first two columns).

    Returns
    -------
    pandas.DataFrame
        ``lq`` with ``lq_threshold``, ``employment_threshold``,
        (``establishments_threshold``) and ``strong``; with ``links`` also
        ``related_clusters``, ``related_strong`` and ``related_strength``
        (the share of related clusters that are strong). ``attrs["rule"]``
        states the rule used.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": list("AABBCCDD"), "industry": list("xyxyxyxy"),
    ...                   "employment": [50, 50, 10, 90, 20, 80, 5, 95]})
    >>> s = cluster_strength(location_quotients(t))
    >>> s.loc[s["strong"], ["region", "cluster"]].values.tolist()
    [['A', 'x'], ['D', 'y']]
    """
    for name, q in (
        ("lq_percentile", lq_percentile),
        ("size_percentile", size_percentile),
        ("establishments_percentile", establishments_percentile),
    ):
        if not 0 <= q <= 100:
            msg = f"`{name}` must be between 0 and 100, not {q!r}"
            raise ConfigError(msg)
    missing = [c for c in ("region", "cluster", "employment", "lq") if c not in lq.columns]
    if missing:
        msg = f"`lq` lacks column(s) {missing}: pass the output of location_quotients"
        raise ConfigError(msg)
    out = lq.copy()
    present = out["employment"] > 0
    grouped = out[present].groupby("cluster")
    out["lq_threshold"] = out["cluster"].map(grouped["lq"].quantile(lq_percentile / 100))
    out["employment_threshold"] = out["cluster"].map(
        grouped["employment"].quantile(size_percentile / 100)
    )
    strong = (
        present
        & (out["lq"] >= out["lq_threshold"])
        & (out["lq"] >= min_lq)
        & (out["employment"] > out["employment_threshold"])
    )
    rule = (
        f"LQ >= {lq_percentile:g}th percentile of regions with employment in the cluster "
        f"and LQ >= {min_lq:g}; employment > {size_percentile:g}th percentile"
    )
    has_estab = "establishments" in out.columns
    if has_estab:
        out["establishments_threshold"] = out["cluster"].map(
            grouped["establishments"].quantile(establishments_percentile / 100)
        )
        strong &= out["establishments"] > out["establishments_threshold"]
        rule += f"; establishments > {establishments_percentile:g}th percentile"
    else:
        rule += " (no establishments column: that criterion was not applied)"
    out["strong"] = strong.to_numpy(dtype=bool)
    if links is not None:
        pairs = _prepare_links(links)
        unknown = sorted(set(pairs["cluster"]) - set(out["cluster"]))
        if unknown:
            log.info(
                "cluster links name %d clusters not in the table: %s", len(unknown), unknown[:5]
            )
        strong_pairs = out.loc[out["strong"], ["region", "cluster"]].rename(
            columns={"cluster": "related"}
        )
        n_related = pairs.groupby("cluster").size()
        hits = strong_pairs.merge(pairs, on="related").groupby(["region", "cluster"]).size()
        key = pd.MultiIndex.from_frame(out[["region", "cluster"]])
        out["related_clusters"] = out["cluster"].map(n_related).fillna(0).astype(int)
        out["related_strong"] = hits.reindex(key).fillna(0).astype(int).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            share = out["related_strong"] / out["related_clusters"]
        out["related_strength"] = share.where(out["related_clusters"] > 0)
        rule += "; related clusters from the links table, taken as undirected"
    parameters = {
        "lq_percentile": lq_percentile,
        "min_lq": min_lq,
        "size_percentile": size_percentile,
        "establishments_percentile": establishments_percentile,
        "links": None if links is None else source_name(links, "links table"),
    }
    record = {k: v for k, v in lq.attrs.items() if k not in ("method", "parameters", "created")}
    stamped = stamp(out, method="cluster_strength", parameters=parameters, rule=rule)
    stamped.attrs["location_quotients"] = {
        "parameters": lq.attrs.get("parameters"),
        **{k: v for k, v in record.items() if k in ("source", "regions")},
    }
    log.info("cluster_strength: %d strong cluster-regions (%s)", int(out["strong"].sum()), rule)
    return stamped
