"""The data package loaded: `data/datapackage.yaml` and the files it names -> the catalogue.

Each resource in turn: its description checked; its file read once, and every later step
working on those bytes: the table cache, the raw checks (csvcheck.py), the typed table
(fastload.py, or else the validator, validator.py), the checks a schema cannot express
(cellcheck.py, rowsources.py). Every problem of every resource is collected, then raised once.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import TableCache
from .catalog import Catalog, Dataset, Field, digest_of, make_dataset, sources_of
from .cellcheck import check_cells, check_lengths, check_rows
from .csvcheck import RawCheck, check_raw, read_file
from .describe import has_placeholder, placeholder_problems
from .descriptor import (
    Limits,
    Positions,
    check_metadata,
    check_name,
    is_json,
    licence_problems,
    read_descriptor,
    require_key_fields,
    resource_path,
    total_size_problem,
)
from .descriptorkeys import misplaced_keys
from .errors import DataError, Problem, Problems
from .paths import inside, outside_problem, shown_path
from .rowsources import check_row_sources
from .validator import described, fields_of, read_rows, validate, validated_package

if TYPE_CHECKING:  # imported when a table is read: a rebuild from the snapshot needs none
    import pandas as pd

log = logging.getLogger("site_builder")


@dataclass
class _Package:
    """What every resource's steps need to know of the package."""

    data_dir: Path
    root: Path
    shown: str  # the descriptor, as the writer sees it
    licenses: list[Any]
    cache: TableCache | None
    limits: Limits
    described: dict[str, Dataset]  # datasets whose description passed, unchanged since


@dataclass
class _Table:
    """One CSV on its way to a dataset."""

    res: dict[str, Any]
    raw: bytes  # the file's bytes: read once, used by every step
    shown: str
    checked: RawCheck | None = None
    dataset: Dataset | None = None
    for_validator: bool = False  # the fast path did not take it


def load_catalog(
    data_dir: Path,
    root: Path,
    cache: TableCache | None = None,
    limits: Limits | None = None,
    only: set[str] | None = None,
    described: dict[str, Dataset] | None = None,
) -> Catalog:
    """Read and validate every resource of `data_dir/datapackage.yaml`; all problems at once.

    With a cache, a table whose file and description are unchanged is taken from it. With
    `only`, just those resources; with `described`, the last build's datasets, whose
    descriptions are unchanged (a rebuild after tables changed, partial.py).
    """
    descriptor_file = data_dir / "datapackage.yaml"
    if not inside(descriptor_file, root):
        raise DataError(outside_problem(descriptor_file, root))
    shown = shown_path(str(descriptor_file), root)
    descriptor, text = read_descriptor(descriptor_file, shown, cache.folder if cache else None)
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataError(
            Problem(shown, "no resources are described", "add one entry under 'resources:' per CSV")
        )
    licenses = descriptor.get("licenses") or []
    package = _Package(data_dir, root, shown, licenses, cache, limits or Limits(), described or {})
    positions = Positions(text)
    problems = Problems()
    # A misspelt title or description is said where it is missed (check_metadata).
    unread = misplaced_keys(descriptor, text, shown, frozenset({"title", "description"}))
    problems.add_all(unread.get(0, []))
    for i, message, hint in licence_problems(
        licenses if isinstance(licenses, list) else [], "the package"
    ):
        problems.add(Problem(shown, message, hint, *positions.top("licenses", i)))
    paths = _checked_paths(resources, package, positions, problems, only)  # all: the total size
    catalog = Catalog(descriptor_path=shown, title=str(descriptor.get("title", "")))
    tables: list[_Table] = []
    seen: set[str] = set()
    for index, res in enumerate(resources, start=1):
        if only is not None and (not isinstance(res, dict) or res.get("name") not in only):
            continue
        name = _check_description(res, index, seen, descriptor_file, package, positions, problems)
        if index in unread:  # its table would be read without what those keys say
            problems.add_all(unread[index])
            continue
        if name is None or index not in paths:
            continue  # no name, or its path was refused
        if is_json(res):
            document = _load_json(res, paths[index], package, problems)
            if document is not None:
                catalog.datasets[name] = document
            continue
        table = _load_table(res, paths[index], package, problems, _schema_spot(positions, index))
        if table is None:
            continue
        if table.dataset is not None:
            catalog.datasets[name] = table.dataset
        tables.append(table)
    if any(t.for_validator for t in tables):
        names = {str(r.get("name")) for r in resources if isinstance(r, dict)}
        loaded = set(catalog.datasets) | {t.res["name"] for t in tables}
        _validate(tables, package, problems, names - loaded)
        for table in tables:
            if table.for_validator and table.dataset is not None:
                catalog.datasets[table.res["name"]] = table.dataset
    problems.raise_if_any(DataError)
    log.debug("catalogue: %d datasets", len(catalog.datasets))
    return catalog


