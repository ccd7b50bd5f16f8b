"""`site-builder describe`: a CSV's entry in the data package, inferred from the file.

The schema comes from Frictionless's inference; what only the writer knows (title, description,
sources, licence) is left as marked placeholders, which the catalogue reports until filled.
"""

from __future__ import annotations

import csv
import io
import re
from itertools import combinations
from pathlib import Path
from typing import Any

from .descriptor import Limits
from .errors import DataError, Problem

MARKER = "TODO"
_MARKED = re.compile(rf"\b{MARKER}\b")

# What each placeholder asks for; also the hint when one is left in.
_ASKS = {
    "title": "say what the table is, in a few words",
    "description": "say what one row is, what is measured (and in which unit), and any caveat",
    "sources": "name who published the numbers, and when, with the https:// address of the page",
    "licenses": "name the licence the source publishes the data under, with its URL "
    "(e.g. CC-BY-4.0, https://creativecommons.org/licenses/by/4.0/)",
    "schema": "choose what the placeholder offers (a date's format: day or month first)",
}
# Cells that mean "no value" in published tables; kept only where they make a column typed.
_MISSING_MARKERS = ["NA", "N/A", "n/a", "na", "-", "--", "..", "…", ":", "x", "null", "NaN"]
# Date formats found in spreadsheets' exports, tried when a column is left as text.
_DATE_FORMATS = ["%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y"]
_SEPARATED = re.compile(r"[-+]?(\d{1,3}(,\d{3})*|\d+)(\.\d+)?%?")
# Numbers written with a decimal comma ('12,5', '1.234,5'), as in much of Europe.
_DECIMAL_COMMA = re.compile(r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?%?")
# Read enough rows that a late odd value cannot make the inferred type wrong.
_SAMPLE_ROWS = 100_000


def placeholder_problems(
    res: dict[str, Any], descriptor: Path, shown: str, where: str
) -> list[Problem]:
    """Placeholders `describe` left in a resource, each where the descriptor has it."""
    keys = [k for k in res if _marked(res[k])]
    if not keys:
        return []
    located = _locate(descriptor, str(res.get("name", "")))
    problems = []
    for key in keys:
        line, column, text = located.get(key, (None, None, _first_marked(res[key])))
        problems.append(
            Problem(
                shown,
                f"{where}: {key} is still a placeholder ({text!r})",
                _ASKS.get(key, "replace it with what the data is") + f"; then remove '{MARKER}'",
                line,
                column,
            )
        )
    return problems


def has_placeholder(value: Any) -> bool:
    """Whether `describe` left a placeholder in `value` (a resource's key)."""
    return _marked(value)


def _marked(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_MARKED.search(value))
    if isinstance(value, dict):
        return any(_marked(v) for v in value.values())
    if isinstance(value, list):
        return any(_marked(v) for v in value)
    return False


def _first_marked(value: Any) -> str:
    if isinstance(value, str):
        return value
    items = value.values() if isinstance(value, dict) else value
    return next(_first_marked(v) for v in items if _marked(v))


def _locate(descriptor: Path, name: str) -> dict[str, tuple[int, int, str]]:
    """Line, column and text of the first placeholder under each key of resource `name`."""
    from ruamel.yaml import YAML

    try:
        doc = YAML().load(descriptor.read_text(encoding="utf-8"))
        res = next(r for r in doc["resources"] if r.get("name") == name)
    except Exception:  # the catalogue reports a broken descriptor itself
        return {}
    found: dict[str, tuple[int, int, str]] = {}
    for key in res:
        spot = _find_marked(res, key)
        if spot is not None:
            found[key] = spot
    return found


def _find_marked(container: Any, key: Any) -> tuple[int, int, str] | None:
    value = container[key]
    if isinstance(value, str):
        if not _MARKED.search(value):
            return None
        line, column = container.lc.value(key) if isinstance(key, str) else container.lc.item(key)
        return line + 1, column + 1, value
    if not isinstance(value, dict | list):
        return None
    children = value.keys() if isinstance(value, dict) else range(len(value))
    return next((s for k in children if (s := _find_marked(value, k)) is not None), None)


def resource_name(csv_path: Path) -> str:
    """The file's stem as a resource name: lowercase letters, digits and underscores."""
    from slugify import slugify

    return slugify(csv_path.stem, separator="_") or "table"


def infer_resource(
    csv_path: Path,
    data_dir: Path,
    shown: str,
    package_has_licence: bool,
    max_columns: int = Limits.max_columns,
) -> dict[str, Any]:
    """A resource entry for the CSV: Frictionless's schema, and placeholders for the rest.
    A file wider than `max_columns` is refused, as the build would refuse it."""
    import frictionless

    relative = csv_path.resolve().relative_to(data_dir.resolve()).as_posix()
    encoding = _encoding(csv_path, shown)
    delimiter = _delimiter(relative, data_dir, encoding)
    cells = _read_cells(csv_path, shown, delimiter, encoding)
    if len(cells[0]) > max_columns:
        raise DataError(
            Problem(
                shown,
                f"the header has {len(cells[0]):,} columns, over the limit of {max_columns:,}",
                "keep only the columns the charts use, or raise max_columns under the "
                "site-builder plugin in mkdocs.yml (see WRITING.md)",
                1,
            )
        )
    markers = _missing_markers(relative, data_dir, cells, encoding)
    resource = _describe(relative, data_dir, markers, encoding)
    fields: list[dict[str, Any]] = [
        {"name": f.name, "type": f.type} for f in resource.schema.fields
    ]
    for index, fld in enumerate(fields):
        column = [row[index] for row in cells[1:] if index < len(row)]
        _refine(fld, [v for v in column if v not in markers and v != ""], delimiter)
    schema: dict[str, Any] = {}
    key = _primary_key(fields, cells, markers)
    if key:
        schema["primaryKey"] = key[0] if len(key) == 1 else key
    if markers != [""]:
        schema["missingValues"] = markers
    schema["fields"] = fields
    entry: dict[str, Any] = {
        "name": resource_name(csv_path),
        "path": relative,
        "title": f"{MARKER}: {_ASKS['title']}",
        "description": f"{MARKER}: {_ASKS['description']}",
        "sources": [{"title": f"{MARKER}: who published the numbers, and when", "path": _TODO_URL}],
    }
    if not package_has_licence:
        entry["licenses"] = [
            {"name": f"{MARKER}: the licence of the data, e.g. CC-BY-4.0", "path": _TODO_URL}
        ]
    if encoding != "utf-8":  # the catalogue reads UTF-8 unless told
        entry["encoding"] = encoding
    if delimiter != ",":  # the catalogue reads commas unless told
        entry["dialect"] = {"delimiter": delimiter}
    entry["schema"] = schema
    # The entry must be one the catalogue accepts, placeholders aside.
    frictionless.Resource(entry, basepath=str(data_dir))
    return entry


_TODO_URL = f"https://example.com/{MARKER}"


def _encoding(csv_path: Path, shown: str) -> str:
    """UTF-8; or Windows-1252, which Excel on Windows writes for "CSV (Comma delimited)"
    (every byte of a UTF-8 file that is not one is read by it as a letter or a sign)."""
    raw = csv_path.read_bytes()
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        start = exc.start
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        raise DataError(
            Problem(
                shown,
                f"not valid UTF-8 (byte offset {start}), nor Windows-1252",
                "save it as UTF-8 (Excel: CSV UTF-8)",
            )
        ) from None
    return "cp1252"


def _delimiter(relative: str, data_dir: Path, encoding: str = "utf-8") -> str:
    """The delimiter Frictionless finds in the file (';' in many European exports)."""
    import frictionless

    dialect: Any = frictionless.describe(
        relative, basepath=str(data_dir), type="dialect", encoding=encoding
    )
    control = dialect.get_control("csv")
    return getattr(control, "delimiter", None) or ","


def _read_cells(
    csv_path: Path, shown: str, delimiter: str = ",", encoding: str = "utf-8"
) -> list[list[str]]:
    text = csv_path.read_text(encoding="utf-8-sig" if encoding == "utf-8" else encoding)
    cells = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(cells) < 2:
        raise DataError(
            Problem(shown, "the file has no rows to describe", "add a header row and data rows")
        )
    return cells


def _describe(relative: str, data_dir: Path, markers: list[str], encoding: str = "utf-8") -> Any:
    import frictionless

    detector = frictionless.Detector(
        sample_size=_SAMPLE_ROWS, field_confidence=1.0, field_missing_values=markers
    )
    return frictionless.describe(
        relative, basepath=str(data_dir), detector=detector, encoding=encoding
    )


def _missing_markers(
    relative: str, data_dir: Path, cells: list[list[str]], encoding: str = "utf-8"
) -> list[str]:
    """Markers such as 'n/a' that stand for no value in columns that are otherwise typed.

    A marker that is also text somewhere (the country code 'NA') is left alone.
    """
    rows = cells[1:]
    where: dict[str, set[int]] = {}
    for row in rows:
        for index, cell in enumerate(row):
            if cell in _MISSING_MARKERS:
                where.setdefault(cell, set()).add(index)
    if not where:
        return [""]
    typed = _describe(relative, data_dir, ["", *where], encoding).schema.fields
    kept = [
        m
        for m in _MISSING_MARKERS
        if m in where and all(i < len(typed) and typed[i].type != "string" for i in where[m])
    ]
    return ["", *kept]


def _refine(fld: dict[str, Any], values: list[str], delimiter: str = ",") -> None:
    """Formats Frictionless does not guess: months, day-first dates, '1,234', '5%' and '12,5'."""
    if fld["type"] == "yearmonth":  # not a type charts know: a date on the month's first day
        fld.update(type="date", format="%Y-%m")
        return
    if fld["type"] not in ("string", "geopoint") or not values:
        return
    from frictionless import fields

    # Frictionless takes '12,5' for a point (longitude, latitude): a decimal comma is likelier.
    # Where commas also part the cells, '1,234' is a thousand, unless another cell says not.
    european = delimiter != "," or not all(_SEPARATED.fullmatch(v) for v in values)
    commas = any("," in v for v in values)
    if european and commas and all(_DECIMAL_COMMA.fullmatch(v) for v in values):
        grouped = any("." in v for v in values)
        number = fields.NumberField(
            name=fld["name"], decimal_char=",", group_char="." if grouped else "", bare_number=False
        )
        if all(number.read_cell(v)[1] is None for v in values):
            fld.update(type="number", decimalChar=",")
            if grouped:
                fld["groupChar"] = "."
            if any(v.endswith("%") for v in values):
                fld["bareNumber"] = False
            return
    if fld["type"] != "string":
        return

    reads = [
        fmt
        for fmt in _DATE_FORMATS
        if all(
            fields.DateField(name=fld["name"], format=fmt).read_cell(v)[1] is None for v in values
        )
    ]
    if reads[:2] == ["%d/%m/%Y", "%m/%d/%Y"]:
        # Every day is 12 or less: 07/01/2019 is 7 January or 1 July. Not guessed.
        fld.update(
            type="date",
            format=f"{MARKER}: '%d/%m/%Y' if day first (31/12/2023), '%m/%d/%Y' if month first",
        )
        return
    if reads:
        fld.update(type="date", format=reads[0])
        return
    # Frictionless reads 'A1' as 1 with bareNumber off: take only separators and a trailing %.
    if not all(_SEPARATED.fullmatch(v) for v in values):
        return
    number = fields.NumberField(name=fld["name"], group_char=",", bare_number=False)
    if all(number.read_cell(v)[1] is None for v in values):
        fld["type"] = "number"
        if any("," in v for v in values):
            fld["groupChar"] = ","
        if any(v.endswith("%") for v in values):
            fld["bareNumber"] = False


def _primary_key(
    fields: list[dict[str, Any]], cells: list[list[str]], markers: list[str]
) -> list[str]:
    """The first column (or else pair of columns) that is filled and unique on every row."""
    rows = cells[1:]
    filled = [
        i
        for i, f in enumerate(fields)
        if f["type"] not in ("number", "boolean")
        and all(i < len(r) and r[i] not in markers for r in rows)
    ]
    # Labels and dates before whole numbers, which are more often measures than keys.
    labels = {i for i in filled if fields[i]["type"] != "integer"}
    pairs: list[tuple[int, ...]] = list(combinations(filled, 2))
    tiers: list[list[tuple[int, ...]]] = [
        [(i,) for i in filled if i in labels],
        [p for p in pairs if labels & set(p)],
        [(i,) for i in filled],
        pairs,
    ]
    for combo in (c for tier in tiers for c in tier):
        if rows and len({tuple(r[i] for i in combo) for r in rows}) == len(rows):
            return [fields[i]["name"] for i in combo]
    return []


def add_resource(descriptor: Path, shown: str, entry: dict[str, Any]) -> int:
    """Add the entry at the end of the descriptor's resources, keeping every other byte of it.

    Returns the line the entry starts on.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.util import load_yaml_guess_indent

    text = descriptor.read_text(encoding="utf-8") if descriptor.is_file() else ""
    doc: Any = None
    sequence_indent, offset = 4, 2
    if text:
        doc, sequence_indent, offset = load_yaml_guess_indent(text)
    yaml = YAML()
    yaml.indent(mapping=2, sequence=sequence_indent or 4, offset=offset or 2)
    yaml.width = 4096
    for existing in (doc if isinstance(doc, CommentedMap) else {}).get("resources") or []:
        if isinstance(existing, CommentedMap) and entry["path"] == existing.get("path"):
            line = existing.lc.line + 1
            raise DataError(
                Problem(
                    shown,
                    f"{entry['path']} is already described (resource '{existing.get('name')}')",
                    "edit that entry instead; to describe the file again, delete the entry first",
                    line,
                )
            )
        if isinstance(existing, CommentedMap) and entry["name"] == existing.get("name"):
            raise DataError(
                Problem(
                    shown,
                    f"resource '{entry['name']}' already exists",
                    "rename the CSV file, or the existing resource",
                    existing.lc.line + 1,
                )
            )
    block = CommentedMap(entry)
    if "dialect" in entry:  # one line, as the hints write it: dialect: {delimiter: ';'}
        block["dialect"] = CommentedMap(entry["dialect"])
        block["dialect"].fa.set_flow_style()
    block["schema"] = CommentedMap(entry["schema"])
    for key in ("primaryKey", "missingValues"):
        if isinstance(block["schema"].get(key), list):
            block["schema"][key] = CommentedSeq(block["schema"][key])
            block["schema"][key].fa.set_flow_style()
    fields = CommentedSeq()
    for fld in entry["schema"]["fields"]:
        flow = CommentedMap(fld)
        flow.fa.set_flow_style()  # one line per column, as the sample's descriptor has them
        fields.append(flow)
    block["schema"]["fields"] = fields
    out = io.StringIO()
    yaml.dump({"resources": [block]}, out)
    lines = out.getvalue().splitlines(keepends=True)[1:]  # without 'resources:'
    if not isinstance(doc, CommentedMap) or not doc.get("resources"):
        return _rewrite(descriptor, doc, yaml, block)
    keys = list(doc)
    after = keys[keys.index("resources") + 1 :]
    original = text.splitlines(keepends=True)
    if original and not original[-1].endswith("\n"):
        original[-1] += "\n"
    at = doc.lc.key(after[0])[0] if after else len(original)
    # Blank lines and comments just above the next key belong to it.
    while after and at > 0 and original[at - 1].strip()[:1] in ("", "#"):
        at -= 1
    new = original[:at] + lines + original[at:]
    descriptor.write_text("".join(new), encoding="utf-8")
    return at + 1


def _rewrite(descriptor: Path, doc: Any, yaml: Any, block: Any) -> int:
    """A descriptor with no resources yet: write it whole, with the first one."""
    from ruamel.yaml.comments import CommentedMap

    doc = doc if isinstance(doc, dict) else CommentedMap(name="data")
    doc["resources"] = [block]
    out = io.StringIO()
    yaml.dump(doc, out)
    descriptor.write_text(out.getvalue(), encoding="utf-8")
    return next(i for i, ln in enumerate(out.getvalue().splitlines(), 1) if "- name:" in ln)
