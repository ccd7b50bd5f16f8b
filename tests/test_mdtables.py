"""The writer's tables, written in Material's scroll boxes at build time, and Material's
stylesheet styling them as it styles the tables its script wraps."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import material
from bs4 import BeautifulSoup

from site_builder.markdown import StoryExtension
from site_builder.mdtables import MAIN_URI, WRAPPED, with_wrapped_tables

THEME = Path(material.__file__).parent / "templates"
TABLE = "| a | b |\n|---|---|\n| 1 | 2 |\n"


def convert(text: str) -> BeautifulSoup:
    ext = StoryExtension(figure_for=lambda chart_id: "", facts=dict)
    html = markdown.markdown(text, extensions=["tables", "admonition", ext])
    return BeautifulSoup(html, "html.parser")


def test_each_table_sits_in_both_boxes_with_the_class_materials_script_skips() -> None:
    noted = TABLE.replace("\n", "\n    ")
    soup = convert(f"Before.\n\n{TABLE}\nBetween.\n\n!!! note\n\n    {noted}")
    tables = soup.select("table")
    assert len(tables) == 2
    for table in tables:
        assert table["class"] == [WRAPPED]
        assert table.parent["class"] == ["md-typeset__table"]
        assert table.parent.parent["class"] == ["md-typeset__scrollwrap"]
        assert [c.name for c in table.find_all(["td", "th"])] == ["th", "th", "td", "td"]
    assert soup.select(".admonition .md-typeset__scrollwrap table")  # nested ones too
    # The text after a table stays after it, outside the boxes.
    texts = [p.get_text() for p in soup.find_all("p", recursive=False)]
    assert texts == ["Before.", "Between."]
    assert not soup.select(".md-typeset__table p")


def test_a_table_with_a_class_is_left_as_it_is() -> None:
    ext = StoryExtension(figure_for=lambda chart_id: "", facts=dict)
    md = markdown.Markdown(extensions=["tables", ext])
    # A table some other extension gave a class: Material's script leaves it, so do we.
    md.treeprocessors.register(_Classify(md), "classify", 16)
    soup = BeautifulSoup(md.convert(TABLE), "html.parser")
    assert soup.select_one("table")["class"] == ["theirs"]
    assert not soup.select(".md-typeset__scrollwrap")


class _Classify(markdown.treeprocessors.Treeprocessor):
    def run(self, root):  # type: ignore[no-untyped-def]
        for table in root.iter("table"):
            table.set("class", "theirs")


def test_materials_table_rules_style_the_wrapped_table_and_nothing_else_changes() -> None:
    [path] = list(THEME.glob("assets/stylesheets/main.*.min.css"))
    assert MAIN_URI.fullmatch(path.relative_to(THEME).as_posix())
    css = path.read_text(encoding="utf-8")
    styled = with_wrapped_tables(css)
    unclassed = css.count("table:not([class])")
    assert unclassed >= 10  # this Material styles its tables by that selector
    assert "table:not([class])" not in styled
    assert styled.count(f"table:is(:not([class]),.{WRAPPED})") == unclassed
    # Nothing else: put the selector back and the file is the theme's, byte for byte.
    assert styled.replace(f"table:is(:not([class]),.{WRAPPED})", "table:not([class])") == css
    assert not re.search(rf"\.{WRAPPED}\b", css)  # the class is ours alone