def _checked_paths(
    resources: list[Any],
    package: _Package,
    positions: Positions,
    problems: Problems,
    only: set[str] | None = None,
) -> dict[int, Path]:
    """Every file's path is checked, and their sizes added up, before any is opened. With
    `only`, the others' paths (checked by the last build, from the same descriptor, and not
    read now) are taken as written, for their sizes: resolving 1,000 of them was most of a
    preview's table load."""
    paths: dict[int, Path] = {}
    others: list[str] = []  # not read now: only their sizes count
    data_dir = str(package.data_dir)
    for index, res in enumerate(resources, start=1):
        if not isinstance(res, dict) or not res.get("name"):
            continue
        if only is not None and res["name"] not in only and isinstance(res.get("path"), str):
            others.append(os.path.join(data_dir, res["path"]))  # no Path: 1,000 took 0.07 s
            continue
        where = f"resource '{res['name']}'"
        checked = resource_path(
            res, package.data_dir, package.root, package.shown, where, index, positions
        )
        if isinstance(checked, Problem):
            problems.add(checked)
        else:
            paths[index] = checked
    files: list[Path | str] = [*paths.values(), *others]
    too_big = total_size_problem(files, package.limits.max_data_mb, package.shown)
    if too_big:
        raise DataError(too_big)
    return paths


def _check_description(
    res: Any,
    index: int,
    seen: set[str],
    descriptor_file: Path,
    package: _Package,
    positions: Positions,
    problems: Problems,
) -> str | None:
    """The resource's name, once its description is checked; None when it has no usable
    name."""
    shown = package.shown
    name = res.get("name") if isinstance(res, dict) else None
    where = f"resource '{name}'" if name else f"resource #{index}"
    if not isinstance(res, dict) or not name:
        problems.add(Problem(shown, f"{where} has no name", "give every resource a 'name:'"))
        return None
    if name in seen:
        problems.add(
            Problem(shown, f"{where} is described twice", "give each resource a unique name")
        )
        return None
    seen.add(name)
    bad_name = check_name(str(name), shown, where, index, positions)
    if bad_name:
        problems.add(bad_name)
    problems.add_all(check_metadata(res, package.licenses, shown, where, index, positions))
    # What `site-builder describe` left for the writer to fill in, at its line.
    problems.add_all(placeholder_problems(res, descriptor_file, shown, where))
    if has_placeholder(res.get("schema")):
        return None  # its cells would each be refused too: the placeholder says it all
    return str(name)


def _load_json(
    res: dict[str, Any], path: Path, package: _Package, problems: Problems
) -> Dataset | None:
    shown = shown_path(str(path), package.root)
    raw = path.read_bytes()
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        problems.add(Problem(shown, f"not valid JSON: {exc}", "re-export the file", line, column))
        return None
    except RecursionError:
        problems.add(
            Problem(
                shown,
                "the JSON is nested too deeply to read (lists or objects inside one another "
                "thousands of levels down)",
                "re-export the file: map boundaries and tables need a few levels only",
            )
        )
        return None
    import pandas as pd

    return make_dataset(res, package.licenses, shown, raw, [], [], pd.DataFrame(), document)


def _load_table(
    res: dict[str, Any],
    path: Path,
    package: _Package,
    problems: Problems,
    schema_spot: Callable[[str], tuple[int | None, int | None]] = lambda _: (None, None),
) -> _Table | None:
    """One CSV's steps: read, from the cache or else described, checked raw and typed by the
    fast path. None when it goes no further (its problems are collected). `schema_spot`: where
    in the descriptor the resource's schema has a text (its whole schema for "")."""
    require_key_fields(res)
    res.setdefault("encoding", "utf-8")
    shown = shown_path(str(path), package.root)
    raw = read_file(path, shown)
    if isinstance(raw, Problem):
        problems.add(raw)
        return None
    table = _Table(res, raw, shown)
    table.dataset = _cached(table, package)
    if table.dataset is not None:
        return table  # other tables' foreign keys may refer to it
    schema = _schema(res, package)
    if isinstance(schema, Problem):
        # At the value the validator names ('field type "numbr"'), or at the schema.
        quoted = re.search(r'"([^"]+)"', schema.message)
        line, column = schema_spot(quoted.group(1) if quoted else "")
        problems.add(dataclasses.replace(schema, line=line, column=column))
        return None
    fields, key = schema
    dialect = res["dialect"] if isinstance(res.get("dialect"), dict) else {}
    checked = check_raw(
        raw,
        shown,
        encoding=str(res["encoding"]),
        delimiter=str(dialect.get("delimiter", ",")),
        quote=str(dialect.get("quoteChar", '"')),
        max_columns=package.limits.max_columns,
    )
    if checked.problems:
        problems.add_all(checked.problems)
        return None
    table.checked = checked
    frame = typed_frame(res, checked)
    if frame is None:  # the validator's messages count the column's cells
        table.for_validator = True
        return table
    checked.records, checked.text = [], ""  # no longer needed; a big table's cells hold memory
    # Only text cells can be suspicious here: the fast path took no NaN or infinity.
    nothing = [None] * len(frame)
    columns = {
        f.name: frame[f.name].astype(object).where(frame[f.name].notna(), None).tolist()
        if f.type == "string"
        else nothing
        for f in fields
    }
    rows = list(range(2, len(frame) + 2))
    table.dataset = _checked_dataset(fields, key, table, frame, columns, rows, package, problems)
    if table.dataset is not None and package.cache is not None:
        ds = table.dataset
        package.cache.put(table_key(ds.digest, package.limits), ds.fields, ds.primary_key, frame)
    return table


