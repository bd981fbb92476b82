"""Read delimited text files honestly: bytes, encoding, then rows.

The steps, each with a message that names the file and the fix:

1. the raw bytes (``.gz`` files decompressed; a folder, a file that is not
   gzip, a truncated gzip are clear errors; a workbook or Parquet file with a
   ``.csv`` name is recognised and named);
2. the encoding, decided per file: a byte-order mark first (UTF-8, UTF-16,
   UTF-32), then strict UTF-8 over the *whole* file, then, when a few stray
   bytes break an otherwise UTF-8 file, UTF-8 with those bytes replaced and a
   warning naming their rows; only a file that is not UTF-8 at all is given
   to ``charset-normalizer``, with Windows-1252 preferred among the Western
   single-byte code pages that read the file equally well, and the log says
   which encoding was used;
3. the rows, parsed by ``pyarrow.csv`` (multi-threaded, every column as
   text): rows with the wrong number of fields are reported with their row
   numbers, and a field larger than :data:`MAX_FIELD_BYTES` stops the read
   with "check quoting" instead of filling memory.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import logging
import re
import unicodedata
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

from clustermap.errors import ConfigError, InputError

log = logging.getLogger("clustermap.loaders.files")

#: The largest field (and so the largest row) a text file may hold. A field
#: bigger than this almost always means an unclosed quote.
MAX_FIELD_BYTES = 16 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MULTIBYTE = re.compile(r"big5|cp9[35]\d|shift|jis|euc|gb|hz|johab|cp949|utf|kz1048")
#: How many stray bytes an otherwise UTF-8 file may hold before it is read as another encoding
_STRAY_LIMIT = 20
_CHUNK = 16 * 1024 * 1024
_FRIENDLY = {
    "cp1252": "Windows-1252",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "latin_1": "Latin-1 (ISO-8859-1)",
    "iso8859_15": "Latin-9 (ISO-8859-15)",
    "mac_roman": "MacRoman",
    "big5": "Big5 (Traditional Chinese)",
    "cp950": "Big5 (Traditional Chinese, Windows)",
    "cp932": "Shift-JIS (Japanese, Windows)",
    "shift_jis": "Shift-JIS (Japanese)",
    "euc_jp": "EUC-JP (Japanese)",
    "gb18030": "GB18030 (Simplified Chinese)",
    "gb2312": "GB2312 (Simplified Chinese)",
    "euc_kr": "EUC-KR (Korean)",
    "cp949": "CP949 (Korean)",
}


def describe_encoding(enc: str) -> str:
    """A name for an encoding that users recognise: ``Windows-1252 (cp1252)``."""
    try:
        norm = codecs.lookup(enc).name.replace("-", "_")
    except LookupError:
        return enc
    norm = {"iso8859_1": "latin_1"}.get(norm, norm)
    friendly = _FRIENDLY.get(norm)
    return f"{friendly} ({enc})" if friendly else enc


def check_options(encoding: str | None, delimiter: str | None) -> None:
    """Raise :class:`ConfigError` for an unknown encoding or an unusable delimiter."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            msg = (
                f"`encoding` {encoding!r} is not an encoding Python knows; use e.g. 'utf-8', "
                "'cp1252' (Windows Western), 'latin-1', 'big5', 'shift_jis'"
            )
            raise ConfigError(msg) from None
    if delimiter is not None and (
        not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in "\r\n\"'"
    ):
        msg = f"`delimiter` must be one character such as ',', ';', '\\t' or '|', not {delimiter!r}"
        raise ConfigError(msg)


