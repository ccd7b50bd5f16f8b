"""Sources per row: a table may say, row by row, which of its sources each figure comes from;
a figure then credits only the sources of the rows it draws.

Declared on a resource in `datapackage.yaml` as `rowSources: <column>`. Each cell of that
column names one or more of the resource's sources, by the source's `name:` or by its `path:`
(its URL), separated by `;`. An empty cell names none.

Which rows a chart draws: its Vega-Lite spec is compiled to Vega and evaluated by VegaFusion
(the library the build already uses for big tables), with a row number added to every inline
table, so filters, lookups and every other transform count exactly as the chart applies
them. A mark that draws an aggregate counts the rows that went into it.
When that cannot be worked out, every inline row counts: a figure may then credit a source
too many, never one too few.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import read_entry, tool_digest, write_entry
from .errors import Problem
from .variants import is_vega

if TYPE_CHECKING:  # the catalogue imports this module to check its tables
    import pandas as pd

    from .catalog import Dataset, Source

log = logging.getLogger("site_builder")

SEPARATOR = ";"
_ROW = "__sb_row"  # the row number added to every inline row before evaluating the spec


def references(cell: Any) -> list[str]:
    """The sources one cell names: 'a ; b' -> ['a', 'b']; nothing for an empty cell."""
    if cell is None or (isinstance(cell, float) and cell != cell):  # missing (NaN)
        return []
    return [part.strip() for part in str(cell).split(SEPARATOR) if part.strip()]


def _by_reference(sources: Sequence[Source]) -> dict[str, Source]:
    """Each source under its name and under its URL."""
    found: dict[str, Source] = {}
    for s in sources:
        for ref in (s.name, s.url):
            if ref:
                found.setdefault(ref, s)
    return found


def check_row_sources(
    res: dict[str, Any],
    sources: Sequence[Source],
    frame: pd.DataFrame,
    field_names: list[str],
    csv_shown: str,
    descriptor_shown: str,
    line_of: Callable[[int | None], int | None],
) -> list[Problem]:
    """Problems with a resource's `rowSources`: a column it lacks, or cells naming a source the
    resource does not list (at the cell's line and column)."""
    column = res.get("rowSources")
    if column is None:
        return []
    where = f"resource '{res.get('name', '')}'"
    if not isinstance(column, str) or column not in field_names:
        available = ", ".join(f"'{n}'" for n in field_names)
        return [
            Problem(
                descriptor_shown,
                f"{where}: rowSources names column {column!r}, which the table does not have",
                f"give the column whose cells name each row's source; columns: {available}",
            )
        ]
    known = _by_reference(sources)
    names = [s.name or s.url for s in sources]
    position = field_names.index(column) + 1
    problems = []
    for index, cell in enumerate(frame[column].tolist()):
        for ref in references(cell):
            if ref in known:
                continue
            nearest = difflib.get_close_matches(ref, names, n=3, cutoff=0.0)
            problems.append(
                Problem(
                    csv_shown,
                    f"column '{column}': {ref!r} is not one of the sources of {where}",
                    "name a source by its 'name:' or its URL, or add it under the resource's "
                    f"'sources:' in {descriptor_shown}; nearest: " + ", ".join(nearest),
                    line_of(index + 2),  # record 1 is the header
                    position,
                )
            )
    return problems


def cached_chart_sources(
    folder: Path, spec: dict[str, Any], digest: str, datasets: Sequence[Dataset]
) -> list[Source]:
    """`chart_sources`, kept in `folder` under the spec's and the datasets' digests: evaluating
    a spec takes a tenth of a second, too long for a rebuild where nothing changed."""
    from .catalog import Source

    if not any(ds.row_sources for ds in datasets):
        return chart_sources(spec, datasets)
    parts = [digest or json.dumps(spec, sort_keys=True)] + [ds.digest for ds in datasets]
    name = hashlib.sha256("\0".join([tool_digest(), *parts]).encode()).hexdigest()
    entry = read_entry(folder, name, [".json"])
    if entry is not None:
        return [Source(*s) for s in json.loads(entry[".json"])]
    found = chart_sources(spec, datasets)
    listed = [[s.title, s.url, s.name] for s in found]
    write_entry(folder, name, {".json": json.dumps(listed).encode()})
    return found


def chart_sources(spec: dict[str, Any], datasets: Iterable[Dataset]) -> list[Source]:
    """The sources a figure credits: for a dataset with row sources, those of the rows the
    chart draws (all of its sources when no drawn row names one); else all of them. Each once,
    in the order the datasets list them."""
    chosen: dict[tuple[str, str], Source] = {}
    drawn: list[dict[str, Any]] | None = None
    for ds in datasets:
        picked = list(ds.sources)
        if ds.row_sources:
            if drawn is None:
                drawn = drawn_rows(spec)
            named = sources_named(ds, drawn)
            picked = [s for s in ds.sources if s in named] or picked
        for s in picked:
            chosen.setdefault((s.title, s.url), s)
    return list(chosen.values())


def sources_named(ds: Dataset, rows: Iterable[dict[str, Any]]) -> set[Source]:
    """The sources that these rows of a chart's data name: read from the row-sources column
    when the chart kept it, else from the dataset's row with the same primary key."""
    known = _by_reference(ds.sources)
    column, key = ds.row_sources, ds.primary_key
    by_key: dict[tuple[str, ...], Any] = {}
    # Without its table (let go by a build that found these sources before), the rows' own
    # cells are all there is to read.
    if key and ds.frame is not None and all(k in ds.frame for k in key):
        for values, cell in zip(
            ds.frame[key].itertuples(index=False, name=None), ds.frame[column], strict=True
        ):
            by_key[tuple(_text(v) for v in values)] = cell
    named: set[Source] = set()
    for row in rows:
        if column in row:
            cell = row[column]
        elif key and all(k in row for k in key):
            cell = by_key.get(tuple(_text(row[k]) for k in key))
        else:
            continue  # a row of another table, or one the chart made
        named.update(known[ref] for ref in references(cell) if ref in known)
    return named


def _text(value: Any) -> str:
    """A key value as text, the same whether it came from the table or from JSON."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def drawn_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline rows that some mark of the chart draws, after its filters: the spec's own
    row objects (every row when that cannot be worked out)."""
    everything = [
        row for rows in _inline_tables(spec).values() for row in rows if isinstance(row, dict)
    ]
    if is_vega(spec) or not everything:
        return everything  # compiled over a big table already: its rows are aggregates
    try:
        return _evaluated_rows(spec)
    except Exception as exc:  # any failure: credit every source, never fewer
        log.debug("row sources: counting every row, the spec could not be evaluated: %s", exc)
        return everything


def _inline_tables(spec: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: rows for name, rows in (spec.get("datasets") or {}).items() if isinstance(rows, list)
    }


def _evaluated_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    import vegafusion
    import vl_convert as vlc

    numbered = copy.deepcopy(spec)
    # The spec's own rows, so that a caller can tell which of a table's rows are drawn.
    originals: list[dict[str, Any]] = []
    for table, rows in _inline_tables(numbered).items():
        for row, original in zip(rows, spec["datasets"][table], strict=True):
            if isinstance(row, dict):
                row[_ROW] = len(originals)
                originals.append(original)
    vega = vlc.vegalite_to_vega(numbered)
    # Data made by an aggregate keeps no row numbers: evaluate it also as it was just before
    # (same source, the transforms before the aggregate), to find the rows it counted.
    before = []
    for d in vega.get("data", []):
        steps = [t.get("type") for t in d.get("transform", []) if isinstance(t, dict)]
        if "source" in d and "aggregate" in steps:
            cut = d["transform"][: steps.index("aggregate")]
            before.append({"name": f"{_ROW}:{d['name']}", "source": d["source"], "transform": cut})
    vega["data"] = vega.get("data", []) + before
    data = {d["name"]: d for d in vega.get("data", []) if isinstance(d, dict) and "name" in d}
    names = list(data)
    tables, _ = vegafusion.runtime.pre_transform_datasets(
        vega, names, "UTC", dataset_format="pyarrow"
    )
    columns = {
        name: table.column(_ROW).to_pylist() if _ROW in table.column_names else None
        for name, table in zip(names, tables, strict=True)
    }
    drawn: set[int] = set()
    for mark_data in _mark_data(vega):
        # Up the chain of sources to the first data that still has the row numbers.
        name: Any = mark_data
        while name in data and columns[name] is None:
            name = f"{_ROW}:{name}" if f"{_ROW}:{name}" in data else data[name].get("source")
        if name not in data:
            raise ValueError("a mark draws data made from no inline table")
        drawn.update(i for i in columns[name] or [] if i is not None)
    return [originals[i] for i in sorted(drawn)]


def _mark_data(node: dict[str, Any]) -> list[str]:
    """The data every mark draws, nested groups included (a facet's data as a whole)."""
    found: list[str] = []
    for mark in node.get("marks", []) or []:
        if not isinstance(mark, dict):
            continue
        source = mark.get("from") or {}
        if isinstance(source.get("facet"), dict):
            found.append(source["facet"].get("data"))  # its marks draw parts of it
            continue
        if "data" in source:
            found.append(source["data"])
        found += _mark_data(mark)
    return found
