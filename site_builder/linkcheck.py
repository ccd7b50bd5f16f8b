"""Every internal link, anchor, asset and download of a built site resolves, and no link
could run script."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .urls import is_safe_link

# Attributes that point at another file of the site.
_LINKS = {
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("div", "data-sb-spec"),
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if (tag, name) in _LINKS:
                self.links.append((tag, name, value))


def check_site(site_dir: Path, base_path: str = "/") -> list[str]:
    """Broken links, one line each: `page: <tag attribute="url">: why`.

    `base_path` is the path the site is served under (from site_url), for root-absolute links.
    """
    pages: dict[str, _Page] = {}
    for html in sorted(site_dir.rglob("*.html")):
        parser = _Page()
        parser.feed(html.read_text(encoding="utf-8", errors="replace"))
        pages[html.relative_to(site_dir).as_posix()] = parser
    problems = []
    for path, page in pages.items():
        for tag, attribute, url in page.links:
            reason = _check(site_dir, pages, path, tag, url, base_path)
            if reason:
                problems.append(f'{path}: <{tag} {attribute}="{url}">: {reason}')
    return problems


def _check(
    site_dir: Path, pages: dict[str, _Page], page: str, tag: str, url: str, base_path: str
) -> str | None:
    if not is_safe_link(url):
        if tag == "img" and url.startswith("data:image/"):
            return None  # an image in the page (a dense chart's stand-in)
        return "not an http(s) link or a path in the site: it could run script"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None  # another site: not ours to check
    target = unquote(parts.path)
    if not target:
        target_file = page
    else:
        if target.startswith("/"):
            if not target.startswith(base_path):
                return f"outside the site's path {base_path}"
            target = target[len(base_path) :]
        else:
            target = posixpath.join(posixpath.dirname(page), target)
        target_file = posixpath.normpath(target) if target not in ("", ".") else ""
        if target_file.startswith(".."):
            return "points above the site's root"
        if target_file in ("", ".") or (site_dir / target_file).is_dir():
            target_file = posixpath.normpath(posixpath.join(target_file or ".", "index.html"))
        if not (site_dir / target_file).is_file():
            return "no such file"
    if parts.fragment and target_file.endswith(".html"):
        ids = pages[target_file].ids if target_file in pages else set()
        if unquote(parts.fragment) not in ids:
            return f"no element with id '{parts.fragment}'"
    return None
