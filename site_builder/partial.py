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
from pathlib import Path

from . import chartprocess, pool, snapshot
from .building import BuiltChart
from .cache import TableCache, mark_used, read_entry, write_entry
from .catalog import Dataset, Source
from .chartcode import ChartCode
from .charts import ChartDef, Declarations
from .datasets import is_plain
from .discovery import check_data_names, discover
from .errors import Problem, Problems, WriterError
from .facts import Fact, FactDef, check_fact_names, compute_facts, read_fact_file
from .filedigests import file_digest, files_under
from .loader import table_key
from .paths import shown_path
from .pipeline import (
    Pending,
    Project,
    Settings,
    build_charts,
    load_data,
    read_pages,
    release_tables,
    render,
    spec_cache,
    unsupported_claims,
)
from .reach import reached_by
from .render import started_renders
from .rowsources import cached_chart_sources

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


@dataclasses.dataclass(frozen=True)
class Job:
    """What changed since the last good build, whose snapshot is `last`."""

    settings: Settings
    files: dict[str, str]
    last: str
    tables: set[str]  # the tables whose files changed
    code_files: set[str]  # the chart modules edited


@dataclasses.dataclass
class Made:
    """What a partial rebuild made again: the charts and facts the changes reach (their
    tables let go), with the order and places of every chart and fact."""

    chart_ids: list[str]
    fact_ids: list[str]
    fact_sources: dict[str, str]
    charts: dict[str, BuiltChart]
    facts: dict[str, Fact]
    fact_defs: list[FactDef]
    datasets: dict[str, Dataset]
    sources: dict[str, list[Source]]
    timings: dict[str, float]
    # The modules declare a chart or fact of the last build otherwise now (from the data they
    # read as they load): pages read before could show what it no longer is.
    redeclared: bool = False


def forget(settings: Settings) -> None:
    """No build is taken again: the next one runs whole."""
    (settings.cache_dir / "snapshot" / "files.sum").unlink(missing_ok=True)


def rebuild(
    settings: Settings, files: dict[str, str], mark_kept: bool = True, defer: bool = False
) -> Project | None:
    """The project with the changed tables and chart code and what they reach made again;
    None when more than those changed, or the last build cannot be taken. `mark_kept`: what
    it keeps counts as used (a preview's rebuild need not: `--prune-cache` counts only what
    its own build used, and no build runs beside the preview).

    `defer`: the caller may read the pages meanwhile. When only tables changed (`_deferrable`)
    and the chart process is running, the project comes back at once, the last build's, with
    `pending` to finish before its charts are used: they are made in the chart process
    meanwhile."""
    clock = time.perf_counter()
    plan = _plan(settings, files)
    if plan is None:
        chartprocess.stop()  # the whole build imports the libraries itself
        return None
    old, job = plan
    project = dataclasses.replace(old, timings={})
    reached = [i for i, c in old.charts.items() if job.tables & set(c.definition.data)]
    if defer and _deferrable(old, job, reached) and chartprocess.send(make_elsewhere, job):
        # One chart renders in this process, whose renderer warms up while it waits (a
        # render process would compete with the chart process and the pages for the cores).
        if len(reached) != 1:
            pool.start_pool(settings.workers, processes=1)
        try:
            read_pages(project)  # against the last build's charts and facts
        except WriterError:
            # A page names what the last build did not declare (a module may declare a chart
            # per row of the edited table): the charts first, then the pages read again.
            done = _complete(project, old, job, clock, mark_kept, sent=True)
            return project if done else None

        def finish() -> None:
            if len(reached) == 1 and not pool.running() and not chartprocess.ready():
                pool.warm()
            _complete(project, old, job, clock, mark_kept, sent=True, deferred=True)

        project.pending = Pending(finish, frozenset(reached), frozenset(job.tables))
        return project
    # A render process starts now: its renderer's engine warms up while the charts are made,
    # which then render at once.
    pool.start_pool(settings.workers, processes=1)
    return project if _complete(project, old, job, clock, mark_kept) else None


