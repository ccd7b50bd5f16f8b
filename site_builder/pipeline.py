"""The build, top to bottom: data -> charts and facts -> page references -> rendered charts.

Free of any site compiler: the MkDocs plugin and the CLI both drive it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import chartprocess, pagescans
from .building import BuiltChart, build_chart
from .cache import SpecCache, TableCache, installed_version
from .catalog import Catalog, Dataset, Field, Source
from .chartcode import ChartCode
from .charts import ChartDef
from .compilelog import warning_problem, writers_warnings
from .datasets import release_table
from .descriptor import Limits, resource_names
from .discovery import check_data_names, discover
from .errors import Problem, Problems, WriterError
from .facts import Fact, FactDef, check_fact_names, compute_facts, read_fact_file
from .filedigests import files_under, walk_once
from .markdown import PageRefs
from .pagelinks import nav_problems
from .palette import (
    DARK_BACKGROUND,
    LIGHT_BACKGROUND,
    PAGE_COLOURS,
    contrast,
    nearest_readable,
    readable_on_both,
    spec_colours,
)
from .paths import inside, outside_problem, shown_path
from .pool import start_pool
from .render import Rendered, Renderer, render_charts
from .rowsources import cached_chart_sources, drawn_rows
from .specs import describe, filters_rows, plotted_rows

log = logging.getLogger("site_builder")


@dataclass(frozen=True)
class Settings:
    """Where things are; every path absolute."""

    root: Path
    docs_dir: Path
    data_dir: Path
    charts_dir: Path
    cache_dir: Path
    workers: int = 0
    limits: Limits = field(default_factory=Limits)
    nav: list[str] = field(default_factory=list)  # the pages mkdocs.yml's nav lists
    config_file: Path | None = None
    directory_urls: bool = True  # a/b.md served at a/b/ (MkDocs' use_directory_urls)

    @property
    def facts_file(self) -> Path:
        return self.data_dir / "facts.yaml"


@dataclass
class Project:
    """Everything the pages need: tables, built charts, facts and, once rendered, the images."""

    settings: Settings
    catalog: Catalog
    charts: dict[str, BuiltChart]
    facts: dict[str, Fact]
    pages: dict[str, PageRefs]
    rendered: dict[str, Rendered] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    fact_sources: dict[str, str] = field(default_factory=dict)  # fact id -> "path:line"
    _sources: dict[str, list[Source]] = field(default_factory=dict, repr=False)
    _descriptions: dict[str, tuple[Any, str]] = field(default_factory=dict, repr=False)
    # Set while charts are still being made (partial.py): finished before they are used.
    pending: Pending | None = field(default=None, repr=False, compare=False)

    def sources_of(self, chart: BuiltChart) -> list[Source]:
        """The chart's own sources, or those of its datasets (of the rows it draws, for a
        dataset with row sources), each once."""
        if chart.definition.sources is not None:
            return chart.definition.sources
        if chart.id not in self._sources:
            datasets = [self.catalog.datasets[name] for name in chart.datasets]
            self._sources[chart.id] = cached_chart_sources(
                self.settings.cache_dir / "sources", chart.spec, chart.digest, datasets
            )
        return self._sources[chart.id]

    def description_of(self, chart: BuiltChart) -> str:
        """The chart's alt text: the writer's, or one made from the data, with the columns'
        titles and units (the same for the page, the embed page and `render`)."""
        if chart.definition.description:
            return chart.definition.description
        labels = {name: f.label for name, f in self.fields_of(chart).items()}
        key = (chart.digest, tuple(labels.items()))
        known = self._descriptions.get(chart.id)
        if known and known[0] == key and chart.digest:
            return known[1]  # the page's figure and the SVG download both ask
        spec = chart.spec  # read once: the chart may hold it no more
        rows = plotted_rows(spec)
        tabled = {id(r) for t in (spec.get("datasets") or {}).values() for r in t}
        # Said of the rows drawn, not of those filtered out (of a table Altair named: rows
        # written in the spec, alt.Data(values=...), are not evaluated).
        if filters_rows(spec) and rows and id(rows[0]) in tabled:
            drawn = {id(row) for row in drawn_rows(spec)}
            rows = [row for row in rows if id(row) in drawn]
        text = describe(spec, rows, labels)
        self._descriptions[chart.id] = (key, text)
        return text

    def labels_key(self) -> str:
        """What column headings depend on besides the data's descriptions (for caches)."""
        return ""

    def column_label(self, name: str, fields: dict[str, Field]) -> str:
        """A table column's heading: its field's title and unit, or the name the chart gave it."""
        return fields[name].label if name in fields else name

    def fields_of(self, chart: BuiltChart) -> dict[str, Field]:
        out: dict[str, Field] = {}
        for name in chart.datasets:
            ds: Dataset = self.catalog.datasets[name]
            for f in ds.fields:
                out.setdefault(f.name, f)
        return out


