"""The compile without its rows gives what the whole compile gives, to the byte."""

from __future__ import annotations

import json
from typing import Any

import pytest
import vl_convert as vlc

from site_builder import tovega
from site_builder.tovega import to_vega

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.1.0.json"
# Whole numbers at the edges of what V8 holds as an integer, and past them.
EDGES = [
    *(0.0, -0.0, 1.0, -5.0, 0.5, -2.25, 1e-7, 5e-324, 1e300, -1e300),
    *(2.0**31 - 1, 2.0**31, -(2.0**31), -(2.0**31) - 1, 2.0**32 - 1, 2.0**32, 2.0**53),
    *(0, 3, -7, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**32 - 1, 2**32, 2**53, 2**63 - 1),
]


def _spec(datasets: dict[str, list[Any]], **more: Any) -> dict[str, Any]:
    name = next(iter(datasets))
    return {
        "$schema": SCHEMA,
        "datasets": datasets,
        "data": {"name": name},
        "mark": "point",
        "encoding": {"x": {"field": "v", "type": "quantitative"}},
        **more,
    }


class _Counted:
    """vl_convert, its compiles counted."""

    def __init__(self) -> None:
        self.compiles = 0

    def vegalite_to_vega(self, spec: dict[str, Any], **kwargs: Any) -> Any:
        self.compiles += 1
        return vlc.vegalite_to_vega(spec, **kwargs)


def _same(spec: dict[str, Any]) -> None:
    """Byte for byte the whole compile's Vega, from one compile without the rows."""
    tovega._ready.clear()
    whole = vlc.vegalite_to_vega(spec, vl_version="6.1")
    counted = _Counted()
    # Sorted keys as the build writes the Vega: 5 and 5.0 are different bytes.
    assert json.dumps(to_vega(counted, spec, "6.1"), sort_keys=True) == json.dumps(
        whole, sort_keys=True
    )
    assert counted.compiles == 1


@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_a_number_comes_back_as_the_whole_compile_gives_it(value: Any) -> None:
    _same(_spec({"d": [{"v": value, "w": "x"}]}))


def test_rows_of_text_nested_values_and_missing_cells() -> None:
    rows = [
        {"v": 1.5, "name": "Zürich \u2028 <b>", "ok": True, "none": None},
        {"v": 2.0, "geometry": {"type": "Point", "coordinates": [10.0, -3.5]}, "list": [1.0, 2]},
        {"v": -0.0},
    ]
    _same(_spec({"d": rows}))


def test_two_datasets_one_of_them_unused() -> None:
    _same(_spec({"d": [{"v": 1.0}], "unused": [{"v": 2.5}]}))


def test_a_layered_chart_over_two_datasets() -> None:
    spec = {
        "$schema": SCHEMA,
        "datasets": {"a": [{"v": 1.0, "u": 2}], "b": [{"v": 3.25, "u": 4.0}]},
        "layer": [
            {"data": {"name": "a"}, "mark": "point", "encoding": {"x": {"field": "v"}}},
            {"data": {"name": "b"}, "mark": "line", "encoding": {"x": {"field": "u"}}},
        ],
    }
    _same(spec)


def test_the_rows_are_left_out_of_the_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    compile_ = vlc.vegalite_to_vega

    def spy(spec: dict[str, Any], **kwargs: Any) -> Any:
        seen.append(spec["datasets"])
        return compile_(spec, **kwargs)

    monkeypatch.setattr(vlc, "vegalite_to_vega", spy)
    tovega._ready.clear()
    rows = [{"v": float(i) + 0.5} for i in range(100)]
    vega = to_vega(vlc, _spec({"d": rows}), "6.1")
    assert seen == [{"d": []}]
    assert vega["data"][0]["values"] == rows


def test_the_compile_reports_the_same_warnings() -> None:
    from site_builder.compilelog import caught_warnings

    spec = _spec(
        {"d": [{"v": 1.5, "b": "x"}]},
        mark="bar",
        encoding={"x": {"field": "v", "type": "quantitative"}, "shape": {"field": "b"}},
    )
    with caught_warnings() as whole:
        vlc.vegalite_to_vega(spec, vl_version="6.1", show_warnings=True)
    tovega._ready.clear()
    with caught_warnings() as bare:
        to_vega(vlc, spec, "6.1", show_warnings=True)
    assert whole and bare == whole
