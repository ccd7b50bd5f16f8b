"""A CSV file's bytes, read once and checked before they are parsed: size, encoding, NUL
bytes, delimiter and quotes; and where each record starts, so that errors name the physical
line."""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem

csv.field_size_limit(sys.maxsize)  # long cells are the data's business, not a parser limit

# A story's chart data is small; a file this large is a mistake (or needs aggregating first).
MAX_BYTES = 100 * 1024 * 1024


@dataclass
class RawCheck:
    """What the bytes told us: problems, and the line each record starts on (1-based)."""

    problems: list[Problem] = field(default_factory=list)
    # The line each record starts on; index 0 is record 1 (the header).
    record_lines: Sequence[int] = field(default_factory=list)
    records: list[list[str]] = field(default_factory=list)  # the parsed cells, header first
    text: str = ""  # instead of records, when no cell is quoted
    delimiter: str = ","

    def filled(self, name: str) -> int:
        """How many cells under the header's column `name` are not blank."""
        rows = self.records or [line.split(self.delimiter) for line in self.text.splitlines()]
        if not rows or name not in rows[0]:
            return 0
        index = rows[0].index(name)
        return sum(1 for row in rows[1:] if len(row) > index and row[index].strip())

    def line_of(self, record: int | None) -> int | None:
        if record is None or not 0 < record <= len(self.record_lines):
            return record
        return self.record_lines[record - 1]


