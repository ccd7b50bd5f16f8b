"""The HTML of one figure. Every string from data or metadata is escaped here."""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from .catalog import Source
from .images import over_budget
from .specs import MIDNIGHT
from .strings import EN, Words
from .urls import is_web_url
from .variants import MIN_SCALE, PHONE_COLUMN, narrow_below, smallest_width, svg_height, svg_width

MAX_TABLE_ROWS = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class FigureLinks:
    """Where the figure's files are, relative to the page that shows it."""

    image: str  # the download image (SVG): chart, title, notes, sources; the browser makes
    # the PNG from it
    csv: str
    spec: str  # the Vega spec the live view draws
    narrow_spec: str = ""  # the phone layout's, when the figure has one
    fallback: str = ""  # the image file shown for an SVG over the budget (else the
    # download image)
    narrow_fallback: str = ""  # the same for the phone layout's SVG


def caption_html(chart_id: str, title: str, subtitle: str) -> str:
    """`<figcaption>` with title and subtitle: the figure's name."""
    head = f'<p class="sb-figure__title" id="{escape(chart_id)}-title">{escape(title)}</p>'
    if subtitle:
        head += f'<p class="sb-figure__subtitle">{escape(subtitle)}</p>'
    return f'<figcaption class="sb-figure__caption">{head}</figcaption>'


def foot_html(notes: Sequence[str], sources: Sequence[Source], words: Words = EN) -> str:
    """The notes and source links under the chart ("" for none): after the chart in the page
    too, so that keyboard and screen reader reach them in the order they are seen (in the
    caption, above the chart, a source link took the focus before the chart's controls)."""
    parts = []
    for note in notes:
        parts.append(
            f'<p class="sb-figure__note">{escape(words["note"]).format(text=escape(note))}</p>'
        )
    if sources:
        links = source_links(sources, words["list_separator"])
        label = escape(words["source" if len(sources) == 1 else "sources"])
        parts.append(f'<p class="sb-figure__source">{label.format(links=links)}</p>')
    return f'<div class="sb-figure__foot">{"".join(parts)}</div>' if parts else ""


def source_links(sources: Sequence[Source], separator: str = "; ") -> str:
    """Each source as a link; one whose URL is not http(s) as its title alone (never a link
    that could run script, whatever a check upstream let through)."""
    return separator.join(
        f'<a href="{escape(s.url)}" rel="noopener">{escape(s.title)}</a>'
        if is_web_url(s.url)
        else escape(s.title)
        for s in sources
    )


