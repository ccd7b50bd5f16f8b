"""The ids a page's Markdown gives its headings (and elements with an attr_list id), so that
`check` finds a chart sharing one before a build does: a link to the id would find only the
first of them, and a strict build stops on it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import Problem
from .markdown import PageRefs, code_lines

# An ATX heading: its hashes, its text (closing hashes aside). Python-Markdown reads one
# only from the line's start (indented, it is a paragraph's text).
_ATX = re.compile(r"^#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
# A setext heading's underline, below its text.
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
# Raw HTML, whose lines Markdown leaves as they are: a comment, or a block-level element
# (unless md_in_html reads its inside: markdown="1").
_COMMENT = re.compile(r"^<!--")
_HTML_BLOCK = re.compile(
    r"^<(address|article|aside|blockquote|details|div|dl|fieldset|figure|footer|form|header|"
    r"main|nav|ol|p|pre|section|table|ul)\b([^>]*)>",
    re.IGNORECASE,
)
# An attr_list block at the end of a line: `{#id}`, `{: #id .class}`.
_ATTRS = re.compile(r"[ \t]*\{:?([^{}]*)\}[ \t]*$")
_ID = re.compile(r"(?:^|\s)#([^\s#.}]+)")
# Inline Markdown a heading's id is made without: links keep their text, marks go.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`~]")
# Not a paragraph line a setext underline would make a heading of.
_NOT_TEXT = re.compile(r"^ {0,3}(?:[-*+>|#<]|\d+[.)]\s|$)")

# A heading's text -> its id.
Slugify = Callable[[str], str]


def slugify_of(mdx_configs: Any) -> Slugify:
    """How the site's `toc` extension makes a heading's id (its `slugify` and `separator`)."""
    from markdown.extensions.toc import slugify

    toc = (mdx_configs or {}).get("toc") or {}
    toc = toc if isinstance(toc, dict) else {}
    own = toc.get("slugify")
    chosen: Callable[[str, str], Any] = own if callable(own) else slugify
    separator = str(toc.get("separator", "-"))
    return lambda text: str(chosen(text, separator))


def element_ids(text: str, slugify: Slugify, attr_list: bool = True) -> list[tuple[str, int]]:
    """Each heading's id (its own `{#id}`, else its text slugified) and every other id an
    attr_list gives, with its line. `attr_list`: whether the site reads `{#id}` (without
    the extension it is text of the heading)."""
    lines = text.splitlines()
    skipped = code_lines(lines) | _html_lines(lines)
    found: list[tuple[str, int]] = []
    attrs = _ATTRS if attr_list else _NOTHING
    for index, line in enumerate(lines):
        number = index + 1
        if number in skipped:
            continue
        own = attrs.search(line)
        ids = _ID.findall(own.group(1)) if own else []
        title = line[: own.start()] if own else line
        heading = _ATX.match(title)
        underline = _SETEXT.match(line)
        if heading is None and underline and index > 0 and number - 1 not in skipped:
            above = lines[index - 1]
            if not _NOT_TEXT.match(above) and not _SETEXT.match(above):
                own = attrs.search(above)
                ids = _ID.findall(own.group(1)) if own else []
                title = above[: own.start()] if own else above
                found.append(_heading_id(title.strip(), ids, slugify, number - 1))
            continue
        if heading is not None:
            found.append(_heading_id(heading.group(1) or "", ids, slugify, number))
        else:
            found += [(i, number) for i in ids]
    return found


_NOTHING = re.compile(r"(?!)")


def _html_lines(lines: list[str]) -> set[int]:
    """Line numbers (from 1) inside an HTML comment or a raw HTML block."""
    skipped: set[int] = set()
    closing: str | None = None
    for number, line in enumerate(lines, 1):
        rest = line.lower()
        if closing is None:
            block = _HTML_BLOCK.match(line)
            if _COMMENT.match(line):
                closing, rest = "-->", rest[4:]
            elif block and "markdown" not in block.group(2):
                closing, rest = f"</{block.group(1).lower()}>", rest[block.end() :]
            else:
                continue
        skipped.add(number)
        if closing in rest:
            closing = None
    return skipped


def _heading_id(title: str, ids: list[str], slugify: Slugify, number: int) -> tuple[str, int]:
    if ids:
        return ids[-1], number
    return slugify(_MARKS.sub("", _LINK.sub(r"\1", title))), number


def clashes(refs: PageRefs, text: str, slugify: Slugify, attr_list: bool = True) -> list[Problem]:
    """A chart on the page with the id of one of its headings (or other elements)."""
    ids = {element: line for element, line in reversed(element_ids(text, slugify, attr_list))}
    return [
        Problem(
            refs.path,
            f"chart '{chart_id}' has the id of the heading on line {ids[chart_id]}: a link to "
            f"#{chart_id} finds only the first of them",
            f"give the heading an id of its own, e.g. '## Heading {{#{chart_id}-text}}' "
            "(attr_list), or rename the chart",
            line,
        )
        for chart_id, line in refs.charts
        if chart_id in ids
    ]
