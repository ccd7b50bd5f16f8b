"""The fast path of the loader: typed columns straight from the parsed CSV cells, vectorised.

It accepts a table only when its schema is plain (the basic types, no formats, no constraints
beyond `required`, no foreign keys) and every cell is unmistakably valid. Anything else returns
None and the table goes through the Frictionless validator, which locates and words each
problem. So this path never decides what is an error; it only skips the slow row-by-row check
for tables that would pass it, with the same values (tests compare the two paths).
"""

from __future__ import annotations

import functools
import io
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv

from .csvcheck import RawCheck

_FIELD_KEYS = {"name", "type", "title", "description", "unit", "constraints", "example"}
_RESOURCE_KEYS_DIALECT = {"delimiter", "quoteChar"}
_RESOURCE_KEYS = {
    "name", "path", "title", "description", "sources", "licenses", "schema", "dialect",
    "encoding", "format", "mediatype", "allowEmpty", "homepage", "keywords", "rowSources",
}  # fmt: skip
# Cells each type accepts here; anything else is left to the validator to judge.
_PATTERNS = {
    "number": r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,3})?",
    "integer": r"-?(?:0|[1-9]\d{0,17})",
    "year": r"\d{4}",
    "date": r"\d{4}-\d{2}-\d{2}",
    "datetime": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}",
    "boolean": r"true|True|TRUE|false|False|FALSE|1|0",
    "string": None,
}
_DATE_FORMATS = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%dT%H:%M:%S"}
_DATE_UNITS = {"date": "s", "datetime": "us"}  # the resolution pandas gives them
_NUMERIC = ("number", "integer", "year")
# Constraints checked here, and the types each applies to.
_CONSTRAINTS = {
    "required": None,
    "unique": ("string",),  # other types: "1" and "1.0" are the same value, not the same text
    "pattern": ("string",),
    "enum": ("string",),
    "minLength": ("string",),
    "maxLength": ("string",),
    "minimum": _NUMERIC,
    "maximum": _NUMERIC,
}


def plain_schema(res: dict[str, Any]) -> bool:
    """Is the resource simple enough for the fast path?"""
    if set(res) - _RESOURCE_KEYS or str(res.get("format", "csv")).lower() != "csv":
        return False  # e.g. a hash or byte count to check, compression
    schema = res.get("schema")
    dialect = res.get("dialect") or {}
    if not isinstance(schema, dict) or not isinstance(dialect, dict):
        return False
    if set(dialect) - _RESOURCE_KEYS_DIALECT or set(schema) - {"fields", "primaryKey"}:
        return False  # foreign keys, missing-value markers, header options...
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return False
    for f in fields:
        if not isinstance(f, dict) or set(f) - _FIELD_KEYS:
            return False
        if f.get("type", "string") not in _PATTERNS:
            return False
        constraints = f.get("constraints") or {}
        if not isinstance(constraints, dict):
            return False
        for name, rule in constraints.items():
            types = _CONSTRAINTS.get(name, ())
            if types is not None and f.get("type", "string") not in types:
                return False
            if name == "enum" and not all(isinstance(v, str) for v in rule or []):
                return False  # the validator compares [1, 2] with the text "1"
            if name == "pattern" and not _same_in_python(str(rule)):
                return False
    return True


def _same_in_python(pattern: str) -> bool:
    """Does Python read the pattern as Arrow would? The validator runs it in Python: a pattern
    only Arrow's engine accepts ([[:alpha:]], \\p{L}, (?i) in the middle) is for it to judge."""
    import re
    import warnings

    if any(token in pattern for token in ("[:", "\\p", "\\P", "\\Q", "\\C", "\\z", "(?")):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            re.compile(pattern)
    except (re.error, Warning):
        return False
    return True


def typed_frame(res: dict[str, Any], raw: RawCheck) -> pd.DataFrame | None:
    """The table's typed columns, or None when the validator must look at it."""
    if not plain_schema(res):
        return None
    fields = res["schema"]["fields"]
    names = [str(f["name"]) for f in fields]
    if len(set(names)) != len(names):
        return None
    delimiter = str((res.get("dialect") or {}).get("delimiter", ","))
    cells = _cells(raw, names, delimiter)
    if cells is None or not len(cells[names[0]]):
        return None  # a ragged or empty table: let the validator and the caller say so
    empty = {name: pc.equal(column, "") for name, column in cells.items()}
    if _any(functools.reduce(pc.and_, empty.values())):
        return None  # a blank row
    key = res["schema"].get("primaryKey") or []
    key = [key] if isinstance(key, str) else list(key)
    if set(key) - set(names) or any(_any(empty[k]) for k in key):
        return None  # an empty key part
    columns = {}
    for f in fields:
        try:
            column = _typed(cells[f["name"]], empty[f["name"]], f)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            # e.g. a number Arrow cannot read, a pattern it cannot run: not a stub; None sends
            # the table to the checked path (Frictionless), which reads it or names the cell
            return None
        if column is None:
            return None
        columns[f["name"]] = column
    frame = pd.DataFrame(columns)
    if key and frame.duplicated(subset=key).any():
        return None
    return frame


