"""The Frictionless validator, for what the fast path (fastload.py) leaves to it: a resource's
description, and the tables it does not take. It runs on the bytes the loader read, never on
the file again; its findings are said in our words, at the physical line."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Collection
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from .catalog import Field
from .cellhints import type_hint
from .csvcheck import RawCheck
from .descriptor import SCHEMA_HINT
from .errors import Problem

if TYPE_CHECKING:
    import pandas as pd

_HEADER_MESSAGES = {
    "duplicate-label": "column name '{label}' is used twice (again at position {column})",
    "blank-label": "column {column} has no name",
    "incorrect-label": "column {column} is named '{label}' but the schema says '{expected}'",
    "missing-label": "the schema's field '{expected}' has no column",
    "extra-label": "column {column} ('{label}') is not in the schema",
}


def described(res: dict[str, Any], shown: str) -> tuple[list[Field], list[str]] | Problem:
    """The resource's fields and primary key, once the validator accepts its description; or
    the problem with it."""
    import frictionless  # slow to import: only for a table that is not in the cache

    try:
        resource = _over_bytes(res, b"")
    except frictionless.FrictionlessException as exc:
        note = exc.error.note or exc.error.message
        return Problem(shown, f"resource '{res['name']}': {note}", _type_guess(note) + SCHEMA_HINT)
    return fields_of(resource), list(resource.schema.primary_key)


# The field types of the Table Schema that the validator knows.
_FIELD_TYPES = [
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
]


def _type_guess(note: str) -> str:
    """ "did you mean 'integer'? " for a misspelt field type ('field type "interger"')."""
    found = re.search(r'field type "([^"]*)" is not supported', note)
    close = difflib.get_close_matches(found.group(1).lower(), _FIELD_TYPES, 1) if found else []
    return f"did you mean '{close[0]}'? " if close else ""


def validated_package(tables: list[tuple[dict[str, Any], bytes]]) -> Any:
    """The tables as one package, so that foreign keys can refer to other tables."""
    import frictionless

    return frictionless.Package(resources=[_over_bytes(res, raw) for res, raw in tables])


def _over_bytes(res: dict[str, Any], raw: bytes) -> Any:
    import frictionless

    path = str(res.get("path", ""))
    resource = frictionless.Resource(
        {key: value for key, value in res.items() if key != "path"} | {"data": []}
    )
    resource.data = raw
    resource.scheme = "buffer"
    resource.format = str(res.get("format") or PurePosixPath(path).suffix[1:] or "csv").lower()
    return resource


# A foreign key to a table the data package does not describe.
_NO_TABLE = re.compile(r'as resource "([^"]*)" does not exist')


def validate(resource: Any, csv_shown: str, raw: RawCheck, shown: str) -> list[Problem]:
    """Every problem the validator finds in the table, located."""
    try:
        report = resource.validate(limit_errors=1000)
    except re.error as exc:  # a schema pattern Python cannot compile
        return [
            Problem(
                shown,
                f"resource '{resource.name}': a pattern is not a valid regular expression ({exc})",
                "fix the field's 'pattern:' constraint (Python regular expressions)",
            )
        ]
    problems = []
    errors = [error for task in report.tasks for error in task.errors]
    # A blank row, or one whose key cell is not of its type, says it all: its key is no
    # duplicate of another's (an unread date is no date, the same as the next unread one).
    key = set(resource.schema.primary_key)
    said = {
        getattr(e, "row_number", None)
        for e in errors
        if e.type == "blank-row" or (e.type == "type-error" and getattr(e, "field_name", "") in key)
    }
    # A row with more or fewer cells than the header has its cells under the wrong columns:
    # that it is ragged says it all, not each cell out of place.
    ragged = {
        getattr(e, "row_number", None) for e in errors if e.type in ("extra-cell", "missing-cell")
    }
    names = [f.name for f in resource.schema.fields]
    # Columns most of whose cells read: a cell that does not is the odd one out, not the
    # field's description (unless the errors were cut off at the limit).
    failing = Counter(getattr(e, "field_name", None) for e in errors if e.type == "type-error")
    mostly_read = {
        str(n)
        for n, count in failing.items()
        if len(errors) < 1000 and count * 2 < raw.filled(str(n))
    }
    # Columns are matched to fields by their place (unless the schema says otherwise).
    by_place = getattr(resource.schema, "fields_match", "exact") == "exact"
    misnamed = next((e for e in errors if e.type in _MISALIGNED and by_place), None)
    if misnamed is not None:
        problems += _header_problems(list(getattr(misnamed, "labels", [])), names, csv_shown)
    for error in errors:
        row = getattr(error, "row_number", None)
        if error.type == "primary-key" and row in said:
            continue
        if error.type in ("type-error", "constraint-error") and row in ragged:
            continue
        if misnamed is not None and (error.type in _MISALIGNED or row is not None):
            continue  # cells under the wrong columns: the header says why
        missing = _NO_TABLE.search(error.note or "") if error.type == "resource-error" else None
        if missing:
            problems.append(
                Problem(
                    shown,
                    f"resource '{resource.name}': a foreign key refers to table "
                    f"'{missing.group(1)}', which the data package does not describe",
                    "name a table of the data package under 'reference: resource:'",
                )
            )
            continue
        problems.append(_problem_from(error, resource, csv_shown, raw, mostly_read))
    return problems


# Header errors that put the columns out of line with the fields (said together).
_MISALIGNED = ("incorrect-label", "missing-label", "extra-label")


def _header_problems(labels: list[str], names: list[str], csv_shown: str) -> list[Problem]:
    """How the header differs from the schema's fields, as a writer would mend it: a column
    added, one missing, one renamed, or all there in another order."""
    import difflib

    def at(column: int, message: str, hint: str) -> Problem:
        return Problem(csv_shown, f"header: {message}", hint, 1, column)

    if sorted(labels) == sorted(names):
        first = next(i for i, (a, b) in enumerate(zip(labels, names, strict=True), 1) if a != b)
        return [
            at(
                first,
                f"the columns are in another order than the schema's fields (header: "
                f"{', '.join(labels)}; schema: {', '.join(names)})",
                "list the fields in the schema in the header's order: columns are matched to "
                "fields by their place",
            )
        ]
    problems = []
    extra: list[int] = []  # header places with no field of theirs
    absent: list[tuple[str, int]] = []  # fields with no column, and the place they lack
    matcher = difflib.SequenceMatcher(a=labels, b=names, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
        if op == "replace" and i2 - i1 == j2 - j1:
            for i, j in pairs:
                if labels[i] in names or names[j] in labels:  # moved, not renamed
                    extra.append(i)
                    absent.append((names[j], i + 1))
                    continue
                problems.append(
                    at(
                        i + 1,
                        f"column {i + 1} is named '{labels[i]}' but the schema says '{names[j]}'",
                        "rename the column or the field: the header must name the schema's "
                        "fields, in order, each once",
                    )
                )
            continue
        extra += range(i1, i2)
        absent += [(names[j], i1 + 1) for j in range(j1, j2)]
    missing = {name for name, _ in absent}
    for i in extra:
        label = labels[i]
        if label in missing:  # there, in another place
            problems.append(
                at(
                    i + 1,
                    f"column {i + 1} ('{label}') is out of place: the schema has it as field "
                    f"{names.index(label) + 1}",
                    "put the columns in the order of the schema's fields (or the fields in the "
                    "header's order): columns are matched to fields by their place",
                )
            )
            continue
        after = f" after '{labels[i - 1]}'" if i else " first"
        problems.append(
            at(
                i + 1,
                f"column {i + 1} ('{label}') is not in the schema",
                f"add a field named '{label}' to the schema's fields{after}, or remove the column",
            )
        )
    for name, place in absent:
        if name in labels:
            continue  # said as out of place
        problems.append(
            at(
                place,
                f"the schema's field '{name}' has no column",
                f"add a column '{name}' at position {place}, or remove the field from the schema",
            )
        )
    return sorted(problems, key=lambda p: p.column or 0)


def read_rows(resource: Any) -> tuple[pd.DataFrame, dict[str, list[Any]], list[int]]:
    """A table that passed, row by row: the typed frame, its cells by column, their rows."""
    import pandas as pd

    fields = resource.schema.fields
    columns: dict[str, list[Any]] = {f.name: [] for f in fields}
    row_numbers: list[int] = []
    with resource:
        for row in resource.row_stream:
            row_numbers.append(row.row_number)
            for f in fields:
                columns[f.name].append(row[f.name])
    frame = pd.DataFrame({f.name: _to_series(columns[f.name], f.type) for f in fields})
    return frame, columns, row_numbers


def fields_of(resource: Any) -> list[Field]:
    """The schema's fields, as the catalogue keeps them."""
    return [
        Field(
            name=f.name,
            type=f.type,
            title=f.title or f.name,
            description=f.description or "",
            unit=str(f.custom.get("unit", "")),
            format=f.format,
        )
        for f in resource.schema.fields
    ]


