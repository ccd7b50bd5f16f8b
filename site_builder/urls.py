"""Which URLs may become links: http(s) to other sites, or paths inside this one.

A link is the one place where a string from a writer or a data file can run script
(`javascript:`) or carry a page of its own (`data:text/html`), so every link the tool
writes passes through here. Standard library only: render workers import this.
"""

from __future__ import annotations

import re
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


def is_safe_link(url: str) -> bool:
    """http(s) with a host, a path inside the site, or a fragment; nothing else."""
    cleaned = _cleaned(url)
    if _SCHEME.match(cleaned):
        return is_web_url(cleaned)
    # "//host" and "\\host" leave the site with the page's scheme: not a site path.
    return not cleaned.replace("\\", "/").startswith("//")


_HREF = re.compile(r"""\b(?:xlink:)?href\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def unsafe_links(markup: str) -> list[str]:
    """The links in SVG or HTML markup that `is_safe_link` refuses (entities decoded)."""
    from html import unescape

    found = []
    for match in _HREF.finditer(markup):
        url = unescape(match.group(1) if match.group(1) is not None else match.group(2))
        if not is_safe_link(url):
            found.append(url)
    return found