def raw_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when it ends in ``.gz``."""
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                data: bytes = fh.read()
        else:
            data = path.read_bytes()
    except gzip.BadGzipFile:
        msg = (
            f"{path.name}: not a gzip file although its name ends in .gz; rename it without "
            ".gz if it is plain text, or compress it again"
        )
        raise InputError(msg) from None
    except (EOFError, zlib.error) as exc:
        msg = (
            f"{path.name}: the gzip file is truncated or damaged ({exc}); copy or download it again"
        )
        raise InputError(msg) from None
    except IsADirectoryError:
        msg = f"{path}: is a folder, not a file; give the table file inside it"
        raise InputError(msg) from None
    except OSError as exc:
        msg = f"{path.name}: cannot be read ({exc.strerror or exc})"
        raise InputError(msg) from None
    _refuse_binary(path, data)
    return data


def _refuse_binary(path: Path, data: bytes) -> None:
    head = data[:8]
    what = None
    if head.startswith(b"PK\x03\x04"):
        what = "an Excel workbook (or another zip file); save it as .xlsx, or as CSV from Excel"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what = "an old Excel .xls or an encrypted workbook; save it as .xlsx or CSV UTF-8"
    elif head.startswith(b"PAR1"):
        what = "a Parquet file; give it a .parquet name"
    elif head.startswith(b"\x1f\x8b"):
        what = "gzip-compressed; give it a name ending in .gz"
    elif head.startswith(b"%PDF"):
        what = "a PDF document, not a table"
    if what:
        msg = f"{path.name}: this file is {what}"
        raise InputError(msg)


def _row_of(data: bytes, pos: int) -> int:
    """The 1-based line of byte ``pos``: the row a spreadsheet shows for simple files."""
    return data.count(b"\n", 0, pos) + 1


def _utf8_errors(data: bytes | memoryview, limit: int) -> list[int]:
    """Offsets of the first ``limit`` bytes that break UTF-8 (empty when it is UTF-8)."""
    bad: list[int] = []
    start, n = 0, len(data)
    while start < n and len(bad) < limit:
        end = min(start + _CHUNK, n)
        try:
            _, consumed = codecs.utf_8_decode(data[start:end], "strict", end == n)
            start += consumed
        except UnicodeDecodeError as exc:
            bad.append(start + exc.start)
            start += max(exc.end, exc.start + 1)
    return bad


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _oddness(text: str) -> int:
    """Characters that rarely appear in names: controls, and symbols stuck to letters."""
    odd = 0
    for match in _NON_ASCII.finditer(text):
        i, ch = match.start(), match.group()
        cat = unicodedata.category(ch)
        if cat[0] == "C":
            odd += 3
        elif cat[0] != "L" and cat not in ("Zs", "Pd", "Pi", "Pf", "Sc", "No"):
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if before.isalpha() or after.isalpha():
                odd += 1
    return odd


def _legacy_encoding(data: bytes, name: str) -> str:
    """Choose the encoding of a file that is not UTF-8."""
    from charset_normalizer import from_bytes

    matches = [m.encoding for m in from_bytes(data[: 4 * 1024 * 1024])]
    multibyte = [m for m in matches[:1] if _MULTIBYTE.search(m)]
    if multibyte:
        return multibyte[0]
    sample = data[: 1024 * 1024]
    candidates = ["cp1252"] + [m for m in matches[:4] if m != "cp1252"] + ["latin-1"]
    best: tuple[int, int, str] | None = None
    for order, enc in enumerate(candidates):
        try:
            data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _oddness(sample.decode(enc, errors="replace"))
        if best is None or (score, order) < best[:2]:
            best = (score, order, enc)
    return best[2] if best else "latin-1"


def decode(data: bytes, name: str, encoding: str | None) -> tuple[bytes | memoryview, str]:
    """Return the file as UTF-8 bytes and the encoding it was read with.

    A UTF-8 file is returned as it is (no copy). Anything guessed or
    replaced is logged as a warning naming the file (and the rows).
    """
    if encoding is not None:
        if codecs.lookup(encoding).name == "utf-8" and not _utf8_errors(data, 1):
            return _skip_bom(data), encoding
        try:
            return data.decode(encoding).encode("utf-8"), encoding
        except UnicodeDecodeError as exc:
            row = _row_of(data, exc.start)
            msg = (
                f"{name} row {row}: byte {data[exc.start : exc.start + 1]!r} cannot be read as "
                f"{encoding}; check the file's encoding (or leave `encoding` unset to detect it)"
            )
            raise InputError(msg) from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            if enc == "utf-8-sig":
                break
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                msg = (
                    f"{name}: starts like {enc.upper()} but byte {exc.start} is not valid "
                    f"{enc.upper()}; save it again as 'CSV UTF-8'"
                )
                raise InputError(msg) from None
            log.info("%s: read as %s (byte-order mark)", name, enc.upper())
            return text.encode("utf-8"), enc
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            msg = f"{name}: looks like UTF-16 without a byte-order mark; save it as 'CSV UTF-8'"
            raise InputError(msg) from None
        log.warning("%s: read as %s (no byte-order mark); saving as UTF-8 is safer", name, utf16)
        return text.encode("utf-8"), utf16
    body = _skip_bom(data)
    bad = [] if data.isascii() else _utf8_errors(body, _STRAY_LIMIT + 1)
    if not bad:
        return body, "utf-8"
    offset = len(data) - len(body)
    multi = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]", data[: 4 * 1024 * 1024]))
    if len(bad) <= _STRAY_LIMIT and multi >= len(bad):
        rows = sorted({_row_of(data, p + offset) for p in bad})
        log.warning(
            "%s is UTF-8 except %d stray byte(s) at row %s, replaced by '\ufffd'; check those rows",
            name,
            len(bad),
            ", ".join(map(str, rows[:10])),
        )
        return bytes(body).decode("utf-8", errors="replace").encode("utf-8"), "utf-8"
    undefined = [m.start() for m in re.finditer(rb"[\x81\x8d\x8f\x90\x9d]", data)]
    enc = _legacy_encoding(data, name)
    if (
        enc != "cp1252"
        and undefined
        and len(undefined) <= _STRAY_LIMIT
        and not _MULTIBYTE.search(enc)
    ):
        try:
            data.translate(None, b"\x81\x8d\x8f\x90\x9d").decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            rows = sorted({_row_of(data, p) for p in undefined})
            log.warning(
                "%s is not UTF-8; read it as Windows-1252 (cp1252), detected, with %d byte(s) "
                "that Windows-1252 does not define replaced by '\ufffd' (row %s). If accents "
                "look wrong, pass encoding= (--encoding) or save the file as 'CSV UTF-8'.",
                name,
                len(undefined),
                ", ".join(map(str, rows[:10])),
            )
            return data.decode("cp1252", errors="replace").encode("utf-8"), "cp1252"
    log.warning(
        "%s is not UTF-8; read it as %s, detected. If accents look wrong, pass encoding= "
        "(--encoding) or save the file as 'CSV UTF-8'.",
        name,
        describe_encoding(enc),
    )
    return data.decode(enc, errors="replace").encode("utf-8"), enc


def _skip_bom(data: bytes) -> bytes | memoryview:
    return memoryview(data)[3:] if data.startswith(codecs.BOM_UTF8) else data


def _bomless_utf16(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if odd > 0.4 * len(head) / 2 and even < odd / 4:
        return "utf-16-le"
    if even > 0.4 * len(head) / 2 and odd < even / 4:
        return "utf-16-be"
    return None


def head_text(blob: bytes | memoryview, size: int = 65536) -> str:
    """The start of the file as text (a character cut at the end is dropped)."""
    return codecs.utf_8_decode(blob[:size], "replace", False)[0]


_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _first_record(text: str, sep: str) -> tuple[list[str], int]:
    """The first record of ``text`` (quotes may span lines) and the characters it takes."""
    lines = _LINES.findall(text)
    reader = csv.reader(iter(lines), delimiter=sep)
    try:
        fields = next(reader)
    except (StopIteration, csv.Error):
        return [], len(text)
    return fields, sum(len(line) for line in lines[: reader.line_num])


def header_fields(blob: bytes | memoryview, sep: str) -> tuple[list[str], int]:
    """The header's fields and the byte offset where the data rows start."""
    size = 65536
    while True:
        text = head_text(blob, size)
        fields, consumed = _first_record(text, sep)
        if consumed < len(text) or size >= min(len(blob), MAX_FIELD_BYTES):
            break
        size *= 16
    if not fields:
        return [], len(blob)
    return [f.strip() for f in fields], len(text[:consumed].encode("utf-8"))


