"""Static images from the rendered SVG: rounding, the byte budget, the download PNG's SVG."""

from __future__ import annotations

import io
import json
import math
import re
import xml.etree.ElementTree as ET

import pytest
import vl_convert as vlc
from PIL import Image, ImageChops, ImageOps

from site_builder.images import (
    FOOT_COLOR,
    FOOT_SIZE,
    IMAGE_PAD,
    SVG_BUDGET,
    TITLE_LINE,
    drawn_box,
    image_svg,
    numbered_ids,
    over_budget,
    round_svg,
    simplify_shapes,
)
from site_builder.render import image_png, render_one
from site_builder.textfit import text_width, wrap_text
from site_builder.theme import THEME
from site_builder.variants import svg_width

SVG_NS = "{http://www.w3.org/2000/svg}"
CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="marks" width="200.25" '
    'height="100" viewBox="0 0 200.25 100">'
    '<defs><clipPath id="clip1.25"><rect x="0.04" y="-0.04" width="180.96" height="90.55"/>'
    "</clipPath></defs>"
    '<g transform="translate(42.123456,10.98) rotate(-90.04) scale(0.125)" '
    'clip-path="url(#clip1.25)">'
    '<path d="M0,1h0.6666666666666666v18h-0.6666666666666666Z" stroke-width="0.25" '
    'opacity="0.35" aria-label="x: 1.2345"/>'
    '<path d="M2.739,0A2.739,2.739,0,1,1,-2.739,0L1.5e-7,3.25e2L7e-8,.125"/>'
    '<text x="1.25" y="3.33333">x d="1.23456" 0.123456 &lt;b&gt;</text></g></svg>'
)


def test_geometry_is_rounded_to_a_tenth() -> None:
    out = round_svg(CHART)
    assert 'width="200.2" height="100" viewBox="0 0 200.2 100"' in out
    assert '<rect x="0" y="0" width="181" height="90.5"/>' in out  # no "-0"
    assert 'd="M0,1h0.7v18h-0.7Z"' in out
    assert 'd="M2.7,0A2.7,2.7,0,1,1,-2.7,0L0,325L0,0.1"' in out
    # Moves are rounded; a scale is not (a tenth there would be a tenth of everything).
    assert 'transform="translate(42.1,11) rotate(-90) scale(0.125)"' in out


def test_rounding_leaves_text_ids_and_styles_alone() -> None:
    out = round_svg(CHART)
    assert '<text x="1.2" y="3.3">x d="1.23456" 0.123456 &lt;b&gt;</text>' in out
    for kept in (
        'version="1.1"',
        'id="clip1.25"',
        "url(#clip1.25)",
        'stroke-width="0.25"',
        'opacity="0.35"',
        'aria-label="x: 1.2345"',
    ):
        assert kept in out
    assert round_svg(out) == out  # rounding twice changes nothing
    ET.fromstring(out)  # still well-formed


def test_numbered_ids_count_from_one_in_each_svg() -> None:
    svg = (
        '<svg><defs><clipPath id="clip17"><rect/></clipPath><linearGradient id="gradient_9"/>'
        '<clipPath id="clip4"/></defs><g clip-path="url(#clip17)"><path fill="url(#gradient_9)"/>'
        '<text x="1">id="clip17"</text><use href="#clip4"/></g></svg>'
    )
    assert numbered_ids(svg) == (
        '<svg><defs><clipPath id="clip1"><rect/></clipPath><linearGradient id="gradient_1"/>'
        '<clipPath id="clip2"/></defs><g clip-path="url(#clip1)"><path fill="url(#gradient_1)"/>'
        '<text x="1">id="clip17"</text><use href="#clip2"/></g></svg>'
    )


def test_a_chart_renders_to_the_same_bytes_whatever_was_drawn_before() -> None:
    clipped = {
        "data": {"values": [{"a": 1, "b": 2}, {"a": 3, "b": 4}]},
        "mark": {"type": "point", "clip": True},
        "encoding": {
            "x": {"field": "a", "type": "quantitative", "scale": {"domain": [0, 2]}},
            "y": {"field": "b", "type": "quantitative"},
        },
    }
    first, again = (render_one(json.dumps(clipped), "{}") for _ in range(2))
    assert not isinstance(first, str) and not isinstance(again, str)
    assert 'id="clip1"' in first[0] and first[0] == again[0]


