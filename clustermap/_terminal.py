r"""Text that is safe to show on a terminal.

Actor names come from untrusted spreadsheets. An escape sequence inside a
name (``ESC [2J`` clears the screen, ``ESC ] 8 ;;`` makes a hidden link,
``ESC ] 0 ;`` retitles the window, bidirectional overrides reorder what
follows) must never reach the terminal raw, and neither must rich markup
(``[link=...]``) be interpreted. :func:`printable` shows such characters
escaped, as Python would write them (``\x1b``), so nothing is lost and
nothing runs; the command line sends everything it prints through it.
"""

from __future__ import annotations

import logging
import re

__all__ = ["PrintableFilter", "printable"]

# C0 and C1 controls and DEL (but not line feed), plus the Unicode format characters that
# reorder or hide text: bidi embeddings, overrides and isolates, zero-width and BOM.
_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, newlines: bool = True) -> str:
    r"""Return ``text`` with every control and reordering character shown escaped.

    Line feeds are kept when ``newlines`` is true (several lines of a
    summary), else shown as ``\n`` too (one line of an error).

    Examples
    --------
    >>> printable("Acme\x1b]0;pwned\x07 GmbH")
    'Acme\\x1b]0;pwned\\x07 GmbH'
    >>> printable("a\nb", newlines=False)
    'a\\x0ab'
    >>> printable("[bold]x[/bold]")
    '[bold]x[/bold]'
    """
    out = _UNSAFE.sub(_escape, str(text))
    if not newlines:
        out = out.replace("\n", "\\x0a")
    return out


class PrintableFilter(logging.Filter):
    """A logging filter that makes every record's message printable (see :func:`printable`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, escaped, so no handler sees the raw text."""
        record.msg = printable(record.getMessage())
        record.args = None
        return True
