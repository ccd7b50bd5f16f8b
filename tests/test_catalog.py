"""Catalogue: typed loading and every data problem reported as path:row:column + hint."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import SCHEMA, edit, report, write_package

from site_builder.errors import DataError
from site_builder.loader import load_catalog


def problems(tmp_path: Path, csv_text: str, **overrides: object) -> list[str]:
    data = write_package(tmp_path, csv_text, **overrides)
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    return [str(p) for p in info.value.problems]


def test_loads_declared_types(tmp_path: Path) -> None:
    data = write_package(tmp_path, "country,year,value\nNA,2023,92\nMalaysia,2023,4.5\n")
    frame = load_catalog(data, tmp_path).datasets["t"].frame
    assert frame["country"].tolist() == ["NA", "Malaysia"]  # Namibia's code is not a null
    assert frame["year"].dtype == "int64"
    assert frame["value"].dtype == "float64"
    assert frame["value"].tolist() == [92.0, 4.5]


def test_dates_booleans_and_nulls(tmp_path: Path) -> None:
    schema = {
        "fields": [
            {"name": "when", "type": "date"},
            {"name": "flag", "type": "boolean"},
            {"name": "n", "type": "integer"},
        ]
    }
    data = write_package(tmp_path, "when,flag,n\n2025-12-12,TRUE,1\n2026-01-14,,\n", schema=schema)
    frame = load_catalog(data, tmp_path).datasets["t"].frame
    assert str(frame["when"].iloc[1].date()) == "2026-01-14"
    assert frame["flag"].tolist()[0] is True
    assert frame["flag"].isna().tolist() == [False, True]
    assert frame["n"].dtype == "Int64"


def test_type_error_names_file_row_column_and_hint(tmp_path: Path) -> None:
    found = problems(tmp_path, "country,year,value\nChina,2023,90\nMalaysia,2023,9O\n")
    assert found == [
        "data/t.csv:3:3: column 'value': '9O' is not a valid number\n"
        "  hint: expected a number such as 90 or 4.5 (no %, no thousands separator); fix the "
        "cell, or change the field's type in the data package"
    ]


def test_all_problems_are_collected(tmp_path: Path) -> None:
    csv_text = (
        "country,year,value\n"
        "China,2023,90\n"
        "China,2023,91\n"  # duplicate key
        "Malaysia,,140\n"  # missing key part, out of range
        "Japan,2024,5,7\n"  # extra cell
        "\n"  # blank row
        "Korea,2024\n"  # missing cell
    )
    found = problems(tmp_path, csv_text)
    firsts = [p.splitlines()[0] for p in found]
    assert firsts == [
        "data/t.csv:3: duplicate key (country, year): the same as record 2",
        "data/t.csv:4:2: column 'year' is empty, but a value is required",
        "data/t.csv:4:3: column 'value': '140' breaks the rule constraint \"maximum\" is \"100\"",
        "data/t.csv:5:4: row has more cells than the header ('7' at position 4)",
        "data/t.csv:6: blank row",
        "data/t.csv:7:3: row has fewer cells than the header: column 'value' is missing",
    ]
    assert all("\n  hint: " in p for p in found)


def test_header_problems(tmp_path: Path) -> None:
    found = problems(tmp_path, "country,year,Value\nChina,2023,90\n")
    assert found[0].startswith("data/t.csv:1:3: header: ")
    assert found[0] == (
        "data/t.csv:1:3: header: column 3 is named 'Value' but the schema says 'value'\n"
        "  hint: rename the column or the field: the header must name the schema's fields, in "
        "order, each once"
    )


@pytest.mark.parametrize(
    ("csv_text", "said"),
    [
        (  # a column added in the middle: each later cell was a type error of its own
            "country,region,year,value\nChina,Asia,2023,90\nJapan,Asia,2024,5\n",
            "data/t.csv:1:2: header: column 2 ('region') is not in the schema\n"
            "  hint: add a field named 'region' to the schema's fields after 'country', or "
            "remove the column",
        ),
        (
            "country,value,year\nChina,90,2023\n",
            "data/t.csv:1:2: header: the columns are in another order than the schema's fields "
            "(header: country, value, year; schema: country, year, value)\n"
            "  hint: list the fields in the schema in the header's order: columns are matched "
            "to fields by their place",
        ),
        (
            "country,year\nChina,2023\n",
            "data/t.csv:1:3: header: the schema's field 'value' has no column\n"
            "  hint: add a column 'value' at position 3, or remove the field from the schema",
        ),
    ],
)
def test_a_header_out_of_line_with_the_schema_is_said_once(
    tmp_path: Path, csv_text: str, said: str
) -> None:
    """Its cells, read under the wrong fields, are not each reported as well."""
    assert problems(tmp_path, csv_text) == [said]


def test_a_moved_column_beside_another_change_is_said_as_moved(tmp_path: Path) -> None:
    """It was said twice, as 'no column' and 'not in the schema'."""
    found = problems(tmp_path, "year,country,value,notes\n2023,China,90,x\n")
    assert [f.splitlines()[0] for f in found] == [
        "data/t.csv:1:2: header: column 2 ('country') is out of place: the schema has it as "
        "field 1",
        "data/t.csv:1:4: header: column 4 ('notes') is not in the schema",
    ]


def test_missing_sources_title_and_licence(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "country,year,value\nChina,2023,90\n",
        sources=[{"title": "Bad", "path": "javascript:alert(1)"}],
        title="",
        licenses=[],
    )
    # Each at its line: the empty title, the source's entry, the empty licences.
    assert found == [
        "data/datapackage.yaml:22:10: resource 't' has no title\n"
        "  hint: add 'title:' to the resource",
        "data/datapackage.yaml:20:5: resource 't': source 'Bad' has no http(s) URL "
        "('javascript:alert(1)')\n"
        "  hint: give each source a 'title:' and a 'path:' starting with https://",
        "data/datapackage.yaml:3:13: resource 't' has no licence\n"
        "  hint: add 'licenses:' to the package or resource",
    ]


def test_a_licence_link_that_is_not_a_web_address_is_named(tmp_path: Path) -> None:
    """The page left such a link out without a word; a source's was an error already."""
    licences = [{"name": "CC0-1.0"}, {"name": "Odd", "path": "javascript:alert(3)"}]
    found = problems(tmp_path, "country,year,value\nChina,2023,90\n", licenses=licences)
    assert len(found) == 1 and found[0].startswith(
        "data/datapackage.yaml:5:5: resource 't': licence 'Odd' links to 'javascript:alert(3)', "
        "which is not an http(s) URL\n"
    )
    descriptor = tmp_path / "data" / "datapackage.yaml"
    package = yaml.safe_load(descriptor.read_text())
    package["resources"][0].pop("licenses")
    package["licenses"] = [{"name": "CC-BY-4.0", "path": "data:text/html,x"}]
    descriptor.write_text(yaml.safe_dump(package))
    with pytest.raises(DataError) as info:
        load_catalog(tmp_path / "data", tmp_path)
    assert str(info.value.problems[0]).startswith(
        "data/datapackage.yaml:2:3: the package: licence 'CC-BY-4.0' links to 'data:text/html,x'"
    )


