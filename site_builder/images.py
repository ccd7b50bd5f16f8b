"""The static images of a chart, made from the SVG the renderer wrote: coordinates rounded, a
byte budget for inline SVG, and the SVG of the download PNG with its title, notes and sources
drawn in.

Standard library only at import: render workers import this.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape

from . import theme
from .textfit import wrap_text
from .variants import svg_height, svg_width

# Inline SVG per chart, in bytes after rounding; above it the page shows the SVG as an image
# file instead (stand_in_svg): a 2,000-point scatter's is 12 KB over the wire, where a 2x WebP
# is 49 KB and 86 ms of build time.
SVG_BUDGET = 150_000
# Above this a stand-in is a WebP all the same: a browser lays an SVG image out on its main
# thread (a 4,000-point scatter, 561 KB, took up to 370 ms at a phone's speed; 3,000 points,
# 424 KB, none over 50 ms) and decodes a WebP off it.
RASTER_ABOVE = 400_000
# That WebP: at this quality about a sixth of the PNG, with no visible loss at twice the
# pixels; effort 2 takes half the time of the default 4 for 3% more bytes.
WEBP_QUALITY = 75
WEBP_METHOD = 2
WEBP_MAX = 16_383  # the longest side a WebP can have, in pixels
WEBP_SCALE = 2

# The download PNG's title block, as Vega-Lite draws a title with the theme.
IMAGE_FONT = theme.FONT
IMAGE_PAD = theme.PADDING  # the page SVG has it on every side
TITLE_SIZE, TITLE_LINE, TITLE_COLOR = theme.TITLE_SIZE, 19, theme.TITLE
SUBTITLE_SIZE, SUBTITLE_LINE, SUBTITLE_COLOR = theme.SUBTITLE_SIZE, 16, theme.SUBTLE
SUBTITLE_GAP = 3  # between title and subtitle
TITLE_OFFSET = 4  # between the title block and the chart
# Notes and sources under the chart, in the page's light text colour (54% black) on white.
FOOT_SIZE, FOOT_LINE, FOOT_COLOR = theme.NOTE_SIZE, 14, theme.NOTE
FOOT_GAP = 6  # between the chart (its own padding included) and the first note
FOOT_SPACING = 2  # between notes, and before the sources
# How far past its box drawn_box looks for ink: a label Vega placed outside the box.
INK_MARGIN = 200

# Left, top, right, bottom: where ink is, in the page SVG's pixels from its top left corner.
Box = tuple[float, float, float, float]

# Geometry: the attributes whose numbers are rounded. Text, ids, colours, opacity and stroke
# widths are left as they are. Text nodes (which may hold `x="1.25"` verbatim: the renderer
# escapes only < and & in them) are matched from their `>` and kept whole.
_ROUNDED = re.compile(
    # A mark's move alone, the commonest case by far (one per point of a scatter).
    r'(\s)transform="translate\((-?[\d.]+(?:[eE][-+]?\d+)?),(-?[\d.]+(?:[eE][-+]?\d+)?)\)"'
    r'|(\s(?:d|points|viewBox|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|dx|dy|width|height|transform)=")'
    r'([^"]*)"|>[^<]+<'
)
_MOVES = re.compile(r"(?:translate|rotate)\([^)]*\)")
# Numbers with two decimals or more, or an exponent: the others are short already.
_LONG = re.compile(r"(-?(?:\d*\.\d{2,}(?:[eE][-+]?\d+)?|\d+(?:\.\d*)?[eE][-+]?\d+))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def round_svg(svg: str) -> str:
    """The SVG with coordinates rounded to one decimal (a tenth of a pixel), inside tags only."""
    memo: dict[str, str] = {}  # marks repeat their shapes: a symbol's path, a bar's width

    def rounded(match: re.Match[str]) -> str:
        space, x, y, name, value = match.groups()
        if space is not None:
            return f'{space}transform="translate({_num(float(x))},{_num(float(y))})"'
        if name is None:
            return match.group(0)  # a text node
        whole = match.group(0)
        done = memo.get(whole)
        if done is None:
            if name.endswith('transform="'):
                value = _MOVES.sub(lambda m: _round_numbers(m.group(0)), value)
            else:
                value = _round_numbers(value)
            done = memo[whole] = f'{name}{value}"'
        return done

    return _ROUNDED.sub(rounded, svg)


# The renderer numbers clip paths and gradients (clip1, clip2...) by a counter that runs for the
# whole process: a chart's SVG would depend on what its render process drew before it.
_TAG = re.compile(r"<[^<>]*>")
_NUMBERED_ID = re.compile(r'(\sid="|url\(#|href="#)([A-Za-z_-]+?)(\d+)(?=[")])')


def numbered_ids(svg: str) -> str:
    """The SVG with its numbered ids counted from 1 in the order they appear, inside tags
    only: the same chart gives the same bytes, whatever was drawn before it."""
    if 'id="' not in svg and "url(#" not in svg and 'href="#' not in svg:
        return svg  # most charts: no clip path or gradient, and a pass over every tag saved
    numbers: dict[str, str] = {}
    counts: dict[str, int] = {}

    def renumbered(match: re.Match[str]) -> str:
        lead, stem, number = match.groups()
        old = stem + number
        if old not in numbers:
            counts[stem] = counts.get(stem, 0) + 1
            numbers[old] = f"{stem}{counts[stem]}"
        return lead + numbers[old]

    return _TAG.sub(lambda tag: _NUMBERED_ID.sub(renumbered, tag.group(0)), svg)


# Map outlines (Vega's "shape" marks, drawn from GeoJSON) are polylines with a point every few
# tenths of a pixel. Points that move an outline less than this are dropped: invisible at the
# size drawn, and most of a map's bytes.
SHAPE_TOLERANCE = 0.5
_SHAPE_GROUP = re.compile(r'(<g class="mark-shape\b[^"]*"[^>]*>)(.*?)(</g>)', re.S)
_PATH_D = re.compile(r'(<path\b[^>]*?\sd=")([^"]*)(")')
_POLYLINE = re.compile(r"[MLZ0-9.,\s-]*")
_POINT = re.compile(r"(-?[\d.]+),(-?[\d.]+)")


def simplify_shapes(svg: str) -> str:
    """The SVG with every map outline simplified (Douglas-Peucker, SHAPE_TOLERANCE px) and
    written with relative moves, without the renderer's no-op moves; other marks, and
    outlines with curves, are left alone."""

    def group(match: re.Match[str]) -> str:
        body = _PATH_D.sub(lambda m: m.group(1) + _simplified(m.group(2)) + m.group(3), match[2])
        body = _merged(body.replace(' transform="translate(0,0)"', ""))
        return match[1] + body + match[3]

    return _SHAPE_GROUP.sub(group, svg)


# A bare outline: its path and how it is painted, nothing a reader or a link could tell apart.
_BARE_PATH = re.compile(r'<path d="([^"]*)"((?: (?:fill|stroke|stroke-width|opacity)="[^"]*")*)/>')


def _merged(body: str) -> str:
    """Neighbouring outlines painted alike as one path (a map's hundred grey countries are one
    element, not a hundred): each part's first move made absolute, so it stays where it was."""
    out: list[str] = []
    run: list[str] = []
    paint: str | None = None
    at = 0

    def flush() -> None:
        if run:
            out.append(f'<path d="{"".join(run)}"{paint}/>')
            run.clear()

    for match in _BARE_PATH.finditer(body):
        between = body[at : match.start()]
        if between or match.group(2) != paint:
            flush()
            out.append(between)
            paint = match.group(2)
        d = match.group(1)
        run.append("M" + d[1:] if run and d[:1] == "m" else d)
        at = match.end()
    flush()
    out.append(body[at:])
    return "".join(out)


