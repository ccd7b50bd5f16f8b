"""Rendering with vl-convert: SVG and 2x PNG, offline, cached by content."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from helpers import edit, prepare

from site_builder.errors import RenderError
from site_builder.render import render_charts, render_one, themed_specs


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_svg_and_png_at_twice_the_size(mini: Path, tmp_path: Path) -> None:
    chart = prepare(mini).charts["city-population"]
    result = render_charts([chart], tmp_path / "cache", workers=1)["city-population"]
    assert result.svg.startswith("<svg") and "Windhoek" in result.svg
    assert "&lt;script&gt;" in result.svg  # data text is escaped by the renderer
    width = int(result.svg.split('width="')[1].split('"')[0])
    png_w, _ = png_size(result.png)
    assert png_w >= 2 * width  # the PNG also carries the title, so it may be wider
    assert not result.from_cache


def test_png_has_the_title_and_page_spec_does_not(mini: Path) -> None:
    chart = prepare(mini).charts["city-population"]
    page, image = themed_specs(chart)
    assert "title" not in page
    assert image["title"]["text"] == "Windhoek is the largest <b>city</b>"
    assert page["config"]["font"].startswith("Helvetica")


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


def test_parallel_render_matches_serial(mini: Path, tmp_path: Path) -> None:
    charts = list(prepare(mini).charts.values())
    serial = render_charts(charts, tmp_path / "a", workers=1)
    parallel = render_charts(charts, tmp_path / "b", workers=2)
    assert {k: r.svg for k, r in serial.items()} == {k: r.svg for k, r in parallel.items()}


def test_no_network_for_data_urls() -> None:
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
        "data": {"url": "https://example.org/data.csv"},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    import json

    outcome = render_one(json.dumps(spec), json.dumps(spec))
    assert isinstance(outcome, str)  # refused, not fetched


def test_render_crash_names_the_chart(mini: Path, tmp_path: Path) -> None:
    chart = prepare(mini).charts["region-scores"]
    chart.spec["mark"] = {"type": "nonexistent"}  # the renderer throws on this
    with pytest.raises(RenderError) as info:
        render_charts([chart], tmp_path / "cache", workers=1)
    text = str(info.value)
    assert text.startswith("charts/cities.py:18: chart 'region-scores' could not be rendered: ")
    assert "Vega-Lite to SVG conversion failed: TypeError" in text
    assert "site-builder render region-scores --format json" in text