def _deferrable(old: Project, job: Job, reached: list[str]) -> bool:
    """Whether the pages read before the charts are made come out as after: only tables
    changed, no fact reads them, no chart they reach credits the sources of the rows it
    draws (in its caption), and the modules did not declare other charts from a table's
    rows before."""
    if job.code_files or _declared_from_data(job.settings).exists():
        return False
    if any(job.tables & set(fact.datasets) for fact in old.facts.values()):
        return False
    names = {name for chart_id in reached for name in old.charts[chart_id].datasets}
    return not any(old.catalog.datasets[name].row_sources for name in names)


def _declared_from_data(settings: Settings) -> Path:
    """Marks a project whose modules declare charts or facts from the data they read."""
    return settings.cache_dir / "snapshot" / "declared-from-data"


def _complete(
    project: Project,
    old: Project,
    job: Job,
    clock: float,
    mark_kept: bool,
    sent: bool = False,
    deferred: bool = False,
) -> bool:
    """`project` (the last build's) made into the new one: the charts and facts made again
    (in the chart process: `sent` the job, or sent it now if it runs), rendered, and the pages
    read. False when the whole build must run instead. `deferred`: the pages were read with
    the last build's project meanwhile, and a whole build cannot run now."""
    settings = job.settings
    # In the chart process when `site-builder build` started one: it has imported pandas and
    # Altair meanwhile, and this process needs neither.
    done, made = chartprocess.receive() if sent else chartprocess.run(make_elsewhere, job)
    if not done:
        made = make(job, old)
    if deferred and (made is None or made.redeclared):
        # The modules load otherwise with the edited data: the next build runs whole, says
        # what is wrong if anything is, and no rebuild of this project reads pages early.
        forget(settings)
        _declared_from_data(settings).touch()
        shown = ", ".join(sorted(old.catalog.datasets[name].path for name in job.tables))
        raise WriterError(Problem(shown, _REDECLARED, _AGAIN))
    if made is None:
        return False
    waited = time.perf_counter() - clock
    project.timings = {"load": waited - made.timings["chart"], "chart": made.timings["chart"]}

    clock = time.perf_counter()
    project.catalog = dataclasses.replace(
        old.catalog,
        datasets={name: made.datasets.get(name, ds) for name, ds in old.catalog.datasets.items()},
    )
    # In the order a whole build gives: the charts and facts as their modules declare them.
    project.charts = {i: made.charts.get(i) or old.charts[i] for i in made.chart_ids}
    project.facts = {
        i: made.facts[i] if i in made.facts else old.facts.get(i)  # type: ignore[misc]
        for i in made.fact_ids
    }
    project.rendered = {k: r for k, r in old.rendered.items() if k not in made.charts}
    project.fact_sources = made.fact_sources
    project._sources = {
        **{k: v for k, v in old._sources.items() if k not in made.charts},
        **made.sources,
    }
    # The charts render (in the render process, for more than one) while this one checks
    # the pages.
    charts = [project.charts[i] for i in made.charts]
    renderer = started_renders(charts, settings.cache_dir, settings.workers, project.sources_of)
    try:
        if not deferred:
            read_pages(project)
        problems = Problems()
        for p in unsupported_claims(made.facts, made.fact_defs, project.pages):
            problems.add(p)
        problems.raise_if_any()
    except WriterError:
        renderer.cancel()
        raise
    project.timings["chart"] += time.perf_counter() - clock
    if mark_kept:
        _mark_kept(project, settings, set(made.charts), list(made.datasets))
    render(project, list(made.charts), renderer=renderer)
    project.rendered = {k: project.rendered[k] for k in project.charts}
    project.pending = None
    log.info(
        "partial rebuild: %d of %d tables%s changed; %s and %s made again, the other %s "
        "kept from the last build",
        len(job.tables),
        len(project.catalog.datasets),
        f" and {_counted(len(job.code_files), 'chart code file')}" if job.code_files else "",
        _counted(len(made.charts), "chart"),
        _counted(len(made.fact_defs), "fact"),
        _counted(len(project.charts) - len(made.charts), "chart"),
    )
    return True


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}" + ("" if count == 1 else "s")


