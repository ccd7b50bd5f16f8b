"""The MkDocs plugin: a thin adapter between MkDocs' build events and the pipeline."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, set_exclusions
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_relative_url

from . import (
    csp,
    editions,
    nojsdark,
    pagekeys,
    pipeline,
    preview,
    reach,
    reload,
    sitedir,
    translations,
)
from .bundlejs import BUNDLE_URI, ROOT_SCHEME_CSS, edit_bundle
from .cache import TextCache
from .cjk import join_lines
from .config import SiteBuilderConfig, settings_from
from .errors import WriterError, settings_problem
from .facts import FACT_REF
from .figures import CHART_DIR, DATA_DIR, Figures
from .maincss import MAIN_URI, for_site
from .manifest import Manifest, key_of
from .markdown import PageRefs, StoryExtension, body_marker, datasets_marker
from .outputs import CARD_DIR, EMBED_DIR, EMBED_SCRIPT, Outputs
from .palettecss import PALETTE_URI, without_switching_rule
from .paths import shown_path
from .previewsearch import PreviewSearch
from .runtime import runtime_bundle
from .strings import words_for
from .templates import cache_templates
from .urls import UNSAFE, UNSAFE_HINT, unsafe_links

__all__ = ["SiteBuilderConfig", "SiteBuilderPlugin", "settings_from"]

log = get_plugin_logger("site-builder")  # messages read "site-builder: ..."
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
# The theme's stylesheet link, and the path to the site's root before it.
_THEME_CSS = re.compile(r'<link rel="stylesheet" href="([^"]*)assets/stylesheets/main\.')
# An element's id in the page's HTML: what a link's #anchor may name.
_ELEMENT_ID = re.compile(r"<[a-zA-Z][^<>]*?\sid=\"([^\"]+)\"")
ASSETS = Path(__file__).parent / "assets"
CSS_URI = "assets/site-builder/site-builder.css"
JS_URI = "assets/site-builder/site-builder.js"
EDITIONS_JS_URI = "assets/site-builder/editions.js"  # only in a site with editions
LEDGER_URI = "claims.json"  # every fact used in prose: page, line, value, dataset, row
# Folders of the replaced site a build keeps whole (sitedir.new_staging): most of their files
# are the published ones, found in place by the manifest rather than linked one by one.
KEPT_DIRS = (CHART_DIR, DATA_DIR, EMBED_DIR, CARD_DIR)
# What a page linked from the published site renders instead of the theme's template.
_LINKED_TEMPLATE = "site-builder/linked-page.html"


@dataclass
class _Finish:
    """What on_post_page puts in a page, and what it is made from (for the page's key)."""

    head: str  # the social card's and other meta tags
    figures: Figures
    embeds: dict[str, str]  # chart -> its embed code ("": none)
    shown: dict[str, str]  # dataset name -> its description
    inputs: list[str]


class SiteBuilderPlugin(BasePlugin[SiteBuilderConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.project: pipeline.Project | None = None
        self.final_site: Path | None = None
        self.staging: Path | None = None
        self.manifest: Manifest | None = None  # the published site's files, by their inputs
        self.sweep: threading.Thread | None = None  # removing what earlier builds left
        self.skipped: set[str] = set()  # pages linked from the published site, not written
        # page group -> its key but the policy, and its inline scripts' hashes
        self.pages_made: dict[str, tuple[str, list[str]]] = {}
        # Pages whose template's inputs have a key (pagekeys.py): src_uri -> key; those linked
        # from the published site before their template is rendered; what each page gets.
        self.nav: Any = None
        self.page_keys: dict[str, str] = {}
        self.linked_pages: set[str] = set()
        self.finishing: dict[str, _Finish] = {}
        self.site_key: str | None = None  # of what every page's template reads alike
        self.page_order: dict[str, int] = {}  # src_uri -> place among the pages MkDocs builds
        self.groups_added: set[str] = set()  # the figure files' groups added to this build
        self.warned: set[tuple[str, str]] = set()  # (where, what): each said once a build
        self.lock: sitedir.SiteLock | None = None
        self.warnings: CountHandler | None = None
        self.extension: StoryExtension | None = None
        self.pages_written = 0
        self.nojs_dark = False  # pages link the dark palette for readers without JavaScript
        self.theme_css: list[str] = []  # Material's stylesheets, as the site ships them
        self.outputs: Outputs | None = None
        self.figures: Figures | None = None
        self.pages_started = 0.0
        self.script_hashes: set[str] = set()  # of every inline script in the pages written
        self.policy_pages: list[str] = []  # pages (from the site root) awaiting their policy
        # serve --dirty: the last project whose pages were all written, and what changed since;
        # each edition has its own (by locale; None in a site of one language)
        self.dirty = False
        self.built: pipeline.Project | None = None
        self.search = PreviewSearch()  # the preview's search index, kept per page
        self.built_by: dict[str | None, pipeline.Project] = {}
        self.reached: set[str] | None = None  # pages to write again; None: all of them
        self.fresh_charts: set[str] | None = None  # charts whose files change; None: all
        # Editions (editions.py): the one being built; builds of other editions run inside
        # the default one's on_post_build, and `outer` keeps the enclosing build's state.
        self.edition: editions.Edition | None = None
        self.outer: list[dict[str, Any]] = []
        self.depth = 0
        # The page being converted or finished is one the edition borrows, in the default
        # language: its facts and figures are the default edition's.
        self.borrowed = False
        self.sitemap: dict[str, dict[str, str]] = {}  # every edition's pages: URL -> alternates
        # Each page's source (mtime, size) as the edition's last good build read it, and this
        # build's
        self.stamps: dict[str, tuple[int, int]] = {}
        self.stamps_by: dict[str | None, dict[str, tuple[int, int]]] = {}
        self.reading: dict[str, tuple[int, int]] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = command == "serve" and dirty
        if command == "serve":
            _quiet_rebuild_aborts()
        if self.dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)

    @event_priority(100)  # first: other plugins must see the staging site_dir
    def on_config(self, config: Any) -> Any:
        if not self.config.enabled or self.depth > 0:  # another edition's build: set up once
            return config
        logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(
            editions.no_instant_warning
        )
        logging.getLogger("site_builder").parent = logging.getLogger("mkdocs")
        problems = csp.check_extra(self.config.csp_extra)
        if problems:
            raise PluginError("mkdocs.yml: site-builder: " + "; ".join(problems))
        self.settings = settings_from(config, self.config)
        cache_templates(config.theme, self.settings.cache_dir / "templates", self.settings.root)
        self.extension = StoryExtension(figure_for=self._placeholder, facts=self._fact_texts)
        config.markdown_extensions.append(self.extension)
        config.extra_css.append(CSS_URI)
        config.extra_javascript.append(JS_URI)
        if editions.languages(config):
            config.extra_javascript.append(EDITIONS_JS_URI)
        if self.lock is None:
            # One build or preview per project: a second one waits, then stops with a message.
            self.lock = sitedir.SiteLock(self.settings.cache_dir / "build.lock")
            try:
                self.lock.acquire(tell=log.info)
            except sitedir.Busy as exc:
                self.lock = None
                raise PluginError(str(exc)) from None
        if self.command == "build" and self.config.atomic:
            self.final_site = Path(config.site_dir).resolve()
            self.staging, self.sweep = sitedir.new_staging(self.final_site, keep=KEPT_DIRS)
            self.manifest = Manifest(
                self.settings.cache_dir, self.final_site, self.staging, kept=KEPT_DIRS
            )
            self.skipped, self.pages_made = set(), {}
            logging.getLogger("mkdocs.commands.build").addFilter(self._not_skipped)
            config.site_dir = str(self.staging)
        if config.strict and self.warnings is None:
            self.warnings = CountHandler()
            self.warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def on_pre_build(self, *, config: Any) -> None:
        if not self.config.enabled:
            return
        self.depth += 1
        if self.depth > 1:
            self.outer.append({k: getattr(self, k) for k in _EDITION_STATE})
        if self.command == "serve":
            self.search.start(config)
        self.edition = editions.current_edition(config)
        self.pages_written = 0
        self.page_keys, self.linked_pages, self.finishing = {}, set(), {}
        self.site_key, self.page_order, self.groups_added = None, {}, set()
        try:
            if self.depth == 1 or self.project is None:
                serving = self.command == "serve"
                # A one-off build may read the pages while the changed charts are made.
                defer = self.command == "build" and self.edition is None
                defer = defer and pagekeys.foreseeable(config)
                self.project = pipeline.prepare_rendered(
                    self.settings, serving, defer, self._premaker()
                )
            elif self.edition is not None and not self.edition.default:
                # Another edition's build: the default one's project, in this language (in a
                # preview, made again only when what makes it changed).
                prepare = preview.edition_project if self.dirty else translations.prepare_edition
                self.project = prepare(self.project, self.edition.locale)
        except WriterError as exc:
            raise PluginError(exc.report()) from None
        locale = self.edition.locale if self.edition else None
        self.built = self.built_by.get(locale)
        self.stamps = self.stamps_by.setdefault(locale, {})
        self.reached, self.fresh_charts = None, None
        if self.dirty and self.built is not None:
            # A preview rebuild: only the pages and files that a change reaches (in each
            # edition, since its last good build).
            self.fresh_charts = reach.changed_charts(self.built, self.project)
            self.reached = reach.reached_pages(self.built, self.project, self.fresh_charts)
        embed_policy = csp.policy(extra=self.config.csp_extra) if self._policy_on() else ""
        words = words_for(self.edition.locale if self.edition else None)
        self.outputs = Outputs(
            self.project,
            config.site_name,
            config.site_url,
            self.settings.cache_dir,
            get_relative_url,
            embed_head=csp.meta_tag(embed_policy) if embed_policy else "",
            prefix=self.edition.prefix if self.edition else "",
            words=words,
            cards_later=self.dirty,
            manifest=self.manifest,
        )
        self.figures = Figures(
            self.project, TextCache(self.settings.cache_dir / "figures"), get_relative_url, words
        )
        if self.depth == 1:  # one policy and sitemap for the pages of every edition, at the end
            self.warned = set()
            self.script_hashes = set()
            self.policy_pages = []
            self.sitemap = {}
        self.pages_started = time.perf_counter()

    def _premaker(self) -> pipeline.AfterRender:
        """Each chart's figure made as soon as it is rendered, in this edition's words (the
        pages find it in the cache)."""
        words = words_for(self.edition.locale if self.edition else None)
        made: list[Figures] = []

        def premake(project: pipeline.Project, chart_id: str) -> None:
            if not made:
                texts = TextCache(self.settings.cache_dir / "figures")
                made.append(Figures(project, texts, get_relative_url, words))
            made[0].premake(chart_id)

        return premake

    @event_priority(-110)  # after mkdocs-static-i18n, which sorts the writer's pages by language
    def on_files(self, files: Files, *, config: Any) -> Files:
        if not self.config.enabled or self.figures is None:
            return files
        if self.dirty:
            self._mark_pages_to_write(files)
        self.theme_css = _theme_assets(files, config, TextCache(self.settings.cache_dir / "theme"))
        if self.manifest is not None:  # MkDocs writes these: not through a kept file
            for file in files:
                self.manifest.clear(file.dest_uri)
        bundle = runtime_bundle(self.settings.cache_dir)
        script = (ASSETS / "site-builder.js").read_text(encoding="utf-8")
        files.append(
            File.generated(config, JS_URI, content=script.replace("__SB_RUNTIME__", bundle.name))
        )
        if not self._reused(f"assets/site-builder/{bundle.name}", bundle.read_bytes()):
            files.append(
                File.generated(
                    config, f"assets/site-builder/{bundle.name}", abs_src_path=str(bundle)
                )
            )
        embed_script = (ASSETS / "embed.js").read_text(encoding="utf-8")
        files.append(File.generated(config, EMBED_SCRIPT, content=embed_script))
        if self.edition is not None:
            script = (ASSETS / "editions.js").read_text(encoding="utf-8")
            files.append(File.generated(config, EDITIONS_JS_URI, content=script))
        self.nojs_dark = nojsdark.palettes(config.theme) is not None
        if self.project is not None and self.project.pending is None:
            self._add_stylesheets(files, config)  # else once the charts are made (on_env)
            self._add_file_groups(files, config)
        if self.depth > 1:
            return files  # the ledger covers every page, of every edition
        ledger = json.dumps(
            pipeline.claims_ledger(self.figures.project), indent=1, sort_keys=True, default=str
        )
        files.append(File.generated(config, LEDGER_URI, content=ledger + "\n"))
        return files

    def _add_stylesheets(self, files: Files, config: Any) -> None:
        """Our stylesheet (with the charts' sizes) and the dark palette without JavaScript."""
        assert self.figures is not None
        base = (ASSETS / "site-builder.css").read_text(encoding="utf-8")
        # One stylesheet for every edition: the sizes of their charts too.
        css = self.figures.stylesheet(base, [state["project"] for state in self.outer])
        files.append(File.generated(config, CSS_URI, content=css))
        pair = nojsdark.palettes(config.theme)
        if pair is not None:
            # The writer's own stylesheets too (`extra_css` in the docs folder), in their order.
            own = [files.get_file_from_path(str(uri)) for uri in config.extra_css]
            sheets = [
                *self.theme_css,
                *(_read(f.abs_src_path) for f in own if f is not None and f.abs_src_path),
                css,
            ]
            # Made once per stylesheets and palettes: parsing the theme's takes ~0.2 s.
            dark_css = TextCache(self.settings.cache_dir / "theme").get_or_make(
                ["nojs-dark", repr(pair), *sheets], lambda: nojsdark.dark_rules(sheets, *pair)
            )
            files.append(File.generated(config, nojsdark.URI, content=dark_css))

    def _add_file_groups(
        self, files: Files, config: Any, wanted: Callable[[str], bool] | None = None
    ) -> None:
        """Each figure's files (`wanted`: the groups, by name, to add now)."""
        assert self.figures is not None
        before = self.built if self.reached is not None else None
        known = {d.digest for d in before.catalog.datasets.values()} if before else set()
        # In a preview, only what changed: other files, named by their content, are there already.
        prefix = self.edition.prefix if self.edition else ""
        for group in self.figures.file_groups(self.fresh_charts, known):
            if group.name in self.groups_added or (wanted is not None and not wanted(group.name)):
                continue
            self.groups_added.add(group.name)
            name = prefix + group.name
            if self.manifest is not None and self.manifest.link(name, group.key):
                continue  # the published files, made from the same inputs: not read
            made = group.make()
            for path, content in made:
                if self.manifest is not None:
                    self.manifest.clear(path)  # a kept file there is not the one made
                if self.staging is not None and os.path.lexists(self.staging / path):
                    continue  # named by its content, and in the new site already (an edition's)
                data = content.read_bytes() if isinstance(content, Path) else content
                if self._reused(path, data.encode() if isinstance(data, str) else data):
                    continue
                if isinstance(content, Path):  # copied from the render cache, never held
                    files.append(File.generated(config, path, abs_src_path=str(content)))
                else:
                    files.append(File.generated(config, path, content=content))
            if self.manifest is not None:
                self.manifest.add(name, group.key, [path for path, _ in made])

    def _mark_pages_to_write(self, files: Files) -> None:
        """A preview rebuild writes a page whose source changed since the last good build read
        it, or whose charts, facts or datasets changed. MkDocs' own test (source newer than
        the page written) misses a save that lands while a rebuild reads the half-written file:
        the page written after it is newer, and kept the half."""
        self.reading = {}
        for page_file in files.documentation_pages():
            uri = page_file.src_uri
            try:
                st = os.stat(page_file.abs_src_path or "")
            except OSError:
                continue  # gone: MkDocs reports it
            self.reading[uri] = (st.st_mtime_ns, st.st_size)
            write = (
                self.built is None
                or self.stamps.get(uri) != self.reading[uri]
                or (self.reached is not None and uri in self.reached)
            )
            page_file.is_modified = lambda write=write: write  # type: ignore[method-assign, misc]

    def _reused(self, path: str, content: bytes) -> bool:
        """A file the published site holds already, as it is: linked into the new site."""
        if self.staging is None or self.final_site is None:
            return False
        return sitedir.reuse(self.final_site, self.staging, path, content)

    def on_page_markdown(self, markdown: str, *, page: Page, config: Any, files: Files) -> str:
        if self.config.enabled and self.extension is not None:
            self.extension.unknown.clear()
        self.borrowed = self._is_borrowed(page)  # for the Markdown extension, as it converts
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        if not self.config.enabled:
            return html
        if self.extension is not None and self.extension.unknown:
            names = ", ".join(sorted(set(self.extension.unknown)))
            raise PluginError(f"{page.file.src_uri}: unknown fact(s) {names}")
        # A fact in raw HTML is not Markdown text: it would be published as written.
        for ref in sorted(set(FACT_REF.findall(_CODE.sub("", html)))):
            log.warning(
                "%s: {{ fact: %s }} sits inside raw HTML, where it is not replaced\n"
                "  hint: put it in Markdown text (a paragraph, list or table), or add "
                'markdown="1" to the HTML element (with the attr_list and md_in_html extensions)',
                self._where(page, ""),  # the file: the same fact may be in its prose too
                ref,
            )
        for url in unsafe_links(html):
            where = self._where(page, url)
            if (where, url) in self.warned:
                continue  # the same page, borrowed by another edition
            self.warned.add((where, url))
            log.warning("%s: links to %r, %s\n  hint: %s", where, url[:60], UNSAFE, UNSAFE_HINT)
        self._note_anchors(page, html)
        return join_lines(html)

    def _note_anchors(self, page: Page, html: str) -> None:
        """Figures and dataset tables as anchors MkDocs' link check knows (it sees only the
        Markdown's own ids); a figure whose id a heading has too is named."""
        ids = _add_anchors(page, html)
        refs = (self.project.pages.get(page.file.src_uri) if self.project else None) or PageRefs()
        for chart_id, line in refs.charts:
            if ids.count(chart_id) > 1 and (refs.path, chart_id) not in self.warned:
                self.warned.add((refs.path, chart_id))  # once, not once per edition
                log.warning(
                    "%s:%d: chart '%s' has the id of another element of the page (a heading?): "
                    "a link to #%s finds only the first\n  hint: give the heading an id of its "
                    "own, e.g. '## Heading {#%s-text}' (attr_list), or rename the chart",
                    refs.path,
                    line,
                    chart_id,
                    chart_id,
                    chart_id,
                )

    def _where(self, page: Page, text: str) -> str:
        """The page's file, at the line and column where its Markdown first has `text` (none
        for "")."""
        source = page.file.abs_src_path
        shown = shown_path(source, self.settings.root) if source else page.file.src_uri
        # The file as written: the page's Markdown has lost its front matter's lines.
        written = _read(source) if source and text else ""
        for number, line in enumerate(written.splitlines(), 1):
            if text in line:
                return f"{shown}:{number}:{line.index(text) + 1}"
        return shown

    @event_priority(-110)  # last: the nav as other plugins left it
    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.nav = nav
        return nav

    @event_priority(-110)  # last: every page is read and converted
    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        if self.config.enabled and self.project is not None:
            self.page_order = {f.src_uri: i for i, f in enumerate(files.documentation_pages())}
            pending = self.project.pending
            if pending is not None:
                # What the charts being made do not reach, while they are made; then the rest.
                known = {id(f) for f in files}
                self._add_file_groups(files, config, lambda group: not pending.reaches(group))
                pages = self.project.pages
                self._link_unchanged_pages(
                    config,
                    files,
                    lambda file: (
                        not file.dest_uri.startswith("assets/")  # files still to come
                        and not pending.reaches_page(pages.get(file.src_uri, PageRefs()))
                    ),
                )
                self._finish_charts(files, config, pending)
                # As on_files adds them: before MkDocs applies the site's exclusions.
                set_exclusions([f for f in files if id(f) not in known], config)
            self._link_unchanged_pages(config, files)
            self._log_linked(env)
        return env

    def _finish_charts(self, files: Files, config: Any, pending: pipeline.Pending) -> None:
        """The charts made while the pages were read: waited for, then their files added as
        on_files adds them (before MkDocs copies the files)."""
        try:
            pending.finish()
        except WriterError as exc:
            raise PluginError(exc.report()) from None
        self._add_stylesheets(files, config)
        self._add_file_groups(files, config)  # the others (and any chart new with the data)

    def _link_unchanged_pages(
        self, config: Any, files: Files, wanted: Callable[[File], bool] | None = None
    ) -> None:
        """Each page (not keyed yet; `wanted` of them) whose template would read what it read
        for the published page: linked from the published site, and given an empty template to
        render (pagekeys.py)."""
        if self.manifest is None or self.edition is not None or self.nav is None:
            return
        if self.site_key is None:  # the same for both passes of a build
            self.site_key = pagekeys.site_inputs(config, self.nav, files) or ""
        common = self.site_key
        if not common:
            return
        expected = self._expected_policy()
        # A page linked now is in the new site before MkDocs copies the static files and
        # writes the templates: one of them written at its address would be written into the
        # published page (404.html, say, with a 404.md page and use_directory_urls: false).
        written = {f.dest_uri for f in files if not f.is_documentation_page()}
        written |= {*config.theme.static_templates, *config.extra_templates}
        for file in files.documentation_pages():
            page = file.page
            if page is None or file.dest_uri in written or file.src_uri in self.page_keys:
                continue
            if wanted is not None and not wanted(file):
                continue
            finish = self._finishing(page, config)
            key = key_of("page-inputs", common, pagekeys.page_inputs(page), *finish.inputs)
            self.page_keys[file.src_uri] = key
            group = f"page:{file.dest_uri}"
            scripts = self.manifest.recorded(group).get("scripts")
            if isinstance(scripts, list) and self.manifest.link(group, key_of(key, expected)):
                self.linked_pages.add(file.src_uri)
                self.script_hashes.update(str(s) for s in scripts)
                if self._policy_on():
                    self.policy_pages.append(file.dest_uri)
                page.meta["template"] = _LINKED_TEMPLATE

    def _log_linked(self, env: Any) -> None:
        if not self.page_keys:
            return
        log.info(
            "pages: %d of %d as published, linked without rendering their template",
            len(self.linked_pages),
            len(self.page_keys),
        )
        if self.linked_pages:
            env.loader = jinja2.ChoiceLoader(
                [jinja2.DictLoader({_LINKED_TEMPLATE: ""}), env.loader]
            )

    def _finishing(self, page: Page, config: Any) -> _Finish:
        """What on_post_page puts in the page (made once per page and build)."""
        made = self.finishing.get(page.file.src_uri)
        if made is not None:
            return made
        self.borrowed = self._is_borrowed(page)
        figures = self._page_figures()
        refs = self.project.pages.get(page.file.src_uri) if self.project else None
        charts = [c for c, _ in refs.charts] if refs else []
        head = ""
        if self.outputs is not None:
            summary = str(page.meta.get("description") or config.site_description or "")
            order = self.page_order.get(page.file.src_uri, len(self.page_order))
            head = self.outputs.page_head(_plain(page.title), page.url, summary, charts, order)
        embeds = {
            chart_id: self.outputs.embed_snippet(chart_id, page.url) if self.outputs else ""
            for chart_id in charts
        }
        datasets = refs.datasets if refs else []
        shown = {name: figures.datasets(name, page.url) for name, _ in datasets}
        inputs: list[str] = [
            head,
            str(self.nojs_dark),
            self.outputs.site_url or "" if self.outputs else "",
        ]
        for chart_id, embed in embeds.items():
            inputs += [chart_id, embed, *figures.body_inputs(chart_id, bool(embed))]
        inputs += [html for _, html in sorted(shown.items())]
        made = self.finishing[page.file.src_uri] = _Finish(head, figures, embeds, shown, inputs)
        return made

    def on_post_page(self, output: str, *, page: Page, config: Any) -> str:
        """Put each chart's SVG and table in, now that search has indexed the page text."""
        if not self.config.enabled or self.project is None or self.figures is None:
            return output
        self.pages_written += 1
        if self.pages_written % 100 == 0:
            log.info("pages: %d written", self.pages_written)
        if page.file.src_uri in self.linked_pages:
            self.skipped.add(page.file.src_uri)
            return ""  # linked from the published site already: MkDocs writes nothing
        output = _escaped_title(output, page, config)
        output = _name_search_dialog(output)
        if self.nojs_dark:
            tag = nojsdark.link(get_relative_url(nojsdark.URI, page.url))
            output = output.replace("</head>", tag + "</head>", 1)
        finish = self._finishing(page, config)
        self.finishing.pop(page.file.src_uri, None)
        for html in finish.shown.values():
            _add_anchors(page, html)  # the dataset tables: MkDocs checks links after this
        if finish.head:
            output = output.replace("</head>", finish.head + "</head>", 1)
        figures = finish.figures
        key = self.page_keys.get(page.file.src_uri) or self._page_key(output, page, finish)
        # The policy before the figures go in: they hold no script, and the page is smaller.
        output, scripts = self._await_policy(output, page.file.dest_uri)
        if key is not None and self.manifest is not None:
            group = f"page:{page.file.dest_uri}"
            if self.manifest.link(group, key_of(key, self._expected_policy())):
                # The published page, made from the same inputs: MkDocs writes nothing.
                self.skipped.add(page.file.src_uri)
                return ""
            # In the manifest once its policy is known.
            self.pages_made[group] = (key, sorted(scripts))
        for chart_id, embed in finish.embeds.items():
            body = figures.body(chart_id, page.url, embed=embed)
            if self.outputs is not None:
                body = self.outputs.with_embed_note(body, figures.words)
            output = output.replace(body_marker(chart_id), body)
        for name, html in finish.shown.items():
            output = output.replace(datasets_marker(name), html)
        if self.edition is not None:
            output = self._edition_page(output, page, config)
        return output

    def _page_key(self, output: str, page: Page, finish: _Finish) -> str | None:
        """What the finished page is made from but its policy (for the manifest), where its
        template's inputs have no key: the page as MkDocs made it, and what goes into it; None
        where pages are not linked (a preview, editions)."""
        if self.manifest is None or self.edition is not None or self.outputs is None:
            return None
        digest = hashlib.sha256(output.encode("utf-8", errors="surrogatepass")).hexdigest()
        return key_of("page", page.file.dest_uri, page.url, digest, *finish.inputs)

    def _edition_page(self, output: str, page: Page, config: Any) -> str:
        """Links to the page in the other editions, and its entry in the sitemap."""
        assert self.edition is not None and self.figures is not None
        others = editions.alternates(page.file)
        self.sitemap[page.url] = others
        here = {locale: get_relative_url(url or "./", page.url) for locale, url in others.items()}
        links = editions.links_html(
            self.figures.words["read_in"],
            editions.language_names(config),
            here,
            self.edition.locale,
        )
        written_in = editions.page_locale(page.file, self.edition)
        roots = {locale: f"{locale}/" for locale in editions.languages(config)}
        roots[editions.languages(config)[0]] = "./"
        targets = {locale: get_relative_url(url, page.url) for locale, url in roots.items()}
        targets.update(here)
        return editions.finish_page(output, links, written_in, self.edition, targets)

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        if not self.config.enabled or self.project is None or not template_name.endswith(".html"):
            return output_content
        # 404.html: named and dark as the pages are.
        output_content = _name_search_dialog(output_content)
        theme_css = _THEME_CSS.search(output_content)
        if self.nojs_dark and theme_css:
            # Where the theme's stylesheet is (the 404 page is served at any depth).
            tag = nojsdark.link(theme_css.group(1) + nojsdark.URI)
            output_content = output_content.replace("</head>", tag + "</head>", 1)
        return self._await_policy(output_content, template_name)[0]

    def _await_policy(self, html: str, dest: str) -> tuple[str, set[str]]:
        """Note the page's inline scripts (returned too); its policy goes in once all pages
        are written (the published site's goes in at once, and stays if it is still the one)."""
        if not self._policy_on():
            return html, set()
        scripts = csp.inline_script_hashes(html)
        self.script_hashes |= scripts
        self.policy_pages.append(dest)
        return csp.with_marker(html, self._placed_policy()), scripts

    def _expected_policy(self) -> str:
        """The pages' policy tag if it is still the published site's ("": no policy)."""
        if not self._policy_on() or self.manifest is None:
            return ""
        return self.manifest.last_policy

    def _placed_policy(self) -> str:
        """What pages get where their policy goes, until every page is written."""
        if self.manifest is not None and self.manifest.last_policy:
            return self.manifest.last_policy
        return csp.MARKER

    def _write_sitemap(self, site_dir: Path, site_url: str | None) -> None:
        """Every edition's pages and their alternates (hreflang), in place of the sitemap that
        each edition's build wrote."""
        import gzip

        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
        day = time.strftime("%Y-%m-%d", time.gmtime(epoch))
        xml = editions.sitemap_xml(site_url, self.sitemap, day).encode()
        (site_dir / "sitemap.xml").write_bytes(xml)
        (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(xml, mtime=epoch))

    def _policy_on(self) -> bool:
        """The pages' script policy: not in the preview, whose server adds its own inline
        reload script to every page (a new one per request, so it has no fixed hash)."""
        return bool(self.config.csp) and self.command != "serve"

    def _write_policies(self, site_dir: Path) -> None:
        if self._policy_on():
            tag = csp.write_policies(
                site_dir,
                self.policy_pages,
                self.script_hashes,
                self.config.csp_extra,
                EMBED_DIR,
                self._placed_policy(),
            )
            if self.manifest is not None:
                self.manifest.policy = tag
        if self.manifest is not None:
            final = self.manifest.policy if self._policy_on() else ""
            for group, (key, scripts) in self.pages_made.items():
                path = group.removeprefix("page:")
                self.manifest.add(group, key_of(key, final), [path], {"scripts": scripts})

    # Last: every other plugin has written its files, and mkdocs-static-i18n (-100) has built
    # the other editions.
    @event_priority(-110)
    def on_post_build(self, *, config: Any) -> None:
        if not self.config.enabled:
            return
        clock = time.perf_counter()
        if self.project is not None:
            # MkDocs' own work and our figures: navigation, pages, templates, search index.
            self.project.timings["page"] = clock - self.pages_started
        if self.outputs is not None and self.figures is not None:
            self.outputs.write(
                Path(config.site_dir),
                self.figures.standalone,
                self.fresh_charts,
                published=self.final_site if self.staging is not None else None,
                figure_inputs=self.figures.standalone_inputs,
            )
        if self.depth > 1:  # another edition's build, inside the default one's
            self._remember_built()
            if self.command == "serve":
                self.search.end(config)
            self.depth -= 1
            for name, value in self.outer.pop().items():
                setattr(self, name, value)
            return
        self.depth = 0
        self._write_policies(Path(config.site_dir))
        if self.edition is not None:
            self._write_sitemap(Path(config.site_dir), config.site_url)
        if self.project is not None:
            p = self.project
            p.timings["write"] = time.perf_counter() - clock  # embed pages, cards, feed
            fresh = sum(1 for r in p.rendered.values() if not r.from_cache)
            stages = ", ".join(f"{k} {v:.2f} s" for k, v in p.timings.items())
            log.info(
                "%d pages, %d charts (%d rendered, %d from cache), %d facts, %d datasets; %s",
                self.pages_written,
                len(p.charts),
                fresh,
                len(p.rendered) - fresh,
                len(p.facts),
                len(p.catalog.datasets),
                stages,
            )
        self._remember_built()
        if self.staging is None or self.final_site is None:
            return
        if self.warnings is not None and self.warnings.get_counts():
            return  # strict mode aborts next; on_build_error removes the staging folder
        if self.manifest is not None:
            self.manifest.finish()
        sitedir.swap_in(self.staging, self.final_site)
        config.site_dir = str(self.final_site)
        self.staging = None
        if self.manifest is not None:
            self.manifest.save(self.final_site)
            self.manifest = None
        self._end_sweep()

    def _end_sweep(self) -> None:
        if self.sweep is not None:
            self.sweep.join()
            self.sweep = None

    def _remember_built(self) -> None:
        """A preview's good build: what the edition's next rebuild compares with."""
        if (
            self.dirty
            and self.project is not None
            and not (self.warnings and self.warnings.get_counts())
        ):
            self.built_by[self.edition.locale if self.edition else None] = self.project
            self.stamps.update(self.reading)

    def on_build_error(self, *, error: Exception) -> None:
        self.depth, self.outer = 0, []
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.manifest = None
        self._end_sweep()

    def _not_skipped(self, record: logging.LogRecord) -> bool:
        """MkDocs says so of each page it did not write: a page linked is not news."""
        message = record.getMessage()
        return not (
            message.startswith("Page skipped: '")
            and message.endswith("'. Generated empty output.")
            and message[len("Page skipped: '") : -len("'. Generated empty output.")] in self.skipped
        )

    def on_shutdown(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self._not_skipped)
        self._end_sweep()
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        if not self.config.enabled:
            return server  # a plain MkDocs preview
        _watch_promptly(server)
        for folder in (self.settings.data_dir, self.settings.charts_dir):
            if folder.is_dir():
                server.watch(str(folder))
        _keep_serving_after_errors(server)
        _reload_lightly(server, config)
        preview.warm_up(self.settings)
        return server

    def _is_borrowed(self, page: Page) -> bool:
        return bool(
            self.outer
            and self.edition is not None
            and editions.page_locale(page.file, self.edition) != self.edition.locale
        )

    def _page_figures(self) -> Figures:
        """The figures of the page being written: the default edition's on a borrowed page."""
        figures = self.outer[0]["figures"] if self.borrowed else self.figures
        assert figures is not None
        return figures

    # What the Markdown extension asks of the build.
    def _fact_texts(self) -> dict[str, str]:
        project = self.outer[0]["project"] if self.borrowed else self.project
        return {k: f.text for k, f in project.facts.items()} if project else {}

    def _placeholder(self, chart_id: str) -> str:
        return self._page_figures().placeholder(chart_id)


# What each edition's build has of its own (see on_pre_build).
_EDITION_STATE = [
    "edition",
    "project",
    "outputs",
    "figures",
    "pages_written",
    "nav",
    "page_keys",
    "linked_pages",
    "finishing",
    "pages_started",
    "reached",
    "fresh_charts",
    "built",
    "stamps",
    "reading",
]


def _plain(title: str | None) -> str:
    """A page's title as text: MkDocs keeps the heading's HTML ("AT&amp;T")."""
    return Markup(title or "").striptags()


def _escaped_title(output: str, page: Page, config: Any) -> str:
    """The page's <title> with its text escaped. Material writes it as `page.title |
    striptags`, which turns the heading's "&lt;" back into "<": a fact from a CSV cell in a
    heading ("</title><script>...") became markup in the head."""
    if (page.meta or {}).get("title") or not page.title or page.is_homepage:
        return output
    text = Markup(page.title).striptags()
    site = config.site_name
    written = f"<title>{text} - {site}</title>"
    if written not in output and "<" in text:
        # A theme override wrote the title its own way: nothing here can mend it.
        raise PluginError(
            f"{page.file.src_uri}: the page's title ({text[:60]!r}) holds '<', and the "
            "theme's <title> is not the one this tool escapes; take them out of the heading"
        )
    return output.replace(written, f"<title>{escape(text)} - {escape(site)}</title>", 1)


def _add_anchors(page: Page, html: str) -> list[str]:
    """The ids of `html`'s elements, added to those MkDocs' anchor check knows the page has."""
    ids = [unescape(i) for i in _ELEMENT_ID.findall(html)]
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= set(ids)
    return ids


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


# Where the system cannot tell the preview of a save (watching.py), how often it looks for
# changes (MkDocs: every 0.5 s); and how long it then waits for more before it rebuilds (MkDocs:
# 0.1 s; the events of one save arrive together).
POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.02


def _watch_promptly(server: Any) -> None:
    """Start a rebuild as a save ends, not up to half a second later: MkDocs' watcher polls
    the files; ours is told of each save by the system (inotify), or polls more often."""
    from .watching import Watcher

    needed = ("observer", "watch", "_watched_paths", "_watch_refs", "build_delay")
    if not all(hasattr(server, name) for name in needed) or server.observer.is_alive():
        return  # a MkDocs whose server works differently: keep its behaviour
    watched = dict(server._watched_paths)  # path -> times asked for
    server.observer.unschedule_all()
    server.observer = Watcher(POLL_SECONDS)
    server._watched_paths.clear()
    server._watch_refs.clear()
    for path, times in watched.items():
        for _ in range(times):
            server.watch(path)
    server.build_delay = SETTLE_SECONDS


def _reload_lightly(server: Any, config: Any) -> None:
    """After a rebuild the open tab swaps the page's content in rather than reloading the page
    whole (reload.py): every page served gets our reload script in place of MkDocs' own."""
    if not all(hasattr(server, name) for name in ("_inject_js_into_html", "root")):
        return  # a MkDocs whose server works differently: keep its behaviour
    extra = [str(path) for path in [*config.extra_css, *config.extra_javascript]]
    shell = reload.Shell(Path(server.root), extra)

    def inject(content: bytes, epoch: int) -> bytes:
        return reload.with_script(content, epoch, shell.digest())

    server._inject_js_into_html = inject


def _not_stuck(record: logging.LogRecord) -> bool:
    return "An error happened during the rebuild" not in record.getMessage()  # after its time


def _keep_serving_after_errors(server: Any) -> None:
    """After a failed rebuild MkDocs holds every request until the next good build. Our checks
    fail before anything is written, so the last good site is still there: serve it."""
    needed = ("builder", "_epoch_cond", "_visible_epoch", "_wanted_epoch")
    if not all(hasattr(server, name) for name in needed):
        return  # a MkDocs whose server works differently: keep its behaviour
    from mkdocs.exceptions import Abort, ConfigurationError

    build = server.builder
    # MkDocs then says the server "will appear stuck": it is not.
    logging.getLogger("mkdocs.livereload").addFilter(_not_stuck)

    def build_or_keep_last() -> None:
        try:
            build()
        except Exception as exc:
            with server._epoch_cond:
                server._visible_epoch = server._wanted_epoch
                server._epoch_cond.notify_all()
            if isinstance(exc, ConfigurationError):  # mkdocs.yml as saved cannot be read
                log.error("%s", settings_problem(exc, "fix it and save"))
                exc = Abort("Aborted: mkdocs.yml could not be read")
            log.info("the last good site is still served; save a fix to rebuild")
            raise exc from None

    server.builder = build_or_keep_last


def _theme_assets(files: Files, config: Any, cache: TextCache) -> list[str]:
    """Material's stylesheets and script as the site ships them: the palette without its
    whole-page restyle (palettecss.py), the main one without restyles of its own (maincss.py)
    and with the root's colour scheme, the script without the two restyles as it starts
    (bundlejs.py). Returns the two stylesheets as shipped.

    `cache`: where each edited file is kept by its source, since editing the script alone
    takes tens of milliseconds of every build."""
    stylesheets = []
    edits = [
        (PALETTE_URI, without_switching_rule),
        (MAIN_URI, lambda css: for_site(css) + ROOT_SCHEME_CSS),
        (BUNDLE_URI, _edited_bundle),
    ]
    for file in list(files):
        for uri, edit in edits:
            if uri.fullmatch(file.src_uri) and file.abs_src_path:
                source = Path(file.abs_src_path).read_text(encoding="utf-8")
                digest = hashlib.sha256(source.encode()).hexdigest()
                made = functools.partial(edit, source)
                text = cache.get_or_make(["material", file.src_uri, digest], made, remember=False)
                files.remove(file)
                files.append(File.generated(config, file.src_uri, content=text))
                if uri is not BUNDLE_URI:
                    stylesheets.append(text)
    return stylesheets


def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


def _edited_bundle(js: str) -> str:
    js, made = edit_bundle(js)
    log.debug("Material's script: %s", ", ".join(made) or "unchanged (not the expected code)")
    return js
