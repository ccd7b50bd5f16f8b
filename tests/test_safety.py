"""Safe to publish: the build reads only files inside the project, publishes only cache entries
that are as they were written, and bounds the work a data file can cause."""

from __future__ import annotations

import builtins
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run_cli
from helpers import edit, prepare, report, settings

from site_builder import cache, datasets, pipeline, render
from site_builder.cache import SpecCache, TableCache, TextCache, read_entry, write_entry
from site_builder.descriptor import Limits
from site_builder.errors import DataError
from site_builder.loader import load_catalog

SECRET = "root:x:0:0:secret-line"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project, as /etc/passwd would be."""
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_text(f"code,city\n{SECRET},x\n", encoding="utf-8")
    return path


def opened_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file opened from now on, by its resolved path."""
    seen: list[str] = []
    real = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, Path)):
            seen.append(str(Path(file).resolve()))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr("io.open", spy)
    return seen


# --- Containment -------------------------------------------------------------------------


def test_a_data_file_linked_outside_the_project_is_refused(fresh_mini: Path, secret: Path) -> None:
    (fresh_mini / "data" / "cities.csv").unlink()
    (fresh_mini / "data" / "cities.csv").symlink_to(secret)
    text = report(fresh_mini)
    assert "data/cities.csv: the file points outside the project (a link to " in text
    assert "hint: copy the file into the project instead of linking to it" in text
    assert SECRET not in text


def test_a_json_resource_linked_outside_the_project_is_refused(
    fresh_mini: Path, secret: Path
) -> None:
    (fresh_mini / "data" / "shapes.json").symlink_to(secret)
    edit(
        fresh_mini / "data" / "datapackage.yaml",
        "resources:\n",
        "resources:\n  - {name: shapes, path: shapes.json, title: S, description: D,\n"
        "     sources: [{title: S, path: 'https://example.org'}]}\n",
    )
    text = report(fresh_mini)
    assert "data/shapes.json: the file points outside the project" in text
    assert SECRET not in text