_REDECLARED = (
    "with this data the chart modules declare other charts or facts than the last build's "
    "(from the rows they read as they load); the site was left as it was"
)
_AGAIN = "build again: the next build builds every chart, and says what is wrong if anything is"


def _plan(settings: Settings, files: dict[str, str]) -> tuple[Project, Job] | None:
    """The last build's project and what changed since, when only tables' files and chart
    modules did."""
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
    tables = {by_file[p] for p in changed_files - code_files}
    return old, Job(settings, files, last[0], tables, code_files)


def make_elsewhere(job: Job) -> Made | None:
    """`make` in the chart process, for this one to take: without the writer's functions,
    which would import their modules here."""
    made = make(job)
    if made is None:
        return None
    for chart_id, chart in made.charts.items():
        definition = dataclasses.replace(chart.definition, func=snapshot.no_function)
        made.charts[chart_id] = dataclasses.replace(chart, definition=definition)
    made.fact_defs = [
        dataclasses.replace(d, compute=snapshot.no_function if d.compute else None)
        for d in made.fact_defs
    ]
    return made


def make(job: Job, old: Project | None = None) -> Made | None:
    """The charts and facts that the changed tables and modules reach, built (the changed
    tables loaded), with their sources; None when the whole build must run instead. `old`:
    the last build's project (read from its snapshot when not given)."""
    settings = job.settings
    clock = time.perf_counter()
    if old is None:
        found = snapshot.load(settings, job.last)
        if found is None:
            return None
        old = found[0]
    found_defs = _discover(settings, job.files)
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
    modules = code.reached_by({(settings.root / p).resolve() for p in job.code_files})
    chart_defs, fact_defs, needed = reached_by(
        job.tables,
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
    load_time = time.perf_counter() - clock

    clock = time.perf_counter()
    problems = Problems()
    # Every table these charts and facts use stays until they are built and their sources
    # found: a figure's row sources are read from its table.
    keep = {name for d in chart_defs + fact_defs for name in d.data}
    built = build_charts(chart_defs, catalog, settings, problems, keep=keep)
    problems.raise_if_any()
    facts = compute_facts(fact_defs, catalog)
    sources = {
        chart_id: cached_chart_sources(
            settings.cache_dir / "sources",
            chart.spec,
            chart.digest,
            [catalog.datasets[name] for name in chart.datasets],
        )
        for chart_id, chart in built.items()
        if chart.definition.sources is None
    }
    release_tables(catalog)
    declared = {d.id: _declared(d) for d in found_defs.charts}
    redeclared = (
        any(
            declared.get(chart_id) != _declared(chart.definition)
            for chart_id, chart in old.charts.items()
        )
        or not {d.id for d in all_facts} >= old.facts.keys()
    )
    return Made(
        chart_ids=[d.id for d in found_defs.charts],
        fact_ids=[d.id for d in all_facts],
        fact_sources={d.id: f"{d.path}:{d.line}" for d in all_facts},
        charts=built,
        facts=facts,
        fact_defs=fact_defs,
        datasets={name: catalog.datasets[name] for name in loaded.datasets},
        sources=sources,
        timings={"load": load_time, "chart": time.perf_counter() - clock},
        redeclared=redeclared,
    )


def _declared(d: ChartDef) -> tuple[object, ...]:
    """What a page shows of a chart's declaration before the chart is built (its caption)."""
    return (d.data, d.title, d.subtitle, d.description, d.notes, d.sources, d.path, d.line)


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
