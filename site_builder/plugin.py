"""The MkDocs plugin: a thin adapter between MkDocs' build events and the pipeline."""

from __future__ import annotations

import base64
import json
import logging
import posixpath
import re
import shutil
import time
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from . import csp, datasets, figure, pipeline, reach, sitedir, tables
from .cache import TextCache
from .descriptor import Limits
from .errors import WriterError
from .facts import FACT_REF
from .markdown import StoryExtension, body_marker, datasets_marker
from .outputs import EMBED_DIR, EMBED_SCRIPT, Outputs
from .pagelinks import nav_files
from .runtime import runtime_bundle
from .specs import plotted_rows
from .urls import unsafe_links
from .variants import breakpoint_css, uses_pointer_position

log = logging.getLogger("site_builder")
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
ASSETS = Path(__file__).parent / "assets"
CSS_URI = "assets/site-builder/site-builder.css"
JS_URI = "assets/site-builder/site-builder.js"
CHART_DIR = "assets/charts"
DATA_DIR = "assets/data"
LEDGER_URI = "claims.json"  # every fact used in prose: page, line, value, dataset, row


class SiteBuilderConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off; chart blocks and facts are then left as written."""
    data_dir = c.Type(str, default="data")
    """Folder holding `datapackage.yaml`, its CSV files and `facts.yaml`, relative to mkdocs.yml."""
    charts_dir = c.Type(str, default="charts")
    """Folder of chart modules (`*.py`), relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache")
    """Where rendered charts are kept between builds, relative to mkdocs.yml."""
    render_workers = c.Type(int, default=0)
    """Processes that render charts; 0 means one per core (at most 4)."""
    max_columns = c.Type(int, default=Limits.max_columns)
    """Most columns a table may have."""
    max_cell_chars = c.Type(int, default=Limits.max_cell_chars)
    """Longest text cell, in characters."""
    max_data_mb = c.Type(int, default=Limits.max_data_mb)
    """Most megabytes the data package's files may hold together."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and swap it in only when the build succeeds."""
    csp = c.Type(bool, default=True)
    """Give every page a strict Content-Security-Policy: a <meta> tag, and `_headers` at the
    site's root for hosts that read it (Netlify, Cloudflare Pages)."""
    csp_extra = c.Type(dict, default={})
    """Sources to allow besides the site's own, by directive, e.g.
    `{img-src: [https://tiles.example.org]}`."""


def settings_from(config: Any, plugin_config: SiteBuilderConfig) -> pipeline.Settings:
    """Absolute paths for the pipeline, from MkDocs' config and ours."""
    root = Path(config.config_file_path).resolve().parent
    return pipeline.Settings(
        root=root,
        docs_dir=Path(config.docs_dir).resolve(),
        data_dir=(root / plugin_config.data_dir).resolve(),
        charts_dir=(root / plugin_config.charts_dir).resolve(),
        cache_dir=(root / plugin_config.cache_dir / "site-builder").resolve(),
        workers=plugin_config.render_workers,
        limits=Limits(
            plugin_config.max_columns, plugin_config.max_cell_chars, plugin_config.max_data_mb
        ),
        nav=nav_files(config.nav),
        config_file=Path(config.config_file_path).resolve(),
    )