@dataclass
class Pending:
    """Charts of a project still being made, from changed tables: `finish` waits for them."""

    finish: Callable[[], None]
    charts: frozenset[str]
    tables: frozenset[str]

    def reaches(self, group: str) -> bool:
        """Whether the made charts change a figure's files (manifest group `chart:<id>` or
        `data:<name>`)."""
        kind, _, name = group.partition(":")
        return name in (self.charts if kind == "chart" else self.tables)

    def reaches_page(self, refs: PageRefs) -> bool:
        """Whether a page shows a chart or a table made again."""
        return any(c in self.charts for c, _ in refs.charts) or any(
            not name or name in self.tables for name, _ in refs.datasets
        )


def load_data(settings: Settings, **options: Any) -> Catalog:
    """The project's data as builds read it: with its table cache and limits (`options`:
    those of loader.load_catalog)."""
    from .loader import load_catalog  # not needed by a rebuild from the snapshot

    cache = TableCache(settings.cache_dir / "tables")
    return load_catalog(settings.data_dir, settings.root, cache, settings.limits, **options)


def prepare(
    settings: Settings, renderer: Renderer | None = None, keep_tables: bool = True
) -> Project:
    """Load, check and build everything short of rendering; stop once with every problem.

    `renderer`: given each chart as it is built, to render it while the build goes on.
    `keep_tables`: False to let each table go once its last chart and fact are built (a
    build needs no table after that)."""
    timings: dict[str, float] = {}
    problems = Problems()
    clock = time.perf_counter()

    catalog: Catalog | None = None
    try:
        catalog = load_data(settings)
    except WriterError as exc:
        problems.extend(exc)
    timings["load"] = time.perf_counter() - clock

    clock = time.perf_counter()
    found = discover(settings.charts_dir, settings.root)
    chart_defs: list[ChartDef] = found.charts
    fact_defs: list[FactDef] = found.facts
    for p in found.problems:
        problems.add(p)
    facts_known = found.complete
    try:
        shown = shown_path(str(settings.facts_file), settings.root)
        fact_defs = read_fact_file(settings.facts_file, shown, settings.root) + fact_defs
    except WriterError as exc:
        problems.extend(exc)
        facts_known = False
    for p in check_fact_names(fact_defs):
        problems.add(p)
    names = catalog.names() if catalog else resource_names(settings.data_dir, settings.root)
    for p in check_data_names(chart_defs + fact_defs, names) if names is not None else []:
        problems.add(p)

    defined = len(problems.items)  # the data's, charts' and facts' own problems
    # A module that failed to load leaves its charts and facts unknown: do not report every
    # page that uses them as well.
    pages = _scan_pages(
        settings,
        [c.id for c in chart_defs] if found.complete else None,
        [f.id for f in fact_defs] if facts_known else None,
        names,
        problems,
    )
    _check_nav(settings, problems)
    if defined or catalog is None:
        problems.raise_if_any()
    # Only pages have problems: the charts and facts are built too, so that theirs are said
    # in the same round.
    assert catalog is not None

    project = Project(
        settings,
        catalog,
        {},
        {},
        pages,
        timings=timings,
        fact_sources={d.id: f"{d.path}:{d.line}" for d in fact_defs},
    )
    # Each chart goes to the renderer as soon as it is built: it renders while the next is.
    hand_over = (lambda c: renderer.add(c, project.sources_of(c))) if renderer else None
    keep = None if keep_tables else {name for d in fact_defs for name in d.data}
    project.charts = build_charts(chart_defs, catalog, settings, problems, hand_over, keep)
    project.facts = build_facts(fact_defs, catalog, pages, problems)
    problems.raise_if_any()
    if not keep_tables:
        release_tables(catalog)
    timings["chart"] = time.perf_counter() - clock
    return project


