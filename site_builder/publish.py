"""What a published story needs besides its pages: social cards, embed pages, a feed, robots.

Pure functions from text to text (or PNG bytes); the plugin decides where they go.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from .strings import EN, Words
from .textfit import text_width, wrap_text

CARD_WIDTH, CARD_HEIGHT = 1200, 630
_FONT = "Liberation Sans, Helvetica, Arial, sans-serif"
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def card_svg(title: str, site_name: str, chart_svg: str = "", summary: str = "") -> str:
    """A 1200x630 social card: the page's lead chart under its title, or the title alone."""
    size = 44 if chart_svg else 64
    lines = _lines(title, size, True, 3 if chart_svg else 4)
    y = 80 if chart_svg else 200
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" '
        f'viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}">',
        f'<rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="#ffffff"/>',
        f'<rect width="{CARD_WIDTH}" height="12" fill="#455a64"/>',
    ]
    for i, line in enumerate(lines):
        parts.append(
            f'<text x="60" y="{y + i * size * 1.2:.0f}" font-family="{_FONT}" font-size="{size}" '
            f'font-weight="bold" fill="#111111">{xml_escape(line)}</text>'
        )
    top = y + len(lines) * size * 1.2
    if chart_svg:
        parts.append(_nested(chart_svg, 60, top, CARD_WIDTH - 120, CARD_HEIGHT - top - 70))
    elif summary:
        for i, line in enumerate(_lines(summary, 30, False, 3)):
            parts.append(
                f'<text x="60" y="{top + 30 + i * 40:.0f}" font-family="{_FONT}" font-size="30" '
                f'fill="#444444">{xml_escape(line)}</text>'
            )
    parts.append(
        f'<text x="60" y="{CARD_HEIGHT - 30}" font-family="{_FONT}" font-size="26" '
        f'fill="#555555">{xml_escape(site_name)}</text></svg>'
    )
    return "".join(parts)


def _lines(text: str, size: float, bold: bool, most: int) -> list[str]:
    """`text` wrapped to the card's width, measured in its font (Chinese between characters);
    at most `most` lines, the last ending in "…" when the text is longer."""
    room = CARD_WIDTH - 120
    lines = wrap_text(text, size, bold, room)
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and text_width(last + "…", size, bold) > room:
        last = last[:-1].rstrip()
    return [*lines[: most - 1], last + "…"]


def _nested(svg: str, x: float, y: float, width: float, height: float) -> str:
    """The chart's SVG placed in a box, scaled to fit and centred."""
    match = _SVG_OPEN.search(svg)
    if not match:
        return ""
    tag = re.sub(r'\s(?:width|height|style|x|y)="[^"]*"', "", match.group(0))
    tag = tag[:-1] + (
        f' x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" height="{height:.0f}" '
        'preserveAspectRatio="xMidYMid meet">'
    )
    return svg[: match.start()] + tag + svg[match.end() :]


def card_png(svg: str) -> bytes:
    from .images import rasterized

    return rasterized(svg, 1.0)


def social_meta(title: str, description: str, image: str, url: str | None, site_name: str) -> str:
    """Open Graph and Twitter tags; `image` and `url` are absolute when the site has an address."""
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:image", image),
        ("property", "og:image:width", str(CARD_WIDTH)),
        ("property", "og:image:height", str(CARD_HEIGHT)),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image),
    ]
    if url:
        tags.insert(2, ("property", "og:url", url))
    return "".join(
        f'<meta {kind}="{escape(name)}" content="{escape(value)}">' for kind, name, value in tags
    )


def robots_txt(site_url: str | None) -> str:
    text = "User-agent: *\nAllow: /\n"
    if site_url:
        text += f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n"
    return text


def atom_feed(
    site_name: str,
    site_url: str | None,
    entries: list[tuple[str, str, str]],
    updated: datetime,
    path: str = "feed.xml",
) -> str:
    """An Atom feed of the story's pages: (title, url from the site root, summary) each;
    `path`: the feed's own, from the site root."""
    base = (site_url or "").rstrip("/") + "/"
    stamp = updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    items = "".join(
        "<entry>"
        f"<title>{xml_escape(title)}</title>"
        f'<link href="{xml_escape(base + url)}"/>'
        f"<id>{xml_escape(base + url)}</id>"
        f"<updated>{stamp}</updated>"
        f"<summary>{xml_escape(summary)}</summary>"
        "</entry>"
        for title, url, summary in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{xml_escape(site_name)}</title>"
        f'<link href="{xml_escape(base)}"/>'
        f'<link rel="self" href="{xml_escape(base + path)}"/>'
        f"<id>{xml_escape(base)}</id>"
        f"<updated>{stamp}</updated>"
        f"{items}</feed>\n"
    )


def embed_html(
    title: str,
    figure: str,
    story_title: str,
    story_link: str,
    assets: str,
    head: str = "",
    words: Words = EN,
) -> str:
    """A standalone page for one chart, small enough for an iframe; it reports its height
    (site-builder.js, for a body of class sb-embed). `head`: more tags for <head>."""
    link = f'\n<a href="{escape(story_link)}" target="_top">{escape(story_title)}</a>'
    back = escape(words["embed_from"]).replace(" {link}", "{link}").format(link=link)
    return f"""<!doctype html>
<html lang="{escape(words["lang"])}">
<head>
<meta charset="utf-8">{head}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{escape(assets)}/site-builder.css">
</head>
<body class="md-typeset sb-embed">
<main>
<h1 class="sb-visually-hidden">{escape(title)}</h1>
{figure}
<p class="sb-embed__back">{back}</p>
</main>
<script src="{escape(assets)}/site-builder.js"></script>
</body>
</html>
"""


def embed_snippet(src: str, title: str, chart_id: str, script: str) -> str:
    """The code a reader copies to embed the chart elsewhere: the iframe, and our script
    (`script`, its URL) that fits the iframe to its content's height. No inline script, so it
    works on a page with a strict Content-Security-Policy too."""
    return (
        f'<iframe src="{src}" title="{title}" id="sb-embed-{chart_id}" '
        'style="width:100%;border:0" height="480" loading="lazy"></iframe>'
        f'<script src="{script}" async></script>'
    )