def body_html(
    chart_id: str,
    title: str,
    description: str,
    svgs: tuple[str, str],
    rows: list[dict[str, Any]],
    columns: list[tuple[str, str]],
    links: FigureLinks,
    exact: bool = False,
    embed: str = "",
    table: str | None = None,
    words: Words = EN,
    settings: Sequence[tuple[str, Any]] = (),
    foot: str = "",
) -> str:
    """The chart (wide SVG, and a narrow one for phones if any), its notes and sources
    (`foot`, from foot_html), its data table and downloads.

    An SVG over the byte budget is shown as an image file (its stand-in). `exact`: the chart
    is never drawn scaled (its live view reads pointer positions). `embed`: the code to embed
    the chart elsewhere, offered to readers to copy. `table`: the table's markup, when the caller
    already has it. `settings`: the values its controls start at (`control_settings`), which
    the drawing shows without its controls.
    """
    wide, narrow = svgs
    if over_budget(wide):
        chart = static_image(wide, links.fallback or links.image, chart_id, title, description)
    else:
        chart = accessible_svg(wide, chart_id, title, description, "wide", exact)
    if narrow and over_budget(narrow) and not links.narrow_fallback:
        narrow = ""  # no image stands in for it: the wide one serves
    attributes = ""
    # The narrowest box each layout shows in, against the narrowest it can be drawn.
    scrolls = smallest_width(svg_width(wide), exact) > PHONE_COLUMN
    if narrow:
        narrow_id = f"{chart_id}-narrow"
        chart += (
            static_image(narrow, links.narrow_fallback, narrow_id, title, description, "narrow")
            if over_budget(narrow)
            else accessible_svg(narrow, narrow_id, title, description, "narrow", exact)
        )
        below = narrow_below(svg_width(wide), exact)
        attributes += f' data-sb-narrow-below="{below}"'
        if links.narrow_spec:
            attributes += f' data-sb-spec-narrow="{escape(links.narrow_spec)}"'
        scrolls = (
            smallest_width(svg_width(wide), exact) > below
            or smallest_width(svg_width(narrow), exact) > PHONE_COLUMN
        )
    extra = ""
    if scrolls:
        # Too wide for some box it shows in, even when scaled: it scrolls sideways in its own
        # box there, which keyboard users must be able to reach.
        label = words["scrolls"].format(title=title)
        extra = f' tabindex="0" role="group" aria-label="{escape(label)}"'
    if table is None:
        table = table_html(rows, columns, words["table_label"].format(title=title), words=words)
    png = (
        f'<a href="{escape(links.image)}" download data-sb-png="{escape(chart_id)}.png">'
        f"{escape(words['image_png'])}</a>"
    )
    downloads = escape(words["downloads"]).format(
        # Saved under the chart's name, as the PNG is, not the file's (its content hash).
        links=f'<a href="{escape(links.csv)}" download="{escape(chart_id)}.csv">'
        f"{escape(words['data_csv'])}</a> · "
        f'<a href="{escape(links.image)}" download="{escape(chart_id)}.svg">'
        f"{escape(words['image_svg'])}</a>"
        # The PNG is drawn by the page's script from the SVG: its room is kept (hidden) until
        # the script shows it, so that nothing moves, and a reader without script gets the SVG.
        f'<span class="sb-figure__png"> · {png}</span>'
    )
    drawn_for = ""
    if settings:
        # Hidden once the chart is live: its controls say it then, and change it.
        said = escape(drawn_for_text(settings, words))
        drawn_for = f'<p class="sb-figure__settings">{said}</p>'
    return (
        f'<div class="sb-figure__chart" data-sb-spec="{escape(links.spec)}"{attributes}{extra}>'
        f"{chart}</div>{drawn_for}{foot}"
        f'<details class="sb-figure__data"><summary>{escape(words["show_table"])}</summary>'
        f"{table}</details>"
        f'<p class="sb-figure__downloads">{downloads}</p>'
        + (
            f'<details class="sb-figure__embed"><summary>{escape(words["embed"])}</summary>'
            # Not `pre > code`: Material's code-block script would set itself up on every
            # figure's snippet, forcing the page's style and layout while it loads.
            f'<pre class="sb-figure__embed-code" tabindex="0">{escape(embed)}</pre></details>'
            if embed
            else ""
        )
    )


def figure_html(caption: str, body: str, chart_id: str) -> str:
    return f'<figure class="sb-figure" id="{escape(chart_id)}">{caption}{body}</figure>'


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(url\(#|href="#)([^)"]+)')
# The renderer's own ARIA roles on marks and axes: the <svg> is one image with one name.
_SVG_INNER_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label)="[^"]*"')


