"""The data package: `data/datapackage.yaml` + CSV files -> validated, typed pandas tables."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .cache import TableCache
from .cellcheck import check_cells
from .cellhints import type_hint
from .csvcheck import MAX_BYTES, RawCheck, check_raw
from .describe import placeholder_problems
from .descriptor import Limits, Positions, check_name, resource_path, total_size_problem
from .errors import DataError, Problem, yaml_problem
from .paths import inside, outside_problem
from .rowsources import check_row_sources
from .urls import is_web_url

if TYPE_CHECKING:  # imported when a table is read: a rebuild from the snapshot needs none
    import pandas as pd

log = logging.getLogger("site_builder")


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    name: str = ""  # what a row-sources column calls it (see rowsources.py)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str = ""
    unit: str = ""

    @property
    def label(self) -> str:
        """Column heading for readers: title plus unit."""
        return f"{self.title} ({self.unit})" if self.unit else self.title


@dataclass
class Dataset:
    """One validated table and what readers need to know about it."""

    name: str
    path: str  # as the writer sees it, relative to the project root
    title: str
    description: str
    sources: list[Source]
    licenses: list[dict[str, str]]
    fields: list[Field]
    primary_key: list[str]
    frame: pd.DataFrame  # None in a project taken from the snapshot (snapshot.py)
    digest: str  # hash of the file and its schema: changes when either does
    document: Any = None  # parsed JSON, for JSON resources (map boundaries); None for tables
    encoding: str = "utf-8"  # of the file, as the resource declares it
    dialect: dict[str, str] = field(default_factory=dict)  # delimiter and quote, if declared
    row_sources: str = ""  # the column naming each row's sources (rowSources), if any
    download_as_is: bool | None = None  # known already: the file needs no defusing
    rows: int = 0  # kept when the frame is not (snapshot.py)

    @property
    def row_count(self) -> int:
        return len(self.frame) if self.frame is not None else self.rows

    @property
    def is_table(self) -> bool:
        return self.document is None

    def for_chart(self) -> Any:
        """A fresh copy for a chart or fact function, so one cannot change another's data."""
        return self.frame.copy() if self.is_table else copy.deepcopy(self.document)


@dataclass
class Catalog:
    descriptor_path: str
    title: str
    datasets: dict[str, Dataset] = field(default_factory=dict)

    def names(self) -> list[str]:
        return sorted(self.datasets)


