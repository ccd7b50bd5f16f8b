"""The phone layout, drawn with the real renderer in as few drawings as the chart allows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import altair as alt
import pandas as pd
import pytest
import vl_convert

from site_builder.phone import (
    AIM,
    MIN_PANEL,
    SLACK,
    fits,
    shrinking_width,
    wrapped_facets,
    wrapped_views,
)
from site_builder.render import render_one, themed
from site_builder.textfit import clipped_text, text_boxes
from site_builder.variants import NARROW_WIDTH, svg_height, svg_width


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The Vega specs vl-convert draws (it still draws each of them)."""
    drawn: list[dict[str, Any]] = []
    real = vl_convert.vega_to_svg

    def counted(spec: dict[str, Any], **kwargs: Any) -> str:
        drawn.append(spec)
        return real(spec, **kwargs)

    monkeypatch.setattr(vl_convert, "vega_to_svg", counted)
    yield drawn


def phone(spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The chart's phone SVG and the Vega it was drawn from."""
    outcome = render_one(json.dumps(themed(spec)), "{}")
    assert not isinstance(outcome, str), outcome
    narrow, narrow_live = outcome[1], outcome[6]
    assert narrow, "the chart has a phone layout"
    return narrow, json.loads(narrow_live)


def test_a_single_view_is_drawn_once_at_its_own_size(drawings: list[dict[str, Any]]) -> None:
    """Its plot width is known from the wide drawing, its legend on the right left out (a
    phone's goes on top): one drawing, not fitted by Vega (which lays a chart out twice)."""
    rows = [{"x": i, "y": i % 7, "group": f"group {i % 4}"} for i in range(60)]
    spec = alt.Chart(pd.DataFrame(rows)).mark_point().encode(x="x:Q", y="y:Q", color="group:N")
    narrow, vega = phone(spec.to_dict())
    assert len(drawings) == 2  # the wide layout and the phone's
    assert vega.get("autosize", "pad") in ("pad", {"type": "pad"})  # Vega's default: pad
    assert NARROW_WIDTH - SLACK <= svg_width(narrow) <= NARROW_WIDTH
    assert clipped_text(narrow) == []


@pytest.mark.parametrize(
    ("config", "autosize"),
    [
        # The writer's place: the legend stays there, laid out in columns, so Vega fits it.
        ({"legend": {"orient": "right"}}, {"type": "fit-x", "contains": "padding"}),
        # A background colour: a rectangle before the drawing's origin.
        ({"background": "#fafafa"}, "pad"),
    ],
)
def test_what_the_writer_set_takes_no_more_drawings(
    config: dict[str, Any], autosize: Any, drawings: list[dict[str, Any]]
) -> None:
    rows = [{"x": i, "y": i % 7, "group": f"group {i % 4}"} for i in range(60)]
    chart = alt.Chart(pd.DataFrame(rows)).mark_point().encode(x="x:Q", y="y:Q", color="group:N")
    spec = chart.to_dict()
    spec["config"] = {**spec.get("config", {}), **config}
    narrow, vega = phone(spec)
    assert len(drawings) == 2
    assert vega.get("autosize", "pad") == autosize
    assert fits(svg_width(narrow), NARROW_WIDTH)
    assert clipped_text(narrow) == []


def test_labels_beside_marks_take_one_drawing_more_at_most(
    drawings: list[dict[str, Any]],
) -> None:
    """Labels right of the marks that fitting would cut off: the room they take in the wide
    drawing is kept for them in the phone's."""
    rows = pd.DataFrame(
        {
            "deal": ["Aug · H20", "Aug · MI308", "Dec · H200", "Jan · H200, MI325X class"],
            "take": [15, 15, 25, 25],
            "shown": ["15%", "15%", "25%", "25%"],
        }
    )
    x = alt.X("take:Q", scale=alt.Scale(domain=[0, 30]), axis=alt.Axis(values=[0, 10, 20, 30]))
    y = alt.Y("deal:N", sort=None, title=None, axis=alt.Axis(labelLimit=200))
    base = alt.Chart(rows).encode(x=x, y=y)
    spec = alt.layer(
        base.mark_rule().encode(x2=alt.datum(0)),
        base.mark_point(size=150, filled=True),
        base.mark_text(align="left", dx=10).encode(text="shown:N"),
    ).properties(width=200)
    narrow, _ = phone(spec.to_dict())
    assert len(drawings) <= 3  # was 6: fitted, padded at full width, then three retries
    assert fits(svg_width(narrow), NARROW_WIDTH)
    assert clipped_text(narrow) == []


def test_a_composition_is_drawn_once_for_phones(drawings: list[dict[str, Any]]) -> None:
    """Panels shrink, their axes do not: with the panels' width known from the spec, the
    ratio that brings the whole to the phone's width is found before drawing."""
    rows = pd.DataFrame(
        {
            "year": [str(y) for y in range(2015, 2025)] * 2,
            "units": range(20),
            "region": ["N", "S"] * 10,
        }
    )
    narrow, _ = phone(_bars_by_region(rows, "year:O", 220, 140))
    assert len(drawings) == 2  # was 3 or 4
    assert fits(svg_width(narrow), NARROW_WIDTH)
    assert svg_width(narrow) <= NARROW_WIDTH - AIM + 2


def test_a_row_of_many_facets_wraps_on_phones() -> None:
    """Five panels of bars in a row would shrink below what can be read on a phone (the chart
    got no phone layout at all): the phone layout wraps them in rows of two."""
    rows = pd.DataFrame(
        {
            "product": ["Alpha", "Bravo", "Charlie", "Delta"] * 5,
            "units": range(20),
            "region": [r for r in ("Centre", "East", "North", "South", "West") for _ in range(4)],
        }
    )
    narrow, live = phone(_bars_by_region(rows, "product:N", 120, 160))
    assert fits(svg_width(narrow), NARROW_WIDTH)
    assert narrow.count('class="mark-rect role-mark') == 5  # every panel is drawn
    assert live["layout"]["columns"] == 2  # the live phone layout as drawn


def test_views_side_by_side_stack_on_phones() -> None:
    """Three histograms of 220 px side by side shrunk to a phone's width are too thin to read
    (the chart got no phone layout, and scrolled): stacked, each is drawn at the width."""
    rows = pd.DataFrame({"a": range(40), "b": [i % 7 for i in range(40)], "c": range(0, 80, 2)})

    def histogram(field: str) -> alt.Chart:
        return (
            alt.Chart(rows)
            .mark_bar()
            .encode(x=alt.X(f"{field}:Q", bin=True), y="count():Q")
            .properties(width=220, height=120)
        )

    narrow, live = phone(alt.hconcat(*map(histogram, "abc")).to_dict())
    assert fits(svg_width(narrow), NARROW_WIDTH)
    assert narrow.count('class="mark-rect role-mark') == 3  # every view is drawn
    assert live["layout"]["columns"] == 1  # stacked, in the live phone layout too
    by_column = alt.X(alt.repeat("column"), type="quantitative", bin=True)
    repeated = phone(histogram("a").encode(x=by_column).repeat(column=list("abc")).to_dict())
    assert fits(svg_width(repeated[0]), NARROW_WIDTH)
    # Each view still draws its own column, stacked.
    assert all(f"{c} (binned)" in repeated[0] for c in "abc")
    assert repeated[0].count('class="mark-rect role-mark') == 3


def test_which_views_wrap() -> None:
    views = {"hconcat": [{"mark": "bar"}] * 3}
    assert wrapped_views(views, 660, 250) == {"concat": views["hconcat"], "columns": 2}
    assert wrapped_views(views, 660, 120) == {"concat": views["hconcat"], "columns": 1}
    assert wrapped_views(views, 660, 3 * MIN_PANEL + 40) is None  # they fit in one row
    repeat = {"repeat": {"column": ["a", "b", "c"]}, "spec": {"mark": "bar"}}
    assert wrapped_views(repeat, 660, 120) == {**repeat, "repeat": ["a", "b", "c"], "columns": 1}
    assert wrapped_views({"repeat": {"row": ["a"], "column": ["b", "c"]}}, 600, 120) is None
    assert wrapped_views({"vconcat": [{}, {}]}, 600, 120) is None


def test_which_facets_wrap() -> None:
    rows = [{"r": r} for r in "ABCDE"]
    view = {"mark": "bar", "width": 120, "datasets": {"d": rows}}
    column = {**view, "encoding": {"column": {"field": "r"}, "y": {"field": "v"}}}
    wrapped = wrapped_facets(column, 600, 250)
    assert wrapped is not None
    assert wrapped["encoding"] == {"facet": {"field": "r", "columns": 2}, "y": {"field": "v"}}
    assert column["encoding"]["column"] == {"field": "r"}  # type: ignore[index]  # a copy
    # The facet operator's column; a facet wrapped already, in fewer columns.
    operator = {"facet": {"column": {"field": "r"}}, "spec": {"mark": "bar", "width": 120}}
    operator["datasets"] = {"d": rows}
    assert wrapped_facets(operator, 600, 250) == {**operator, "facet": {"field": "r"}, "columns": 2}
    again = {**view, "encoding": {"facet": {"field": "r", "columns": 3}}}
    assert wrapped_facets(again, 360, 250)["encoding"]["facet"]["columns"] == 2  # type: ignore[index]
    # Panels that fit the room at MIN_PANEL px (or their own width), grids and unknown counts.
    assert wrapped_facets(column, 600, 5 * MIN_PANEL) is None
    assert wrapped_facets({**column, "width": 40}, 200, 200) is None
    grid = {**view, "encoding": {"column": {"field": "r"}, "row": {"field": "r"}}}
    assert wrapped_facets(grid, 600, 250) is None
    assert wrapped_facets({**column, "datasets": {}}, 600, 250) is None


def _bars_by_region(rows: pd.DataFrame, x: str, width: int, height: int) -> dict[str, Any]:
    """Bars of units, one panel per region in a row."""
    chart = alt.Chart(rows).mark_bar().encode(x=x, y="sum(units):Q", column="region:N")
    return chart.properties(width=width, height=height).to_dict()  # type: ignore[no-any-return]


def test_the_width_kept() -> None:
    assert fits(NARROW_WIDTH, NARROW_WIDTH) and fits(NARROW_WIDTH - SLACK, NARROW_WIDTH)
    assert not fits(NARROW_WIDTH + 1, NARROW_WIDTH)
    assert not fits(NARROW_WIDTH - SLACK - 1, NARROW_WIDTH)


def test_the_width_that_shrinks_in_a_composition() -> None:
    view = {"mark": "bar", "width": 200}
    assert shrinking_width({"hconcat": [view, {**view, "width": 100}]}) == 300
    assert shrinking_width({"vconcat": [view, {**view, "width": 100}]}) == 200
    assert shrinking_width({"concat": [view] * 3, "columns": 2}) == 400
    assert shrinking_width({"repeat": {"column": ["a", "b"], "row": ["c"]}, "spec": view}) == 400
    # Views without a width: the configured continuous width; as wide as their categories: none.
    config = {"view": {"continuousWidth": 250}}
    plain = {"mark": "line", "encoding": {"x": {"field": "t", "type": "quantitative"}}}
    by_kind = {"mark": "bar", "encoding": {"x": {"field": "k", "type": "nominal"}}}
    assert shrinking_width({"hconcat": [plain, by_kind], "config": config}) == 250
    # Facets: as many as the rows have values.
    rows = [{"region": r} for r in ("N", "S", "N", "E")]
    faceted = {**view, "encoding": {"column": {"field": "region"}}, "datasets": {"d": rows}}
    assert shrinking_width(faceted) == 600
    assert shrinking_width({**faceted, "datasets": {}}) == 0  # cannot tell


def test_a_label_limit_wider_than_a_phone_is_cut_only_when_it_must_be() -> None:
    """Labels the writer let run to 170 px still fit a phone layout, and keep their limit;
    at 500 px there was no phone layout at all: then they are cut to the phone's (125 px)."""
    name = "An agency whose name runs on for quite a long way indeed"
    rows = pd.DataFrame({"agency": [name, "B"], "n": [3, 5]})

    def label_width(limit: int) -> float:
        axis = alt.Axis(labelLimit=limit, labelFontSize=11)
        spec = alt.Chart(rows).mark_bar().encode(x="n:Q", y=alt.Y("agency:N", axis=axis))
        narrow, _ = phone(spec.to_dict())
        assert fits(svg_width(narrow), NARROW_WIDTH)
        label = next(box for box in text_boxes(narrow) if box.text.startswith("An agency"))
        assert label.text.endswith("…")  # cut with an ellipsis; the data table has it whole
        return label.right - label.left

    assert 127 < label_width(170) <= 172  # Vega measures the ellipsis its own way
    assert label_width(500) <= 127


def _overlapping(svg: str) -> list[tuple[str, str]]:
    """Pairs of text lines drawn over each other."""
    boxes = text_boxes(svg)
    return [
        (a.text, b.text)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a.left < b.right - 1
        and b.left < a.right - 1
        and a.top < b.bottom - 1
        and b.top < a.bottom - 1
    ]


def test_many_bars_turn_on_their_side_on_phones() -> None:
    """Forty upright bars at a phone's width leave 7 px for each label: they printed over each
    other. On their side each label has a line, and the sort follows the values."""
    names = [f"Region {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(40)]
    rows = pd.DataFrame({"region": names, "v": [(i * 37) % 100 + 5 for i in range(40)]})
    bars = (
        alt.Chart(rows)
        .mark_bar()
        .encode(x=alt.X("region:N", sort="-y", axis=alt.Axis(labelAngle=-45)), y="sum(v):Q")
    )
    narrow, live = phone(bars.properties(width=alt.Step(20)).to_dict())
    assert fits(svg_width(narrow), NARROW_WIDTH)
    assert clipped_text(narrow) == [] and _overlapping(narrow) == []
    labels = [b for b in text_boxes(narrow) if b.text.startswith("Region")]
    assert len(labels) == 40
    tops = [b.top for b in labels]
    assert tops == sorted(tops)  # down the side, one under the other
    largest = max(names, key=lambda n: rows.set_index("region").v[n])
    assert labels[0].text == largest  # the longest bar first, as the writer sorted them
    assert live["marks"][0]["encode"]["update"]["height"]  # drawn as bars across, live too
    # The wide layout keeps them upright.
    wide = render_one(json.dumps(themed(bars.properties(width=alt.Step(20)).to_dict())), "{}")
    assert not isinstance(wide, str)
    wide_labels = [b for b in text_boxes(wide[0]) if b.text.startswith("Region")]
    assert {round(b.bottom) for b in wide_labels} != {round(b.bottom) for b in labels}


def test_few_bars_or_years_stay_upright_on_phones() -> None:
    """Ten bars fit a phone's width; years read in order along the bottom, as the writer
    drew them (a phone thins their labels rather than turning the bars)."""
    few = pd.DataFrame({"k": list("ABCDEFGHIJ"), "v": range(10)})
    years = pd.DataFrame({"year": [str(y) for y in range(1990, 2030)], "v": range(40)})
    for rows, x, categories in (
        (few, "k:N", set("ABCDEFGHIJ")),
        (years, "year:O", set(years.year)),
    ):
        spec = alt.Chart(rows).mark_bar().encode(x=x, y="v:Q").properties(width=600).to_dict()
        narrow, _ = phone(spec)
        labels = [b for b in text_boxes(narrow) if b.text in categories]
        assert labels
        across = max(b.right for b in labels) - min(b.left for b in labels)
        down = max(b.bottom for b in labels) - min(b.top for b in labels)
        assert across > down  # along the bottom
        assert max(b.top for b in labels) > 200  # under the plot, not beside it
        assert _overlapping(narrow) == []


def test_a_map_is_as_much_shorter_on_phones_as_it_is_narrower() -> None:
    """A 640 x 400 map drawn 302 px wide kept its 400 px height: its projection fitted the
    width, and blank bands of some 100 px lay above and below it."""
    lands = [
        {
            "type": "Feature",
            "properties": {"n": f"R{i}"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[x, 0], [x + 8, 0], [x + 8, 30], [x, 30], [x, 0]]],
            },
        }
        for i, x in enumerate(range(-60, 40, 10))
    ]
    shape = alt.Chart(alt.Data(values=lands)).mark_geoshape(fill="#777777", stroke="#ffffff")
    for chart in (shape, alt.layer(shape, shape.mark_geoshape(filled=False))):
        spec = chart.project(type="equalEarth").properties(width=640, height=400).to_dict()
        narrow, _ = phone(spec)
        assert fits(svg_width(narrow), NARROW_WIDTH)
        assert svg_height(narrow) < 240  # 400 x 312 / 640, and the padding


def test_bars_turned_on_their_side_leave_their_old_sides_settings() -> None:
    """A value axis the writer put on the right stayed "right" once turned: its numbers ran
    down the right edge. Months of a date column are twelve bars, not one per cell."""
    names = [f"Region {i:02d}" for i in range(30)]
    rows = pd.DataFrame({"region": names, "v": range(30)})
    right = alt.Y("v:Q", axis=alt.Axis(orient="right", titleAngle=0))
    spec = alt.Chart(rows).mark_bar().encode(x="region:N", y=right).properties(width=600)
    narrow, _ = phone(spec.to_dict())
    values = [b for b in text_boxes(narrow) if b.text in ("0", "10", "20")]
    assert values and len({round(b.top) for b in values}) == 1  # across the bottom
    days = pd.DataFrame({"day": pd.date_range("2024-01-01", periods=336, freq="D"), "v": 1})
    months = alt.Chart(days).mark_bar().encode(x="month(day):N", y="sum(v):Q")
    narrow, _ = phone(months.properties(width=600).to_dict())
    january = [b for b in text_boxes(narrow) if b.text.startswith("Jan")]
    assert january and january[0].top > 100  # along the bottom, upright bars
