"""Links between pages and the navigation, checked before anything is built, so `check` finds
what the site compiler would stop on, at the line and column of the mistake."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .errors import Problem, nearest
from .urls import UNSAFE, UNSAFE_HINT, is_safe_link

# [text](target "title") and ![alt](target): the target, with or without <angle brackets>.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
# <img src="...">, <a href="..."> and the like, written as HTML in a page.
_HTML_LINK = re.compile(
    r"<(img|a|source|video|audio|embed)\b[^>]*?\b(?:src|href|poster)\s*=\s*[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)


def nav_files(nav: Any) -> list[str]:
    """The page paths a MkDocs `nav` lists (not its links to other sites, but links that could
    run script, for `nav_problems` to refuse), in order."""
    found: list[str] = []
    if isinstance(nav, str):
        if not _SCHEME.match(nav) or not is_safe_link(nav):
            found.append(nav)
    elif isinstance(nav, list):
        for item in nav:
            found += nav_files(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            found += nav_files(value)
    return found


def nav_problems(nav: list[str], docs_dir: Path, config: Path, shown: str) -> list[Problem]:
    """Navigation entries that name no page."""
    pages = _pages(docs_dir)
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    problems = []
    for entry in nav:
        if posixpath.normpath(entry) in pages:
            continue
        line = next((n for n, ln in enumerate(text.splitlines(), 1) if entry in ln), None)
        if _SCHEME.match(entry):  # every page would link to it
            problems.append(
                Problem(shown, f"nav links to {entry[:60]!r}, {UNSAFE}", UNSAFE_HINT, line)
            )
            continue
        problems.append(
            Problem(
                shown,
                f"nav lists '{entry}', which is not a page in {docs_dir.name}/",
                nearest(entry, sorted(pages)),
                line,
            )
        )
    return problems


def link_problems(
    text: str,
    page: str,
    docs_dir: Path,
    shown: str,
    listed: Collection[str] = (),
    unlisted: list[tuple[str, bool]] | None = None,
    directory_urls: bool = True,
) -> list[Problem]:
    """Links from a page (`page`: its path in the docs folder) to files of the site that do
    not exist (pages, images, downloads). `unlisted`, if given, gets each target looked up
    that is not in `listed` (the docs folder's files, as its listing has them: a target in a
    linked folder is not), and whether it was a file."""
    found: set[str] | None = None  # the docs folder's pages, read at the first link to a file

    def pages() -> set[str]:
        nonlocal found
        if found is None:
            found = _pages(docs_dir)
        return found

    here = posixpath.dirname(page)
    problems = []
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")):
            continue
        blanked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        definition = _DEFINITION.match(blanked)  # [name]: target, for [text][name]
        if definition and _refused(definition.group(1), image=False):
            problems.append(
                Problem(
                    shown, f"links to {definition.group(1)[:60]!r}, {UNSAFE}", UNSAFE_HINT, number,
                    definition.start(1) + 1,
                )
            )  # fmt: skip
        for match in _LINK.finditer(blanked):
            target = match.group(1)
            opening = blanked.rfind("[", 0, match.start())
            if _refused(target, image=opening > 0 and blanked[opening - 1] == "!"):
                whole = _balanced(blanked, match.start(1))
                problems.append(
                    Problem(
                        shown, f"links to {whole[:60]!r}, {UNSAFE}", UNSAFE_HINT, number,
                        match.start(1) + 1,
                    )
                )  # fmt: skip
                continue
            path = _file_path(target)
            if path is None:
                continue
            resolved = posixpath.normpath(posixpath.join(here, path))
            if _is_file(resolved, docs_dir, listed, unlisted) or resolved in pages():
                continue
            choices = pages() if resolved.endswith(".md") else set(listed) or pages()
            problems.append(
                Problem(
                    shown,
                    f"links to '{target}', which is not a file of the site",
                    nearest(resolved, sorted(choices)) + "; links are relative to this page",
                    number,
                    match.start(1) + 1,
                )
            )
        for match in _HTML_LINK.finditer(blanked):
            tag, target = match.group(1).lower(), match.group(2)
            wrong = _html_link_problem(
                target, tag, page, docs_dir, listed, directory_urls, unlisted
            )
            if wrong:
                problems.append(Problem(shown, wrong[0], wrong[1], number, match.start(2) + 1))
    return problems


def _html_link_problem(
    target: str,
    tag: str,
    page: str,
    docs_dir: Path,
    listed: Collection[str],
    directory_urls: bool,
    unlisted: list[tuple[str, bool]] | None,
) -> tuple[str, str] | None:
    """What is wrong with a link written as HTML: MkDocs leaves it as written, so it is
    relative to the page's address (a/b.md is served at a/b/), not to its file."""
    path = _file_path(target)  # unsafe links are refused in the built page
    if path is None:
        return None
    here = posixpath.dirname(page)
    stem = posixpath.splitext(posixpath.basename(page))[0]
    folder = stem in ("index", "README") or not directory_urls
    address = here if folder else posixpath.join(here, stem)
    shown_address = address + "/" if address else "the root"
    in_markdown = "![text]" if tag == "img" else "[text]"
    if path.endswith(".md"):
        return (
            f"links to '{target}' in HTML, which MkDocs leaves as written: readers get the "
            "Markdown file, not the page",
            "write the link in Markdown, [text](page.md), or to the page's address",
        )
    if _is_file(posixpath.normpath(posixpath.join(address, path)), docs_dir, listed, unlisted):
        return None
    from_file = posixpath.normpath(posixpath.join(here, path))
    if (docs_dir / from_file).is_file():
        fixed = posixpath.relpath(from_file, address or ".")
        return (
            f"links to '{target}' in HTML, relative to the page's file; readers' browsers "
            f"take it from the page's address ({shown_address})",
            f"write '{fixed}', or write it in Markdown, {in_markdown}({target})",
        )
    return (
        f"links to '{target}', which is not a file of the site",
        nearest(from_file, sorted(listed)) + "; in HTML, links are relative to the page's "
        f"address ({shown_address})",
    )


