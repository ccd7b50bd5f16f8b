"""The rebuild after tables changed: when the only files that changed under data/ and charts/
since the last good build are tables' files, that build's project (snapshot.py) is taken
again, and only what the changed tables reach is made again: those tables are loaded, the
charts and facts that use them built, and those charts rendered. Everything else (the other
tables, specs, facts and renders) is the last build's, so none of it is read or checked again.

Anything else changed (the descriptor, facts.yaml, chart code, a file added or removed), a
foreign key between tables, or warnings in the last build: the whole build runs instead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from pathlib import Path

from . import snapshot
from .cache import TableCache, mark_used, read_entry, write_entry
from .chartcode import ChartCode
from .discovery import discover
from .errors import Problems
from .facts import read_fact_file
from .loader import load_catalog, table_key
from .paths import shown_path
from .pipeline import (
    Project,
    Settings,
    build_charts,
    build_facts,
    read_pages,
    render,
    spec_cache,
    warn_pale_colours,
)
from .reach import reached_by

log = logging.getLogger("site_builder")


def file_digests(settings: Settings) -> dict[str, str]:
    """Each file under data/ and charts/, by its path from the project root, as a digest."""
    digests = {}
    for folder in (settings.data_dir, settings.charts_dir):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digests[shown_path(str(path), settings.root)] = _sha256(path)
    return digests


def remember(settings: Settings, digest: str, files: dict[str, str]) -> None:
    """Kept beside the snapshot of the build with these inputs: which files made it."""
    data = json.dumps({"digest": digest, "files": files}, sort_keys=True).encode()
    write_entry(settings.cache_dir / "snapshot", "files", {".json": data})


def rebuild(settings: Settings, files: dict[str, str]) -> Project | None:
    """The project with the changed tables and what they reach made again; None when more
    than tables changed, or the last build cannot be taken."""
    clock = time.perf_counter()
    last = _last_files(settings)
    if last is None:
        return None
    found = snapshot.load(settings, last[0])
    if found is None or found[1]:
        return None  # no snapshot of that build, or its warnings, which are not kept per chart
    old, _ = found
    changed_files = {p for p in files.keys() | last[1].keys() if files.get(p) != last[1].get(p)}
    by_file = {ds.path: name for name, ds in old.catalog.datasets.items()}
    if not changed_files or not changed_files <= by_file.keys() or _has_foreign_keys(settings):
        return None
    changed = {by_file[p] for p in changed_files}

    found_defs = discover(settings.charts_dir, settings.root)
    if found_defs.problems or not found_defs.complete:
        return None  # the whole build says what is wrong
    fact_defs = read_fact_file(
        settings.facts_file, shown_path(str(settings.facts_file), settings.root), settings.root
    )
    chart_defs, fact_defs, needed = reached_by(
        changed, found_defs.charts, fact_defs + found_defs.facts
    )
    loaded = load_catalog(
        settings.data_dir,
        settings.root,
        TableCache(settings.cache_dir / "tables"),
        settings.limits,
        only=needed,
        described=old.catalog.datasets,
    )
    catalog = dataclasses.replace(
        old.catalog,
        datasets={name: loaded.datasets.get(name, ds) for name, ds in old.catalog.datasets.items()},
    )
    timings = {"load": time.perf_counter() - clock}

    clock = time.perf_counter()
    project = dataclasses.replace(
        old,
        catalog=catalog,
        charts=dict(old.charts),
        facts=dict(old.facts),
        rendered=dict(old.rendered),
        timings=timings,
        _sources={k: v for k, v in old._sources.items() if k not in {d.id for d in chart_defs}},
    )
    read_pages(project)
    problems = Problems()
    built = build_charts(chart_defs, catalog, settings, problems)
    project.facts.update(build_facts(fact_defs, catalog, project.pages, problems))
    problems.raise_if_any()
    project.charts.update(built)
    for chart in built.values():
        warn_pale_colours(chart)
    timings["chart"] = time.perf_counter() - clock
    render(project, [d.id for d in chart_defs])
    _mark_kept(project, settings, {d.id for d in chart_defs}, loaded.names())
    log.info(
        "partial rebuild: %d of %d tables changed; %d charts and %d facts made again, the "
        "other %d charts kept from the last build",
        len(changed),
        len(catalog.datasets),
        len(chart_defs),
        len(fact_defs),
        len(project.charts) - len(chart_defs),
    )
    return project


def _mark_kept(project: Project, settings: Settings, made: set[str], loaded: list[str]) -> None:
    """What this build kept from the last one counts as used, so `--prune-cache` keeps it: the
    other charts' renders and specs, the other tables."""
    renders = settings.cache_dir / "charts"
    specs = spec_cache(settings)
    code = ChartCode(settings.charts_dir)
    for chart_id, chart in project.charts.items():
        if chart_id not in made:
            mark_used(renders, project.rendered[chart_id].key)
            digests = [project.catalog.datasets[n].digest for n in chart.datasets]
            specs.mark_used(chart_id, code.of(chart.definition.file), digests)
    tables = TableCache(settings.cache_dir / "tables")
    for name, ds in project.catalog.datasets.items():
        if name not in loaded and ds.is_table:
            tables.mark_used(table_key(ds.digest, settings.limits))


def _last_files(settings: Settings) -> tuple[str, dict[str, str]] | None:
    entry = read_entry(settings.cache_dir / "snapshot", "files", [".json"])
    if entry is None:
        return None
    try:
        last = json.loads(entry[".json"])
        return str(last["digest"]), dict(last["files"])
    except (ValueError, KeyError, TypeError):
        return None


def _has_foreign_keys(settings: Settings) -> bool:
    """A table others refer to, or that refers to others, is checked with them: not alone."""
    descriptor = settings.data_dir / "datapackage.yaml"
    return "foreignKeys" in descriptor.read_text(encoding="utf-8", errors="replace")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
