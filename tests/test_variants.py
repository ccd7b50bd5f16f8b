"""Layouts for phones and for the browser, derived from the page spec."""

from __future__ import annotations

from site_builder.variants import (
    interactive_spec,
    is_fluid,
    is_vega,
    narrow_spec,
    svg_height,
    svg_width,
)

VEGA = {
    "$schema": "https://vega.github.io/schema/vega/v6.json",
    "width": 500,
    "data": [{"name": "table", "values": [{"a": 1}]}],
    "marks": [{"type": "rect", "from": {"data": "table"}}],
}


def test_single_view_fits_the_phone_width() -> None:
    spec = {"mark": "bar", "width": 500}
    narrow = narrow_spec(spec, 620)
    assert narrow == {
        "mark": "bar",
        "width": 340,
        "autosize": {"type": "fit-x", "contains": "padding"},
    }
    assert spec == {"mark": "bar", "width": 500}  # the page spec is left alone


def test_narrow_enough_charts_need_no_variant() -> None:
    assert narrow_spec({"mark": "bar"}, 360) is None


def test_compositions_shrink_each_view() -> None:
    spec = {"hconcat": [{"mark": "point", "width": 200}, {"mark": "text", "width": 300}]}
    narrow = narrow_spec(spec, 600)
    assert narrow is not None
    assert [v["width"] for v in narrow["hconcat"]] == [113, 170]
    assert narrow["config"]["view"]["continuousWidth"] == 170


def test_interactive_single_views_follow_the_container() -> None:
    assert interactive_spec({"mark": "bar", "width": 400})["width"] == "container"
    assert "width" not in interactive_spec({"vconcat": [{"mark": "bar"}]})


def test_svg_size() -> None:
    assert svg_width('<svg xmlns="x" class="marks" width="582.5" height="1">') == 582.5
    assert svg_height('<svg xmlns="x" class="marks" width="582.5" height="101">') == 101


def test_vega_is_told_apart_from_vega_lite() -> None:
    assert is_vega(VEGA)
    assert is_vega({**VEGA, "$schema": "https://vega.github.io/schema/vega/v5.json"})
    assert not is_vega({"$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json"})
    assert not is_vega({"mark": "bar", "data": {"values": []}})
    assert is_vega({"marks": [], "data": []})  # no schema: Vega has a list of marks
    assert not is_vega({})


def test_vega_specs_have_no_variants() -> None:
    assert narrow_spec(VEGA, 620) is None
    assert interactive_spec(VEGA) == VEGA
    assert not is_fluid(VEGA)
    assert is_fluid({"mark": "bar"}) and not is_fluid({"hconcat": []})
