"""Checks on a typed table that a schema cannot express: rows at all, cells too long to
draw, and values that parse but are wrong.

NaN and infinity in number columns, IDs that Excel turned into scientific notation or dates,
invisible text-direction controls, and links that are not http(s).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .urls import is_web_url

if TYPE_CHECKING:
    import pandas as pd

_SCI_ID = re.compile(r"^\d\.\d+E\+\d+$", re.IGNORECASE)
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_EXCEL_DATE = re.compile(rf"^(\d{{1,2}}-({_MONTHS})|({_MONTHS})-\d{{2}})$")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_URL_NAME = re.compile(r"(^|_)(url|urls|href|link|links|image|src)$")
_ID_NAME = re.compile(r"(^|_)(id|code|key|fips|iso\w*)$")


def check_rows(count: int, res: dict[str, Any], csv_shown: str) -> list[Problem]:
    if count or res.get("allowEmpty"):
        return []
    return [
        Problem(
            csv_shown,
            "the file has a header but no rows",
            "add rows, or set 'allowEmpty: true' on the resource if it is meant to be empty",
            1,
        )
    ]


def check_lengths(
    frame: pd.DataFrame,
    fields: Sequence[Any],
    limit: int,
    shown: str,
    line_of: Callable[[int], int | None],
) -> list[Problem]:
    """Text a chart would draw for minutes (a 100 KB label); the first such cell per column."""
    problems = []
    for position, f in enumerate(fields, start=1):
        if f.type != "string":
            continue  # typed cells are short by their type
        lengths = frame[f.name].str.len().fillna(0).to_numpy()
        over = lengths > limit
        if not over.any():
            continue
        at = int(over.argmax())
        problems.append(
            Problem(
                shown,
                f"column '{f.name}': a cell of {int(lengths[at]):,} characters, over the limit "
                f"of {limit:,}",
                "shorten it (no reader takes in a label or cell that long), or raise "
                "max_cell_chars under the site-builder plugin in mkdocs.yml (see WRITING.md)",
                line_of(at + 2),
                position,
            )
        )
    return problems


def check_cells(
    fields: Sequence[Any],
    columns: dict[str, list[Any]],
    row_numbers: list[int],
    primary_key: Sequence[str],
    shown: str,
    line_of: Callable[[int], int | None],
) -> list[Problem]:
    """Every suspicious cell, located; at most a few per column so a bad file stays readable."""
    problems: list[Problem] = []
    for position, f in enumerate(fields, start=1):
        found = 0
        values = columns[f.name]
        suspects = _suspects(f, values, f.name in primary_key)
        for value, row in zip(values, row_numbers, strict=True):
            if suspects is not None and value not in suspects:
                continue
            problem = _check(f, value, f.name in primary_key)
            if problem is None:
                continue
            message, hint = problem
            problems.append(
                Problem(shown, f"column '{f.name}': {message}", hint, line_of(row), position)
            )
            found += 1
            if found == 3:
                break
    return problems


def _suspects(f: Any, values: list[Any], in_key: bool) -> set[Any] | None:
    """The distinct values that fail a check (a big column repeats a few values), or None
    when the values cannot be told apart that way and each cell must be checked."""
    try:
        distinct = set(values)
    except TypeError:  # lists or dicts in the cells
        return None
    return {v for v in distinct if _check(f, v, in_key) is not None}


def _check(f: Any, value: Any, in_key: bool) -> tuple[str, str] | None:
    if value is None:
        return None
    if f.type == "number" and not _finite(value):
        return (
            f"'{value}' is not a number a chart can draw",
            "leave the cell empty for a missing value, or list the marker in the "
            "schema's missingValues",
        )
    if f.type != "string" or not isinstance(value, str):
        return None
    if (in_key or _ID_NAME.search(f.name)) and _SCI_ID.match(value):
        return (
            f"'{value}' looks like an ID that Excel turned into scientific notation "
            "(digits beyond the 15th are lost)",
            "re-export from the source, with the column formatted as text",
        )
    if (in_key or _ID_NAME.search(f.name)) and _EXCEL_DATE.match(value):
        return (
            f"'{value}' looks like a code that Excel turned into a date",
            "re-export from the source, with the column formatted as text",
        )
    if _BIDI.search(value):
        char = _BIDI.search(value).group(0)  # type: ignore[union-attr]
        return (
            f"contains an invisible text-direction control (U+{ord(char):04X})",
            "remove it: it can reverse how the label reads",
        )
    link = f.format == "uri" or _URL_NAME.search(f.name)
    if link and value.strip() and not is_web_url(value):
        return (
            f"'{value[:60]}' is not an http(s) URL",
            "links must start with https:// (other schemes, like javascript:, are refused)",
        )
    return None


def _finite(value: Any) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return not isinstance(value, float) or math.isfinite(value)
