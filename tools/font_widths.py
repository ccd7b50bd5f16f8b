"""Write site_builder/assets/font-widths.json: the advance width of each character of
Liberation Sans (regular and bold), the font vl-convert lays charts out with, in thousandths
of an em. Run by hand when the chart font changes (needs Debian's fonts-liberation):

    .venv/bin/python tools/font_widths.py
"""

from __future__ import annotations

import json
from pathlib import Path

from PIL import ImageFont

FONTS = Path("/usr/share/fonts/truetype/liberation")
OUT = Path(__file__).parent.parent / "site_builder" / "assets" / "font-widths.json"
# Latin, Greek, Cyrillic, punctuation, currency, letterlike symbols, arrows, minus.
RANGES = [
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x370, 0x3FF),
    (0x400, 0x4FF),
    (0x2010, 0x205E),
    (0x20A0, 0x20BF),
    (0x2100, 0x2122),
    (0x2190, 0x2199),
    (0x2212, 0x2212),
]


def widths(path: Path) -> dict[str, list[int]]:
    # Basic layout: one glyph's advance, no shaping (as a canvas measures a label).
    font = ImageFont.truetype(str(path), 1000, layout_engine=ImageFont.Layout.BASIC)
    return {
        str(start): [round(font.getlength(chr(c))) for c in range(start, end + 1)]
        for start, end in RANGES
    }


def main() -> None:
    table = {
        "font": "Liberation Sans",
        "regular": widths(FONTS / "LiberationSans-Regular.ttf"),
        "bold": widths(FONTS / "LiberationSans-Bold.ttf"),
    }
    OUT.write_text(json.dumps(table, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
