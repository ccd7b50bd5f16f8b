"""Chart discovery and building: every writer mistake named with file, line and a hint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import edit, prepare, report

from site_builder.specs import check_spec, plotted_rows


def test_discovers_and_builds_charts(mini: Path) -> None:
    project = prepare(mini)
    assert sorted(project.charts) == ["city-population", "region-scores"]
    chart = project.charts["city-population"]
    assert chart.definition.path == "charts/cities.py"
    assert chart.definition.line == 6
    assert chart.spec["mark"] == {"type": "bar"}
    assert plotted_rows(chart.spec)[0]["city"] == "Windhoek"


def test_helper_modules_are_importable(mini: Path) -> None:
    (mini / "charts" / "_colours.py").write_text('MAIN = "#123456"\n')
    edit(
        mini / "charts" / "cities.py",
        "import altair as alt\n",
        "import altair as alt\nfrom _colours import MAIN\n",
    )
    edit(mini / "charts" / "cities.py", "mark_bar()", "mark_bar(color=MAIN)")
    chart = prepare(mini).charts["city-population"]
    assert chart.spec["mark"] == {"type": "bar", "color": "#123456"}


def test_duplicate_id(mini: Path) -> None:
    edit(mini / "charts" / "cities.py", '"region-scores"', '"city-population"')
    assert report(mini).startswith(
        "2 problems found:\n"
        "charts/cities.py:18: chart id 'city-population' is already used at "
        "charts/cities.py:6\n  hint: give each chart a unique id\n"
        "content/second.md:3:1: unknown chart 'region-scores'\n  hint: known: 'city-population'"
    )


def test_unknown_dataset_lists_nearest(mini: Path) -> None:
    edit(mini / "charts" / "cities.py", 'data="regions"', 'data="region"')
    assert report(mini) == (
        "charts/cities.py:18: chart 'region-scores' uses unknown dataset 'region'\n"
        "  hint: did you mean 'regions'? known: 'regions', 'cities'"
    )


def test_chart_that_raises_points_at_the_failing_line(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        "    return alt.Chart(regions)",
        "    regions = regions['nope']\n    return alt.Chart(regions)",
    )
    text = report(mini)
    assert text.startswith(
        "charts/cities.py:20: chart 'region-scores' raised KeyError: 'nope'\n"
        "  hint: no column 'nope' in the table: known: 'region', 'score'"
    )


def test_a_list_of_columns_with_one_missing_names_it(mini: Path) -> None:
    """pandas says `"['scor'] not in index"`: the hint garbled it into a column name."""
    edit(
        mini / "charts" / "cities.py",
        "    return alt.Chart(regions)",
        "    regions = regions[['region', 'scor']]\n    return alt.Chart(regions)",
    )
    assert "  hint: no column 'scor' in the table: did you mean 'score'?" in report(mini)
    # Every column listed missing: pandas words it another way.
    edit(mini / "charts" / "cities.py", "[['region', 'scor']]", "[['regio', 'scor']]")
    assert "  hint: no column 'regio' in the table: did you mean 'region'?" in report(mini)


def test_rows_made_in_the_function_over_the_limit_are_said_so(mini: Path) -> None:
    """ "more than 5000 of its 2 rows" read as a contradiction: the rows were made in the
    function."""
    edit(
        mini / "charts" / "cities.py",
        "    return alt.Chart(regions)",
        "    regions = pd.concat([regions] * 3000)\n    return alt.Chart(regions)",
    )
    edit(
        mini / "charts" / "cities.py",
        "import altair as alt\n",
        "import altair as alt\nimport pandas as pd\n",
    )
    assert "chart 'region-scores' would draw more than 5000 rows, made in its function" in (
        report(mini)
    )


def test_wrong_return_type(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        "    return alt.Chart(regions)",
        "    return regions\n    alt.Chart(regions)",
    )
    assert report(mini) == (
        "charts/cities.py:18: chart 'region-scores' returned DataFrame, not an Altair chart\n"
        "  hint: end the function with 'return alt.Chart(...)...'"
    )


def test_encoding_a_missing_column(mini: Path) -> None:
    edit(mini / "charts" / "cities.py", 'x="score:Q"', 'x="scor:Q"')
    assert report(mini) == (
        "charts/cities.py:20:53: chart 'region-scores': encodes column 'scor', which its table "
        "does not have\n  hint: did you mean 'score'? available columns: 'region', 'score'"
    )


def test_a_misspelt_column_in_a_filter_is_named_where_the_function_writes_it(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        'y="region:N")',
        'y="region:N").transform_filter(alt.datum.scor > 0)',
    )
    assert report(mini) == (
        "charts/cities.py:20:95: chart 'region-scores': transform_filter reads column 'scor', "
        "which its table does not have (the chart would draw nothing for it)\n"
        "  hint: did you mean 'score'? available columns: 'region', 'score'"
    )


def test_syntax_error_in_chart_module(mini: Path) -> None:
    (mini / "charts" / "broken.py").write_text("import altair as alt\n\ndef f(:\n    pass\n")
    assert report(mini).startswith(
        "charts/broken.py:3:7: Python syntax error: invalid syntax\n  hint: fix the line shown"
    )


def test_module_import_failure(mini: Path) -> None:
    (mini / "charts" / "broken.py").write_text("x = 1\nimport not_a_module_here\n")
    assert report(mini) == (
        "charts/broken.py:2: the module failed to load: ModuleNotFoundError: No module named "
        "'not_a_module_here'\n"
        "  hint: fix the line shown; a chart module runs when the site builds"
    )


def test_bad_chart_id(mini: Path) -> None:
    edit(mini / "charts" / "cities.py", '"region-scores"', '"Region Scores"')
    assert "chart id 'Region Scores' is not a slug" in report(mini)


def test_problems_from_every_stage_are_reported_together(mini: Path) -> None:
    edit(mini / "charts" / "cities.py", 'data="regions"', 'data="region"')
    edit(mini / "data" / "regions.csv", "North,3", "North,three")
    edit(mini / "content" / "index.md", "/// chart | city-population", "/// chart | city-pop")
    text = report(mini)
    assert text.startswith("3 problems found:\n")
    assert "data/regions.csv:2:2: column 'score': 'three' is not a valid number" in text
    assert "charts/cities.py:18: chart 'region-scores' uses unknown dataset 'region'" in text
    assert "content/index.md:6:1: unknown chart 'city-pop'" in text


def test_check_spec_rejects_url_data() -> None:
    spec = {
        "data": {"url": "file:///etc/passwd"},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    assert check_spec(spec) == [
        (
            "loads data from a URL ('file:///etc/passwd'); the build never fetches data",
            "pass a table from data/ to alt.Chart(...) instead",
        )
    ]


def test_check_spec_knows_derived_fields() -> None:
    spec = {
        "datasets": {"d": [{"a": 1, "b": "x"}]},
        "data": {"name": "d"},
        "transform": [{"calculate": "datum.a * 2", "as": "twice"}, {"fold": ["a"]}],
        "layer": [
            {"mark": "bar", "encoding": {"x": {"field": "twice"}, "y": {"field": "b"}}},
            {
                "mark": "text",
                "encoding": {
                    "text": {"field": "value"},
                    "tooltip": [{"field": "key"}, {"field": "c"}],
                },
            },
        ],
    }
    assert [m for m, _ in check_spec(spec)] == ["encodes column 'c', which its table does not have"]


def test_check_spec_refuses_zero_on_a_log_scale_unless_the_chart_filters() -> None:
    rows = [{"a": 0, "b": 1}, {"a": 10, "b": 2}, {"a": -3, "b": 3}]
    log = {"field": "a", "type": "quantitative", "scale": {"type": "log"}}
    spec = {
        "datasets": {"d": rows},
        "data": {"name": "d"},
        "layer": [
            {"mark": "point", "encoding": {"x": log, "y": {"field": "b"}}},
            {"mark": "rule", "encoding": {"x": log}},  # the same column: said once
        ],
    }
    [(message, hint)] = check_spec(spec)
    assert message == (
        "encodes column 'a', whose values include 2 at zero or below (such as 0), on a log "
        "scale, which cannot place them (they are drawn at the edge and the axis loses its ticks)"
    )
    assert "transform_filter(alt.datum['a'] > 0)" in hint and "symlog" in hint
    filtered = {**spec, "transform": [{"filter": "datum.a > 0"}]}
    assert check_spec(filtered) == []
    positive = {**spec, "datasets": {"d": [{"a": 1, "b": 1}, {"a": 10, "b": 2}]}}
    assert check_spec(positive) == []
    summed = {
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {"y": {**log, "aggregate": "sum"}},
    }
    assert check_spec(summed) == []


def test_check_spec_refuses_text_encoded_as_a_quantity() -> None:
    """A column of "45%" cells (typed as text) encoded as `:Q` drew an empty chart, and the
    build passed. Numbers written as text ("12", " 3.5 ", "1e3") are numbers to the browser."""
    rows = [{"k": "DE", "s": "45%"}, {"k": "FR", "s": "n/a"}, {"k": "IT", "s": "41%"}]
    spec = {
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {"x": {"field": "s", "type": "quantitative"}, "y": {"field": "k"}},
    }
    [(message, hint)] = check_spec(spec)
    assert message == (
        "encodes column 's' as a quantity, but every cell holds text such as '45%', which is "
        "not a number (the chart draws nothing for those rows)"
    )
    assert "bareNumber: false" in hint and "'s:N'" in hint
    some = [{"k": "DE", "s": "12"}, {"k": "FR", "s": "n/a"}, {"k": "IT", "s": " 3.5 "}]
    [(message, _)] = check_spec({**spec, "data": {"values": some}})
    assert "but 1 of 3 cells hold text such as 'n/a'" in message
    numbers = [{"k": "DE", "s": "12"}, {"k": "FR", "s": None}, {"k": "IT", "s": "1e3"}]
    assert check_spec({**spec, "data": {"values": numbers}}) == []
    counted = {"field": "s", "type": "quantitative", "aggregate": "distinct"}
    assert check_spec({**spec, "encoding": {"x": counted, "y": {"field": "k"}}}) == []
    nominal = {"field": "s", "type": "nominal"}
    assert check_spec({**spec, "encoding": {"x": nominal, "y": {"field": "k"}}}) == []


def test_generated_description(mini: Path) -> None:
    from site_builder.specs import describe

    chart = prepare(mini).charts["city-population"]
    rows = plotted_rows(chart.spec)
    assert describe(chart.spec, rows, {"population": "Population (people)", "city": "City"}) == (
        "A bar chart of Population (people) by City, 3 rows, from 250 to 431000. "
        "Largest: Windhoek (431000); smallest: Town, with comma (250)."
    )


def test_columns_are_titled_by_their_labels_unless_the_chart_titles_them() -> None:
    from site_builder.building import titled

    labels = {"net_bn": "Net exports (bn USD)", "sector": "Sector", "a.b": "Dotted"}
    spec = {
        "facet": {"row": {"field": "sector", "type": "nominal"}},
        "spec": {
            "layer": [
                {
                    "mark": "bar",
                    "encoding": {
                        "x": {"field": "net_bn", "type": "quantitative"},
                        "y": {"field": "sector", "type": "nominal", "title": None},
                        "color": {"field": "sector", "legend": {"title": "Kind"}},
                        "tooltip": [
                            {"field": "net_bn", "aggregate": "mean"},
                            {"field": "net_bn", "aggregate": "count"},
                            {"field": "a\\.b"},
                            {"field": "other"},
                        ],
                    },
                },
                {"mark": "rule", "encoding": {"x": {"repeat": "column"}}},
            ]
        },
    }
    titled(spec, labels)
    encoding = spec["spec"]["layer"][0]["encoding"]
    assert spec["facet"]["row"]["title"] == "Sector"
    assert encoding["x"]["title"] == "Net exports (bn USD)"
    assert encoding["y"]["title"] is None  # the writer's: no title
    assert "title" not in encoding["color"]  # its legend has the writer's
    assert [t.get("title") for t in encoding["tooltip"]] == [
        "Mean of Net exports (bn USD)",
        None,  # a count is of rows, not of the column
        "Dotted",
        None,  # no label: the column's name, as Vega-Lite writes it
    ]
    # Layers share their axis: a title the writer gave one layer is the axis' title alone.
    bar = {"mark": "bar", "encoding": {"x": {"field": "net_bn", "title": "Amount"}}}
    text = {"mark": "text", "encoding": {"x": {"field": "net_bn"}, "y": {"field": "net_bn"}}}
    layered = {"layer": [bar, text]}
    titled(layered, labels)
    assert "title" not in layered["layer"][1]["encoding"]["x"]
    assert layered["layer"][1]["encoding"]["y"]["title"] == "Net exports (bn USD)"
    # Views side by side have axes of their own: one titled leaves the other to its label.
    side = {"hconcat": [bar, {"mark": "bar", "encoding": {"x": {"field": "net_bn"}}}]}
    titled(side, labels)
    assert side["hconcat"][1]["encoding"]["x"]["title"] == "Net exports (bn USD)"
    assert side["hconcat"][0]["encoding"]["x"]["title"] == "Amount"
    # No title where none is drawn (a hidden axis, a detail), and none for an argmax.
    hidden = {
        "mark": "bar",
        "encoding": {
            "x": {"field": "net_bn", "axis": None},
            "detail": {"field": "sector"},
            "y": {"field": "sector", "aggregate": {"argmax": "net_bn"}},
        },
    }
    titled(hidden, labels)
    assert all("title" not in fd for fd in hidden["encoding"].values())
    vega = {"$schema": "https://vega.github.io/schema/vega/v6.json", "marks": []}
    titled(vega, labels)
    assert vega == {"$schema": "https://vega.github.io/schema/vega/v6.json", "marks": []}


def test_a_generated_description_names_the_marks_that_draw_the_data_and_writes_times() -> None:
    from site_builder.specs import describe

    rows = [
        {"hour": "2024-03-04T08:00:00", "no2": 41.5},
        {"hour": "2024-03-04T09:30:15", "no2": 12},
    ]
    hour = {"field": "hour", "type": "temporal"}
    line = {"mark": "line", "encoding": {"x": hour, "y": {"field": "no2", "type": "quantitative"}}}
    labelled = {
        "data": {"values": rows},
        "layer": [line, {**line, "mark": "text"}, {"mark": "rule", "encoding": {"y": hour}}],
    }
    assert describe(labelled, rows) == (
        "A line chart of no2 by hour, 2 rows, from 12 to 41.5. "
        "Largest: 2024-03-04 08:00 (41.5); smallest: 2024-03-04 09:30:15 (12)."
    )
    only_rules = {"data": {"values": rows}, "mark": "rule", "encoding": {"x": hour}}
    assert describe(only_rules, rows).startswith("A line chart")  # nothing else draws


def test_a_generated_description_is_of_the_rows_the_chart_draws(mini: Path) -> None:
    module = mini / "charts" / "cities.py"
    edit(module, '    description="Bars of population by city.",\n', "")
    edit(module, 'y="city:N")', 'y="city:N").transform_filter(alt.datum.population < 5000)')
    project = prepare(mini)
    # Windhoek (431000) is filtered out: neither the count nor the range may name it.
    assert project.description_of(project.charts["city-population"]) == (
        "A bar chart of Population (people) by City, 2 rows, from 250 to 1000. "
        "Largest: <script>alert(1)</script> (1000); smallest: Town, with comma (250)."
    )
    # A filter bound to a control: described as drawn before the reader moves it.
    edit(
        module,
        ".transform_filter(alt.datum.population < 5000)",
        ".add_params(cut := alt.param(name='cut', value=500, bind=alt.binding_range(min=0,"
        " max=5000))).transform_filter(alt.datum.population > cut)",
    )
    project = prepare(mini)
    assert project.description_of(project.charts["city-population"]).startswith(
        "A bar chart of Population (people) by City, 2 rows, from 1000 to 431000. "
    )
    # Rows written into the spec (alt.Data), not a named table: all of them, never none.
    edit(module, "alt.Chart(cities)", "alt.Chart(alt.Data(values=cities.to_dict('records')))")
    project = prepare(mini)
    assert ", 3 rows, " in project.description_of(project.charts["city-population"])


def test_a_generated_description_says_nothing_wrong_of_a_summed_chart() -> None:
    from site_builder.specs import describe

    rows = [{"date": "2025-05-30T00:00:00", "district": "East", "trips": 1476},
            {"date": "2025-05-31T00:00:00", "district": "West", "trips": 108}]  # fmt: skip
    date = {"field": "date", "type": "temporal"}
    area = {
        "mark": "area",
        "encoding": {"x": date, "y": {"field": "trips", "type": "quantitative"}},
    }
    assert describe({"data": {"values": rows}, **area}, rows) == (
        "An area chart of trips by date, 2 rows, from 108 to 1476. "
        "Largest: 2025-05-30 (1476); smallest: 2025-05-31 (108)."
    )
    # Summed per day, the table's values are not the ones drawn: no range is given.
    summed = {"field": "trips", "type": "quantitative", "aggregate": "sum"}
    layered = {
        "data": {"values": rows},
        "layer": [
            {"mark": "line", "encoding": {"x": date, "y": summed}},
            {"mark": "rule", "encoding": {"x": date}},
        ],
    }
    # The rule marks a day: the chart is a line chart still.
    assert describe(layered, rows) == "A line chart of trips by date, 2 rows."
    folded = {**area, "data": {"values": rows}, "transform": [{"fold": ["trips"]}]}
    assert describe(folded, rows) == "An area chart of trips by date, 2 rows."


ALTAIR_SPECS = """
import json, sys
import altair as alt
import pandas as pd
from altair.utils import schemapi
from site_builder import building

