"""Find and repair mojibake: UTF-8 text that was once read with the wrong encoding.

``UniversitÃ¤t`` (UTF-8 read as Windows-1252 or Latin-1) and
``Universit√§t`` (UTF-8 read as MacRoman) are what a name looks like after
one program saved it with the wrong encoding. Repair uses ftfy's
:func:`ftfy.fix_encoding` first; where ftfy leaves a string alone (it is
cautious with a single MacRoman sequence), the string is re-encoded with the
code page its signs point to and decoded as UTF-8, which succeeds only when
the text really was mojibake of that kind.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

log = logging.getLogger("clustermap.loaders.files")

__all__ = ["fix_mojibake", "mojibake_examples"]

# the typical signs: Ã¤ Ã© (Latin-1/1252), â€™ â€œ (1252 punctuation), Â  (a lone Â), √§ (MacRoman)
_SIGNS = re.compile(
    "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2018-\u203a]|â€|Â[\u00a0-\u00bf]|√[^\\s\\d]"
)
_REDECODE = (("√", "mac_roman"), ("Ã", "cp1252"), ("â€", "cp1252"), ("Â", "cp1252"))


def _repair(text: str) -> str:
    import ftfy

    fixed = ftfy.fix_encoding(text)
    if fixed != text and not _SIGNS.search(fixed):
        return fixed
    for sign, enc in _REDECODE:
        if sign in text:
            try:
                again = text.encode(enc).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if not _SIGNS.search(again):
                return again
    return fixed


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [
        c
        for c in df.columns
        if pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c])
    ]


def _suspects(values: pd.Series) -> pd.Series:
    """The distinct cells that carry mojibake signs."""
    uniq = pd.Series(pd.unique(values.dropna()), dtype=object)
    uniq = uniq[uniq.map(lambda v: isinstance(v, str) and not v.isascii())]
    if uniq.empty:
        return uniq
    return uniq[uniq.str.contains(_SIGNS, regex=True)]


def mojibake_examples(df: pd.DataFrame, *, limit: int = 3) -> tuple[int, list[str]]:
    """Count the cells that look like mojibake and show a few."""
    count, examples = 0, []
    for col in _text_columns(df):
        sus = _suspects(df[col])
        if sus.empty:
            continue
        count += int(df[col].isin(sus.tolist()).sum())
        examples += sus.head(limit).tolist()
    return count, examples[:limit]


def fix_mojibake(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Repair mis-encoded text cells of ``df``, logging the count and examples."""
    changes: dict[str, pd.Series] = {}
    total, distinct, shown = 0, 0, []
    for col in _text_columns(df):
        sus = _suspects(df[col])
        if sus.empty:
            continue
        mapping = {v: _repair(v) for v in sus}
        mapping = {k: v for k, v in mapping.items() if k != v}
        if not mapping:
            continue
        hit = df[col].isin(list(mapping)).to_numpy()
        fixed = df[col].astype(object).copy()
        fixed[hit] = df[col][hit].map(mapping).to_numpy()
        changes[col] = fixed
        total += int(np.count_nonzero(hit))
        distinct += len(mapping)
        shown += [f"{k!r} -> {v!r}" for k, v in list(mapping.items())[:3]]
    if not changes:
        log.info("%s: no mis-encoded text found to repair", name)
        return df
    log.warning(
        "%s: repaired mis-encoded text in %d cell(s) (%d distinct), e.g. %s",
        name,
        total,
        distinct,
        "; ".join(shown[:3]),
    )
    attrs = dict(df.attrs)
    out = df.assign(**changes)
    out.attrs = attrs
    out.attrs["fixed_text"] = total
    return out