def test_a_chart_with_an_empty_axis_is_read_for_its_text() -> None:
    # A log scale over a zero: Vega draws the axis without ticks, its groups empty (`<g .../>`).
    spec = {
        "data": {"values": [{"a": 0, "b": 1}, {"a": 10, "b": 2}, {"a": 100, "b": 3}]},
        "mark": "point",
        "encoding": {
            "x": {"field": "a", "type": "quantitative", "scale": {"type": "log"}},
            "y": {"field": "b", "type": "quantitative"},
        },
    }
    outcome = render_one(json.dumps(spec), "{}")
    assert not isinstance(outcome, str), outcome
    assert '<g class="mark-rule role-axis-tick" pointer-events="none"/>' in outcome[0]


def test_rounded_numbers_have_at_most_one_decimal() -> None:
    spec = {
        "data": {"values": [{"x": i / 7, "y": (i * 37 % 11) / 3} for i in range(40)]},
        "mark": "line",
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y"}},
    }
    raw = vlc.vegalite_to_svg(spec)
    out = round_svg(raw)
    geometry = re.findall(r'\s(?:d|x|y|width|height|transform)="([^"]*)"', out)
    assert geometry and not any(re.search(r"\d\.\d\d", value) for value in geometry)
    assert re.search(r"\d\.\d\d\d", raw)  # the renderer's own output has long fractions
    assert re.findall(r">([^<]+)<", out) == re.findall(r">([^<]+)<", raw)  # same labels
    assert len(out) < len(raw)


