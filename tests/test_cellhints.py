"""Hints chosen from the value: the schema option that reads a cell as the writer meant it."""

from __future__ import annotations

import re
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
    assert type_hint("date", "2025-13-03") == (
        "expected a date as YYYY-MM-DD, e.g. 2025-12-12; fix the cell, or change the field's "
        "type in the data package"
    )


def test_a_date_written_another_way_gets_the_format_that_reads_it() -> None:
    """The hint said only "YYYY-MM-DD"; the field's `format:` reads the column as written,
    and a date that could be either day or month first is not guessed."""
    assert type_hint("date", "31/12/2023") == (
        "add format: '%d/%m/%Y' to the field in the data package: '31/12/2023' is then read "
        "as day, month, year"
    )
    assert "'%m-%d-%Y' to the field" in type_hint("date", "12-31-2023")
    assert type_hint("date", "07/01/2019") == (
        "add format: '%d/%m/%Y' to the field in the data package if the column's dates are "
        "day first (as 31/12/2023), or '%m/%d/%Y' if month first"
    )
    assert "'%d.%m.%Y'" in type_hint("date", "31.12.2023")
    assert "'%Y/%m/%d'" in type_hint("date", "2023/12/31")
    assert "'%d %B %Y'" in type_hint("date", "5 March 2024")


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


def test_the_date_format_hint_followed_reads_the_dates(mini: Path) -> None:
    csv_file = mini / "data" / "cities.csv"
    for iso, written in (("1890-10-18", "18/10/1890"), ("2001-01-01", "01/01/2001")):
        edit(csv_file, iso, written)
    edit(csv_file, "1950-06-30", "30/06/1950")
    found = report(mini)
    assert found.startswith("3 problems found:\n")
    assert "  hint: add format: '%d/%m/%Y' to the field in the data package: '18/10/1890'" in found
    package = mini / "data" / "datapackage.yaml"
    text = package.read_text()
    package.write_text(re.sub(r"(name: founded, type: date)", r"\1, format: '%d/%m/%Y'", text))
    frame = prepare(mini).catalog.datasets["cities"].frame
    assert str(frame["founded"].tolist()[0].date()) == "1890-10-18"


def test_unread_dates_in_a_key_are_not_also_duplicates(tmp_path: Path) -> None:
    """Two unread dates in the key column were each "the same as" the other as well."""
    from helpers import write_package

    from site_builder.errors import DataError
    from site_builder.loader import load_catalog

    schema = {
        "fields": [{"name": "day", "type": "date"}, {"name": "v", "type": "number"}],
        "primaryKey": ["day"],
    }
    data = write_package(tmp_path, "day,v\n31/12/2023,1\n30/12/2023,2\n", schema=schema)
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    said = [str(p).splitlines()[0] for p in info.value.problems]
    assert said == [
        "data/t.csv:2:1: column 'day': '31/12/2023' is not a valid date",
        "data/t.csv:3:1: column 'day': '30/12/2023' is not a valid date",
    ]


def test_a_date_no_order_reads_gets_no_format() -> None:
    assert type_hint("date", "31/13/2023").startswith("expected a date as YYYY-MM-DD")


def test_a_date_the_fields_own_format_does_not_read_is_said_with_that_format() -> None:
    """With format: '%d/%m/%Y' set, ISO dates were told to be written as YYYY-MM-DD."""
    assert type_hint("date", "2023-12-31", "%d/%m/%Y") == (
        "the field's format '%d/%m/%Y' reads dates written as 31/12/2025, and this one is "
        "written as YYYY-MM-DD: remove 'format:' from the field if the column's dates are all "
        "written so, or write the cell as the format says"
    )
    assert type_hint("date", "31.12.2023", "%d/%m/%Y") == (
        "the field's format '%d/%m/%Y' reads dates written as 31/12/2025: write the cell so, "
        "or change the field's format"
    )
    # A marker for no value is said as one, whatever the format.
    assert type_hint("date", "n/a", "%d/%m/%Y").startswith("if 'n/a' means no value")
    # The default format: the cell's look chooses the hint, as before.
    assert type_hint("date", "31/12/2023", "default").startswith("add format: '%d/%m/%Y'")


