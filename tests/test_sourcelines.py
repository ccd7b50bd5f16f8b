"""Errors at the line of the mistake: the line in a chart function that names a wrong column
or option, the failing line of a fact function, with a hint that fits the exception."""

from __future__ import annotations

from pathlib import Path

from helpers import edit, report

from site_builder.sourcelines import exception_hint, field_position, whole

CHARTS = """import altair as alt

from site_builder import chart


@chart("c", data="t", title="population by city")  # the decorator names no encoding
def c(table):
    base = alt.Chart(table)
    return base.mark_bar().encode(
        x=alt.X("mean(population):Q"),
        y="city:N",
        tooltip=["city", alt.Tooltip("share", format=".1f")],
    )
"""


def test_the_field_is_found_in_the_function_body(tmp_path: Path) -> None:
    module = tmp_path / "charts_c.py"
    module.write_text(CHARTS)
    namespace: dict[str, object] = {}
    exec(compile(CHARTS, str(module), "exec"), namespace)
    func = namespace["c"]
    assert field_position(func, "population") == (10, 17)  # type: ignore[arg-type]
    assert field_position(func, "city") == (11, 11)  # type: ignore[arg-type]
    assert field_position(func, "share") == (12, 38)  # type: ignore[arg-type]
    assert field_position(func, "country") is None  # type: ignore[arg-type]


def test_a_library_message_is_kept_whole() -> None:
    assert whole("First:\n\n  - one\n  - two\n    at f (https://x.org/a.js:7:18)\n") == (
        "First:\n      - one\n      - two"
    )


def test_hints_fit_the_exception() -> None:
    import pandas as pd

    table = pd.DataFrame({"population": [1], "city": ["a"]})
    assert exception_hint(KeyError("populaton"), [table], ["t"]) == (
        "no column 'populaton' in the table: did you mean 'population'? known: 'population', 'city'"
    )
    assert exception_hint(
        AttributeError("'DataFrame' object has no attribute 'cty'"), [table], ["t"]
    ) == (
        "no attribute or column 'cty': for a column write table[\"...\"]; did you mean 'city'? "
        "known: 'city', 'population'"
    )
    assert exception_hint(ValueError("x"), [table], ["t"]) == (
        "fix the function at the line shown; it gets the tables t as pandas DataFrames"
    )


def test_a_wrong_column_points_at_the_line_that_names_it(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        'return alt.Chart(regions).mark_point().encode(x="score:Q", y="region:N")',
        'return alt.Chart(regions).mark_point().encode(\n        x=alt.X("scor:Q"),\n'
        '        y="region:N",\n    )',
    )
    assert report(mini) == (
        "charts/cities.py:21:17: chart 'region-scores': encodes column 'scor', which its table "
        "does not have\n  hint: did you mean 'score'? available columns: 'region', 'score'"
    )


def test_an_altair_validation_error_is_whole_at_the_option(mini: Path) -> None:
    edit(mini / "charts" / "cities.py", 'y="region:N")', 'y=alt.Y("region:N", sort="ascendin"))')
    assert report(mini) == (
        "charts/cities.py:20:84: chart 'region-scores' is not a valid Vega-Lite chart: "
        "'ascendin' is an invalid value for `sort`. Valid values are:\n"
        "    - One of ['ascending', 'descending']\n"
        "    - One of ['x', 'y', 'color', 'fill', 'stroke', 'strokeWidth', 'size', 'shape', "
        "'fillOpacity', 'strokeOpacity', 'opacity', 'text']\n"
        "    - One of ['-x', '-y', '-color', '-fill', '-stroke', '-strokeWidth', '-size', "
        "'-shape', '-fillOpacity', '-strokeOpacity', '-opacity', '-text']\n"
        "    - Of type `Sequence | Mapping[str, Any] | None`\n"
        "  hint: check the encodings and mark options against the Altair documentation"
    )


def test_an_unknown_option_points_at_its_keyword(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        'x="score:Q"',
        'x=alt.X("score:Q", scale=alt.Scale(typ="log"))',
    )
    text = report(mini)
    # Altair checks this one as the function runs: at the keyword it refuses all the same.
    assert text.startswith(
        "charts/cities.py:20:86: chart 'region-scores' raised SchemaValidationError: `Scale` "
        "has no parameter named 'typ'\n    Existing parameter names are:\n"
    )
    assert "\n    align      domain      exponent " in text  # the list Altair gives, whole
    assert text.endswith(
        "    See the help for `Scale` to read the full description of these parameters\n"
        "  hint: fix the option on that line (see the Altair documentation for what it takes)"
    )


def test_a_failing_fact_function_points_at_its_failing_line(mini: Path) -> None:
    charts = mini / "charts" / "cities.py"
    edit(
        charts,
        "    return len(cities)",
        '    big = cities[cities["population"] > 0]\n    return big["pop"].sum()',
    )
    assert report(mini) == (
        "charts/cities.py:26: fact 'city-count' failed: KeyError: 'pop'\n"
        "  hint: no column 'pop' in the table: known: 'capital', 'city', 'code', 'founded', "
        "'population', 'share'"
    )
    edit(charts, '    return big["pop"].sum()', "    return 100 / (len(big) - 3)")
    assert report(mini) == (
        "charts/cities.py:26: fact 'city-count' failed: ZeroDivisionError: division by zero\n"
        "  hint: a division by zero: the divisor on that line is 0 for this data (an empty "
        "filter?)"
    )


def test_an_invalid_mark_option_points_at_it(mini: Path) -> None:
    edit(mini / "charts" / "cities.py", "mark_point()", 'mark_point(shape="circle", size="big")')
    assert report(mini) == (
        "charts/cities.py:20:58: chart 'region-scores' raised SchemaValidationError: 'big' is an "
        "invalid value for `size`. Valid values are of type `float | Mapping[str, Any]`.\n"
        "  hint: fix the option on that line (see the Altair documentation for what it takes)"
    )
