"""Analyses: ClusterNetwork -> pandas results and small result objects.

Each module holds one family of measures; every function takes the network
first and options keyword-only, never changes the network, and returns
results that record how they were made.
"""

from clustermap.analysis.brokerage import brokerage
from clustermap.analysis.centrality import centrality
from clustermap.analysis.communities import find_communities, scan_resolution, significance
from clustermap.analysis.diffusion import simulate_diffusion
from clustermap.analysis.partition import Partition, PartitionComparison, compare_partitions
from clustermap.analysis.resilience import RemovalImpact, Resilience, resilience, simulate_removal
from clustermap.analysis.roles import knowledge_roles
from clustermap.analysis.spillover import spillover_brokers, spillover_paths
from clustermap.analysis.spillover_reach import SpilloverReach, spillover_reach
from clustermap.analysis.tiers import supply_tiers

__all__: list[str] = [
    "Partition",
    "PartitionComparison",
    "RemovalImpact",
    "Resilience",
    "SpilloverReach",
    "brokerage",
    "centrality",
    "compare_partitions",
    "find_communities",
    "knowledge_roles",
    "resilience",
    "scan_resolution",
    "significance",
    "simulate_diffusion",
    "simulate_removal",
    "spillover_brokers",
    "spillover_paths",
    "spillover_reach",
    "supply_tiers",
]
