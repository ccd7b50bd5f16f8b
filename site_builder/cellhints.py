"""What to do about a cell that is not a valid value of its column's type, chosen from how the
cell looks: a decimal comma, a thousands separator, a percent or currency sign, or a marker
that a spreadsheet wrote for "no value". Each hint names the schema option that reads it."""

from __future__ import annotations

import re

# Shown when nothing more precise fits: what a valid cell of each type looks like.
_TYPE_EXAMPLES = {
    "number": "a number such as 90 or 4.5 (no %, no thousands separator)",
    "integer": "a whole number such as 2024",
    "boolean": "TRUE or FALSE",
    "date": "a date as YYYY-MM-DD, e.g. 2025-12-12",
    "datetime": "a date and time as YYYY-MM-DDTHH:MM:SS",
    "year": "a four-digit year such as 2025",
}
# What statistics offices and spreadsheets write for "no value" (letters; punctuation-only
# cells such as "-", "—" or ".." count too).
_MISSING_WORDS = {
    "na", "n/a", "n.a.", "n.a", "nd", "n/d", "none", "null", "nil", "missing", "unknown",
    "x", "s", "c", "#n/a", "#value!", "#div/0!", "#ref!",
}  # fmt: skip
_GROUPED = re.compile(r"^[-+]?\d{1,3}(?P<sep>[,. ])\d{3}(?:(?P=sep)\d{3})*(?P<dec>[.,]\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[-+]?\d*,\d+$")
_SIGNED = re.compile(r"^[-+]?\s*[$€£¥]?\s*[-+]?[\d.,]*\d\s*[%‰$€£¥]?$")
_SIGNS = re.compile(r"[%‰$€£¥]")


def type_hint(ftype: str, cell: object, fmt: str = "", mostly_read: bool = False) -> str:
    """The hint for `cell`, which is not a valid `ftype` (read with the field's `fmt`);
    `mostly_read`: most cells of its column are read as the field says."""
    text = str(cell).strip() if cell is not None else ""
    generic = (
        f"expected {_TYPE_EXAMPLES.get(ftype, 'a ' + ftype)}; fix the cell, or change the "
        "field's type in the data package"
    )
    if ftype in ("number", "integer", "year", "date", "datetime", "boolean") and _is_marker(text):
        return (
            f'if {text!r} means no value, add missingValues: ["", "{text}"] to the resource\'s '
            "schema: such cells are then read as empty"
        )
    if ftype in ("date", "datetime") and mostly_read:
        return _odd_date_hint(ftype, text, fmt)
    if ftype in ("date", "datetime") and fmt not in ("", "default", "any"):
        return _format_hint(ftype, text, fmt)
    if ftype in ("date", "datetime"):
        return _date_hint(text) or generic
    if ftype not in ("number", "integer"):
        return generic
    as_number = "" if ftype == "number" else "change the field's type to number and "
    grouped = _GROUPED.match(text)
    if grouped and _SIGNS.search(text) is None:
        sep, dec = grouped.group("sep"), grouped.group("dec")
        decimal = f' and decimalChar: "{dec[0]}"' if dec and dec[0] != "." else ""
        if sep == "." and not dec and ftype == "number":
            return generic  # "1.234" is a valid number already: this is something else
        return (
            f'{as_number}add groupChar: "{sep}"{decimal} to the field in the data package: '
            f"{text!r} is then read as {_read(text, sep, dec)}"
        )
    if _DECIMAL_COMMA.match(text):
        return (
            f'{as_number}add decimalChar: "," to the field in the data package: {text!r} is '
            f"then read as {text.replace(',', '.')} "
            "(the column's decimals must then all use commas)"
        )
    if _SIGNED.match(text) and _SIGNS.search(text):
        sign = _SIGNS.search(text).group(0)  # type: ignore[union-attr]
        bare = _SIGNS.sub("", text).strip()
        return (
            f"add bareNumber: false to the field in the data package: {text!r} is then read "
            f'as {bare} (not divided by 100), and the field can say unit: "{sign}"'
        )
    if ftype == "integer" and re.fullmatch(r"[-+]?\d+\.\d+", text):
        return f"{text!r} is not a whole number: change the field's type to number"
    return generic


# Dates as spreadsheets write them: day, month and year with a separator, or the year first.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_YEAR_MONTH_DAY = re.compile(r"\d{4}([/.])\d{1,2}\1\d{1,2}")
_NAMED_MONTH = re.compile(r"\d{1,2} ([A-Za-z]+)\.? \d{4}")


def _odd_date_hint(ftype: str, text: str, fmt: str) -> str:
    """A date written unlike most of its column's, which the field reads as they are."""
    import datetime

    custom = fmt not in ("", "default", "any")
    shape = "YYYY-MM-DD" if ftype == "date" else "YYYY-MM-DDTHH:MM:SS"
    if custom:
        try:
            shape = datetime.datetime(2025, 12, 31, 9, 30).strftime(fmt)
        except ValueError:
            shape = fmt
    if not custom and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{text!r} is written as {shape}, but there is no such day: check its month and day"
    hint = f"most of the column's dates are written as {shape}: write this one so too"
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found and not custom and ftype == "date":
        first, second, year = int(found.group(1)), int(found.group(3)), found.group(4)
        readings = [
            f"{year}-{month:02d}-{day:02d} if {order}"
            for day, month, order in ((first, second, "day first"), (second, first, "month first"))
            if month <= 12 and day <= 31
        ]
        if readings:
            hint += f" ({' or '.join(readings)})"
    return hint


def _format_hint(ftype: str, text: str, fmt: str) -> str:
    """A date the field's own `format:` does not read."""
    import datetime

    try:
        example = datetime.datetime(2025, 12, 31, 9, 30).strftime(fmt)  # day > 12: unambiguous
    except ValueError:
        example = ""
    said = f"the field's format '{fmt}' reads dates written as {example or fmt}"
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return f"{said}: write the cell so, or change the field's format"
    return (
        f"{said}, and this one is written as YYYY-MM-DD: remove 'format:' from the field if "
        "the column's dates are all written so, or write the cell as the format says"
    )


def _date_hint(text: str) -> str:
    """The field's `format:` that reads a date written another way, or ""."""
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found:
        first, sep, second = int(found.group(1)), found.group(2), int(found.group(3))
        day_first, month_first = f"%d{sep}%m{sep}%Y", f"%m{sep}%d{sep}%Y"
        if first > 12 and second > 12:
            return ""  # no order reads it
        if first > 12 or second > 12:
            chosen, order = (day_first, "day") if first > 12 else (month_first, "month")
            later = "month" if order == "day" else "day"
            return (
                f"add format: '{chosen}' to the field in the data package: {text!r} is then "
                f"read as {order}, {later}, year"
            )
        return (
            f"add format: '{day_first}' to the field in the data package if the column's dates "
            f"are day first (as 31{sep}12{sep}2023), or '{month_first}' if month first"
        )
    year_first = _YEAR_MONTH_DAY.fullmatch(text)
    if year_first:
        sep = year_first.group(1)
        return f"add format: '%Y{sep}%m{sep}%d' to the field in the data package"
    named = _NAMED_MONTH.fullmatch(text)
    if named:
        month = "%b" if len(named.group(1)) <= 3 else "%B"
        return f"add format: '%d {month} %Y' to the field in the data package"
    return ""


def _is_marker(text: str) -> bool:
    if not text:
        return False
    return text.lower() in _MISSING_WORDS or not any(c.isalnum() for c in text)


def _read(text: str, sep: str, dec: str | None) -> str:
    digits = text.replace(sep, "")
    return digits.replace(dec[0], ".") if dec else digits
