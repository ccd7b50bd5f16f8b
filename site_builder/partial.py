"""The rebuild after tables or chart code changed: when the only files that changed under
data/ and charts/ since the last good build are tables' files and chart modules (`*.py`),
that build's project (snapshot.py) is taken again, and only what the changes reach is made
again: the changed tables are loaded, the charts and facts that use them or that are defined
in a changed module (or in one importing a changed helper: chartcode.py) built, and those
charts rendered. Everything else (the other tables, specs, facts and renders) is the last
build's, so none of it is read or checked again.

Anything else changed (the descriptor, facts.yaml, a file added or removed), a foreign key
between tables, or warnings in the last build: the whole build runs instead.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time

from . import snapshot
from .cache import TableCache, mark_used, read_entry, write_entry
from .catalog import Dataset
from .chartcode import ChartCode
from .charts import Declarations
from .datasets import is_plain
from .discovery import check_data_names, discover
from .errors import Problems, WriterError
from .facts import check_fact_names, read_fact_file
from .filedigests import file_digest, files_under
from .loader import table_key
from .paths import shown_path
from .pipeline import (
    Project,
    Settings,
    build_charts,
    build_facts,
    load_data,
    read_pages,
    release_tables,
    render,
    spec_cache,
)
from .pool import start_pool
from .reach import reached_by
from .render import started_renders

log = logging.getLogger("site_builder")


def file_digests(settings: Settings) -> dict[str, str]:
    """Each file under data/ and charts/, by its path from the project root, as a digest."""
    digests = {}
    for folder in (settings.data_dir, settings.charts_dir):
        # No linked folder is entered, so only a linked file leads out of `folder`: the
        # others' paths need no resolving (1,000 of them were 0.1 s of a preview's rebuild)
        base = shown_path(str(folder), settings.root)
        for name, path, link in files_under(folder):
            shown = shown_path(path, settings.root) if link else f"{base}/{name}"
            digests[shown] = file_digest(path)
    return digests


def remember(settings: Settings, digest: str, files: dict[str, str]) -> None:
    """Kept beside the snapshot of the build with these inputs: which files made it."""
    data = json.dumps({"digest": digest, "files": files}, sort_keys=True).encode()
    write_entry(settings.cache_dir / "snapshot", "files", {".json": data})


def rebuild(settings: Settings, files: dict[str, str], mark_kept: bool = True) -> Project | None:
    """The project with the changed tables and chart code and what they reach made again;
    None when more than those changed, or the last build cannot be taken. `mark_kept`: what
    it keeps counts as used (a preview's rebuild need not: `--prune-cache` counts only what
    its own build used, and no build runs beside the preview)."""
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
    charts_dir = settings.charts_dir.resolve()
    code_files = {
        p
        for p in changed_files
        if p.endswith(".py")
        and p in files.keys() & last[1].keys()  # edited: a module added or removed is more
        and (settings.root / p).resolve().is_relative_to(charts_dir)
    }
    if (
        not changed_files
        or not changed_files - code_files <= by_file.keys()
        or _has_foreign_keys(settings)
    ):
        return None
    changed = {by_file[p] for p in changed_files - code_files}
    # A render process starts now: its renderer's engine warms up while this one imports
    # pandas and Altair and builds the charts, which then render at once.
    start_pool(settings.workers, processes=1)

    found_defs = _discover(settings, files)
    if found_defs.problems or not found_defs.complete:
        return None  # the whole build says what is wrong
    all_facts = (
        read_fact_file(
            settings.facts_file, shown_path(str(settings.facts_file), settings.root), settings.root
        )
        + found_defs.facts
    )
    if check_fact_names(all_facts) or check_data_names(
        found_defs.charts + all_facts, old.catalog.names()
    ):
        return None
    code = ChartCode(settings.charts_dir)
    modules = code.reached_by({(settings.root / p).resolve() for p in code_files})
    chart_defs, fact_defs, needed = reached_by(
        changed,
        found_defs.charts,
        all_facts,
        frozenset(shown_path(str(m), settings.root) for m in modules),
    )
    # Charts and facts the last build did not have are made too.
    chart_defs += [d for d in found_defs.charts if d.id not in old.charts and d not in chart_defs]
    fact_defs += [d for d in all_facts if d.id not in old.facts and d not in fact_defs]
    needed |= {name for d in chart_defs + fact_defs for name in d.data}
    loaded = load_data(settings, only=needed, described=old.catalog.datasets)
    catalog = dataclasses.replace(
        old.catalog,
        datasets={
            name: _as_loaded(loaded.datasets[name], ds) if name in loaded.datasets else ds
            for name, ds in old.catalog.datasets.items()
        },
    )
    timings = {"load": time.perf_counter() - clock}

    clock = time.perf_counter()
    made = {d.id for d in chart_defs}
    project = dataclasses.replace(
        old,
        catalog=catalog,
        # In the order a whole build gives: the charts and facts as their modules declare them.
        charts={d.id: old.charts[d.id] for d in found_defs.charts if d.id not in made},
        facts={d.id: old.facts[d.id] for d in all_facts if d.id in old.facts},
        rendered={k: r for k, r in old.rendered.items() if k not in made},
        timings=timings,
        fact_sources={d.id: f"{d.path}:{d.line}" for d in all_facts},
        _sources={k: v for k, v in old._sources.items() if k not in made},
    )
    problems = Problems()
    # Every table these charts and facts use stays until they are rendered: a figure's row
    # sources are read from its table then.
    keep = {name for d in chart_defs + fact_defs for name in d.data}
    built = build_charts(chart_defs, catalog, settings, problems, keep=keep)
    problems.raise_if_any()
    project.charts = {d.id: built.get(d.id) or project.charts[d.id] for d in found_defs.charts}
    # The charts render in the render process while this one reads the pages and makes the
    # facts.
    charts = [project.charts[d.id] for d in chart_defs]
    renderer = started_renders(charts, settings.cache_dir, settings.workers, project.sources_of)
    try:
        project.facts = {d.id: project.facts.get(d.id) for d in all_facts}  # type: ignore[misc]
        read_pages(project)
        project.facts.update(build_facts(fact_defs, catalog, project.pages, problems))
        problems.raise_if_any()
    except WriterError:
        renderer.cancel()
        raise
    timings["chart"] = time.perf_counter() - clock
    if mark_kept:
        _mark_kept(project, settings, made, loaded.names())
    render(project, [d.id for d in chart_defs], renderer=renderer)
    release_tables(catalog)
    project.rendered = {k: project.rendered[k] for k in project.charts}
    log.info(
        "partial rebuild: %d of %d tables%s changed; %d charts and %d facts made again, the "
        "other %d charts kept from the last build",
        len(changed),
        len(catalog.datasets),
        f" and {len(code_files)} chart code files" if code_files else "",
        len(chart_defs),
        len(fact_defs),
        len(project.charts) - len(chart_defs),
    )
    return project


# The last chart modules' declarations, by the digests of the chart code: a rebuild after a
# table edit in a long preview runs no chart module again (0.15 s at 1,000 charts).
_discovered: tuple[dict[str, str], Declarations] | None = None


def _discover(settings: Settings, files: dict[str, str]) -> Declarations:
    global _discovered
    code = {p: digest for p, digest in files.items() if p.endswith(".py")}
    if _discovered is not None and _discovered[0] == code:
        return _discovered[1]
    found = discover(settings.charts_dir, settings.root)
    _discovered = (code, found) if found.complete and not found.problems else None
    return found


def _as_loaded(new: Dataset, old: Dataset) -> Dataset:
    """A table loaded again, with whether readers download its file as it is: the last
    build's answer while the table is the same (a chart using it was made again), else found
    now, once (the snapshot and each edition's downloads ask)."""
    as_is = old.download_as_is if new.digest == old.digest else None
    if as_is is None and new.is_table:
        as_is = is_plain(new)
    return dataclasses.replace(new, download_as_is=as_is)


def _mark_kept(project: Project, settings: Settings, made: set[str], loaded: list[str]) -> None:
    """What this build kept from the last one counts as used, so `--prune-cache` keeps it: the
    other charts' renders and specs, the other tables."""
    renders = settings.cache_dir / "charts"
    specs = spec_cache(settings)
    code = ChartCode(settings.charts_dir)
    for chart_id, chart in project.charts.items():
        if chart_id not in made:
            mark_used(renders, project.rendered[chart_id].key)
            mark_used(renders, project.rendered[chart_id].image_key)
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
