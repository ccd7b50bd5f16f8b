"""The ids a page's Markdown gives its headings (and elements with an attr_list id), so that
`check` finds a chart sharing one before a build does: a link to the id would find only the
first of them, and a strict build stops on it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import Problem
from .markdown import PageRefs, code_lines

# An ATX heading: its hashes, its text (closing hashes aside).
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
# A setext heading's underline, below its text.
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
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


def element_ids(text: str, slugify: Slugify) -> list[tuple[str, int]]:
    """Each heading's id (its own `{#id}`, else its text slugified) and every other id an
    attr_list gives, with its line."""
    lines = text.splitlines()
    skipped = code_lines(lines)
    found: list[tuple[str, int]] = []
    for index, line in enumerate(lines):
        number = index + 1
        if number in skipped:
            continue
        own = _ATTRS.search(line)
        ids = _ID.findall(own.group(1)) if own else []
        title = line[: own.start()] if own else line
        heading = _ATX.match(title)
        underline = _SETEXT.match(line)
        if heading is None and underline and index > 0 and number - 1 not in skipped:
            above = lines[index - 1]
            if not _NOT_TEXT.match(above) and not _SETEXT.match(above):
                own = _ATTRS.search(above)
                ids = _ID.findall(own.group(1)) if own else []
                title = above[: own.start()] if own else above
                found.append(_heading_id(title.strip(), ids, slugify, number - 1))
            continue
        if heading is not None:
            found.append(_heading_id(heading.group(1) or "", ids, slugify, number))
        else:
            found += [(i, number) for i in ids]
    return found


def _heading_id(title: str, ids: list[str], slugify: Slugify, number: int) -> tuple[str, int]:
    if ids:
        return ids[-1], number
    return slugify(_MARKS.sub("", _LINK.sub(r"\1", title))), number


def clashes(refs: PageRefs, text: str, slugify: Slugify) -> list[Problem]:
    """A chart on the page with the id of one of its headings (or other elements)."""
    ids = {element: line for element, line in reversed(element_ids(text, slugify))}
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