def load_catalog(
    data_dir: Path, root: Path, cache: TableCache | None = None, limits: Limits | None = None
) -> Catalog:
    """Read and validate every resource of `data_dir/datapackage.yaml`; all problems at once.

    With a cache, a table whose file and description are unchanged is taken from it.
    """
    limits = limits or Limits()
    descriptor_file = data_dir / "datapackage.yaml"
    if not inside(descriptor_file, root):
        raise DataError(outside_problem(descriptor_file, root))
    shown = _shown_path(descriptor_file, root)
    descriptor, text = _read_descriptor(descriptor_file, shown)
    positions = Positions(text)

    problems: list[Problem] = []
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataError(
            Problem(shown, "no resources are described", "add one entry under 'resources:' per CSV")
        )
    package_licenses = descriptor.get("licenses") or []
    catalog = Catalog(descriptor_path=shown, title=str(descriptor.get("title", "")))
    tables: list[tuple[dict[str, Any], Path, str, RawCheck]] = []  # for the validator
    plain: list[dict[str, Any]] = []  # loaded by the fast path: only referred to
    seen: set[str] = set()
    # Every file's path is checked, and their sizes added up, before any is opened.
    paths: dict[int, Path] = {}
    for index, res in enumerate(resources, start=1):
        if not isinstance(res, dict) or not res.get("name"):
            continue
        where = f"resource '{res['name']}'"
        checked = resource_path(res, data_dir, root, shown, where, index, positions)
        if isinstance(checked, Problem):
            problems.append(checked)
        else:
            paths[index] = checked
    too_big = total_size_problem(list(paths.values()), limits.max_data_mb, shown)
    if too_big:
        raise DataError(too_big)
    for index, res in enumerate(resources, start=1):
        name = res.get("name") if isinstance(res, dict) else None
        where = f"resource '{name}'" if name else f"resource #{index}"
        if not isinstance(res, dict) or not name:
            problems.append(Problem(shown, f"{where} has no name", "give every resource a 'name:'"))
            continue
        if name in seen:
            problems.append(
                Problem(shown, f"{where} is described twice", "give each resource a unique name")
            )
            continue
        seen.add(name)
        bad_name = check_name(str(name), shown, where, index, positions)
        if bad_name:
            problems.append(bad_name)
        problems.extend(_check_metadata(res, package_licenses, shown, where))
        # What `site-builder describe` left for the writer to fill in, at its line.
        problems.extend(placeholder_problems(res, descriptor_file, shown, where))
        if index not in paths:
            continue  # its path was refused above
        if _is_json(res):
            try:
                catalog.datasets[name] = _load_json(res, package_licenses, paths[index], root)
            except DataError as exc:
                problems.extend(exc.problems)
            continue
        _require_primary_key_fields(res)
        res.setdefault("encoding", "utf-8")
        csv_path = paths[index]
        csv_shown = _shown_path(csv_path, root)
        known = _cached(cache, res, package_licenses, csv_path, csv_shown, limits)
        if known is not None:
            catalog.datasets[name] = known
            plain.append(res)  # other tables' foreign keys may refer to it
            continue
        import frictionless  # slow to import: only for a table that is not in the cache

        try:
            described = frictionless.Resource(res, basepath=str(data_dir))  # a valid descriptor?
        except frictionless.FrictionlessException as exc:
            problems.append(
                Problem(shown, f"{where}: {exc.error.note or exc.error.message}", _SCHEMA_HINT)
            )
            continue
        dialect = res["dialect"] if isinstance(res.get("dialect"), dict) else {}
        raw = check_raw(
            csv_path,
            csv_shown,
            encoding=str(res["encoding"]),
            delimiter=str(dialect.get("delimiter", ",")),
            quote=str(dialect.get("quoteChar", '"')),
            max_columns=limits.max_columns,
        )
        if raw.problems:
            problems.extend(raw.problems)
            continue
        frame = typed_frame(res, raw)
        raw.records, raw.text = [], ""  # no longer needed; a big table's cells hold memory
        if frame is None:
            tables.append((res, csv_path, csv_shown, raw))
            continue
        try:
            ds = _typed_dataset(
                described, res, package_licenses, csv_path, csv_shown, raw, limits, frame, shown
            )
        except DataError as exc:
            problems.extend(exc.problems)
        else:
            catalog.datasets[name] = ds
            if cache is not None:
                cache.put(_cache_key(ds.digest, limits), ds.fields, ds.primary_key, ds.frame)
        plain.append(res)

    if not tables:
        if problems:
            raise DataError(problems)
        return catalog
    # Validated as one package, so that foreign keys can refer to other tables.
    import frictionless

    package = frictionless.Package(
        {"resources": [t[0] for t in tables] + plain}, basepath=str(data_dir)
    )
    for res, csv_path, csv_shown, raw in tables:
        resource = package.get_resource(res["name"])
        try:
            found = _validate_resource(resource, csv_shown, raw)
        except re.error as exc:  # a schema pattern Python cannot compile
            found = [
                Problem(
                    shown,
                    f"resource '{res['name']}': a pattern is not a valid regular expression "
                    f"({exc})",
                    "fix the field's 'pattern:' constraint (Python regular expressions)",
                )
            ]
        if found:
            problems.extend(found)
            continue
        try:
            catalog.datasets[res["name"]] = _typed_dataset(
                resource, res, package_licenses, csv_path, csv_shown, raw, limits, None, shown
            )
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    log.debug("catalogue: %d datasets", len(catalog.datasets))
    return catalog