def test_a_misspelt_key_is_named_where_it_is(tmp_path: Path) -> None:
    """'descripton:' was reported as a missing description, with no word of the typo."""
    data = write_package(tmp_path, "country,year,value\nChina,2023,90\n")
    descriptor = data / "datapackage.yaml"
    descriptor.write_text(descriptor.read_text().replace("description:", "descripton:"))
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    lines = descriptor.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "descripton:" in text)
    column = lines[line - 1].index("descripton: ") + len("descripton: ") + 1  # its value
    assert [str(p) for p in info.value.problems] == [
        f"data/datapackage.yaml:{line}:{column}: resource 't' has no description ('descripton:' is "
        "not a key it knows)\n  hint: spell it 'description:'"
    ]


_FIELDS = SCHEMA["fields"]


@pytest.mark.parametrize(
    ("overrides", "key", "said"),
    [
        (  # the rule would not be kept: 120 would pass
            {
                "schema": {
                    **SCHEMA,
                    "fields": [
                        *_FIELDS[:2],
                        {"name": "value", "type": "number", "constraints": {"maximun": 100}},
                    ],
                }
            },
            "maximun",
            "resource 't', schema, field 'value', constraints: 'maximun:' is not a key the tool "
            "reads here; did you mean 'maximum'?\n  hint: write 'maximum:'",
        ),
        (  # the field would be read as any type
            {"schema": {**SCHEMA, "fields": [*_FIELDS[:2], {"name": "value", "typ": "number"}]}},
            "typ",
            "resource 't', schema, field 'value': 'typ:' is not a key the tool reads here; did "
            "you mean 'type'?\n  hint: write 'type:'",
        ),
        (  # rows would not be told apart
            {"schema": {"fields": _FIELDS, "primarykey": ["country", "year"]}},
            "primarykey",
            "resource 't', schema: 'primarykey:' is not a key the tool reads here; it is written "
            "'primaryKey'\n  hint: write 'primaryKey:'",
        ),
        (  # beside the schema, not in it
            {"foreignKeys": [{"fields": "country", "reference": {"resource": "t"}}]},
            "foreignKeys",
            "resource 't': 'foreignKeys:' is not a key the tool reads here; 'foreignKeys' is "
            "read under a resource's 'schema:'\n  hint: move it under a resource's 'schema:'",
        ),
        (  # a constraint beside the type
            {
                "schema": {
                    **SCHEMA,
                    "fields": [*_FIELDS[:2], {"name": "value", "type": "number", "required": True}],
                }
            },
            "required",
            "resource 't', schema, field 'value': 'required:' is not a key the tool reads here; "
            "'required' is read under a field's 'constraints:'\n  hint: move it under a "
            "field's 'constraints:'",
        ),
        (  # only the standard's constraints mean anything
            {
                "schema": {
                    **SCHEMA,
                    "fields": [
                        *_FIELDS[:2],
                        {"name": "value", "type": "number", "constraints": {"positive": True}},
                    ],
                }
            },
            "positive",
            "resource 't', schema, field 'value', constraints: 'positive:' is not a key the tool "
            "reads here; the keys read here are enum, exclusiveMaximum, exclusiveMinimum, "
            "jsonSchema, maxLength, maximum, minLength, minimum, pattern, required, unique\n"
            "  hint: remove it, or write one of those",
        ),
    ],
)
def test_a_key_the_tool_would_pass_over_is_named_where_it_is(
    tmp_path: Path, overrides: dict[str, object], key: str, said: str
) -> None:
    """Misspelt, miscased or misplaced keys were passed over without a word: the rule or key
    they carry lost, or a vague 'descriptor is not valid'."""
    found = problems(tmp_path, "country,year,value\nChina,2023,90\n", **overrides)
    lines = (tmp_path / "data" / "datapackage.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if f"{key}:" in text)
    column = lines[line - 1].index(f"{key}:") + 1
    assert found == [f"data/datapackage.yaml:{line}:{column}: {said}"]


def test_a_writers_own_keys_are_left_alone(tmp_path: Path) -> None:
    data = write_package(tmp_path, "country,year,value\nChina,2023,90\n", editor="Desk A")
    assert load_catalog(data, tmp_path).datasets["t"].frame["value"].tolist() == [90.0]


def test_what_a_resource_lacks_is_reported_where_it_begins(tmp_path: Path) -> None:
    data = write_package(tmp_path, "country,year,value\nChina,2023,90\n")
    descriptor = data / "datapackage.yaml"
    lines = descriptor.read_text().splitlines()
    start = lines.index("  sources:")
    descriptor.write_text("\n".join(lines[:start] + lines[start + 3 :]) + "\n")  # no sources
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    assert [str(p).splitlines()[0] for p in info.value.problems] == [
        "data/datapackage.yaml:2:3: resource 't' has no sources"
    ]


def test_unknown_field_type(tmp_path: Path) -> None:
    # A field named like the type before it: the type's own line is named.
    schema = {
        "fields": [{"name": "text_id", "type": "string"}, {"name": "country", "type": "text"}]
    }
    found = problems(tmp_path, "text_id,country\n1,China\n", schema=schema)
    # At the type's line and column: it had no line.
    lines = (tmp_path / "data" / "datapackage.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "type: text" in text)
    column = lines[line - 1].index("text") + 1
    assert found[0].startswith(
        f"data/datapackage.yaml:{line}:{column}: resource 't': field type \"text\" is not supported"
    )
    assert "field types are string, number" in found[0]
    assert "did you mean" not in found[0]  # "text" is like none of them


def test_misspelt_field_type_gets_the_nearest(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "count", "type": "interger"}]}
    found = problems(tmp_path, "count\n1\n", schema=schema)
    assert 'field type "interger" is not supported' in found[0]
    assert "hint: did you mean 'integer'?" in found[0]