# A figure's two bodies (figures.py: with and without the embed code) share the work on its
# wide and phone SVGs; a bigger cache would hold every chart's SVGs until the build ends.
@functools.lru_cache(maxsize=2)
def accessible_svg(
    svg: str,
    chart_id: str,
    title: str,
    description: str,
    variant: str = "wide",
    exact: bool = False,
) -> str:
    """Give the SVG a name and description, and make its internal ids unique on the page."""
    prefix = f"{chart_id}-"
    svg = _SVG_INNER_ARIA.sub("", svg)
    # Most charts have no ids (clip paths, gradients): the passes are skipped, ~2 ms a drawing.
    if 'id="' in svg:
        svg = _SVG_ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    if "url(#" in svg or 'href="#' in svg:
        svg = _SVG_REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    open_tag = _SVG_OPEN.search(svg)
    if not open_tag:
        return svg
    t_id, d_id = f"{prefix}svg-title", f"{prefix}svg-desc"
    # Scale down with the page, but not so far that its text gets smaller than 11 px.
    classes = f"sb-static sb-static--{variant} {min_width_class(svg_width(svg), exact)}"
    tag = open_tag.group(0)[:-1]
    if 'class="marks"' in tag:
        tag = tag.replace('class="marks"', f'class="marks {classes}"')
    else:
        tag += f' class="{classes}"'
    # Named by the title, described by the description: each read once (a name of both, with
    # the <desc> read again as the description, said the description twice).
    tag += f' role="img" aria-labelledby="{t_id}" aria-describedby="{d_id}" focusable="false">'
    inner = (
        f'<title id="{t_id}">{escape(title)}</title><desc id="{d_id}">{escape(description)}</desc>'
    )
    return svg[: open_tag.start()] + tag + inner + svg[open_tag.end() :]


def static_image(
    svg: str, src: str, chart_id: str, title: str, description: str, layout: str = "wide"
) -> str:
    """An image in place of an SVG too heavy to inline, at the SVG's size, named the same way;
    `layout`: "wide" or "narrow" (the phone layout's).

    `src`: the image file (the SVG alone, see images.stand_in_svg); it loads when near the
    view, in the box the SVG would take.
    """
    width, height = svg_width(svg), svg_height(svg)
    t_id, d_id = f"{chart_id}-svg-title", f"{chart_id}-svg-desc"
    sizes = f"{min_width_class(width, False)} {ratio_class(width, height)}"
    return (
        f'<img class="sb-static sb-static--{layout} sb-static--image {sizes}" src="{escape(src)}" '
        f'width="{round(width)}" height="{round(height)}" alt="{escape(description)}" '
        f'aria-labelledby="{t_id}" aria-describedby="{d_id}" loading="lazy" decoding="async">'
        f'<span id="{t_id}" hidden>{escape(title)}</span>'
        f'<span id="{d_id}" hidden>{escape(description)}</span>'
    )


# Sizes are classes with a rule each in the stylesheet, not style attributes: a strict
# Content-Security-Policy (style-src without 'unsafe-inline') ignores style attributes.
def min_width_class(width: float, exact: bool) -> str:
    """The class that keeps a static chart `width` px wide from being drawn smaller than it
    may be (see variants.smallest_width)."""
    return f"sb-min-{round(smallest_width(width, exact))}"


def ratio_class(width: float, height: float) -> str:
    """The class that gives an image standing in for a chart the chart's proportions."""
    return f"sb-ratio-{width:g}-{height:g}".replace(".", "_")


def size_css(figures: Iterable[tuple[str, str, bool]]) -> str:
    """The rules for every size class that `body_html` gives these figures: (wide SVG, narrow
    SVG or "", exact) each. One rule per size used, in a stable order."""
    return rules_css([size_rules(*f) for f in figures])


def size_rules(wide: str, narrow: str, exact: bool) -> dict[str, str]:
    """One figure's size classes and their rules (a class's name says its rule)."""
    rules: dict[str, str] = {}
    for svg in (wide, narrow) if narrow else (wide,):
        width = svg_width(svg)
        if over_budget(svg):  # an image stands in (static_image)
            rules[min_width_class(width, False)] = f"min-width: {round(width * MIN_SCALE)}px"
            height = svg_height(svg)
            rules[ratio_class(width, height)] = f"aspect-ratio: {width:g} / {height:g}"
        else:
            smallest = round(smallest_width(width, exact))
            rules[min_width_class(width, exact)] = f"min-width: {smallest}px"
    return rules


