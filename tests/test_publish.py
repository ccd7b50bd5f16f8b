"""Publishing: the deploy workflow, sub-path builds whose links all resolve, social cards,
embed pages, feed, robots and sitemap."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BIN, ROOT, copy_story, run_cli

from site_builder import publish
from site_builder.linkcheck import check_site
from site_builder.textfit import text_width

SITE_URL = "https://example.org/story/"


def test_workflow_is_valid() -> None:
    result = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(ROOT / ".github" / "workflows" / "deploy.yml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    for needed in (
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
        "cancel-in-progress: false",
        "make test",
        "make site",
        "pages: write",
        "cache: pip",
    ):
        assert needed in text


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, render_cache: Path) -> Path:
    """The sample story built for a sub-path address, as the deploy workflow builds it."""
    project = copy_story(tmp_path_factory.mktemp("published") / "story", render_cache)
    result = run_cli(project, "build", env={"SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stderr
    (project / "build.log").write_text(result.stderr)
    return project / "site"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "embed" not in p.parts)


def test_every_link_resolves_under_a_sub_path(published: Path) -> None:
    assert check_site(published, "/story/") == []
    result = run_cli(published.parent, "linkcheck", "site", "--base-path", "/story/")
    assert result.returncode == 0, result.stderr


def test_link_check_finds_broken_links(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="a/#gone">x</a>'
        '<a href="missing.html">x</a><img src="/other/x.png"><a href="https://e.org/x">ext</a>'
    )
    (site / "a" / "index.html").write_text('<h2 id="here">Here</h2><a href="../../up.html">x</a>')
    assert check_site(site, "/story/") == [
        'a/index.html: <a href="../../up.html">: points above the site\'s root',
        "index.html: <a href=\"a/#gone\">: no element with id 'gone'",
        'index.html: <a href="missing.html">: no such file',
        'index.html: <img src="/other/x.png">: outside the site\'s path /story/',
    ]


def test_every_page_has_a_social_card(published: Path) -> None:
    for page in pages(published):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        meta = {
            m.get("property") or m.get("name"): m["content"] for m in soup.select("meta[content]")
        }
        assert meta["og:image"].startswith(SITE_URL)
        card = published / meta["og:image"][len(SITE_URL) :]
        assert card.is_file(), page
        assert card.read_bytes()[16:24] == (1200).to_bytes(4, "big") + (630).to_bytes(4, "big")
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["og:title"] and meta["og:url"].startswith(SITE_URL)


def test_every_chart_has_an_embed_page(published: Path) -> None:
    home = BeautifulSoup((published / "index.html").read_text(), "html.parser")
    snippet = home.select_one("figure .sb-figure__embed pre").get_text()
    assert snippet.startswith(f'<iframe src="{SITE_URL}embed/')
    assert home.select_one(".sb-figure__embed-note") is None  # absolute: no note needed
    assert "embeds: no site_url" not in (published.parent / "build.log").read_text()
    charts = {p.name for p in (published / "embed").iterdir()}
    figures = {
        f["id"]
        for page in pages(published)
        for f in BeautifulSoup(page.read_text(), "html.parser").select("figure.sb-figure")
    }
    assert charts == figures
    for chart in charts:
        embed = BeautifulSoup(
            (published / "embed" / chart / "index.html").read_text(), "html.parser"
        )
        assert embed.select_one(f"figure#{chart} svg[role=img]") is not None
        assert embed.select_one(".sb-figure__source a[href^='https://']") is not None
        back = embed.select_one(".sb-embed__back a")["href"]
        assert back.startswith("../../") and back.endswith(f"#{chart}")


def test_feed_robots_sitemap(published: Path) -> None:
    feed = ET.parse(published / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)]
    english = [p for p in pages(published) if p.relative_to(published).parts[0] != "zh"]
    assert len(links) == len(english) and all(u.startswith(SITE_URL) for u in links)
    zh = ET.parse(published / "zh" / "feed.xml").getroot()  # the Chinese edition's own
    assert len(zh.findall("a:entry", ns)) == len(pages(published)) - len(english)
    assert (published / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {SITE_URL}sitemap.xml\n"
    )
    sitemap = (published / "sitemap.xml").read_text()
    assert "<lastmod>2025-12-01</lastmod>" in sitemap  # SOURCE_DATE_EPOCH of the tests
    assert (published / "404.html").is_file()


@pytest.mark.parametrize(
    "title",
    [
        "六个伙伴于12月12日与美国签署；阿联酋和卡塔尔于1月跟进，荷兰截至1月14日尚未签署，"
        "中国不是成员，以红色标出作为参照；新加坡太小，无法在这些边界上显示，它的圆点放在马来半岛的尖端",
        "Six partners signed with the United States on 12 December; the UAE and Qatar "
        "followed in January, and the Netherlands had not signed by 14 January; China is not "
        "a member and is shown in red for reference, while Singapore is too small to show",
    ],
)
def test_a_card_title_fits_the_card_in_any_language(title: str) -> None:
    card = ET.fromstring(publish.card_svg(title, "Site", '<svg width="10" height="10"></svg>'))
    lines = [t.text or "" for t in card if t.get("font-size") == "44"]
    assert len(lines) == 3
    assert all(text_width(line, 44, True) <= publish.CARD_WIDTH - 120 for line in lines)
    assert lines[-1].endswith("…")  # too long for three lines: cut, and said so
    assert "".join(lines).replace(" ", "")[:-1] in title.replace(" ", "")