def test_missing_csv_file(tmp_path: Path) -> None:
    found = problems(tmp_path, "x\n", path="t2.csv")
    assert found == [
        "data/datapackage.yaml:6:9: resource 't': file 'data/t2.csv' does not exist\n"
        "  hint: check the resource's 'path:' (relative to the data folder); did you mean "
        "'t.csv'? known: 't.csv'"
    ]


def test_a_missing_file_is_reported_at_its_path_line(mini: Path) -> None:
    edit(mini / "data" / "datapackage.yaml", "path: regions.csv", "path: region.csv")
    assert report(mini) == (
        "data/datapackage.yaml:22:11: resource 'regions': file 'data/region.csv' does not exist\n"
        "  hint: check the resource's 'path:' (relative to the data folder); did you mean "
        "'regions.csv'? known: 'regions.csv', 'cities.csv'"
    )


def test_bad_yaml_has_line_and_column(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "datapackage.yaml").write_text("resources:\n  - name: t\n    path: [oops\n")
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    assert str(info.value).startswith("data/datapackage.yaml:4:1: not valid YAML")


def test_digest_changes_with_the_file(tmp_path: Path) -> None:
    data = write_package(tmp_path, "country,year,value\nChina,2023,90\n")
    first = load_catalog(data, tmp_path).datasets["t"].digest
    (data / "t.csv").write_text("country,year,value\nChina,2023,91\n")
    assert load_catalog(data, tmp_path).datasets["t"].digest != first