def _cached(
    cache: TableCache | None,
    res: dict[str, Any],
    package_licenses: list[Any],
    csv_path: Path,
    csv_shown: str,
    limits: Limits,
) -> Dataset | None:
    """The dataset from the cache, when its file and description are as they were."""
    if cache is None or not csv_path.is_file() or (res.get("schema") or {}).get("foreignKeys"):
        return None
    if csv_path.stat().st_size > MAX_BYTES:
        return None  # let the check say so
    raw = csv_path.read_bytes()
    hit = cache.get(_cache_key(_digest(res, raw), limits))
    if hit is None:
        return None
    fields, key, frame = hit
    return _dataset(res, package_licenses, csv_shown, raw, fields, key, frame)


def typed_frame(res: dict[str, Any], raw: RawCheck) -> pd.DataFrame | None:
    """fastload's typed table, imported once a table is read: pandas and Arrow take a second
    to import, which a rebuild from the snapshot does without."""
    from . import fastload

    return fastload.typed_frame(res, raw)


def _cache_key(digest: str, limits: Limits) -> str:
    """A table passed the checks under these limits; lower ones must check it again."""
    return f"{digest}:{limits.max_columns}:{limits.max_cell_chars}"


def _is_json(res: dict[str, Any]) -> bool:
    """JSON resources (e.g. TopoJSON boundaries for maps) are passed to charts as parsed JSON."""
    fmt = str(res.get("format", "")).lower()
    return fmt in ("json", "topojson", "geojson") or str(res.get("path", "")).endswith(
        (".json", ".topojson", ".geojson")
    )


def _load_json(res: dict[str, Any], package_licenses: list[Any], path: Path, root: Path) -> Dataset:
    shown = _shown_path(path, root)
    raw = path.read_bytes()
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        raise DataError(
            Problem(shown, f"not valid JSON: {exc}", "re-export the file", line, column)
        ) from None
    import pandas as pd

    return _dataset(res, package_licenses, shown, raw, [], [], pd.DataFrame(), document)


def _sources(res: dict[str, Any]) -> list[Source]:
    return [
        Source(
            title=str(s.get("title") or s.get("path") or s.get("url")),
            url=str(s.get("path") or s.get("url")),
            name=str(s.get("name") or ""),
        )
        for s in res.get("sources") or []
        if isinstance(s, dict)
    ]


def resource_names(data_dir: Path, root: Path) -> list[str] | None:
    """The names the descriptor declares, even when its tables do not validate; None when the
    descriptor itself cannot be read (its error says so: the names are then unknown, and the
    charts and pages that use them must not each get an error of their own)."""
    path = data_dir / "datapackage.yaml"
    if not path.exists():
        return []
    if not inside(path, root):
        return None
    try:
        descriptor = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [str(r["name"]) for r in descriptor["resources"] if r.get("name")]
    except Exception:
        return None


_HEADER_MESSAGES = {
    "duplicate-label": "column name '{label}' is used twice (again at position {column})",
    "blank-label": "column {column} has no name",
    "incorrect-label": "column {column} is named '{label}' but the schema says '{expected}'",
    "missing-label": "the schema's field '{expected}' has no column",
    "extra-label": "column {column} ('{label}') is not in the schema",
}

_SCHEMA_HINT = (
    "see the Table Schema reference: field types are string, number, integer, boolean, "
    "date, datetime, year"
)


