"""Typed tables are kept between builds and reused only while their file and description are
unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_catalog import write_package

from site_builder import catalog
from site_builder.catalog import load_catalog
from site_builder.errors import DataError
from site_builder.tablecache import TableCache

CSV = "country,year,value\nChina,2023,92\nMalaysia,2023,4.5\n"


def no_typing(res: dict[str, Any], records: list[list[str]]) -> None:
    raise AssertionError("the table was typed again")


def test_an_unchanged_table_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write_package(tmp_path, CSV)
    cache = TableCache(tmp_path / "cache")
    first = load_catalog(data, tmp_path, cache).datasets["t"]
    monkeypatch.setattr(catalog, "typed_frame", no_typing)
    again = load_catalog(data, tmp_path, cache).datasets["t"]
    assert again.frame.equals(first.frame) and again.digest == first.digest
    assert again.fields == first.fields and again.primary_key == first.primary_key


def test_an_edited_file_or_description_is_loaded_again(tmp_path: Path) -> None:
    data = write_package(tmp_path, CSV)
    cache = TableCache(tmp_path / "cache")
    load_catalog(data, tmp_path, cache)
    (data / "t.csv").write_text(CSV.replace("4.5", "5.5"), encoding="utf-8")
    assert load_catalog(data, tmp_path, cache).datasets["t"].frame["value"].tolist() == [92, 5.5]
    descriptor = yaml.safe_load((data / "datapackage.yaml").read_text())
    descriptor["resources"][0]["schema"]["fields"][2]["constraints"] = {"maximum": 50}
    (data / "datapackage.yaml").write_text(yaml.safe_dump(descriptor))
    with pytest.raises(DataError, match="breaks the rule"):
        load_catalog(data, tmp_path, cache)


def test_a_damaged_cache_entry_is_ignored(tmp_path: Path) -> None:
    data = write_package(tmp_path, CSV)
    cache = TableCache(tmp_path / "cache")
    load_catalog(data, tmp_path, cache)
    for entry in (tmp_path / "cache").iterdir():
        entry.write_bytes(b"not a pickle")
    assert load_catalog(data, tmp_path, cache).datasets["t"].frame["value"].tolist() == [92, 4.5]


def test_a_table_with_problems_is_never_kept(tmp_path: Path) -> None:
    data = write_package(tmp_path, CSV.replace("4.5", "4,5"))
    cache = TableCache(tmp_path / "cache")
    for _ in range(2):
        with pytest.raises(DataError):
            load_catalog(data, tmp_path, cache)
    assert not (tmp_path / "cache").exists()