@pytest.mark.parametrize("path", ["../../outside/passwd", "/etc/passwd", "sub/../../x.csv"])
def test_a_path_out_of_the_data_folder_is_refused_by_name_unopened(
    fresh_mini: Path, secret: Path, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(fresh_mini / "data" / "datapackage.yaml", "path: cities.csv", f"path: '{path}'")
    opened = opened_files(monkeypatch)
    text = report(fresh_mini)
    assert (
        f"data/datapackage.yaml:7:11: resource 'cities': path '{path}' leads out of the data "
        "folder\n  hint: copy the file into the data folder" in text
    )
    assert "descriptor is not valid" not in text
    assert str(secret) not in opened and "/etc/passwd" not in opened


def test_a_schema_in_another_file_is_refused(fresh_mini: Path) -> None:
    text = (fresh_mini / "data" / "datapackage.yaml").read_text(encoding="utf-8")
    start = text.index("    schema:\n      primaryKey: code")
    end = text.index("  - name: regions")
    (fresh_mini / "data" / "datapackage.yaml").write_text(
        text[:start] + "    schema: /etc/passwd\n" + text[end:], encoding="utf-8"
    )
    assert (
        "data/datapackage.yaml:12:13: resource 'cities': 'schema' names a file ('/etc/passwd')"
        in report(fresh_mini)
    )


@pytest.mark.parametrize("name", ["../../../pwned", "sub/dir", "Cities", "a.b", "-x"])
def test_a_dataset_name_must_be_a_slug(fresh_mini: Path, name: str) -> None:
    edit(fresh_mini / "data" / "datapackage.yaml", "name: regions", f"name: '{name}'")
    text = report(fresh_mini)
    assert f"data/datapackage.yaml:21:11: resource '{name}': name '{name}' is not a slug" in text
    assert "hint: use lowercase letters, digits, '-' and '_'" in text


def test_dataset_names_with_underscores_and_hyphens_are_slugs(fresh_mini: Path) -> None:
    edit(fresh_mini / "data" / "datapackage.yaml", "name: regions", "name: region_scores-2")
    edit(fresh_mini / "charts" / "cities.py", 'data="regions"', 'data="region_scores-2"')
    assert "region_scores-2" in prepare(fresh_mini).catalog.names()


def test_fact_ids_must_be_slugs(fresh_mini: Path) -> None:
    edit(fresh_mini / "data" / "facts.yaml", "windhoek-share:", "'../x':")
    assert "data/facts.yaml:1: fact id '../x' is not a slug" in report(fresh_mini)


def test_a_chart_module_linked_outside_the_project_is_not_run(
    fresh_mini: Path, tmp_path: Path
) -> None:
    ran = tmp_path / "ran"
    outside = tmp_path / "evil.py"
    outside.write_text(f"open({str(ran)!r}, 'w').close()\n", encoding="utf-8")
    (fresh_mini / "charts" / "evil.py").symlink_to(outside)
    text = report(fresh_mini)
    assert "charts/evil.py: the file points outside the project" in text
    assert not ran.exists()


def test_a_facts_file_linked_outside_the_project_is_refused(fresh_mini: Path, secret: Path) -> None:
    (fresh_mini / "data" / "facts.yaml").unlink()
    (fresh_mini / "data" / "facts.yaml").symlink_to(secret)
    text = report(fresh_mini)
    assert "data/facts.yaml: the file points outside the project" in text
    assert SECRET not in text


def test_a_page_linked_outside_the_project_is_refused(fresh_mini: Path, secret: Path) -> None:
    (fresh_mini / "content" / "leak.md").symlink_to(secret)
    text = report(fresh_mini)
    assert "content/leak.md: the file points outside the project" in text
    assert SECRET not in text


# --- The cache ---------------------------------------------------------------------------


def test_a_cache_entry_is_read_only_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    write_entry(folder, "k", {".a": b"first", ".b": b"second"})
    assert read_entry(folder, "k", [".a", ".b"]) == {".a": b"first", ".b": b"second"}
    (folder / "k.b").write_bytes(b"secon")  # truncated
    assert read_entry(folder, "k", [".a", ".b"]) is None
    write_entry(folder, "k", {".a": b"first", ".b": b"second"})
    (folder / "k.sum").write_bytes(b"\xff\x00garbage")
    assert read_entry(folder, "k", [".a"]) is None
    (folder / "k.sum").unlink()
    assert read_entry(folder, "k", [".a"]) is None


def test_a_cache_file_linked_out_of_the_cache_is_not_read(tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "c"
    data = secret.read_bytes()
    write_entry(folder, "k", {".txt": data})
    (folder / "k.txt").unlink()
    (folder / "k.txt").symlink_to(secret)  # the same bytes: only the link gives it away
    assert read_entry(folder, "k", [".txt"]) is None


def test_damaged_table_spec_and_text_entries_are_made_again(tmp_path: Path) -> None:
    import pandas as pd

    tables = TableCache(tmp_path / "tables")
    tables.put("d", [], ["k"], pd.DataFrame({"k": [1]}))
    assert tables.get("d") is not None
    for entry in (tmp_path / "tables").glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:-3])
    assert tables.get("d") is None

    specs = SpecCache(tmp_path / "specs", "lib")
    specs.put("c", "code", ["d"], {"mark": "bar"})
    for entry in (tmp_path / "specs").glob("*.json"):
        entry.write_text('{"mark": "line"}')
    assert specs.get("c", "code", ["d"]) is None

    TextCache(tmp_path / "t").get_or_make(["x"], lambda: "table")
    for entry in (tmp_path / "t").glob("*.txt"):
        entry.write_text("<script>altered</script>")
    assert TextCache(tmp_path / "t").get_or_make(["x"], lambda: "table") == "table"


@pytest.mark.parametrize(
    "damage", ["truncate", "alter", "remove"], ids=["truncated", "altered", "removed"]
)
def test_a_damaged_render_is_made_again_not_published(fresh_mini: Path, damage: str) -> None:
    project = prepare(fresh_mini)
    charts = [project.charts["region-scores"]]
    cache_dir = fresh_mini / ".cache" / "site-builder"
    first = render.render_charts(charts, cache_dir, workers=1)["region-scores"]
    for ext in (".svg", ".image.svg", ".vg.json", ".narrow.svg"):
        path = first.path(ext)  # the image in an entry of its own
        if damage == "truncate":
            path.write_bytes(path.read_bytes()[:100])
        elif damage == "alter":
            path.write_bytes(path.read_bytes().replace(b"<", b"<!-- x -->\n<", 1))
        else:
            path.unlink()
    again = render.render_charts(charts, cache_dir, workers=1)["region-scores"]
    assert not again.from_cache
    assert (again.svg, again.image_svg, again.live_json, again.narrow_svg) == (
        first.svg,
        first.image_svg,
        first.live_json,
        first.narrow_svg,
    )
    assert render.render_charts(charts, cache_dir, workers=1)["region-scores"].from_cache


def test_a_damaged_runtime_bundle_is_made_again(tmp_path: Path) -> None:
    from site_builder.runtime import runtime_bundle

    bundle = runtime_bundle(tmp_path / "cache")
    good = bundle.read_bytes()
    bundle.write_bytes(good[:10])  # truncated
    assert runtime_bundle(tmp_path / "cache").read_bytes() == good


