"""A chart sharing the id of a heading is found by `check`, as the build finds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from helpers import edit

from site_builder.markdown import PageRefs
from site_builder.pageids import clashes, element_ids, slugify_of

SLUG = slugify_of({})

PAGE = """---
title: "# Not a heading"
---
# Rare earths

## China *refines* [most](https://example.org) of them ##

Mining
------

```python
# a comment, not a heading
```

    # indented code, not a heading

## Outlook {#iea-outlook}

A paragraph with an id of its own.
{: #note .aside }

- a list item
---
"""


def test_ids_of_headings_and_attr_lists_with_their_lines() -> None:
    assert element_ids(PAGE, SLUG) == [
        ("rare-earths", 4),
        ("china-refines-most-of-them", 6),
        ("mining", 8),
        ("iea-outlook", 17),
        ("note", 20),
    ]


def test_what_markdown_makes_no_heading_of_gives_no_id() -> None:
    page = (
        "<!--\n## Mining\n-->\n\n<div>\n\n## Refining\n\n</div>\n\npara\n\n  ## Magnets\n\n"
        '<div markdown="1">\n\n## Outlook\n\n</div>\n'
    )
    assert element_ids(page, SLUG) == [("outlook", 17)]


def test_without_attr_list_an_id_in_braces_is_heading_text() -> None:
    assert element_ids("## Outlook {#iea}\n", SLUG, attr_list=False) == [("outlook-iea", 1)]


def test_the_site_s_own_slug_settings_are_used() -> None:
    underscored = slugify_of({"toc": {"separator": "_"}})
    assert element_ids("## Rare earths\n", underscored) == [("rare_earths", 1)]
    shouting = slugify_of({"toc": {"slugify": lambda text, sep: text.upper().replace(" ", sep)}})
    assert element_ids("## Rare earths\n", shouting) == [("RARE-EARTHS", 1)]


def test_a_chart_with_a_heading_s_id_is_named_at_its_block() -> None:
    refs = PageRefs(charts=[("mining", 3), ("iea-outlook", 9), ("other", 12)], path="p.md")
    problems = clashes(refs, PAGE, SLUG)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (3, "chart 'mining' has the id of the heading on line 8"),
        (9, "chart 'iea-outlook' has the id of the heading on line 17"),
    ]


@pytest.mark.slow  # check and a whole build
def test_check_finds_a_heading_with_a_chart_s_id_as_the_build_does(mini: Path) -> None:
    """`check` passed and the strict build stopped: the id clash showed only in the HTML."""
    assert run_cli(mini, "check").returncode == 0
    edit(mini / "content" / "second.md", "## Data", "## Region scores")
    result = run_cli(mini, "check")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "content/second.md:3: chart 'region-scores' has the id of the heading on line 9"
    )
    assert "{#region-scores-text}" in result.stderr
    built = run_cli(mini, "build")
    assert built.returncode == 1 and "content/second.md:3: chart 'region-scores'" in built.stderr
    edit(mini / "content" / "second.md", "## Region scores", "## Region scores {#scores-text}")
    assert run_cli(mini, "check").returncode == 0
