"""Fail early and clearly when a step would not fit in memory.

A computation that runs out of memory is killed by the operating system with
no word, or leaves a half-written file. Steps that grow with the network call
:func:`check_memory` first, with an estimate of what they need made from the
sizes; when it is more than the memory available (the free memory the system
reports, and the address-space limit of the process when one is set, as with
``ulimit -v`` or ``prlimit --as``), they raise a :class:`MemoryError` that
names the step, the figures and the setting to change.
"""

from __future__ import annotations

import logging
import resource
from pathlib import Path

__all__ = ["available_bytes", "check_memory", "gib"]

log = logging.getLogger(__name__)


def gib(n_bytes: float) -> str:
    """Bytes as GiB with one decimal: ``gib(3 * 2**30)`` -> ``'3.0 GiB'``."""
    return f"{n_bytes / 2**30:.1f} GiB"


def _meminfo(key: str) -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return float(line.split()[1]) * 1024.0
    except OSError:  # pragma: no cover - not Linux
        return None
    return None


def _address_space_left() -> float | None:
    """Bytes left under the process's address-space limit (``ulimit -v``), if any."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        fields = Path("/proc/self/statm").read_text().split()
    except OSError:  # pragma: no cover - not Linux
        return None
    used = float(fields[0]) * resource.getpagesize()
    return float(soft) - used


def available_bytes() -> float | None:
    """Memory this process can still take: free memory, within its address-space limit.

    ``None`` when the system does not say (not Linux).

    Examples
    --------
    >>> left = available_bytes()
    >>> left is None or left > 0
    True
    """
    figures = [x for x in (_meminfo("MemAvailable"), _address_space_left()) if x is not None]
    return min(figures) if figures else None


def check_memory(step: str, need: float, fix: str) -> None:
    """Raise :class:`MemoryError` when ``need`` bytes are more than the memory available.

    Parameters
    ----------
    step : str
        What is about to run, as the user knows it ("centrality", "read links.csv").
    need : float
        Bytes the step is estimated to need beyond what the process already holds.
    fix : str
        What to change: a setting, an option, a smaller selection.

    Examples
    --------
    >>> check_memory("a tiny step", 1024, "nothing")
    >>> check_memory("a huge step", 2.0**70, "use a smaller network")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    MemoryError: a huge step needs about 1099511627776.0 GiB more memory ...
    """
    left = available_bytes()
    if left is None:
        return
    log.debug("%s: needs about %s, %s available", step, gib(need), gib(left))
    if need > left:
        msg = (
            f"{step} needs about {gib(need)} more memory and only {gib(left)} is available "
            f"(free memory, or the process's limit); stopped before starting. {fix}"
        )
        raise MemoryError(msg)
