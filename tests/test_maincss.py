"""Material's main stylesheet as the site ships it: the writer's wrapped tables styled as
tables without a class, and no rule that makes a class change on <html> restyle the page."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import material
import soupsieve
from bs4 import BeautifulSoup

from site_builder.maincss import MAIN_URI, for_site
from site_builder.mdtables import WRAPPED, WrapTables

THEME = Path(material.__file__).parent / "templates"
# What Material's script changes on <html> as it starts: these classes, and so its class.
ROOT_CHANGES = re.compile(r"\.(?:no-js|js)(?![\w-])|\[class\]")


def theme_css() -> str:
    [path] = list(THEME.glob("assets/stylesheets/main.*.min.css"))
    assert MAIN_URI.fullmatch(path.relative_to(THEME).as_posix())
    return path.read_text(encoding="utf-8")


def selectors(css: str) -> list[str]:
    """Every selector of every rule, the lists split at their top-level commas."""
    found = []
    for prelude in re.findall(r"([^{}]*)\{", css):
        if prelude.lstrip().startswith("@"):
            continue
        depth, part = 0, ""
        for char in prelude:
            depth += char == "("
            depth -= char == ")"
            if char == "," and depth == 0:
                found.append(part.strip())
                part = ""
            else:
                part += char
        found.append(part.strip())
    return found


def restyles_the_page(selector: str) -> bool:
    """Whether a change to <html>'s classes may restyle every element below it in Chromium:
    the selector depends on them, and its last part, below them, names no tag, class, id or
    attribute."""
    if not ROOT_CHANGES.search(selector):
        return False
    parts = re.split(r"(\s*[\s>+~]\s*)(?![^(]*\))", selector.strip())
    if len(parts) < 3:
        return False  # <html> itself
    combinator, last = parts[-2:]
    if combinator.strip() in ("+", "~"):
        return False  # the element after one that matches, not those below it
    named = re.sub(r"::?[\w-]+(\([^)]*\))?", "", last)
    return named in ("", "*")


def test_no_rule_left_that_restyles_the_page_when_htmls_classes_change() -> None:
    css = theme_css()
    assert len([s for s in selectors(css) if restyles_the_page(s)]) >= 20  # Material's
    assert [s for s in selectors(for_site(css)) if restyles_the_page(s)] == []


def test_the_wrapped_table_is_styled_as_a_table_without_a_class() -> None:
    css, shipped = theme_css(), for_site(theme_css())
    unclassed = [s for s in selectors(css) if "table:not([class])" in s]
    assert len(unclassed) >= 10
    for old, new in zip(selectors(css), selectors(shipped), strict=True):
        if old in unclassed:
            assert f".{WRAPPED})" in new or ".md-typeset__table table " in new, new
    assert not re.search(rf"\.{WRAPPED}\b", css)  # the class is ours alone


def test_cells_lose_their_edge_margins_in_every_table_in_materials_table_box() -> None:
    """The writer's Markdown tables (wrapped at build time) and a table written as HTML
    (wrapped by Material's script), as before; never the figures' data tables."""
    shipped = for_site(theme_css())
    edges = [s for s in selectors(shipped) if re.search(r"t[dh]>:first-child$", s)]
    assert len(edges) == 2
    md = markdown.Markdown(extensions=["tables"])
    md.treeprocessors.register(WrapTables(md), "sb-tables", 15)
    wrapped = md.convert("| a |\n|---|\n| <p>x</p> |\n")
    raw = '<div class="md-typeset__table"><table><tr><td><p>y</p></td></tr></table></div>'
    figure = '<figure><table class="sb-data"><tr><td><p>z</p></td></tr></table></figure>'
    page = BeautifulSoup(f'<div class="md-typeset">{wrapped}{raw}{figure}</div>', "html.parser")
    firsts = {el.get_text() for s in edges for el in soupsieve.select(s, page)}
    assert firsts == {"x", "y"}


def test_tab_labels_without_javascript_match_as_before() -> None:
    css, shipped = theme_css(), for_site(theme_css())
    tabs = '=== "A"\n\n    one\n\n=== "B"\n\n    two\n\n=== "C"\n\n    three\n'
    body = markdown.markdown(
        tabs,
        extensions=["pymdownx.tabbed"],
        extension_configs={"pymdownx.tabbed": {"alternate_style": True}},
    )
    page = BeautifulSoup(f'<html class="no-js"><div class="md-typeset">{body}</div>', "html.parser")
    changed = [
        (old, new)
        for old, new in zip(selectors(css), selectors(shipped), strict=True)
        if old != new
    ]
    tabbed = [(old, new) for old, new in changed if "tabbed-labels" in old]
    assert len(tabbed) >= 20
    matched = 0
    for old, new in tabbed:
        old_els = soupsieve.select(old, page)
        assert soupsieve.select(new, page) == old_els, (old, new)
        matched += len(old_els)
    assert matched >= 1  # the checked tab's label, in the rule that shows it
    # Nothing else changed: the other rewritten rules are the tables'.
    assert all("table" in old for old, new in changed if "tabbed-labels" not in old)
