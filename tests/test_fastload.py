"""The loader's fast path: it takes plain, valid tables with exactly the validator's values, and
leaves everything doubtful to the validator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import PROJECTS, ROOT
from helpers import DATA_CASES, load_case

from site_builder import catalog, loader
from site_builder.csvcheck import RawCheck
from site_builder.fastload import typed_frame

FIELDS = [
    {"name": "id", "type": "string"},
    {"name": "share", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
    {"name": "year", "type": "integer"},
    {"name": "day", "type": "date"},
    {"name": "flag", "type": "boolean"},
]
GOOD = [
    ["id", "share", "year", "day", "flag"],
    ["a", "90.5", "2024", "2025-12-12", "TRUE"],
    ["b", "", "2023", "", "false"],
    ["c", "4", "-1", "2025-01-31", "1"],
]


def parsed(records: list[list[str]], form: str) -> RawCheck:
    """The cells as the raw check hands them over: parsed records, or the text of a file with
    nothing quoted."""
    if form == "records":
        return RawCheck(records=records)
    return RawCheck(text="".join(",".join(r) + "\n" for r in records))


FORMS = pytest.mark.parametrize("form", ["records", "text"])


def resource(fields: list[dict[str, Any]] = FIELDS, **schema: Any) -> dict[str, Any]:
    return {"name": "t", "schema": {"fields": fields, "primaryKey": "id", **schema}}


def load_both(
    monkeypatch: pytest.MonkeyPatch, load: Any
) -> tuple[catalog.Catalog, catalog.Catalog, list[bool]]:
    """The catalogue through the fast path, through the validator alone, and which tables the
    fast path took."""
    taken: list[bool] = []

    def spy(res: dict[str, Any], raw: RawCheck) -> pd.DataFrame | None:
        frame = typed_frame(res, raw)
        taken.append(frame is not None)
        return frame

    with monkeypatch.context() as m:
        m.setattr(loader, "typed_frame", spy)
        fast = load()
    with monkeypatch.context() as m:
        m.setattr(loader, "typed_frame", lambda res, raw: None)
        slow = load()
    return fast, slow, taken


def assert_same_tables(fast: catalog.Catalog, slow: catalog.Catalog) -> None:
    assert fast.names() == slow.names()
    for name, ds in fast.datasets.items():
        if ds.is_table:
            pd.testing.assert_frame_equal(ds.frame, slow.datasets[name].frame)
            assert ds.fields == slow.datasets[name].fields
            assert ds.digest == slow.datasets[name].digest


@pytest.mark.parametrize("project", [ROOT, PROJECTS / "basic"])
def test_projects_load_the_same_either_way(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow, taken = load_both(
        monkeypatch, lambda: loader.load_catalog(project / "data", project)
    )
    assert_same_tables(fast, slow)
    if project == ROOT:
        assert taken and all(taken), "every table of the story is plain and valid"


LOADING = [c for c in DATA_CASES if c["expect"] == "ok"]


@pytest.mark.parametrize("case", LOADING, ids=[str(c["id"]) for c in LOADING])
def test_corpus_tables_load_the_same_either_way(
    case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow, _ = load_both(monkeypatch, lambda: load_case(tmp_path, case))
    assert_same_tables(fast, slow)


@FORMS
def test_plain_table_is_typed(form: str) -> None:
    frame = typed_frame(resource(), parsed(GOOD, form))
    assert frame is not None
    assert frame["share"].dtype == "float64" and pd.isna(frame["share"][1])
    assert frame["year"].tolist() == [2024, 2023, -1] and frame["year"].dtype == "int64"
    assert frame["day"].dtype == "datetime64[s]" and pd.isna(frame["day"][1])
    assert frame["flag"].tolist() == [True, False, True]


DOUBTFUL = {
    "thousands separator": (1, 1, "1,5"),
    "percent sign": (1, 1, "90%"),
    "NaN": (1, 1, "NaN"),
    "above the maximum": (1, 1, "101"),
    "decimal integer": (1, 2, "2024.0"),
    "leading zero": (1, 2, "02024"),
    "impossible date": (1, 3, "2025-02-30"),
    "day first": (1, 3, "12/12/2025"),
    "yes for a boolean": (1, 4, "yes"),
    "empty key": (1, 0, ""),
    "duplicate key": (2, 0, "a"),
}


@FORMS
@pytest.mark.parametrize("row, column, cell", DOUBTFUL.values(), ids=DOUBTFUL.keys())
def test_doubtful_cells_go_to_the_validator(row: int, column: int, cell: str, form: str) -> None:
    records = [list(r) for r in GOOD]
    records[row][column] = cell
    if form == "text" and "," in cell:
        cell = cell.replace(",", ";")  # unquoted, a comma would be a column
        records[row][column] = cell
    assert typed_frame(resource(), parsed(records, form)) is None


@FORMS
def test_doubtful_shapes_go_to_the_validator(form: str) -> None:
    def frame(*records: list[str]) -> pd.DataFrame | None:
        return typed_frame(resource(), parsed(list(records), form))

    assert frame(GOOD[0], GOOD[1], []) is None  # blank line
    assert frame(GOOD[0], GOOD[1], ["", "", "", "", ""]) is None
    assert frame(GOOD[0], GOOD[1][:4]) is None  # a missing cell
    assert frame(GOOD[0], [*GOOD[1], "x"]) is None  # an extra cell
    assert frame(GOOD[0][::-1], *GOOD[1:]) is None  # header order
    assert frame(GOOD[0]) is None  # no rows


def test_features_it_does_not_check_go_to_the_validator() -> None:
    good = parsed(GOOD, "records")
    fk = {"fields": ["id"], "reference": {"resource": "other", "fields": ["id"]}}
    assert typed_frame(resource(foreignKeys=[fk]), good) is None
    assert typed_frame(resource(missingValues=["", "NA"]), good) is None
    custom = [dict(FIELDS[0], format="email"), *FIELDS[1:]]
    assert typed_frame(resource(custom), good) is None
    enum_number = [FIELDS[0], dict(FIELDS[1], constraints={"enum": [90.5, 4]}), *FIELDS[2:]]
    assert typed_frame(resource(enum_number), good) is None


ID_RULES = {
    "pattern met": ({"pattern": "[a-c]"}, True),
    "pattern broken": ({"pattern": "[ab]"}, False),
    "pattern Arrow cannot run": ({"pattern": "(?=[a-c])."}, False),
    "enum met": ({"enum": ["a", "b", "c"]}, True),
    "enum broken": ({"enum": ["a", "b"]}, False),
    "shorter than minLength": ({"minLength": 2}, False),
    "unique": ({"unique": True}, True),
}


@pytest.mark.parametrize("rules, taken", ID_RULES.values(), ids=ID_RULES.keys())
def test_constraints_are_checked_or_left_to_the_validator(
    rules: dict[str, Any], taken: bool
) -> None:
    fields = [dict(FIELDS[0], constraints=rules), *FIELDS[1:]]
    assert (typed_frame(resource(fields), parsed(GOOD, "text")) is not None) is taken


MORE_RULES = {
    "unique number": ({"name": "share", "type": "number", "constraints": {"unique": True}}, "1.0"),
    "enum of numbers": ({"name": "id", "type": "string", "constraints": {"enum": [1, 2]}}, "1"),
    "POSIX class": (
        {"name": "id", "type": "string", "constraints": {"pattern": "[[:alpha:]]+"}},
        "a",
    ),
    "\\p class": ({"name": "id", "type": "string", "constraints": {"pattern": "\\pL+"}}, "a"),
    "at a float bound": (
        {"name": "share", "type": "number", "constraints": {"maximum": 0.3}},
        "0.30000000000000001",
    ),
    "above an integer bound": (
        {"name": "year", "type": "integer", "constraints": {"maximum": 9007199254740992}},
        "9007199254740993",
    ),
    "year 0": ({"name": "day", "type": "date"}, "0000-01-01"),
}


@pytest.mark.parametrize("field, cell", MORE_RULES.values(), ids=MORE_RULES.keys())
def test_what_the_validator_judges_otherwise_goes_to_it(field: dict[str, Any], cell: str) -> None:
    """Cases where Arrow's reading differs from the validator's: the fast path steps aside."""
    fields = [field if f["name"] == field["name"] else f for f in FIELDS]
    records = [list(r) for r in GOOD]
    records[1][[f["name"] for f in FIELDS].index(field["name"])] = cell
    assert typed_frame(resource(fields), parsed(records, "text")) is None


def test_resource_level_checks_go_to_the_validator() -> None:
    good = parsed(GOOD, "text")
    assert typed_frame(resource(), good) is not None
    assert typed_frame({**resource(), "hash": "md5:0"}, good) is None
    assert typed_frame({**resource(), "bytes": 3}, good) is None


def test_datetimes_take_the_fast_path() -> None:
    fields = [FIELDS[0], {"name": "when", "type": "datetime"}]
    records = [["id", "when"], ["a", "2025-01-01T10:00:00"], ["b", ""]]
    frame = typed_frame(resource(fields), parsed(records, "text"))
    assert frame is not None and str(frame["when"][0]) == "2025-01-01 10:00:00"
    assert frame["when"].dtype == "datetime64[us]"