def parse(
    blob: bytes | memoryview, name: str, sep: str, *, header: bool
) -> tuple[pd.DataFrame, list[int]]:
    """Parse UTF-8 delimited text into a frame of text columns.

    Returns the frame and the spreadsheet rows of the blank lines that were
    skipped (so row numbers in messages stay those a spreadsheet shows).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first_row = 2 if header else 1
    if header:
        columns, start = header_fields(blob, sep)
        if not columns or all(c == "" for c in columns):
            msg = f"{name}: the file is empty (it needs a header row and at least one row)"
            raise InputError(msg)
        body = memoryview(blob)[start:]
    else:
        body = memoryview(blob)
        first = _first_record(head_text(blob), sep)[0]
        columns = [f"column{i + 1}" for i in range(len(first))]
        if not columns:
            msg = f"{name}: the file is empty"
            raise InputError(msg)
    _check_names(columns, name, header)
    if not bytes(body[:65536]).strip() and (len(body) <= 65536 or not bytes(body).strip()):
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns}), []
    invalid: list[Any] = []
    blank: list[Any] = []

    def on_invalid(row: Any) -> str:
        (blank if not row.text.strip() else invalid).append(row)
        return "skip"

    def read(threads: bool, multiline: bool) -> pa.Table:
        invalid.clear()
        blank.clear()
        return pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(
                column_names=columns, use_threads=threads, block_size=MAX_FIELD_BYTES
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=sep,
                newlines_in_values=multiline,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.large_string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                check_utf8=False,
            ),
        )

    try:
        # quoted line breaks are rare and slow to allow for: only when rows do not split
        multiline = False
        table = read(True, multiline)
        if invalid and b'"' in _raw(body):
            multiline = True
            table = read(True, multiline)
        if invalid or blank:  # read again on one thread, which numbers the rows
            table = read(False, multiline)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        text_exc = str(exc)
        if "straddling" in text_exc or "block" in text_exc:
            msg = (
                f"{name}: a field is longer than {MAX_FIELD_BYTES // (1024 * 1024)} MiB; check "
                "quoting (an unclosed quote makes the rest of the file one field)"
            )
        else:
            msg = f"{name}: the rows cannot be split into columns ({text_exc}); check quoting"
        raise InputError(msg) from None
    if invalid:
        _report_ragged(invalid, name, len(columns), sep, first_row - 1)
    skipped = [row.number + first_row - 1 for row in blank if row.number is not None]
    return _trim(table).to_pandas(), skipped


def _check_names(columns: list[str], name: str, header: bool) -> None:
    seen: set[str] = set()
    for col in columns:
        if col in seen:
            msg = (
                f"{name} row 1: the column name {col!r} appears twice; give every column its "
                "own name"
            )
            raise InputError(msg)
        seen.add(col)
    empty = [i + 1 for i, c in enumerate(columns) if c == ""]
    if header and empty and len(empty) < len(columns):
        log.warning("%s: column(s) %s have no name in the header row", name, empty)


def _raw(view: bytes | memoryview) -> bytes:
    """The bytes object behind a view (for fast substring searches)."""
    if isinstance(view, memoryview):
        return view.obj if isinstance(view.obj, bytes) else view.tobytes()
    return view


def _trim(table: Any) -> Any:
    """Strip surrounding spaces from text cells; cells left empty become missing.

    Only columns where some cell starts or ends with a space or tab are
    rewritten (cheap prefix and suffix checks first).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    for col in table.columns:
        padded = any(
            pc.any(check(col, pad)).as_py()
            for pad in (" ", "\t")
            for check in (pc.starts_with, pc.ends_with)
        )
        if padded:
            col = pc.ascii_trim_whitespace(col)
            empty = pc.equal(col, "")
            if pc.any(empty).as_py():
                col = pc.if_else(empty, pa.scalar(None, col.type), col)
        arrays.append(col)
    return pa.table(arrays, names=table.column_names)


def _report_ragged(invalid: list[Any], name: str, expected: int, sep: str, offset: int) -> None:
    shown = []
    for row in invalid[:10]:
        where = f"row {row.number + offset}" if row.number is not None else "a row"
        others = [d for d in ",;\t|:" if d != sep and d in row.text]
        hint = (
            f"; it holds {others[0]!r}: the file may mix delimiters"
            if others and row.actual_columns < expected
            else ""
        )
        shown.append(
            f"  {name} {where}: {row.actual_columns} field(s) where the header has {expected}{hint}"
        )
    head = (
        f"{len(invalid)} rows of {name} do not split into the header's {expected} columns "
        "(check quoting and delimiters):"
    )
    msg = "\n".join([head, *shown]) if len(invalid) > 1 else shown[0].strip()
    raise InputError(msg)