def _shown_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _fast_yaml(text: str) -> Any:
    """libyaml when it is there (ten times faster on a big descriptor); errors as PyYAML words
    them."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _read_descriptor(path: Path, shown: str) -> tuple[dict[str, Any], str]:
    if not path.is_file():
        raise DataError(
            Problem(shown, "the data package descriptor is missing", "create it (see WRITING.md)")
        )
    try:
        text = path.read_text(encoding="utf-8")
        descriptor = _fast_yaml(text)
    except yaml.YAMLError as exc:
        raise DataError(
            yaml_problem(exc, shown, "check indentation and quotes around values that contain ':'")
        ) from None
    except UnicodeDecodeError:
        raise DataError(Problem(shown, "not UTF-8 text", "save the file as UTF-8")) from None
    if not isinstance(descriptor, dict):
        raise DataError(Problem(shown, "expected a mapping with 'resources:'", _SCHEMA_HINT))
    return descriptor, text


def _check_metadata(
    res: dict[str, Any], package_licenses: list[Any], shown: str, where: str
) -> list[Problem]:
    """Readers must be told what a table is and where it comes from."""
    problems = []
    for key in ("title", "description"):
        if not str(res.get(key) or "").strip():
            problems.append(
                Problem(shown, f"{where} has no {key}", f"add '{key}:' to the resource")
            )
    sources = res.get("sources") or []
    if not sources:
        problems.append(
            Problem(
                shown,
                f"{where} has no sources",
                "add 'sources:' with a title and a path (https URL) for each source",
            )
        )
    for source in sources:
        source = source if isinstance(source, dict) else {"title": str(source)}
        url = str(source.get("path") or source.get("url") or "")
        if not is_web_url(url):
            problems.append(
                Problem(
                    shown,
                    f"{where}: source '{source.get('title', '')}' has no http(s) URL ({url!r})",
                    "give each source a 'title:' and a 'path:' starting with https://",
                )
            )
    if not (res.get("licenses") or package_licenses):
        problems.append(
            Problem(shown, f"{where} has no licence", "add 'licenses:' to the package or resource")
        )
    return problems


def _require_primary_key_fields(res: dict[str, Any]) -> None:
    """A key with an empty part identifies nothing: make key fields required."""
    schema = res.get("schema")
    if not isinstance(schema, dict):
        return
    key = schema.get("primaryKey") or []
    key = [key] if isinstance(key, str) else key
    for fld in schema.get("fields") or []:
        if isinstance(fld, dict) and fld.get("name") in key:
            fld.setdefault("constraints", {}).setdefault("required", True)


def _validate_resource(resource: Any, csv_shown: str, raw: RawCheck) -> list[Problem]:
    report = resource.validate(limit_errors=1000)
    problems = []
    blank_rows = set()
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            if error.type == "blank-row":
                blank_rows.add(row)
            elif error.type == "primary-key" and row in blank_rows:
                continue  # the blank row already says it all
            problems.append(_problem_from(error, resource, csv_shown, raw))
    return problems


def _problem_from(error: Any, resource: Any, csv_shown: str, raw: RawCheck) -> Problem:
    """Our message and hint for one of the validator's errors, at the physical line."""
    problem = _describe_error(error, resource, csv_shown)
    record = getattr(error, "row_number", None)
    line = raw.line_of(record) if problem.line == record else problem.line
    if line == problem.line:
        return problem
    # A quoted cell spans lines: name the line, and the record the validator counted.
    return Problem(
        problem.path, f"{problem.message} (record {record})", problem.hint, line, problem.column
    )