class SiteBuilderPlugin(BasePlugin[SiteBuilderConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.project: pipeline.Project | None = None
        self.final_site: Path | None = None
        self.staging: Path | None = None
        self.lock: sitedir.SiteLock | None = None
        self.warnings: CountHandler | None = None
        self.extension: StoryExtension | None = None
        self.pages_written = 0
        self.outputs: Outputs | None = None
        self.texts = TextCache(Path())  # figure text, made once per chart (set per build)
        self.pages_started = 0.0
        self.script_hashes: set[str] = set()  # of every inline script in the pages written
        self.policy_pages: list[str] = []  # pages (from the site root) awaiting their policy
        # serve --dirty: the last project whose pages were all written, and what changed since
        self.dirty = False
        self.built: pipeline.Project | None = None
        self.reached: set[str] | None = None  # pages to write again; None: all of them
        self.fresh_charts: set[str] | None = None  # charts whose files change; None: all

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = command == "serve" and dirty
        if command == "serve":
            _quiet_rebuild_aborts()
        if self.dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)

    @event_priority(100)  # first: other plugins must see the staging site_dir
    def on_config(self, config: Any) -> Any:
        if not self.config.enabled:
            return config
        logging.getLogger("site_builder").parent = logging.getLogger("mkdocs")
        problems = csp.check_extra(self.config.csp_extra)
        if problems:
            raise PluginError("mkdocs.yml: site-builder: " + "; ".join(problems))
        self.settings = settings_from(config, self.config)
        self.extension = StoryExtension(figure_for=self._figure_for, facts=self._fact_texts)
        config.markdown_extensions.append(self.extension)
        config.extra_css.append(CSS_URI)
        config.extra_javascript.append(JS_URI)
        if self.lock is None:
            # One build or preview per project: a second one waits, then stops with a message.
            self.lock = sitedir.SiteLock(self.settings.cache_dir / "build.lock")
            said: list[str] = []
            try:
                self.lock.acquire(said=said)
            except sitedir.Busy as exc:
                self.lock = None
                raise PluginError(str(exc)) from None
            for line in said:
                log.info("%s: waited for it", line)
        if self.command == "build" and self.config.atomic:
            self.final_site = Path(config.site_dir).resolve()
            self.staging = sitedir.new_staging(self.final_site)
            config.site_dir = str(self.staging)
        if config.strict and self.warnings is None:
            self.warnings = CountHandler()
            self.warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def on_pre_build(self, *, config: Any) -> None:
        if not self.config.enabled:
            return
        self.pages_written = 0
        try:
            self.project = pipeline.prepare_rendered(self.settings)
        except WriterError as exc:
            raise PluginError(exc.report()) from None
        if self.dirty and self.built is not None:
            # A preview rebuild: only the pages and files that a change reaches.
            self.reached = reach.reached_pages(self.built, self.project)
            self.fresh_charts = reach.changed_charts(self.built, self.project)
        embed_policy = csp.policy(extra=self.config.csp_extra) if self.config.csp else ""
        self.outputs = Outputs(
            self.project,
            config.site_name,
            config.site_url,
            self.settings.cache_dir,
            embed_head=csp.meta_tag(embed_policy) if embed_policy else "",
        )
        self.script_hashes = set()
        self.policy_pages = []
        self.texts = TextCache(self.settings.cache_dir / "figures")
        self.pages_started = time.perf_counter()

    def on_files(self, files: Files, *, config: Any) -> Files:
        if not self.config.enabled or self.project is None:
            return files
        if self.reached is not None:
            for page_file in files.documentation_pages():
                if page_file.src_uri in self.reached:  # its Markdown did not change; its data did
                    page_file.is_modified = lambda: True  # type: ignore[method-assign]
        sizes = figure.size_css(
            (r.svg, r.narrow_svg, uses_pointer_position(self.project.charts[chart_id].spec))
            for chart_id, r in sorted(self.project.rendered.items())
        )
        css = (ASSETS / "site-builder.css").read_text(encoding="utf-8") + breakpoint_css() + sizes
        files.append(File.generated(config, CSS_URI, content=css))
        bundle = runtime_bundle(self.settings.cache_dir)
        script = (ASSETS / "site-builder.js").read_text(encoding="utf-8")
        files.append(
            File.generated(config, JS_URI, content=script.replace("__SB_RUNTIME__", bundle.name))
        )
        files.append(
            File.generated(config, f"assets/site-builder/{bundle.name}", abs_src_path=str(bundle))
        )
        embed_script = (ASSETS / "embed.js").read_text(encoding="utf-8")
        files.append(File.generated(config, EMBED_SCRIPT, content=embed_script))
        for chart in self.project.charts.values():
            if self.fresh_charts is not None and chart.id not in self.fresh_charts:
                continue  # its files, named by their content, are in the site already
            r = self.project.rendered[chart.id]
            rows, columns = self._table(chart.id)
            names = [c.name for c in columns]
            base = f"{CHART_DIR}/{r.stem}"
            files.append(File.generated(config, f"{base}.png", content=r.png))
            if len(r.fallback) > INLINE_IMAGE_LIMIT:
                files.append(File.generated(config, f"{base}.webp", content=r.fallback))
            files.append(File.generated(config, f"{base}.vl.json", content=r.spec_json))
            if r.narrow_spec_json:
                files.append(
                    File.generated(config, f"{base}.narrow.vl.json", content=r.narrow_spec_json)
                )
            csv = self.texts.get_or_make(  # raw values: only the HTML table is formatted
                ["csv", r.key, json.dumps(names)],
                lambda rows=rows, names=names: figure.data_csv(rows, names),  # type: ignore[misc]
            )
            files.append(File.generated(config, f"{base}.csv", content=csv))
        ledger = json.dumps(
            pipeline.claims_ledger(self.project), indent=1, sort_keys=True, default=str
        )
        files.append(File.generated(config, LEDGER_URI, content=ledger + "\n"))
        before = self.built if self.reached is not None else None
        known = {d.digest for d in before.catalog.datasets.values()} if before else set()
        for ds in self.project.catalog.datasets.values():
            if self.reached is not None and ds.digest in known:
                continue
            content = datasets.download_bytes(ds, self.settings.root)
            name = datasets.download_name(ds)
            files.append(File.generated(config, f"{DATA_DIR}/{name}", content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: Any, files: Files) -> str:
        if self.extension is not None:
            self.extension.unknown.clear()
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        if self.extension is not None and self.extension.unknown:
            names = ", ".join(sorted(set(self.extension.unknown)))
            raise PluginError(f"{page.file.src_uri}: unknown fact(s) {names}")
        # A fact in raw HTML is not Markdown text: it would be published as written.
        for ref in sorted(set(FACT_REF.findall(_CODE.sub("", html)))):
            log.warning(
                "%s: {{ fact: %s }} sits inside raw HTML, where it is not replaced\n"
                "  hint: put it in Markdown text (a paragraph, list or table), or add "
                'markdown="1" to the HTML element (with the attr_list and md_in_html extensions)',
                page.file.src_uri,
                ref,
            )
        for url in unsafe_links(html):
            log.warning(
                "%s: links to %r, which is not an http(s) URL or a path in the site; a link "
                "like it could run script\n  hint: link to https:// addresses only",
                page.file.src_uri,
                url[:60],
            )
        return html

    def on_post_page(self, output: str, *, page: Page, config: Any) -> str:
        """Put each chart's SVG and table in, now that search has indexed the page text."""
        if self.project is None:
            return output
        output = _name_search_dialog(output)
        self.pages_written += 1
        if self.pages_written % 100 == 0:
            log.info("pages: %d written", self.pages_written)
        refs = self.project.pages.get(page.file.src_uri)
        if self.outputs is not None:
            summary = str(page.meta.get("description") or config.site_description or "")
            charts = [c for c, _ in refs.charts] if refs else []
            head = self.outputs.page_head(page.title or "", page.url, summary, charts)
            output = output.replace("</head>", head + "</head>", 1)
        for chart_id, _ in refs.charts if refs else []:
            body = self._body_for(chart_id, page.url, embed=True)
            if self.outputs is not None:
                body = self.outputs.with_embed_note(body)
            output = output.replace(body_marker(chart_id), body)
        for name, _ in refs.datasets if refs else []:
            output = output.replace(datasets_marker(name), self._datasets_for(name, page.url))
        return self._await_policy(output, page.file.dest_uri)

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        if self.project is None or not template_name.endswith(".html"):
            return output_content
        return self._await_policy(output_content, template_name)  # 404.html

    def _await_policy(self, html: str, dest: str) -> str:
        """Note the page's inline scripts; its policy goes in once all pages are written."""
        if not self.config.csp:
            return html
        self.script_hashes |= csp.inline_script_hashes(html)
        self.policy_pages.append(dest)
        return csp.with_marker(html)

    def _write_policies(self, site_dir: Path) -> None:
        if self.config.csp:
            csp.write_policies(
                site_dir, self.policy_pages, self.script_hashes, self.config.csp_extra, EMBED_DIR
            )

    @event_priority(-100)  # last: every other plugin has written its files
    def on_post_build(self, *, config: Any) -> None:
        clock = time.perf_counter()
        if self.project is not None:
            # MkDocs' own work and our figures: navigation, pages, templates, search index.
            self.project.timings["page"] = clock - self.pages_started
        if self.outputs is not None:
            self.outputs.write(Path(config.site_dir), self._standalone_figure, self.fresh_charts)
            self._write_policies(Path(config.site_dir))
        if self.project is not None:
            p = self.project
            p.timings["write"] = time.perf_counter() - clock  # embed pages, cards, feed
            fresh = sum(1 for r in p.rendered.values() if not r.from_cache)
            stages = ", ".join(f"{k} {v:.2f} s" for k, v in p.timings.items())
            log.info(
                "site-builder: %d pages, %d charts (%d rendered, %d from cache), %d facts, "
                "%d datasets; %s",
                self.pages_written,
                len(p.charts),
                fresh,
                len(p.rendered) - fresh,
                len(p.facts),
                len(p.catalog.datasets),
                stages,
            )
        if self.dirty and not (self.warnings and self.warnings.get_counts()):
            self.built, self.reached, self.fresh_charts = self.project, None, None
        if self.staging is None or self.final_site is None:
            return
        if self.warnings is not None and self.warnings.get_counts():
            return  # strict mode aborts next; on_build_error removes the staging folder
        sitedir.swap_in(self.staging, self.final_site)
        config.site_dir = str(self.final_site)
        self.staging = None

    def on_build_error(self, *, error: Exception) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def on_shutdown(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        if not self.config.enabled:
            return server  # a plain MkDocs preview
        for folder in (self.settings.data_dir, self.settings.charts_dir):
            if folder.is_dir():
                server.watch(str(folder))
        _keep_serving_after_errors(server)
        return server

    # -- figures ---------------------------------------------------------------------------

    def _fact_texts(self) -> dict[str, str]:
        return {k: f.text for k, f in self.project.facts.items()} if self.project else {}

    def _figure_for(self, chart_id: str) -> str:
        assert self.project is not None
        chart = self.project.charts[chart_id]
        d = chart.definition
        caption = figure.caption_html(
            chart_id, d.title, d.subtitle, d.notes, self.project.sources_of(chart)
        )
        return figure.figure_html(caption, body_marker(chart_id), chart_id)

    def _table(self, chart_id: str) -> tuple[list[dict[str, Any]], list[tables.Column]]:
        assert self.project is not None
        chart = self.project.charts[chart_id]
        rows = plotted_rows(chart.spec)
        types = {name: f.type for name, f in self.project.fields_of(chart).items()}
        return rows, tables.table_columns(chart.spec, rows, types)

    def _datasets_for(self, name: str, page_url: str) -> str:
        assert self.project is not None
        catalog = self.project.catalog
        chosen = [catalog.datasets[name]] if name else list(catalog.datasets.values())
        return "".join(
            datasets.dataset_html(
                ds, _relative(f"{DATA_DIR}/{datasets.download_name(ds)}", page_url)
            )
            for ds in chosen
        )

    def _standalone_figure(self, chart_id: str, page_url: str) -> str:
        """The whole figure, as an embed page shows it."""
        assert self.project is not None
        d = self.project.charts[chart_id].definition
        caption = figure.caption_html(
            chart_id,
            d.title,
            d.subtitle,
            d.notes,
            self.project.sources_of(self.project.charts[chart_id]),
        )
        return figure.figure_html(caption, self._body_for(chart_id, page_url), chart_id)

    def _body_for(self, chart_id: str, page_url: str, embed: bool = False) -> str:
        assert self.project is not None
        chart = self.project.charts[chart_id]
        r = self.project.rendered[chart_id]
        rows, columns = self._table(chart_id)
        fields = self.project.fields_of(chart)
        labelled = [(c.name, fields[c.name].label if c.name in fields else c.name) for c in columns]

        def link(ext: str) -> str:
            return _relative(f"{CHART_DIR}/{r.stem}.{ext}", page_url)

        d = chart.definition
        formats = json.dumps([(c.name, c.kind, c.format) for c in columns])
        table = self.texts.get_or_make(
            ["table", r.key, d.title, json.dumps(labelled), formats],
            lambda: figure.table_html(
                rows, labelled, f"Data: {d.title}", tables.cell_formatter(columns)
            ),
        )
        return figure.body_html(
            chart_id,
            d.title,
            self.project.description_of(chart),
            (r.svg, r.narrow_svg),
            rows,
            labelled,
            figure.FigureLinks(
                png=link("png"),
                csv=link("csv"),
                spec=link("vl.json"),
                narrow_spec=link("narrow.vl.json") if r.narrow_spec_json else "",
                fallback=_fallback_src(r.fallback, link("webp")),
            ),
            exact=uses_pointer_position(chart.spec),
            embed=self.outputs.embed_snippet(chart_id, page_url) if embed and self.outputs else "",
            table=table,
        )


# A dense chart's image up to this size goes into the page itself, so it shows with the page
# (before DOMContentLoaded, like an inline SVG) at about the weight of an SVG at the budget.
INLINE_IMAGE_LIMIT = 64_000


def _fallback_src(image: bytes, link: str) -> str:
    """Where a page finds the image shown for an SVG over the budget ("": none)."""
    if not image:
        return ""
    if len(image) > INLINE_IMAGE_LIMIT:
        return link
    return "data:image/webp;base64," + base64.b64encode(image).decode("ascii")


def _relative(target: str, page_url: str) -> str:
    """A link from the page at `page_url` to a file at `target` (both from the site root)."""
    page_dir = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    return posixpath.relpath(target, page_dir or ".")


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build; the preview rebuilds what a change reaches itself."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


_SEARCH_DIALOG = re.compile(r'(<div class="md-search"[^>]*role="dialog")(?![^>]*aria-label)')


def _name_search_dialog(html: str) -> str:
    """Material's search dialog has no accessible name: give it one."""
    return _SEARCH_DIALOG.sub(r'\1 aria-label="Search"', html, count=1)


def _quiet_rebuild_aborts() -> None:
    """During `serve`, a failed rebuild has already logged the writer's problems; MkDocs would
    then print the traceback of its own abort as well. Print nothing more for that abort."""
    import sys
    import traceback

    import mkdocs.livereload as livereload
    from mkdocs.exceptions import Abort

    class Traceback:
        def __getattr__(self, name: str) -> Any:
            return getattr(traceback, name)

        @staticmethod
        def print_exc(*args: Any, **kwargs: Any) -> None:
            if not isinstance(sys.exc_info()[1], Abort):
                traceback.print_exc(*args, **kwargs)

    livereload.traceback = Traceback()  # type: ignore[assignment]


def _keep_serving_after_errors(server: Any) -> None:
    """After a failed rebuild MkDocs holds every request until the next good build. Our checks
    fail before anything is written, so the last good site is still there: serve it."""
    needed = ("builder", "_epoch_cond", "_visible_epoch", "_wanted_epoch")
    if not all(hasattr(server, name) for name in needed):
        return  # a MkDocs whose server works differently: keep its behaviour
    build = server.builder

    def build_or_keep_last() -> None:
        try:
            build()
        except Exception:
            with server._epoch_cond:
                server._visible_epoch = server._wanted_epoch
                server._epoch_cond.notify_all()
            raise

    server.builder = build_or_keep_last