def build_charts(
    defs: list[ChartDef],
    catalog: Catalog,
    settings: Settings,
    problems: Problems,
    on_built: Callable[[BuiltChart], None] | None = None,
    keep: set[str] | None = None,
) -> dict[str, BuiltChart]:
    """Each chart's spec: from the spec cache while its module (and what it imports) and its
    tables are unchanged, else built by calling its function; `on_built` gets each as it
    comes (while none failed), its colours are checked, and then its spec is let go (read
    back from the cache when needed). With `keep` (the tables facts still need), each other
    table is let go after the last chart that uses it."""
    charts: dict[str, BuiltChart] = {}
    specs = spec_cache(settings)
    code = ChartCode(settings.charts_dir)
    charts_left = Counter(name for d in defs for name in d.data)
    for definition in defs:
        charts_left.subtract(definition.data)
        digests = [catalog.datasets[name].digest for name in definition.data]
        module = code.of(definition.file)
        known = specs.get(definition.id, module, digests)
        if known is not None:
            spec, digest = known
            chart = BuiltChart(definition, spec, list(definition.data), digest)
        else:
            try:
                chart = build_chart(definition, catalog)
            except WriterError as exc:
                problems.extend(exc)
                continue
            chart.digest = specs.put(definition.id, module, digests, chart.spec)
        if chart.digest:
            chart.stored = specs.path(definition.id, module, digests)
        charts[definition.id] = chart
        if not problems.items:
            warn_pale_colours(chart)
            if on_built is not None:
                on_built(chart)
        chart.release()  # read back from the spec cache when a later stage needs it
        if keep is not None:
            for name in definition.data:
                if charts_left[name] == 0 and name not in keep:
                    release_table(catalog.datasets[name])
    return charts


def release_tables(catalog: Catalog) -> None:
    """Every table let go: the charts and facts are built."""
    for ds in catalog.datasets.values():
        release_table(ds)


def build_facts(
    defs: list[FactDef], catalog: Catalog, pages: dict[str, PageRefs], problems: Problems
) -> dict[str, Fact]:
    """Each fact's value and text, and whether the prose that uses it still holds."""
    facts: dict[str, Fact] = {}
    try:
        facts = compute_facts(defs, catalog)
    except WriterError as exc:
        problems.extend(exc)
    for p in unsupported_claims(facts, defs, pages):
        problems.add(p)
    return facts


def prepare_rendered(
    settings: Settings,
    preview: bool = False,
    defer: bool = False,
    after: AfterRender | None = None,
) -> Project:
    """`prepare` then `render`; or, when no file under data/ and charts/ changed since the
    last good build, that build's project with the pages read again (snapshot.py).
    `preview`: a rebuild of a live preview, which holds the project's lock (no other build
    prunes the cache meanwhile) and its last project in memory. `defer`: the project may
    come back with charts still being made (`pending`, partial.py). `after`: see `render`
    (a build of every chart only)."""
    from . import snapshot

    clock = time.perf_counter()
    digest = snapshot.input_digest(settings)
    # A project this process holds had its charts' files checked when it was made or read.
    checked = preview and snapshot.held(settings, digest)
    found = snapshot.load(settings, digest)
    if found is not None and not checked and not all(r.kept() for r in found[0].rendered.values()):
        found = None  # its charts' files left the cache (pruned): render them again
    if found is None:
        from . import partial

        files = partial.file_digests(settings)
        with snapshot.warnings_logged() as warnings:
            # Only tables changed: the last build's project with what they reach made again.
            project = partial.rebuild(settings, files, mark_kept=not preview, defer=defer)
            if project is not None and project.pending is not None:
                project.pending = _saved_when_done(project, digest, files, warnings)
                return project
            if project is None:
                # The render processes start, then render each chart as it is built, while
                # this process loads the data and builds the next chart.
                start_pool(settings.workers)
                renderer = Renderer(settings.cache_dir, settings.workers)
                try:
                    project = prepare(settings, renderer, keep_tables=False)
                except WriterError:
                    renderer.cancel()
                    raise
                render(project, renderer=renderer, after=after)
        snapshot.save(project, digest, warnings)
        partial.remember(settings, digest, files)
        return project
    chartprocess.stop()  # nothing to build
    project, warnings = found
    read_pages(project)
    snapshot.replay(warnings)
    log.info("charts: 0 rendered, %d from cache (nothing changed)", len(project.rendered))
    project.timings = {"snapshot": time.perf_counter() - clock}
    return project


