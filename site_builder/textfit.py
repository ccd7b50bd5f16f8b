"""Where each text of a rendered chart lands, measured with the widths of the font the chart is
laid out in, so that text falling outside the drawing (cut off for every reader, in the page
and in the PNG) is caught at build time.

Standard library only: render workers import this.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

_WIDTHS = Path(__file__).parent / "assets" / "font-widths.json"
# Glyphs above and below the baseline, in ems (Liberation Sans: capitals 0.73, descenders 0.21).
ASCENT, DESCENT = 0.75, 0.2
WIDE = 1.0  # a character the table lacks (CJK and others): an em, as those are
OTHER = 0.6
# Arabic and Hebrew letters, joined as the browser draws them: 20 of them at 12 px take
# 113 px in Chromium (0.47 em); 0.6 had labels 30 px inside the drawing "cut off".
RIGHT_TO_LEFT = 0.5
_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)")
# The renderer's groups of marks that hold no text and no other group (points, bars, lines):
# most of a dense chart's bytes, skipped before parsing. Their markup holds no "</g>" (the
# renderer escapes "<" in attributes and text). An empty one closes itself (an axis with no
# ticks, as a log scale over a zero draws): it ends at its "/>", not at its parent's "</g>".
_TEXTLESS_MARKS = re.compile(
    r'<g class="mark-(?:symbol|rect|rule|line|area|path|shape|arc|trail|image)\b[^>]*?'
    r"(?:/>|(?<!/)>.*?</g>)",
    re.S,
)

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as in SVG
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class TextBox:
    """One line of text and the box it covers in the SVG's coordinates."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, dict[int, int]]:
    raw = json.loads(_WIDTHS.read_text(encoding="utf-8"))
    table: dict[str, dict[int, int]] = {}
    for weight in ("regular", "bold"):
        table[weight] = {
            int(start) + i: width
            for start, widths in raw[weight].items()
            for i, width in enumerate(widths)
        }
    return table


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The advance width of `text` at `size` px, as a canvas would measure it."""
    widths = _table()["bold" if bold else "regular"]
    total = 0.0
    for char in text:
        found = widths.get(ord(char))
        if found is not None:
            total += found / 1000
        else:
            total += _missing_width(char)
    return total * size


@functools.lru_cache(maxsize=4096)
def _missing_width(char: str) -> float:
    """An em estimate for a character the table lacks."""
    import unicodedata

    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0  # a vowel mark or joiner: drawn on its letter
    if unicodedata.bidirectional(char) in ("AL", "R"):
        return RIGHT_TO_LEFT
    return WIDE if _is_wide(char) else OTHER


def wrap_text(text: str, size: float, bold: bool, width: float) -> list[str]:
    """`text` in lines at most `width` px wide, broken between words, and between the
    characters of Chinese, Japanese or Korean text, which has no spaces (never before a closing
    mark such as "，" or after an opening one); a word longer than that gets a line of its own.
    Control characters, which draw nothing, are dropped."""
    lines: list[str] = []
    current = ""
    for index, word in enumerate(_CONTROL.sub("", text).split()):
        for piece_index, piece in enumerate(_pieces().findall(word)):
            gap = " " if index and not piece_index else ""
            candidate = current + gap + piece if current else piece
            if current and text_width(candidate, size, bold) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
    if current:
        lines.append(current)
    return lines


# Where a line may break inside a word: before each wide (CJK) character, keeping opening marks
# with what follows them, closing marks with what precedes them, and a number with its unit
# ("12月", "2023年").
_WIDE_RANGES = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_OPENING = "（《「『【〔“‘"
_CLOSING = "，。、；：！？）》」』】〕”’…%％"


@functools.cache
def _pieces() -> re.Pattern[str]:
    # Compiled when first needed: its wide classes cost ~10 ms, at every start otherwise.
    return re.compile(
        rf"[{_OPENING}]*(?:[{_WIDE_RANGES}]|[^{_WIDE_RANGES}]+?(?:[{_WIDE_RANGES}]|$))[{_CLOSING}]*"
    )


def _is_wide(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


def text_boxes(svg: str) -> list[TextBox]:
    """Every line of text in the SVG with its box (rotations and nesting applied)."""
    root = ElementTree.fromstring(_TEXTLESS_MARKS.sub("", svg))
    found: list[TextBox] = []
    _walk(root, _IDENTITY, {}, found)
    return found


def clipped_text(svg: str, tolerance: float = 1.0, boxes: list[TextBox] | None = None) -> list[str]:
    """The texts that reach outside the SVG's drawing, where no reader sees them.

    `boxes`: the SVG's text_boxes, when the caller has them already."""
    match = re.search(r'<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"', svg)
    if not match:
        return []
    width, height = float(match.group(1)), float(match.group(2))
    return [
        box.text
        for box in (text_boxes(svg) if boxes is None else boxes)
        if box.left < -tolerance
        or box.top < -tolerance
        or box.right > width + tolerance
        or box.bottom > height + tolerance
    ]