def _simplified(d: str) -> str:
    if not _POLYLINE.fullmatch(d):
        return d  # arcs or curves: not an outline of straight segments
    out = []
    pen = (0.0, 0.0)  # where the pen is, as written (rounded): relative moves add up exactly
    for part in re.split(r"(?=M)", d):
        points = [(float(x), float(y)) for x, y in _POINT.findall(part)]
        closed = "Z" in part
        if not points or (closed and _extent(points) < SHAPE_TOLERANCE):
            continue  # an island smaller than the tolerance: nothing to see
        kept = [(round(x, 1), round(y, 1)) for x, y in _douglas_peucker(points, SHAPE_TOLERANCE)]
        steps: list[str] = []
        for x, y in kept:
            step = f"{_num(x - pen[0])},{_num(y - pen[1])}"
            if steps and step == "0,0":
                continue
            steps.append(step)
            pen = (x, y)
        out.append("m" + steps[0] + ("l" + "l".join(steps[1:]) if len(steps) > 1 else ""))
        if closed:
            out.append("z")
            pen = kept[0]  # closing a ring puts the pen back at its start
    # The first move of a path is absolute whichever its case.
    return "".join(out) or "M0,0"


def _douglas_peucker(
    points: list[tuple[float, float]], tolerance: float
) -> list[tuple[float, float]]:
    """The points that keep the line within `tolerance` of where it was."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    # A closed ring starts and ends at one point: split it at the point farthest from there.
    far = max(range(len(points)), key=lambda i: _dist2(points[i], points[0]))
    keep[far] = True
    stack = [(0, far), (far, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        worst, at = -1.0, first
        for i in range(first + 1, last):
            px, py = points[i]
            if length2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = dx * (py - ay) - dy * (px - ax)
                d2 = cross * cross / length2
            if d2 > worst:
                worst, at = d2, i
        if worst > tolerance * tolerance:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _extent(points: list[tuple[float, float]]) -> float:
    """The larger side of the points' bounding box."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _dist2(a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def over_budget(svg: str) -> bool:
    """Too heavy to inline in a page: an image file of it stands in (stand_in_svg)."""
    return len(svg.encode("utf-8")) > SVG_BUDGET


