"""The writer's Markdown tables, written in their scroll boxes at build time.

Material's script puts every table without a class into two boxes as the page loads
(`md-typeset__scrollwrap`, which scrolls sideways on a phone, and `md-typeset__table`): it
takes the table out of the article and puts it back wrapped, and the browser styles and lays
out the article again. On the claims page that was the longest task of ours left after
Material's start-up (412 elements styled again; 58 ms of the main thread's CPU under load,
`bench/main_thread.py`). So the page is written with the boxes already round the table, and
the table gets a class, which the script skips; Material's stylesheet styles a table of that
class as it styles one without a class, so readers see the same table, with or without
JavaScript.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

WRAPPED = "sb-table"


class WrapTables(Treeprocessor):
    """Each table without a class, in Material's two boxes, with the class it skips."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(parent):
                if child.tag == "table" and "class" not in child.attrib:
                    parent[index] = _wrapped(child)


def _wrapped(table: etree.Element) -> etree.Element:
    scroll = etree.Element("div", {"class": "md-typeset__scrollwrap"})
    scroll.tail, table.tail = table.tail, None
    box = etree.SubElement(scroll, "div", {"class": "md-typeset__table"})
    box.append(table)
    table.set("class", WRAPPED)
    return scroll
