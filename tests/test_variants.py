"""Layouts for phones and for the browser, derived from the page spec."""

from __future__ import annotations

import re

from site_builder.textfit import text_width
from site_builder.variants import (
    NARROW_WIDTH,
    breakpoint_css,
    is_single_view,
    is_vega,
    narrow_below,
    narrow_spec,
    padded_spec,
    svg_height,
    svg_width,
    uses_pointer_position,
    with_phone_label_limits,
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
    assert narrow is not None
    assert narrow["width"] == NARROW_WIDTH == 312
    assert narrow["autosize"] == {"type": "fit-x", "contains": "padding"}
    # Legends on top in columns, long labels cut (the table has them whole), short ticks.
    assert narrow["config"]["legend"]["orient"] == "top"
    assert narrow["config"]["axis"] == {"labelLimit": 125, "tickSize": 3}
    assert spec == {"mark": "bar", "width": 500}  # the page spec is left alone


def test_bars_along_a_continuous_axis_thin_with_their_plot() -> None:
    """A hundred months of bars 5 px wide, 6 px apart on the page, merged into one block on
    a phone: each kept its 5 px on a plot half as wide."""
    spec = {
        "encoding": {
            "x": {"field": "month", "type": "temporal"},
            "y": {"field": "v", "type": "quantitative"},
        },
        "layer": [{"mark": "bar"}, {"mark": {"type": "bar", "width": 4}}],
        "width": 600,
    }
    narrow = narrow_spec(spec, 650)  # the axes took 50 px, as they will on the phone
    assert narrow is not None
    ratio = (NARROW_WIDTH - 50) / 600
    assert narrow["config"]["bar"]["continuousBandSize"] == round(5 * ratio, 1)
    assert narrow["layer"][1]["mark"]["width"] == round(4 * ratio, 1)
    # Bars lying along y keep their thickness: the chart's height does not shrink.
    lying = {
        "mark": {"type": "bar", "size": 14},
        "encoding": {
            "x": {"field": "v", "type": "quantitative"},
            "y": {"field": "name", "type": "nominal"},
        },
        "width": 600,
    }
    narrow = narrow_spec(lying, 650)
    assert narrow is not None and narrow["mark"]["size"] == 14
    assert "continuousBandSize" not in narrow["config"].get("bar", {})


def test_narrow_enough_charts_need_no_variant() -> None:
    assert narrow_spec({"mark": "bar"}, 314) is None


def test_compositions_shrink_each_view() -> None:
    spec = {"hconcat": [{"mark": "point", "width": 200}, {"mark": "text", "width": 300}]}
    narrow = narrow_spec(spec, 600)
    assert narrow is not None
    assert [v["width"] for v in narrow["hconcat"]] == [104, 156]
    assert narrow["config"]["view"]["continuousWidth"] == 156


def test_legend_columns_follow_the_labels() -> None:
    rows = [{"k": name} for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")]
    spec = {
        "data": {"values": rows},
        "mark": "line",
        "encoding": {"color": {"field": "k", "type": "nominal"}},
        "config": {"legend": {"labelFontSize": 12}},
    }
    narrow = narrow_spec(spec, 600)
    assert narrow is not None
    # "Charlie" and its symbol, in about half the width (a legend starts where the plot does).
    assert narrow["config"]["legend"]["columns"] == 2
    long = {**spec, "data": {"values": [{"k": "A very long category name " * 2}, {"k": "B"}]}}
    narrow = narrow_spec(long, 600)
    assert narrow is not None and narrow["config"]["legend"]["columns"] == 1
    # A legend the writer placed stays where it is.
    placed = {**spec, "config": {"legend": {"orient": "right"}}}
    assert narrow_spec(placed, 600)["config"]["legend"]["orient"] == "right"  # type: ignore[index]


def test_label_limits_the_writer_set_wider_are_cut_to_the_phone() -> None:
    """For a phone layout that came out too wide: a wide labelLimit (or none: 0) in an axis,
    a legend, a facet header or the config cut to the phone layout's own."""
    spec = {
        "data": {"values": [{"a": "x", "labelLimit": 999}]},
        "mark": "line",
        "encoding": {
            "y": {"field": "a", "type": "nominal", "axis": {"labelLimit": 500}},
            "x": {"field": "b", "type": "quantitative", "axis": {"labelLimit": 40}},
            "color": {"field": "a", "type": "nominal", "legend": {"labelLimit": 400}},
            "column": {"field": "a", "header": {"labelLimit": 0}},
        },
        "config": {"axisY": {"labelLimit": 0}, "legend": {"labelLimit": 300}},
    }
    capped = with_phone_label_limits(spec)
    assert capped is not None
    encoding, config = capped["encoding"], capped["config"]
    assert encoding["y"]["axis"]["labelLimit"] == config["axisY"]["labelLimit"] == 125
    assert encoding["x"]["axis"]["labelLimit"] == 40  # narrower already: kept
    assert encoding["column"]["header"]["labelLimit"] == 125
    assert encoding["color"]["legend"]["labelLimit"] == config["legend"]["labelLimit"] == 126
    assert capped["data"]["values"][0]["labelLimit"] == 999  # data is not layout
    assert spec["encoding"]["y"]["axis"] == {"labelLimit": 500}  # type: ignore[index]
    assert with_phone_label_limits({"mark": "bar", "encoding": {"x": {"axis": {}}}}) is None


def test_long_titles_wrap_on_phones() -> None:
    title = "A very long title that certainly does not fit on one line of a phone layout"
    narrow = narrow_spec({"mark": "bar", "title": title}, 600)
    assert narrow is not None
    lines = narrow["title"]["text"]
    assert isinstance(lines, list) and len(lines) == 2
    assert " ".join(lines) == title
    assert all(text_width(line, 13, bold=True) <= NARROW_WIDTH - 8 for line in lines)


def test_padded_layout_makes_room_for_overhangs() -> None:
    narrow = narrow_spec({"mark": "bar", "width": 500}, 600)
    assert narrow is not None
    padded = padded_spec(narrow, 400)  # drawn 88 px too wide with everything counted
    assert padded["autosize"] == {"type": "pad"} and padded["width"] == 312 - 88


def test_faceted_encodings_are_compositions() -> None:
    assert not is_single_view({"mark": "bar", "encoding": {"column": {"field": "r"}}})
    narrow = narrow_spec({"mark": "bar", "width": 220, "encoding": {"row": {"field": "r"}}}, 500)
    assert narrow is not None and "autosize" not in narrow  # no fit: it would draw nothing


def test_pointer_position_charts_are_found() -> None:
    brush = {"params": [{"name": "b", "select": {"type": "interval"}}], "mark": "point"}
    assert uses_pointer_position(brush)
    assert uses_pointer_position({"vconcat": [brush]})
    zoom = {"params": [{"name": "z", "select": "interval", "bind": "scales"}]}
    assert uses_pointer_position({"layer": [zoom]})
    hover = {"params": [{"name": "h", "select": {"type": "point", "on": "pointerover"}}]}
    assert not uses_pointer_position(hover)


def test_breakpoints() -> None:
    # The phone layout shows once the wide one would be scaled below 11/12 (in 4 px steps).
    assert narrow_below(600, exact=False) == 552
    assert narrow_below(600, exact=True) == 600
    # On a laptop too: a 767 px chart (703 px scaled) does not fit a 688 px column.
    assert narrow_below(767, exact=False) == 704
    assert narrow_below(728, exact=True) == 728
    # A 744 px chart (682 px scaled) does: its wide layout shows there (with 20 px steps, its
    # breakpoint was 700).
    assert narrow_below(744, exact=False) == 684
    # Far wider than any column: made to scroll, which it does but on phones.
    assert narrow_below(1200, exact=False) == 600
    css = breakpoint_css()
    assert '@container (max-width: 551.98px) { .sb-figure__chart[data-sb-narrow-below="552"]' in css
    assert '[data-sb-narrow-below="684"]' in css and '[data-sb-narrow-below="800"]' in css


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


def test_every_breakpoint_a_chart_gets_has_its_rule() -> None:
    """With 4 px steps the rules began at 312, and a chart 315 to 338 px wide (breakpoints 292
    to 308) had none: without JavaScript, phones showed its wide drawing squeezed."""
    css = breakpoint_css()
    for width in range(315, 1201):
        for exact in (False, True):
            below = narrow_below(width, exact)
            assert f'[data-sb-narrow-below="{below}"]' in css, (width, exact, below)


def test_slanted_labels_on_a_phone_are_not_thinned_by_their_upright_boxes() -> None:
    import vl_convert as vlc

    names = [f"Step {i} of the budget" for i in range(9)]
    rows = [{"step": name, "amount": 10 * i} for i, name in enumerate(names)]
    x = {"field": "step", "type": "nominal", "sort": None}
    spec = {
        "data": {"values": rows},
        "mark": "bar",
        "width": 500,
        "encoding": {"x": x, "y": {"field": "amount", "type": "quantitative"}},
    }
    upright = narrow_spec(spec, 620)
    assert upright is not None
    assert upright["config"]["axisXDiscrete"]["labelOverlap"] == "parity"
    slanted = {**spec, "encoding": {**spec["encoding"], "x": {**x, "axis": {"labelAngle": -45}}}}
    narrow = narrow_spec(slanted, 620)
    assert narrow is not None and "axisXDiscrete" not in narrow["config"]
    # Drawn, every name shows (Vega hides a label it thins out with opacity 0): slanted,
    # they do not touch.
    thinned = {
        **narrow,
        "config": {**narrow["config"], "axisXDiscrete": {"labelOverlap": "parity"}},
    }
    hidden = []
    for layout in (narrow, thinned):
        labels = re.findall(r"<text[^>]*>Step \d", vlc.vegalite_to_svg(layout))
        assert len(labels) == len(names)
        hidden.append(sum('opacity="0"' in label for label in labels))
    assert hidden[0] == 0 and hidden[1] >= len(names) // 2, hidden  # thinned, most went
