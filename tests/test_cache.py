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
from site_builder.chartcode import ChartCode
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
    assert sorted(built) == ["city-population", "region-scores"], "both are in the module"


REGIONS = """import altair as alt
from _shade import COLOUR

from site_builder import chart


@chart("region-scores", data="regions", title="Scores by region")
def region_scores(regions):
    return alt.Chart(regions).mark_point(color=COLOUR).encode(x="score:Q", y="region:N")
"""


def test_a_code_edit_builds_again_the_charts_of_the_modules_it_reaches(
    fresh_mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart's spec is kept under its module and the project modules it imports: editing a
    module, or a helper it imports (however deep), runs again only the charts that use it."""
    charts = fresh_mini / "charts"
    cities = (charts / "cities.py").read_text(encoding="utf-8")
    start, end = cities.index('@chart("region-scores"'), cities.index('@fact("city-count"')
    (charts / "cities.py").write_text(cities[:start] + cities[end:], encoding="utf-8")
    (charts / "regions.py").write_text(REGIONS, encoding="utf-8")
    (charts / "_shade.py").write_text("from _base import BLUE\n\nCOLOUR = BLUE\n")
    (charts / "_base.py").write_text('BLUE = "#1f77b4"\n')
    built: list[str] = []
    real = pipeline.build_chart

    def counting(definition: Any, cat: Any) -> Any:
        built.append(definition.id)
        return real(definition, cat)

    last: list[Any] = []

    def rebuilt() -> list[str]:
        built.clear()
        last[:] = [prepare(fresh_mini)]
        return sorted(built)

    monkeypatch.setattr(pipeline, "build_chart", counting)
    assert rebuilt() == ["city-population", "region-scores"]
    assert rebuilt() == []
    edit(charts / "regions.py", "mark_point(", "mark_point(size=80, ")
    assert rebuilt() == ["region-scores"]
    edit(charts / "_shade.py", "COLOUR = BLUE", "COLOUR = BLUE  # the allies' colour")
    assert rebuilt() == ["region-scores"], "a helper the module imports"
    edit(charts / "_base.py", "#1f77b4", "#1f77b5")
    assert rebuilt() == ["region-scores"], "a helper imported by that helper"
    assert last[0].charts["region-scores"].spec["mark"]["color"] == "#1f77b5"
    # From the moment cities.py imports it too, the helper reaches both modules.
    edit(charts / "cities.py", "import altair as alt\n", "import altair as alt\nimport _shade\n")
    assert rebuilt() == ["city-population"]
    edit(charts / "_base.py", "#1f77b5", "#1f77b6")
    assert rebuilt() == ["city-population", "region-scores"]
    (charts / "_unused.py").write_text("X = 1\n")
    assert rebuilt() == [], "a helper no module imports"


def test_a_module_that_imports_by_name_depends_on_all_the_chart_code(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import importlib\nm = importlib.import_module('_x')\n")
    (tmp_path / "b.py").write_text("from _pkg.sub import Y\n")
    (tmp_path / "_pkg").mkdir()
    (tmp_path / "_pkg" / "__init__.py").write_text("")
    (tmp_path / "_pkg" / "sub.py").write_text("Y = 1\n")
    (tmp_path / "_x.py").write_text("X = 1\n")
    before = ChartCode(tmp_path)
    assert before.of(str(tmp_path / "a.py")) == before.everything
    (tmp_path / "_x.py").write_text("X = 2\n")
    after = ChartCode(tmp_path)
    assert after.of(str(tmp_path / "a.py")) != before.of(str(tmp_path / "a.py"))
    assert after.of(str(tmp_path / "b.py")) == before.of(str(tmp_path / "b.py"))
    (tmp_path / "_pkg" / "sub.py").write_text("Y = 2\n")
    assert ChartCode(tmp_path).of(str(tmp_path / "b.py")) != after.of(str(tmp_path / "b.py"))


def test_a_spec_that_is_not_plain_json_is_not_kept(tmp_path: Path) -> None:
    specs = SpecCache(tmp_path, "6")
    assert specs.put("c", "code", ["d"], {"data": {"values": [{"x": float("nan")}]}}) == ""
    assert specs.get("c", "code", ["d"]) is None and not list(tmp_path.iterdir())
    digest = specs.put("c", "code", ["d"], {"mark": "bar"})
    assert (
        specs.get("c", "code", ["d"]) == ({"mark": "bar"}, digest)
        and specs.get("c", "code", ["e"]) is None
    )
    assert specs.get("c", "other code", ["d"]) is None
    assert digest != specs.put("c", "code", ["d"], {"mark": "line"})


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
    specs = SpecCache(tmp_path / "specs", "6")
    specs.put("c", "code", ["d"], {"mark": "bar"})
    texts = TextCache(tmp_path / "texts")
    texts.get_or_make(["table", "k"], lambda: "old")
    assert specs.get("c", "code", ["d"]) is not None
    monkeypatch.setattr(cache, "tool_digest", lambda: "another version of site_builder")
    assert specs.get("c", "code", ["d"]) is None
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


def test_threads_of_one_process_write_the_same_entry_at_once(tmp_path: Path) -> None:
    """A preview writes a social card from a render's callback thread while the build thread
    writes it too: their temporary files were one (named by the process), and one thread's
    rename found it gone."""
    import threading

    from site_builder.cache import read_entry, write_entry

    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def write() -> None:
        start.wait()
        try:
            for _ in range(300):
                write_entry(tmp_path, "card", {".png": b"x" * 50_000})
        except BaseException as exc:  # any failure is the finding
            failures.append(exc)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert read_entry(tmp_path, "card", [".png"]) == {".png": b"x" * 50_000}
