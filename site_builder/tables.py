"""A figure's data table as the chart shows it: the columns the chart uses, in the order the
chart function gave them, each value written with the chart's own format.

Only the HTML table is formatted; the CSV download keeps the raw values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .figure import format_cell
from .specs import field_definitions, transform_fields

NUMBER = "number"
TIME = "time"
TEXT = "text"
MINUS = "\u2212"  # what Vega's number formats write (d3-format's default locale)


@dataclass(frozen=True)
class Column:
    """One column of the table and how the chart shows its values."""

    name: str
    kind: str = TEXT  # NUMBER (a quantity), TIME (a date or time) or TEXT (as written)
    format: str = ""  # the chart's d3 format for it: a number format, or a time format for TIME


def table_columns(
    spec: dict[str, Any], rows: list[dict[str, Any]], types: Mapping[str, str] | None = None
) -> list[Column]:
    """The columns of `rows` the chart encodes or its transforms read (all of them if none),
    in the rows' own order, which is the order of the table the chart function drew.

    `types`: each column's Table Schema type, for columns the spec does not type.
    """
    types = types or {}
    present = list(dict.fromkeys(key for row in rows for key in row))
    found = _encoded(spec)
    read = set(transform_fields(spec))  # a fold's columns, say: encoded under other names
    columns = [name for name in present if name in found or name in read] or present
    out = []
    for name in columns:
        kind, fmt = found.get(name, (_KINDS.get(types.get(name, ""), TEXT), ""))
        if types.get(name) == "year":
            kind, fmt = TEXT, ""  # a year reads 2024, never 2,024
        if kind == TIME and fmt and _merges(Column(name, kind, fmt), rows):
            fmt = ""  # the dates whole: the table tells its rows apart
        out.append(Column(name, kind, fmt))
    return out


def _merges(column: Column, rows: list[dict[str, Any]]) -> bool:
    """Whether the column's format writes different values alike ("Jan" for each day of a
    month, which a chart of months by weekday draws apart by another time unit)."""
    values = {v for row in rows if isinstance(v := row.get(column.name), (str, int, float))}
    write = column_formatter(column)
    return len({write(v) for v in values}) < len(values)


def cell_formatter(
    columns: list[Column], locale: Mapping[str, Any] | None = None
) -> Callable[[str, Any], str]:
    """How to write a cell of the named column (for figure.table_html); `locale`: the chart's
    d3 locale (its spec's `config.locale`), for month names and separators."""
    by_name = {c.name: column_formatter(c, locale) for c in columns}
    other = column_formatter(Column(""), locale)
    return lambda name, value: (by_name.get(name) or other)(value)


def format_value(value: Any, column: Column, locale: Mapping[str, Any] | None = None) -> str:
    """One cell as the chart would show it; what the format cannot handle, as written."""
    return column_formatter(column, locale)(value)


def column_formatter(
    column: Column, locale: Mapping[str, Any] | None = None
) -> Callable[[Any], str]:
    """`format_value` for one column, its locale's choices made once for all its cells."""
    locale = locale or {}
    number = locale.get("number") or {}
    marks = {",": number.get("thousands", ","), ".": number.get("decimal", ".")}
    plain = marks == {",": ",", ".": "."}
    time_locale = locale.get("time")
    dated = column.kind == TIME and bool(column.format)
    numeric = column.kind == NUMBER

    def write(value: Any) -> str:
        if value is None or isinstance(value, bool) or _not_finite(value):
            return format_cell(value)
        if dated:
            moment = _as_datetime(value)
            text = format_time(moment, column.format, time_locale) if moment else None
            if text is not None:
                return text
        if numeric and isinstance(value, (int, float)):
            text = format_number(value, column.format) if column.format else None
            text = text if text is not None else default_number(value)
            return text if plain else "".join(marks.get(c, c) for c in text)
        return format_cell(value)

    return write


def default_number(value: float) -> str:
    """A quantity with thousands separators and up to six significant digits (no exponent)."""
    if isinstance(value, int) or float(value).is_integer():
        return _signed(value < 0, f"{abs(int(value)):,}", "")
    magnitude = math.floor(math.log10(abs(value)))
    places = min(max(0, 5 - magnitude), 15)
    text = _trimmed(_fixed(abs(value), places, grouped=True))
    return _signed(value < 0 and text.strip("0.,") != "", text, "")


# d3-format's grammar, the part charts use: [$][,][.precision][~][type], type one of f d %.
_NUMBER_FORMAT = re.compile(r"(\$)?(,)?(?:\.(\d+))?(~)?([fd%])?")


def format_number(value: float, spec: str) -> str | None:
    """`value` in the d3 number format `spec` (e.g. ",.0f", ".1%", "$,.2f", ",d"), as Vega
    writes it; None for a format outside that subset."""
    match = _NUMBER_FORMAT.fullmatch(spec)
    if not match or not spec:
        return None
    currency, grouped, precision, trim, kind = match.groups()
    symbol = "$" if currency else ""
    scaled = value * 100 if kind == "%" else value
    if kind is None:  # d3's default type: significant digits, trailing zeros trimmed
        digits = 12 if precision is None else max(1, int(precision))
        magnitude = math.floor(math.log10(abs(value))) if value else 0
        if not -6 <= magnitude < digits:
            return None  # d3 would write an exponent: not in the subset
        text = _trimmed(_fixed(abs(value), digits - 1 - magnitude, bool(grouped)))
    elif kind == "d":
        text = _fixed(abs(value), 0, bool(grouped))
    else:
        text = _fixed(abs(scaled), 6 if precision is None else int(precision), bool(grouped))
        text = _trimmed(text) if trim else text
    negative = scaled < 0 and any(ch not in "0.," for ch in text)  # no sign for a zero
    return _signed(negative, text + ("%" if kind == "%" else ""), symbol)


def _trimmed(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fixed(value: float, places: int, grouped: bool) -> str:
    """Like JavaScript's toFixed (ties away from zero, on the float's exact value)."""
    if type(value) is float and not _tie(value, places):
        # Python's own rounding is exact too, and parts from toFixed's only at a tie: a
        # table's thousands of cells are written without Decimal (~2x faster).
        return f"{value:,.{places}f}" if grouped else f"{value:.{places}f}"
    exact = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{exact:,f}" if grouped else f"{exact:f}"


def _tie(value: float, places: int) -> bool:
    """Whether the float lies exactly halfway between two numbers of `places` decimals."""
    numerator, denominator = value.as_integer_ratio()
    doubled = 2 * numerator * 10**places
    return doubled % denominator == 0 and (doubled // denominator) % 2 == 1


def _signed(negative: bool, text: str, symbol: str) -> str:
    return f"{MINUS if negative else ''}{symbol}{text}"


_MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
# d3-time-format's default locale (en-US), the names Vega writes without one.
_ENGLISH_TIME: dict[str, Any] = {
    "months": _MONTHS,
    "shortMonths": [m[:3] for m in _MONTHS],
    "days": _DAYS,
    "shortDays": [d[:3] for d in _DAYS],
    "periods": ["AM", "PM"],
}
_DIRECTIVE = re.compile(r"%([-_0]?)(.)")


def format_time(moment: datetime, spec: str, locale: Mapping[str, Any] | None = None) -> str | None:
    """`moment` in the d3 time format `spec` (e.g. "%b %Y", "%-d %B %Y"), as Vega writes it:
    in English, or in `locale` (a d3 time locale: months, shortMonths, days from Sunday,
    shortDays, periods); None when `spec` uses a directive outside the common ones."""
    words = {**_ENGLISH_TIME, **(locale or {})}
    day = (moment.weekday() + 1) % 7  # d3's days start on Sunday
    fields: dict[str, tuple[str, int]] = {  # directive: (value, width padded to; 0 = text)
        "Y": (str(moment.year), 4),
        "y": (str(moment.year % 100), 2),
        "m": (str(moment.month), 2),
        "d": (str(moment.day), 2),
        "e": (str(moment.day), 2),
        "j": (str(moment.timetuple().tm_yday), 3),
        "H": (str(moment.hour), 2),
        "I": (str(moment.hour % 12 or 12), 2),
        "M": (str(moment.minute), 2),
        "S": (str(moment.second), 2),
        "L": (str(moment.microsecond // 1000), 3),
        "U": (moment.strftime("%U"), 2),  # Sunday-based week of the year: no locale
        "q": (str((moment.month - 1) // 3 + 1), 0),
        "b": (words["shortMonths"][moment.month - 1], 0),
        "B": (words["months"][moment.month - 1], 0),
        "a": (words["shortDays"][day], 0),
        "A": (words["days"][day], 0),
        "p": (words["periods"][moment.hour >= 12], 0),
        "%": ("%", 0),
    }
    unknown = False

    def directive(match: re.Match[str]) -> str:
        nonlocal unknown
        pad, name = match.groups()
        if name not in fields:
            unknown = True
            return ""
        text, width = fields[name]
        if pad == "-" or not width:
            return text
        fill = pad or (" " if name == "e" else "0")
        return text.rjust(width, "0" if fill == "0" else " ")

    out = _DIRECTIVE.sub(directive, spec)
    return None if unknown else out


# The order Vega reads a time unit's parts in, and how it writes each (vega-time's defaults,
# with Vega-Lite's own for year-month and year-month-date); joined, then trimmed.
_UNIT_PARTS = (
    "year",
    "quarter",
    "month",
    "week",
    "date",
    "day",
    "dayofyear",
    "hours",
    "minutes",
    "seconds",
    "milliseconds",
)
_UNIT_FORMATS = {
    "year": "%Y ",
    "quarter": "Q%q ",
    "month": "%b ",
    "week": "W%U ",
    "date": "%d ",
    "day": "%a ",
    "dayofyear": "%j ",
    "hours": "%H:00",
    "minutes": "00:%M",
    "seconds": ":%S",
    "milliseconds": ".%L",
    "year-month": "%b %Y ",
    "year-month-date": "%b %d, %Y ",
    "hours-minutes": "%H:%M",
}
_UNIT_NAME = re.compile("|".join(sorted(_UNIT_PARTS, key=len, reverse=True)))


def time_unit_format(unit: Any) -> str:
    """The time format Vega-Lite shows a field with a `timeUnit` in ("" when not a unit)."""
    if isinstance(unit, dict):
        unit = unit.get("unit", "")
    if not isinstance(unit, str):
        return ""
    name = unit.removeprefix("binned").removeprefix("utc")
    parts = _UNIT_NAME.findall(name)
    if "".join(parts) != name:
        return ""
    parts = sorted(set(parts), key=_UNIT_PARTS.index)
    out, start = "", 0
    while start < len(parts):
        for end in range(len(parts), start, -1):  # the longest run with a format of its own
            key = "-".join(parts[start:end])
            if key in _UNIT_FORMATS:
                out += _UNIT_FORMATS[key]
                start = end
                break
    return out.strip()


_KINDS = {"quantitative": NUMBER, "temporal": TIME, "number": NUMBER, "integer": NUMBER}
_KINDS.update({"date": TIME, "datetime": TIME})
# Where a format is taken from, first the best: the tooltip is how a reader reads one value.
_RANKS = {"tooltip": 0, "text": 1}


def _encoded(spec: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each encoded field's kind and format, each from the definition that says most about it."""
    kinds: dict[str, tuple[int, str]] = {}
    formats: dict[str, tuple[int, str]] = {}
    for channel, name, fd in field_definitions(spec):
        rank = _RANKS.get(channel, 2)
        unit = time_unit_format(fd.get("timeUnit"))
        kind = TIME if unit else _KINDS.get(str(fd.get("type", "")), TEXT)
        if name not in kinds or rank < kinds[name][0]:
            kinds[name] = (rank, kind)
        # A normalized stack's or a count's format is of the shares or counts drawn, not of
        # the table's values (its '%' made 39 read 3900%).
        aggregate = fd.get("aggregate")
        made = fd.get("stack") == "normalize" or (
            isinstance(aggregate, str) and aggregate in _NEW_QUANTITIES
        )
        fmt = "" if made else _format_of(fd, kind) or unit
        if fmt and (name not in formats or rank < formats[name][0]):
            formats[name] = (rank, fmt)
    return {name: (kind, formats.get(name, (0, ""))[1]) for name, (_, kind) in kinds.items()}


# Aggregates whose values are not in the field's own unit.
_NEW_QUANTITIES = {"count", "distinct", "valid", "missing", "variance", "variancep"}
# A number format without precision, which an axis or legend writes with as many digits as
# its ticks need (d3's tickFormat): a table writes as many as each value needs.
_NO_PRECISION = re.compile(r"(\$)?(,)?([f%])")


def _format_of(fd: dict[str, Any], kind: str) -> str:
    """The format a definition gives its values: its own, else its axis', legend's or header's."""
    if fd.get("formatType") not in (None, "number", "time", "utc"):
        return ""  # a custom formatter, which only the browser has
    for where in (fd, fd.get("axis"), fd.get("legend"), fd.get("header")):
        if isinstance(where, dict) and isinstance(where.get("format"), str):
            if kind == TEXT:
                return ""
            fmt = str(where["format"])
            if where is not fd and kind == NUMBER and _NO_PRECISION.fullmatch(fmt):
                return fmt[:-1] + "~" + fmt[-1]
            return fmt
    return ""


def _as_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _not_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)
