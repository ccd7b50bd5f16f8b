"""The figure's data table: the chart's columns in the chart function's order, its formats."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from typing import Any

import pytest

from site_builder import translations
from site_builder.figure import table_html
from site_builder.tables import (
    NUMBER,
    TEXT,
    TIME,
    Column,
    cell_formatter,
    default_number,
    format_number,
    format_time,
    format_value,
    table_columns,
    time_unit_format,
)

ROWS = [
    {
        "country": "Chile",
        "year": 2024,
        "tonnes": 1234567.891,
        "share": 0.1234,
        "when": "2025-01-05",
    },
    {"country": "Peru", "year": 2023, "tonnes": -250, "share": None, "when": "2024-11-20T00:00:00"},
]


def spec(encoding: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"data": {"values": ROWS}, "mark": "bar", "encoding": encoding, **extra}


def test_columns_keep_the_order_of_the_table_the_chart_drew() -> None:
    chart = spec(
        {
            "x": {"field": "tonnes", "type": "quantitative"},
            "y": {"field": "country", "type": "nominal"},
            "tooltip": [{"field": "year", "type": "ordinal"}],
        }
    )
    assert [c.name for c in table_columns(chart, ROWS)] == ["country", "year", "tonnes"]


def test_a_facet_splits_by_a_column_the_table_shows() -> None:
    # alt.Chart(...).encode(...).facet(row="year"): the field is in the facet, not an encoding.
    inner = spec({"x": {"field": "tonnes", "type": "quantitative"}})
    faceted = {"facet": {"row": {"field": "year", "type": "ordinal"}}, "spec": inner}
    assert [c.name for c in table_columns(faceted, ROWS)] == ["year", "tonnes"]
    wrapped = {"facet": {"field": "country", "type": "nominal"}, "spec": inner}
    assert [c.name for c in table_columns(wrapped, ROWS)] == ["country", "tonnes"]


def test_the_columns_a_fold_reads_are_shown() -> None:
    # transform_fold(["tonnes", "share"]): encoded as key and value, read from these columns.
    folded = spec(
        {"x": {"field": "value", "type": "quantitative"}, "y": {"field": "country"}},
        transform=[{"fold": ["tonnes", "share"]}],
    )
    assert [c.name for c in table_columns(folded, ROWS)] == ["country", "tonnes", "share"]


def test_the_columns_a_filter_or_calculation_reads_are_shown() -> None:
    # A menu picks the country (datum.country == pick): without that column the table's rows
    # of every country could not be told apart.
    encoding = {"x": {"field": "when", "type": "temporal"}, "y": {"field": "tonnes"}}
    picked = spec(encoding, transform=[{"filter": "(datum.country === pick)"}])
    assert [c.name for c in table_columns(picked, ROWS)] == ["country", "tonnes", "when"]
    made = spec(encoding, transform=[{"calculate": "datum.year - 2000", "as": "since"}])
    assert [c.name for c in table_columns(made, ROWS)] == ["year", "tonnes", "when"]


def test_the_columns_a_repeat_draws_are_shown() -> None:
    # alt.repeat(row=["tonnes", "share"], column=[...]): each view draws one of them.
    views = {
        "mark": "point",
        "encoding": {"x": {"field": {"repeat": "row"}}, "color": {"field": "country"}},
    }
    matrix = {"data": {"values": ROWS}, "repeat": {"row": ["tonnes", "share"]}, "spec": views}
    assert [c.name for c in table_columns(matrix, ROWS)] == ["country", "tonnes", "share"]
    listed = {"data": {"values": ROWS}, "repeat": ["year"], "spec": views}
    assert [c.name for c in table_columns(listed, ROWS)] == ["country", "year"]


def test_columns_fall_back_to_every_column() -> None:
    columns = table_columns({"marks": []}, ROWS, {"tonnes": "number", "year": "year"})
    assert columns == [
        Column("country"),
        Column("year"),  # a year reads 2024, never 2,024
        Column("tonnes", NUMBER),
        Column("share"),
        Column("when"),
    ]


def test_formats_come_from_the_tooltip_first_then_text_then_axes() -> None:
    chart = spec(
        {
            "x": {"field": "share", "type": "quantitative", "axis": {"format": "%"}},
            "y": {"field": "when", "type": "temporal", "axis": {"format": "%Y"}},
            "text": {"field": "tonnes", "type": "quantitative", "format": ",.1f"},
            "tooltip": [
                {"field": "share", "type": "quantitative", "format": ".1%"},
                {"field": "when", "type": "temporal", "timeUnit": "yearmonth"},
                {"field": "tonnes", "type": "quantitative"},
            ],
        }
    )
    assert table_columns(chart, ROWS) == [
        Column("tonnes", NUMBER, ",.1f"),
        Column("share", NUMBER, ".1%"),
        Column("when", TIME, "%b %Y"),
    ]


def test_an_axis_format_without_precision_writes_the_digits_each_value_needs() -> None:
    share = {"field": "share", "type": "quantitative", "axis": {"format": "%"}}
    [column] = table_columns(spec({"x": share}), ROWS)
    assert column == Column("share", NUMBER, "~%")
    assert format_value(0.1234, column) == "12.34%"  # not 12.340000%, d3's six places
    assert format_value(0.5, column) == "50%"
    # A format the writer gave the values themselves (a text mark's) is written as is.
    [column] = table_columns(spec({"text": {**share, "axis": None, "format": "%"}}), ROWS)
    assert column.format == "%"


def test_a_normalized_stack_or_a_count_does_not_format_the_table_s_values() -> None:
    # The axis' '%' is of each bar's share of the stack: 39 would read 3900%.
    stacked = {"field": "tonnes", "type": "quantitative"}
    normalized = {**stacked, "stack": "normalize", "axis": {"format": ".0%"}}
    assert table_columns(spec({"y": normalized}), ROWS) == [Column("tonnes", NUMBER, "")]
    counted = {**stacked, "aggregate": "count", "axis": {"format": ".0%"}}
    assert table_columns(spec({"y": counted}), ROWS) == [Column("tonnes", NUMBER, "")]
    picked = {**stacked, "aggregate": {"argmax": "year"}, "axis": {"format": ",.0f"}}
    assert table_columns(spec({"y": picked}), ROWS) == [Column("tonnes", NUMBER, ",.0f")]
    summed = {**stacked, "aggregate": "sum", "axis": {"format": ",.0f"}}
    assert table_columns(spec({"y": summed}), ROWS) == [Column("tonnes", NUMBER, ",.0f")]


def test_layers_and_conditions_are_read() -> None:
    chart = {
        "data": {"values": ROWS},
        "layer": [
            {"mark": "bar", "encoding": {"x": {"field": "tonnes", "type": "quantitative"}}},
            {
                "mark": "text",
                "encoding": {
                    "color": {
                        "condition": {"field": "country", "type": "nominal", "test": "true"},
                        "value": "grey",
                    },
                    "text": {"field": "tonnes", "type": "quantitative", "format": "$,d"},
                },
            },
        ],
    }
    assert table_columns(chart, ROWS) == [Column("country"), Column("tonnes", NUMBER, "$,d")]


def test_the_table_html_is_formatted_and_the_order_kept() -> None:
    chart = spec(
        {
            "x": {"field": "tonnes", "type": "quantitative"},
            "y": {"field": "country", "type": "nominal"},
            "tooltip": [
                {"field": "year", "type": "ordinal"},
                {"field": "share", "type": "quantitative", "format": ".1%"},
                {"field": "when", "type": "temporal", "format": "%-d %b %Y"},
            ],
        }
    )
    columns = table_columns(chart, ROWS)
    markup = table_html(ROWS, [(c.name, c.name) for c in columns], "Data", cell_formatter(columns))
    heads = re.findall(r"<th [^>]*>([^<]*)</th>", markup)
    cells = [html.unescape(c) for c in re.findall(r"<td>([^<]*)</td>", markup)]
    assert heads == ["country", "year", "tonnes", "share", "when"]
    assert cells == [
        "Chile", "2024", "1,234,568", "12.3%", "5 Jan 2025",
        "Peru", "2023", "\u2212250", "–", "20 Nov 2024",
    ]  # fmt: skip


NUMBER_CASES = [
    (1234.5678, ",.2f", "1,234.57"),
    (1234.5678, ".0f", "1235"),
    (0.1234, ".1%", "12.3%"),
    (0.123, ".1~%", "12.3%"),
    (0.5, "%", "50.000000%"),
    (-1234.5, "$,.0f", "\u2212$1,235"),
    (1234.5, "$,", "$1,234.5"),
    (2.5, ",d", "3"),
    (-2.5, ",d", "\u22123"),
    (-0.001, ".1f", "0.0"),  # no sign on a zero
    (0.125, ".2f", "0.13"),  # ties away from zero, as JavaScript's toFixed
    (1.005, ".2f", "1.00"),  # ... on the float's exact value
    (-1234567.891, ",", "\u22121,234,567.891"),
    (12.3, ",.3~f", "12.3"),
    (3.0, ".2", "3"),
    (0.000012345, ".3", "0.0000123"),
]


@pytest.mark.parametrize(("value", "spec", "expected"), NUMBER_CASES)
def test_number_formats_read_as_vega_writes_them(value: float, spec: str, expected: str) -> None:
    assert format_number(value, spec) == expected


@pytest.mark.parametrize("spec", ["~s", ".2e", "+,.0f", "08d", ".2", "x"])
def test_number_formats_outside_the_subset_are_left_to_the_default(spec: str) -> None:
    assert format_number(12345.0, spec) is None
    column = Column("n", NUMBER, spec)
    assert format_value(12345.0, column) == "12,345"


def test_default_numbers_have_thousands_separators() -> None:
    assert default_number(431000) == "431,000"
    assert default_number(90.0) == "90"
    assert default_number(4.25) == "4.25"
    assert default_number(1234567.891) == "1,234,568"  # six significant digits
    assert default_number(0.000123456) == "0.000123456"
    assert default_number(0.1 + 0.2) == "0.3"
    assert default_number(-1234.5) == "\u22121,234.5"


MOMENT = datetime(2025, 1, 5, 13, 7, 9, 45000)


TIME_CASES = [
    ("%b %Y", "Jan 2025"),
    ("%-d %b %Y", "5 Jan 2025"),
    ("%d %B %Y", "05 January 2025"),
    ("%e", " 5"),
    ("%Y-%m-%d", "2025-01-05"),
    ("%H:%M", "13:07"),
    ("%I %p", "01 PM"),
    ("Q%q %Y", "Q1 2025"),
    ("%a %A %j %U %y %L %_d %0e", "Sun Sunday 005 01 25 045  5 05"),
    ("%%", "%"),
    ("%x", None),  # the locale's date: not in the subset
]


@pytest.mark.parametrize(("spec", "expected"), TIME_CASES)
def test_time_formats_read_as_vega_writes_them(spec: str, expected: str | None) -> None:
    assert format_time(MOMENT, spec) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("year", "%Y"),
        ("yearquarter", "%Y Q%q"),
        ("yearmonth", "%b %Y"),
        ("utcyearmonth", "%b %Y"),
        ({"unit": "yearmonthdate", "utc": True}, "%b %d, %Y"),
        ("monthdate", "%b %d"),
        ("quartermonth", "Q%q %b"),
        ("yearweek", "%Y W%U"),
        ("yearmonthdatehours", "%b %d, %Y %H:00"),
        ("hoursminutesseconds", "%H:%M:%S"),
        ("dayofyear", "%j"),
        ("fortnight", ""),
    ],
)
def test_time_units_read_as_vega_lite_writes_them(unit: Any, expected: str) -> None:
    assert time_unit_format(unit) == expected


def test_values_the_format_cannot_read_are_written_as_they_are() -> None:
    when = Column("when", TIME, "%b %Y")
    assert format_value("2025-01-05T00:00:00", when) == "Jan 2025"
    assert format_value("not a date", when) == "not a date"
    assert format_value("2025-01-05T00:00:00", Column("when", TIME)) == "2025-01-05"
    assert format_value(2024, Column("year", TEXT)) == "2024"
    assert format_value(None, Column("n", NUMBER, ",.0f")) == "–"
    assert format_value(float("nan"), Column("n", NUMBER)) == "–"
    assert format_value(float("inf"), Column("n", NUMBER, ",.0f")) == "inf"
    assert format_value(True, Column("n", NUMBER)) == "yes"
    assert format_value("n/a", Column("n", NUMBER)) == "n/a"


def test_the_subset_agrees_with_vega() -> None:
    """Every pinned format above, written by Vega itself (vl-convert), reads the same."""
    import vl_convert as vlc

    numbers = NUMBER_CASES
    times = [(s, e) for s, e in TIME_CASES if e]
    signals = [f"format({v!r}, {json.dumps(s)})" for v, s, _ in numbers] + [
        f"timeFormat(datetime(2025, 0, 5, 13, 7, 9, 45), {json.dumps(s)})" for s, _ in times
    ]
    marks = [
        {
            "type": "text",
            "encode": {"enter": {"y": {"value": 15 * i}, "text": {"signal": f"'|' + {s} + '|'"}}},
        }
        for i, s in enumerate(signals)
    ]
    vega = {"$schema": "https://vega.github.io/schema/vega/v5.json", "marks": marks}
    svg = vlc.vega_to_svg(vega)
    written = [html.unescape(t)[1:-1] for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert written == [e for *_, e in numbers] + [e for _, e in times]


ZH_TIME = translations.LOCALES["zh"]["time"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("%b %Y", "1月 2025"), ("%B", "一月"), ("%a %A", "周日 星期日"), ("%I %p", "01 下午")],
)
def test_time_formats_follow_the_chart_s_locale(spec: str, expected: str) -> None:
    assert format_time(MOMENT, spec, ZH_TIME) == expected


def test_numbers_follow_the_chart_s_separators() -> None:
    german = {"number": {"decimal": ",", "thousands": "."}}
    column = Column("n", NUMBER, ",.1f")
    assert format_value(12345.25, column, german) == "12.345,3"
    assert format_value(12345.25, column, translations.LOCALES["zh"]) == "12,345.3"
    assert format_value(12345.25, column) == "12,345.3"


def test_fixed_decimals_round_as_to_fixed_does_ties_included() -> None:
    import random
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    from site_builder.tables import _fixed

    def to_fixed(value: float, places: int, grouped: bool) -> str | None:
        try:
            exact = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            return None  # more than Decimal's 28 digits (Python's formatting writes them all)
        return f"{exact:,f}" if grouped else f"{exact:f}"

    rng = random.Random(14)
    values = [abs(rng.gauss(50, 15)) for _ in range(2000)] + [
        rng.random() * 1e7 for _ in range(500)
    ]
    # Exact halves, where rounding half to even (Python's) and half up (toFixed's) part.
    values += [0.5, 1.5, 2.5, 0.125, 0.375, 2.675, 1234.5, 0.0, 1e-7, 2.0**52 + 0.5, 1e22]
    for value in values:
        for places in (0, 1, 2, 3, 6, 15):
            for grouped in (True, False):
                expected = to_fixed(value, places, grouped)
                if expected is not None:
                    assert _fixed(value, places, grouped) == expected
    assert _fixed(2.5, 0, False) == "3" and _fixed(0.125, 2, False) == "0.13"


def test_dates_a_time_unit_would_write_alike_are_written_whole() -> None:
    """A heatmap of months by weekday over daily rows: every row of January read "Jan", and
    the table could not be matched to the chart's cells."""
    days = [{"date": f"2024-01-{d:02d}T00:00:00", "trips": d} for d in range(1, 11)]
    heatmap = {
        "data": {"values": days},
        "mark": "rect",
        "encoding": {
            "x": {"field": "date", "timeUnit": "month", "type": "ordinal"},
            "y": {"field": "date", "timeUnit": "day", "type": "ordinal"},
            "color": {"aggregate": "mean", "field": "trips", "type": "quantitative"},
        },
    }
    columns = table_columns(heatmap, days)
    cells = table_html(days, [(c.name, c.name) for c in columns], "t", cell_formatter(columns))
    assert "<td>2024-01-01</td>" in cells and "<td>2024-01-10</td>" in cells
    # Monthly rows, one a month: the month alone tells them apart, as the axis writes it.
    months = [{"date": f"2024-{m:02d}-01T00:00:00", "trips": m} for m in range(1, 4)]
    line = {**heatmap, "data": {"values": months}, "mark": "line"}
    line["encoding"] = {"x": {"field": "date", "timeUnit": "yearmonth", "type": "temporal"}}
    [column] = table_columns(line, months)
    assert column.format and format_value(months[1]["date"], column) == "Feb 2024"
