"""Facts: values from the data, formatted for prose; mistakes named with file:line."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from helpers import edit, prepare, report

from site_builder.errors import FactError


def test_cell_and_computed_facts(mini: Path) -> None:
    facts = prepare(mini).facts
    assert facts["windhoek-share"].value == 12.5
    assert facts["windhoek-share"].text == "12.5%"
    assert facts["city-count"].value == 3
    assert facts["city-count"].text == "3"


def test_a_date_fact_is_a_plain_datetime(mini: Path) -> None:
    # Kept in the build's snapshot: a pandas Timestamp there made every rebuild import pandas.
    facts = mini / "data" / "facts.yaml"
    facts.write_text(
        facts.read_text()
        + "windhoek-founded:\n  dataset: cities\n  row: NA\n  column: founded\n"
        + '  format: "{value:%d %B %Y}"\n'
    )
    fact = prepare(mini).facts["windhoek-founded"]
    assert type(fact.value) is datetime.datetime
    assert fact.text == "18 October 1890"


def test_fact_follows_the_data(mini: Path) -> None:
    edit(mini / "data" / "cities.csv", "431000,12.5", "431000,13.25")
    assert prepare(mini).facts["windhoek-share"].text == "13.2%"


def test_unknown_fact_in_page_names_line_column_and_nearest(mini: Path) -> None:
    edit(mini / "content" / "index.md", "{{ fact: windhoek-share }}", "{{ fact: windhoek-shar }}")
    assert report(mini) == (
        "content/index.md:3:55: unknown fact 'windhoek-shar'\n"
        "  hint: did you mean 'windhoek-share'? known: 'windhoek-share', 'city-count'"
    )


def test_unknown_row_lists_keys(mini: Path) -> None:
    edit(mini / "data" / "facts.yaml", "row: NA", "row: NB")
    assert report(mini) == (
        "data/facts.yaml:3: fact 'windhoek-share': dataset 'cities' has no row 'NB': no row "
        "has code 'NB'\n"
        "  hint: did you mean 'NA'? known: 'NA', 'AB', 'CD'"
    )


def test_a_key_of_several_columns_names_the_part_no_row_has(tmp_path: Path) -> None:
    """A wrong district under a right month was offered months (as pandas writes them), and
    not told which part of the key was wrong."""
    from helpers import write_package

    from site_builder.facts import FactDef, compute_facts
    from site_builder.loader import load_catalog

    schema = {
        "fields": [
            {"name": "month", "type": "date"},
            {"name": "district", "type": "string"},
            {"name": "trips", "type": "integer"},
        ],
        "primaryKey": ["month", "district"],
    }
    rows = (
        "month,district,trips\n2024-07-01,Old Town,5\n2024-07-01,Eastgate,3\n"
        "2024-08-01,Riverside,4\n"
    )
    catalog = load_catalog(write_package(tmp_path, rows, schema=schema), tmp_path)

    def said(row: list[str], column: str = "trips") -> str:
        fact = FactDef(
            "f",
            ["t"],
            cell=(row, column),
            path="data/facts.yaml",
            line=1,
            key_lines={"row": 3, "column": 4},
        )
        with pytest.raises(FactError) as info:
            compute_facts([fact], catalog)
        return str(info.value.problems[0])

    assert said(["2024-07-01", "Oldtown"]) == (
        "data/facts.yaml:3: fact 'f': dataset 't' has no row ['2024-07-01', 'Oldtown']: no row "
        "has district 'Oldtown'\n"
        "  hint: did you mean 'Old Town'? known: 'Old Town', 'Eastgate', 'Riverside'"
    )
    assert said(["2024-07-01", "Riverside"]) == (
        "data/facts.yaml:3: fact 'f': dataset 't' has no row ['2024-07-01', 'Riverside']: no "
        "row has district 'Riverside' with month '2024-07-01'\n"
        "  hint: known: 'Eastgate', 'Old Town'"
    )
    # YAML reads an unquoted date as a date: said as it is written, not as Python's date.
    assert "has no row [2024-07-01, 'Oldtown']: " in said([datetime.date(2024, 7, 1), "Oldtown"])
    assert said(["2031-07-01", "Old Town"]).endswith(
        "no row has month '2031-07-01'\n"
        "  hint: did you mean '2024-07-01'? known: '2024-07-01', '2024-08-01'"
    )
    assert said(["2024-07-01", "Old Town"], "trip_count").startswith(
        "data/facts.yaml:4: fact 'f': dataset 't' has no column 'trip_count'\n"
        "  hint: did you mean 'trips'?"
    )


def test_unknown_column(mini: Path) -> None:
    edit(mini / "data" / "facts.yaml", "column: share", "column: shares")
    assert report(mini) == (
        "data/facts.yaml:4: fact 'windhoek-share': dataset 'cities' has no column 'shares'\n"
        "  hint: did you mean 'share'? known: 'share', 'capital', 'city', 'code', 'founded', "
        "'population'"
    )


def test_bad_format(mini: Path) -> None:
    edit(mini / "data" / "facts.yaml", '"{value:.1f}%"', '"{value:.1q}%"')
    assert report(mini) == (
        "data/facts.yaml:1: fact 'windhoek-share': format '{value:.1q}%' does not fit the "
        "value 12.5 (ValueError: Unknown format code 'q' for object of type 'float')\n"
        "  hint: use {value} as Python formats it, e.g. '{value:.0f}%' for a number; "
        "'{value}' for text"
    )


def test_incomplete_fact_entry(mini: Path) -> None:
    (mini / "data" / "facts.yaml").write_text("a-fact:\n  dataset: cities\n")
    assert report(mini) == (
        "data/facts.yaml:1: fact 'a-fact' has no row, column\n"
        "  hint: write each fact as: name: {dataset: <table>, row: <primary key>, "
        "column: <column>, format: 'over {value:.0f}%'}"
    )


def test_fact_on_unknown_dataset(mini: Path) -> None:
    edit(mini / "data" / "facts.yaml", "dataset: cities", "dataset: citys")
    assert report(mini) == (
        "data/facts.yaml:1: fact 'windhoek-share' uses unknown dataset 'citys'\n"
        "  hint: did you mean 'cities'? known: 'cities', 'regions'"
    )


def test_expectation_fails_where_the_fact_is_used(mini: Path) -> None:
    edit(
        mini / "data" / "facts.yaml",
        'format: "{value:.1f}%"',
        'format: "{value:.1f}%"\n  expect: ">= 12"',
    )
    assert prepare(mini).facts["windhoek-share"].broken == ()
    edit(mini / "data" / "cities.csv", "431000,12.5", "431000,11.5")
    assert report(mini) == (
        "content/index.md:3:55: fact 'windhoek-share' is now '11.5%' (11.5), not >= 12\n"
        "  hint: the data changed: check what the text says, then update it or the "
        "expectation (data/facts.yaml:1)"
    )


def test_computed_fact_expectation(mini: Path) -> None:
    edit(
        mini / "charts" / "cities.py",
        '@fact("city-count", data="cities")',
        '@fact("city-count", data="cities", expect=["> 3", "< 10"])',
    )
    assert report(mini) == (
        "content/index.md:3:11: fact 'city-count' is now '3' (3), not > 3 and < 10\n"
        "  hint: the data changed: check what the text says, then update it or the "
        "expectation (charts/cities.py:23)"
    )


def test_expectation_syntax(mini: Path) -> None:
    edit(
        mini / "data" / "facts.yaml",
        'format: "{value:.1f}%"',
        'format: "{value:.1f}%"\n  expect: "at least 12"',
    )
    assert report(mini) == (
        "data/facts.yaml:1: fact 'windhoek-share': expectation 'at least 12' not understood\n"
        "  hint: write a comparison with a number, e.g. expect: '>= 90', or a list of them"
    )


def test_claims_ledger(mini: Path) -> None:
    from site_builder.pipeline import claims_ledger

    ledger = claims_ledger(prepare(mini))
    assert ledger == [
        {
            "page": "content/index.md",
            "line": 3,
            "column": 11,
            "fact": "city-count",
            "text": "3",
            "value": 3,
            "datasets": ["cities"],
            "row": None,
            "expect": [],
            "defined_at": "charts/cities.py:23",
        },
        {
            "page": "content/index.md",
            "line": 3,
            "column": 55,
            "fact": "windhoek-share",
            "text": "12.5%",
            "value": 12.5,
            "datasets": ["cities"],
            "row": "NA",
            "expect": [],
            "defined_at": "data/facts.yaml:1",
        },
    ]


def test_a_fact_with_no_number_stops_the_build(mini: Path) -> None:
    """An empty cell printed "nan%" in the prose, and a division by zero "inf", while the
    build passed (and `expect: "> 0"` held for infinity)."""
    edit(mini / "data" / "cities.csv", "431000,12.5,", "431000,,")
    assert report(mini) == (
        "data/facts.yaml:1: fact 'windhoek-share': the cell in column 'share' of row 'NA' of "
        "'cities' gives no value (not a number)\n"
        "  hint: fill that cell, or point the fact at another"
    )
    edit(mini / "data" / "cities.csv", "431000,,", "431000,12.5,")
    edit(
        mini / "charts" / "cities.py",
        "return len(cities)",
        "return cities.population.sum() / (cities.population.min() * 0)",
    )
    edit(
        mini / "charts" / "cities.py",
        '@fact("city-count", data="cities")',
        '@fact("city-count", data="cities", expect="> 0")',
    )
    assert report(mini) == (
        "charts/cities.py:23: fact 'city-count': the function gives infinity\n"
        "  hint: check the rows it reads: an empty cell, no rows left by a filter, or a "
        "division by zero"
    )
    edit(
        mini / "charts" / "cities.py",
        "return cities.population.sum() / (cities.population.min() * 0)",
        "return cities[cities.code == 'ZZ'].population.mean()",
    )
    assert "the function gives no value (not a number)" in report(mini)


def test_an_empty_whole_number_is_no_value_either(mini: Path) -> None:
    """An integer column with an empty cell holds pandas' NA: the prose printed "<NA>"."""
    facts = mini / "data" / "facts.yaml"
    facts.write_text(
        facts.read_text() + "ab-people:\n  dataset: cities\n  row: AB\n  column: population\n"
    )
    edit(mini / "data" / "cities.csv", ",1000,40,", ",,40,")
    assert (
        "fact 'ab-people': the cell in column 'population' of row 'AB' of 'cities' gives no value"
    ) in report(mini)


