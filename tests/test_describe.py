"""`site-builder describe`: a CSV's entry inferred from the file, placeholders until filled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT
from helpers import edit, prepare, report

from site_builder.cli import main
from site_builder.describe import add_resource


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The command in the project folder, in this process (the imports are paid once)."""

    def run(project: Path, *args: str):  # type: ignore[no-untyped-def]
        monkeypatch.chdir(project)
        return CliRunner().invoke(main, list(args))

    return run


WIDE = "date,a,b,c\n2020-01-01,1,2.5,3\n2020-02-01,4,5,n/a\n"
FORMATS = (
    'month,day,share,amount,code\n2020-01,31/01/2020,5%,"1,234",NA\n2020-02,29/02/2020,6%,12,A1\n'
)


def _describe(run_cli, mini: Path, name: str, text: str) -> str:  # type: ignore[no-untyped-def]
    (mini / "data" / name).write_text(text, encoding="utf-8")
    result = run_cli(mini, "describe", f"data/{name}")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _resource(mini: Path, name: str) -> dict:
    package = yaml.safe_load((mini / "data" / "datapackage.yaml").read_text())
    return next(r for r in package["resources"] if r["name"] == name)


def test_describe_infers_the_schema_and_keeps_the_file(mini: Path, run_cli) -> None:
    before = (mini / "data" / "datapackage.yaml").read_text()
    out = _describe(run_cli, mini, "Wide Table.csv", WIDE)
    assert out == (
        "added resource 'wide_table' to data/datapackage.yaml:32: date (date), a (integer), "
        "b (number), c (integer)\n"
        "fill in what is marked TODO; `site-builder check` lists what is left\n"
    )
    after = (mini / "data" / "datapackage.yaml").read_text()
    assert after.startswith(before)
    res = _resource(mini, "wide_table")
    assert res["path"] == "Wide Table.csv"
    assert res["schema"] == {
        "primaryKey": "date",
        "missingValues": ["", "n/a"],
        "fields": [
            {"name": "date", "type": "date"},
            {"name": "a", "type": "integer"},
            {"name": "b", "type": "number"},
            {"name": "c", "type": "integer"},
        ],
    }
    assert "licenses" not in res  # the package's licence covers it


def test_describe_finds_formats_and_leaves_text_alone(mini: Path, run_cli) -> None:
    _describe(run_cli, mini, "formats.csv", FORMATS)
    schema = _resource(mini, "formats")["schema"]
    assert schema["fields"] == [
        {"name": "month", "type": "date", "format": "%Y-%m"},
        {"name": "day", "type": "date", "format": "%d/%m/%Y"},
        {"name": "share", "type": "number", "bareNumber": False},
        {"name": "amount", "type": "number", "groupChar": ","},
        {"name": "code", "type": "string"},  # 'NA' is a code here, not a missing value
    ]
    assert "missingValues" not in schema
    assert schema["primaryKey"] == "month"


EUROPEAN = (
    "\ufeffLand;Jahr;Anteil (%);Wert;Datum\n"
    'Deutschland;2023;12,5;"1.234,5";01.03.2023\n'
    "Frankreich;2023;8,25;17;15.04.2023\n"
)


def test_a_semicolon_file_with_decimal_commas_is_described_as_it_is_written(
    mini: Path, run_cli
) -> None:
    _describe(run_cli, mini, "european.csv", EUROPEAN)
    res = _resource(mini, "european")
    assert res["dialect"] == {"delimiter": ";"}
    assert "dialect: {delimiter: ;}" in (mini / "data" / "datapackage.yaml").read_text()
    assert res["schema"]["fields"] == [
        {"name": "Land", "type": "string"},
        {"name": "Jahr", "type": "integer"},
        # Frictionless alone takes '12,5' for a point (longitude, latitude).
        {"name": "Anteil (%)", "type": "number", "decimalChar": ","},
        {"name": "Wert", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "Datum", "type": "date", "format": "%d.%m.%Y"},
    ]
    descriptor = mini / "data" / "datapackage.yaml"
    edit(descriptor, "'TODO: say what the table is, in a few words'", "Shares")
    edit(descriptor, "'TODO: say what one row is", "'One country")
    edit(descriptor, "'TODO: who published the numbers, and when'", "Office")
    edit(descriptor, "https://example.com/TODO", "https://example.org/shares")
    frame = prepare(mini).catalog.datasets["european"].frame
    assert frame["Anteil (%)"].tolist() == [12.5, 8.25]
    assert frame["Wert"].tolist() == [1234.5, 17]
    assert [str(d)[:10] for d in frame["Datum"]] == ["2023-03-01", "2023-04-15"]


