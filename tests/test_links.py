"""No link that the tool writes can run script: sources, licences, href channels, pages."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from conftest import run_cli
from helpers import edit, report
from PIL import Image

from site_builder.catalog import Source
from site_builder.figure import foot_html
from site_builder.linkcheck import check_site
from site_builder.urls import is_safe_link, is_web_url, unsafe_links

HOSTILE = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "\\\\evil.example/x",
    "https://",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_are_refused(url: str) -> None:
    assert not is_safe_link(url)
    assert not is_web_url(url)


@pytest.mark.parametrize("url", ["https://www.iea.org/reports/x", "http://example.org/a?b=1#c"])
def test_web_urls_pass(url: str) -> None:
    assert is_web_url(url) and is_safe_link(url)


@pytest.mark.parametrize("url", ["data/", "../rare-earths/#top", "#sources", "/story/data/"])
def test_site_paths_are_links_but_not_web_urls(url: str) -> None:
    assert is_safe_link(url)
    assert not is_web_url(url)


def test_unsafe_links_in_markup() -> None:
    svg = (
        '<svg><a xlink:href="https://ok.example/"><path/></a>'
        '<a href="javascript&#58;alert(1)"><path/></a>'
        "<a href='data:text/html,x'><path/></a><use href=\"#clip1\"/></svg>"
    )
    assert unsafe_links(svg) == ["javascript:alert(1)", "data:text/html,x"]


def test_caption_never_links_an_unsafe_source() -> None:
    html = foot_html([], [Source("Evil", "javascript:alert(1)"), Source("Ok", "https://a.org/")])
    assert "javascript:" not in html
    assert 'Evil; <a href="https://a.org/" rel="noopener">Ok</a>' in html


def test_chart_source_with_a_script_url_is_a_writer_error(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        'notes="Made-up numbers & test values.",',
        'notes="Made-up numbers & test values.",\n'
        '    sources=[{"title": "Evil", "path": " javascript:alert(1)"}],',
    )
    assert report(mini) == (
        "charts/cities.py:6: chart 'city-population': source 'Evil' has no http(s) URL "
        "(' javascript:alert(1)'); a link to it could run script\n"
        "  hint: give each of sources=[...] a 'title' and a 'path' starting with https://"
    )
    # `check` catches it: nothing is left for the build to find first.
    result = run_cli(mini, "check")
    assert result.returncode == 1 and "charts/cities.py:6:" in result.stderr


@pytest.mark.parametrize("scheme", ["data:text/html,<b>x</b>", "javascript:alert(1)"])
def test_href_channel_with_unsafe_values_is_refused(mini: Path, scheme: str) -> None:
    edit(
        mini / "charts" / "cities.py",
        'mark_bar().encode(x="population:Q", y="city:N")',
        f'mark_bar().encode(x="population:Q", y="city:N", href=alt.value("{scheme}"))',
    )
    text = report(mini)
    assert text.startswith("charts/cities.py:6: chart 'city-population': links marks to URLs")
    assert "could run script" in text


@pytest.mark.slow  # a whole build
def test_href_made_by_a_transform_is_refused_at_render(mini: Path) -> None:
    # The spec check cannot see a computed link; the rendered SVG is checked too.
    edit(
        mini / "charts" / "cities.py",
        'mark_bar().encode(x="population:Q", y="city:N")',
        "mark_bar().transform_calculate(u=\"'da' + 'ta:text/html,x'\")"
        '.encode(x="population:Q", y="city:N", href="u:N")',
    )
    result = run_cli(mini, "build")
    assert result.returncode == 1
    assert "charts/cities.py:6: chart 'city-population' links marks to URLs" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # a whole build
def test_https_href_channel_builds(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        'mark_bar().encode(x="population:Q", y="city:N")',
        'mark_bar().encode(x="population:Q", y="city:N", href=alt.value("https://example.org/"))',
    )
    result = run_cli(mini, "build")
    assert result.returncode == 0, result.stderr
    page = (mini / "site" / "index.html").read_text()
    assert 'href="https://example.org/"' in page


def test_linkcheck_reports_script_links(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="javascript:alert(1)">x</a><a href="mailto:desk@example.org">m</a>'
        '<img src="data:image/webp;base64,AAAA" alt=""><a href="https://a.org/">a</a>'
    )
    assert check_site(tmp_path) == [
        'index.html: <a href="javascript:alert(1)">: not an http(s) link or a path in the '
        "site: it could run script"
    ]


@pytest.mark.slow  # a whole build
def test_a_page_linking_to_script_fails_the_strict_build(mini: Path) -> None:
    page = mini / "content" / "index.md"
    page.write_text("---\ntitle: Home\n---\n\n" + page.read_text())
    edit(page, "[Second page](second.md)", "[x](javascript:alert(1))")
    result = run_cli(mini, "build")
    assert result.returncode == 1
    # At its line and column in the file (front matter counted), once: an edition that
    # borrows the page does not say it again.
    said = "content/index.md:17:5: links to 'javascript:alert(1)', which is not an http(s) URL"
    assert said in result.stderr
    assert result.stderr.count("links to 'javascript:alert(1)'") == 1


def test_relative_and_empty_links_render_as_the_live_view_follows_them() -> None:
    import json

    import vl_convert as vlc

    from site_builder.urls import RENDERER_BASE, page_relative_links

    spec = {
        "data": {"values": [{"a": 1, "u": "../data/"}, {"a": 2, "u": None}, {"a": 3, "u": "x"}]},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}, "href": {"field": "u"}},
    }
    spec["data"]["values"][2]["u"] = RENDERER_BASE + "data/cars.json"  # the writer's own link
    spec_json = json.dumps(spec)
    raw = vlc.vegalite_to_svg(spec, allowed_base_urls=[])
    assert RENDERER_BASE + "null" in raw  # what the renderer does with an empty cell
    svg = page_relative_links(raw, spec_json)
    links = [m.group(1) for m in __import__("re").finditer(r'xlink:href="([^"]*)"', svg)]
    assert links == ["../data/", RENDERER_BASE + "data/cars.json"]
    assert svg.count("<path") == raw.count("<path")  # the unlinked mark is still drawn


@pytest.mark.slow  # a whole build
def test_href_channel_with_a_label_instead_of_an_address_is_refused(mini: Path) -> None:
    # A lookup's default (or a note in the link column) would link to a page that is not there.
    edit(
        mini / "charts" / "cities.py",
        'mark_bar().encode(x="population:Q", y="city:N")',
        "mark_bar().transform_calculate(u=\"datum.capital ? 'https://example.org/' : 'not a "
        'capital\'").encode(x="population:Q", y="city:N", href="u:N")',
    )
    result = run_cli(mini, "build")
    assert result.returncode == 1
    assert (
        "charts/cities.py:6: chart 'city-population' links marks to values that are not "
        "addresses ('not a capital')" in result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # a whole build
def test_href_channel_with_empty_cells_links_only_the_others(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        'mark_bar().encode(x="population:Q", y="city:N")',
        "mark_bar().transform_calculate(u=\"datum.capital ? 'https://example.org/' : null\")"
        '.encode(x="population:Q", y="city:N", href="u:N")',
    )
    result = run_cli(mini, "build")
    assert result.returncode == 0, result.stderr
    page = (mini / "site" / "index.html").read_text()
    assert page.count('xlink:href="https://example.org/"') >= 1
    assert "vega-datasets" not in page


@pytest.mark.slow  # a whole build
def test_links_to_figures_pass_the_anchor_check_and_a_heading_of_the_same_id_is_named(
    mini: Path,
) -> None:
    """MkDocs' anchor check (`validation: {anchors: warn}`, as the sample sets it) saw only the
    Markdown's ids: a link to a figure failed the strict build. A heading whose id is a
    chart's took the link silently."""
    edit(
        mini / "content" / "index.md",
        "[Second page](second.md)",
        "[Second page](second.md), [its scores](second.md#region-scores), "
        "[the data](second.md#dataset-cities), [nowhere](second.md#no-such-place)",
    )
    result = run_cli(mini, "build")
    assert result.returncode == 1
    assert "contains a link 'second.md#no-such-place'" in result.stderr
    assert "#region-scores" not in result.stderr and "#dataset-cities" not in result.stderr
    edit(mini / "content" / "index.md", ", [nowhere](second.md#no-such-place)", "")
    assert run_cli(mini, "build").returncode == 0
    edit(mini / "content" / "second.md", "## Data", "## Region scores")
    result = run_cli(mini, "build")
    assert result.returncode == 1
    assert (
        "content/second.md:3: chart 'region-scores' has the id of another element of the page "
        "(a heading?): a link to #region-scores finds only the first"
    ) in result.stderr


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "data:text/html,x"]
)
def test_check_finds_a_page_linking_to_script(mini: Path, target: str) -> None:
    """`check` said "ok" for a page whose link runs script; only the build found it."""
    edit(mini / "content" / "index.md", "[Second page](second.md)", f"see [x]({target})")
    result = run_cli(mini, "check")
    assert result.returncode == 1
    assert (
        f"content/index.md:13:9: links to {target!r}, which is not an http(s) URL or a path in "
        "the site; a link like it could run script\n  hint: link to https:// addresses only"
    ) in result.stderr


