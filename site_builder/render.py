"""Vega-Lite (or Vega) -> Vega, static SVG and the download image with vl-convert: themed,
offline, cached, in parallel.

Each chart is compiled to Vega once; the SVG is drawn from that Vega spec, and the live view
draws the same one, so the browser needs no Vega-Lite compiler. The download image is an SVG
(title, chart, notes, sources) that the reader's browser turns into a PNG, and a chart too heavy
to inline is shown from an SVG file of its own: no raster per chart at build time."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import pool
from .cache import mark_used, read_entry, read_spec, tool_digest, write_entry
from .compilelog import caught_warnings
from .errors import Problem, RenderError
from .figure import control_settings, drawn_for_text
from .fonts import renderer
from .images import (
    SVG_BUDGET,
    drawn_box,
    image_svg,
    numbered_ids,
    rasterized,
    round_svg,
    simplify_shapes,
)
from .palette import faint_fills, spec_colours
from .phone import draw_phone
from .textfit import TextBox, clipped_text, overlapping_text, text_boxes
from .theme import THEME
from .tovega import to_vega
from .urls import not_addresses, page_relative_links, unsafe_links
from .variants import (
    BREAKPOINT_MAX,
    NARROW_ABOVE,
    is_vega,
    smallest_width,
    svg_width,
    uses_pointer_position,
    with_phone_label_limits,
)

if TYPE_CHECKING:
    from .building import BuiltChart
    from .catalog import Source

log = logging.getLogger("site_builder")

PNG_SCALE = 2


@dataclass(frozen=True)
class Rendered:
    """The static forms of one chart, named by a hash of everything that made them.

    Only the text cut off and the warnings are held in memory; the SVGs pages inline and the
    files the site links to (download image, specs) stay in the cache entry
    and are read, or copied into the site, from there: a build of a thousand charts does not
    hold them all at once, nor does the snapshot of its project."""

    chart_id: str
    key: str
    from_cache: bool
    folder: Path  # the cache folder holding the entry `key`
    clipped_json: str = "{}"  # text cut off at the drawing's edge, by layout ("wide", "phone")
    warnings: tuple[str, ...] = ()  # Vega-Lite's, from compiling the page spec
    # The download image's entry (_IMAGE): the chart's drawing under its caption, so that a
    # new title, note or source makes the image again, not the chart.
    image_key: str = ""

    @property
    def stem(self) -> str:
        """File name stem for built assets: `<chart-id>.<hash8>`."""
        return f"{self.chart_id}.{self.key[:8]}"

    @property
    def image_stem(self) -> str:
        """The download image's file name stem, named by its caption too."""
        return f"{self.chart_id}.{self.image_key[:8]}"

    def path(self, suffix: str) -> Path:
        """The file of the entry with this suffix (see _CACHED and _IMAGE)."""
        return self.folder / f"{self.image_key if suffix in _IMAGE else self.key}{suffix}"

    def kept(self) -> bool:
        """Whether its entries are still in the cache, marked as used so that pruning keeps
        them (pruning removes an entry's files with its manifest)."""
        folder = str(self.folder)  # a string: a rebuild asks this of a thousand charts
        try:
            for key in (self.key, self.image_key):
                os.stat(f"{folder}{os.sep}{key}.sum")
        except OSError:
            return False
        for key in (self.key, self.image_key):
            mark_used(self.folder, key)
        return True

    def _text(self, suffix: str) -> str:
        return self.path(suffix).read_text(encoding="utf-8")

    @property
    def svg(self) -> str:
        """The chart as the page inlines it, coordinates rounded (images.round_svg)."""
        return self._text(".svg")

    @property
    def narrow_svg(self) -> str:
        """The phone layout's SVG; "" when the wide one is narrow enough."""
        return self._text(".narrow.svg")

    @property
    def has_narrow(self) -> bool:
        """Whether there is a phone layout (its file is not read)."""
        return self.path(".narrow.svg").stat().st_size > 0

    @property
    def spec_json(self) -> str:
        """The page spec (Vega-Lite, or Vega as the chart gave it)."""
        return self._text(".spec.json")

    @property
    def image_svg(self) -> str:
        """The download image: the SVG under its title, notes and sources, white."""
        return self._text(".image.svg")

    @property
    def live_json(self) -> str:
        """The page spec compiled to Vega: what the live view draws."""
        return self._text(".vg.json")

    @property
    def narrow_live_json(self) -> str:
        """The phone layout's, compiled; "" when there is none."""
        return self._text(".narrow.vg.json")

    def heavy(self, suffix: str = ".svg") -> bool:
        """Whether the SVG of this suffix (".svg" or ".narrow.svg") is over the budget for
        inlining (its file is not read)."""
        return self.path(suffix).stat().st_size > SVG_BUDGET