def _problem_from(
    error: Any, resource: Any, csv_shown: str, raw: RawCheck, mostly_read: Collection[str] = ()
) -> Problem:
    """Our message and hint for one of the validator's errors, at the physical line."""
    problem = _describe_error(error, resource, csv_shown, mostly_read)
    record = getattr(error, "row_number", None)
    line = raw.line_of(record) if problem.line == record else problem.line
    if line == problem.line:
        return problem
    # A quoted cell spans lines: name the line, and the record the validator counted.
    return Problem(
        problem.path, f"{problem.message} (record {record})", problem.hint, line, problem.column
    )


def _describe_error(
    error: Any, resource: Any, csv_shown: str, mostly_read: Collection[str] = ()
) -> Problem:
    kind = error.type
    row = getattr(error, "row_number", None)
    col = getattr(error, "field_number", None)
    name = getattr(error, "field_name", None) or getattr(error, "label", None)
    cell = getattr(error, "cell", None)
    note = error.note or ""
    if kind == "type-error":
        field = resource.schema.get_field(name) if name else None
        ftype = field.type if field else "value"
        return Problem(
            csv_shown,
            f"column '{name}': {cell!r} is not a valid {ftype}",
            type_hint(ftype, cell, str(field.format or "") if field else "", name in mostly_read),
            row,
            col,
        )
    if kind == "constraint-error" and '"required"' in note:
        return Problem(
            csv_shown,
            f"column '{name}' is empty, but a value is required",
            "fill in the cell (key columns and required fields cannot be empty)",
            row,
            col,
        )
    if kind == "constraint-error":
        return Problem(
            csv_shown,
            f"column '{name}': {cell!r} breaks the rule {note}",
            "fix the cell, or the field's constraints in the data package",
            row,
            col,
        )
    if kind == "primary-key":
        key = ", ".join(resource.schema.primary_key)
        first = re.search(r"position (\d+)", note)
        return Problem(
            csv_shown,
            f"duplicate key ({key}): the same as record {first.group(1)}" if first else note,
            f"each row needs a unique combination of {key}",
            row,
        )
    if kind == "extra-cell":
        return Problem(
            csv_shown,
            f"row has more cells than the header ({cell!r} at position {col})",
            "quote cells that contain a comma, or add the missing column to the header",
            row,
            col,
        )
    if kind == "missing-cell":
        return Problem(
            csv_shown,
            f"row has fewer cells than the header: column '{name}' is missing",
            "add the missing cells (leave them empty between commas if unknown)",
            row,
            col,
        )
    if kind == "foreign-key":
        return Problem(
            csv_shown,
            f"value not found in the table it refers to: {note}",
            "add the value to the referenced table, or fix it here",
            row,
            col,
        )
    if kind == "blank-row":
        return Problem(csv_shown, "blank row", "delete the empty line", row)
    if kind in _HEADER_MESSAGES:
        label = getattr(error, "label", "")
        message = _HEADER_MESSAGES[kind].format(label=label, column=col, expected=name)
        return Problem(
            csv_shown,
            f"header: {message}",
            "the header must name the schema's fields, in order, each once",
            1,
            col,
        )
    # Anything else: the validator's own words, located at the row (or the file's start).
    return Problem(
        csv_shown, f"{kind}: {error.message}", "fix the file and build again", row or 1, col
    )


def _to_series(values: list[Any], ftype: str) -> pd.Series:
    """Typed column: floats for numbers, nullable ints and booleans, datetimes for dates."""
    import pandas as pd

    has_null = any(v is None for v in values)
    if ftype == "number":
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if ftype in ("integer", "year"):
        return pd.Series(values, dtype="Int64" if has_null else "int64")
    if ftype == "boolean":
        return pd.Series(values, dtype="boolean" if has_null else "bool")
    if ftype in ("date", "datetime"):
        return pd.to_datetime(pd.Series(values, dtype="object"))
    if ftype == "string":
        return pd.Series(values, dtype="str")
    return pd.Series([float(v) if isinstance(v, Decimal) else v for v in values], dtype="object")
