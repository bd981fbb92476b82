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

import io
import logging
import re
from typing import Any, TextIO

__all__ = ["PrintableFilter", "PrintableWriter", "printable"]

# C0 and C1 controls and DEL (but not tab and line feed), plus the Unicode format characters that
# reorder or hide text: bidi embeddings, overrides and isolates, zero-width and BOM.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


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


class PrintableWriter(io.TextIOBase):
    r"""A text stream that passes everything written through :func:`printable`.

    The command line puts one in front of standard output while a command
    runs, so that a command printing a name with ``click.echo`` cannot send
    an escape sequence to the terminal, whichever module it lives in.
    (Standard error keeps rich's colours and progress bars; the command line
    escapes its own error lines.)

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> _ = PrintableWriter(out).write("Acme\x1b[2J\n")
    >>> out.getvalue()
    'Acme\\x1b[2J\n'
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The wrapped stream's encoding."""
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        """The wrapped stream's error handler."""
        return getattr(self._stream, "errors", None)

    def write(self, text: Any) -> int:
        """Write ``text`` made printable; bytes are refused as by any text stream."""
        if not isinstance(text, str):
            msg = f"write() argument must be str, not {type(text).__name__}"
            raise TypeError(msg)
        self._stream.write(printable(text))
        return len(text)

    def writable(self) -> bool:
        """Always true."""
        return True

    def flush(self) -> None:
        """Flush the wrapped stream."""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the wrapped stream is a terminal."""
        return bool(self._stream.isatty())

    def fileno(self) -> int:
        """The wrapped stream's file descriptor."""
        return self._stream.fileno()
