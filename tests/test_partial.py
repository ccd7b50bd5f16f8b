"""A rebuild after a table changed makes again only what the table reaches (partial.py), and
gives the same site as a cold build of the edited project."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import BIN, copy_project, run_cli, tree_digest
from helpers import edit


def test_an_edited_table_gives_the_site_of_a_cold_build(fresh_mini: Path, tmp_path: Path) -> None:
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    # The chart of cities and both facts on it change; the chart of regions does not.
    edit(mini / "data" / "cities.csv", "NA,Windhoek,431000,12.5", "NA,Windhoek,441000,13.5")
    again = run_cli(mini, "build")
    assert again.returncode == 0, again.stderr
    assert (
        "partial rebuild: 1 of 2 tables changed; 1 charts and 2 facts made again, the "
        "other 1 charts kept from the last build"
    ) in again.stderr
    assert "charts: 1 rendered, 0 from cache" in again.stderr
    cold = copy_project(mini, tmp_path / "cold")
    assert "charts: 2 rendered" in run_cli(cold, "build").stderr
    assert tree_digest(mini / "site") == tree_digest(cold / "site")
    assert "13.5%" in (mini / "site" / "index.html").read_text(encoding="utf-8")


def test_a_bad_cell_in_an_edited_table_fails_and_leaves_the_site(fresh_mini: Path) -> None:
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    before = tree_digest(mini / "site")
    edit(mini / "data" / "regions.csv", "South,5", "South,5x")
    failed = run_cli(mini, "build")
    assert failed.returncode == 1
    assert "data/regions.csv:3:2: column 'score': '5x' is not a valid number" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert tree_digest(mini / "site") == before
    edit(mini / "data" / "regions.csv", "South,5x", "South,7")
    fixed = run_cli(mini, "build")
    assert (
        "partial rebuild: 1 of 2 tables changed; 1 charts and 0 facts made again, the "
        "other 1 charts kept from the last build"
    ) in fixed.stderr
    assert tree_digest(mini / "site") != before


def test_more_than_tables_and_chart_code_changed_builds_everything(fresh_mini: Path) -> None:
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    edit(mini / "data" / "regions.csv", "South,5", "South,6")
    edit(mini / "charts" / "cities.py", 'title="Scores by region"', 'title="Scores"')
    (mini / "data" / "facts.yaml").write_text(
        (mini / "data" / "facts.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    result = run_cli(mini, "build")
    assert result.returncode == 0, result.stderr
    assert "partial rebuild" not in result.stderr


REGIONS = """import altair as alt
from _shade import COLOUR

from site_builder import chart


@chart("region-scores", data="regions", title="Scores by region")
def region_scores(regions):
    return alt.Chart(regions).mark_point(color=COLOUR).encode(x="score:Q", y="region:N")
"""


def split_modules(mini: Path) -> None:
    """The region chart in a module of its own, which takes its colour from a helper."""
    charts = mini / "charts"
    cities = (charts / "cities.py").read_text(encoding="utf-8")
    start, end = cities.index('@chart("region-scores"'), cities.index('@fact("city-count"')
    (charts / "cities.py").write_text(cities[:start] + cities[end:], encoding="utf-8")
    (charts / "regions.py").write_text(REGIONS, encoding="utf-8")
    (charts / "_shade.py").write_text('COLOUR = "#1f77b4"\n', encoding="utf-8")


def test_an_edited_chart_module_gives_the_site_of_a_cold_build(
    fresh_mini: Path, tmp_path: Path
) -> None:
    """Only the charts of the edited module (or of the modules importing an edited helper)
    are built and rendered again; the rest is the last build's."""
    mini = fresh_mini
    split_modules(mini)
    assert run_cli(mini, "build").returncode == 0
    edit(mini / "charts" / "regions.py", 'title="Scores by region"', 'title="Scores, edited"')
    again = run_cli(mini, "build")
    assert again.returncode == 0, again.stderr
    assert (
        "partial rebuild: 0 of 2 tables and 1 chart code files changed; 1 charts and 0 facts "
        "made again, the other 1 charts kept from the last build"
    ) in again.stderr
    cold = copy_project(mini, tmp_path / "cold")
    assert "charts: 2 rendered" in run_cli(cold, "build").stderr
    assert tree_digest(mini / "site") == tree_digest(cold / "site")
    assert "Scores, edited" in (mini / "site" / "second" / "index.html").read_text()

    edit(mini / "charts" / "_shade.py", "#1f77b4", "#d62728")
    helper = run_cli(mini, "build")
    assert "1 chart code files changed; 1 charts and 0 facts made again" in helper.stderr
    assert "charts: 1 rendered" in helper.stderr
    cold = copy_project(mini, tmp_path / "cold2")
    assert run_cli(cold, "build").returncode == 0
    assert tree_digest(mini / "site") == tree_digest(cold / "site")


def test_a_mistake_in_an_edited_chart_module_fails_and_leaves_the_site(fresh_mini: Path) -> None:
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    before = tree_digest(mini / "site")
    edit(mini / "charts" / "cities.py", 'x="score:Q"', 'x="scores:Q"')
    failed = run_cli(mini, "build")
    assert failed.returncode == 1
    assert (
        "charts/cities.py:20:53: chart 'region-scores': encodes column 'scores', which"
        in failed.stderr
    )
    assert "Traceback" not in failed.stderr
    assert tree_digest(mini / "site") == before


MODULES = (
    "import sys\n"
    "from site_builder import pipeline\n"
    "from site_builder.cli import _settings\n"
    "project = pipeline.prepare_rendered(_settings('mkdocs.yml'))\n"
    "print(len(project.rendered), sorted(m for m in ('pandas', 'frictionless') "
    "if m in sys.modules))\n"
)


def test_an_edited_plain_table_is_loaded_without_the_validator(fresh_mini: Path) -> None:
    """Its description passed in the last build, unchanged: the validator is not imported."""
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    edit(mini / "data" / "regions.csv", "South,5", "South,6")
    out = subprocess.run(
        [str(BIN / "python"), "-c", MODULES], cwd=mini, capture_output=True, text=True
    )
    assert out.stdout.split("\n")[0] == "2 ['pandas']", out.stderr