def test_budget() -> None:
    assert not over_budget("a" * SVG_BUDGET)
    assert over_budget("a" * (SVG_BUDGET + 1))
    assert over_budget("é" * (SVG_BUDGET // 2 + 1))  # bytes, not characters


def test_titles_wrap_to_the_width() -> None:
    assert wrap_text("", 16, True, 300) == []
    assert wrap_text("Short title", 16, True, 300) == ["Short title"]
    words = "China refines about nine in ten of the world's rare earths; Malaysia, second"
    lines = wrap_text(words, 16, True, 300)
    assert len(lines) > 1 and " ".join(lines) == words
    assert all(text_width(line, 16, True) <= 300 for line in lines)
    assert wrap_text("Unbreakable" * 10, 16, True, 100) == ["Unbreakable" * 10]
    assert wrap_text("bell\x07 and\x00 nul", 13, False, 300) == ["bell and nul"]


def test_image_svg_draws_title_and_subtitle_above_the_chart() -> None:
    chart = round_svg(CHART)
    title = 'Evil <script>alert("x")</script> & a title that is long enough to wrap'
    image = image_svg(chart, title, "Sub & title")
    root = ET.fromstring(image)  # well-formed: the text is escaped
    assert root.get("width") == "200.2"
    texts = [t for t in root.iter(f"{SVG_NS}text") if t.get("font-size") in ("16", "13")]
    assert "".join(t.text or "" for t in texts[:-1]).replace(" ", "") == title.replace(" ", "")
    assert texts[-1].text == "Sub & title" and texts[-1].get("fill") == "#555555"
    assert all(t.get("font-weight") == "bold" for t in texts[:-1])
    rect = root.find(f"{SVG_NS}rect")
    assert rect is not None and rect.get("fill") == "#ffffff"
    # The chart sits below the title block, its own content moved down with it.
    lines = len(texts) - 1
    top = 4 + 16 + (lines - 1) * TITLE_LINE + 3 + 13 + 4 - 4
    moved = root.find(f"{SVG_NS}g")
    assert moved is not None and moved.get("transform") == f"translate(0,{top})"
    assert float(root.get("height", 0)) == top + 100


def test_image_svg_without_title_is_the_chart_on_white() -> None:
    image = image_svg(round_svg(CHART), "")
    root = ET.fromstring(image)
    assert root.get("height") == "100"
    assert [t.text for t in root.iter(f"{SVG_NS}text")] == ['x d="1.23456" 0.123456 <b>']


def test_image_png_is_twice_the_size() -> None:
    image = image_svg(round_svg(CHART), "A title", "A subtitle")
    png = vlc.svg_to_png(image, scale=2)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    root = ET.fromstring(image)
    assert (width, height) == (
        round(2 * float(root.get("width", 0))),
        round(2 * float(root.get("height", 0))),
    )


def _foot(image: str) -> list[ET.Element]:
    root = ET.fromstring(image)  # well-formed: the text is escaped
    return [t for t in root.iter(f"{SVG_NS}text") if t.get("font-size") == str(FOOT_SIZE)]


def test_notes_and_sources_are_wrapped_below_the_chart() -> None:
    note = "Evil <script>alert('x')</script> & a note that is long enough to need a second line"
    image = image_svg(round_svg(CHART), "A title", "", [note], ["Test & <one>", "Two"])
    assert "<script>" not in image and "&lt;script&gt;" in image
    foot = _foot(image)
    assert all(t.get("fill") == FOOT_COLOR for t in foot)
    # The chart is moved down by the title block; the foot starts under its bottom.
    moved = ET.fromstring(image).find(f"{SVG_NS}g")
    assert moved is not None
    top = float(re.findall(r"[\d.]+", moved.get("transform", ""))[1])
    assert all(float(t.get("y", 0)) > top + 100 for t in foot)
    text = [t.text or "" for t in foot]
    sources = text.index("Sources: Test & <one>; Two")
    assert sources >= 2  # the note took two lines at least
    assert " ".join(text[:sources]) == f"Note: {note}"
    assert all(text_width(line, FOOT_SIZE) <= 200.2 - 2 * IMAGE_PAD for line in text)


def test_one_source_is_labelled_source() -> None:
    image = image_svg(round_svg(CHART), "A title", sources=["Only one"])
    assert [t.text for t in _foot(image)] == ["Source: Only one"]


def test_the_image_grows_with_its_notes() -> None:
    heights = []
    for count in range(3):
        notes = [f"Note number {n}" for n in range(count)]
        root = ET.fromstring(image_svg(round_svg(CHART), "A title", "", notes))
        assert root.get("width") == "200.2"  # the width stays the chart's
        heights.append(float(root.get("height", 0)))
    assert heights[0] < heights[1] < heights[2]


def test_ink_outside_the_box_widens_the_image() -> None:
    # Ink 10 px left of the box and 30 px right of it: both sides grow, the chart moves right.
    root = ET.fromstring(image_svg(round_svg(CHART), "", drawn=(-10, 0, 230.2, 100)))
    assert float(root.get("width", 0)) == 10 + IMAGE_PAD + 200.2 + 30 + IMAGE_PAD
    moved = root.find(f"{SVG_NS}g")
    assert moved is not None and moved.get("transform") == f"translate({10 + IMAGE_PAD},0)"
    inside = ET.fromstring(image_svg(round_svg(CHART), "", drawn=(2, 3, 198, 97)))
    assert inside.get("width") == "200.2" and inside.get("height") == "100"


# Vega fits this chart into 200 px and its last label, centred on the last band, runs past
# the edge of the SVG (a bounds check of the renderer that `fit` skips).
LONG_LAST_LABEL = {
    "data": {"values": [{"d": "A", "v": 1}, {"d": "Something much longer at the end", "v": 3}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "d", "type": "nominal", "axis": {"labelAngle": 0}},
        "y": {"field": "v", "type": "quantitative"},
    },
    "width": 200,
    "autosize": {"type": "fit-x", "contains": "padding"},
    "config": THEME,
}


def test_a_label_past_the_svg_edge_is_whole_in_the_png() -> None:
    svg = round_svg(vlc.vegalite_to_svg(LONG_LAST_LABEL))
    box = drawn_box(svg)
    assert box is not None and box[2] > svg_width(svg) + 5  # the renderer's SVG cuts it
    outcome = render_one(json.dumps(LONG_LAST_LABEL), json.dumps({"title": "T"}))
    assert not isinstance(outcome, str), outcome
    png = Image.open(io.BytesIO(image_png(outcome[2]))).convert("L")
    ink = ImageOps.invert(png).getbbox()
    assert ink is not None
    assert png.width >= 2 * (box[2] + IMAGE_PAD)
    assert ink[2] <= png.width - 2 * IMAGE_PAD + 2  # white padding on the right, as elsewhere


def test_a_chart_with_nothing_cut_is_not_rastered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding ink outside the box needs a raster only when text runs past it: an ordinary
    chart's download image is made without one (a raster cost as much as drawing the SVG)."""
    fitted = {**LONG_LAST_LABEL, "autosize": {"type": "pad"}}  # the same chart, not fitted

    def no_raster(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("rastered")

    monkeypatch.setattr(vlc, "svg_to_png", no_raster)
    outcome = render_one(json.dumps(fitted), json.dumps({"title": "T"}))
    assert not isinstance(outcome, str), outcome
    # The fitted one, its last label cut, still is (render_one reports the failure as text).
    assert render_one(json.dumps(LONG_LAST_LABEL), json.dumps({"title": "T"})) == "rastered"


def test_drawn_box_of_an_empty_chart_is_none() -> None:
    empty = '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="20"></svg>'
    assert drawn_box(empty) is None


def _ring(cx: float, cy: float, r: float, n: int) -> list[tuple[float, float]]:
    return [
        (cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]


def _shape_svg(rings: list[list[tuple[float, float]]], mark: str = "shape") -> str:
    d = "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z" for ring in rings if ring)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">'
        f'<g class="mark-{mark} role-mark"><path transform="translate(0,0)" d="{d}" '
        'fill="#dcdcdc"/></g></svg>'
    )


def _ink(svg: str) -> Image.Image:
    return Image.open(io.BytesIO(bytes(vlc.svg_to_png(svg, scale=2)))).convert("L")


def test_map_outlines_are_simplified_lighter_and_look_the_same() -> None:
    """A map's outlines (dense polylines) lose the points no reader can see: far fewer bytes,
    the same pixels within a hair, a dot-sized island dropped, the no-op move gone."""
    coast = _ring(100, 100, 80, 2000)  # a point every quarter pixel
    islands = [_ring(30, 30, 0.1, 5), _ring(170, 30, 6, 40)]
    svg = _shape_svg([coast, *islands])
    light = simplify_shapes(svg)
    assert len(light) < len(svg) / 4
    assert 'transform="translate(0,0)"' not in light
    assert light.count("z") == 2  # the coast and the island that can be seen
    before, after = _ink(svg), _ink(light)
    diff = ImageChops.difference(before, after)
    # Pixels differ only along the outline's antialiased edge, and by little.
    assert sum(diff.histogram()[65:]) < 0.01 * diff.width * diff.height


def test_only_straight_outlines_of_shape_marks_are_simplified() -> None:
    ring = _ring(100, 100, 50, 400)
    lines = _shape_svg([ring], mark="line")
    assert simplify_shapes(lines) == lines  # a line chart keeps every point
    curved = _shape_svg([ring]).replace('d="M', 'd="M0,0C1,1 2,2 3,3M')
    d = re.compile(r' d="[^"]*"')
    # Curves are not outlines of segments: kept (only the no-op move goes).
    assert d.findall(simplify_shapes(curved)) == d.findall(curved)


def test_relative_moves_add_up_across_rings() -> None:
    """After `z` the pen is back at the ring's start: each next ring lands where it was."""
    rings = [_ring(60, 60, 20, 8), _ring(140, 140, 20, 8), _ring(60, 140, 20, 8)]
    svg = _shape_svg(rings)
    assert _ink(simplify_shapes(svg)).tobytes() == _ink(svg).tobytes()


def test_outlines_painted_alike_merge_into_one_path_that_looks_the_same() -> None:
    """A map's grey countries become one element; each stays where it was (its first move
    made absolute), and an outline painted otherwise, or linked, stays apart."""
    grey = ['<path transform="translate(0,0)" d="M{}" fill="#dcdcdc" stroke="#ffffff"/>']
    rings = [_ring(60, 60, 20, 30), _ring(140, 140, 20, 30), _ring(60, 140, 20, 30)]
    paths = [grey[0].format("L".join(f"{x:.1f},{y:.1f}" for x, y in r) + "Z") for r in rings]
    red = paths[1].replace("#dcdcdc", "#c0392b")
    linked = f'<a xlink:href="https://example.org/">{paths[2]}</a>'
    body = paths[0] + paths[2] + red + paths[0] + linked
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="200" height="200" viewBox="0 0 200 200">'
        f'<g class="mark-shape role-mark">{body}</g></svg>'
    )
    light = simplify_shapes(svg)
    assert light.count("<path") == 4  # two greys merged; the red, the grey after it, the linked
    assert light.count('fill="#dcdcdc"') == 3
    # The same outlines simplified but kept apart (an attribute before `d` stops the merge).
    apart = simplify_shapes(svg.replace("<path ", '<path data-apart="" '))
    assert apart.count("<path") == 5
    assert _ink(light).tobytes() == _ink(apart).tobytes()
    before, after = _ink(svg), _ink(light)
    diff = ImageChops.difference(before, after)
    assert sum(diff.histogram()[65:]) < 0.01 * diff.width * diff.height


def test_chinese_titles_wrap_between_characters_not_before_closing_marks() -> None:
    title = "中国精炼了全球约九成的稀土；马来西亚居第二，约5%（文章称“援引 IEA”）"
    lines = wrap_text(title, 16, True, 150)
    assert len(lines) > 2 and "".join(lines).replace(" ", "") == title.replace(" ", "")
    assert all(text_width(line, 16, True) <= 150 for line in lines)
    assert not any(line[0] in "，；。）”%" or line[-1] in "（“" for line in lines)
    # A number stays with its unit.
    assert wrap_text("于12月12日签署", 16, False, 40) == ["于", "12月", "12日", "签署"]
    # Words written with Latin letters inside Chinese text still break only at spaces.
    assert wrap_text("文章 ISIS Malaysia 出口", 16, False, 60) == [
        "文章",
        "ISIS",
        "Malaysia",
        "出口",
    ]
