"""Exceptions raised by clustermap.

Every error that clustermap raises on purpose derives from
:class:`ClusterMapError`. Errors about the user's data derive from
:class:`InputError` (also a :class:`ValueError`); errors about options passed
to a function derive from :class:`ConfigError` (also a :class:`ValueError`).
The command line turns any :class:`ClusterMapError` into a one-line message
and exit status 2.
"""

from __future__ import annotations

__all__ = ["ClusterMapError", "ConfigError", "EmptyNetworkError", "InputError"]


class ClusterMapError(Exception):
    """Root of every error clustermap raises on purpose."""


class InputError(ClusterMapError, ValueError):
    """The user's data breaks a rule (a file, a table, a selection)."""


class EmptyNetworkError(InputError):
    """The network (or the part of it selected) has no actors or no links."""


class ConfigError(ClusterMapError, ValueError):
    """An option has a value that is not allowed."""