def _describe_error(error: Any, resource: Any, csv_shown: str) -> Problem:
    kind = error.type
    row = getattr(error, "row_number", None)
    col = getattr(error, "field_number", None)
    name = getattr(error, "field_name", None) or getattr(error, "label", None)
    cell = getattr(error, "cell", None)
    note = error.note or ""
    if kind == "type-error":
        ftype = resource.schema.get_field(name).type if name else "value"
        return Problem(
            csv_shown,
            f"column '{name}': {cell!r} is not a valid {ftype}",
            type_hint(ftype, cell),
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


def _typed_dataset(
    resource: Any,
    res: dict[str, Any],
    package_licenses: list[Any],
    csv_path: Path,
    csv_shown: str,
    raw: RawCheck,
    limits: Limits,
    frame: pd.DataFrame | None = None,
    descriptor_shown: str = "",
) -> Dataset:
    """A table that passed: typed by the fast path (`frame`), or else read row by row from
    the validator; then the checks a schema cannot express."""
    fields = resource.schema.fields
    if frame is None:
        columns: dict[str, list[Any]] = {f.name: [] for f in fields}
        row_numbers: list[int] = []
        with resource:
            for row in resource.row_stream:
                row_numbers.append(row.row_number)
                for f in fields:
                    columns[f.name].append(row[f.name])
        import pandas as pd

        frame = pd.DataFrame({f.name: _to_series(columns[f.name], f.type) for f in fields})
    else:
        row_numbers = list(range(2, len(frame) + 2))
        # Only text cells can be suspicious here: the fast path took no NaN or infinity.
        nothing = [None] * len(frame)
        columns = {
            f.name: frame[f.name].astype(object).where(frame[f.name].notna(), None).tolist()
            if f.type == "string"
            else nothing
            for f in fields
        }
    _require_rows(len(row_numbers), res, csv_shown)
    _raise_long_cells(frame, fields, limits.max_cell_chars, csv_shown, raw)
    _raise_cell_problems(resource, columns, row_numbers, csv_shown, raw)
    names = [f.name for f in fields]
    found = check_row_sources(
        res, _sources(res), frame, names, csv_shown, descriptor_shown, raw.line_of
    )
    if found:
        raise DataError(found)
    return _table_dataset(resource, res, package_licenses, csv_path, csv_shown, frame)


def _require_rows(count: int, res: dict[str, Any], csv_shown: str) -> None:
    if not count and not res.get("allowEmpty"):
        raise DataError(
            Problem(
                csv_shown,
                "the file has a header but no rows",
                "add rows, or set 'allowEmpty: true' on the resource if it is meant to be empty",
                1,
            )
        )


def _raise_long_cells(
    frame: pd.DataFrame, fields: list[Any], limit: int, csv_shown: str, raw: RawCheck
) -> None:
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
                csv_shown,
                f"column '{f.name}': a cell of {int(lengths[at]):,} characters, over the limit "
                f"of {limit:,}",
                "shorten it (no reader takes in a label or cell that long), or raise "
                "max_cell_chars under the site-builder plugin in mkdocs.yml (see WRITING.md)",
                raw.line_of(at + 2),
                position,
            )
        )
    if problems:
        raise DataError(problems)


def _raise_cell_problems(
    resource: Any,
    columns: dict[str, list[Any]],
    row_numbers: list[int],
    csv_shown: str,
    raw: RawCheck,
) -> None:
    problems = check_cells(
        resource.schema.fields,
        columns,
        row_numbers,
        resource.schema.primary_key,
        csv_shown,
        raw.line_of,
    )
    if problems:
        raise DataError(problems)


def _table_dataset(
    resource: Any,
    res: dict[str, Any],
    package_licenses: list[Any],
    csv_path: Path,
    csv_shown: str,
    frame: pd.DataFrame,
) -> Dataset:
    fields = [
        Field(
            name=f.name,
            type=f.type,
            title=f.title or f.name,
            description=f.description or "",
            unit=str(f.custom.get("unit", "")),
        )
        for f in resource.schema.fields
    ]
    return _dataset(
        res,
        package_licenses,
        csv_shown,
        csv_path.read_bytes(),
        fields,
        list(resource.schema.primary_key),
        frame,
    )


def _dataset(
    res: dict[str, Any],
    package_licenses: list[Any],
    shown: str,
    raw: bytes,
    fields: list[Field],
    primary_key: list[str],
    frame: pd.DataFrame,
    document: Any = None,
) -> Dataset:
    """A dataset with its metadata; its digest covers the file and its description."""
    return Dataset(
        name=res["name"],
        path=shown,
        title=str(res.get("title", "")),
        description=str(res.get("description", "")),
        sources=_sources(res),
        licenses=list(res.get("licenses") or package_licenses),
        fields=fields,
        primary_key=primary_key,
        frame=frame,
        digest=_digest(res, raw),
        document=document,
        encoding=str(res.get("encoding") or "utf-8"),
        dialect={
            k: str(v)
            for k, v in (res.get("dialect") or {}).items()
            if k in ("delimiter", "quoteChar")
        },
        row_sources=str(res.get("rowSources") or ""),
    )


def _digest(res: dict[str, Any], raw: bytes) -> str:
    digest = hashlib.sha256(raw)
    digest.update(json.dumps(res, sort_keys=True, default=str).encode())
    return digest.hexdigest()


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
