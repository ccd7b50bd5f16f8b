"""Write site_builder/assets/fallback-font/site-builder-wide.ttf: a last-resort font whose
one glyph, an empty box one em wide, stands for every wide character (Chinese, Japanese,
Korean, fullwidth forms; Unicode's East Asian Width W or F).

The renderer falls back to it only where no installed font has the character. Without it,
a machine with no CJK font lays such labels out at the width of a missing-glyph box (three
quarters of an em), and readers' browsers, which draw them an em wide, cut them off.
Run by hand when Python's Unicode data changes (needs fontTools, which the tool does not):

    pip install fonttools && python tools/wide_font.py
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

OUT = Path(__file__).parent.parent / "site_builder" / "assets" / "fallback-font"
FAMILY = "site-builder wide fallback"
EM = 1000
# The box drawn where a glyph is missing: the outline shows it is a stand-in.
LEFT, RIGHT, BOTTOM, TOP, STROKE = 100, 900, -80, 800, 60


def wide_ranges() -> list[tuple[int, int]]:
    """Runs of code points that are wide, in the basic and the two ideographic planes."""
    runs: list[tuple[int, int]] = []
    for code in range(0x1100, 0x40000):
        if 0xD800 <= code <= 0xDFFF or unicodedata.east_asian_width(chr(code)) not in "WF":
            continue
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs


def box() -> object:
    pen = TTGlyphPen(None)
    for left, bottom, right, top, clockwise in (
        (LEFT, BOTTOM, RIGHT, TOP, True),
        (LEFT + STROKE, BOTTOM + STROKE, RIGHT - STROKE, TOP - STROKE, False),
    ):
        corners = [(left, bottom), (left, top), (right, top), (right, bottom)]
        if not clockwise:
            corners.reverse()
        pen.moveTo(corners[0])
        for corner in corners[1:]:
            pen.lineTo(corner)
        pen.closePath()
    return pen.glyph()


def main() -> None:
    builder = FontBuilder(EM, isTTF=True)
    builder.setupGlyphOrder([".notdef", "wide"])
    builder.setupCharacterMap({})
    # Format 13 maps whole runs to one glyph: a few hundred bytes for ~100,000 characters.
    table = CmapSubtable.newSubtable(13)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    table.cmap = {code: "wide" for start, end in wide_ranges() for code in range(start, end + 1)}
    builder.font["cmap"].tables = [table]
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "wide": box()})
    builder.setupHorizontalMetrics({".notdef": (EM // 2, 0), "wide": (EM, LEFT)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    # The renderer's font list skips a font without a PostScript name.
    builder.setupNameTable(
        {
            "familyName": FAMILY,
            "styleName": "Regular",
            "fullName": FAMILY,
            "psName": FAMILY.title().replace(" ", "").replace("-", ""),
            "uniqueFontIdentifier": FAMILY,
        }
    )
    builder.setupOS2(
        sTypoAscender=880,
        sTypoDescender=-120,
        usWinAscent=880,
        usWinDescent=120,
        sxHeight=500,
        sCapHeight=700,
        yStrikeoutSize=50,
        yStrikeoutPosition=300,
    )
    builder.setupPost(underlinePosition=-100, underlineThickness=50)
    OUT.mkdir(parents=True, exist_ok=True)
    builder.save(str(OUT / "site-builder-wide.ttf"))
    size = (OUT / "site-builder-wide.ttf").stat().st_size
    print(f"{OUT / 'site-builder-wide.ttf'}: {size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
