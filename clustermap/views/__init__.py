"""Views: interactive, self-contained HTML of a cluster network."""

__all__: list[str] = []
