r"""Relatedness between industries from co-location, relatedness density and economic complexity.

Industries that are often specialised in the same regions probably share
skills, inputs or knowledge (Hidalgo et al. 2007, *Science* 317:482). From the
binary RCA matrix :math:`M` (region *r* specialised in industry *i*):

- :func:`proximity`: :math:`\phi_{ij} = \sum_r M_{ri} M_{rj} / \max(u_i, u_j)`,
  the smaller of the two conditional probabilities of co-specialisation
  (:math:`u_i` the ubiquity of *i*);
- :func:`association_strength`: the co-occurrence count against what
  independent industries would give, :math:`C_{ij} T / (s_i s_j)` (van Eck &
  Waltman 2009), with :math:`s_i = \sum_{j \ne i} C_{ij}`, :math:`T = \sum_i s_i`;
- :func:`relatedness_density`: the share of an industry's related industries
  (weighted by proximity) in which the region is already specialised;
- :func:`economic_complexity`: ECI of regions and PCI of industries by the
  eigenvector method (Hidalgo & Hausmann 2009; Hausmann et al. 2014).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustermap._provenance import stamp
from clustermap.analysis._regional_tables import region_matrix
from clustermap.analysis.regional import _rca
from clustermap.errors import InputError

__all__ = [
    "Complexity",
    "association_strength",
    "economic_complexity",
    "proximity",
    "relatedness_density",
]


def _binary(
    table: pd.DataFrame, region: str, industry: str, value: str, threshold: float
) -> pd.DataFrame:
    mat = region_matrix(table, region=region, industry=industry, value=value)
    return (_rca(mat) >= threshold).astype(np.int64)


def proximity(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
    threshold: float = 1.0,
) -> pd.DataFrame:
    r"""Proximity of every pair of industries (Hidalgo et al. 2007): co-specialisation.

    :math:`\phi_{ij} = \frac{\sum_r M_{ri} M_{rj}}{\max(u_i, u_j)}`, where
    :math:`M_{ri} = 1` when :math:`RCA_{ri} \ge` ``threshold``. It is the
    minimum of the probabilities of being specialised in one industry given
    the other. The diagonal is 0; industries present nowhere get 0.

    Returns
    -------
    pandas.DataFrame
        Industries x industries, symmetric, values in [0, 1].

    Examples
    --------
    >>> import pandas as pd
    >>> M = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], index=list("ABC"), columns=list("xyz"))
    >>> proximity(M, threshold=1e-9).round(3).values.tolist()  # RCA > 0 means presence here
    [[0.0, 0.667, 0.667], [0.667, 0.0, 0.5], [0.667, 0.5, 0.0]]
    """
    m = _binary(table, region, industry, value, threshold)
    out = _proximity(m)
    return stamp(out, method="proximity", parameters={"threshold": threshold})


def _proximity(m: pd.DataFrame) -> pd.DataFrame:
    x = m.to_numpy(dtype=float)
    co = x.T @ x
    u = np.diag(co).copy()
    denom = np.maximum.outer(u, u)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(denom > 0, co / np.where(denom > 0, denom, 1.0), 0.0)
    np.fill_diagonal(phi, 0.0)
    return pd.DataFrame(phi, index=m.columns, columns=m.columns)


def association_strength(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
    threshold: float = 1.0,
) -> pd.DataFrame:
    r"""Relatedness as association strength: co-specialisation against chance.

    :math:`C = M^\top M` with the diagonal set to 0 counts the regions
    specialised in both industries; :math:`AS_{ij} = C_{ij} T / (s_i s_j)`
    with :math:`s_i = \sum_j C_{ij}` and :math:`T = \sum_i s_i` (van Eck &
    Waltman 2009, *JASIST* 60:1635; EconGeo's ``relatedness(method =
    "association")``). Above 1: more often together than chance.

    Examples
    --------
    >>> import pandas as pd
    >>> M = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], index=list("ABC"), columns=list("xyz"))
    >>> association_strength(M, threshold=1e-9).round(3).values.tolist()
    [[0.0, 1.667, 1.667], [1.667, 0.0, 1.111], [1.667, 1.111, 0.0]]
    """
    m = _binary(table, region, industry, value, threshold)
    x = m.to_numpy(dtype=float)
    co = x.T @ x
    np.fill_diagonal(co, 0.0)
    s = co.sum(axis=1)
    total = s.sum()
    denom = np.outer(s, s)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, co * total / np.where(denom > 0, denom, 1.0), 0.0)
    frame = pd.DataFrame(out, index=m.columns, columns=m.columns)
    return stamp(frame, method="association_strength", parameters={"threshold": threshold})


def relatedness_density(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
    relatedness: pd.DataFrame | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    r"""How close each region is to each industry: the density of related specialisations.

    :math:`d_{ri} = \sum_j M_{rj} \phi_{ij} / \sum_j \phi_{ij}`: of all the
    industries related to *i* (weighted by relatedness), the share in which
    region *r* is already specialised (Hidalgo et al. 2007). From 0 to 1;
    EconGeo's ``relatedness_density`` gives the same numbers times 100.
    ``relatedness`` defaults to :func:`proximity` of the same table.

    Returns
    -------
    pandas.DataFrame
        Regions x industries.

    Examples
    --------
    >>> import pandas as pd
    >>> M = pd.DataFrame([[1, 1, 0], [1, 0, 1], [1, 1, 1]], index=list("ABC"), columns=list("xyz"))
    >>> phi = pd.DataFrame([[0, 1, 0.5], [1, 0, 0], [0.5, 0, 0]],
    ...                    index=list("xyz"), columns=list("xyz"))
    >>> relatedness_density(M, relatedness=phi, threshold=1e-9).round(3).loc["A"].tolist()
    [0.667, 1.0, 1.0]
    """
    m = _binary(table, region, industry, value, threshold)
    phi = _proximity(m) if relatedness is None else relatedness
    phi = phi.copy()
    phi.index = phi.index.astype(str)
    phi.columns = phi.columns.astype(str)
    missing = m.columns.difference(phi.index)
    if len(missing):
        msg = f"`relatedness` has no row for industries {list(missing[:5])}"
        raise InputError(msg)
    p = phi.reindex(index=m.columns, columns=m.columns).fillna(0.0).to_numpy(dtype=float).copy()
    np.fill_diagonal(p, 0.0)
    num = m.to_numpy(dtype=float) @ p
    den = p.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dens = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    out = pd.DataFrame(dens, index=m.index, columns=m.columns)
    return stamp(out, method="relatedness_density", parameters={"threshold": threshold})


@dataclass(frozen=True)
class Complexity:
    """Economic complexity of regions (ECI) and industries (PCI).

    Attributes
    ----------
    regions : pandas.DataFrame
        Index region: ``eci``, ``diversity``.
    industries : pandas.DataFrame
        Index industry: ``pci``, ``ubiquity``.
    provenance : dict
    """

    regions: pd.DataFrame
    industries: pd.DataFrame
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The regions table."""
        return self.regions

    def to_sheets(self) -> dict[str, pd.DataFrame]:
        """Sheets for Excel: ``eci`` (regions) and ``pci`` (industries)."""
        return {"eci": self.regions, "pci": self.industries}


