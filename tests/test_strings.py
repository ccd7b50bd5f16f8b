"""The tool's own words: one catalogue per language, each with every key."""

from __future__ import annotations

import re

import pytest

from site_builder import strings
from site_builder.catalog import Dataset, Field, Source
from site_builder.datasets import dataset_html
from site_builder.figure import caption_html, foot_html, table_html


@pytest.mark.parametrize("locale", sorted(strings.CATALOGUES))
def test_each_catalogue_has_every_key_and_the_same_fields(locale: str) -> None:
    words = strings.CATALOGUES[locale]
    assert set(words) == set(strings.EN)
    for key, text in strings.EN.items():
        assert re.findall(r"\{(\w+)\}", words[key]) == re.findall(r"\{(\w+)\}", text), key


def test_words_for_finds_a_language_by_its_first_part() -> None:
    assert strings.words_for("zh") is strings.ZH
    assert strings.words_for("zh-Hans") is strings.ZH
    assert strings.words_for("zh_CN") is strings.ZH
    assert strings.words_for("fr") is strings.EN
    assert strings.words_for(None) is strings.EN


def _english_words() -> list[str]:
    """The fixed English parts of every string (what is left once the fields are out)."""
    parts = []
    for text in strings.EN.values():
        parts += [p.strip(" :;()·") for p in re.split(r"\{\w+\}", text)]
    return [p for p in parts if len(p) > 3]


def test_a_chinese_caption_and_table_have_no_english_tool_words() -> None:
    words = strings.ZH
    sources = [Source("A", "https://a.example"), Source("B", "https://b.example")]
    html = caption_html("c", "标题", "") + foot_html(["注意事项"], sources, words)
    html += table_html([{"x": 1}] * 600, [("x", "X")], "数据", words=words)
    assert "注：注意事项" in html
    assert "来源：" in html and "；" in html
    assert "仅显示前 500 行，共 600 行" in html
    for english in _english_words():
        assert english not in html, english


def test_english_is_the_default() -> None:
    html = foot_html(["n"], [Source("A", "https://a.example")])
    assert '<p class="sb-figure__note">Note: n</p>' in html
    assert "Source: <a" in html


def test_the_data_page_in_chinese() -> None:
    ds = Dataset(
        name="d",
        path="data/d.csv",
        title="数据集",
        description="说明",
        sources=[Source("A", "https://a.example")],
        licenses=[],
        fields=[Field(name="x", type="number", title="X")],
        primary_key=[],
        frame=None,
        digest="",
        rows=3,
    )
    html = dataset_html(ds, "d.csv", strings.ZH)
    assert "下载：" in html and "3 行" in html and "许可协议：未注明" in html
    assert '<th scope="col">列名</th>' in html
    for english in _english_words():
        assert english not in html, english
