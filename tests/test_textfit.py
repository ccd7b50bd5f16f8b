"""Text extents in a rendered chart: what falls outside the drawing is found at build time."""

from __future__ import annotations

from pathlib import Path

import pytest
import vl_convert as vlc
from conftest import run_cli
from helpers import edit

from site_builder.textfit import clipped_text, text_boxes, text_width
from site_builder.theme import THEME


def test_widths_follow_the_font() -> None:
    # Liberation Sans: "W" is wide, "i" narrow; bold is wider; an unknown glyph an em if wide.
    assert text_width("W", 1000) == 944 and text_width("i", 1000) == 222
    assert text_width("about 5%", 12, bold=True) > text_width("about 5%", 12)
    assert text_width("中国", 10) == 20


def test_boxes_follow_anchors_nesting_and_rotation() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
        '<g transform="translate(10,20)">'
        '<text text-anchor="end" transform="translate(5,0)" font-size="10px">ii</text>'
        '<text text-anchor="middle" x="40" font-size="10px">ii</text>'
        '<text transform="translate(0,0) rotate(90)" font-size="10px">ii</text>'
        '<text font-size="10px"><tspan>a</tspan><tspan x="0" dy="12">b</tspan></text>'
        "</g></svg>"
    )
    end, middle, turned, first, second = text_boxes(svg)
    assert (round(end.left, 2), round(end.right, 2)) == (10.56, 15.0)
    assert (round(middle.left, 2), round(middle.right, 2)) == (47.78, 52.22)
    # Turned a quarter: the text runs down from its anchor.
    assert round(turned.top, 2) == 20.0 and round(turned.bottom, 2) == 24.44
    assert round(second.top - first.top, 2) == 12.0


@pytest.mark.parametrize(
    ("extra", "cut"),
    [
        ({}, []),
        ({"autosize": "none"}, ["about 5%", "Malaysia refining"]),
        (
            {"title": "A long title that does not fit", "autosize": "fit-x", "width": 150},
            ["A long"],
        ),
    ],
)
def test_clipped_text_in_real_renders(extra: dict[str, object], cut: list[str]) -> None:
    spec = {
        "config": THEME,
        "data": {"values": [{"a": "about 5%", "b": 3}, {"a": "Malaysia refining", "b": 50}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "b", "type": "quantitative", "axis": {"title": None}},
            "y": {"field": "a", "type": "nominal", "axis": {"title": None}},
        },
        "width": 200,
        **extra,
    }
    found = clipped_text(vlc.vegalite_to_svg(spec, allowed_base_urls=[]))
    assert bool(found) == bool(cut)
    assert all(any(t.startswith(c) for t in found) for c in cut)


def test_labels_hidden_as_overlapping_are_not_text_cut_off() -> None:
    """Vega hides an axis label that would overlap another with opacity 0: past the edge, it
    is cut off for no reader (a strict build failed on '20,000,000')."""
    spec = {
        "config": THEME,
        "autosize": {"type": "pad"},
        "width": 263,
        "data": {"values": [{"g": "g1", "y": 20297841}, {"g": "g2", "y": 1000}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "y", "type": "quantitative"},
            "y": {"field": "g", "type": "nominal"},
        },
    }
    svg = vlc.vegalite_to_svg(spec, allowed_base_urls=[])
    assert '<text text-anchor="middle" transform="translate(' in svg and 'opacity="0"' in svg
    assert clipped_text(svg) == []
    assert "20,000,000" not in [box.text for box in text_boxes(svg)]
    assert "0" in [box.text for box in text_boxes(svg)]  # the labels shown are still there


def test_a_chart_that_cuts_its_text_fails_the_strict_build(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        'mark_point().encode(x="score:Q", y="region:N")',
        'mark_point().encode(x="score:Q", y="region:N").properties(autosize="none")',
    )
    result = run_cli(mini, "build")
    assert result.returncode == 1
    assert (
        "charts/cities.py:18: chart 'region-scores': text cut off at the edge of the drawing "
        "in it: "
    ) in result.stderr
    assert "hint: make room" in result.stderr
    assert not (mini / "site").exists()  # nothing published


def test_arabic_labels_are_not_taken_for_cut_off() -> None:
    """Arabic letters, joined, are narrower than the 0.6 em guessed for a letter the table
    lacks: labels 17 to 26 px inside the drawing were "cut off", failing the strict build."""
    import json

    import altair as alt
    import pandas as pd

    from site_builder.render import render_one, themed

    rows = pd.DataFrame(
        {
            "label": ["مصافي المعادن النادرة في الشرق الأوسط", "Rare earth refineries"],
            "v": [35, 30],
        }
    )
    bars = alt.Chart(rows).mark_bar().encode(x="v:Q", y=alt.Y("label:N", title=None))
    outcome = render_one(json.dumps(themed(bars.to_dict())), "{}")
    assert not isinstance(outcome, str)
    assert json.loads(outcome[3]) == {"phone": [], "wide": []}
    assert text_width("\u064e", 12) == 0  # a vowel mark sits on its letter