def test_placeholders_are_errors_at_their_line_until_filled(mini: Path, run_cli) -> None:
    _describe(
        run_cli, mini, "long.csv", "year,source,value\n2001,coal,1\n2001,gas,2\n2002,coal,3\n"
    )
    assert _resource(mini, "long")["schema"]["primaryKey"] == ["year", "source"]
    assert report(mini) == (
        "3 problems found:\n"
        "data/datapackage.yaml:34:12: resource 'long': title is still a placeholder "
        "('TODO: say what the table is, in a few words')\n"
        "  hint: say what the table is, in a few words; then remove 'TODO'\n"
        "data/datapackage.yaml:35:18: resource 'long': description is still a placeholder "
        "('TODO: say what one row is, what is measured (and in which unit), and any caveat')\n"
        "  hint: say what one row is, what is measured (and in which unit), and any caveat; "
        "then remove 'TODO'\n"
        "data/datapackage.yaml:37:16: resource 'long': sources is still a placeholder "
        "('TODO: who published the numbers, and when')\n"
        "  hint: name who published the numbers, and when, with the https:// address of the "
        "page; then remove 'TODO'"
    )
    descriptor = mini / "data" / "datapackage.yaml"
    edit(descriptor, "'TODO: say what the table is, in a few words'", "Energy by source")
    edit(descriptor, "'TODO: say what one row is", "'One year and source")
    edit(descriptor, "'TODO: who published the numbers, and when'", "Energy agency")
    assert report(mini).startswith(
        "data/datapackage.yaml:38:15: resource 'long': sources is still a placeholder "
        "('https://example.com/TODO')"
    )
    edit(descriptor, "https://example.com/TODO", "https://example.org/energy")
    assert len(prepare(mini).catalog.datasets["long"].frame) == 3


def test_dates_that_could_be_day_or_month_first_are_not_guessed(mini: Path, run_cli) -> None:
    """07/01/2019 is 7 January or 1 July: `describe` took it as day first, without a word,
    and a US file's dates were read six months off."""
    _describe(run_cli, mini, "us.csv", "day,v\n07/01/2019,1\n08/01/2019,2\n12/11/2019,3\n")
    day = _resource(mini, "us")["schema"]["fields"][0]
    assert day == {
        "name": "day",
        "type": "date",
        "format": "TODO: '%d/%m/%Y' if day first (31/12/2023), '%m/%d/%Y' if month first",
    }
    said = report(mini)
    assert "resource 'us': schema is still a placeholder (\"TODO: '%d/%m/%Y' if day first" in said
    assert "is not a valid date" not in said  # the placeholder says it
    assert "hint: choose what the placeholder offers (a date's format" in said
    descriptor = mini / "data" / "datapackage.yaml"
    text = descriptor.read_text()
    descriptor.write_text(text.replace(day["format"], "%m/%d/%Y"))
    edit(descriptor, "'TODO: say what the table is, in a few words'", "Days")
    edit(descriptor, "'TODO: say what one row is", "'One day")
    edit(descriptor, "'TODO: who published the numbers, and when'", "Agency")
    edit(descriptor, "https://example.com/TODO", "https://example.org/days")
    frame = prepare(mini).catalog.datasets["us"].frame
    assert str(frame["day"].tolist()[0].date()) == "2019-07-01"


def test_a_package_without_licence_gets_a_licence_placeholder(mini: Path, run_cli) -> None:
    descriptor = mini / "data" / "datapackage.yaml"
    text = descriptor.read_text()
    descriptor.write_text(text[: text.index("licenses:")] + text[text.index("resources:") :])
    _describe(run_cli, mini, "one.csv", "k,v\na,1\n")
    assert _resource(mini, "one")["licenses"] == [
        {
            "name": "TODO: the licence of the data, e.g. CC-BY-4.0",
            "path": "https://example.com/TODO",
        }
    ]
    assert "data/datapackage.yaml:38:15: resource 'one': licenses is still a placeholder" in (
        report(mini)
    )