def test_entries_of_another_version_are_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = SpecCache(tmp_path, "lib")
    specs.put("c", "code", [], {"mark": "bar"})
    monkeypatch.setattr(cache, "tool_digest", lambda: "another version")
    assert specs.get("c", "code", []) is None


# --- Limits ------------------------------------------------------------------------------


def _one_table(tmp_path: Path, header: str, row: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "t.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    names = header.split(",")
    (data / "datapackage.yaml").write_text(
        yaml.safe_dump(
            {
                "licenses": [{"name": "CC0-1.0"}],
                "resources": [
                    {
                        "name": "t",
                        "path": "t.csv",
                        "title": "T",
                        "description": "D",
                        "sources": [{"title": "S", "path": "https://example.org"}],
                        "schema": {"fields": [{"name": n, "type": "string"} for n in names]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return data


def test_a_table_over_the_column_limit_fails_at_its_header(tmp_path: Path) -> None:
    data = _one_table(tmp_path, "a,b,c,d", "1,2,3,4")
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path, limits=Limits(max_columns=3))
    assert str(info.value) == (
        "data/t.csv:1: the header has 4 columns, over the limit of 3\n"
        "  hint: keep only the columns the charts use, or raise max_columns under the "
        "site-builder plugin in mkdocs.yml (see WRITING.md)"
    )
    assert load_catalog(data, tmp_path, limits=Limits(max_columns=4)).names() == ["t"]


def test_a_header_of_100000_columns_fails_in_seconds(tmp_path: Path) -> None:
    data = _one_table(tmp_path, "a,b", "1,2")
    (data / "t.csv").write_text(",".join(f"c{i}" for i in range(100_000)) + "\n", "utf-8")
    clock = time.perf_counter()
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path)
    assert time.perf_counter() - clock < 5
    assert "data/t.csv:1: the header has 100,000 columns, over the limit of 1,000" in str(
        info.value
    )


def test_a_cell_over_the_length_limit_is_named_by_line_and_column(tmp_path: Path) -> None:
    data = _one_table(tmp_path, "a,b", 'x,"two\nlines"\ny,' + "z" * 21)
    with pytest.raises(DataError) as info:
        load_catalog(data, tmp_path, limits=Limits(max_cell_chars=20))
    assert str(info.value) == (
        "data/t.csv:4:2: column 'b': a cell of 21 characters, over the limit of 20\n"
        "  hint: shorten it (no reader takes in a label or cell that long), or raise "
        "max_cell_chars under the site-builder plugin in mkdocs.yml (see WRITING.md)"
    )


def test_a_lower_limit_checks_a_cached_table_again(tmp_path: Path) -> None:
    data = _one_table(tmp_path, "a,b", "x," + "z" * 21)
    tables = TableCache(tmp_path / "cache")
    load_catalog(data, tmp_path, tables)
    with pytest.raises(DataError, match="over the limit of 20"):
        load_catalog(data, tmp_path, tables, Limits(max_cell_chars=20))


def test_data_over_the_total_limit_fails_before_any_file_is_read(
    fresh_mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = fresh_mini / "data"
    opened = opened_files(monkeypatch)
    with pytest.raises(DataError) as info:
        load_catalog(data, fresh_mini, limits=Limits(max_data_mb=0))
    assert str(info.value).startswith(
        "data/datapackage.yaml: the data package's files hold 0 MB, over the limit of 0 MB "
        "(largest: cities.csv (0 MB), regions.csv (0 MB))\n  hint: aggregate the data"
    )
    assert not [p for p in opened if p.endswith(".csv")]


@pytest.mark.slow  # a whole build
def test_the_limits_are_settings_in_mkdocs_yml(fresh_mini: Path) -> None:
    edit(
        fresh_mini / "mkdocs.yml",
        "  - site-builder",
        "  - site-builder:\n      max_columns: 5\n      max_cell_chars: 7\n      max_data_mb: 9",
    )
    from mkdocs.config import load_config

    from site_builder.config import settings_from

    config = load_config(str(fresh_mini / "mkdocs.yml"))
    ours = settings_from(config, config.plugins["site-builder"].config)
    assert ours.limits == Limits(max_columns=5, max_cell_chars=7, max_data_mb=9)
    result = run_cli(fresh_mini, "check")
    assert "data/cities.csv:1: the header has 6 columns, over the limit of 5" in result.stderr
    assert "Traceback" not in result.stderr and result.returncode != 0


def test_default_limits_reach_the_pipeline(fresh_mini: Path) -> None:
    assert settings(fresh_mini).limits == Limits()
    assert pipeline.Settings(
        fresh_mini, fresh_mini, fresh_mini, fresh_mini, fresh_mini
    ).limits == Limits(1_000, 10_000, 500)


# --- Downloads of files in another encoding ----------------------------------------------


def test_a_cp1252_file_with_formulas_downloads_as_defused_utf8(tmp_path: Path) -> None:
    data = _one_table(tmp_path, "a,b", "=SUM(1),Zürich")
    (data / "t.csv").write_bytes("a;b\n=SUM(1);Zürich\n@x;+1\n".encode("cp1252"))
    descriptor = yaml.safe_load((data / "datapackage.yaml").read_text(encoding="utf-8"))
    descriptor["resources"][0].update(encoding="cp1252", dialect={"delimiter": ";"})
    (data / "datapackage.yaml").write_text(yaml.safe_dump(descriptor), encoding="utf-8")
    ds = load_catalog(data, tmp_path).datasets["t"]
    assert datasets.download_bytes(ds, tmp_path).decode("utf-8") == (
        "a,b\n'=SUM(1),Zürich\n'@x,'+1\n"
    )


def test_a_cp1252_file_without_formulas_downloads_as_utf8(tmp_path: Path) -> None:
    data = _one_table(tmp_path, "a,b", "x,y")
    (data / "t.csv").write_bytes("a,b\nZürich,Genève\n".encode("cp1252"))
    descriptor = yaml.safe_load((data / "datapackage.yaml").read_text(encoding="utf-8"))
    descriptor["resources"][0]["encoding"] = "cp1252"
    (data / "datapackage.yaml").write_text(yaml.safe_dump(descriptor), encoding="utf-8")
    ds = load_catalog(data, tmp_path).datasets["t"]
    assert datasets.download_bytes(ds, tmp_path) == "a,b\nZürich,Genève\n".encode()


# --- Markup from the data ----------------------------------------------------------------


@pytest.mark.slow  # a whole build
def test_a_cell_in_a_page_heading_stays_text_in_the_page_title(fresh_mini: Path) -> None:
    """Material writes <title> as `page.title | striptags`, which turns "&lt;" back into "<":
    a fact from a cell in a heading closed the title and put a script in the head, and the
    site's policy allowed it by hash, as it allows the theme's inline scripts."""
    evil = "</title><script>alert(document.domain)</script>"
    edit(fresh_mini / "data" / "cities.csv", "<script>alert(1)</script>", evil.replace('"', ""))
    facts = fresh_mini / "data" / "facts.yaml"
    facts.write_text(facts.read_text() + "ab-city:\n  dataset: cities\n  row: AB\n  column: city\n")
    edit(fresh_mini / "content" / "second.md", "# Second page", "# Second: {{ fact: ab-city }}")
    result = run_cli(fresh_mini, "build")
    assert result.returncode == 0, result.stderr
    html = (fresh_mini / "site" / "second" / "index.html").read_text()
    head = html.split("</head>", 1)[0]
    assert "<script>alert(document.domain)</script>" not in html
    assert (
        "<title>Second: &lt;/title&gt;&lt;script&gt;alert(document.domain)&lt;/script&gt; - "
        "Mini story</title>"
    ) in head
    # Shared and searched as text, escaped once.
    assert 'content="Second: &lt;/title&gt;&lt;script&gt;alert(' in head


def test_a_folder_or_file_in_the_pages_linked_outside_the_project_is_refused(
    fresh_mini: Path, secret: Path
) -> None:
    """A linked page was refused, but MkDocs also publishes a linked folder (entered) and any
    other linked file: an outside folder of YAML and Python came out under site/."""
    (fresh_mini / "content" / "leakdir").symlink_to(secret.parent, target_is_directory=True)
    (fresh_mini / "content" / "secret.txt").symlink_to(secret)
    (fresh_mini / "content" / "inside.csv").symlink_to(fresh_mini / "data" / "cities.csv")
    text = report(fresh_mini)
    assert text.startswith("2 problems found:\n")
    assert "content/secret.txt: the file points outside the project (a link to " in text
    assert "content/leakdir: the file points outside the project (a link to " in text
    assert SECRET not in text


def test_a_link_inside_a_linked_folder_that_leads_out_is_refused(
    fresh_mini: Path, secret: Path
) -> None:
    """MkDocs enters a linked folder and follows the links in it: one inside the project may
    still hold a link out."""
    shared = fresh_mini / "shared"
    shared.mkdir()
    (shared / "outside").symlink_to(secret.parent, target_is_directory=True)
    (fresh_mini / "content" / "shared").symlink_to(shared, target_is_directory=True)
    text = report(fresh_mini)
    assert "content/shared/outside: the file points outside the project" in text
    assert SECRET not in text