def _cells(raw: RawCheck, names: list[str], delimiter: str) -> dict[str, pa.Array] | None:
    """Every cell as text, by column; None if the header or a row's width is not the
    schema's."""
    if raw.records:
        header, rows = raw.records[0], raw.records[1:]
        if header != names or any(len(row) != len(names) for row in rows):
            return None
        by_column = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        return {n: pa.array(list(c), pa.string()) for n, c in zip(names, by_column, strict=True)}
    try:
        table = csv.read_csv(
            io.BytesIO(raw.text.encode("utf-8")),
            read_options=csv.ReadOptions(column_names=names),
            parse_options=csv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=False
            ),
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None  # e.g. a row with more or fewer cells
    if not table.num_rows or [table.column(n)[0].as_py() for n in names] != names:
        return None
    return {n: table.column(n).combine_chunks().slice(1) for n in names}


def _any(flags: pa.Array) -> bool:
    return bool(pc.any(flags).as_py())


def _typed(cells: pa.Array, empty: pa.Array, f: dict[str, Any]) -> pd.Series | None:
    ftype = f.get("type", "string")
    constraints = f.get("constraints") or {}
    has_null = _any(empty)
    if has_null and constraints.get("required"):
        return None
    present = pc.filter(cells, pc.invert(empty))
    pattern = _PATTERNS[ftype]
    if pattern is not None and not _all_match(present, pattern):
        return None
    if not _meets(present, ftype, constraints):
        return None
    values = pc.if_else(empty, pa.scalar(None, pa.string()), cells)
    if ftype == "string":
        return pd.Series(values.to_pylist(), dtype="str")
    if ftype == "number":
        return pd.Series(pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False))
    if ftype in ("integer", "year"):
        numbers = pc.cast(values, pa.int64())
        if has_null:
            return numbers.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        return pd.Series(numbers.to_numpy(), dtype="int64")
    if ftype == "boolean":
        truth = pc.is_in(values, value_set=pa.array(["true", "True", "TRUE", "1"]))
        flags = pc.if_else(empty, pa.scalar(None, pa.bool_()), truth)
        if has_null:
            return flags.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        return pd.Series(flags.to_numpy(zero_copy_only=False), dtype="bool")
    unit = _DATE_UNITS[ftype]
    # Parsed to the second, so the date prints back without fractions.
    parsed = pc.strptime(values, format=_DATE_FORMATS[ftype], unit="s", error_is_null=True)
    # Arrow rolls 2025-02-30 over to 2025-03-02: a real date prints back as it was written.
    again = pc.strftime(parsed, format=_DATE_FORMATS[ftype])
    if parsed.null_count != pc.sum(empty).as_py() or not _all(
        pc.or_kleene(empty, pc.equal(again, cells))
    ):
        return None  # e.g. 2025-02-30: the validator words it
    if parsed.null_count < len(parsed) and pc.min(pc.year(parsed)).as_py() < 1:
        return None  # year 0 is not a date to the validator
    return pd.Series(parsed.to_pandas()).astype(f"datetime64[{unit}]")


def _all_match(present: pa.Array, pattern: str) -> bool:
    return bool(pc.all(pc.match_substring_regex(present, f"^(?:{pattern})$")).as_py() is not False)


def _meets(present: pa.Array, ftype: str, constraints: dict[str, Any]) -> bool:
    """Do the non-empty cells meet the field's constraints? (False: let the validator say.)"""
    if not len(present):
        return True
    for name, rule in constraints.items():
        if name == "unique" and rule and pc.count_distinct(present).as_py() != len(present):
            return False
        if name == "pattern" and not _all_match(present, str(rule)):
            return False
        if name == "enum" and not _all(pc.is_in(present, value_set=pa.array(map(str, rule)))):
            return False
        if name in ("minLength", "maxLength"):
            lengths = pc.utf8_length(present)
            if not _all(
                pc.greater_equal(lengths, rule)
                if name == "minLength"
                else pc.less_equal(lengths, rule)
            ):
                return False
        if name in ("minimum", "maximum"):
            if ftype != "number":  # whole numbers compare exactly
                if not isinstance(rule, int) or isinstance(rule, bool):
                    return False
                numbers = pc.cast(present, pa.int64())
            else:
                numbers = pc.cast(present, pa.float64())
                if _any(pc.equal(numbers, float(rule))):
                    return False  # at the bound as a float: the validator compares exactly
            if not _all(
                pc.greater_equal(numbers, rule)
                if name == "minimum"
                else pc.less_equal(numbers, rule)
            ):
                return False
    return True


def _all(flags: pa.Array) -> bool:
    return pc.all(flags).as_py() is not False