def test_describe_refuses_what_it_cannot_describe(mini: Path, run_cli) -> None:
    result = run_cli(mini, "describe", "data/cities.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "data/datapackage.yaml:6: cities.csv is already described (resource 'cities')\n"
        "  hint: edit that entry instead; to describe the file again, delete the entry first\n"
    )
    (mini / "loose.csv").write_text("a,b\n1,2\n")
    result = run_cli(mini, "describe", "loose.csv")
    assert result.stderr == (
        "loose.csv: the file is not in the data folder (data)\n"
        "  hint: move it there first: the data package describes the files beside it\n"
    )
    result = run_cli(mini, "describe", "data/missing.csv")
    assert result.stderr == "data/missing.csv: no such file\n  hint: give the path of a CSV file\n"
    (mini / "data" / "empty.csv").write_text("a,b\n")
    result = run_cli(mini, "describe", "data/empty.csv")
    assert result.stderr == (
        "data/empty.csv: the file has no rows to describe\n  hint: add a header row and data rows\n"
    )
    (mini / "data" / "odd.csv").write_bytes(b"a,b\n\x81,1\n")  # no letter in Windows-1252
    result = run_cli(mini, "describe", "data/odd.csv")
    assert result.stderr == (
        "data/odd.csv: not valid UTF-8 (byte offset 4), nor Windows-1252\n"
        "  hint: save it as UTF-8 (Excel: CSV UTF-8)\n"
    )
    wide = ",".join(f"c{i}" for i in range(1001))
    (mini / "data" / "wide.csv").write_text(wide + "\n" + ",".join("1" * 1001) + "\n")
    result = run_cli(mini, "describe", "data/wide.csv")
    assert result.stderr.startswith(
        "data/wide.csv:1: the header has 1,001 columns, over the limit of 1,000\n"
    )  # as the build would say, before writing an entry it refuses
    (mini / "data" / "Cities.csv").write_text("a,b\n1,2\n")
    result = run_cli(mini, "describe", "data/Cities.csv")
    assert result.stderr == (
        "data/datapackage.yaml:6: resource 'cities' already exists\n"
        "  hint: rename the CSV file, or the existing resource\n"
    )


def test_an_excel_csv_from_windows_is_described_with_its_encoding(mini: Path, run_cli) -> None:
    """Excel on Windows saves "CSV (Comma delimited)" as Windows-1252: describe refused it."""
    (mini / "data" / "latin.csv").write_bytes("name,value\nCafé São,1\nNaïve,2\n".encode("cp1252"))
    result = run_cli(mini, "describe", "data/latin.csv")
    assert result.exit_code == 0, result.stderr
    assert "it is read as Windows-1252 (Excel's 'CSV' on Windows)" in result.stdout
    assert _resource(mini, "latin")["encoding"] == "cp1252"
    descriptor = mini / "data" / "datapackage.yaml"
    text = re.sub(r"'TODO: [^']*'", "Filled in", descriptor.read_text())
    descriptor.write_text(text.replace("https://example.com/TODO", "https://example.org/x"))
    frame = prepare(mini).catalog.datasets["latin"].frame
    assert frame["name"].tolist() == ["Café São", "Naïve"]


def test_the_sample_descriptor_is_kept_byte_for_byte(tmp_path: Path) -> None:
    descriptor = tmp_path / "datapackage.yaml"
    original = (ROOT / "data" / "datapackage.yaml").read_text()
    descriptor.write_text(original)
    entry = {"name": "x", "path": "x.csv", "schema": {"fields": [{"name": "a", "type": "string"}]}}
    line = add_resource(descriptor, "data/datapackage.yaml", entry)
    text = descriptor.read_text()
    assert text.startswith(original)
    assert text.splitlines()[line - 1] == "  - name: x"
    assert text.endswith(
        "    schema:\n      fields:\n        - {name: x, type: string}\n".replace(
            "x, type", "a, type"
        )
    )