def overlapping_text(boxes: list[TextBox], gap: float = 2.0) -> set[tuple[str, str]]:
    """The pairs of texts on the same line that print over each other or nearly touch (less
    than `gap` px apart), as pairs sorted by their text."""
    ordered = sorted(boxes, key=lambda b: b.left)
    found = set()
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.left >= a.right + gap:
                break  # sorted by left: no later box comes nearer this one
            # Sharing more than a sliver of height: side by side, not one above the other.
            shared = min(a.bottom, b.bottom) - max(a.top, b.top)
            if shared > gap and a.text != b.text:
                found.add((a.text, b.text) if a.text < b.text else (b.text, a.text))
    return found


_INHERITED = ("font-size", "font-weight", "text-anchor")


def _walk(
    node: ElementTree.Element, matrix: Matrix, style: dict[str, str], found: list[TextBox]
) -> None:
    tag = node.tag.removeprefix(_SVG)
    if node.get("display") == "none" or tag in ("defs", "clipPath", "title", "desc"):
        return
    if node.get("opacity", "").strip() in ("0", "0.0"):  # a label Vega hid as overlapping
        return
    matrix = _compose(matrix, _parse_transform(node.get("transform", "")))
    style = {**style, **{k: node.get(k, "") for k in _INHERITED if node.get(k)}}
    if tag == "text":
        _text(node, matrix, style, found)
        return
    for child in node:
        _walk(child, matrix, style, found)


def _text(
    node: ElementTree.Element, matrix: Matrix, style: dict[str, str], found: list[TextBox]
) -> None:
    size = _length(style.get("font-size", "12"))
    bold = style.get("font-weight", "") in ("bold", "bolder", "600", "700", "800", "900")
    x = _length(node.get("x", "0")) + _length(node.get("dx", "0"), size)
    y = _length(node.get("y", "0")) + _length(node.get("dy", "0"), size)
    lines: list[tuple[str, float, float]] = []
    if node.text and node.text.strip():
        lines.append((node.text, x, y))
    for span in node:
        if span.tag.removeprefix(_SVG) != "tspan":
            continue
        if span.get("x") is not None:
            x = _length(span.get("x", "0"))
        y += _length(span.get("dy", "0"), size)
        text = "".join(span.itertext())
        if text.strip():
            lines.append((text, x, y))
    anchor = style.get("text-anchor", "start")
    for text, lx, ly in lines:
        width = text_width(text, size, bold)
        start = lx - (width if anchor == "end" else width / 2 if anchor == "middle" else 0)
        corners = [
            _apply(matrix, px, py)
            for px in (start, start + width)
            for py in (ly - ASCENT * size, ly + DESCENT * size)
        ]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        found.append(TextBox(text, min(xs), min(ys), max(xs), max(ys)))


def _length(value: str, em: float = 0.0) -> float:
    value = value.strip()
    if value.endswith("em"):
        return float(value[:-2] or 0) * em
    match = _NUMBER.match(value)
    return float(match.group(0)) if match else 0.0


def _parse_transform(text: str) -> Matrix:
    matrix = _IDENTITY
    for name, args in _TRANSFORM.findall(text):
        n = [float(v) for v in _NUMBER.findall(args)]
        if name == "translate":
            step: Matrix = (1, 0, 0, 1, n[0], n[1] if len(n) > 1 else 0)
        elif name == "scale":
            step = (n[0], 0, 0, n[1] if len(n) > 1 else n[0], 0, 0)
        elif name == "rotate":
            a = math.radians(n[0])
            cos, sin = math.cos(a), math.sin(a)
            step = (cos, sin, -sin, cos, 0, 0)
            if len(n) == 3:  # about a point: move there, turn, move back
                cx, cy = n[1], n[2]
                step = _compose(_compose((1, 0, 0, 1, cx, cy), step), (1, 0, 0, 1, -cx, -cy))
        elif name == "matrix" and len(n) == 6:
            step = (n[0], n[1], n[2], n[3], n[4], n[5])
        elif name == "skewX":
            step = (1, 0, math.tan(math.radians(n[0])), 1, 0, 0)
        elif name == "skewY":
            step = (1, math.tan(math.radians(n[0])), 0, 1, 0, 0)
        else:
            continue
        matrix = _compose(matrix, step)
    return matrix


def _compose(m: Matrix, n: Matrix) -> Matrix:
    """m then n, as nested SVG transforms apply (the inner one first to a point)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f