def _schema(res: dict[str, Any], package: _Package) -> tuple[list[Field], list[str]] | Problem:
    """The resource's fields and key: as the last build found them when its description is
    unchanged since (the validator is then not even imported), else the validator's."""
    known = package.described.get(res["name"])
    if known is not None:
        return known.fields, known.primary_key
    return described(res, package.shown)


def _cached(table: _Table, package: _Package) -> Dataset | None:
    """The dataset from the cache, when its file and description are as they were."""
    res = table.res
    if package.cache is None or (res.get("schema") or {}).get("foreignKeys"):
        return None
    hit = package.cache.get(table_key(digest_of(res, table.raw), package.limits))
    if hit is None:
        return None
    fields, key, frame = hit
    return make_dataset(res, package.licenses, table.shown, table.raw, fields, key, frame)


def typed_frame(res: dict[str, Any], raw: RawCheck) -> pd.DataFrame | None:
    """fastload's typed table, imported once a table is read: pandas and Arrow take a second
    to import, which a rebuild from the snapshot does without."""
    from . import fastload

    return fastload.typed_frame(res, raw)


def table_key(digest: str, limits: Limits) -> str:
    """A table's name in the table cache: it passed the checks under these limits; lower ones
    must check it again."""
    return f"{digest}:{limits.max_columns}:{limits.max_cell_chars}"


def _validate(
    tables: list[_Table], package: _Package, problems: Problems, failed: set[str]
) -> None:
    """The tables the fast path left, through the validator, each given its dataset if it
    passes: validated as one package with the others, so that foreign keys can refer to them."""
    described_package = validated_package([(t.res, t.raw) for t in tables])
    for table in tables:
        if not table.for_validator:
            continue
        assert table.checked is not None
        if _refers_to_failed(table.res, failed):
            continue  # the table it refers to failed, and says so: nothing to check it against
        resource = described_package.get_resource(table.res["name"])
        found = validate(resource, table.shown, table.checked, package.shown)
        if found:
            problems.add_all(found)
            continue
        frame, columns, rows = read_rows(resource)
        fields, key = fields_of(resource), list(resource.schema.primary_key)
        table.dataset = _checked_dataset(
            fields, key, table, frame, columns, rows, package, problems
        )


def _schema_spot(
    positions: Positions, index: int
) -> Callable[[str], tuple[int | None, int | None]]:
    """Where resource `index`'s schema has a text (the first line from the schema's on that
    holds it), or where its schema begins."""

    def spot(text: str) -> tuple[int | None, int | None]:
        start, column = positions.of(index, "schema")
        if start is None or not text:
            return start, column
        lines = list(enumerate(positions.text.splitlines()[start - 1 :], start))
        keyed = re.compile(rf"\btype:\s*['\"]?{re.escape(text)}\b")
        for number, line in [(n, ln) for n, ln in lines if keyed.search(ln)] + lines:
            if text in line:
                return number, line.index(text) + 1
        return start, column

    return spot


def _refers_to_failed(res: dict[str, Any], failed: set[str]) -> bool:
    schema = res.get("schema")
    keys = schema.get("foreignKeys") if isinstance(schema, dict) else None
    for key in keys if isinstance(keys, list) else []:
        reference = key.get("reference") if isinstance(key, dict) else None
        if isinstance(reference, dict) and reference.get("resource") in failed:
            return True
    return False


def _checked_dataset(
    fields: list[Field],
    key: list[str],
    table: _Table,
    frame: pd.DataFrame,
    columns: dict[str, list[Any]],
    rows: list[int],
    package: _Package,
    problems: Problems,
) -> Dataset | None:
    """A typed table, once it passes the checks a schema cannot express (the first that
    fails says why)."""
    assert table.checked is not None
    line_of = table.checked.line_of
    for check in (
        lambda: check_rows(len(rows), table.res, table.shown),
        lambda: check_lengths(frame, fields, package.limits.max_cell_chars, table.shown, line_of),
        lambda: check_cells(fields, columns, rows, key, table.shown, line_of),
        lambda: check_row_sources(
            table.res,
            sources_of(table.res),
            frame,
            [f.name for f in fields],
            table.shown,
            package.shown,
            line_of,
        ),
    ):
        found = check()
        if found:
            problems.add_all(found)
            return None
    return make_dataset(table.res, package.licenses, table.shown, table.raw, fields, key, frame)
