"""Stable pseudonyms for actors in files that leave the building.

Survey and VAT data are confidential. Every writer and view that offers
``anonymize=`` replaces actor ids and names with pseudonyms made here: a
keyed hash (HMAC-SHA-256) of the id under a salt that the user gives and
that is never written anywhere. The same id and salt always give the same
pseudonym, so files written on different days line up; without the salt the
pseudonyms cannot be turned back into ids by hashing candidate names.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

import pandas as pd

from clustermap.errors import ConfigError

__all__ = ["pseudonym", "pseudonyms"]

_MIN_SALT = 8


def _key(salt: str | bytes) -> bytes:
    key = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
    if len(key) < _MIN_SALT:
        msg = (
            f"`anonymize` salt must be at least {_MIN_SALT} characters long "
            f"(got {len(key)}); choose a long secret phrase and keep it out of the outputs"
        )
        raise ConfigError(msg)
    return key


def pseudonym(actor_id: object, salt: str | bytes, *, prefix: str = "A-", digits: int = 10) -> str:
    """Return the pseudonym of one actor id under ``salt``.

    Examples
    --------
    >>> pseudonym("F-001", "a long secret") == pseudonym("F-001", "a long secret")
    True
    >>> pseudonym("F-001", "a long secret") != pseudonym("F-002", "a long secret")
    True
    >>> len(pseudonym("F-001", "a long secret"))
    12
    """
    digest = hmac.new(_key(salt), str(actor_id).encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:digits].upper()


def pseudonyms(
    ids: Iterable[object], salt: str | bytes, *, prefix: str = "A-", digits: int = 10
) -> pd.Series:
    """Return a Series mapping each distinct id (the index) to its pseudonym.

    Collisions among the given ids are resolved by lengthening every pseudonym
    until all are distinct, so two actors never share one.

    Examples
    --------
    >>> p = pseudonyms(["F1", "F2", "F1"], "a long secret")
    >>> list(p.index), p.is_unique
    (['F1', 'F2'], True)
    """
    key = _key(salt)
    unique = pd.Index(pd.unique(pd.Series(list(ids), dtype=object).astype(str)))
    digests = [hmac.new(key, i.encode("utf-8"), hashlib.sha256).hexdigest() for i in unique]
    width = digits
    while True:
        out = pd.Series([prefix + d[:width].upper() for d in digests], index=unique, dtype=object)
        if out.is_unique or width >= 64:
            return out
        width += 2
