"""Markdown: `/// chart | <id>` and `/// datasets` blocks, and `{{ fact: <name> }}` in prose.

`scan_page` finds every reference with its line before anything is built, so that all
mistakes in all pages are reported at once. The extension then does the conversion.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from .errors import Problem, nearest
from .facts import FACT_REF
from .mdtables import WrapTables

_BLOCK_OPEN = re.compile(r"^ {0,3}(/{3,})\s*(chart|datasets)\b\s*(?:\|\s*(.*?))?\s*$")
_BLOCK_CLOSE = re.compile(r"^ {0,3}(/{3,})\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


@dataclass
class PageRefs:
    """What one page refers to, by line."""

    charts: list[tuple[str, int]] = field(default_factory=list)
    facts: list[tuple[str, int, int]] = field(default_factory=list)
    datasets: list[tuple[str, int]] = field(default_factory=list)  # "" means all of them
    path: str = ""  # the page as the writer sees it, e.g. content/index.md


def scan_page(text: str, shown: str) -> tuple[PageRefs, list[Problem]]:
    """Chart blocks and fact references of one page, and mistakes in their syntax."""
    refs, problems = PageRefs(path=shown), []
    lines = text.splitlines()
    start = _after_front_matter(lines)
    fence: str | None = None
    open_block: tuple[str, int, str, str] | None = None  # (slashes, line, kind, argument)
    code = {n + start for n in _indented_code(lines[start:])}
    for number, line in enumerate(lines[start:], start=start + 1):
        if number in code:
            continue  # shown as written, like a fenced block
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        match = _FENCE.match(line)
        if match:
            fence = match.group(1)
            continue
        if open_block:
            closing = _BLOCK_CLOSE.match(line)
            if closing and closing.group(1) == open_block[0]:
                open_block = None
            elif line.strip():
                slashes, start_line, kind, arg = open_block
                problems.append(
                    Problem(
                        shown,
                        f"{kind} block '{arg}' (line {start_line}) has content",
                        f"close it with a line '{slashes}' right after the opening line; write "
                        "text as a paragraph below the block",
                        number,
                    )
                )
                open_block = None
            continue
        match = _BLOCK_OPEN.match(line)
        if match and match.group(2) == "datasets":
            name = (match.group(3) or "").strip()
            refs.datasets.append((name, number))
            open_block = (match.group(1), number, "datasets", name)
            continue
        if match:
            chart_id = (match.group(3) or "").strip()
            if not chart_id:
                problems.append(
                    Problem(
                        shown,
                        "chart block without a chart id",
                        "write '/// chart | <chart-id>'",
                        number,
                        1,
                    )
                )
            else:
                refs.charts.append((chart_id, number))
            open_block = (match.group(1), number, "chart", chart_id)
            continue
        for m in FACT_REF.finditer(_CODE_SPAN.sub(lambda c: " " * len(c.group(0)), line)):
            refs.facts.append((m.group(1), number, m.start() + 1))
    if open_block:
        slashes, start_line, kind, arg = open_block
        problems.append(
            Problem(
                shown,
                f"{kind} block '{arg}' is never closed",
                f"add a line '{slashes}' after it",
                start_line,
            )
        )
    return refs, problems


def check_page_refs(
    refs: PageRefs,
    shown: str,
    chart_ids: list[str] | None,
    fact_ids: list[str] | None,
    dataset_names: list[str] | None = None,
) -> list[Problem]:
    """Unknown charts, facts and datasets (None: not known, skip); charts twice on a page."""
    problems = []
    for name, line in refs.datasets:
        if name and dataset_names is not None and name not in dataset_names:
            problems.append(
                Problem(shown, f"unknown dataset '{name}'", nearest(name, dataset_names), line, 1)
            )
    seen: dict[str, int] = {}
    for chart_id, line in refs.charts:
        if chart_ids is not None and chart_id not in chart_ids:
            problems.append(
                Problem(shown, f"unknown chart '{chart_id}'", nearest(chart_id, chart_ids), line, 1)
            )
        elif chart_id in seen:
            problems.append(
                Problem(
                    shown,
                    f"chart '{chart_id}' is already shown on this page (line {seen[chart_id]})",
                    "show each chart once per page; link to it with [text](#" + chart_id + ")",
                    line,
                    1,
                )
            )
        seen.setdefault(chart_id, line)
    for name, line, column in refs.facts:
        if not name:
            problems.append(
                Problem(
                    shown, "fact reference without a name", "write {{ fact: <name> }}", line, column
                )
            )
        elif fact_ids is not None and name not in fact_ids:
            problems.append(
                Problem(shown, f"unknown fact '{name}'", nearest(name, fact_ids), line, column)
            )
    return problems


_LIST_ITEM = re.compile(r"^ {0,3}([-*+]|\d+[.)])(\s|$)")
_HEADING = re.compile(r"^ {0,3}#")


def _indented_code(lines: list[str]) -> set[int]:
    """Line numbers of indented code blocks, as Python-Markdown finds them: indented by four
    spaces (eight in a list) after a blank line or a heading; a fenced block is not one."""
    code: set[int] = set()
    in_list = in_code = False
    fence: str | None = None
    previous = ""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        if fence:
            fence = None if stripped.startswith(fence) else fence
            previous = line
            continue
        match = _FENCE.match(line)
        if match and not in_code:
            fence = match.group(1)
            previous = line
            continue
        needed = 8 if in_list else 4
        if in_code and (not stripped or indent >= needed):
            code.add(number)
        elif stripped and indent >= needed and (not previous.strip() or _HEADING.match(previous)):
            in_code = True
            code.add(number)
        else:
            in_code = False
            if _LIST_ITEM.match(line):
                in_list = True
            elif stripped and indent < 4 and not previous.strip():
                in_list = False  # a paragraph after a blank line ends the list
        previous = line
    return code


def code_lines(lines: list[str]) -> set[int]:
    """Line numbers (from 1) that are no Markdown text: front matter, fenced and indented
    code."""
    start = _after_front_matter(lines)
    skipped = set(range(1, start + 1)) | {n + start for n in _indented_code(lines[start:])}
    fence: str | None = None
    for number, line in enumerate(lines[start:], start=start + 1):
        if fence:
            skipped.add(number)
            fence = None if line.strip().startswith(fence) else fence
        elif match := _FENCE.match(line):
            skipped.add(number)
            fence = match.group(1)
    return skipped


def _after_front_matter(lines: list[str]) -> int:
    """Index of the first line after a YAML front matter block, if any."""
    if lines and lines[0].strip() == "---":
        for i, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                return i + 1
    return 0


def body_marker(chart_id: str) -> str:
    """Stands in for the chart's SVG and table until the page HTML is final."""
    return f"<!--sb-figure-body:{chart_id}-->"