def image_svg(
    svg: str,
    title: str,
    subtitle: str = "",
    notes: Sequence[str] = (),
    sources: Sequence[str] = (),
    drawn: Box | None = None,
) -> str:
    """The chart for download: white, title and subtitle wrapped above it, notes and source
    titles below, so that it still says what it shows and where from when shared alone.

    The page SVG goes in as it is, so the PNG needs no second render of the spec. `drawn`:
    where the chart really has ink (`drawn_box`); the image grows to hold ink outside the box.
    """
    chart_w, chart_h = svg_width(svg), svg_height(svg)
    # Grow a side only when ink crosses it: an unclipped chart keeps its size.
    left = top_out = right = bottom = 0.0
    if drawn is not None:
        x0, y0, x1, y1 = drawn
        left = -x0 + IMAGE_PAD if x0 < 0 else 0.0
        top_out = -y0 + IMAGE_PAD if y0 < 0 else 0.0
        right = x1 - chart_w + IMAGE_PAD if x1 > chart_w else 0.0
        bottom = y1 - chart_h + IMAGE_PAD if y1 > chart_h else 0.0
    # As wide as the chart, so the page can show the chart alone by cropping the title off.
    width = left + chart_w + right
    wrap = width - 2 * IMAGE_PAD
    head = [(title, TITLE_SIZE, TITLE_LINE, TITLE_COLOR, True)]
    if subtitle:
        head.append((subtitle, SUBTITLE_SIZE, SUBTITLE_LINE, SUBTITLE_COLOR, False))
    texts, y = _text_block(head, IMAGE_PAD, wrap, SUBTITLE_GAP)
    # The page SVG brings its own top padding.
    top = y + TITLE_OFFSET - IMAGE_PAD if texts else 0.0
    y = top + top_out + chart_h + bottom
    foot = [(f"Note: {note}", FOOT_SIZE, FOOT_LINE, FOOT_COLOR, False) for note in notes if note]
    if sources:
        label = "Source" if len(sources) == 1 else "Sources"
        foot.append((f"{label}: {'; '.join(sources)}", FOOT_SIZE, FOOT_LINE, FOOT_COLOR, False))
    below, end = _text_block(foot, y + FOOT_GAP, wrap, FOOT_SPACING)
    if below:
        y = end + IMAGE_PAD
    w, h = _num(width), _num(y)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
        f'<rect width="{w}" height="{h}" fill="{theme.LIGHT_BACKGROUND}"/>{"".join(texts)}'
        f"{_moved(svg, left, top + top_out)}{''.join(below)}</svg>"
    )


def stand_in_svg(svg: str, both_palettes: bool = True) -> str:
    """The page SVG alone on the page's colour: what a page shows, as an image file, in place
    of an SVG over the budget. Still vector (sharp at any zoom, and a fraction of a raster's
    bytes once the server compresses it), and no raster to make at build time.

    Not the download image: the figure's caption says its title and sources already, and the
    box the page keeps is the SVG's. `both_palettes`: with the dark palette's neutral colours
    and background for an image whose colour scheme is dark (the page sets it: data colours
    stay as drawn, as the live chart's do); else the light one alone.
    """
    w, h = _num(svg_width(svg)), _num(svg_height(svg))
    style = ""
    if both_palettes:
        swaps = "".join(
            f'[{attribute}="{theme.SWAPPED[name]}"]{{{attribute}:{theme.DARK_SWAPPED[name]}}}'
            for attribute, name in theme.SWAPS
        )
        dark = f"{swaps}.sb-page{{fill:{theme.DARK_BACKGROUND}}}"
        style = f"<style>@media (prefers-color-scheme: dark){{{dark}}}</style>"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{w}" height="{h}" viewBox="0 0 {w} {h}">{style}<rect class="sb-page" '
        f'width="{w}" height="{h}" fill="{theme.LIGHT_BACKGROUND}"/>{_moved(svg, 0, 0)}</svg>'
    )


