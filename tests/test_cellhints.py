"""Hints chosen from the value: the schema option that reads a cell as the writer meant it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import edit, prepare, report

from site_builder.cellhints import type_hint


@pytest.mark.parametrize(
    ("ftype", "cell", "hint"),
    [
        (
            "number",
            "12,3",
            "add decimalChar: \",\" to the field in the data package: '12,3' is then read as "
            "12.3 (the column's decimals must then all use commas)",
        ),
        (
            "integer",
            "1,234",
            'change the field\'s type to number and add groupChar: "," to the field in the '
            "data package: '1,234' is then read as 1234",
        ),
        (
            "number",
            "1.234,5",
            'add groupChar: "." and decimalChar: "," to the field in the data package: '
            "'1.234,5' is then read as 1234.5",
        ),
        (
            "number",
            "45%",
            "add bareNumber: false to the field in the data package: '45%' is then read as 45 "
            '(not divided by 100), and the field can say unit: "%"',
        ),
        (
            "number",
            "€95",
            "add bareNumber: false to the field in the data package: '€95' is then read as 95 "
            '(not divided by 100), and the field can say unit: "€"',
        ),
        ("integer", "12.5", "'12.5' is not a whole number: change the field's type to number"),
        (
            "number",
            "6two",
            "expected a number such as 90 or 4.5 (no %, no thousands separator); fix the cell, "
            "or change the field's type in the data package",
        ),
    ],
)
def test_the_hint_fits_the_value(ftype: str, cell: str, hint: str) -> None:
    assert type_hint(ftype, cell) == hint


@pytest.mark.parametrize("marker", ["n/a", "NA", "-", "—", "..", "…", "x", "#N/A"])
def test_missing_value_markers_suggest_missing_values(marker: str) -> None:
    assert type_hint("number", marker) == (
        f'if {marker!r} means no value, add missingValues: ["", "{marker}"] to the '
        "resource's schema: such cells are then read as empty"
    )


def test_a_date_column_gets_the_marker_hint_and_otherwise_its_example() -> None:
    assert type_hint("date", "..").startswith("if '..' means no value, add missingValues")
    assert type_hint("date", "12/03/2025") == (
        "expected a date as YYYY-MM-DD, e.g. 2025-12-12; fix the cell, or change the field's "
        "type in the data package"
    )


def test_check_shows_the_hint_and_the_fix_it_names_works(mini: Path) -> None:
    csv_file = mini / "data" / "cities.csv"
    edit(csv_file, "431000,12.5", '"431,000","12,5"')
    edit(csv_file, "1000,40", "1000,n/a")
    assert report(mini) == (
        "3 problems found:\n"
        "data/cities.csv:2:3: column 'population': '431,000' is not a valid integer\n"
        '  hint: change the field\'s type to number and add groupChar: "," to the field in the '
        "data package: '431,000' is then read as 431000\n"
        "data/cities.csv:2:4: column 'share': '12,5' is not a valid number\n"
        "  hint: add decimalChar: \",\" to the field in the data package: '12,5' is then read "
        "as 12.5 (the column's decimals must then all use commas)\n"
        "data/cities.csv:3:4: column 'share': 'n/a' is not a valid number\n"
        '  hint: if \'n/a\' means no value, add missingValues: ["", "n/a"] to the resource\'s '
        "schema: such cells are then read as empty"
    )
    # Each hint, followed as written, makes the table load with the value the writer meant.
    edit(csv_file, "47.5", '"47,5"')
    package = mini / "data" / "datapackage.yaml"
    edit(
        package,
        "type: integer, title: Population",
        'type: number, groupChar: ",", title: Population',
    )
    edit(package, 'unit: "%", constraints', 'unit: "%", decimalChar: ",", constraints')
    edit(
        package,
        "      primaryKey: code\n",
        '      primaryKey: code\n      missingValues: ["", "n/a"]\n',
    )
    frame = prepare(mini).catalog.datasets["cities"].frame
    assert frame["population"].tolist()[0] == 431000
    assert frame["share"].tolist()[0] == 12.5 and frame["share"].isna().tolist()[1]