def read_file(path: Path, shown: str) -> bytes | Problem:
    """The file's bytes, read once for every later step; or why it is not read at all."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return Problem(
            shown,
            f"the file is {size / 2**20:.0f} MB, over the limit of {MAX_BYTES // 2**20} MB",
            "aggregate the data before charting it (a chart needs far fewer rows), or split "
            "the file",
        )
    return path.read_bytes()


def check_raw(
    raw: bytes,
    shown: str,
    encoding: str = "utf-8",
    delimiter: str = ",",
    quote: str = '"',
    max_columns: int = 1_000,
) -> RawCheck:
    """Problems a parser would report badly or not at all; stops at the first fatal one."""
    result = RawCheck(delimiter=delimiter)
    if not raw:
        result.problems.append(
            Problem(shown, "the file is empty", "add a header row and data, or remove the file")
        )
        return result
    text = _decode(raw, shown, encoding, result)
    if text is None:
        return result
    if not text.strip():
        result.problems.append(
            Problem(shown, "the file has only blank lines", "add a header row and data", 1)
        )
        return result
    if _too_many_columns(text, shown, delimiter, quote, max_columns, result):
        return result
    if _stray_return(text, shown, delimiter, quote, result):
        return result
    _check_nul(text, shown, result)
    _check_delimiter(text, shown, delimiter, result)
    _scan_records(text, shown, delimiter, quote, result)
    return result


def _stray_return(text: str, shown: str, delimiter: str, quote: str, result: RawCheck) -> bool:
    """A carriage return alone, outside quotes, in a file whose lines end in line feeds, that
    splits a row in two unlike the header (a lone one may end a whole row: files are saved
    with mixed endings): the parser starts a row there, in the middle of a line as an editor
    shows it (a blank row, or cells under the wrong columns, were said of the next line)."""
    if "\n" not in text or "\r" not in text.replace("\r\n", ""):
        return False

    def cells(segment: str) -> int:  # quoted delimiters are text
        return len(next(csv.reader([segment], delimiter=delimiter, quotechar=quote), []))

    header = cells(re.split(r"\r\n?|\n", text, maxsplit=1)[0])
    quoted = False
    line, start = 1, 0
    for index, char in enumerate(text):
        if char == quote:
            quoted = not quoted
        elif char == "\n":
            line, start = line + 1, index + 1
        elif char == "\r" and not quoted and text[index + 1 : index + 2] != "\n":
            before = text[start:index].split("\r")[-1]
            after = re.split(r"\r|\n", text[index + 1 :], maxsplit=1)[0]
            if not after or (cells(before) == header == cells(after) and after.strip(delimiter)):
                continue  # a whole row ends there (the last, or one before a blank line)
            result.problems.append(
                Problem(
                    shown,
                    "a carriage return (\\r) in the middle of the line ends a row there: what "
                    "follows it is read as another row",
                    "delete it (editors show it as ^M or not at all), or save the file again "
                    "with one kind of line ending",
                    line,
                    index - start + 1,
                )
            )
            return True
    return False


def _decode(raw: bytes, shown: str, encoding: str, result: RawCheck) -> str | None:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        encoding.lower().replace("-", "").startswith("utf8") and raw[1:200:2].count(0) > 20
    ):
        result.problems.append(
            Problem(
                shown,
                "the file is UTF-16, which is not supported",
                "re-export it as UTF-8 (in Excel: Save As > CSV UTF-8)",
                1,
            )
        )
        return None
    try:
        text = raw.decode(encoding)
    except LookupError:
        result.problems.append(
            Problem(shown, f"unknown encoding '{encoding}'", "use utf-8 (or e.g. cp1252)")
        )
        return None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        result.problems.append(
            Problem(
                shown,
                f"not valid {encoding.upper()}: byte 0x{raw[exc.start]:02x} at byte offset "
                f"{exc.start}",
                "save the file as UTF-8, or declare its encoding on the resource "
                "(e.g. encoding: cp1252)",
                line,
                column,
            )
        )
        return None
    return text.removeprefix("\ufeff")


def _too_many_columns(
    text: str, shown: str, delimiter: str, quote: str, limit: int, result: RawCheck
) -> bool:
    """A header that wide would take the validator minutes and gigabytes: stop at once."""
    end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    header = text[:end]
    if header.count(delimiter) < limit:
        return False
    count = len(next(csv.reader([header], delimiter=delimiter, quotechar=quote), []))
    if count <= limit:
        return False
    result.problems.append(
        Problem(
            shown,
            f"the header has {count:,} columns, over the limit of {limit:,}",
            "keep only the columns the charts use, or raise max_columns under the site-builder "
            "plugin in mkdocs.yml (see WRITING.md)",
            1,
        )
    )
    return True


def _check_nul(text: str, shown: str, result: RawCheck) -> None:
    at = text.find("\0")
    if at >= 0:
        line, column = _position(text, at)
        result.problems.append(
            Problem(shown, "the file contains a NUL character", "remove it", line, column)
        )


def _check_delimiter(text: str, shown: str, delimiter: str, result: RawCheck) -> None:
    header = text.split("\n", 1)[0]
    if delimiter in header:
        return
    for other, name in ((";", "';'"), ("\t", "a tab")):
        if other in header:
            result.problems.append(
                Problem(
                    shown,
                    f"1 column detected: is the delimiter {name}?",
                    f"add 'dialect: {{delimiter: \"{other.encode('unicode_escape').decode()}\"}}'"
                    " to the resource (and decimalChar: ',' on number fields written 4,5)",
                    1,
                )
            )
            return


def _scan_records(text: str, shown: str, delimiter: str, quote: str, result: RawCheck) -> None:
    """Where each record starts; a quote never closed is reported on the line it opened."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote, strict=True
    )
    if quote not in text:
        # Nothing quoted: each record is one line, and the loader's fast path parses the text.
        result.text = text
        result.record_lines = range(1, text.count("\n") + text.count("\r") + 2)
        return
    start = 1
    lines: list[int] = []
    result.record_lines = lines
    try:
        for record in reader:
            result.records.append(record)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        line_text = text.splitlines()[start - 1] if text.splitlines() else ""
        column = line_text.find(quote) + 1 or None
        if "unexpected end of data" in str(exc):
            message, hint = (
                "a quoted cell is never closed",
                "add the closing quote, or remove the opening one",
            )
        else:
            message, hint = (
                f"badly quoted cell ({exc})",
                f'quote the whole cell and double any {quote} inside it, e.g. "say ""hi"""',
            )
        result.problems.append(Problem(shown, message, hint, start, column))


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (1-based) of a character."""
    before = text[:index]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    last = max(before.rfind("\n"), before.rfind("\r"))
    return line, index - last