def test_a_ragged_rows_cells_out_of_place_are_not_each_said(tmp_path: Path) -> None:
    """A comma too many put every later cell under the wrong column: each was reported as
    the wrong type, above the one problem that explains them."""
    from helpers import write_package

    from site_builder.errors import DataError
    from site_builder.loader import load_catalog

    schema = {
        "fields": [
            {"name": "country", "type": "string"},
            {"name": "value", "type": "number"},
            {"name": "flag", "type": "boolean"},
        ]
    }
    data = write_package(
        tmp_path, "country,value,flag\nChina,90,TRUE\nKorea, Republic of,4,FALSE\n", schema=schema
    )
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    assert [str(p) for p in info.value.problems] == [
        "data/t.csv:3:4: row has more cells than the header ('FALSE' at position 4)\n"
        "  hint: quote cells that contain a comma, or add the missing column to the header"
    ]


def test_a_real_duplicate_key_is_said_beside_another_cells_type_error(tmp_path: Path) -> None:
    from helpers import write_package

    from site_builder.errors import DataError
    from site_builder.loader import load_catalog

    schema = {
        "fields": [{"name": "k", "type": "string"}, {"name": "v", "type": "number"}],
        "primaryKey": ["k"],
    }
    data = write_package(tmp_path, "k,v\na,1\na,n/a\n", schema=schema)
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    said = [str(p).splitlines()[0] for p in info.value.problems]
    assert any("duplicate key (k)" in s for s in said), said
    assert any("'n/a' is not a valid number" in s for s in said), said


def test_one_date_written_unlike_the_rest_of_its_column_is_told_to_match_them(
    tmp_path: Path,
) -> None:
    """One day-first date among ISO ones was told to set the field's format: which then read
    none of the others."""
    from helpers import write_package

    from site_builder.errors import DataError
    from site_builder.loader import load_catalog

    schema = {"fields": [{"name": "day", "type": "date"}, {"name": "v", "type": "number"}]}
    rows = "".join(f"2024-03-0{d},{d}\n" for d in range(1, 5))
    data = write_package(tmp_path, f"day,v\n{rows}05/03/2024,5\n", schema=schema)
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    [problem] = info.value.problems
    assert str(problem) == (
        "data/t.csv:6:1: column 'day': '05/03/2024' is not a valid date\n"
        "  hint: most of the column's dates are written as YYYY-MM-DD: write this one so too "
        "(2024-03-05 if day first or 2024-05-03 if month first)"
    )
    # Most dates written day first: the field's format is what to change.
    data = write_package(
        tmp_path, "day,v\n05/03/2024,1\n06/03/2024,2\n2024-03-07,3\n", schema=schema
    )
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    assert "add format: '%d/%m/%Y'" in str(info.value.problems[0])
    # Excel's line endings (CRLF), and blank cells, do not count as dates read.
    crlf = "day,v\r\n05/03/2024,1\r\n06/03/2024,2\r\n,3\r\n,4\r\n,5\r\n2024-03-07,6\r\n"
    data = write_package(tmp_path, crlf, schema=schema)
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    assert "add format: '%d/%m/%Y'" in str(info.value.problems[0])
    data = write_package(tmp_path, f"day,v\n{rows}2024-02-30,5\n", schema=schema)
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    assert str(info.value.problems[0]).endswith(
        "hint: '2024-02-30' is written as YYYY-MM-DD, but there is no such day: check its "
        "month and day"
    )
    assert type_hint("date", "31.12.2023", "%d/%m/%Y", mostly_read=True) == (
        "most of the column's dates are written as 31/12/2025: write this one so too"
    )
