"""Which URLs may become links: http(s) to other sites, or paths inside this one.

A link is the one place where a string from a writer or a data file can run script
(`javascript:`) or carry a page of its own (`data:text/html`), so every link the tool
writes passes through here. Standard library only: render workers import this.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

# Browsers drop tabs and newlines anywhere in a URL and C0 controls and spaces at its ends
# before they read the scheme: "java\tscript:" runs as javascript:.
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_ENDS = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _cleaned(url: str) -> str:
    return _IGNORED_INSIDE.sub("", url).strip(_ENDS)


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host."""
    cleaned = _cleaned(url)
    match = _SCHEME.match(cleaned)
    if not match or match.group(1).lower() not in ("http", "https"):
        return False
    return bool(urlsplit(cleaned).netloc)


# What a refused link is called, wherever it is found (a page, the navigation).
UNSAFE = "which is not an http(s) URL or a path in the site; a link like it could run script"
UNSAFE_HINT = "link to https:// addresses only"


def is_safe_link(url: str) -> bool:
    """http(s) with a host, mail or a phone number, a path inside the site, or a fragment;
    nothing else."""
    cleaned = _cleaned(url)
    scheme = _SCHEME.match(cleaned)
    if scheme and scheme.group(1).lower() in ("mailto", "tel"):
        return True
    if scheme:
        return is_web_url(cleaned)
    # "//host" and "\\host" leave the site with the page's scheme: not a site path.
    return not cleaned.replace("\\", "/").startswith("//")


_HREF = re.compile(r"""\b(?:xlink:)?href\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def unsafe_links(markup: str) -> list[str]:
    """The links in SVG or HTML markup that `is_safe_link` refuses (entities decoded)."""
    if "href" not in markup:
        return []  # most charts link nowhere: no scan of a big SVG for them
    found = []
    for match in _HREF.finditer(markup):
        url = unescape(match.group(1) if match.group(1) is not None else match.group(2))
        if not is_safe_link(url):
            found.append(url)
    return found


# vl-convert resolves a link that is not absolute against its own data folder; the live view
# resolves it against the page. The static SVG must link where the live view does.
RENDERER_BASE = "https://vega.github.io/vega-datasets/"
# What Vega-Lite makes of an empty cell ("" + null): a mark that links nowhere.
_NO_LINK = frozenset({"", "null", "undefined", "NaN"})
_RENDERER_LINK = re.compile(
    r'<a xlink:href="' + re.escape(RENDERER_BASE) + r'([^"]*)"([^>]*)>(.*?)</a>', re.S
)


def page_relative_links(svg: str, spec_json: str) -> str:
    """The rendered SVG with its relative links as the writer gave them and its empty ones
    gone; an absolute link the spec itself holds is left alone."""
    if RENDERER_BASE not in svg:
        return svg

    def fixed(match: re.Match[str]) -> str:
        value, attributes, body = match.groups()
        if RENDERER_BASE + unescape(value) in spec_json:
            return match.group(0)
        if unescape(value).strip() in _NO_LINK:
            return body
        return f'<a xlink:href="{value}"{attributes}>{body}</a>'

    return _RENDERER_LINK.sub(fixed, svg)


def not_addresses(markup: str) -> list[str]:
    """Relative links in the markup that cannot be paths (they hold spaces), e.g. a label
    in the column an href channel encodes; each once."""
    if "href" not in markup:
        return []
    found = []
    for match in _HREF.finditer(markup):
        url = unescape(match.group(1) if match.group(1) is not None else match.group(2))
        cleaned = url.strip()
        if not _SCHEME.match(cleaned) and re.search(r"\s", cleaned) and url not in found:
            found.append(url)
    return found