def datasets_marker(name: str) -> str:
    """Stands in for the description of one dataset (or all, for "") until the page is final."""
    return f"<!--sb-datasets:{name}-->"


class ChartBlock(Block):
    """`/// chart | <id>` becomes the figure's caption and a marker for its body."""

    NAME = "chart"
    ARGUMENT = True
    OPTIONS: ClassVar[dict[str, tuple[Any, Callable[[Any], Any]]]] = {}

    def on_create(self, parent: etree.Element) -> etree.Element:
        figure_for: Callable[[str], str] = self.config["figure_for"]
        holder = etree.SubElement(parent, "p")
        holder.text = self.md.htmlStash.store(figure_for(self.argument.strip()))
        return holder


class DatasetsBlock(Block):
    """`/// datasets` (all of them) or `/// datasets | <name>`: what each dataset is."""

    NAME = "datasets"
    ARGUMENT = None
    OPTIONS: ClassVar[dict[str, tuple[Any, Callable[[Any], Any]]]] = {}

    def on_create(self, parent: etree.Element) -> etree.Element:
        holder = etree.SubElement(parent, "div", {"class": "sb-datasets"})
        holder.text = self.md.htmlStash.store(datasets_marker((self.argument or "").strip()))
        return holder


class FactPattern(InlineProcessor):
    def __init__(self, pattern: str, extension: StoryExtension):
        super().__init__(pattern)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int, int]:
        text = self.extension.fact_text(m.group(1))
        if text is None:
            return None, m.start(0), m.end(0)
        el = etree.Element("span", {"class": "sb-fact", "data-fact": m.group(1)})
        el.text = AtomicString(text)  # no further Markdown or raw HTML inside a value
        return el, m.start(0), m.end(0)


class StoryExtension(BlocksExtension):
    """The Markdown extension: chart blocks and inline facts.

    `figure_for(chart_id)` returns the figure HTML for a block; `facts()` the fact texts.
    """

    def __init__(
        self,
        figure_for: Callable[[str], str],
        facts: Callable[[], dict[str, str]],
        **kwargs: Any,
    ):
        self.figure_for = figure_for
        self.facts = facts
        self.unknown: list[str] = []
        super().__init__(**kwargs)

    def fact_text(self, name: str) -> str | None:
        text = self.facts().get(name)
        if text is None:
            self.unknown.append(name)
        return text

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:
        block_mgr.register(ChartBlock, {"figure_for": self.figure_for})
        block_mgr.register(DatasetsBlock, {})
        # Above backticks (190) would replace facts inside code; just below it keeps them literal.
        md.inlinePatterns.register(FactPattern(FACT_REF.pattern, self), "sb-fact", 185)
        # After inline Markdown (20), before the output is indented (10).
        md.treeprocessors.register(WrapTables(md), "sb-tables", 15)
