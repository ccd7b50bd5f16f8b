"""The figure's HTML: structure, accessibility, escaping, downloads."""

from __future__ import annotations

from pathlib import Path

import helpers
import pytest
from bs4 import BeautifulSoup
from helpers import prepare

from site_builder import pipeline
from site_builder.cache import TextCache
from site_builder.catalog import Source
from site_builder.figure import (
    FigureLinks,
    accessible_svg,
    body_html,
    caption_html,
    data_csv,
    foot_html,
    format_cell,
    size_css,
    static_image,
)
from site_builder.figures import Figures
from site_builder.images import SVG_BUDGET
from site_builder.strings import EN, ZH
from site_builder.variants import narrow_below

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="100" height="50" '
    'viewBox="0 0 100 50"><defs><clipPath id="clip1"><rect/></clipPath></defs>'
    '<g clip-path="url(#clip1)"></g></svg>'
)
EVIL = '"><img src=x onerror=alert(1)><script>window.__xss=1</script>'


def test_accessible_svg_has_name_description_and_unique_ids() -> None:
    soup = BeautifulSoup(accessible_svg(SVG, "c1", "Title " + EVIL, "Desc " + EVIL), "html.parser")
    svg = soup.svg
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "c1-svg-title"
    assert svg["aria-describedby"] == "c1-svg-desc"
    assert soup.find(id="c1-svg-title").get_text() == "Title " + EVIL
    assert soup.find(id="c1-svg-desc").get_text() == "Desc " + EVIL
    assert soup.find("clippath")["id"] == "c1-clip1"
    assert soup.find("g")["clip-path"] == "url(#c1-clip1)"
    assert soup.find("script") is None and soup.find("img") is None


def test_caption_escapes_metadata() -> None:
    html = caption_html("c1", EVIL, "Sub")
    html += foot_html([EVIL], [Source(EVIL, 'https://e.org/?a=1&b="2"')])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.select_one(".sb-figure__title").get_text() == EVIL
    link = soup.select_one(".sb-figure__source a")
    assert link["href"] == 'https://e.org/?a=1&b="2"'
    assert link.get_text() == EVIL


