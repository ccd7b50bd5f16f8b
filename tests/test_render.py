"""Rendering with vl-convert: Vega, SVG and the download image, offline, cached by content."""

from __future__ import annotations

import io
import json
import re
import struct
from dataclasses import replace
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from helpers import BARS, built, edit, prepare, settings, vega_bars_body
from PIL import Image, ImageOps

from site_builder import pipeline
from site_builder.errors import RenderError
from site_builder.images import SVG_BUDGET, over_budget, stand_in_svg
from site_builder.render import (
    Renderer,
    RenderOutcome,
    _dumps,
    image_caption,
    image_png,
    laid_out_on_change,
    page_spec,
    render_charts,
    render_one,
)
from site_builder.textfit import overlapping_text, text_boxes, wrap_text
from site_builder.variants import NARROW_ABOVE, svg_height, svg_width


def dense_scatter(points: int, width: int = 300) -> dict[str, Any]:
    """A scatter of `points` random points (Altair, as a writer makes it)."""
    rng = np.random.default_rng(7)
    table = pd.DataFrame({"x": rng.normal(size=points), "y": rng.normal(size=points)})
    chart = alt.Chart(table).mark_circle().encode(x="x:Q", y="y:Q").properties(width=width)
    return chart.to_dict()


def ok(outcome: RenderOutcome) -> tuple[str, str, str, str, list[str], str, str]:
    assert not isinstance(outcome, str), outcome
    return outcome


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_svg_and_png_at_twice_the_size(mini: Path, tmp_path: Path) -> None:
    chart = prepare(mini).charts["city-population"]
    result = render_charts([chart], tmp_path / "cache", workers=1)["city-population"]
    assert result.svg.startswith("<svg") and "Windhoek" in result.svg
    assert "&lt;script&gt;" in result.svg  # data text is escaped by the renderer
    # The PNG is the page SVG under a one-line title and subtitle, as Vega-Lite drew them,
    # over its one-line note (6 px gap, 11 px line, 4 px padding).
    assert png_size(image_png(result.image_svg)) == (
        round(2 * svg_width(result.svg)),
        round(2 * (svg_height(result.svg) + 36 + 21)),
    )
    assert not result.from_cache


def test_live_view_draws_the_vega_the_svg_was_drawn_from(mini: Path, tmp_path: Path) -> None:
    """The browser gets the spec compiled to Vega (it has no Vega-Lite compiler), and it is
    the very spec the static SVG was drawn from: the swap cannot move anything."""
    import vl_convert as vlc

    from site_builder.images import round_svg, simplify_shapes

    chart = prepare(mini).charts["city-population"]
    result = render_charts([chart], tmp_path / "cache", workers=1)["city-population"]
    live = json.loads(result.live_json)
    assert live["$schema"].startswith("https://vega.github.io/schema/vega/v6")
    assert "marks" in live and "encoding" not in live
    drawn = simplify_shapes(round_svg(vlc.vega_to_svg(live, allowed_base_urls=[])))
    assert drawn == result.svg
    if result.narrow_svg:
        narrow = json.loads(result.narrow_live_json)
        assert simplify_shapes(round_svg(vlc.vega_to_svg(narrow))) == result.narrow_svg
    cached = render_charts([chart], tmp_path / "cache", workers=1)["city-population"]
    assert cached.from_cache and cached.live_json == result.live_json


def test_png_has_the_title_and_page_spec_does_not(mini: Path) -> None:
    chart = prepare(mini).charts["city-population"]
    page = page_spec(chart)
    assert "title" not in page
    assert page["config"]["font"].startswith("Helvetica")
    assert image_caption(chart) == {
        "title": "Windhoek is the largest <b>city</b>",
        "subtitle": "Population",
        "notes": ["Made-up numbers & test values."],
    }
    project = prepare(mini)
    assert image_caption(chart, project.sources_of(chart))["sources"] == ["Test source <one>"]
    assert "font" not in chart.spec["config"]  # the theme went into a copy


