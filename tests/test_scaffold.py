"""`site-builder new chart` picks a chart from the columns' types, and says when it adds up."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import prepare

from site_builder import pipeline
from site_builder.cli import main

ENTRY = """
  - name: {name}
    path: {name}.csv
    title: {name}
    description: Test table.
    sources: [{{title: Test, path: "https://example.org/{name}"}}]
    schema:
      fields:
{fields}
"""


def _add_table(project: Path, name: str, header: list[tuple[str, str]], rows: list[str]) -> None:
    """A CSV and its entry in the mini project's data package."""
    csv_text = ",".join(n for n, _ in header) + "\n" + "".join(r + "\n" for r in rows)
    (project / "data" / f"{name}.csv").write_text(csv_text)
    fields = "".join(f"        - {{name: {n}, type: {t}}}\n" for n, t in header)
    with (project / "data" / "datapackage.yaml").open("a") as f:
        f.write(ENTRY.format(name=name, fields=fields.rstrip("\n")))


def _new_chart(
    project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, name: str
) -> str:
    """The chart module `new chart` writes for the table; it builds and renders cleanly."""
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["new", "chart", f"{name}-chart", "--data", name])
    assert result.exit_code == 0, result.output
    project_built = prepare(project)
    with caplog.at_level(logging.WARNING, logger="site_builder"):
        chart = project_built.charts[f"{name}-chart"]
        project_built.charts = {chart.id: chart}
        pipeline.render(project_built)
    assert [r.getMessage() for r in caplog.records] == []
    return (project / "charts" / f"{name.replace('-', '_')}_chart.py").read_text()


def test_a_long_table_gives_lines_by_year_and_source_without_a_sum(
    mini: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [
        f"{year},{src},{year - 2000 + i}"
        for year in range(2001, 2018)
        for i, src in enumerate(["coal", "gas", "wind"])
    ]
    _add_table(
        mini, "energy", [("year", "integer"), ("source", "string"), ("value", "number")], rows
    )
    code = _new_chart(mini, monkeypatch, caplog, "energy")
    assert ".mark_line()" in code
    assert '                "year:Q",\n                title="year",\n' in code
    assert '                axis=alt.Axis(format="d"),\n' in code
    assert 'color=alt.Color("source:N", title="source")' in code
    assert "sum(" not in code
    assert "# One point per row (one per year and source): nothing is added up." in code


def test_repeated_rows_are_summed_and_the_code_says_so(
    mini: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rows = ["2001,a,1", "2001,a,2", "2002,a,3"]
    _add_table(mini, "dupes", [("year", "year"), ("kind", "string"), ("n", "integer")], rows)
    code = _new_chart(mini, monkeypatch, caplog, "dupes")
    assert 'y=alt.Y("sum(n):Q", title="n")' in code
    assert "# Several rows share a year and kind: the line shows their sum (sum(n))." in code


def test_a_date_and_many_numbers_draw_the_first_and_name_the_others(
    mini: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    header = [("date", "date")] + [(f"n{i}", "number") for i in range(23)]
    rows = [f"2020-0{m}-01," + ",".join(str(m * i) for i in range(23)) for m in range(1, 10)]
    _add_table(mini, "wide", header, rows)
    code = _new_chart(mini, monkeypatch, caplog, "wide")
    assert 'x=alt.X("date:T", title="date")' in code
    assert 'y=alt.Y("n0:Q", title="n0")' in code
    assert "color=alt" not in code
    comment = " ".join(ln.strip("# ") for ln in code.splitlines() if ln.strip().startswith("#"))
    assert "The other number columns are n1, n2, n3," in comment and "n22" in comment
    assert "transform_fold(['n1', 'n2', 'n3'], as_=['series', 'value'])" in comment


def test_a_year_named_in_another_language_is_time_and_never_the_measure(
    mini: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _add_table(
        mini,
        "jahre",
        [("Jahr", "integer"), ("Anteil", "number")],
        [f"{year},{year - 2000}.5" for year in range(2001, 2006)],
    )
    code = _new_chart(mini, monkeypatch, caplog, "jahre")
    assert 'description="Lines of Anteil by Jahr."' in code
    assert 'axis=alt.Axis(format="d")' in code  # drawn as years, not as 2,001
    # Beside a date, the year is the coarser time: the date is drawn, the year is not measured.
    _add_table(
        mini,
        "umfrage",
        [("Jahr", "integer"), ("Anteil", "number"), ("Datum", "date")],
        [f"{year},{year - 2000}.5,{year}-03-0{year - 2000}" for year in range(2001, 2006)],
    )
    code = _new_chart(mini, monkeypatch, caplog, "umfrage")
    assert 'description="Lines of Anteil by Datum."' in code
    assert 'x=alt.X("Datum:T"' in code and 'y=alt.Y("Anteil:Q"' in code


def test_a_page_may_name_the_chart_before_it_is_made(
    mini: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    page = mini / "content" / "index.md"
    page.write_text(page.read_text() + "\n/// chart | regions-chart\n///\n")
    code = _new_chart(mini, monkeypatch, caplog, "regions")
    assert '"regions-chart"' in code


def test_a_label_and_a_number_give_ranked_bars(
    mini: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _add_table(mini, "ranks", [("team", "string"), ("score", "number")], ["A,3", "B,5", "C.d,1"])
    code = _new_chart(mini, monkeypatch, caplog, "ranks")
    assert ".mark_bar()" in code
    assert 'y=alt.Y("team:N", sort="-x", title=None)' in code
    assert "# One bar per row, longest first: nothing is added up." in code
    _add_table(mini, "groups", [("team", "string"), ("score", "number")], ["A,3", "A,5", "B,1"])
    code = _new_chart(mini, monkeypatch, caplog, "groups")
    assert 'x=alt.X("sum(score):Q", title="score")' in code
    assert "# Several rows share a team: each bar is their sum (sum(score))." in code


def test_numbers_only_and_labels_only_still_give_a_chart(
    mini: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _add_table(mini, "pairs", [("a.b", "number"), ("c", "number")], ["1,2", "3,4"])
    code = _new_chart(mini, monkeypatch, caplog, "pairs")
    assert 'x=alt.X(field="a\\\\.b", type="quantitative", title="a.b")' in code
    assert "# One point per row: nothing is added up." in code
    _add_table(mini, "one", [("x", "number")], ["1", "2", "2"])
    assert "the bars count the rows in each range of x" in _new_chart(
        mini, monkeypatch, caplog, "one"
    )
    _add_table(mini, "words", [("w", "string")], ["a", "b", "a"])
    code = _new_chart(mini, monkeypatch, caplog, "words")
    assert "# The table has no number column: the bars count the rows for each w." in code


@pytest.mark.slow  # a whole build
def test_new_story_builds_at_once(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    from conftest import run_cli

    folder = tmp_path / "my-story"
    made = run_cli(tmp_path, "new", "story", "my-story")
    assert made.returncode == 0, made.stderr
    assert "wrote 8 files into my-story" in made.stdout
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        ".gitignore",
        "Makefile",
        "charts/first_chart.py",
        "content/index.md",
        "data/datapackage.yaml",
        "data/example.csv",
        "data/facts.yaml",
        "mkdocs.yml",
    ]
    built = run_cli(folder, "build")
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((folder / "site" / "index.html").read_text(), "html.parser")
    assert page.select_one("#first-chart svg.sb-static--wide") is not None
    assert page.select_one(".sb-fact").get_text() == "12"
    # A folder with something in it is left alone.
    again = run_cli(tmp_path, "new", "story", "my-story")
    assert again.returncode == 1
    assert "my-story is not empty: give a new folder's name" in again.stderr