def test_body_has_table_and_downloads() -> None:
    rows = [{"country": "China", "share": 92.0, "note": EVIL}, {"country": "NA", "share": None}]
    html = body_html(
        "c1",
        "T",
        "D",
        (SVG, ""),
        rows,
        [("country", "Country"), ("share", "Share (%)")],
        FigureLinks(image="../a/c1.svg", csv="../a/c1.csv", spec="../a/c1.vg.json"),
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [th.get_text() for th in soup.select("details table th")] == ["Country", "Share (%)"]
    assert [[td.get_text() for td in tr.select("td")] for tr in soup.select("tbody tr")] == [
        ["China", "92"],
        ["NA", "–"],
    ]
    assert soup.select_one(".sb-figure__table")["tabindex"] == "0"
    assert [a["href"] for a in soup.select(".sb-figure__downloads a")] == [
        "../a/c1.csv",
        "../a/c1.svg",
        "../a/c1.svg",  # the PNG, drawn from the SVG by the page's script
    ]
    png = soup.select_one(".sb-figure__png a")
    assert png["data-sb-png"] == "c1.png" and png.get_text() == "image (PNG)"
    # Each saved under the chart's name, not its file's (a content hash in it).
    csv, svg = soup.select(".sb-figure__downloads > a")
    assert (csv["download"], svg["download"]) == ("c1.csv", "c1.svg")


def test_the_embed_snippet_is_text_to_copy_not_a_code_block() -> None:
    # Material's script sets up every `pre > code` as it loads, forcing style and layout of
    # the whole page once per block: a figure's snippet needs none of it.
    embed = '<iframe src="../embed/c1/" title="T ' + EVIL + '"></iframe>'
    links = FigureLinks(image="../a/c1.svg", csv="../a/c1.csv", spec="../a/c1.vg.json")
    html = body_html("c1", "T", "D", (SVG, ""), [], [], links, embed=embed)
    soup = BeautifulSoup(html, "html.parser")
    snippet = soup.select_one("details.sb-figure__embed pre")
    assert snippet.get_text() == embed and snippet["tabindex"] == "0"
    assert soup.select("pre > code") == [] and soup.find("iframe") is None


def test_narrow_variant_and_minimum_scale() -> None:
    wide = SVG.replace('width="100"', 'width="600"')
    narrow = SVG.replace('width="100"', 'width="312"')
    links = FigureLinks(image="p.svg", csv="d.csv", spec="s.json", narrow_spec="n.json")
    soup = BeautifulSoup(body_html("c1", "T", "D", (wide, narrow), [], [], links), "html.parser")
    holder = soup.select_one(".sb-figure__chart")
    # The phone layout shows below 552 px (600 scaled to 11/12, in 4 px steps), live too.
    assert holder["data-sb-narrow-below"] == "552"
    assert holder["data-sb-spec"] == "s.json" and holder["data-sb-spec-narrow"] == "n.json"
    assert not holder.has_attr("tabindex")
    wide_svg, narrow_svg = soup.select("svg")
    # Its smallest width (11/12 of 600) as a class the stylesheet sizes: no style attribute.
    assert wide_svg["class"] == ["marks", "sb-static", "sb-static--wide", "sb-min-550"]
    assert narrow_svg["class"] == ["marks", "sb-static", "sb-static--narrow", "sb-min-286"]
    assert not soup.select("[style]")
    assert size_css([(wide, narrow, False)]) == (
        ".sb-min-286 { min-width: 286px; }\n.sb-min-550 { min-width: 550px; }\n"
    )
    assert narrow_svg["aria-labelledby"] == "c1-narrow-svg-title"
    assert narrow_svg["aria-describedby"] == "c1-narrow-svg-desc"
    # A chart whose live view reads pointer positions is never scaled: it scrolls instead.
    soup = BeautifulSoup(
        body_html("c1", "T", "D", (wide, narrow), [], [], links, exact=True), "html.parser"
    )
    assert soup.select_one(".sb-figure__chart")["data-sb-narrow-below"] == "600"
    assert "sb-min-600" in soup.select_one("svg")["class"]
    assert ".sb-min-600 { min-width: 600px; }" in size_css([(wide, narrow, True)])
    # Without a narrow layout, a wide chart scrolls in a box keyboard users can reach.
    soup = BeautifulSoup(body_html("c1", "T", "D", (wide, ""), [], [], links), "html.parser")
    holder = soup.select_one(".sb-figure__chart")
    assert holder["tabindex"] == "0" and not holder.has_attr("data-sb-narrow-below")


def test_csv_download_defuses_formulas() -> None:
    rows = [{"a": '=HYPERLINK("http://x?"&A1)', "b": -3.0}, {"a": "@SUM(1)", "b": 2.5}]
    assert data_csv(rows, ["a", "b"]) == (
        'a,b\n"\'=HYPERLINK(""http://x?""&A1)",-3\n\'@SUM(1),2.5\n'
    )
    # A column's name is a cell too: it was written as it was.
    assert data_csv([{"@cmd": 1}], ["@cmd"]) == "'@cmd\n1\n"


def test_csv_download_writes_a_column_of_dates_as_dates() -> None:
    rows = [
        {"day": "2025-03-01T00:00:00", "at": "2025-03-01T00:00:00", "n": 1},
        {"day": None, "at": "2025-03-01T12:30:00", "n": 2},  # a time of day: kept whole
        {"day": "2025-03-03T00:00:00", "at": "2025-03-02T00:00:00", "n": 3},
    ]
    assert data_csv(rows, ["day", "at", "n"]) == (
        "day,at,n\n2025-03-01,2025-03-01T00:00:00,1\n,2025-03-01T12:30:00,2\n"
        "2025-03-03,2025-03-02T00:00:00,3\n"
    )


def test_cells_holding_objects_read_as_json() -> None:
    # A map drawn from GeoJSON written in the chart: its rows hold objects.
    rows = [{"properties": {"name": "Westland", "v": 3}, "type": "Feature"}]
    assert format_cell(rows[0]["properties"]) == '{"name": "Westland", "v": 3}'
    assert data_csv(rows, ["properties", "type"]) == (
        'properties,type\n"{""name"": ""Westland"", ""v"": 3}",Feature\n'
    )


def test_format_cell() -> None:
    assert format_cell(90.0) == "90"
    assert format_cell(4.25) == "4.25"
    assert format_cell(True) == "yes"
    assert format_cell("2025-08-10T00:00:00") == "2025-08-10"
    assert format_cell(None) == "–"


def heavy_svg(width: int = 600, height: int = 300) -> str:
    """An SVG just over the byte budget, of the given size."""
    path = '<path d="M0,0L1,1"/>' * (SVG_BUDGET // 18)
    return SVG.replace('width="100" height="50"', f'width="{width}" height="{height}"').replace(
        "</svg>", path + "</svg>"
    )


def test_over_budget_the_png_stands_in_for_the_svg() -> None:
    links = FigureLinks(image="../a/c1.svg", csv="../a/c1.csv", spec="../a/c1.vg.json")
    rows = [{"country": "China", "share": 92.0}]
    narrow = ""
    html = body_html(
        "c1",
        "Title " + EVIL,
        "Desc " + EVIL,
        (heavy_svg(), narrow),
        rows,
        [("country", "C")],
        links,
    )
    assert len(html.encode()) < SVG_BUDGET // 10
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("svg") is None and soup.find("script") is None
    holder = soup.select_one(".sb-figure__chart")
    assert not holder.has_attr("data-sb-narrow-below")  # no narrow variant
    (img,) = holder.select("img")
    assert img["src"] == "../a/c1.svg"  # no stand-in image given: the download image
    assert img["class"] == [
        "sb-static",
        "sb-static--wide",
        "sb-static--image",
        "sb-min-550",
        "sb-ratio-600-300",
    ]
    assert not soup.select("[style]")
    assert (img["width"], img["height"]) == ("600", "300")  # no layout shift
    assert img["alt"] == "Desc " + EVIL
    # Named and described as the SVG would be; the live chart takes the same name.
    assert img["aria-labelledby"] == "c1-svg-title"
    assert img["aria-describedby"] == "c1-svg-desc"
    assert soup.find(id="c1-svg-title").get_text() == "Title " + EVIL
    assert soup.find(id="c1-svg-desc").get_text() == "Desc " + EVIL
    # The box has the chart's proportions (the stand-in image is the chart alone).
    assert size_css([(heavy_svg(), narrow, False)]) == (
        ".sb-min-550 { min-width: 550px; }\n.sb-ratio-600-300 { aspect-ratio: 600 / 300; }\n"
    )
    assert [td.get_text() for td in soup.select("details tbody td")] == ["China"]
    assert [a["href"] for a in soup.select(".sb-figure__downloads a")] == [
        "../a/c1.csv",
        "../a/c1.svg",
        "../a/c1.svg",
    ]


def test_a_dense_charts_phone_layout_shows_as_an_image_too() -> None:
    links = FigureLinks(
        image="c1.svg",
        csv="c1.csv",
        spec="c1.vg.json",
        fallback="c1.stand-in.svg",
        narrow_fallback="c1.narrow.stand-in.svg",
    )
    html = body_html("c1", "T", "D", (heavy_svg(), heavy_svg(312)), [], [], links)
    soup = BeautifulSoup(html, "html.parser")
    holder = soup.select_one(".sb-figure__chart")
    wide, narrow = holder.select("img")
    assert (wide["src"], narrow["src"]) == ("c1.stand-in.svg", "c1.narrow.stand-in.svg")
    assert narrow["class"][:3] == ["sb-static", "sb-static--narrow", "sb-static--image"]
    assert (narrow["width"], narrow["aria-labelledby"]) == ("312", "c1-narrow-svg-title")
    # Swapped for the wide one where the wide one no longer fits, as an inline SVG would be.
    assert holder["data-sb-narrow-below"] == str(narrow_below(600, False))
    rules = size_css([(heavy_svg(), heavy_svg(312), False)])
    assert ".sb-ratio-312-300 { aspect-ratio: 312 / 300; }" in rules
    # A phone layout light enough is inlined beside the wide one's image.
    light = SVG.replace('width="100"', 'width="300"')
    html = body_html("c1", "T", "D", (heavy_svg(), light), [], [], links)
    soup = BeautifulSoup(html, "html.parser")
    assert [e.name for e in soup.select(".sb-figure__chart > .sb-static")] == ["img", "svg"]


def test_narrow_variant_over_budget_without_an_image_is_left_out() -> None:
    wide = SVG.replace('width="100"', 'width="600"')
    links = FigureLinks(image="p.svg", csv="d.csv", spec="s.json")
    html = body_html("c1", "T", "D", (wide, heavy_svg(312)), [], [], links)
    soup = BeautifulSoup(html, "html.parser")
    assert [svg["class"] for svg in soup.select("svg")] == [
        ["marks", "sb-static", "sb-static--wide", "sb-min-550"]
    ]
    assert soup.select_one(".sb-figure__chart")["tabindex"] == "0"  # scrolls, as without one


def test_a_dense_charts_image_loads_when_near_the_view() -> None:
    svg = '<svg class="marks" width="400" height="300"></svg>'
    img = BeautifulSoup(static_image(svg, "c.stand-in.svg", "c", "T", "D"), "html.parser").img
    assert (img["loading"], img["decoding"], img["alt"]) == ("lazy", "async", "D")
    assert (img["width"], img["height"]) == ("400", "300")  # its box before it loads


def test_a_figure_body_is_kept_per_language(mini: Path, tmp_path: Path) -> None:
    """Two editions whose charts and column labels are the same (no translations yet) share
    the cache, but each figure's body speaks its edition's language."""
    project = prepare(mini)
    pipeline.render(project)
    texts = TextCache(tmp_path / "texts")
    chart_id = next(iter(project.charts))
    bodies = {
        lang: Figures(project, texts, lambda target, page: target, words).body(chart_id, "p/")
        for lang, words in (("en", EN), ("zh", ZH))
    }
    assert EN["show_table"] in bodies["en"] and ZH["show_table"] not in bodies["en"]
    assert ZH["show_table"] in bodies["zh"] and EN["show_table"] not in bodies["zh"]


def test_figures_are_made_as_their_charts_are_rendered(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build makes each figure while the render processes draw the other charts: the
    pages then find it made, and it is the one they would have made."""
    from site_builder.render import Renderer

    settings = helpers.settings(mini)
    project = pipeline.prepare(settings)
    renderer = Renderer(settings.cache_dir)
    for chart in project.charts.values():
        renderer.add(chart, project.sources_of(chart))
    texts = TextCache(tmp_path / "texts")
    seen: list[str] = []

    def premake(made: pipeline.Project, chart_id: str) -> None:
        assert chart_id in made.rendered  # rendered before its figure is made
        seen.append(chart_id)
        Figures(made, texts, lambda target, page: target).premake(chart_id)

    pipeline.render(project, renderer=renderer, after=premake)
    assert sorted(seen) == sorted(project.charts)
    expected = {
        chart_id: Figures(project, TextCache(tmp_path / "fresh"), lambda t, p: t).body(
            chart_id, "p/"
        )
        for chart_id in project.charts
    }

    def not_again(*args: object) -> None:
        raise AssertionError("made again")

    monkeypatch.setattr(Figures, "_make_bodies", not_again)
    premade = Figures(project, texts, lambda target, page: target)
    assert {c: premade.body(c, "p/") for c in project.charts} == expected


def test_controls_are_said_by_their_label_and_the_value_they_show() -> None:
    from site_builder.figure import control_settings

    spec = {
        "params": [
            {
                "name": "mode",
                "value": 1,
                "bind": {
                    "input": "radio",
                    "options": [0, 1],
                    "labels": ["Off", "On"],
                    "name": "Mode: ",
                },
            },
            {"name": "year", "value": 2020, "bind": {"input": "range", "name": "年份："}},
            {"name": "cutoff", "value": 3, "bind": {"input": "range"}},
            {"name": "brush", "select": "interval"},  # a selection: nothing hidden
            {"name": "zoom", "select": "interval", "bind": "scales"},
        ]
    }
    assert control_settings(spec) == [("Mode", "On"), ("年份", 2020), ("cutoff", 3)]