# What one render gives: wide SVG, narrow SVG, download image (SVG), the text cut off (JSON),
# Vega-Lite's warnings, and the Vega of the page and phone layouts; or an error. (The phone
# layout's Vega-Lite is not kept: no page or reader uses it.)
RenderOutcome = tuple[str, str, str, str, list[str], str, str] | str


def image_png(image_svg: str, scale: float = PNG_SCALE) -> bytes:
    """The download image as a PNG at PNG_SCALE (for `site-builder render --format png`)."""
    return rasterized(image_svg, scale)


def page_spec(chart: BuiltChart) -> dict[str, Any]:
    """The spec the page's SVG is rendered from: ours themed, a Vega spec as it came."""
    return themed(chart.spec)


def themed(spec: dict[str, Any]) -> dict[str, Any]:
    spec = _without_embed_options(spec)
    if is_vega(spec):
        return spec  # compiled with the theme already
    # Only the top level changes: a shallow copy leaves the chart's spec alone.
    return {**spec, **_sized(spec), "config": _merge(THEME, spec.get("config", {}))}


def _without_embed_options(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec without `usermeta.embedOptions`: the page's live view reads it, and a chart
    could turn off the interpreter the site's policy needs (`ast: false`), open an action
    menu, or put its own HTML in a popup."""
    usermeta = spec.get("usermeta")
    if not isinstance(usermeta, dict) or "embedOptions" not in usermeta:
        return spec
    kept = {k: v for k, v in usermeta.items() if k != "embedOptions"}
    return {**spec, "usermeta": kept}


# What `width="container"` (or height) is drawn as: its plot in a laptop's column (688 px)
# with its axes beside it. The static chart has no container to fit, and the live one must
# draw what the static one does, in its box; phones get their own layout.
CONTAINER_SIZE = {"width": 600, "height": 300}


def _sized(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart as wide (or high) as its container, given that size."""
    return {axis: size for axis, size in CONTAINER_SIZE.items() if spec.get(axis) == "container"}


def image_caption(chart: BuiltChart, sources: Sequence[Source] = ()) -> dict[str, Any]:
    """What the PNG says around the chart: title and subtitle (none if the spec draws its own),
    notes, and the titles of `sources` (those the figure's caption shows)."""
    d = chart.definition
    caption: dict[str, Any] = {}
    if "title" not in chart.spec:
        caption = {"title": d.title, "subtitle": d.subtitle or ""}
    if d.notes:
        caption["notes"] = list(d.notes)
    if sources:
        caption["sources"] = [s.title for s in sources]
    return caption


# The files of one chart in the render cache, by suffix: an entry named by its spec, theme
# and versions, and one for its download image (_IMAGE), named by that and the caption.
_CACHED = (
    ".svg",
    ".narrow.svg",
    ".clipped.json",
    ".warnings.json",
    ".vg.json",
    ".narrow.vg.json",
    ".spec.json",
)
_IMAGE = (".image.svg",)


def render_charts(
    charts: list[BuiltChart],
    cache_dir: Path,
    workers: int = 0,
    sources_of: Callable[[BuiltChart], Sequence[Source]] | None = None,
) -> dict[str, Rendered]:
    """Render every chart, reusing the cache; all failures reported together.

    `sources_of`: a chart's sources, for its PNG (default: those the chart names itself).
    """
    return started_renders(charts, cache_dir, workers, sources_of).finish()


def started_renders(
    charts: list[BuiltChart],
    cache_dir: Path,
    workers: int = 0,
    sources_of: Callable[[BuiltChart], Sequence[Source]] | None = None,
) -> Renderer:
    """The charts handed to a renderer: taken from the cache, or rendering while the caller
    goes on (its `finish` waits for them)."""
    renderer = Renderer(cache_dir, workers)
    for chart in charts:
        renderer.add(chart, sources_of(chart) if sources_of else chart.definition.sources or [])
    return renderer


class Renderer:
    """Charts rendered as the build hands them over: from the cache at once, or in the render
    processes while the build goes on with the next chart (`finish` waits for them all)."""

    def __init__(self, cache_dir: Path, workers: int = 0) -> None:
        import vl_convert as vlc

        versions = {
            "vl_convert": getattr(vlc, "__version__", ""),
            "vega": vlc.get_vega_version(),
            "scale": PNG_SCALE,
        }
        self.cache = cache_dir / "charts"
        self.workers = workers
        # This tool's code too: a new rounding or image step must not reuse old renders.
        self.setup = _dumps({"versions": versions, "theme": THEME, "tool": tool_digest()})
        self.results: dict[str, Rendered] = {}
        self.charts: list[BuiltChart] = []
        # (chart, key, caption, its render in a process or None: not yet sent, and whether
        # the chart is in the cache already: only its download image is made)
        self.jobs: list[tuple[BuiltChart, str, str, Future[KeptOutcome] | None, bool]] = []

    def add(self, chart: BuiltChart, sources: Sequence[Source]) -> None:
        """Take the chart from the cache, or start rendering it (or only its download image,
        when its caption is all that changed)."""
        self.charts.append(chart)
        caption_json = _dumps(image_caption(chart, sources))
        # The spec's digest stands for the spec when the build has it: no need to serialise
        # a chart that is in the cache.
        key = _hash(chart.digest or _dumps(chart.spec), self.setup)
        entry = read_entry(self.cache, key, list(_CACHED))
        image = read_entry(self.cache, _image_key(key, caption_json), list(_IMAGE))
        if entry is not None and image is not None:
            # Checked whole by read_entry; the rest is read from it when it is needed.
            self.results[chart.id] = Rendered(
                chart.id,
                key,
                True,
                self.cache,
                entry[".clipped.json"].decode("utf-8"),
                tuple(json.loads(entry[".warnings.json"])),
                _image_key(key, caption_json),
            )
            return
        self.jobs.append((chart, key, caption_json, None, entry is not None))
        # One chart alone renders in this process (no start-up of a pool for it), unless the
        # pool is running already. Only the first two can be waiting to be sent.
        if pool.running() or len(self.jobs) > 1:
            for i in range(max(0, len(self.jobs) - 2), len(self.jobs)):
                c, k, cap, future, drawn = self.jobs[i]
                if future is None:
                    self.jobs[i] = (c, k, cap, self._submit(c, k, cap, drawn), drawn)

    def _submit(
        self, chart: BuiltChart, key: str, caption_json: str, drawn: bool
    ) -> Future[KeptOutcome]:
        if drawn:
            return pool.submit(_image_job, (caption_json, str(self.cache), key), self.workers)
        return pool.submit(_render_job, self._job(chart, key, caption_json), self.workers)

    def _job(self, chart: BuiltChart, key: str, caption_json: str) -> RenderJob:
        if chart.stored is not None and chart.digest:
            # The render process reads the spec: queued jobs hold no rows in this process.
            return ("", caption_json, str(self.cache), key, (str(chart.stored), chart.digest))
        return (_dumps(page_spec(chart)), caption_json, str(self.cache), key, None)

    def cancel(self) -> None:
        """Stop the renders not started yet (the build stops)."""
        for _, _, _, future, _ in self.jobs:
            if future is not None:
                future.cancel()
        self.jobs = []

    def finish(self, each: Callable[[str, Rendered], None] | None = None) -> dict[str, Rendered]:
        """Every chart added, rendered; all failures reported together. `each(chart_id,
        rendered)`: called for each chart as soon as it is rendered (from the cache first), so
        that the caller's work on it goes on while the render processes draw the others."""
        problems = []
        if self.jobs:
            self.cache.mkdir(parents=True, exist_ok=True)
        if each is not None:
            for chart_id, cached in list(self.results.items()):
                each(chart_id, cached)
        for done, (chart, key, caption_json, future, drawn) in enumerate(self.jobs, 1):
            outcome = None
            if future is not None:
                try:
                    outcome = future.result()
                except BrokenProcessPool:  # the processes are gone: render it here
                    pool.shutdown_pool()
            if outcome is None and drawn:
                outcome = _image_job((caption_json, str(self.cache), key))
            elif outcome is None:
                outcome = pool.filtered(_render_job, self._job(chart, key, caption_json))
            pool.logged_progress(done, len(self.jobs), outcome)
            d = chart.definition
            if isinstance(outcome, str):
                problems.append(
                    Problem(
                        d.path,
                        f"chart '{chart.id}' could not be rendered: {outcome}",
                        engine_hint(outcome, chart.id),
                        d.line,
                    )
                )
                continue
            clipped_json, warnings, bad, odd = outcome
            # Links made by a transform, which the spec check cannot see; or a label (e.g. a
            # lookup's default) in the link column.
            if bad or odd:
                problems.append(_link_problem(chart, bad, odd))
                continue
            self.results[chart.id] = Rendered(
                chart.id,
                key,
                False,
                self.cache,
                clipped_json,
                tuple(warnings),
                _image_key(key, caption_json),
            )
            if each is not None and not problems:  # a failed build makes no more
                each(chart.id, self.results[chart.id])
        fresh = len(self.jobs)
        self.jobs = []
        if problems:
            raise RenderError(problems)
        for chart in self.charts:
            _warn_clipped(chart, json.loads(self.results[chart.id].clipped_json))
        log.info("charts: %d rendered, %d from cache", fresh, len(self.charts) - fresh)
        return self.results


# A chart to render: its page spec and caption (JSON), the cache folder and the entry's key;
# or, for a spec in the spec cache, "" and the spec's file and digest last.
RenderJob = tuple[str, str, str, str, tuple[str, str] | None]
# What the build gets back: the text cut off (JSON), Vega-Lite's warnings, the links to URLs
# that are not http(s) and the links that are not addresses (the entry is written only
# without them); or an error. Everything else is read from the entry.
KeptOutcome = tuple[str, list[str], list[str], list[str]] | str


def _render_job(job: RenderJob) -> KeptOutcome:
    """Render one chart and write its cache entry here, in the render process: its files
    never travel back to the build."""
    spec_json, caption_json, folder, key, stored = job
    if stored is not None:
        spec_json = _dumps(themed(read_spec(Path(stored[0]), stored[1])))
    outcome = render_one(spec_json, caption_json)
    if isinstance(outcome, str):
        return outcome
    svg, narrow, image, clipped_json, warnings, live, narrow_live = outcome
    bad = unsafe_links(svg)
    odd = not_addresses(svg)
    if not bad and not odd:
        # Warnings kept with the images, so a build from the cache reports them again.
        files: tuple[str, ...] = (svg, narrow, clipped_json, _dumps(warnings))
        files += (live, narrow_live, spec_json)
        data = [f.encode("utf-8") for f in files]
        write_entry(Path(folder), key, dict(zip(_CACHED, data, strict=True)))
        write_entry(Path(folder), _image_key(key, caption_json), {".image.svg": image.encode()})
    return clipped_json, warnings, bad, odd


# The download image of a chart in the cache: its caption, the cache folder, the chart's key.
ImageJob = tuple[str, str, str]


def _image_job(job: ImageJob) -> KeptOutcome:
    """Make the download image of a chart whose drawing is in the cache (its caption alone
    changed), from the SVG the page shows, as a whole render makes it; write its entry."""
    caption_json, folder, key = job
    entry = read_entry(Path(folder), key, [".svg", ".clipped.json", ".warnings.json", ".spec.json"])
    if entry is None:
        return "its render left the cache while the build ran; build again"
    try:
        svg = entry[".svg"].decode("utf-8")
        clipped_json = entry[".clipped.json"].decode("utf-8")
        cut = json.loads(clipped_json)["wide"]
        spec = json.loads(entry[".spec.json"])
        image = _image_file(svg, json.loads(caption_json), cut, spec)
    except Exception as exc:
        return str(exc) or type(exc).__name__
    write_entry(Path(folder), _image_key(key, caption_json), {".image.svg": image.encode()})
    return clipped_json, json.loads(entry[".warnings.json"]), [], []


def _image_key(key: str, caption_json: str) -> str:
    return _hash(key, caption_json)


def _image_file(svg: str, caption: dict[str, Any], cut: list[str], spec: dict[str, Any]) -> str:
    """The download image: the SVG under its title, notes and sources. `spec`: the chart's,
    whose controls' starting values the image says it shows (in English, as its
    "Source:")."""
    settings = control_settings(spec)
    return image_svg(
        svg,
        caption.get("title", ""),
        caption.get("subtitle", ""),
        caption.get("notes", []) + ([drawn_for_text(settings)] if settings else []),
        caption.get("sources", []),
        # Only text runs past the box (a fitted layout's last label): with none cut, the
        # ink is inside, and finding it needs no raster.
        drawn_box(svg) if cut else None,
    )


def render_one(spec_json: str, caption_json: str) -> RenderOutcome:
    """Render one chart in this process (wide and narrow SVG, the download image, and the
    Vega the live view draws); errors come back as text.

    `caption_json`: what the download image says around the chart (see `image_caption`).
    """
    vlc = renderer()
    try:
        spec = json.loads(spec_json)
        caption = json.loads(caption_json)
        warnings: list[str] = []
        if is_vega(spec):
            live = spec
            narrow, narrow_live = "", ""
        else:
            version = _vl_version(spec)
            # The one compile reports the warnings too.
            with caught_warnings() as warnings:
                live = to_vega(vlc, spec, version, show_warnings=True)
        svg = _finished(vlc.vega_to_svg(live, allowed_base_urls=[]), spec_json)
        boxes = text_boxes(svg)
        wider: list[str] = []  # the text that kept a phone layout from getting narrow
        if not is_vega(spec):
            narrow, narrow_live, wider = _render_narrow(spec, spec_json, svg, boxes, version)
        cut = clipped_text(svg, boxes=boxes)
        narrow_boxes = text_boxes(narrow) if narrow else []
        clipped = {"wide": cut, "phone": clipped_text(narrow, boxes=narrow_boxes) if narrow else []}
        if wider:
            clipped["no phone layout"] = wider
        wide = svg_width(svg)
        if smallest_width(wide, uses_pointer_position(spec)) > BREAKPOINT_MAX:
            # On laptops too; on phones as well when it has no phone layout.
            clipped["scrolls"] = [f"{wide:.0f}", "phone layout" if narrow else ""]
        if narrow:
            # Labels a phone layout set over each other (the wide one kept them apart).
            apart = overlapping_text(boxes)
            crowded = sorted(overlapping_text(narrow_boxes) - apart)
            if crowded:
                clipped["crowded"] = [f"{a} / {b}" for a, b in crowded]
        faint = faint_fills(svg)
        if faint:
            clipped["faint"] = faint
        image = _image_file(svg, caption, cut, spec)
    except Exception as exc:
        # The renderer's message, without its JavaScript stack trace.
        lines = [ln.strip() for ln in str(exc).splitlines() if not ln.strip().startswith("at ")]
        return " ".join(ln for ln in lines if ln) or type(exc).__name__
    return (
        svg,
        narrow,
        image,
        _dumps(clipped),
        warnings,
        _dumps(laid_out_on_change(live)),
        narrow_live,
    )


def laid_out_on_change(vega: dict[str, Any]) -> dict[str, Any]:
    """The Vega a live view draws: laid out again whenever a reader changes it, when it has
    controls or selections. Vega lays a chart out once by default: a menu that made the axis
    labels wider drew them past the chart's edge, cutting off the axis title."""
    autosize = vega.get("autosize", "pad")
    if isinstance(autosize, str):
        autosize = {"type": autosize}
    if not isinstance(autosize, dict) or "signal" in autosize or not _changes(vega):
        return vega
    return {**vega, "autosize": {**autosize, "resize": True}}


def _changes(group: dict[str, Any]) -> bool:
    """Whether a reader can change what the group (a Vega spec or a group mark) draws: a
    signal bound to a control, or one that events update (a selection)."""
    for signal in group.get("signals") or []:
        if isinstance(signal, dict) and ("bind" in signal or "on" in signal):
            return True
    marks = group.get("marks") or []
    return any(isinstance(m, dict) and m.get("type") == "group" and _changes(m) for m in marks)


# The engine's words for a writer's mistakes it alone finds, and what to do.
_ENGINE_HINTS = (
    (
        re.compile(r"Invalid SVG path"),
        "a mark's shape is a name (circle, square, cross, diamond, triangle-up, triangle-down, "
        "triangle-left, triangle-right, triangle, arrow, wedge, stroke) or an SVG path such as "
        "'M0,-1L1,1L-1,1Z': check the chart's shape=",
    ),
    (
        re.compile(r'Unrecognized signal name: "([^"]*)"'),
        "an expression names '{0}', which is neither a parameter of the chart nor a Vega "
        "function: a column is datum.{0} (or datum['{0}']); a parameter needs "
        "alt.param(name='{0}') added to the chart",
    ),
    (
        re.compile(r"Unexpected (token|end of input)"),
        "an expression (transform_calculate, transform_filter, a condition's test) is not "
        "valid: check its operators, quotes and brackets",
    ),
)


def engine_hint(message: str, chart_id: str) -> str:
    """What to do about the renderer's error `message`."""
    for pattern, hint in _ENGINE_HINTS:
        found = pattern.search(message)
        if found:
            return hint.format(*found.groups())
    return (
        f"simplify the chart or check its spec with 'site-builder render {chart_id} --format json'"
    )


def _narrower_scheme(spec: dict[str, Any]) -> str:
    """The chart's colour scheme with its ends further in, as a hint ("" when it has none):
    from the extent it has (Vega's whole scheme, [0, 1], by default)."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "scheme" in node and not found:
                found.append(node["scheme"])
            for key, value in node.items():
                if key not in ("data", "datasets", "config"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    scheme = found[0] if found else None
    name = scheme.get("name") if isinstance(scheme, dict) else scheme
    if not isinstance(name, str):
        return ""
    extent = scheme.get("extent") if isinstance(scheme, dict) else None
    low, high = extent if isinstance(extent, list) and len(extent) == 2 else (0, 1)
    if not all(isinstance(v, (int, float)) for v in (low, high)):
        return ""
    if abs(high - low) <= 0.3:
        return ""  # narrow already: other colours will do better
    step = 0.15 if high >= low else -0.15
    now = f" (its extent is [{low:g}, {high:g}] now)" if extent else ""
    return (
        f"start the colour scheme further in{now}, e.g. alt.Scale(scheme={{'name': '{name}', "
        f"'extent': [{low + step:g}, {high - step:g}]}}), "
    )


# The text column of a page beside Material's navigation, from 1,220 px screens up to 1,600.
LAPTOP_COLUMN = 688


# Stands for the phone layout's width when no text reaches past its edge.
_NO_TEXT = "\0width:"


def _warn_clipped(chart: BuiltChart, clipped: dict[str, list[str]]) -> None:
    """A chart whose text runs past its drawing is cut off for readers: the writer must know."""
    d = chart.definition
    for layout, texts in clipped.items():
        if not texts:
            continue
        shown = ", ".join(repr(t[:40]) for t in texts[:3]) + (" ..." if len(texts) > 3 else "")
        if texts[0].startswith(_NO_TEXT):
            shown = f"what it sets side by side ({texts[0][len(_NO_TEXT) :]} px in all)"
        if layout == "no phone layout":  # shown, scrolling sideways: worth knowing, not wrong
            log.info(
                "%s:%d: chart '%s': no phone layout: drawn for a phone it is still wider than "
                "%d px, because of %s; phones, and columns narrower than the chart, show it "
                "scrolling sideways\n"
                "  hint: shorten that text or break it into lines (a list of strings), or "
                "draw fewer views side by side",
                d.path,
                d.line,
                chart.id,
                NARROW_ABOVE,
                shown,
            )
            continue
        if layout == "scrolls":  # meant, maybe (a long timeline): a note
            log.info(
                "%s:%d: chart '%s' is %s px wide, wider than the page's column on a laptop "
                "(%d px): readers there scroll it sideways%s\n"
                "  hint: if it is not meant to scroll, narrow it: a smaller "
                ".properties(width=...), shorter legend and label text, or fewer views side "
                "by side",
                d.path,
                d.line,
                chart.id,
                texts[0],
                LAPTOP_COLUMN,
                " (phones show its phone layout)" if texts[1:2] == ["phone layout"] else "",
            )
            continue
        if layout == "crowded":
            log.info(  # a note: the wide layout shows them apart, and the table has them
                "%s:%d: chart '%s': in its phone layout, text prints over other text: %s\n"
                "  hint: label fewer marks (the data table has every value), give the chart "
                "fewer points across, or a smaller text mark (fontSize)",
                d.path,
                d.line,
                chart.id,
                "; ".join(texts[:3]) + (" ..." if len(texts) > 3 else ""),
            )
            continue
        if layout == "faint":
            # A colour the writer named is warned of already (pipeline.warn_pale_colours).
            named = set(spec_colours(chart.spec))
            texts = [t for t in texts if t.split(":")[0].lower() not in named]
            if not texts:
                continue
            log.info(  # a note: a diverging scheme's pale middle may be meant
                "%s:%d: chart '%s': some marks all but vanish into the page behind them, "
                "so its readers do not see them: %s\n  hint: %schoose colours that read on "
                "both pages, or outline the marks (stroke) in a colour that does",
                d.path,
                d.line,
                chart.id,
                "; ".join(texts[:3]),
                _narrower_scheme(chart.spec),
            )
            continue
        where = "its phone layout" if layout == "phone" else "it"
        log.warning(
            "%s:%d: chart '%s': text cut off at the edge of the drawing in %s: %s\n"
            "  hint: make room (a wider chart, shorter labels, labels inside the marks) or "
            "drop a fixed autosize; the data table keeps the full text",
            d.path,
            d.line,
            chart.id,
            where,
            shown,
        )


def _render_narrow(
    spec: dict[str, Any], spec_json: str, svg: str, boxes: list[TextBox], version: str | None
) -> tuple[str, str, list[str]]:
    """The phone layout's SVG and Vega ("" and "" when the wide SVG will do); and when no
    layout got narrow enough, the text that ran wider (or the layout's width, when no text
    did). `spec_json`: the page spec as JSON, where links are looked up; `boxes`: the wide
    SVG's text."""
    vlc = renderer()
    compiled: dict[str, Any] = {}  # the last layout drawn, as Vega

    def draw(layout: dict[str, Any]) -> str:
        compiled["live"] = vega = to_vega(vlc, layout, version)
        return _finished(vlc.vega_to_svg(vega, allowed_base_urls=[]), spec_json)

    narrow = draw_phone(spec, svg, boxes, draw)
    if narrow is None:
        return "", "", []
    if svg_width(narrow) > NARROW_ABOVE:
        # Label limits the writer set wider than a phone holds: cut to it, as a last try.
        capped = with_phone_label_limits(spec)
        narrow = (draw_phone(capped, svg, boxes, draw, predict=False) if capped else None) or narrow
    if svg_width(narrow) > NARROW_ABOVE:  # the wide one serves, scrolling sideways on phones
        wider = [b.text for b in text_boxes(narrow) if b.right > NARROW_ABOVE + 0.5]
        # No text past the edge: marks, legends or gaps set side by side make the width.
        return "", "", list(dict.fromkeys(wider)) or [f"{_NO_TEXT}{svg_width(narrow):.0f}"]
    return narrow, _dumps(laid_out_on_change(compiled["live"])), []


def _link_problem(chart: BuiltChart, unsafe: list[str], odd: list[str]) -> Problem:
    """The links a chart's render would draw that pages must not carry."""
    d = chart.definition
    shown = ", ".join(repr(u[:60]) for u in (unsafe or odd)[:3])
    if unsafe:
        message = f"links marks to URLs that are not http(s) ({shown}); a link could run script"
        hint = "make its href channel give https:// URLs (or paths inside the site)"
    else:
        message = f"links marks to values that are not addresses ({shown})"
        hint = (
            "make its href channel give https:// URLs, or an empty value (None) "
            "for marks that link nowhere"
        )
    return Problem(d.path, f"chart '{chart.id}' {message}", hint, d.line)


def _finished(svg: str, spec_json: str) -> str:
    """The renderer's SVG as pages inline it: rounded, linked as the live view links, and
    map outlines simplified (after the links: unlinked outlines painted alike merge)."""
    return simplify_shapes(page_relative_links(numbered_ids(round_svg(svg)), spec_json))


def _vl_version(spec: dict[str, Any]) -> str | None:
    match = re.search(r"/v(\d+\.\d+)", str(spec.get("$schema", "")))
    return match.group(1) if match else None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()
