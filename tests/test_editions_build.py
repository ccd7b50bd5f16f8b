"""End to end: a project in two editions (English, Chinese) built with mkdocs-static-i18n."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PROJECTS, copy_project, run_cli, tree_digest

from site_builder import strings

pytestmark = [pytest.mark.slow, pytest.mark.build]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(PROJECTS / "editions", tmp_path_factory.mktemp("ed") / "story")
    result = run_cli(project, "build", env={"SITE_URL": "https://example.org/story/"})
    assert result.returncode == 0, result.stderr
    return project


def page(project: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / url).read_text(encoding="utf-8"), "html.parser")


def test_both_editions_are_built_with_their_language(built: Path) -> None:
    assert page(built, "index.html").html["lang"] == "en"
    zh = page(built, "zh/index.html")
    assert zh.html["lang"] == "zh"
    assert zh.select_one("h1").get_text() == "小故事"
    # Material's own words come in Chinese too (mkdocs-static-i18n sets the theme's language).
    assert zh.select_one(".md-search__input")["placeholder"] == "搜索"


def test_a_page_links_to_itself_in_the_other_edition(built: Path) -> None:
    links = page(built, "zh/index.html").select(".sb-editions a")
    assert [(a["href"], a["hreflang"], a.get_text()) for a in links] == [("../", "en", "English")]
    selector = page(built, "index.html").select(".md-select__link")
    assert [(a["href"], a["hreflang"]) for a in selector] == [("./", "en"), ("zh/", "zh")]
    # The second page has no translation: the Chinese edition borrows it, marked as English.
    borrowed = page(built, "zh/second/index.html")
    assert borrowed.select_one("article")["lang"] == "en"
    assert not page(built, "second/index.html").select(".sb-editions")


def test_sitemap_lists_both_editions_with_hreflang(built: Path) -> None:
    xml = (built / "site" / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", xml)
    assert "https://example.org/story/" in locs and "https://example.org/story/zh/" in locs
    assert 'hreflang="zh" href="https://example.org/story/zh/"' in xml
    for name in ("index.html", "zh/index.html"):  # Material would fetch sitemap.xml beside them
        assert not page(built, name).select('head link[rel="alternate"][hreflang]')


def _english_tool_words() -> list[str]:
    parts = []
    for text in strings.EN.values():
        parts += [p.strip(" :;()·") for p in re.split(r"\{\w+\}", text)]
    return [p for p in parts if len(p) > 3]


def test_a_chinese_page_has_no_untranslated_tool_string(built: Path) -> None:
    zh = page(built, "zh/index.html")
    ours = " ".join(
        el.get_text(" ") + " " + " ".join(str(v) for v in el.attrs.values())
        for el in zh.select(
            ".sb-figure__foot, .sb-figure__data summary, .sb-figure__downloads,"
            " .sb-figure__embed summary, .sb-figure__embed-note, .sb-dataset,"
            " .sb-editions, [aria-label]"
        )
    )
    assert "下载：" in ours and "以表格显示数据" in ours
    for english in _english_tool_words():
        assert english not in ours, english
    feed = (built / "site" / "zh" / "feed.xml").read_text(encoding="utf-8")
    assert '<link rel="self" href="https://example.org/story/zh/feed.xml"/>' in feed
    embed = page(built, "zh/embed/city-population/index.html")
    assert embed.html["lang"] == "zh"
    assert "出自" in embed.select_one(".sb-embed__back").get_text()


def test_one_language_project_is_unchanged_by_editions(tmp_path: Path) -> None:
    """The same pages without the i18n plugin build exactly as a project without editions."""
    plain = copy_project(PROJECTS / "basic", tmp_path / "plain")
    result = run_cli(plain, "build")
    assert result.returncode == 0, result.stderr
    digest = tree_digest(plain / "site")
    assert not any("editions" in name for name in digest)  # no editions script either
    again = run_cli(plain, "build")
    assert again.returncode == 0
    assert tree_digest(plain / "site") == digest


def test_a_broken_translation_fails_the_strict_build(tmp_path: Path) -> None:
    project = copy_project(PROJECTS / "editions", tmp_path / "story")
    (project / "content" / "index.zh.md").write_text(
        "# 小故事\n\n/// chart | no-such-chart\n///\n", encoding="utf-8"
    )
    result: subprocess.CompletedProcess[str] = run_cli(project, "build")
    assert result.returncode != 0
    assert "content/index.zh.md:3:1: unknown chart 'no-such-chart'" in result.stderr


def _svg_texts(soup: BeautifulSoup, chart_id: str) -> list[str]:
    svg = soup.select_one(f"figure#{chart_id} svg.sb-static--wide")
    return [t.get_text() for t in svg.select("text")]


def test_a_chinese_page_s_charts_speak_chinese(built: Path) -> None:
    zh = page(built, "zh/index.html")
    assert zh.select_one("figure#city-population .sb-figure__title").get_text() == (
        "温得和克是最大的<b>城市</b>"
    )
    texts = _svg_texts(zh, "city-population")
    # The axis titles are the columns' labels, title and unit, as the table's headings.
    assert {"温得和克", "带逗号的镇", "人口 (人)", "城市"} <= set(texts)
    assert not {"Windhoek", "population", "city"} & set(texts)
    assert zh.select_one("figure#city-population svg title").get_text().startswith("温得和克")
    assert zh.select_one("figure#city-population svg desc").get_text() == "各城市人口的条形图。"
    heads = [th.get_text() for th in zh.select("figure#city-population thead th")]
    assert heads == ["城市", "人口 (人)"]
    # The English page draws the same chart in English, from the same chart function.
    en = _svg_texts(page(built, "index.html"), "city-population")
    assert "Windhoek" in en and "温得和克" not in en


def test_dates_follow_the_locale_in_the_svg_and_the_live_view(built: Path) -> None:
    zh = page(built, "zh/index.html")
    texts = _svg_texts(zh, "founding")
    assert "2000年1月" in texts and not any("Jan" in t for t in texts)
    assert "Jan 2000" in _svg_texts(page(built, "index.html"), "founding")
    live = zh.select_one("figure#founding .sb-figure__chart")["data-sb-spec"]
    spec = json.loads((built / "site" / "zh" / live).resolve().read_text(encoding="utf-8"))
    assert spec["config"]["locale"]["time"]["shortMonths"][0] == "1月"
    # The data table writes the dates as the chart does, in the edition's month names, and
    # titles the column the chart function made from the translations.
    table = zh.select_one("figure#founding table")
    assert [th.get_text() for th in table.select("thead th")] == [
        "城市",
        "建立时间",
        "距2025年的年数",
    ]
    cells = [td.get_text() for td in table.select("tbody td")]
    assert "18 十月 1890" in cells and not any("October" in c for c in cells)
    english = page(built, "index.html").select_one("figure#founding table")
    assert "18 October 1890" in [td.get_text() for td in english.select("tbody td")]


def test_a_chinese_line_break_draws_no_space(built: Path) -> None:
    text = page(built, "zh/index.html").select_one("article").get_text()
    assert "换行的中文句子不会多出空格。" in text


def test_a_borrowed_page_keeps_the_default_language_inside(built: Path) -> None:
    # The Chinese edition shows the second page in English: its facts and its figures' words
    # are the English ones, though the edition formats the same fact in Chinese.
    borrowed = page(built, "zh/second/index.html").select_one("article")
    assert borrowed["lang"] == "en"
    assert borrowed.select_one(".sb-fact").get_text() == "431,000 people"
    words = {el.get_text() for el in borrowed.select("figure summary")}
    assert strings.EN["show_table"] in words and strings.ZH["show_table"] not in words


def test_facts_take_the_edition_s_format(built: Path) -> None:
    facts = {
        el["data-fact"]: el.get_text() for el in page(built, "zh/index.html").select(".sb-fact")
    }
    assert facts == {"city-count": "3", "windhoek-share": "12.5%"}


def test_a_missing_translation_fails_the_strict_build_at_its_place(tmp_path: Path) -> None:
    project = copy_project(PROJECTS / "editions", tmp_path / "story")
    path = project / "data" / "translations" / "zh.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  Windhoek: 温得和克\n", ""), encoding="utf-8"
    )
    result = run_cli(project, "build")
    assert result.returncode != 0
    line = path.read_text(encoding="utf-8").splitlines().index("text:") + 1
    assert (
        f"data/translations/zh.yaml:{line}: chart 'city-population' draws 'Windhoek', "
        "which has no translation"
    ) in result.stderr
    assert not (project / "site").exists()


def test_a_table_column_without_a_translation_fails_the_strict_build(tmp_path: Path) -> None:
    project = copy_project(PROJECTS / "editions", tmp_path / "story")
    path = project / "data" / "translations" / "zh.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  Years to 2025: 距2025年的年数\n", ""), encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode != 0
    line = text.splitlines().index("text:") + 1
    assert (
        f"data/translations/zh.yaml:{line}: chart 'founding' has a data-table column "
        "'Years to 2025', which has no translation"
    ) in result.stderr
