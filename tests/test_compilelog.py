"""Vega-Lite's compile warnings: caught from vl-convert's stderr, located at the chart."""

from __future__ import annotations

import json
import os

import pytest

from site_builder.compilelog import caught_warnings, warning_problem, writers_warnings
from site_builder.render import render_one

BARS = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 2}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "a", "type": "nominal"},
        "y": {"field": "b", "type": "quantitative"},
    },
}


def test_caught_warnings_pass_other_output_on(capfd: pytest.CaptureFixture[str]) -> None:
    with caught_warnings() as found:
        os.write(2, b"WARN first\nsomething else\nWARN second\nWARN first\n")
    assert found == ["first", "second"]
    assert capfd.readouterr().err == "something else\n"


def test_render_returns_the_compile_warnings() -> None:
    ordered = {**BARS, "encoding": {**BARS["encoding"], "order": {"field": "a", "type": "nominal"}}}
    outcome = render_one(json.dumps(ordered), "{}")
    assert not isinstance(outcome, str), outcome
    assert outcome[4] == [
        "Channel order is inappropriate for nominal field, which has no inherent order."
    ]
    clean = render_one(json.dumps(BARS), "{}")
    assert not isinstance(clean, str) and clean[4] == []


def test_warning_text_and_hints() -> None:
    order = warning_problem(
        "charts/a.py",
        7,
        "bars",
        "Channel order is inappropriate for nominal field, which has no inherent order.",
    )
    assert str(order) == (
        "charts/a.py:7: chart 'bars': Vega-Lite: Channel order is inappropriate for nominal "
        "field, which has no inherent order.\n"
        "  hint: give the order channel a quantitative or ordinal field (e.g. order='rank:O'), "
        "or drop it and sort the axis with sort=[...] instead"
    )
    other = warning_problem("charts/a.py", 7, "bars", "Something new.")
    assert other.hint.startswith("Vega-Lite leaves out or changes part of what the chart")


def test_a_chart_as_wide_as_the_page_with_bars_by_category_is_no_warning() -> None:
    wide = {
        **BARS,
        "width": "container",
        "encoding": {"y": BARS["encoding"]["x"], "x": BARS["encoding"]["y"]},
    }
    outcome = render_one(json.dumps(wide), "{}")
    assert not isinstance(outcome, str), outcome
    assert outcome[4] == ['Dropping "fit-y" because spec has discrete height.']  # Vega-Lite's
    assert writers_warnings(outcome[4]) == []
    ordered = "Channel order is inappropriate for nominal field, which has no inherent order."
    assert writers_warnings([ordered, *outcome[4]]) == [ordered]
