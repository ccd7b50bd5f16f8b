"""The catalogue reads each data file once per load: every step (the cache's digest, the raw
checks, the typed table, the validator, foreign keys, the dataset's digest) works on the bytes
read first. Counted with an audit hook, which sees every open() by Python code and libraries."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECTS, ROOT, copy_project
from helpers import write_package

from site_builder import loader
from site_builder.cache import TableCache
from site_builder.descriptor import Limits
from site_builder.errors import DataError
from site_builder.loader import load_catalog

_opened: Counter[str] | None = None  # while counting


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], str | Path):
        _opened[str(Path(args[0]).resolve())] += 1


sys.addaudithook(_hook)  # hooks cannot be removed: this one counts only inside `reads`


@contextmanager
def reads() -> Iterator[Counter[str]]:
    global _opened
    _opened = Counter()
    try:
        yield _opened
    finally:
        _opened = None


def data_files(data: Path) -> list[str]:
    return sorted(str(p.resolve()) for p in data.iterdir() if p.suffix in (".csv", ".json"))


def opened(counts: Counter[str], data: Path) -> dict[str, int]:
    return {Path(p).name: counts[p] for p in data_files(data)}


@pytest.mark.parametrize("path", ["fast", "validator"])
def test_each_file_of_the_story_is_read_once_per_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    project = tmp_path / "story"
    data = Path(shutil.copytree(ROOT / "data", project / "data"))
    if path == "validator":  # every table through the Frictionless validator
        monkeypatch.setattr(loader, "typed_frame", lambda res, raw: None)
    cache = TableCache(tmp_path / "cache")
    once = dict.fromkeys(opened(Counter(), data), 1)
    assert len(once) >= 8
    with reads() as cold:
        load_catalog(data, project, cache)
    assert opened(cold, data) == once
    with reads() as warm:  # from the table cache, where it holds them
        load_catalog(data, project, cache)
    assert opened(warm, data) == once


def test_a_table_referred_to_by_a_foreign_key_is_read_once(tmp_path: Path) -> None:
    data = write_package(tmp_path, "country,year,value\nChina,2023,92\nMalaysia,2023,4.5\n")
    (data / "countries.csv").write_text("country\nChina\nMalaysia\n", encoding="utf-8")
    descriptor = yaml.safe_load((data / "datapackage.yaml").read_text(encoding="utf-8"))
    table = descriptor["resources"][0]
    table["schema"]["foreignKeys"] = [
        {"fields": "country", "reference": {"resource": "countries", "fields": "country"}}
    ]
    descriptor["resources"].append(
        {
            **{k: table[k] for k in ("title", "description", "sources", "licenses")},
            "name": "countries",
            "path": "countries.csv",
            "schema": {"fields": [{"name": "country", "type": "string"}]},
        }
    )
    (data / "datapackage.yaml").write_text(yaml.safe_dump(descriptor), encoding="utf-8")
    with reads() as counts:
        catalog = load_catalog(data, tmp_path, TableCache(tmp_path / "cache"))
    assert catalog.names() == ["countries", "t"]
    assert opened(counts, data) == {"countries.csv": 1, "t.csv": 1}


def test_loading_some_tables_reads_only_them_but_counts_every_file(tmp_path: Path) -> None:
    """A rebuild after some tables changed loads only those; the size limit still covers all."""
    project = copy_project(PROJECTS / "basic", tmp_path / "mini")
    data = project / "data"
    with reads() as counts:
        catalog = load_catalog(data, project, only={"regions"})
    assert catalog.names() == ["regions"]
    assert opened(counts, data) == {"cities.csv": 0, "regions.csv": 1}
    with pytest.raises(DataError, match=r"over the limit of 0 MB \(largest: cities.csv"):
        load_catalog(data, project, limits=Limits(max_data_mb=0), only={"regions"})
