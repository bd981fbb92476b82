"""Scale and speed runs for clustermap, printed as tables by ``make bench``."""
