"""Analyses: ClusterNetwork -> pandas results and small result objects.

Each module holds one family of measures; every function takes the network
first and options keyword-only, never changes the network, and returns
results that record how they were made.
"""

from clustermap.analysis.brokerage import brokerage
from clustermap.analysis.centrality import centrality
from clustermap.analysis.communities import find_communities, scan_resolution, significance
from clustermap.analysis.diffusion import simulate_diffusion
from clustermap.analysis.geography import TieGeography, great_circle_km, tie_geography
from clustermap.analysis.linked import linked_specialisation
from clustermap.analysis.partition import Partition, PartitionComparison, compare_partitions
from clustermap.analysis.regional import (
    RegionalIndices,
    diversity,
    herfindahl_index,
    hoover_index,
    krugman_index,
    locational_gini,
    rca,
    regional_indices,
    shannon_entropy,
    ubiquity,
)
from clustermap.analysis.relatedness import (
    Complexity,
    association_strength,
    economic_complexity,
    proximity,
    relatedness_density,
)
from clustermap.analysis.resilience import RemovalImpact, Resilience, resilience, simulate_removal
from clustermap.analysis.roles import knowledge_roles
from clustermap.analysis.specialisation import cluster_strength, location_quotients
from clustermap.analysis.spillover import spillover_brokers, spillover_paths
from clustermap.analysis.spillover_reach import SpilloverReach, spillover_reach
from clustermap.analysis.templates import ClusterTemplates, cluster_templates, reference_clusters
from clustermap.analysis.tiers import supply_tiers

__all__: list[str] = [
    "ClusterTemplates",
    "Complexity",
    "Partition",
    "PartitionComparison",
    "RegionalIndices",
    "RemovalImpact",
    "Resilience",
    "SpilloverReach",
    "TieGeography",
    "association_strength",
    "brokerage",
    "centrality",
    "cluster_strength",
    "cluster_templates",
    "compare_partitions",
    "diversity",
    "economic_complexity",
    "find_communities",
    "great_circle_km",
    "herfindahl_index",
    "hoover_index",
    "knowledge_roles",
    "krugman_index",
    "linked_specialisation",
    "location_quotients",
    "locational_gini",
    "proximity",
    "rca",
    "reference_clusters",
    "regional_indices",
    "relatedness_density",
    "resilience",
    "scan_resolution",
    "shannon_entropy",
    "significance",
    "simulate_diffusion",
    "simulate_removal",
    "spillover_brokers",
    "spillover_paths",
    "spillover_reach",
    "supply_tiers",
    "tie_geography",
    "ubiquity",
]
