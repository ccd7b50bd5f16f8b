"""Files a published story has besides its pages: social cards, embed pages, feed, robots.

Collected while pages are written, then written into the site at the end of the build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from html import escape
from pathlib import Path

from . import publish
from .cache import mark_used, read_entry, tool_digest, write_atomic, write_entry
from .manifest import Manifest, key_of
from .pipeline import Project
from .pool import in_pool, submit_if_running
from .sitedir import reuse
from .strings import EN, Words

log = logging.getLogger("site_builder")

CARD_DIR = "assets/cards"
EMBED_DIR = "embed"
EMBED_SCRIPT = "assets/site-builder/embed.js"  # fits an embedded chart's iframe on the host
# Without the site's address, embed codes can only point at the chart relatively: on another
# site that address finds nothing. Said once per build, and in every embed disclosure.
NO_SITE_URL = (
    "embeds: no site_url, so embed codes use addresses relative to this site and work only "
    "here; set site_url in mkdocs.yml (e.g. site_url: !ENV [SITE_URL, null], then SITE_URL=...)"
)
_EMBED_SUMMARY = re.compile(r'<details class="sb-figure__embed"><summary>.*?</summary>')


@dataclass
class PageInfo:
    title: str
    url: str  # from the site root, e.g. "chips/"
    summary: str
    card: str  # file of its social card, from the site root
    order: int = 0  # its place among the site's pages (they are not made in order)


@dataclass
class Outputs:
    """Everything that depends on the site's address and its pages, for one build."""

    project: Project
    site_name: str
    site_url: str | None
    cache_dir: Path
    # (target, page URL) -> link from that page, both from the site root: the host's own helper
    # (MkDocs: mkdocs.utils.get_relative_url), so that our links read as its links do.
    link: Callable[[str, str], str]
    embed_head: str = ""  # more tags for each embed page's <head> (its policy)
    prefix: str = ""  # the edition's folder from the site root ("zh/"); "" for the default
    words: Words = field(default_factory=lambda: EN)  # the tool's words (strings.py)
    pages: list[PageInfo] = field(default_factory=list)
    cards: dict[str, str] = field(default_factory=dict)  # file -> digest of its SVG
    # Cards not in the cache yet, by digest: the SVG, and its PNG being drawn in the render
    # processes (None: drawn at the end). A PNG drawn goes to the cache at once: the build
    # holds none of them, and only the SVGs still being drawn.
    drawing: dict[str, tuple[str, Future[bytes] | None]] = field(default_factory=dict)
    drawn: set[str] = field(default_factory=set)  # digests of the cards in the cache
    story_of: dict[str, str] = field(default_factory=dict)  # chart id -> first page showing it
    story_order: dict[str, int] = field(default_factory=dict)  # chart id -> that page's place
    # A preview's rebuild does not wait for a card drawing in the render processes: the tab
    # shows no card, so each is written into the site when it is drawn, after the reload.
    cards_later: bool = False
    # The published site's files by their inputs (manifest.py): a card or embed page made
    # from the same inputs is linked from there, not read or made.
    manifest: Manifest | None = None
    linked: set[str] = field(default_factory=set)  # cards linked so
    card_names: dict[str, str] | None = None  # see _card_names
    new_card_names: bool = False

    def __post_init__(self) -> None:
        if not self.site_url and self.project.charts:
            log.info(NO_SITE_URL)

    def absolute(self, path: str) -> str | None:
        return self.site_url.rstrip("/") + "/" + path if self.site_url else None

    def page_head(
        self, title: str, url: str, summary: str, charts: list[str], order: int = 0
    ) -> str:
        """The page's social card (made now, written at the end) and its meta tags. `order`:
        the page's place among the site's pages."""
        lead_chart = charts[0] if charts else None

        def card_svg() -> str:
            if lead_chart is not None:
                chart = self.project.charts[lead_chart]
                svg = self.project.rendered[lead_chart].svg
                return publish.card_svg(chart.definition.title, self.site_name, svg)
            return publish.card_svg(title, self.site_name, "", summary)

        # The card's name by what it is drawn from: a rebuild neither reads the chart's SVG
        # nor lays out the title again to name it.
        if lead_chart is not None:
            made_from = key_of(
                "card",
                self.project.charts[lead_chart].definition.title,
                self.site_name,
                self.project.rendered[lead_chart].key,
            )
        else:
            made_from = key_of("card", title, self.site_name, summary)
        names = self._card_names()
        svg = None
        digest = names.get(made_from, "")
        if not digest:
            svg = card_svg()
            digest = names[made_from] = hashlib.sha256(svg.encode()).hexdigest()
            self.new_card_names = True
        slug = url.strip("/").replace("/", "-") or "index"
        card = f"{CARD_DIR}/{slug}.{digest[:8]}.png"
        self.cards[card] = digest
        if self.manifest is not None and card not in self.linked:
            if self.manifest.link(f"card:{card}", key_of(digest)):
                self.linked.add(card)
                mark_used(self.cache_dir / "cards", digest)  # kept by --prune-cache
            else:
                self.manifest.add(f"card:{card}", key_of(digest), [card])
        if card in self.linked:
            pass  # in the new site already
        elif digest not in self.drawn and digest not in self.drawing:
            if read_entry(self.cache_dir / "cards", digest, [".png"]) is not None:
                self.drawn.add(digest)
            else:  # drawn while the pages are written, if the render processes are running
                svg = svg or card_svg()
                self.drawing[digest] = (svg, submit_if_running(publish.card_png, svg))
        self._keep_cards(wait=False)
        self.pages.append(PageInfo(title, url, summary, card, order))
        for chart_id in charts:
            if chart_id not in self.story_of or order < self.story_order[chart_id]:
                self.story_of[chart_id] = url
                self.story_order[chart_id] = order
        image = self.absolute(card) or self.link(card, url)
        return publish.social_meta(title, summary, image, self.absolute(url), self.site_name)

    def _card_names(self) -> dict[str, str]:
        """Each card's digest by what it is drawn from, as earlier builds found it."""
        if self.card_names is None:
            entry = read_entry(self.cache_dir / "cards", _card_names(), [".json"])
            self.card_names = json.loads(entry[".json"]) if entry else {}
        return self.card_names

    def _keep_card_names(self) -> None:
        if self.new_card_names and self.card_names is not None:
            data = json.dumps(self.card_names, sort_keys=True).encode()
            write_entry(self.cache_dir / "cards", _card_names(), {".json": data})

    def _keep_cards(self, wait: bool) -> None:
        """The cards drawn by now (all of them: `wait`) into the cache, and let go."""
        later = [d for d, (_, job) in self.drawing.items() if job is None] if wait else []
        if later:
            svgs = [self.drawing[d][0] for d in later]
            for digest, png in zip(later, in_pool(publish.card_png, svgs), strict=True):
                self._keep_card(digest, png)
        for digest, (svg, job) in list(self.drawing.items()):
            if job is None or not (wait or job.done()):
                continue
            try:
                png = job.result()
            except BrokenProcessPool:  # the processes are gone: draw it here
                png = publish.card_png(svg)
            self._keep_card(digest, png)

    def _keep_card(self, digest: str, png: bytes) -> None:
        write_entry(self.cache_dir / "cards", digest, {".png": png})
        self.drawn.add(digest)
        del self.drawing[digest]

    def _write_cards(self, site_dir: Path, write: Callable[[Path, bytes], None]) -> None:
        """Every page's card, from the cache or drawn in the render processes."""
        later: set[str] = set()
        if self.cards_later:  # a preview: a card still being drawn is written when drawn
            files: dict[str, list[Path]] = {}
            for file, digest in self.cards.items():
                files.setdefault(digest, []).append(site_dir / file)
            for digest, (_, job) in list(self.drawing.items()):
                if job is not None and not job.done():
                    job.add_done_callback(
                        partial(
                            _write_card, self.cache_dir, digest, site_dir, files.get(digest, [])
                        )
                    )
                    del self.drawing[digest]
                    later.add(digest)
        self._keep_cards(wait=True)
        for file, digest in self.cards.items():
            if digest in later or file in self.linked:
                continue
            entry = read_entry(self.cache_dir / "cards", digest, [".png"])
            if entry is None:
                raise RuntimeError(f"the social card {file} left the cache during the build")
            write(site_dir / file, entry[".png"])

    def embed_snippet(self, chart_id: str, page_url: str) -> str:
        path = f"{self.prefix}{EMBED_DIR}/{chart_id}/"
        src = self.absolute(path) or self.link(path, page_url)
        title = self.project.charts[chart_id].definition.title
        script = self.absolute(EMBED_SCRIPT) or self.link(EMBED_SCRIPT, page_url)
        return publish.embed_snippet(src, title.replace('"', "'"), chart_id, script)

    def with_embed_note(self, body: str, words: Words | None = None) -> str:
        """The figure's body, its embed disclosure saying so when the code is only relative;
        `words`: the page's, when not the edition's (a page it borrows)."""
        if self.site_url:
            return body
        note = (
            '<p class="sb-figure__note sb-figure__embed-note">'
            f"{escape((words or self.words)['embed_relative'])}</p>"
        )
        return _EMBED_SUMMARY.sub(lambda m: m.group(0) + note, body, count=1)

    def write(
        self,
        site_dir: Path,
        figure_for: Callable[[str, str], str],
        only: set[str] | None = None,
        published: Path | None = None,
        figure_inputs: Callable[[str], list[str]] | None = None,
    ) -> None:
        """Cards, one embed page per chart, the feed and robots.txt, into the built site.

        `only`: in a preview rebuild, the charts whose embed pages change (the feed stays).
        `published`: the site being replaced, whose files that do not change are linked;
        `figure_inputs` (what `figure_for` makes a chart's figure from): with the manifest,
        an embed page made from the same inputs as the published one is linked, not made."""

        def write(path: Path, data: bytes) -> None:
            name = path.relative_to(site_dir).as_posix()
            if self.manifest is not None:
                self.manifest.clear(name)  # a kept file there is not written through
            if published is None or not reuse(published, site_dir, name, data):
                _write_file(path, data)

        self._write_cards(site_dir, write)
        self._keep_card_names()
        pages = sorted(self.pages, key=lambda p: p.order)
        titles: dict[str, str] = {}
        for p in reversed(pages):  # the first page of a URL, as before
            titles[p.url] = p.title
        # What every embed page is made from besides its chart and page.
        setting = json.dumps(
            [self.site_name, self.site_url, self.embed_head, self.words], sort_keys=True
        )
        for chart_id, chart in self.project.charts.items():
            if only is not None and chart_id not in only:
                continue
            url = f"{self.prefix}{EMBED_DIR}/{chart_id}/"
            story = self.story_of.get(chart_id, "")
            page_title = titles.get(story, self.site_name)
            manifest = self.manifest
            if manifest is not None and figure_inputs is not None:
                key = key_of(url, story, page_title, setting, *figure_inputs(chart_id))
                if manifest.link(f"embed:{url}", key):
                    continue
                manifest.add(f"embed:{url}", key, [f"{url}index.html"])
            html = publish.embed_html(
                chart.definition.title,
                figure_for(chart_id, url),
                page_title,
                # "./": the home page is a folder too ("" would lose the trailing slash)
                self.link(story or "./", url)
                + (f"#{chart_id}" if chart_id in self.story_of else ""),
                self.link("assets/site-builder", url),
                self.embed_head,
                self.words,
            )
            write(site_dir / url / "index.html", html.encode())
        if only is not None:
            return
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
        updated = datetime.fromtimestamp(epoch, UTC)
        entries = [(p.title, p.url, p.summary) for p in pages]
        path = f"{self.prefix}feed.xml"
        feed = publish.atom_feed(self.site_name, self.site_url, entries, updated, path)
        write(site_dir / path, feed.encode())
        if not self.prefix:
            write(site_dir / "robots.txt", publish.robots_txt(self.site_url).encode())


def _card_names() -> str:
    """The entry of the cards' digests by their inputs (this tool version's own)."""
    return "names-" + tool_digest()[:16]


def _write_card(
    cache_dir: Path, digest: str, site_dir: Path, files: list[Path], job: Future[bytes]
) -> None:
    """A card drawn after its build ended: into the cache and the site (unless the preview
    stopped meanwhile: its drawing was cancelled, or its site removed)."""
    if job.cancelled() or not site_dir.is_dir():
        return
    try:
        png = job.result()
    except Exception as exc:  # the next build draws it again, and says what went wrong
        log.warning("social card %s could not be drawn: %s", digest[:8], exc)
        return
    write_entry(cache_dir / "cards", digest, {".png": png})
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, png)


def _write_file(path: Path, data: bytes) -> None:
    # Replaced, not written through: a file linked from the published site stays as it is.
    write_atomic(path, data)