def test_title_changes_the_png_and_its_key_not_the_charts(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = prepare(mini).charts["city-population"]
    longer = replace(
        chart,
        definition=replace(chart.definition, title="A much longer title " * 4, subtitle=""),
    )
    first = render_charts([chart], tmp_path / "cache", workers=1)["city-population"]
    # The chart is in the cache: only its download image is made again, not the chart.
    from site_builder import render

    def no_render(*args: Any) -> Any:
        raise AssertionError("the chart was rendered again")

    with monkeypatch.context() as patched:
        patched.setattr(render, "render_one", no_render)
        second = render_charts([longer], tmp_path / "cache", workers=1)["city-population"]
    assert not second.from_cache and second.key == first.key
    assert second.image_key != first.image_key and second.image_stem != first.image_stem
    # Byte for byte the image a whole render of the new caption makes.
    cold = render_charts([longer], tmp_path / "cold", workers=1)["city-population"]
    assert cold.image_key == second.image_key and cold.image_svg == second.image_svg
    assert second.svg == first.svg  # the page SVG has no title
    width, height = png_size(image_png(second.image_svg))
    assert (
        width == png_size(image_png(first.image_svg))[0]
    )  # wrapped to the chart's width, not widened
    lines = len(wrap_text(longer.definition.title, 16, True, svg_width(first.svg) - 8))
    assert lines >= 2
    assert height == round(2 * (svg_height(second.svg) + 20 + (lines - 1) * 19 + 21))


def test_the_download_image_of_a_chart_with_controls_says_what_they_are_set_to(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = prepare(mini).charts["city-population"]
    slider = {"input": "range", "min": 0, "max": 500000, "name": "Smallest city "}
    spec = {**chart.spec, "params": [{"name": "cut", "value": 1000, "bind": slider}]}
    spec["transform"] = [{"filter": "datum.population >= cut"}]
    with_controls = chart.with_spec(spec)
    first = render_charts([with_controls], tmp_path / "cache", workers=1)["city-population"]
    assert "Drawn for Smallest city: 1000." in first.image_svg
    plain = render_charts([chart], tmp_path / "plain", workers=1)["city-population"]
    assert "Drawn for" not in plain.image_svg
    # Only the caption changed: the image made from the cache says it too.
    from site_builder import render

    def no_render(*args: Any) -> Any:
        raise AssertionError("the chart was rendered again")

    retitled = replace(with_controls, definition=replace(chart.definition, title="Another title"))
    monkeypatch.setattr(render, "render_one", no_render)
    second = render_charts([retitled], tmp_path / "cache", workers=1)["city-population"]
    assert "Another title" in second.image_svg
    assert "Drawn for Smallest city: 1000." in second.image_svg


def test_a_spec_with_its_own_title_gets_none_added(mini: Path) -> None:
    chart = prepare(mini).charts["city-population"]
    titled = chart.with_spec({**chart.spec, "title": "Drawn by Vega-Lite"})
    bare = replace(titled, definition=replace(titled.definition, notes=[]))
    assert image_caption(bare) == {}
    svg, _, image, *_ = ok(render_one(_dumps(page_spec(bare)), _dumps(image_caption(bare))))
    assert "Drawn by Vega-Lite" in svg
    assert png_size(image_png(image)) == (round(2 * svg_width(svg)), round(2 * svg_height(svg)))
    # Its notes still go under it.
    assert image_caption(titled) == {"notes": ["Made-up numbers & test values."]}


def test_notes_and_sources_change_the_png_and_the_key(mini: Path, tmp_path: Path) -> None:
    project = prepare(mini)
    chart = project.charts["city-population"]
    cache = tmp_path / "cache"
    plain = render_charts([chart], cache, workers=1)["city-population"]
    sourced = render_charts([chart], cache, workers=1, sources_of=project.sources_of)
    more = replace(
        chart, definition=replace(chart.definition, notes=[*chart.definition.notes, "B"])
    )
    noted = render_charts([more], cache, workers=1, sources_of=project.sources_of)
    keys = {
        plain.image_key,
        sourced["city-population"].image_key,
        noted["city-population"].image_key,
    }
    assert len(keys) == 3
    assert len({plain.key, sourced["city-population"].key, noted["city-population"].key}) == 1
    heights = [
        png_size(image_png(r.image_svg))[1]
        for r in (plain, sourced["city-population"], noted["city-population"])
    ]
    assert heights[0] < heights[1] < heights[2]


def test_static_svgs_are_rounded(mini: Path, tmp_path: Path) -> None:
    chart = prepare(mini).charts["city-population"]
    result = render_charts([chart], tmp_path / "cache", workers=1)["city-population"]
    numbers = re.findall(r'\s(?:d|x|y|width|height|transform)="([^"]*)"', result.svg)
    assert numbers and not any(re.search(r"\d\.\d\d", n) for n in numbers)


def test_cache_hits_and_misses(mini: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    project = prepare(mini)
    charts = list(project.charts.values())
    first = render_charts(charts, cache, workers=1)
    again = render_charts(charts, cache, workers=1)
    assert all(r.from_cache for r in again.values())
    assert {k: r.svg for k, r in again.items()} == {k: r.svg for k, r in first.items()}

    edit(mini / "data" / "regions.csv", "South,5", "South,6")
    changed = render_charts(list(prepare(mini).charts.values()), cache, workers=1)
    assert not changed["region-scores"].from_cache
    assert changed["city-population"].from_cache
    assert changed["region-scores"].key != first["region-scores"].key


@pytest.mark.slow  # a whole build
def test_parallel_render_matches_serial(mini: Path, tmp_path: Path) -> None:
    charts = list(prepare(mini).charts.values())
    serial = render_charts(charts, tmp_path / "a", workers=1)
    parallel = render_charts(charts, tmp_path / "b", workers=2)
    assert {k: r.svg for k, r in serial.items()} == {k: r.svg for k, r in parallel.items()}


def test_charts_render_while_the_build_goes_on(mini: Path, tmp_path: Path) -> None:
    """Each chart goes to the render processes as soon as it is built: by the time the build
    has every chart, each one's render has been sent; the images are those of a serial render."""
    config = replace(settings(mini), cache_dir=tmp_path / "streamed")
    renderer = Renderer(config.cache_dir, workers=2)
    project = pipeline.prepare(config, renderer)
    assert len(project.charts) > 1
    assert [chart.id for chart, *_ in renderer.jobs] == list(project.charts)
    assert all(future is not None for *_, future in renderer.jobs)
    pipeline.render(project, renderer=renderer)
    serial = render_charts(
        list(project.charts.values()), tmp_path / "serial", 1, project.sources_of
    )
    assert {k: r.svg for k, r in project.rendered.items()} == {k: r.svg for k, r in serial.items()}
    assert {k: r.image_svg for k, r in project.rendered.items()} == {
        k: r.image_svg for k, r in serial.items()
    }


def test_no_network_for_data_urls() -> None:
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
        "data": {"url": "https://example.org/data.csv"},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    outcome = render_one(json.dumps(spec), "{}")
    assert isinstance(outcome, str)  # refused, not fetched
    vega = {**BARS, "data": [{"name": "table", "url": "https://example.org/data.csv"}]}
    outcome = render_one(json.dumps(vega), "{}")
    assert isinstance(outcome, str) and "example.org" in outcome


def test_render_crash_names_the_chart(mini: Path, tmp_path: Path) -> None:
    chart = prepare(mini).charts["region-scores"]
    chart = chart.with_spec({**chart.spec, "mark": {"type": "nonexistent"}})  # the renderer throws
    with pytest.raises(RenderError) as info:
        render_charts([chart], tmp_path / "cache", workers=1)
    text = str(info.value)
    assert text.startswith("charts/cities.py:18: chart 'region-scores' could not be rendered: ")
    assert "Vega-Lite to Vega conversion failed: TypeError" in text
    assert "site-builder render region-scores --format json" in text


@pytest.mark.parametrize(
    ("change", "hint"),
    [
        ({"mark": {"type": "point", "shape": "hexagon"}}, "a mark's shape is a name (circle,"),
        (
            {"transform": [{"filter": "datum.score > threshold"}]},
            "an expression names 'threshold', which is neither a parameter of the chart nor a "
            "Vega function: a column is datum.threshold (or datum['threshold']); a parameter "
            "needs alt.param(name='threshold') added to the chart",
        ),
        (
            {"transform": [{"calculate": "datum.score +* 2", "as": "double"}]},
            "an expression (transform_calculate, transform_filter, a condition's test) is not "
            "valid: check its operators, quotes and brackets",
        ),
    ],
)
def test_a_mistake_only_the_renderer_finds_gets_its_own_hint(
    mini: Path, tmp_path: Path, change: dict[str, Any], hint: str
) -> None:
    """Its hint was 'simplify the chart', whatever the mistake."""
    chart = prepare(mini).charts["region-scores"]
    with pytest.raises(RenderError) as info:
        render_charts([chart.with_spec({**chart.spec, **change})], tmp_path / "cache", workers=1)
    assert f"\n  hint: {hint}" in str(info.value)


def test_a_faint_schemes_hint_starts_from_the_extent_it_has() -> None:
    """The hint offered [0.2, 1] to a chart that had it already."""
    from site_builder.render import _narrower_scheme

    scale = {"scheme": {"name": "viridis", "extent": [0.2, 1]}}
    spec = {"layer": [{"encoding": {"color": {"field": "v", "scale": scale}}}]}
    assert _narrower_scheme(spec) == (
        "start the colour scheme further in (its extent is [0.2, 1] now), e.g. "
        "alt.Scale(scheme={'name': 'viridis', 'extent': [0.35, 0.85]}), "
    )
    reversed_scale = {"scheme": {"name": "blues", "extent": [1, 0]}}
    assert "'extent': [0.85, 0.15]" in _narrower_scheme(
        {"encoding": {"color": {"scale": reversed_scale}}}
    )
    assert _narrower_scheme({"encoding": {"color": {"scale": {"range": ["#000"]}}}}) == ""
    narrow = {"scheme": {"name": "viridis", "extent": [0.4, 0.6]}}  # no room left to narrow
    assert _narrower_scheme({"encoding": {"color": {"scale": narrow}}}) == ""


def test_a_dense_scatter_gets_a_phone_layout_and_an_image_for_it(tmp_path: Path) -> None:
    charts = [
        built("dense", dense_scatter(2000, width=600)),
        built("sparse", dense_scatter(50, width=600)),
    ]
    result = render_charts(charts, tmp_path / "cache", workers=1)
    dense, sparse = result["dense"], result["sparse"]
    assert over_budget(dense.svg) and len(dense.svg) > SVG_BUDGET
    assert png_size(image_png(dense.image_svg))[0] == round(2 * svg_width(dense.svg))
    # Too heavy to inline too, its phone layout is shown as an image of its own, as legible
    # on a phone as any other chart's (the wide image scaled down there was not).
    assert 0 < svg_width(dense.narrow_svg) <= NARROW_ABOVE
    assert over_budget(dense.narrow_svg) and dense.has_narrow
    assert dense.heavy() and dense.heavy(".narrow.svg")
    with Image.open(io.BytesIO(image_png(stand_in_svg(dense.narrow_svg), 1))) as phone:
        assert phone.size == (svg_width(dense.narrow_svg), svg_height(dense.narrow_svg))
        ink = ImageOps.invert(phone.convert("L"))
        assert ink.getbbox() is not None  # drawn, not blank
    assert not sparse.heavy() and not sparse.heavy(".narrow.svg")
    # The same chart with few points gets its phone layout.
    assert not over_budget(sparse.svg)
    assert 0 < svg_width(sparse.narrow_svg) <= NARROW_ABOVE


def test_vega_spec_renders_as_it_is(tmp_path: Path) -> None:
    chart = built("vega-bars", BARS, title="Bars in Vega")
    result = render_charts([chart], tmp_path / "cache", workers=1)["vega-bars"]
    assert result.svg.count('fill="#4c78a8"') == 3  # three bars
    assert "East &lt;b&gt;" in result.svg
    assert "Helvetica" not in result.svg  # no Vega-Lite theme merged in
    assert result.narrow_svg == ""
    assert json.loads(result.spec_json) == BARS
    assert json.loads(result.live_json) == BARS  # vega-embed gets the spec unchanged
    width, height = svg_width(result.svg), svg_height(result.svg)
    assert png_size(image_png(result.image_svg)) == (round(2 * width), round(2 * (height + 20)))
    again = render_charts([chart], tmp_path / "cache", workers=1)["vega-bars"]
    assert again.from_cache and again.svg == result.svg


def test_vega_render_error_names_the_chart(tmp_path: Path) -> None:
    broken = {**BARS, "marks": [{"type": "nonexistent"}]}
    with pytest.raises(RenderError) as info:
        render_charts([built("vega-bars", broken)], tmp_path / "cache", workers=1)
    assert str(info.value).startswith("charts/t.py:3: chart 'vega-bars' could not be rendered: ")


def test_vega_chart_in_a_figure(tmp_path: Path) -> None:
    result = render_charts([built("vega-bars", BARS)], tmp_path / "cache", workers=1)["vega-bars"]
    html = vega_bars_body(result)
    soup = BeautifulSoup(html, "html.parser")
    holder = soup.select_one(".sb-figure__chart")
    assert not holder.has_attr("data-sb-narrow-below")  # no phone layout for Vega specs
    assert holder["data-sb-spec"] == "b.vg.json"
    (svg,) = holder.select("svg")
    assert svg["role"] == "img" and svg.find("title").get_text() == "Bars in Vega"


def test_stand_in_is_the_chart_alone() -> None:
    # A heavy chart with a legend, under a title and over a source in the download image.
    spec = dense_scatter(2000, width=560)
    spec["transform"] = [{"calculate": "datum.x > 0 ? 'b' : 'a'", "as": "group"}]
    spec["encoding"]["color"] = {"field": "group", "type": "nominal", "title": "Group"}
    caption = {"title": "A title", "subtitle": "A subtitle", "sources": ["A source"]}
    outcome = ok(render_one(_dumps(page_spec(built("dense", spec))), _dumps(caption)))
    svg = outcome[0]
    assert over_budget(svg) and "A source" in outcome[2]  # the download image says it
    # The page keeps the SVG's box for it: the image is that box, so no part of it is
    # cropped and no title or source band takes the chart's room (drawn here at twice the
    # size, as a phone shows it).
    with Image.open(io.BytesIO(image_png(stand_in_svg(svg)))) as shown:
        ink = ImageOps.invert(shown.convert("L"))  # white is 0
    assert ink.size == (round(2 * svg_width(svg)), round(2 * svg_height(svg)))
    box = re.search(r'viewBox="(-?[\d.]+) (-?[\d.]+)', svg)
    dx, dy = (float(box.group(1)), float(box.group(2))) if box else (0.0, 0.0)
    texts = text_boxes(svg)

    def inked(left: float, top: float, right: float, bottom: float) -> bool:
        crop = (2 * (left - dx), 2 * (top - dy), 2 * (right - dx), 2 * (bottom - dy))
        return ink.crop(tuple(round(v) for v in crop)).getbbox() is not None

    # Every text of the chart shows where the SVG draws it: the top axis label, the legend's
    # title, the axis titles.
    assert {"Group", "x", "y"} <= {t.text for t in texts}
    for t in texts:
        assert inked(t.left, t.top, t.right, t.bottom), t.text
    # Nothing above the chart's text or below it: no title, no source line.
    top, bottom = min(t.top for t in texts), max(t.bottom for t in texts)
    assert not inked(dx, dy, dx + svg_width(svg), top - 2)
    assert not inked(dx, bottom + 2, dx + svg_width(svg), dy + svg_height(svg))


def test_a_chart_as_wide_as_its_container_is_drawn_and_goes_live_at_one_width(
    tmp_path: Path,
) -> None:
    # A static chart has no container; a live one sized by its container was drawn for the
    # page's column inside the static chart's smaller box, its text a few px high.
    spec = {
        "data": {"values": [{"x": i, "y": i * i} for i in range(10)]},
        "mark": "line",
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y"}},
        "width": "container",
        "height": 200,
    }
    result = render_charts([built("wide", spec)], tmp_path / "cache", workers=1)["wide"]
    live = json.loads(result.live_json)
    assert "containerSize" not in result.live_json and live["width"] == 600
    assert 600 < svg_width(result.svg) <= 688  # the plot, with its axis beside it
    assert svg_height(result.svg) > 200  # nothing cut: the axis below the plot too
    assert spec["width"] == "container"  # the chart's own spec is left alone


def _wide_line_with(mark: dict[str, Any]) -> dict[str, Any]:
    """A 640 px line chart with `mark` laid over it at fixed pixels."""
    xy = {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}
    return {
        "data": {"values": [{"x": i, "y": i % 7} for i in range(30)]},
        "width": 640,
        "layer": [{"mark": "line", "encoding": xy}, {"mark": mark}],
    }


def test_a_chart_whose_text_keeps_it_from_a_phone_layout_is_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    label = "Single-trip fare raised from EUR 1.50 to EUR 1.80 on this day, after a long vote"
    spec = _wide_line_with({"type": "text", "align": "left", "text": label, "x": 40, "y": 10})
    with caplog.at_level("INFO", logger="site_builder"):
        result = render_charts([built("fare", spec)], tmp_path / "cache", workers=1)["fare"]
    assert result.narrow_svg == ""  # phones get the wide chart, scrolling
    assert json.loads(result.clipped_json)["no phone layout"] == [label]
    [message] = [r.getMessage() for r in caplog.records if "no phone layout" in r.getMessage()]
    assert "chart 'fare'" in message and label[:40] in message
    assert not [r for r in caplog.records if r.levelname == "WARNING"]  # not a failed build


def test_labels_a_phone_layout_sets_over_each_other_are_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Twelve labels apart on a 640 px line were printed over each other on a phone."""
    points = [{"x": i, "y": 10, "label": f"{20_000 + 997 * i:,}"} for i in range(12)]
    xy = {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}
    labelled = {"text": {"field": "label", "type": "nominal"}, **xy}
    spec = {
        "data": {"values": points},
        "width": 640,
        "layer": [{"mark": "line", "encoding": xy}, {"mark": "text", "encoding": labelled}],
    }
    with caplog.at_level("INFO", logger="site_builder"):
        result = render_charts([built("totals", spec)], tmp_path / "cache", workers=1)["totals"]
    assert result.narrow_svg  # a phone layout, where the labels crowd
    crowded = json.loads(result.clipped_json)["crowded"]
    assert "20,000 / 20,997" in crowded, crowded
    assert ("20,000", "20,997") not in overlapping_text(text_boxes(result.svg))  # apart, wide
    [message] = [r.getMessage() for r in caplog.records if "prints over" in r.getMessage()]
    assert "chart 'totals'" in message and "20,000 / 20,997" in message
    assert not [r for r in caplog.records if r.levelname == "WARNING"]  # not a failed build


def test_a_chart_cannot_set_the_live_views_embed_options() -> None:
    """`usermeta.embedOptions` reached the page's live view: `ast: false` broke it under the
    site's policy, `actions: true` opened a menu with the chart's own HTML in a popup."""
    import json

    from site_builder.render import render_one, themed

    spec = {
        "data": {"values": [{"a": 1}]},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
        "usermeta": {"embedOptions": {"ast": False, "actions": True}, "note": "kept"},
    }
    outcome = render_one(json.dumps(themed(spec)), "{}")
    assert not isinstance(outcome, str)
    live = json.loads(outcome[5])
    assert live["usermeta"] == {"note": "kept"}
    vega = {"$schema": "https://vega.github.io/schema/vega/v5.json", "marks": [], **spec}
    assert "embedOptions" not in themed(vega)["usermeta"]


def test_a_chart_kept_wide_by_no_text_is_reported_by_its_width(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A mark at a fixed 600 px: no text reaches past the phone's edge, the mark does.
    spec = _wide_line_with({"type": "square", "x": 600, "y": 10, "size": 200})
    with caplog.at_level("INFO", logger="site_builder"):
        result = render_charts([built("fixed", spec)], tmp_path / "cache", workers=1)["fixed"]
    assert result.narrow_svg == ""
    [message] = [r.getMessage() for r in caplog.records if "no phone layout" in r.getMessage()]
    assert "because of what it sets side by side (" in message and " px in all)" in message
    assert "\0" not in message


def test_a_live_view_that_readers_change_is_laid_out_again_on_each_change() -> None:
    still = {"autosize": {"type": "pad", "contains": "padding"}, "signals": [{"name": "w"}]}
    assert laid_out_on_change(still) == still
    menu = {"signals": [{"name": "per", "value": 1, "bind": {"input": "select"}}]}
    assert laid_out_on_change(menu)["autosize"] == {"type": "pad", "resize": True}
    # A selection in a view of a composition: its signals are in a group mark.
    brushed = {
        "autosize": "fit-x",
        "marks": [{"type": "group", "signals": [{"name": "brush", "on": [{"events": "x"}]}]}],
    }
    assert laid_out_on_change(brushed)["autosize"] == {"type": "fit-x", "resize": True}
    driven = {"autosize": {"signal": "size"}, "signals": [{"name": "s", "on": []}]}
    assert laid_out_on_change(driven) == driven  # the spec's own: left as it is