def test_a_broken_descriptor_is_one_error_not_one_per_chart(mini: Path) -> None:
    edit(mini / "data" / "datapackage.yaml", "    title: Regions", "   title: Regions")
    # One mistake, one error: nothing about the charts, facts and pages that use its datasets.
    assert report(mini) == (
        "data/datapackage.yaml:23:4: not valid YAML: expected <block end>, but found "
        "'<block mapping start>'\n"
        "  hint: check indentation and quotes around values that contain ':'"
    )


def test_a_descriptor_is_parsed_again_only_when_its_text_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long preview reads datapackage.yaml on every table edit: the same text is not parsed
    again, and each reader gets its own copy (the loader fills in key fields' constraints)."""
    from site_builder import descriptor

    monkeypatch.setattr(descriptor, "_parsed", None)  # another test's may have this text
    parsed: list[str] = []
    parse = descriptor._parse_yaml
    monkeypatch.setattr(descriptor, "_parse_yaml", lambda text: parsed.append(text) or parse(text))
    path = write_package(tmp_path, "country,value\nNA,1\n") / "datapackage.yaml"
    first, _ = descriptor.read_descriptor(path, "data/datapackage.yaml")
    first["resources"][0]["title"] = "Changed by its reader"
    second, _ = descriptor.read_descriptor(path, "data/datapackage.yaml")
    assert len(parsed) == 1
    assert second["resources"][0]["title"] != "Changed by its reader"
    edit(path, "name: t\n", "name: u\n")
    third, _ = descriptor.read_descriptor(path, "data/datapackage.yaml")
    assert len(parsed) == 2 and third["resources"][0]["name"] == "u"


def test_a_new_build_takes_the_parsed_descriptor_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild after a table edit is a new process: it takes the descriptor parsed by the
    last build from the cache folder (0.5 s at 1,000 resources), the same text only; a
    damaged entry is parsed again."""
    from site_builder import descriptor

    monkeypatch.setattr(descriptor, "_parsed", None)
    parsed: list[str] = []
    parse = descriptor._parse_yaml
    monkeypatch.setattr(descriptor, "_parse_yaml", lambda text: parsed.append(text) or parse(text))
    path = write_package(tmp_path, "country,value\nNA,1\n") / "datapackage.yaml"
    cache = tmp_path / "cache"
    first, _ = descriptor.read_descriptor(path, "data/datapackage.yaml", cache)
    monkeypatch.setattr(descriptor, "_parsed", None)  # as in a new process
    second, _ = descriptor.read_descriptor(path, "data/datapackage.yaml", cache)
    assert len(parsed) == 1 and second == first
    edit(path, "name: t\n", "name: u\n")
    third, _ = descriptor.read_descriptor(path, "data/datapackage.yaml", cache)
    assert len(parsed) == 2 and third["resources"][0]["name"] == "u"
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"damaged")
    monkeypatch.setattr(descriptor, "_parsed", None)
    fourth, _ = descriptor.read_descriptor(path, "data/datapackage.yaml", cache)
    assert len(parsed) == 3 and fourth == third


def test_a_load_of_some_tables_checks_their_paths_and_counts_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild after one table changed (partial.py) loads that table alone: only its path
    is checked (resolving 1,000 paths was most of a preview's load), and the files it does
    not read still count towards the data limit."""
    import yaml

    from site_builder import loader
    from site_builder.descriptor import Limits

    checked: list[str] = []
    check = loader.resource_path
    monkeypatch.setattr(
        loader, "resource_path", lambda res, *a: checked.append(res["name"]) or check(res, *a)
    )

    data = write_package(tmp_path / "project", "country,year,value\nNA,2020,1\n")
    descriptor = yaml.safe_load((data / "datapackage.yaml").read_text())
    big = dict(descriptor["resources"][0], name="big", path="big.csv")
    descriptor["resources"].append(big)
    (data / "datapackage.yaml").write_text(yaml.safe_dump(descriptor))
    (data / "big.csv").write_text("country,year,value\n" + "NA,2020,1\n" * 150_000)
    root = tmp_path / "project"
    with pytest.raises(DataError) as info:
        load_catalog(data, root, limits=Limits(max_data_mb=1), only={"t"})
    assert "over the limit of 1 MB (largest: big.csv (1 MB)" in info.value.report()
    assert checked == ["t"]
    (tmp_path / "outside.csv").write_text("country,year,value\nNA,2020,1\n")
    (data / "t.csv").unlink()
    (data / "t.csv").symlink_to(tmp_path / "outside.csv")
    with pytest.raises(DataError) as info:
        load_catalog(data, root, only={"t"})
    assert "data/t.csv: the file points outside the project" in info.value.report()


def test_a_heading_gives_the_unit_once() -> None:
    from site_builder.catalog import Field

    assert Field("share", "number", "Share", unit="%").label == "Share (%)"
    # The title says its unit already: "Price (EUR per kWh) (EUR/kWh)" said it twice.
    assert Field("p", "number", "Price (EUR per kWh)", unit="EUR/kWh").label == (
        "Price (EUR per kWh)"
    )
    assert Field("p", "number", "Price in EUR/kWh", unit="EUR/kWh").label == "Price in EUR/kWh"
    assert Field("n", "integer", "Trips").label == "Trips"
    # A unit inside another word, or brackets that hold no word of it, is not said.
    assert Field("i", "number", "Median income", unit="m").label == "Median income (m)"
    assert Field("t", "number", "Response times", unit="s").label == "Response times (s)"
    assert Field("o", "number", "Output (adjusted)", unit="MWh").label == (
        "Output (adjusted) (MWh)"
    )
    assert Field("g", "number", "Growth (2020-2023)", unit="%").label == "Growth (2020-2023) (%)"


def _with_countries(tmp_path: Path, reference: str, countries_path: str) -> Path:
    """Table t, whose country column refers to table `reference`; `countries` at a path."""
    data = write_package(tmp_path, "country,year,value\nChina,2023,92\n")
    (data / "countries.csv").write_text("country\nChina\n", encoding="utf-8")
    descriptor = yaml.safe_load((data / "datapackage.yaml").read_text(encoding="utf-8"))
    table = descriptor["resources"][0]
    table["schema"]["foreignKeys"] = [
        {"fields": "country", "reference": {"resource": reference, "fields": "country"}}
    ]
    descriptor["resources"].append(
        {
            **{k: table[k] for k in ("title", "description", "sources", "licenses")},
            "name": "countries",
            "path": countries_path,
            "schema": {"fields": [{"name": "country", "type": "string"}]},
        }
    )
    (data / "datapackage.yaml").write_text(yaml.safe_dump(descriptor), encoding="utf-8")
    return data


def test_a_foreign_key_to_a_table_that_failed_adds_no_false_blame(tmp_path: Path) -> None:
    """The table referred to failed to load (a path typo): the one referring to it was said to
    refer to a table that "does not exist", at its own line 1."""
    data = _with_countries(tmp_path, "countries", "countrys.csv")
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    said = [str(p).splitlines()[0] for p in info.value.problems]
    assert len(said) == 1 and "countrys.csv" in said[0] and "t.csv" not in said[0]
    # A reference to a table the package does not describe is said as such.
    data = _with_countries(tmp_path / "other", "countrie", "countries.csv")
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path / "other")
    assert [str(p).splitlines()[0] for p in info.value.problems] == [
        "data/datapackage.yaml: resource 't': a foreign key refers to table 'countrie', which "
        "the data package does not describe"
    ]