def _file_path(target: str) -> str | None:
    """The path of a file of the site that `target` links to; None for another site, this
    page, a path from the root, a folder or an address without an extension (MkDocs leaves
    such links alone)."""
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path or _SCHEME.match(target) or path.startswith("/") or path.endswith("/"):
        return None
    return path if "." in posixpath.basename(path) else None


def _is_file(
    resolved: str, docs_dir: Path, listed: Collection[str], unlisted: list[tuple[str, bool]] | None
) -> bool:
    """Whether the docs folder has the file; one the listing does not cover (in a linked
    folder) goes to `unlisted`, to be looked up again by a later build."""
    is_file = (docs_dir / resolved).is_file()
    if unlisted is not None and resolved not in listed:
        unlisted.append((resolved, is_file))
    return is_file


def _refused(target: str, image: bool) -> bool:
    """A link that could run script; an image may be held in the page (data:image/...)."""
    if image and target.lower().startswith("data:image/") and "svg" not in target[:20].lower():
        return False
    return bool(_SCHEME.match(target)) and not is_safe_link(target)


def _balanced(line: str, start: int) -> str:
    """The link target from `start`, its parentheses balanced as Markdown reads them
    ('javascript:alert(1)', which the link pattern cuts at the first ')')."""
    depth = 0
    for end in range(start, len(line)):
        char = line[end]
        if char.isspace() or (char == ")" and depth == 0):
            return line[start:end].rstrip(">")
        depth += {"(": 1, ")": -1}.get(char, 0)
    return line[start:]


def _pages(docs_dir: Path) -> set[str]:
    return {p.relative_to(docs_dir).as_posix() for p in _markdown(docs_dir)}


def _markdown(docs_dir: Path) -> Iterable[Path]:
    return docs_dir.rglob("*.md") if docs_dir.is_dir() else []
