"""Editions in other languages: the parts that need no build (editions.py)."""

from __future__ import annotations

from types import SimpleNamespace

from site_builder import editions

ZH = editions.Edition("zh", default=False)
EN = editions.Edition("en", default=True)


def test_prefix_is_empty_for_the_default_edition() -> None:
    assert EN.prefix == ""
    assert ZH.prefix == "zh/"


def test_alternates_leave_out_pages_an_edition_borrows() -> None:
    en_page = SimpleNamespace(url="second/", locale="en")
    zh_page = SimpleNamespace(url="zh/", locale="zh")
    borrowed = SimpleNamespace(url="zh/second/", locale="en")  # no translation yet
    home = SimpleNamespace(alternates={"en": SimpleNamespace(url="", locale="en"), "zh": zh_page})
    second = SimpleNamespace(alternates={"en": en_page, "zh": borrowed})
    assert editions.alternates(home) == {"en": "", "zh": "zh/"}
    assert editions.alternates(second) == {"en": "second/"}
    assert editions.alternates(SimpleNamespace()) == {}


def test_links_name_each_other_edition_in_its_own_language() -> None:
    html = editions.links_html(
        "其他语言：{links}", {"en": "English", "zh": "中文"}, {"en": "../", "zh": "./"}, "zh"
    )
    assert html == (
        '<p class="sb-editions">其他语言：<a href="../" hreflang="en" lang="en">English</a></p>'
    )
    assert editions.links_html("Read in: {links}", {}, {"en": "./"}, "en") == ""


PAGE = (
    '<html lang="zh"><head><link rel="alternate" href="/" hreflang="en">'
    '<link rel="alternate" href="/zh/" hreflang="zh"></head><body>'
    '<a href="/" hreflang="en" class="md-select__link">English</a>'
    '<a href="/zh/" hreflang="zh" class="md-select__link">中文</a>'
    '<article class="md-content__inner md-typeset"><h1>T</h1></article></body></html>'
)


def test_finish_page_moves_alternates_out_of_the_head_and_links_relatively() -> None:
    html = editions.finish_page(PAGE, "<p>L</p>", "zh", ZH, {"en": "../", "zh": "./"})
    assert 'rel="alternate"' not in html  # Material would fetch a sitemap.xml beside each
    assert '<a href="../" hreflang="en" class="md-select__link">' in html
    assert '<a href="./" hreflang="zh" class="md-select__link">' in html
    assert '<article class="md-content__inner md-typeset"><p>L</p><h1>' in html


def test_a_borrowed_page_says_its_language_on_its_article() -> None:
    html = editions.finish_page(PAGE, "", "en", ZH, {})
    assert '<article class="md-content__inner md-typeset" lang="en">' in html


def test_sitemap_lists_every_page_with_its_alternates() -> None:
    pages = {"": {"en": "", "zh": "zh/"}, "zh/": {"en": "", "zh": "zh/"}, "b/": {"en": "b/"}}
    xml = editions.sitemap_xml("https://example.org/story", pages, "2025-12-01")
    assert "<loc>https://example.org/story/</loc>" in xml
    assert "<loc>https://example.org/story/zh/</loc>" in xml
    assert '<xhtml:link rel="alternate" hreflang="zh" href="https://example.org/story/zh/"/>' in xml
    assert xml.count("<url>") == 3
    # Without the site's address there are no absolute URLs: empty, as MkDocs writes it.
    assert "<url>" not in editions.sitemap_xml(None, pages, "2025-12-01")
