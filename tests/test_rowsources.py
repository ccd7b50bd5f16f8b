"""Sources per row: a figure credits only the sources of the rows its chart draws."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import run_cli
from helpers import edit, prepare, report

from site_builder.rowsources import drawn_rows, references

DESCRIPTOR = """\
name: mini
licenses: [{name: CC0-1.0, path: "https://creativecommons.org/publicdomain/zero/1.0/"}]
resources:
  - name: output
    path: output.csv
    title: Output by country
    description: Each country's output, from its own source.
    rowSources: source
    sources:
      - {name: agency, title: The Agency, path: "https://agency.example.org/report"}
      - {name: survey, title: The Survey, path: "https://survey.example.org/"}
      - {title: The Ministry, path: "https://ministry.example.org/table"}
    schema:
      primaryKey: country
      fields:
        - {name: country, type: string}
        - {name: share, type: number}
        - {name: source, type: string}
"""
CSV = """\
country,share
A,50,agency
B,30,survey ; agency
C,20,https://ministry.example.org/table
D,5,
"""
CHART = """\
import altair as alt

from site_builder import chart


@chart("big-two", data="output", title="A and B make most of it",
       description="Bars of the shares of countries A and B: 50% and 30%.")
def big_two(output):
    # The source column is dropped: the figure finds each row's source by its key.
    rows = output[["country", "share"]]
    return alt.Chart(rows).mark_bar().encode(x="share:Q", y="country:N").transform_filter(
        "datum.share >= 30"
    )
"""
PAGE = "# Output\n\n/// chart | big-two\n///\n"
MKDOCS = """\
site_name: Row sources
docs_dir: content
strict: true
theme: {name: material, font: false}
plugins: [search, site-builder]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "rows"
    for name, text in {
        "data/datapackage.yaml": DESCRIPTOR,
        "data/output.csv": CSV.replace("country,share", "country,share,source"),
        "charts/output.py": CHART,
        "content/index.md": PAGE,
        "mkdocs.yml": MKDOCS,
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _titles(project: Path) -> list[str]:
    p = prepare(project)
    return [s.title for s in p.sources_of(p.charts["big-two"])]


def test_a_cell_names_one_or_more_sources() -> None:
    assert references("survey ; agency") == ["survey", "agency"]
    assert references("") == [] and references(None) == [] and references(float("nan")) == []


def test_drawn_rows_are_those_left_after_the_charts_filters() -> None:
    table = pd.DataFrame({"k": ["a", "b", "c"], "v": [1, 2, 3], "flag": [True, False, True]})
    base = alt.Chart(table).encode(x="v:Q", y="k:N")
    bars = base.mark_bar().transform_filter(alt.datum.k == "a")
    dots = base.mark_point().transform_filter("datum.flag && datum.v > 2")
    rows = drawn_rows(alt.layer(bars, dots).to_dict())
    assert [r["k"] for r in rows] == ["a", "c"]
    # An aggregate draws counts; the rows it counts are the ones drawn.
    counted = alt.Chart(table).mark_bar().encode(x="count():Q").transform_filter("datum.v < 3")
    assert sorted(r["k"] for r in drawn_rows(counted.to_dict())) == ["a", "b"]


def test_figure_names_only_the_sources_of_the_rows_it_draws(project: Path) -> None:
    assert _titles(project) == ["The Agency", "The Survey"]  # C (the Ministry) is filtered out
    edit(project / "charts" / "output.py", "datum.share >= 30", "datum.share <= 20")
    assert _titles(project) == ["The Ministry"]  # D names no source of its own
    edit(project / "charts" / "output.py", "datum.share <= 20", "datum.share < 10")
    # No drawn row names a source: the resource's sources, all of them.
    assert _titles(project) == ["The Agency", "The Survey", "The Ministry"]


def test_a_row_naming_an_unknown_source_is_an_error_at_its_cell(project: Path) -> None:
    edit(project / "data" / "output.csv", "C,20,https://ministry", "C,20,https://ministery")
    text = report(project)
    assert text.startswith(
        "data/output.csv:4:3: column 'source': 'https://ministery.example.org/table' is not one "
        "of the sources of resource 'output'\n  hint: name a source by its 'name:' or its URL, "
        "or add it under the resource's 'sources:' in data/datapackage.yaml; nearest: "
        "https://ministry.example.org/table"
    ), text


def test_row_sources_must_name_a_column(project: Path) -> None:
    edit(project / "data" / "datapackage.yaml", "rowSources: source", "rowSources: sources")
    assert report(project) == (
        "data/datapackage.yaml: resource 'output': rowSources names column 'sources', which "
        "the table does not have\n  hint: give the column whose cells name each row's source; "
        "columns: 'country', 'share', 'source'"
    )


@pytest.mark.slow
def test_built_figure_and_embed_page_credit_the_drawn_rows(project: Path) -> None:
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    for url in ("index.html", "embed/big-two/index.html"):
        html = (project / "site" / url).read_text(encoding="utf-8")
        line = BeautifulSoup(html, "html.parser").select_one("#big-two .sb-figure__source")
        assert [a["href"] for a in line.select("a")] == [
            "https://agency.example.org/report",
            "https://survey.example.org/",
        ], url
        assert line.get_text().startswith("Sources: The Agency; The Survey")


@pytest.mark.slow  # a whole build
def test_a_rebuild_after_the_table_changed_credits_the_rows_drawn_now(project: Path) -> None:
    assert run_cli(project, "build").returncode == 0
    # Country B's row now names the ministry alone: the partial rebuild must read it.
    edit(
        project / "data" / "output.csv",
        "B,30,survey ; agency",
        "B,30,https://ministry.example.org/table",
    )
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert "partial rebuild: 1 of 1 tables changed" in result.stderr
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    line = BeautifulSoup(html, "html.parser").select_one("#big-two .sb-figure__source")
    assert [a["href"] for a in line.select("a")] == [
        "https://agency.example.org/report",
        "https://ministry.example.org/table",
    ]
