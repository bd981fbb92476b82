"""Subcommands of the ``clustermap`` command line, one module each (discovered by cli.py)."""
