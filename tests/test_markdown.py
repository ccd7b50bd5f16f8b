"""Chart blocks and inline facts: the scan that finds mistakes, and the conversion."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
import pytest
from conftest import run_cli
from helpers import edit, prepare, report

from site_builder.markdown import StoryExtension, body_marker, check_page_refs, scan_page

PAGE = """---
title: Front matter counts for line numbers
---
# Title

Value: {{ fact: a-fact }} and `{{ fact: in-code }}`.

/// chart | first-chart
///

```md
/// chart | in-a-fence
{{ fact: in-a-fence }}
```
"""


def test_scan_finds_blocks_and_facts_with_lines() -> None:
    refs, problems = scan_page(PAGE, "content/p.md")
    assert problems == []
    assert refs.charts == [("first-chart", 8)]
    assert refs.facts == [("a-fact", 6, 8)]


def test_unknown_chart_and_fact() -> None:
    refs, _ = scan_page(PAGE, "content/p.md")
    found = check_page_refs(refs, "content/p.md", ["first-chart2", "other"], ["b-fact"])
    assert [str(p) for p in found] == [
        "content/p.md:8:1: unknown chart 'first-chart'\n"
        "  hint: did you mean 'first-chart2'? known: 'first-chart2', 'other'",
        "content/p.md:6:8: unknown fact 'a-fact'\n  hint: did you mean 'b-fact'? known: 'b-fact'",
    ]


def test_block_mistakes() -> None:
    text = "/// chart\n///\n\n/// chart | a\nsome text\n///\n\n/// chart | b\n"
    _, problems = scan_page(text, "p.md")
    assert [p.location() + " " + p.message for p in problems] == [
        "p.md:1:1 chart block without a chart id",
        "p.md:5 chart block 'a' (line 4) has content",
        "p.md:8 chart block 'b' is never closed",
    ]


def test_chart_twice_on_a_page() -> None:
    refs, _ = scan_page("/// chart | a\n///\n\n/// chart | a\n///\n", "p.md")
    found = check_page_refs(refs, "p.md", ["a"], [])
    assert [p.message for p in found] == ["chart 'a' is already shown on this page (line 1)"]


def convert(text: str, facts: dict[str, str]) -> str:
    ext = StoryExtension(
        figure_for=lambda chart_id: f'<figure id="{chart_id}">{body_marker(chart_id)}</figure>',
        facts=lambda: facts,
    )
    return markdown.markdown(text, extensions=[ext])


def test_conversion() -> None:
    html = convert(
        "Share: {{ fact: share }}, literal `{{ fact: share }}`.\n\n/// chart | c1\n///\n",
        {"share": "over 90% <b>"},
    )
    assert '<span class="sb-fact" data-fact="share">over 90% &lt;b&gt;</span>' in html
    assert "<code>{{ fact: share }}</code>" in html
    assert '<figure id="c1"><!--sb-figure-body:c1--></figure>' in html
    assert "<p><figure" not in html


@pytest.mark.slow  # a whole build
def test_a_fact_in_raw_html_fails_the_strict_build(mini: Path) -> None:
    edit(
        mini / "content" / "index.md",
        "[Second page](second.md)",
        "<div>{{ fact: city-count }}</div>",
    )
    result = run_cli(mini, "build")
    assert result.returncode == 1
    assert (
        "content/index.md: {{ fact: city-count }} sits inside raw HTML, where it is not "
        "replaced" in result.stderr
    )


@pytest.mark.slow  # a whole build
def test_check_finds_a_link_to_a_missing_page_at_its_position(mini: Path) -> None:
    edit(mini / "content" / "index.md", "[Second page](second.md)", "See [it](secnd.md#top).")
    text = report(mini)
    assert text == (
        "content/index.md:13:10: links to 'secnd.md#top', which is not a file of the site\n"
        "  hint: did you mean 'second.md'? known: 'second.md', 'index.md'; links are relative "
        "to this page"
    )
    result = run_cli(mini, "check")
    assert result.returncode == 1 and "content/index.md:13:10:" in result.stderr


@pytest.mark.slow  # a whole build
def test_check_finds_a_nav_entry_without_a_page(mini: Path) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - Home: index.md\n  - Lost: lost.md\n")
    result = run_cli(mini, "check")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "mkdocs.yml:14: nav lists 'lost.md', which is not a page in content/\n  hint: did you mean"
    )
    fenced = "```\n[not a link](nowhere.md)\n```\n`[nor this](nowhere.md)`\n"
    config.write_text(config.read_text().replace("  - Lost: lost.md\n", ""))
    edit(mini / "content" / "index.md", "[Second page](second.md)", fenced)
    prepare(mini)  # links in code are text


@pytest.mark.slow  # a whole check
def test_check_refuses_a_nav_entry_that_could_run_script(mini: Path) -> None:
    """A `javascript:` entry in the nav built cleanly and was linked from every page."""
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text()
        + "nav:\n  - Home: index.md\n  - Evil: \"javascript:alert('nav')\"\n"
        + "  - Elsewhere: https://example.org/\n"
    )
    result = run_cli(mini, "check")
    assert result.returncode == 1
    assert result.stderr == (
        "mkdocs.yml:14: nav links to \"javascript:alert('nav')\", which is not an http(s) URL "
        "or a path in the site; a link like it could run script\n"
        "  hint: link to https:// addresses only\n"
    )


CODE_PAGE = """# Facts in code are shown as written

Prose: {{ fact: share }}.

    {{ fact: share }} in an indented code block
    {{ fact: no-such-fact }}

- A list item

        {{ fact: in-list-code }}

```
{{ fact: in-a-fence }}
```
"""


def test_facts_in_code_blocks_are_left_as_written_and_not_checked() -> None:
    refs, problems = scan_page(CODE_PAGE, "p.md")
    assert problems == [] and refs.facts == [("share", 3, 8)]
    assert check_page_refs(refs, "p.md", [], ["share"]) == []  # unknown names in code: no error
    html = convert(CODE_PAGE, {"share": "42%"})
    assert html.count('<span class="sb-fact" data-fact="share">42%</span>') == 1
    assert "<pre><code>{{ fact: share }} in an indented code block\n{{ fact: no-such-fact }}" in (
        html
    )
    assert "<pre><code>{{ fact: in-list-code }}" in html
    assert "{{ fact: in-a-fence }}</code>" in html  # code either way


@pytest.mark.slow  # a whole build
def test_a_fact_in_indented_code_builds_as_code(mini: Path, build: Callable[..., Any]) -> None:
    edit(
        mini / "content" / "index.md",
        "[Second page](second.md)",
        "How to write one:\n\n    {{ fact: city-count }} {{ fact: no-such-fact }}\n\n"
        "[Second page](second.md)",
    )
    result = build(mini)
    assert result.returncode == 0, result.stderr
    html = (mini / "site" / "index.html").read_text()
    assert "<pre><code>{{ fact: city-count }} {{ fact: no-such-fact }}" in html
    ledger = json.loads((mini / "site" / "claims.json").read_text())
    assert [(e["fact"], e["line"]) for e in ledger] == [
        ("city-count", 3),
        ("windhoek-share", 3),
    ]
