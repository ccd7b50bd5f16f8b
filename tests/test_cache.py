"""Typed tables and chart specs are kept between builds and reused only while what made them
is unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import edit, prepare, write_package

from site_builder import cache, loader, pipeline
from site_builder.cache import SpecCache, TableCache, TextCache
from site_builder.errors import DataError
from site_builder.loader import load_catalog
from site_builder.specs import plotted_rows

CSV = "country,year,value\nChina,2023,92\nMalaysia,2023,4.5\n"


def no_typing(res: dict[str, Any], raw: Any) -> None:
    raise AssertionError("the table was typed again")


def test_an_unchanged_table_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write_package(tmp_path, CSV)
    cache = TableCache(tmp_path / "cache")
    first = load_catalog(data, tmp_path, cache).datasets["t"]
    monkeypatch.setattr(loader, "typed_frame", no_typing)
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


def test_chart_functions_run_again_only_for_what_changed(
    fresh_mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    real = pipeline.build_chart

    def counting(definition: Any, cat: Any) -> Any:
        built.append(definition.id)
        return real(definition, cat)

    monkeypatch.setattr(pipeline, "build_chart", counting)
    first = prepare(fresh_mini)
    assert sorted(built) == ["city-population", "region-scores"]
    built.clear()
    again = prepare(fresh_mini)
    assert built == [] and {k: c.spec for k, c in again.charts.items()} == {
        k: c.spec for k, c in first.charts.items()
    }
    edit(fresh_mini / "data" / "cities.csv", "431000", "431001")
    edited = prepare(fresh_mini)
    assert built == ["city-population"]
    assert 431001 in [r["population"] for r in plotted_rows(edited.charts["city-population"].spec)]
    built.clear()
    edit(fresh_mini / "charts" / "cities.py", "mark_point()", "mark_point(size=80)")
    assert sorted(c.id for c in [*prepare(fresh_mini).charts.values()]) == sorted(first.charts)
    assert sorted(built) == ["city-population", "region-scores"], "any code edit rebuilds all"


def test_a_spec_that_is_not_plain_json_is_not_kept(tmp_path: Path) -> None:
    specs = SpecCache(tmp_path, "code", "6")
    assert specs.put("c", ["d"], {"data": {"values": [{"x": float("nan")}]}}) == ""
    assert specs.get("c", ["d"]) is None and not list(tmp_path.iterdir())
    digest = specs.put("c", ["d"], {"mark": "bar"})
    assert specs.get("c", ["d"]) == ({"mark": "bar"}, digest) and specs.get("c", ["e"]) is None
    assert digest != specs.put("c", ["d"], {"mark": "line"})


def test_figure_text_is_made_once_and_kept(tmp_path: Path) -> None:
    made: list[str] = []

    def make() -> str:
        made.append("x")
        return "<table>…</table>"

    texts = TextCache(tmp_path)
    assert texts.get_or_make(["table", "k"], make) == "<table>…</table>"
    assert texts.get_or_make(["table", "k"], make) == "<table>…</table>"
    assert TextCache(tmp_path).get_or_make(["table", "k"], make) == "<table>…</table>"
    assert made == ["x"], "made once: then from memory, then from disk"
    for entry in tmp_path.iterdir():
        entry.write_bytes(b"\xff\xfe")  # damaged: not UTF-8
    assert TextCache(tmp_path).get_or_make(["table", "k"], make) == "<table>…</table>"
    assert TextCache(tmp_path).get_or_make(["table", "other"], make) and len(made) == 3


def test_entries_of_another_version_of_the_tool_are_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = SpecCache(tmp_path / "specs", "code", "6")
    specs.put("c", ["d"], {"mark": "bar"})
    texts = TextCache(tmp_path / "texts")
    texts.get_or_make(["table", "k"], lambda: "old")
    assert specs.get("c", ["d"]) is not None
    monkeypatch.setattr(cache, "tool_digest", lambda: "another version of site_builder")
    assert specs.get("c", ["d"]) is None
    assert TextCache(tmp_path / "texts").get_or_make(["table", "k"], lambda: "new") == "new"


def test_a_cached_table_can_still_be_referred_to(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("code,v\nx,1\ny,2\n")
    (data / "b.csv").write_text("code,w\nx,3\n")
    meta = {
        "title": "T",
        "description": "D",
        "sources": [{"title": "S", "path": "https://example.org"}],
        "licenses": [{"name": "CC0-1.0"}],
    }
    code = {"name": "code", "type": "string"}
    fk = {"fields": "code", "reference": {"resource": "a", "fields": "code"}}
    a = {"name": "a", "path": "a.csv", **meta, "schema": {"fields": [code, {"name": "v"}]}}
    b_schema = {"fields": [dict(code), {"name": "w"}], "foreignKeys": [fk]}
    b = {"name": "b", "path": "b.csv", **meta, "schema": b_schema}
    (data / "datapackage.yaml").write_text(yaml.safe_dump({"resources": [a, dict(b, **meta)]}))
    cache = TableCache(tmp_path / "cache")
    for _ in range(2):  # the second time, table a comes from the cache
        assert load_catalog(data, tmp_path, cache).names() == ["a", "b"]
    (data / "b.csv").write_text("code,w\nzzz,3\n")
    with pytest.raises(DataError, match="not found in the table it refers to"):
        load_catalog(data, tmp_path, cache)
