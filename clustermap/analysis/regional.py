r"""Regional indices of specialisation, concentration and diversity (EconGeo parity).

The measures of the R package EconGeo (Balland 2017) on a regions x
industries table: revealed comparative advantage, the Krugman specialisation
index, the Hoover index, the Herfindahl index, Shannon entropy, the locational
Gini, diversity and ubiquity. Each takes a long table (columns named by
``region=``, ``industry=``, ``value=``) or a regions x industries matrix of
numbers, and returns pandas objects indexed by region or by industry.
:func:`regional_indices` bundles them for a report or an Excel file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustermap._provenance import stamp
from clustermap.analysis._regional_tables import region_matrix
from clustermap.errors import ConfigError

__all__ = [
    "RegionalIndices",
    "diversity",
    "herfindahl_index",
    "hoover_index",
    "krugman_index",
    "locational_gini",
    "rca",
    "regional_indices",
    "shannon_entropy",
    "ubiquity",
]


def _matrix(table: pd.DataFrame, region: str, industry: str, value: str) -> pd.DataFrame:
    return region_matrix(table, region=region, industry=industry, value=value)


def _shares(mat: pd.DataFrame, axis: int) -> pd.DataFrame:
    """Shares of row totals (``axis=1``) or of column totals (``axis=0``)."""
    x = mat.to_numpy(dtype=float)
    totals = x.sum(axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(totals > 0, x / np.where(totals > 0, totals, 1.0), 0.0)
    return pd.DataFrame(out, index=mat.index, columns=mat.columns)


def _rca(mat: pd.DataFrame) -> pd.DataFrame:
    regional = _shares(mat, axis=1)
    national = mat.sum(axis=0) / mat.to_numpy().sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out = regional / national
    return out.fillna(0.0)


def rca(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
    binary: bool = False,
) -> pd.DataFrame:
    r"""Revealed comparative advantage (the location quotient) of every region in every industry.

    The industry's share of the region against its share of the whole
    table (Balassa 1965): :math:`RCA_{ri} = (x_{ri}/x_{r\cdot}) / (x_{\cdot i}/x_{\cdot\cdot})`.
    ``binary=True`` gives 1 where RCA >= 1, else 0 (EconGeo sets values above
    1 to 1 and below 1 to 0; exactly 1 counts as an advantage here, as in
    py-ecomplexity).

    Returns
    -------
    pandas.DataFrame
        Regions x industries.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[1, 1], [1, 3]], index=["A", "B"], columns=["x", "y"])
    >>> rca(m).round(3).values.tolist()
    [[1.5, 0.75], [0.75, 1.125]]
    >>> rca(m, binary=True).values.tolist()
    [[1, 0], [0, 1]]
    """
    mat = _matrix(table, region, industry, value)
    out = _rca(mat)
    if binary:
        out = (out >= 1.0).astype(int)
    return stamp(out, method="rca", parameters={"binary": binary})


def krugman_index(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
) -> pd.Series:
    r"""Krugman specialisation index of each region: how different its industry mix is.

    The sum of absolute differences between the region's industry shares and
    those of all the other regions together (Krugman 1991):
    :math:`K_r = \sum_i |x_{ri}/x_{r\cdot} - x_{-r,i}/x_{-r,\cdot}|`, from 0 (the
    same mix) to 2 (no industry in common).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[10, 0], [0, 10], [5, 5]], index=list("ABC"), columns=["x", "y"])
    >>> krugman_index(m).round(4).tolist()
    [1.5, 1.5, 0.0]
    """
    mat = _matrix(table, region, industry, value)
    x = mat.to_numpy()
    rest = x.sum(axis=0, keepdims=True) - x
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.nan_to_num(x / x.sum(axis=1, keepdims=True))
        other = np.nan_to_num(rest / rest.sum(axis=1, keepdims=True))
    out = pd.Series(np.abs(own - other).sum(axis=1), index=mat.index, name="krugman")
    return stamp(out, method="krugman_index")


def hoover_index(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
    reference: pd.Series | None = None,
) -> pd.Series:
    r"""Hoover index of each industry: the share of its jobs to move to match a reference.

    :math:`H_i = \tfrac12 \sum_r |x_{ri}/x_{\cdot i} - p_r/p_\cdot|`, from 0
    (spread like the reference) to 1. The reference is a Series by region
    (population, total employment); without one regions count equally, as in
    EconGeo.

    Examples
    --------
    EconGeo's documented vectors (30% of the population holds 50% of the industry):

    >>> import pandas as pd
    >>> m = pd.DataFrame({"ind": [0, 10, 10, 30, 50]}, index=list("abcde"))
    >>> pop = pd.Series([10, 15, 20, 25, 30], index=list("abcde"))
    >>> float(hoover_index(m, reference=pop).round(4).iloc[0])
    0.25
    """
    mat = _matrix(table, region, industry, value)
    if reference is None:
        ref = np.full(len(mat), 1.0 / max(len(mat), 1))
    else:
        ref_s = pd.Series(reference).astype(float)
        ref_s.index = ref_s.index.astype(str)
        missing = mat.index.difference(ref_s.index)
        if len(missing):
            msg = f"`reference` has no value for region(s) {list(missing[:5])}"
            raise ConfigError(msg)
        ref = ref_s.reindex(mat.index).to_numpy()
        ref = ref / ref.sum()
    shares = _shares(mat, axis=0).to_numpy()
    out = pd.Series(
        0.5 * np.abs(shares - ref[:, None]).sum(axis=0), index=mat.columns, name="hoover"
    )
    return stamp(out, method="hoover_index", parameters={"reference": reference is not None})


def herfindahl_index(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
) -> pd.Series:
    r"""Herfindahl index of each region: how concentrated its jobs are in few industries.

    :math:`HHI_r = \sum_i (x_{ri}/x_{r\cdot})^2`, from :math:`1/n` (spread evenly
    over :math:`n` industries) to 1 (one industry).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[5, 5], [10, 0]], index=["A", "B"], columns=["x", "y"])
    >>> herfindahl_index(m).tolist()
    [0.5, 1.0]
    """
    mat = _matrix(table, region, industry, value)
    shares = _shares(mat, axis=1)
    out = (shares**2).sum(axis=1).rename("herfindahl")
    return stamp(out, method="herfindahl_index")


def shannon_entropy(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
    base: float = 2.0,
) -> pd.Series:
    r"""Shannon entropy of each region's industry mix: how diversified it is.

    :math:`E_r = -\sum_i s_{ri} \log s_{ri}` over industries with jobs
    (:math:`s_{ri}` the industry's share of the region), in bits by default
    (``base=2``, as EconGeo's ``entropy``); 0 for a one-industry region,
    :math:`\log n` for an even spread over :math:`n` industries.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[5, 5, 0], [10, 0, 0]], index=["A", "B"], columns=list("xyz"))
    >>> shannon_entropy(m).tolist()
    [1.0, 0.0]
    """
    mat = _matrix(table, region, industry, value)
    s = _shares(mat, axis=1).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(s > 0, s * np.log(np.where(s > 0, s, 1.0)), 0.0)
    out = pd.Series(0.0 - terms.sum(axis=1) / np.log(base), index=mat.index, name="entropy")
    return stamp(out, method="shannon_entropy", parameters={"base": base})


def locational_gini(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
) -> pd.Series:
    r"""Locational Gini of each industry (Krugman 1991): how localised it is.

    Regions are sorted by the industry's LQ; the curve of the cumulative
    share of the industry's jobs against the cumulative share of all jobs is
    compared with the diagonal. The index is the area between the two: 0
    when the industry is spread like all employment, approaching 0.5 when it
    sits in one small region (EconGeo's scale).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[10, 10], [10, 0]], index=["A", "B"], columns=["x", "y"])
    >>> locational_gini(m).round(4).tolist()
    [0.0833, 0.1667]
    """
    mat = _matrix(table, region, industry, value)
    x = mat.to_numpy()
    pop = x.sum(axis=1) / x.sum()
    out = np.zeros(x.shape[1])
    for j in range(x.shape[1]):  # one sort per industry; industries are few
        ind = x[:, j]
        if ind.sum() <= 0:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(pop > 0, ind / np.where(pop > 0, pop, 1.0), np.inf)
        order = np.argsort(ratio, kind="stable")
        cy = np.concatenate([[0.0], np.cumsum(ind[order]) / ind.sum()])
        cx = np.concatenate([[0.0], np.cumsum(pop[order])])
        area = float(np.sum(np.diff(cx) * (cy[1:] + cy[:-1]) / 2))
        out[j] = 0.5 - area
    return stamp(
        pd.Series(out, index=mat.columns, name="locational_gini"), method="locational_gini"
    )


def diversity(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
) -> pd.Series:
    """Diversity of each region: the number of industries in which it has RCA >= 1.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[1, 1], [1, 3]], index=["A", "B"], columns=["x", "y"])
    >>> diversity(m).tolist()
    [1, 1]
    """
    mat = _matrix(table, region, industry, value)
    out = (_rca(mat) >= 1.0).sum(axis=1).astype(int).rename("diversity")
    return stamp(out, method="diversity")


def ubiquity(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
) -> pd.Series:
    """Ubiquity of each industry: the number of regions with RCA >= 1 in it.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[1, 1], [1, 3]], index=["A", "B"], columns=["x", "y"])
    >>> ubiquity(m).tolist()
    [1, 1]
    """
    mat = _matrix(table, region, industry, value)
    out = (_rca(mat) >= 1.0).sum(axis=0).astype(int).rename("ubiquity")
    return stamp(out, method="ubiquity")


@dataclass(frozen=True)
class RegionalIndices:
    """Every regional index of a table: one table by region, one by industry.

    Attributes
    ----------
    regions : pandas.DataFrame
        Index region: ``employment``, ``diversity``, ``krugman``,
        ``herfindahl``, ``entropy``.
    industries : pandas.DataFrame
        Index industry (or cluster): ``employment``, ``ubiquity``,
        ``hoover``, ``locational_gini``.
    provenance : dict
    """

    regions: pd.DataFrame
    industries: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The regions table."""
        return self.regions

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Sheets for Excel: ``regions`` and ``industries``."""
        return {"regions": self.regions, "industries": self.industries}


def regional_indices(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
) -> RegionalIndices:
    """Compute every index of this module at once (the Hoover index against total employment).

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[5, 5], [10, 0]], index=["A", "B"], columns=["x", "y"])
    >>> ri = regional_indices(m)
    >>> ri.regions["herfindahl"].tolist(), ri.industries["ubiquity"].tolist()
    ([0.5, 1.0], [1, 1])
    """
    mat = _matrix(table, region, industry, value)
    regions = pd.DataFrame(
        {
            "employment": mat.sum(axis=1),
            "diversity": diversity(mat),
            "krugman": krugman_index(mat),
            "herfindahl": herfindahl_index(mat),
            "entropy": shannon_entropy(mat),
        }
    )
    industries = pd.DataFrame(
        {
            "employment": mat.sum(axis=0),
            "ubiquity": ubiquity(mat),
            "hoover": hoover_index(mat, reference=mat.sum(axis=1)),
            "locational_gini": locational_gini(mat),
        }
    )
    record = dict(
        stamp(
            regions,
            method="regional_indices",
            parameters={"region": region, "industry": industry, "value": value},
        ).attrs
    )
    industries.attrs.update(record)
    return RegionalIndices(regions, industries, record)
