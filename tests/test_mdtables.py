"""The writer's tables, written in Material's scroll boxes at build time."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

from site_builder.markdown import StoryExtension
from site_builder.mdtables import WRAPPED

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
