"""Analyses: ClusterNetwork -> pandas results and small result objects.

Each module holds one family of measures; every function takes the network
first and options keyword-only, never changes the network, and returns
results that record how they were made.
"""

__all__: list[str] = []