def _saved_when_done(
    project: Project, digest: str, files: dict[str, str], warnings: list[str]
) -> Pending:
    """The project's `pending`, then the project kept for the next build as
    `prepare_rendered` keeps it (with the warnings logged before and meanwhile)."""
    pending = project.pending
    assert pending is not None

    def done() -> None:
        from . import partial, snapshot

        with snapshot.warnings_logged() as later:
            pending.finish()
        snapshot.save(project, digest, warnings + later)
        partial.remember(project.settings, digest, files)

    return dataclasses.replace(pending, finish=done)


def read_pages(project: Project) -> None:
    """The pages read and checked again, against a project's charts, facts and datasets."""
    problems = Problems()
    project.pages = _scan_pages(
        project.settings,
        list(project.charts),
        list(project.facts),
        project.catalog.names(),
        problems,
    )
    _check_nav(project.settings, problems)
    problems.raise_if_any()


def _check_nav(settings: Settings, problems: Problems) -> None:
    if settings.config_file is not None:
        shown = shown_path(str(settings.config_file), settings.root)
        for p in nav_problems(settings.nav, settings.docs_dir, settings.config_file, shown):
            problems.add(p)


def warn_pale_colours(chart: BuiltChart) -> None:
    """A colour the writer chose that fades into either palette's background (below 3:1)."""
    d = chart.definition
    for colour in spec_colours(chart.spec):
        if colour in PAGE_COLOURS or readable_on_both(colour):
            continue
        log.warning(
            "%s:%d: chart '%s': colour %s has %.1f:1 contrast on the light page and %.1f:1 on "
            "the dark one; marks need 3:1 to be seen\n  hint: use %s (the same hue, readable on "
            "both)",
            d.path,
            d.line,
            chart.id,
            colour,
            contrast(colour, LIGHT_BACKGROUND),
            contrast(colour, DARK_BACKGROUND),
            nearest_readable(colour),
        )


def spec_cache(settings: Settings) -> SpecCache:
    # Altair shapes the spec; VegaFusion compiles the charts over big tables.
    library = f"altair {installed_version('altair')}, vegafusion {installed_version('vegafusion')}"
    return SpecCache(settings.cache_dir / "specs", library)


# Work on a chart of a project once it is rendered (see `render`).
AfterRender = Callable[[Project, str], None]


def render(
    project: Project,
    chart_ids: list[str] | None = None,
    renderer: Renderer | None = None,
    after: AfterRender | None = None,
) -> None:
    """Render every chart, or those named (or take them from the cache); log Vega-Lite's
    warnings on them.

    `renderer`: the one `prepare` handed the charts to; what is left is waiting for it.
    `after(project, chart_id)`: run on each chart as soon as it is rendered, while the render
    processes draw the others (its figure made, which pages would otherwise make after)."""
    clock = time.perf_counter()
    charts = [project.charts[i] for i in chart_ids] if chart_ids is not None else None
    charts = list(project.charts.values()) if charts is None else charts
    if renderer is not None:

        def done(chart_id: str, rendered: Rendered) -> None:
            project.rendered[chart_id] = rendered
            if after is not None:
                after(project, chart_id)

        project.rendered.update(renderer.finish(done))
    else:
        project.rendered.update(
            render_charts(
                charts, project.settings.cache_dir, project.settings.workers, project.sources_of
            )
        )
    project.timings["render"] = time.perf_counter() - clock
    # Warnings, not errors: the chart still draws, but strict builds (the default) stop on them.
    for chart in charts:
        d = chart.definition
        for message in writers_warnings(project.rendered[chart.id].warnings):
            log.warning("%s", warning_problem(d.path, d.line, chart.id, message))