def rules_css(each: Iterable[dict[str, str]]) -> str:
    """The figures' size rules as CSS, each class once, in a stable order."""
    rules = {name: rule for figure_rules in each for name, rule in figure_rules.items()}
    return "".join(f".{name} {{ {rule}; }}\n" for name, rule in sorted(rules.items()))


def table_html(
    rows: list[dict[str, Any]],
    columns: list[tuple[str, str]],
    label: str,
    cell: Callable[[str, Any], str] | None = None,
    words: Words = EN,
) -> str:
    """A scrollable, keyboard-reachable table of the rows plotted.

    `cell(column, value)` writes a value (default: `format_cell`; see tables.cell_formatter).
    """
    write = cell or (lambda _, value: format_cell(value))
    head = "".join(f'<th scope="col">{escape(label_)}</th>' for _, label_ in columns)
    shown = rows[:MAX_TABLE_ROWS]
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(write(name, r.get(name)))}</td>" for name, _ in columns)
        + "</tr>"
        for r in shown
    )
    more = ""
    if len(rows) > len(shown):
        more = words["first_rows"].format(shown=len(shown), total=len(rows))
        more = f'<p class="sb-figure__more">{escape(more)}</p>'
    return (
        f'<div class="sb-figure__table" tabindex="0" role="region" aria-label="{escape(label)}">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{more}"
    )


def control_settings(spec: dict[str, Any]) -> list[tuple[str, Any]]:
    """The chart's controls (parameters bound to an input) with the value each starts at, by
    the control's label (else the parameter's name): a drawing without its controls is
    drawn for these values, which it does not show."""
    out = []
    for param in spec.get("params") or []:
        bind = param.get("bind") if isinstance(param, dict) else None
        if not isinstance(bind, dict) or "input" not in bind or "value" not in param:
            continue  # a selection, a legend's or a scale's binding: nothing hidden
        label = str(bind.get("name") or param.get("name") or "").strip().rstrip(":：").strip()
        value = param["value"]
        options, labels = bind.get("options"), bind.get("labels")
        if isinstance(options, list) and isinstance(labels, list) and value in options:
            shown = options.index(value)  # a menu or radio says its label, not its value
            value = labels[shown] if shown < len(labels) else value
        if label:
            out.append((label, value))
    return out


def drawn_for_text(settings: Sequence[tuple[str, Any]], words: Words = EN) -> str:
    """What a drawing of a chart with controls says it shows: "Drawn for cutoff: 10."."""
    shown = words["list_separator"].join(
        words["setting"].format(name=name, value=format_cell(value)) for name, value in settings
    )
    return words["drawn_for"].format(settings=shown)


def format_cell(value: Any) -> str:
    """How a value reads in a table: no trailing .0, no midnight times, blank for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:,.6g}".replace(",", "")
    if isinstance(value, dict | list):  # a map's properties or shape: JSON, not Python's words
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if MIDNIGHT.fullmatch(text):
        return text[:10]
    return text


def data_csv(rows: list[dict[str, Any]], columns: Iterable[str]) -> str:
    """The rows plotted as CSV; text that a spreadsheet would run as a formula is quoted, and
    a column of dates is written as dates (2025-03-01, not 2025-03-01T00:00:00)."""
    names = list(columns)
    dates = {n for n in names if _all_midnight(r.get(n) for r in rows)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([defuse_formula(n) for n in names])
    for r in rows:
        writer.writerow([_safe_cell(r.get(n), n in dates) for n in names])
    return out.getvalue()


def _all_midnight(values: Iterable[Any]) -> bool:
    """Whether every cell is a midnight timestamp (blank ones aside), and one at least."""
    seen = False
    for value in values:
        if value is None:
            continue
        if not (isinstance(value, str) and MIDNIGHT.fullmatch(value)):
            return False
        seen = True
    return seen


def defuse_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading quote."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _safe_cell(value: Any, date: bool = False) -> Any:
    if isinstance(value, str):
        return value[:10] if date else defuse_formula(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict | list):
        return defuse_formula(json.dumps(value, ensure_ascii=False))
    return value