def _second_eigenvector(mat: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eig(mat)
    order = np.argsort(-values.real)
    vec = vectors[:, order[1]].real
    sd = vec.std()
    return (vec - vec.mean()) / sd if sd > 0 else vec * 0.0


def economic_complexity(
    table: pd.DataFrame,
    *,
    region: str = "region",
    industry: str = "industry",
    value: str = "employment",
    threshold: float = 1.0,
) -> Complexity:
    r"""Economic complexity of regions (ECI) and industries (PCI), eigenvector method.

    With :math:`M` the binary RCA matrix, diversity :math:`k_r` and ubiquity
    :math:`k_i`, the region-to-region matrix
    :math:`\tilde M_{rr'} = \sum_i M_{ri} M_{r'i} / (k_r k_i)` has the ECI as its
    eigenvector of the second largest eigenvalue, standardised (mean 0, s.d. 1)
    and signed to correlate positively with diversity; the PCI is the same
    on the industry side, signed to correlate negatively with ubiquity
    (Hausmann et al. 2014, *The Atlas of Economic Complexity*; py-ecomplexity's
    conventions). Regions and industries with no specialisation are left out.

    Examples
    --------
    A nested matrix: the most diverse region makes the rarest industry.

    >>> import pandas as pd
    >>> M = pd.DataFrame([[1, 1, 1], [1, 1, 0], [1, 0, 0], [1, 1, 0]],
    ...                  index=list("ABCD"), columns=list("xyz"))
    >>> cx = economic_complexity(M, threshold=1e-9)
    >>> cx.regions["eci"].idxmax(), cx.industries["pci"].idxmax()
    ('A', 'z')
    """
    m = _binary(table, region, industry, value, threshold)
    m = m.loc[m.sum(axis=1) > 0, m.sum(axis=0) > 0]
    if m.shape[0] < 2 or m.shape[1] < 2:
        msg = "economic complexity needs at least two regions and two industries with RCA >= 1"
        raise InputError(msg)
    x = m.to_numpy(dtype=float)
    kr = x.sum(axis=1)
    ki = x.sum(axis=0)
    mr = (x / kr[:, None]) @ (x / ki[None, :]).T
    mi = (x / ki[None, :]).T @ (x / kr[:, None])
    eci = _second_eigenvector(mr)
    pci = _second_eigenvector(mi)
    if np.corrcoef(eci, kr)[0, 1] < 0:
        eci = -eci
    if len(np.unique(ki)) > 1 and np.corrcoef(pci, ki)[0, 1] > 0:
        pci = -pci
    regions = pd.DataFrame({"eci": eci, "diversity": kr.astype(int)}, index=m.index)
    industries = pd.DataFrame({"pci": pci, "ubiquity": ki.astype(int)}, index=m.columns)
    record = dict(
        stamp(regions, method="economic_complexity", parameters={"threshold": threshold}).attrs
    )
    industries.attrs.update(record)
    return Complexity(regions, industries, record)