def unsupported_claims(
    facts: dict[str, Fact], defs: list[FactDef], pages: dict[str, PageRefs]
) -> list[Problem]:
    """Facts whose value no longer meets what the prose says, reported where the prose says it."""
    declared = {d.id: d for d in defs}
    problems = []
    for fact in facts.values():
        if not fact.broken:
            continue
        d = declared[fact.id]
        expected = " and ".join(fact.expect)
        uses: list[tuple[str, int, int | None]] = [
            (refs.path, line, column)
            for refs in pages.values()
            for name, line, column in refs.facts
            if name == fact.id
        ]
        hint = (
            f"the data changed: check what the text says, then update it or the expectation "
            f"({d.path}:{d.line})"
        )
        message = f"fact '{fact.id}' is now {fact.text!r} ({fact.value}), not {expected}"
        for path, line, column in uses or [(d.path, d.line, None)]:
            problems.append(Problem(path, message, hint, line, column))
    return problems


def claims_ledger(project: Project) -> list[dict[str, object]]:
    """Every fact used in prose: where, what it says, its value and where the value comes from."""
    declared = project.fact_sources
    entries = []
    for _, refs in sorted(project.pages.items()):
        for name, line, column in refs.facts:
            fact = project.facts.get(name)
            if fact is None:
                continue
            entries.append(
                {
                    "page": refs.path,
                    "line": line,
                    "column": column,
                    "fact": name,
                    "text": fact.text,
                    "value": fact.value,
                    "datasets": list(fact.datasets),
                    "row": fact.row,
                    "expect": list(fact.expect),
                    "defined_at": declared.get(name, ""),
                }
            )
    return entries


def _scan_pages(
    settings: Settings,
    chart_ids: list[str] | None,
    fact_ids: list[str] | None,
    dataset_names: list[str] | None,
    problems: Problems,
) -> dict[str, PageRefs]:
    pages: dict[str, PageRefs] = {}
    if not settings.docs_dir.is_dir():
        return pages
    # Only links are resolved (resolving every page's path was a sixth of a preview's rebuild
    # at 250 pages); a linked folder is not scanned for pages, but MkDocs publishes what it
    # holds, so no link in it may lead out either.
    linked_folders: list[str] = []
    every = files_under(settings.docs_dir, linked_folders)
    listed = [(Path(p), link) for name, p, link in every if name.endswith(".md")]
    docs_inside = inside(settings.docs_dir, settings.root)
    links = [Path(p) for _, p, link in every if link and not p.endswith(".md")]  # pages: below
    for folder in map(Path, linked_folders):
        links += [folder, *_links_in(folder, settings.root)]
    for path in links:
        if not inside(path, settings.root):
            problems.add(outside_problem(path, settings.root))
    checks = (chart_ids, fact_ids, dataset_names)
    # Hidden files (an editor's swap file) are not the site's: saving one changes nothing.
    names = [name for name, _, _ in every if not _hidden(name)]
    against = pagescans.context(*checks, names)
    listed_names = frozenset(names)
    pagescans.load(settings.cache_dir)  # the last build's scans
    for path, link in listed:
        if (link or not docs_inside) and not inside(path, settings.root):
            problems.add(outside_problem(path, settings.root))  # a page: not read either
            continue
        # In a preview, only the pages that changed are read again (pagescans.py).
        refs, found = pagescans.scan(
            path,
            settings.docs_dir,
            settings.root,
            checks,
            against + f"|{settings.directory_urls}",
            listed_names,
            settings.directory_urls,
        )
        for p in found:
            problems.add(p)
        if refs is None:
            continue
        pages[path.relative_to(settings.docs_dir).as_posix()] = refs
    pagescans.keep(settings.cache_dir, [path for path, _ in listed])
    return pages


def _links_in(folder: Path, root: Path) -> list[Path]:
    """The links under a linked folder that leads inside the project, each folder once."""
    found: list[Path] = []
    if not inside(folder, root):
        return found  # refused as it is
    for here, folders, files in walk_once(folder):
        paths = [Path(here, name) for name in [*folders, *files]]
        found += [p for p in paths if p.is_symlink()]
        folders[:] = [d for d in folders if inside(Path(here, d), root)]
    return found


def _hidden(name: str) -> bool:
    return name.startswith(".") or "/." in name
