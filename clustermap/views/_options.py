"""The options of a view that are not worth a parameter of their own."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from clustermap import settings
from clustermap._anonymize import _key
from clustermap.errors import ConfigError

__all__ = ["DRILL_BUDGET_BYTES", "LAYOUTS", "ViewOptions", "as_options"]

#: The drill-down data of a community-level view stays under this many bytes of the file.
DRILL_BUDGET_BYTES = 4 * 2**20

#: Allowed values of :attr:`ViewOptions.layout`.
LAYOUTS: tuple[str, ...] = ("auto", "physics", "fixed", "geo", "tiers")


@dataclass(frozen=True)
class ViewOptions:
    """How an HTML view is built, beyond colour, size and layers.

    Every limit left at ``None`` is read from :mod:`clustermap.settings` when
    the view is built, so changing a setting changes every later view.

    Attributes
    ----------
    tooltip_columns : sequence of str, optional
        The node and result columns shown in tooltips and in the attribute
        panel, in this order. ``None`` shows every column.
    anonymize : bool or str
        ``True``: replace every actor's name by its id (labels, tooltips,
        search). A string of at least 8 characters is a secret salt: ids
        *and* names become salted pseudonyms
        (:func:`clustermap._anonymize.pseudonyms`; the same salt gives the
        same pseudonyms in every file); the salt itself is never written.
    columns : sequence of str, optional
        The only node and result columns that leave in the file (tooltips,
        colour, size); ``None``: every column. ``name`` and ``kind`` always
        leave (``anonymize`` hides names).
    layout : str
        ``"auto"``: live physics up to ``physics_max_nodes`` actors, positions
        precomputed (igraph Fruchterman-Reingold) and physics off above it.
        ``"physics"``: always live physics. ``"fixed"``: always precomputed.
        ``"geo"``: actors at their ``lat``/``lon`` (Web-Mercator), physics off,
        over the outlines of ``regions`` when given. ``"tiers"``: supply-chain
        columns from :func:`~clustermap.supply_tiers` (final buyers on the
        right, suppliers of suppliers to the left), ordered to reduce
        crossings; other layers drawn as arcs.
    regions : str or path, optional
        A GeoJSON file of region outlines drawn under ``layout="geo"``
        (read with the standard library; nothing is fetched).
    buyers : selection, optional
        The final buyers of ``layout="tiers"`` (default: actors that receive
        supply and supply nobody).
    drill_members : int, optional
        In the community-level view, clicking a community shows its this
        many most central members with their ties (default 30; 0 = off),
        within :data:`DRILL_BUDGET_BYTES` (the page says what is left out).
    max_nodes : int, optional
        Above this many actors the page shows the community-level network and
        the top actors (default ``settings.view_max_nodes``).
    physics_max_nodes : int, optional
        Up to this many actors ``layout="auto"`` uses live physics (default
        ``settings.view_physics_max_nodes``).
    top_actors : int, optional
        How many actors the community-level view draws individually (default
        ``settings.view_top_actors``).
    seed : int, optional
        Seed of the precomputed layout (default ``settings.seed``).

    Examples
    --------
    >>> ViewOptions(anonymize=True, layout="fixed").layout
    'fixed'
    """

    tooltip_columns: Sequence[str] | None = None
    anonymize: bool | str = False
    layout: str = "auto"
    max_nodes: int | None = None
    physics_max_nodes: int | None = None
    top_actors: int | None = None
    seed: int | None = None
    columns: Sequence[str] | None = None
    regions: str | os.PathLike[str] | None = None
    buyers: Any = None
    drill_members: int = 30

    def __post_init__(self) -> None:
        if isinstance(self.anonymize, str):
            _key(self.anonymize)
        elif not isinstance(self.anonymize, bool):
            kind = type(self.anonymize).__name__
            msg = f"`anonymize` must be True, False or a salt string, not {kind}"
            raise ConfigError(msg)
        if self.layout not in LAYOUTS:
            allowed = ", ".join(map(repr, LAYOUTS))
            msg = f"`layout` must be one of {allowed}, not {self.layout!r}"
            raise ConfigError(msg)
        for name in ("max_nodes", "physics_max_nodes", "top_actors", "drill_members"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or int(value) != value or value < 0):
                msg = f"`{name}` must be a whole number >= 0, not {value!r}"
                raise ConfigError(msg)
        for name in ("tooltip_columns", "columns"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif value is not None:
                object.__setattr__(self, name, tuple(value))
        if self.regions is not None and self.layout != "geo":
            msg = "`regions` outlines are drawn under layout='geo'; pass layout='geo' too"
            raise ConfigError(msg)

    @property
    def salt(self) -> str | None:
        """The pseudonym salt, when ``anonymize`` is one."""
        return self.anonymize if isinstance(self.anonymize, str) else None

    @property
    def limit(self) -> int:
        """The actor count above which the community-level view is drawn."""
        return settings.view_max_nodes if self.max_nodes is None else int(self.max_nodes)

    @property
    def physics_limit(self) -> int:
        """The actor count up to which ``layout="auto"`` uses live physics."""
        if self.physics_max_nodes is None:
            return settings.view_physics_max_nodes
        return int(self.physics_max_nodes)

    @property
    def top(self) -> int:
        """How many actors the community-level view draws individually."""
        return settings.view_top_actors if self.top_actors is None else int(self.top_actors)

    @property
    def layout_seed(self) -> int:
        """The seed of the precomputed layout."""
        return settings.seed if self.seed is None else int(self.seed)


def as_options(options: ViewOptions | Mapping[str, Any] | None) -> ViewOptions:
    """Return ``options`` as :class:`ViewOptions` (a dict gives its fields by name).

    Examples
    --------
    >>> as_options({"anonymize": True}).anonymize
    True
    """
    if options is None:
        return ViewOptions()
    if isinstance(options, ViewOptions):
        return options
    if isinstance(options, Mapping):
        known = {f.name for f in fields(ViewOptions)}
        unknown = sorted(set(options) - known)
        if unknown:
            msg = f"unknown view option(s) {unknown}; `options` takes {', '.join(sorted(known))}"
            raise ConfigError(msg)
        return ViewOptions(**options)
    msg = f"`options` must be a ViewOptions or a dict, not {type(options).__name__}"
    raise ConfigError(msg)