def test_image_marks_draw_only_https_pictures_and_the_build_reads_none() -> None:
    """An image mark over a column of file paths drew a file from outside the project into
    the published social card, and fetched an address while building."""
    from site_builder.images import rasterized
    from site_builder.specs import check_spec

    rows = [
        {"x": 1, "pic": "file:///etc/passwd"},
        {"x": 2, "pic": "../../../../tmp/secret.png"},
        {"x": 3, "pic": "https://example.org/flag.png"},
        {"x": 4, "pic": ""},
    ]
    spec = {
        "data": {"values": rows},
        "mark": "image",
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "url": {"field": "pic"}},
    }
    [(message, hint)] = check_spec(spec)
    assert message == (
        "draws pictures from addresses that are not https ('file:///etc/passwd', "
        "'../../../../tmp/secret.png'); readers would not see them"
    )
    assert "https://" in hint and "csp_extra" in hint
    assert check_spec({**spec, "data": {"values": rows[2:]}}) == []
    # A picture held in the cell is the page's own; plain http is not https.
    held = [{"x": 1, "pic": "data:image/png;base64,iVBORw0KGgo="}]
    assert check_spec({**spec, "data": {"values": held}}) == []
    for refused in ("http://example.org/a.png", "data:image/svg+xml;base64,PHN2Zz4="):
        assert check_spec({**spec, "data": {"values": [{"x": 1, "pic": refused}]}}) != []
    # Rasterizing (the PNG, the social card) draws no picture from outside the SVG.
    red = "data:image/png;base64," + base64.b64encode(_one_red_pixel()).decode()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="20" height="10"><image x="0" width="10" height="10" xlink:href="{}"/>'
        '<image x="10" width="10" height="10" xlink:href="{}"/></svg>'
    )
    outside = _one_red_pixel_file()
    with Image.open(io.BytesIO(rasterized(svg.format(red, str(outside)), 1))) as image:
        pixels = image.convert("RGBA")
        assert pixels.getpixel((5, 5))[:3] == (255, 0, 0)  # drawn from the SVG itself
        assert pixels.getpixel((15, 5))[3] == 0  # the file outside: not read


