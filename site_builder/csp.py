"""The site's Content-Security-Policy: as a <meta> tag in every page and a `_headers` file.

No script of ours runs inline, no style is inline, expressions are interpreted (no eval): the
only inline scripts are the theme's, allowed by the hash of their exact text in the built
pages. GitHub Pages cannot send headers, so each page carries its policy in a <meta> tag; a
browser ignores `frame-ancestors` there, so `_headers` (read by Netlify and Cloudflare Pages)
repeats the policy with it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .cache import write_atomic

DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),  # data: for images in the page (the theme's icons)
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
}
# Story pages may be framed by the site itself only; embed pages by any site.
STORY_FRAMES = "'self'"
EMBED_FRAMES = "*"
MARKER = "<!--sb-csp-->"  # where a page's <meta> goes once every page's hashes are known

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_DIRECTIVE = re.compile(r"[a-z][a-z-]*")
_SOURCE = re.compile(r"[^\s;,]+")


def inline_script_hashes(html: str) -> set[str]:
    """The hash source ('sha256-...') of each inline script a browser would run in `html`."""
    found = set()
    for attributes, text in _SCRIPT.findall(html):
        kind = _TYPE.search(attributes)
        if _SRC.search(attributes) or (kind and kind.group(1).lower() not in _JS_TYPES):
            continue  # a file, or data such as Material's JSON config
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        found.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return found


def check_extra(extra: Mapping[str, object]) -> list[str]:
    """Problems with sources a writer adds, by directive (csp_extra in mkdocs.yml)."""
    problems = []
    for name, sources in extra.items():
        if not isinstance(name, str) or not _DIRECTIVE.fullmatch(name):
            problems.append(f"csp_extra: {name!r} is not a directive name (e.g. img-src)")
        elif not isinstance(sources, list) or not all(
            isinstance(s, str) and _SOURCE.fullmatch(s) for s in sources
        ):
            problems.append(
                f"csp_extra: {name}: expected a list of sources without spaces, ';' or ',' "
                "(e.g. [https://tiles.example.org])"
            )
    return problems


def policy(
    script_hashes: Iterable[str] = (),
    extra: Mapping[str, Sequence[str]] | None = None,
    frame_ancestors: str | None = None,
) -> str:
    """The policy text: our directives, the inline scripts' hashes, a writer's extra sources,
    and `frame-ancestors` (for a header: a <meta> tag must leave it out)."""
    directives = {name: list(sources) for name, sources in DIRECTIVES.items()}
    directives["script-src"] += sorted(set(script_hashes))
    for name, sources in (extra or {}).items():
        listed = directives.setdefault(name, [])
        listed += [s for s in sources if s not in listed]
    if frame_ancestors:
        directives["frame-ancestors"] = [frame_ancestors]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def meta_tag(text: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{text}">'


def with_marker(html: str, mark: str = MARKER) -> str:
    """The page with MARKER (or `mark`: the policy expected) where its policy goes: first in
    <head> after the charset, so that the policy governs every script and stylesheet."""
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + mark + html[anchor.end() :]


def headers_file(story: str, embed: str, story_paths: Iterable[str], embed_dir: str) -> str:
    """`_headers` for Netlify and Cloudflare Pages: the story pages' policy on each of their
    paths, the embed pages' on theirs.

    The rules must not overlap: a path matched by two rules gets both policies on Cloudflare
    (both enforced, so an embed page could not be framed) and only the last one on Netlify.
    `story_paths`: the site's top-level entries holding story pages ("/" for the home page,
    "/chips/*" for a folder, "/404.html" for a file)."""
    blocks = [f"{path}\n  Content-Security-Policy: {story}\n" for path in sorted(story_paths)]
    blocks.append(f"/{embed_dir}/*\n  Content-Security-Policy: {embed}\n")
    head = "# Written by site-builder: the Content-Security-Policy of each part of the site.\n"
    return head + "".join(blocks)


def story_paths(pages: Iterable[str], embed_dir: str) -> set[str]:
    """The top-level rules that cover every story page, from their files (site-relative)."""
    paths = set()
    for page in pages:
        top, _, rest = page.partition("/")
        if top == embed_dir:
            continue
        if not rest:
            paths.update({"/", "/index.html"} if top == "index.html" else {f"/{top}"})
        else:
            paths.add(f"/{top}/*")
    return paths


def write_policies(
    site_dir: Path,
    pages: Sequence[str],
    script_hashes: Iterable[str],
    extra: Mapping[str, Sequence[str]],
    embed_dir: str,
    placed: str = MARKER,
) -> str:
    """Each page's <meta> policy in place of what `with_marker` put there (`placed`), and
    `_headers`; returns the pages' tag. Pages given the right tag already (a rebuild's guess,
    from the last build) are not read again.

    One policy for every story page: Material's instant navigation keeps the first page's
    policy and runs the inline scripts of the next page under it."""
    hashes = set(script_hashes)
    tag = meta_tag(policy(hashes, extra))
    for page in pages if placed != tag else ():
        path = site_dir / page
        html = path.read_text(encoding="utf-8")
        # Replaced, not written through: the page may be linked from the published site.
        write_atomic(path, html.replace(placed, tag, 1).encode("utf-8"))
    headers = headers_file(
        policy(hashes, extra, STORY_FRAMES),
        policy((), extra, EMBED_FRAMES),
        story_paths(pages, embed_dir),
        embed_dir,
    )
    (site_dir / "_headers").write_text(headers, encoding="utf-8")
    return tag
