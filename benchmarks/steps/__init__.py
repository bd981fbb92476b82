"""Benchmark steps, one module per part of clustermap."""
