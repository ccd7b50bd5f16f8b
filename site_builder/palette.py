"""Data colours that read on both of the page's palettes: the house categories, the contrast
check (WCAG 1.4.11: 3:1 for graphics) and the colour a writer could use instead.

Standard library only: render workers import this.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator
from typing import Any

from .theme import CATEGORY, DARK_BACKGROUND, LIGHT_BACKGROUND, PAGE_COLOURS

__all__ = [
    "CATEGORY",
    "DARK_BACKGROUND",
    "LIGHT_BACKGROUND",
    "PAGE_COLOURS",
    "contrast",
    "faint_fills",
    "nearest_readable",
    "readable_on_both",
    "spec_colours",
]

MIN_CONTRAST = 3.0
# Below this a mark is all but invisible on the page (a scheme's pale or dark end: viridis's
# #440154 is 1.07:1 on the dark page, black 1.29:1); a pale grey bar for context (#dddddd,
# 1.36:1) is not.
FAINT = 1.3

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
# Keys whose text value is a colour, and keys holding colours one level down.
_COLOUR_KEYS = ("color", "fill", "stroke")
_HOLDERS = ("value", "range", "condition", "scale")


def luminance(colour: str) -> float:
    """Relative luminance of a #rgb or #rrggbb colour (WCAG 2)."""
    r, g, b = _rgb(colour)

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on_both(colour: str) -> bool:
    return (
        contrast(colour, LIGHT_BACKGROUND) >= MIN_CONTRAST
        and contrast(colour, DARK_BACKGROUND) >= MIN_CONTRAST
    )


def nearest_readable(colour: str) -> str:
    """The colour of the same hue and saturation whose lightness reads on both backgrounds,
    nearest the one given."""
    if readable_on_both(colour):
        return colour
    h, lightness, s = colorsys.rgb_to_hls(*_rgb(colour))
    best = None
    for step in range(0, 101):
        trial = step / 100
        candidate = _hex(colorsys.hls_to_rgb(h, trial, s))
        nearer = best is None or abs(trial - lightness) < abs(best[0] - lightness)
        if nearer and readable_on_both(candidate):
            best = (trial, candidate)
    return best[1] if best else "#767676"


# A rendered chart's data marks (not legends, axes or text), and each mark's element in them.
_MARKS = re.compile(
    r'<g class="mark-(?:rect|shape|symbol|arc|area|path|trail) role-mark\b[^>]*>(.*?)</g>', re.S
)
_ELEMENT = re.compile(r"<(?:path|rect|circle)\b[^>]*>")
_PAINT = re.compile(r'\s(fill|stroke)="([^"]+)"')
_RGB = re.compile(r"rgb\((\d+),\s*(\d+),\s*(\d+)\)")


def faint_fills(svg: str) -> list[str]:
    """The fills of the chart's marks that all but vanish into the light or the dark page,
    with no outline that reads there, each with its contrast ("rgb(68, 1, 84): 1.07:1 on the
    dark page"), faintest first. Colours that follow the palette (PAGE_COLOURS) are left."""
    seen: dict[str, tuple[float, str]] = {}
    judged: set[tuple[str, str]] = set()  # (fill, stroke) pairs: a scatter repeats a few
    for group in _MARKS.finditer(svg):
        for element in _ELEMENT.findall(group.group(1)):
            paint = dict(_PAINT.findall(element))
            written = paint.get("fill", "")
            pair = (written, paint.get("stroke", ""))
            if written in seen or pair in judged:
                continue
            judged.add(pair)
            fill = _as_hex(written)
            if fill is None or fill in PAGE_COLOURS:
                continue
            stroke = _as_hex(pair[1])
            for page, background in (("light", LIGHT_BACKGROUND), ("dark", DARK_BACKGROUND)):
                ratio = contrast(fill, background)
                outlined = stroke is not None and contrast(stroke, background) >= MIN_CONTRAST
                if ratio < FAINT and not outlined and written not in seen:
                    seen[written] = (ratio, f"{written}: {ratio:.2f}:1 on the {page} page")
    return [said for _, said in sorted(seen.values())]


def _as_hex(written: str) -> str | None:
    """A colour as the renderer writes it (#hex, rgb(), a CSS name) as #rrggbb; None for none,
    a gradient or a see-through colour."""
    if _HEX.match(written):
        return _hex(_rgb(written))
    found = _RGB.fullmatch(written)
    if found:
        r, g, b = (int(c) / 255 for c in found.groups())
        return _hex((r, g, b))
    if not written or written == "none" or written.startswith("url("):
        return None
    from tinycss2.color3 import parse_color  # a name ("black"): rare

    parsed = parse_color(written)
    if not hasattr(parsed, "alpha") or parsed.alpha < 1:
        return None
    return _hex((parsed.red, parsed.green, parsed.blue))


def spec_colours(spec: dict[str, Any]) -> list[str]:
    """The hex colours a chart's spec names for its marks (not the theme's config)."""
    found: dict[str, None] = {}
    for key, value in spec.items():
        if key not in ("config", "datasets", "data"):
            for colour in _colours(value, False):
                found.setdefault(colour.lower(), None)
    return list(found)


def _colours(node: Any, in_colour: bool) -> Iterator[str]:
    if isinstance(node, str):
        if in_colour and _HEX.match(node):
            yield node
    elif isinstance(node, list):
        for item in node:
            yield from _colours(item, in_colour)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in _COLOUR_KEYS:
                yield from _colours(value, True)
            elif key in ("data", "datasets", "transform"):
                continue
            else:
                yield from _colours(value, in_colour and key in _HOLDERS)


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16) / 255, int(digits[2:4], 16) / 255, int(digits[4:6], 16) / 255)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(1, max(0, c)) * 255):02x}" for c in rgb)
