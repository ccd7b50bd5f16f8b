"""Line breaks in Chinese and Japanese text (cjk.py): joined, as they are not spaces."""

from __future__ import annotations

import pytest

from site_builder.cjk import join_lines


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>中国的\n  精炼</p>", "<p>中国的精炼</p>"),
        # Facts and emphasis at either side of the break
        (
            '<p>的\n  <strong><span class="sb-fact">超过90%</span></strong>在</p>',
            '<p>的<strong><span class="sb-fact">超过90%</span></strong>在</p>',
        ),
        ("<p>称<em>援引</em>\n文章</p>", "<p>称<em>援引</em>文章</p>"),
        ("<p>称\n“援引”\n文章</p>", "<p>称“援引”文章</p>"),
        ("<p>日本語の\nかな</p>", "<p>日本語のかな</p>"),
        # Between words written with spaces, the break stays a space.
        ("<p>中文\nEnglish words\nhere 中文</p>", "<p>中文\nEnglish words\nhere 中文</p>"),
        ("<p>the writers’\n“best” picks</p>", "<p>the writers’\n“best” picks</p>"),
        ("<p>한국어\n문장</p>", "<p>한국어\n문장</p>"),
        # Separate elements and preformatted text keep their breaks.
        ("<li>一</li>\n<li>二</li>", "<li>一</li>\n<li>二</li>"),
        (
            "<pre><code>中\n文</code></pre><p>中\n文</p>",
            "<pre><code>中\n文</code></pre><p>中文</p>",
        ),
        ("<p>English only\ntext</p>", "<p>English only\ntext</p>"),
    ],
)
def test_breaks_between_cjk_characters_are_joined(html: str, expected: str) -> None:
    assert join_lines(html) == expected
