"""The look of every chart, in one place: font, text sizes and colours, for the renderer's
Vega-Lite config, the download image's title and notes (images.py), the stylesheet's palette
swaps (checked against these by tests/test_theme.py) and the writers' palette helpers.

Standard library only: render workers import this.
"""

from __future__ import annotations

from typing import Any

FONT = "Helvetica, Arial, 'Liberation Sans', sans-serif"
PADDING = 4  # around every chart, on every side

# Text sizes in px: axis, legend and text marks; title and subtitle; notes under the image.
TEXT_SIZE = 12
TITLE_SIZE = 16
SUBTITLE_SIZE = 13
NOTE_SIZE = 11

# The page behind a chart: Material's default palette and its dark one ("slate").
LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#1e2029"

# Neutral colours as drawn (on the light page). The stylesheet swaps each for the palette's
# own, by the name here: --sb-chart-<name> (site-builder.css).
TEXT = "#333333"
TITLE = "#111111"
SUBTLE = "#555555"  # subtitles
GRID = "#e6e6e6"
AXIS = "#888888"  # domain lines and ticks
SURFACE = "#dcdcdc"  # land outside the story, on maps
BACKGROUND = LIGHT_BACKGROUND  # lines that match the page: borders between countries
NOTE = "#757575"  # notes and sources under the download image: the page's light text
SWAPPED = {
    "text": TEXT,
    "title": TITLE,
    "subtle": SUBTLE,
    "grid": GRID,
    "axis": AXIS,
    "surface": SURFACE,
    "bg": BACKGROUND,
}
# The same on the dark palette (site-builder.css's, checked by tests/test_theme.py); lines
# that match the page take its own colour there.
DARK_SWAPPED = {
    "text": "#e3e5ea",
    "title": "#f4f5f7",
    "subtle": "#c2c6cf",
    "grid": "#3b404c",
    "axis": "#9aa0ad",
    "surface": "#3f4451",
    "bg": DARK_BACKGROUND,
}
# Which attribute the stylesheet recolours, for each neutral colour it recolours.
SWAPS = (
    ("fill", "text"),
    ("fill", "title"),
    ("fill", "subtle"),
    ("stroke", "text"),
    ("stroke", "grid"),
    ("stroke", "axis"),
    ("fill", "surface"),
    ("stroke", "bg"),
)
# Not data colours: the stylesheet recolours them for each palette.
PAGE_COLOURS = frozenset({*SWAPPED.values(), "#fff"})

# Categories for charts that name no colours: each at least 3:1 on both backgrounds, in the
# order of Vega's default (blue, orange, red, teal, green, yellow, purple, pink, brown, grey).
CATEGORY = [
    "#4c78a8",
    "#c7650a",
    "#d94140",
    "#3d8a85",
    "#4f9846",
    "#a58000",
    "#a9709a",
    "#cc5d74",
    "#9d755d",
    "#7f7f7f",
]

# The Vega-Lite config every chart is rendered with.
THEME: dict[str, Any] = {
    "font": FONT,
    # The <svg> itself is the accessible image (name and description from the writer);
    # its marks and axes are hidden from screen readers rather than read one by one.
    "aria": False,
    # Transparent on the page, so charts sit on either palette; the PNG gets white.
    "background": "transparent",
    "padding": PADDING,
    "view": {"stroke": None},
    # Categories readable on the light page and the dark one.
    "range": {"category": CATEGORY},
    "axis": {
        "labelFontSize": TEXT_SIZE,
        "titleFontSize": TEXT_SIZE,
        "titleFontWeight": "normal",
        "labelColor": TEXT,
        "titleColor": TEXT,
        "gridColor": GRID,
        "domainColor": AXIS,
        "tickColor": AXIS,
    },
    "legend": {
        "labelFontSize": TEXT_SIZE,
        "titleFontSize": TEXT_SIZE,
        "labelColor": TEXT,
        "titleColor": TEXT,
        # A size legend's symbols beside a colour legend (else black): in the text's colour,
        # which follows the palette.
        "symbolBaseFillColor": TEXT,
    },
    "header": {
        "labelFontSize": TEXT_SIZE,
        "titleFontSize": TEXT_SIZE,
        "labelColor": TEXT,
        "titleColor": TEXT,
    },
    "text": {"fontSize": TEXT_SIZE, "color": TEXT},
    # Vega-Lite draws rules (annotations, error bars' whiskers) black: unreadable on the dark
    # page. In the text's colour they follow the palette.
    "rule": {"color": TEXT},
    "title": {
        "anchor": "start",
        "fontSize": TITLE_SIZE,
        "subtitleFontSize": SUBTITLE_SIZE,
        "subtitleColor": SUBTLE,
        "color": TITLE,
    },
}