if sys.argv[1] == "reuse":
    building._build_altair_lookup_once()
calls = []
hash_schema = schemapi._FromDict.hash_schema.__func__
schemapi._FromDict.hash_schema = classmethod(
    lambda cls, *a, **k: calls.append(1) or hash_schema(cls, *a, **k)
)
table = pd.DataFrame({"a": ["x", "y"], "b": [1.5, 2], "when": pd.to_datetime(["2024-01-01"] * 2)})
specs = []
for _ in range(2):
    base = alt.Chart(table).encode(x="b:Q", y=alt.Y("a:N", sort="-x"), color="a")
    layered = base.mark_bar() + base.mark_text(dx=3).encode(text="b:Q")
    specs.append(layered.properties(title="T").to_dict())
    specs.append(alt.Chart(table).mark_line().encode(x="yearmonth(when):T", y="mean(b)").to_dict())
print(json.dumps({"specs": specs, "hashes": len(calls)}))
"""


def test_altair_builds_the_same_specs_with_its_lookup_table_built_once(tmp_path: Path) -> None:
    def run(mode: str) -> dict[str, Any]:
        out = subprocess.run(
            [sys.executable, "-c", ALTAIR_SPECS, mode], capture_output=True, text=True, check=True
        )
        return json.loads(out.stdout)  # type: ignore[no-any-return]

    rebuilt, reused = run("rebuild"), run("reuse")
    assert reused["specs"] == rebuilt["specs"]
    assert reused["hashes"] * 5 < rebuilt["hashes"], (reused["hashes"], rebuilt["hashes"])


def test_a_field_inside_an_object_a_transform_made_is_accepted() -> None:
    # transform_aggregate(last="argmax(year)") makes `last`, an object of the latest row.
    spec = {
        "data": {"values": [{"city": "A", "year": 2020, "pop": 1}]},
        "transform": [{"aggregate": [{"op": "argmax", "field": "year", "as": "last"}]}],
        "mark": "point",
        "encoding": {"x": {"field": "last['pop']", "type": "quantitative"}},
    }
    assert check_spec(spec) == []
    spec["encoding"]["x"]["field"] = "first['pop']"  # no transform makes `first`
    assert check_spec(spec) == [
        (
            "encodes column 'first['pop']', which its table does not have",
            "available columns: 'city', 'pop', 'year'",
        )
    ]


def test_a_transform_reading_a_column_the_table_lacks_is_refused() -> None:
    # A fold over a misspelt column draws nothing for it, and Vega-Lite says nothing.
    rows = [{"district": "East", "ebike_trips": 3, "classic_trips": 5}]
    spec = {
        "data": {"values": rows},
        "transform": [{"fold": ["ebike_trip", "classic_trips"], "as": ["kind", "trips"]}],
        "mark": "bar",
        "encoding": {"x": {"field": "trips", "type": "quantitative"}},
    }
    assert check_spec(spec) == [
        (
            "transform_fold reads column 'ebike_trip', which its table does not have (the chart "
            "would draw nothing for it)",
            "did you mean 'ebike_trips'? available columns: 'classic_trips', 'district', "
            "'ebike_trips'",
        )
    ]
    spec["transform"][0]["fold"] = ["ebike_trips", "classic_trips"]
    assert check_spec(spec) == []


@pytest.mark.parametrize(
    "transform",
    [
        {"aggregate": [{"op": "sum", "field": "tripz", "as": "s"}], "groupby": ["district"]},
        {"aggregate": [{"op": "count", "as": "n"}], "groupby": ["distrct"]},
        {"joinaggregate": [{"op": "mean", "field": "tripz", "as": "m"}]},
        {"window": [{"op": "sum", "field": "trips", "as": "c"}], "sort": [{"field": "dat"}]},
        {"filter": {"and": [{"field": "tripz", "gt": 2}, {"param": "pick"}]}},
        {"bin": True, "field": "tripz", "as": "b"},
        {"timeUnit": "month", "field": "dat", "as": "m"},
        {"density": "tripz"},
        {"regression": "trips", "on": "dat"},
        {"stack": "trips", "groupby": ["distrct"], "as": ["y0", "y1"]},
        {"impute": "trips", "key": "dat", "value": 0},
    ],
)
def test_every_transform_that_reads_a_column_by_name_is_checked(transform: dict[str, Any]) -> None:
    spec = {
        "data": {"values": [{"district": "East", "trips": 3, "date": "2025-01-01"}]},
        "transform": [transform],
        "mark": "point",
    }
    [(message, _)] = check_spec(spec)
    assert message.startswith("transform_") and "which its table does not have" in message
    assert check_spec({**spec, "transform": []}) == []


@pytest.mark.parametrize(
    ("where", "expression"),
    [
        ("transform_filter", {"filter": "datum.distrct === pick"}),
        ("transform_filter", {"filter": "datum['tripz'] > 2 && datum.district != 'West'"}),
        ("transform_calculate", {"calculate": "datum.trips / datum.dayz", "as": "per_day"}),
        ("condition", None),
    ],
)
def test_an_expression_reading_a_column_the_table_lacks_is_refused(
    where: str, expression: dict[str, Any] | None
) -> None:
    """A misspelt name in `alt.datum.distrct == pick` let no row through: a blank chart, and
    no word from the renderer."""
    spec: dict[str, Any] = {
        "data": {"values": [{"district": "East", "trips": 3, "days": 2}]},
        "params": [{"name": "pick", "value": "East"}],
        "transform": [expression] if expression else [],
        "mark": "bar",
        "encoding": {"x": {"field": "trips", "type": "quantitative"}},
    }
    if expression is None:  # alt.condition(alt.datum.trip > 2, ...)
        spec["encoding"]["color"] = {"condition": {"test": "datum.trip > 2", "value": "red"}}
    [(message, hint)] = check_spec(spec)
    assert message.startswith(f"{where} reads column '") and "does not have" in message
    assert hint.startswith("did you mean '")


def test_expressions_over_columns_the_chart_has_or_makes_are_accepted() -> None:
    spec = {
        "data": {"values": [{"district": "East", "trips": 3, "a.b": 1, "days": 2}]},
        "transform": [
            {"calculate": "datum.trips / datum.days", "as": "per_day"},
            {"filter": "datum.per_day > 1 && datum['a.b'] > 0 && datum[\"district\"] != ''"},
            {"fold": ["trips", "days"]},
            {"filter": "datum.key == 'trips' && datum.value > 0"},
            {"timeUnit": "yearmonth", "field": "district", "as": "m"},
            {"filter": "datum.m_end > 0 || 'not datum.z' == datum.key"},  # a time unit's end
        ],
        "mark": "bar",
        "encoding": {
            "x": {"field": "district", "type": "nominal"},
            "y": {"aggregate": "sum", "field": "value", "type": "quantitative"},
            # An encoding's aggregate names its output: a condition may test it.
            "color": {"condition": {"test": "datum.sum_value > 2", "value": "red"}},
        },
    }
    assert check_spec(spec) == []


def test_transforms_over_columns_made_before_or_nested_in_the_table_are_accepted() -> None:
    spec = {
        "data": {"values": [{"properties": {"v": 1, "name": "A"}, "a": 1, "b": 2}]},
        "transform": [
            {"calculate": "datum.a * 2", "as": "twice"},
            {"fold": ["a", "b"]},  # Vega-Lite's default names: key, value
            {"aggregate": [{"op": "sum", "field": "value", "as": "total"}], "groupby": ["key"]},
            {"window": [{"op": "rank", "as": "r"}], "sort": [{"field": "total"}]},
            {"filter": {"field": "properties.v", "gt": 0}},
            {"density": "twice"},  # makes value and density
        ],
        "mark": "geoshape",
        # GeoJSON's properties, read as a nested field of the table's own objects.
        "encoding": {
            "color": {"field": "properties.v", "type": "quantitative"},
            "tooltip": [{"field": "properties.name"}, {"field": "density"}],
        },
    }
    assert check_spec(spec) == []
    spec["encoding"]["color"]["field"] = "a.v"  # `a` holds numbers, not objects
    assert [m for m, _ in check_spec(spec)] == [
        "encodes column 'a.v', which its table does not have"
    ]


def test_a_facet_by_a_column_the_table_lacks_is_refused() -> None:
    spec = {
        "data": {"values": [{"district": "East", "trips": 3}]},
        "facet": {"row": {"field": "distrct", "type": "nominal"}},
        "spec": {"mark": "bar", "encoding": {"x": {"field": "trips", "type": "quantitative"}}},
    }
    assert [m for m, _ in check_spec(spec)] == [
        "encodes column 'distrct', which its table does not have"
    ]


def test_valid_charts_whose_transforms_read_no_column_or_make_what_is_read_are_accepted() -> None:
    import altair as alt
    import pandas as pd

    df = pd.DataFrame({"a": [5, 2, 9, 4], "b": [1, 2, 3, 4], "g": list("wxwx")})
    base = alt.Chart(df)
    valid = [
        # rank() and row_number() read no column (Altair writes field ""), count(*) reads "*"
        base.mark_bar()
        .encode(x="g:N", y="a:Q")
        .transform_window(rank="rank()", sort=[alt.SortField("a", order="descending")])
        .transform_filter("datum.rank <= 2"),
        base.mark_text().encode(y="rn:O", text="g:N").transform_window(rn="row_number()"),
        base.mark_bar().encode(x="g:N", y="n:Q").transform_aggregate(n="count(*)", groupby=["g"]),
        # a facet by what the faceted views' transforms make
        base.mark_point()
        .encode(x="a:Q", y="b:Q")
        .transform_calculate(gg="datum.g + '!'")
        .facet(row="gg:N"),
        base.mark_point()
        .encode(x="a:Q", y="value:Q")
        .transform_fold(["a", "b"])
        .facet(row="key:N"),
        # a bin's end, and a regression's parameters
        base.mark_bar().encode(x="bx:Q", x2="bx_end:Q", y="count():Q").transform_bin("bx", "a"),
        base.mark_text().encode(text="rSquared:Q").transform_regression("a", "b", params=True),
    ]
    for chart in valid:
        assert check_spec(chart.to_dict()) == [], chart.to_dict().get("transform")
    # With an extent, a regression still has its fields checked.
    missing = (
        base.mark_line().encode(x="b:Q", y="a:Q").transform_regression("nope", "b", extent=[0, 5])
    )
    assert [m for m, _ in check_spec(missing.to_dict())] == [
        "transform_regression reads column 'nope', which its table does not have (the chart "
        "would draw nothing for it)"
    ]


def _frames() -> list[Any]:
    """Tables of every kind a chart gets: numbers with gaps, text with gaps, booleans, dates,
    categories, nullable integers, no rows, a named index, and a column of lists."""
    import numpy as np
    import pandas as pd

    nan, inf = float("nan"), float("inf")
    return [
        pd.DataFrame({"a": [1, 2, 3], "b": [1.5, nan, -inf], "c": ["x", None, "z"]}),
        pd.DataFrame({"flag": [True, False], "n": np.array([7, 8], dtype="uint8")}),
        pd.DataFrame({"when": pd.to_datetime(["2024-01-01", None]), "v": [1.0, 2.0]}),
        pd.DataFrame({"cat": pd.Categorical(["a", "b", "a"]), "v": [1, 2, 3]}),
        pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "t": pd.array(["p", None])}),
        pd.DataFrame({"a": [], "b": []}, dtype=float),
        pd.DataFrame({"v": [0.1, 0.2]}, index=pd.Index(["r1", "r2"], name="row")),
        pd.DataFrame({"shape": [[1, 2], [3]], "v": [1, 2]}),
        pd.DataFrame({"big": [2**53 + 1, -(2**40)], "small": [1e-300, 5e-324]}),
    ]


@pytest.mark.parametrize("index", range(len(_frames())))
def test_the_build_inlines_every_kind_of_table_as_altair_does(index: int) -> None:
    import altair as alt

    from site_builder.building import _to_spec

    table = _frames()[index]
    chart = alt.Chart(table).mark_point().encode(x=f"{table.columns[-1]}:Q")
    built, _ = _to_spec(chart)
    assert json.dumps(built, sort_keys=True) == json.dumps(chart.to_dict(), sort_keys=True)
    (values,) = built["datasets"].values()
    assert len(values) == len(table)


def test_a_writer_s_limit_on_rows_is_kept() -> None:
    import altair as alt
    import pandas as pd

    from site_builder.building import _to_spec

    chart = alt.Chart(pd.DataFrame({"v": range(6000)})).mark_point().encode(x="v:Q")
    with alt.data_transformers.disable_max_rows():
        built, _ = _to_spec(chart)
    assert [len(v) for v in built["datasets"].values()] == [6000]
    with alt.data_transformers.enable("default", max_rows=2):  # over it: drawn by VegaFusion
        built, checked = _to_spec(chart.properties(data=pd.DataFrame({"v": [1, 2, 3]})))
    assert "/vega/" in built["$schema"] and "/vega-lite/" in checked["$schema"]


def test_a_generated_description_of_a_scatter_or_stacks_names_what_is_drawn() -> None:
    from site_builder.specs import describe

    quantity = {"type": "quantitative"}
    rows = [{"km": 1.2, "min": 10, "rider": "Casual"}, {"km": 18.3, "min": 131, "rider": "Casual"},
            {"km": 2, "min": 8, "rider": "Member"}]  # fmt: skip
    scatter = {
        "mark": "point",
        "encoding": {
            "x": {"field": "km", **quantity},
            "y": {"field": "min", **quantity},
            "color": {"field": "rider", "type": "nominal"},
        },
    }
    # No row is a scatter's "largest": each axis's range instead.
    assert describe(scatter, rows, {"km": "Distance (km)"}) == (
        "A dot chart of min against Distance (km) by rider, 3 rows; min from 8 to 131; "
        "Distance (km) from 1.2 to 18.3."
    )
    rows = [{"month": "Jan", "n": 5, "s": "A"}, {"month": "Jan", "n": 50, "s": "B"},
            {"month": "Feb", "n": 55, "s": "A"}, {"month": "Feb", "n": 1, "s": "B"}]  # fmt: skip
    bars = {
        "mark": "bar",
        "encoding": {
            "x": {"field": "month", "type": "nominal"},
            "y": {"field": "n", **quantity},
            "color": {"field": "s", "type": "nominal"},
        },
    }
    # Stacked by colour: the bars are as tall as their totals, not as any one row.
    assert describe(bars, rows) == (
        "A bar chart of n by month, 4 rows. Largest total: Feb (56); smallest total: Jan (55)."
    )
    unstacked = {**bars, "encoding": {**bars["encoding"], "y": {"field": "n", **quantity,
                                                                  "stack": None}}}  # fmt: skip
    assert describe(unstacked, rows).endswith("Largest: Feb (55); smallest: Feb (1).")
