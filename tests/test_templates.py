"""Cluster templates: two obvious value chains, the crosswalk's hierarchy, the real BEA case."""

from __future__ import annotations

import pandas as pd
import pytest

import clustermap as cm
from clustermap.errors import ConfigError, InputError


def _two_chains() -> cm.ClusterNetwork:
    codes = list("abcdef")
    use = pd.DataFrame(0.0, index=codes, columns=codes)
    for chain in ("abc", "def"):
        for s in chain:
            for t in chain:
                if s != t:
                    use.loc[s, t] = 20.0
    use.loc["a", "d"] = 1.0  # one weak link between the chains
    use.loc["e", "b"] = 50.0  # a big purchase across the chains (56% of b's inputs)
    return cm.from_io_tables(use)


def test_templates_find_the_two_chains_and_agree_with_the_reference():
    net = _two_chains()
    ref = pd.Series(["auto"] * 3 + ["chem"] * 3, index=list("abcdef"))
    t = cm.cluster_templates(net, reference=ref, seed=1)
    assert t.partition.n_communities == 2
    assert t.comparison.ari == pytest.approx(1.0)
    assert t.comparison.nmi == pytest.approx(1.0)
    agreement = t.agreement()["value"].to_dict()
    assert agreement["templates"] == 2
    assert agreement["industries_compared"] == 6
    assert set(t.to_sheets()) == {"templates", "agreement", "cross_table"}
    assert t.provenance["method"] == "cluster_templates"


def test_linkage_is_the_largest_share_of_a_pairs_flows():
    t = cm.cluster_templates(_two_chains(), seed=1)
    e = t.linkages.edges.set_index(["source", "target"])["weight"]
    # a -> d: 1 of a's sales of 41 and 1 of d's inputs of 41
    assert e[("a", "d")] == pytest.approx(1 / 41)
    # e -> b: 50 of b's inputs of 90 (the larger share)
    assert e[("b", "e")] == pytest.approx(50 / 90)
    assert t.comparison is None


def test_options_and_errors():
    net = _two_chains()
    with pytest.raises(ConfigError, match="`min_linkage` must be between 0 and 1"):
        cm.cluster_templates(net, min_linkage=2)
    with pytest.raises(InputError, match="`reference` names none"):
        cm.cluster_templates(net, reference=pd.Series(["x"], index=["zz"]))


def test_reference_clusters_keep_the_leaves_of_the_crosswalk():
    cw = pd.DataFrame(
        {
            "bea": ["A", "A", "A", "A", "B", "B", "C"],
            "naics": ["33", "336", "3361", "336390", "51", "5112", "999"],
        }
    )
    mapping = {
        "336111": "Automotive",
        "336112": "Automotive",
        "336390": "Automotive",
        "331110": "Metals",
        "511210": "IT",
        "511110": "Publishing",
        "511120": "Publishing",
    }
    ref = cm.reference_clusters(cw, mapping, industry="bea", code="naics")
    # without leaves only, '33' would pull in Metals; B: 5112 -> IT only
    assert ref.to_dict() == {"A": "Automotive", "B": "IT"}
    assert ref.attrs["purity"] == {"A": 1.0, "B": 1.0}
    with pytest.raises(ConfigError, match="no column 'nope'"):
        cm.reference_clusters(cw, mapping, industry="nope", code="naics")


def test_real_bea_templates_against_the_benchmark_clusters(realdata):
    folder = realdata("bea_io_2017")
    defs = realdata("us_cluster_definitions")
    net = cm.from_io_tables(
        folder / "Detail_Use_2017_PRO_BeforeRedef_17sch.csv",
        folder / "Detail_Make_2017_BeforeRedef_17sch.csv",
    )
    ref = cm.reference_clusters(
        cm.read_table(folder / "MasterCrosswalk2017.csv"),
        cm.read_table(defs / "naics2012_to_cluster.csv"),
        industry="BEA_2017_Detail_Code",
        code="NAICS_2012_Code",
    )
    assert ref["336111"] == "Automotive"
    assert ref["336411"] == "Aerospace Vehicles and Defense"
    assert len(ref) == 372
    assert ref.nunique() == 65
    t = cm.cluster_templates(net, reference=ref, seed=1)
    # modest agreement: IO value chains are not the co-location clusters (Delgado et al. 2016)
    assert 0.05 < t.comparison.ari < 0.6
    assert 0.3 < t.comparison.nmi < 0.8
    assert t.comparison.n_actors == 372
