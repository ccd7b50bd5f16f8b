"""Layouts for phones and for the browser, derived from the page spec."""

from __future__ import annotations

from site_builder.variants import interactive_spec, narrow_spec, svg_width


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


def test_svg_width() -> None:
    assert svg_width('<svg xmlns="x" class="marks" width="582.5" height="1">') == 582.5