def _one_red_pixel() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (255, 0, 0)).save(out, "PNG")
    return out.getvalue()


def _one_red_pixel_file() -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "secret.png"
    path.write_bytes(_one_red_pixel())
    return path


@pytest.mark.slow  # a whole check
def test_check_keeps_mail_links_and_pictures_held_in_the_page(mini: Path) -> None:
    """mailto: and tel: links, and an image held in the page (data:image/png), are no
    script; a reference-style definition that is one is found."""
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - index.md\n  - second.md\n"
                      "  - Write to us: mailto:desk@example.org\n")  # fmt: skip
    edit(
        mini / "content" / "index.md",
        "[Second page](second.md)",
        "[Second page](second.md), [call](tel:+15551234), ![dot](data:image/png;base64,iVBO)",
    )
    assert run_cli(mini, "check").returncode == 0
    page = mini / "content" / "index.md"
    page.write_text(page.read_text() + "\nSee [this][e].\n\n[e]: javascript:alert(1)\n")
    result = run_cli(mini, "check")
    assert result.returncode == 1
    assert "links to 'javascript:alert(1)', which is not an http(s) URL" in result.stderr


def test_links_written_as_html_are_checked_from_the_pages_address(tmp_path: Path) -> None:
    """MkDocs leaves an HTML link as written: relative to the page's address (guide.md is
    served at guide/), not to its file. A broken picture there passed the check."""
    from site_builder.pagelinks import link_problems

    docs = tmp_path / "content"
    (docs / "img").mkdir(parents=True)
    (docs / "img" / "plan.png").write_bytes(b"png")
    text = (
        '<img src="img/plan.png" alt="a">\n'  # from the file: broken on the site
        '<img src="../img/plan.png" alt="b">\n'  # from the address: fine
        '<img src="../img/plam.png" alt="c">\n'
        '<a href="index.md">home</a>\n'
        '<a href="https://example.org/x.png">elsewhere</a>\n'
        '<a href="../contact">an address, not a file</a>\n'
    )
    listed = ["guide.md", "index.md", "img/plan.png"]
    said = [
        (p.line, p.column, p.message, p.hint)
        for p in link_problems(text, "guide.md", docs, "content/guide.md", listed)
    ]
    assert said == [
        (
            1,
            11,
            "links to 'img/plan.png' in HTML, relative to the page's file; readers' browsers "
            "take it from the page's address (guide/)",
            "write '../img/plan.png', or write it in Markdown, ![text](img/plan.png)",
        ),
        (
            3,
            11,
            "links to '../img/plam.png', which is not a file of the site",
            "did you mean 'img/plan.png'? known: 'img/plan.png', 'guide.md', 'index.md'; in "
            "HTML, links are relative to the page's address (guide/)",
        ),
        (
            4,
            10,
            "links to 'index.md' in HTML, which MkDocs leaves as written: readers get the "
            "Markdown file, not the page",
            "write the link in Markdown, [text](page.md), or to the page's address",
        ),
    ]
    # An index page, or pages served as files, are at their folder's address.
    assert link_problems(text, "index.md", docs, "content/index.md", listed)[0].line == 2
    flat = link_problems(text, "guide.md", docs, "c", listed, directory_urls=False)
    assert [p.line for p in flat] == [2, 3, 4]