def test_a_misspelt_key_of_a_fact_is_named(mini: Path) -> None:
    """'colum:' was reported as a missing column, and 'expcet:' not at all (the check lost)."""
    edit(mini / "data" / "facts.yaml", "column: share", "colum: share\n  expcet: '> 10'")
    assert report(mini) == (
        "2 problems found:\n"
        "data/facts.yaml:4: fact 'windhoek-share': 'colum:' is not a key of a fact; did you "
        "mean 'column'?\n  hint: write 'column:'\n"
        "data/facts.yaml:5: fact 'windhoek-share': 'expcet:' is not a key of a fact; did you "
        "mean 'expect'?\n  hint: write 'expect:'"
    )


def test_a_page_problem_and_a_chart_problem_are_said_in_one_round(mini: Path) -> None:
    """A page's unknown fact stopped the check before any chart was built: the chart's
    mistake came only after the page was fixed."""
    edit(mini / "content" / "index.md", "{{ fact: windhoek-share }}", "{{ fact: windhoek-shar }}")
    edit(mini / "charts" / "cities.py", 'x="population:Q"', 'x="populaton:Q"')
    text = report(mini)
    assert text.startswith("2 problems found:\ncontent/index.md:3:55: unknown fact 'windhoek-shar'")
    assert "chart 'city-population': encodes column 'populaton', which its table does not have" in (
        text
    ), text


def test_a_fact_returning_a_column_says_so(mini: Path) -> None:
    """It failed with numpy's 'can only convert an array of size 1 to a Python scalar'."""
    edit(mini / "charts" / "cities.py", "return len(cities)", 'return cities["population"]')
    assert report(mini) == (
        "charts/cities.py:23: fact 'city-count': the function returned a Series of 3 values, "
        "not one value\n  hint: return one value: a sum or mean (.sum(), .mean()), or one "
        "row's cell, e.g. table.loc[table['code'] == 'NA', 'population'].iloc[0]"
    )


def test_a_facts_other_words_for_its_keys_are_named(mini: Path) -> None:
    """'resource:' was sent to a foreign key's 'reference:' of the data package."""
    edit(mini / "data" / "facts.yaml", "dataset: cities", "resource: cities")
    assert report(mini) == (
        "data/facts.yaml:2: fact 'windhoek-share': 'resource:' is not a key of a fact; a fact "
        "names its dataset with 'dataset:'\n  hint: write 'dataset:'"
    )
