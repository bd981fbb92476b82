"""``python -m clustermap`` runs the command line."""

from clustermap.cli import main

main()