def stand_in_webp(svg: str) -> bytes:
    """The stand-in of an SVG over RASTER_ABOVE: `stand_in_svg` drawn at twice its size (or
    less, for a chart wider than a WebP can be), as a WebP."""
    import io

    from PIL import Image  # only for the densest charts

    longest = max(svg_width(svg), svg_height(svg), 1.0)
    png = rasterized(stand_in_svg(svg, both_palettes=False), min(WEBP_SCALE, WEBP_MAX / longest))
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return out.getvalue()


def drawn_box(svg: str) -> Box | None:
    """Where the SVG really has ink, as the rasterizer draws it; None for an empty chart.

    Vega sizes the SVG from its own bounds, which a fitted layout (`autosize: fit`) can leave
    short of the last axis label; the PNG must not cut it.
    """
    import io

    from PIL import Image

    m = INK_MARGIN
    w, h = svg_width(svg) + 2 * m, svg_height(svg) + 2 * m
    canvas = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{_num(w)}" height="{_num(h)}">{_moved(svg, m, m)}</svg>'
    )
    # The page SVG's background is transparent: ink is whatever is not.
    with Image.open(io.BytesIO(rasterized(canvas, 1))) as image:
        box = image.convert("RGBA").getchannel("A").getbbox()
    if box is None:
        return None
    x0, y0, x1, y1 = box
    return (x0 - m, y0 - m, x1 - m, y1 - m)


def _text_block(
    blocks: list[tuple[str, int, int, str, bool]], y: float, wrap: float, gap: float
) -> tuple[list[str], float]:
    """Each text wrapped to `wrap` pixels, stacked from `y`: the <text>s and the bottom."""
    texts: list[str] = []
    for text, size, line, colour, bold in blocks:
        lines = wrap_text(text, size, bold, wrap)
        if not lines:
            continue
        if texts:
            y += gap
        weight = ' font-weight="bold"' if bold else ""
        for n, part in enumerate(lines):
            # The first baseline sits 0.8 em below the top of the block, as in Vega.
            texts.append(
                f'<text x="{IMAGE_PAD}" y="{_num(y + n * line + 0.8 * size)}" '
                f'font-family="{IMAGE_FONT}" font-size="{size}"{weight} fill="{colour}">'
                f"{xml_escape(part)}</text>"
            )
        y += size + (len(lines) - 1) * line
    return texts, y


def _moved(svg: str, left: float, top: float) -> str:
    """The page SVG's content moved right by `left` and down by `top`, as a group.

    Not a nested <svg>: the rasterizer clips nested viewports, which doubles its time.
    """
    match = _SVG_OPEN.search(svg)
    end = svg.rfind("</svg>")
    if not match or end < match.end():
        return ""
    box = re.search(r'\sviewBox="(-?[\d.]+)[ ,]+(-?[\d.]+)', match.group(0))
    x, up = (float(box.group(1)), float(box.group(2))) if box else (0.0, 0.0)
    return (
        f'<g transform="translate({_num(left - x)},{_num(top - up)})">{svg[match.end() : end]}</g>'
    )


def _round_numbers(text: str) -> str:
    parts = _LONG.split(text)  # text, number, text, number, ..., text
    for i in range(1, len(parts), 2):
        parts[i] = _num(float(parts[i]))
    return "".join(parts)


# An image mark's picture from anywhere but the SVG itself (a data: URL): a file path or an
# address, which rasterizing would read from this machine or fetch over the network.
_OUTSIDE_IMAGE = re.compile(
    r'<image\b(?=[^>]*\s(?:xlink:)?href="(?!data:)[^"]*")[^>]*?(?:/>|>.*?</image>)', re.S
)


def rasterized(svg: str, scale: float) -> bytes:
    """The SVG as a PNG, drawn without pictures from outside it: a build reads no file and
    fetches nothing for a chart (the page's SVG still shows them to readers)."""
    from .fonts import renderer

    return bytes(renderer().svg_to_png(_OUTSIDE_IMAGE.sub("", svg), scale=scale))


def _num(value: float) -> str:
    """At most one decimal, no trailing zero, no minus zero."""
    return "%.12g" % (round(value, 1) + 0.0)  # + 0.0 turns -0.0 into 0.0
