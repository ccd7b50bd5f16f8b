"""A rebuild after a table changed makes again only what the table reaches (partial.py), and
gives the same site as a cold build of the edited project."""

from __future__ import annotations

import json
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
        "partial rebuild: 1 of 2 tables changed; 1 chart and 2 facts made again, the "
        "other 1 chart kept from the last build"
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
        "partial rebuild: 1 of 2 tables changed; 1 chart and 0 facts made again, the "
        "other 1 chart kept from the last build"
    ) in fixed.stderr
    assert tree_digest(mini / "site") != before


def as_cold(project: Path, dest: Path) -> bool:
    """Whether the project's site is, byte for byte, the one a cold build of it gives."""
    cold = copy_project(project, dest)
    assert run_cli(cold, "build").returncode == 0
    return tree_digest(project / "site") == tree_digest(cold / "site")


def test_an_edited_table_no_fact_reads_is_built_in_the_chart_process_while_pages_are_read(
    fresh_mini: Path, tmp_path: Path
) -> None:
    mini = fresh_mini
    edit(
        mini / "charts" / "cities.py",
        "def region_scores(regions):\n",
        "def region_scores(regions):\n"
        "    import os, pathlib\n"
        '    pathlib.Path("built-by").write_text(str(os.getpid()))\n',
    )
    # A page after the one the edit reaches: the pages are linked out of order, but the feed
    # and each chart's embed page follow their order.
    (mini / "content" / "third.md").write_text(
        "# Third page\n\n/// chart | city-population\n///\n", encoding="utf-8"
    )
    assert run_cli(mini, "build").returncode == 0
    edit(mini / "data" / "regions.csv", "South,5", "South,6")
    build = subprocess.Popen(
        [str(BIN / "site-builder"), "build"],
        cwd=mini,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, log = build.communicate(timeout=300)
    assert build.returncode == 0, log
    # Not in the build's own process, and made while MkDocs read the pages.
    assert int((mini / "built-by").read_text()) != build.pid
    made = log.index("partial rebuild: 1 of 2 tables changed; 1 chart and 0 facts made")
    assert log.index("Building documentation to directory") < made
    assert "pages: 2 of 3 as published" in log
    assert as_cold(mini, tmp_path / "cold")


PER_ROW = """
import csv as _csv
from pathlib import Path as _Path

for _row in _csv.DictReader(open(_Path(__file__).parent.parent / "data" / "regions.csv")):
    def _one(regions, _r=_row["region"]):
        return alt.Chart(regions[regions.region == _r]).mark_bar().encode(x="score:Q")

    chart(f"region-{_row['region'].lower()}", data="regions", title=_row["region"])(_one)
"""


def test_charts_declared_from_a_tables_rows_follow_its_edits(
    fresh_mini: Path, tmp_path: Path
) -> None:
    mini = fresh_mini
    module = mini / "charts" / "cities.py"
    module.write_text(module.read_text(encoding="utf-8") + PER_ROW, encoding="utf-8")
    assert run_cli(mini, "build").returncode == 0
    regions = mini / "data" / "regions.csv"
    # A row more: a chart more, made while the pages are read, as a cold build makes it.
    regions.write_text(regions.read_text(encoding="utf-8") + "West,2\n", encoding="utf-8")
    added = run_cli(mini, "build")
    assert added.returncode == 0, added.stderr
    assert "4 charts and 0 facts made again" in added.stderr
    assert as_cold(mini, tmp_path / "cold")
    assert (mini / "site" / "embed" / "region-west" / "index.html").exists()
    # A row fewer: a chart the pages read before could show is gone. The build stops and
    # says so; the next one builds every chart.
    before = tree_digest(mini / "site")
    edit(regions, "West,2\n", "")
    removed = run_cli(mini, "build")
    assert removed.returncode == 1
    assert (
        "data/regions.csv: with this data the chart modules declare other charts or facts "
        "than the last build's"
    ) in removed.stderr
    assert "Traceback" not in removed.stderr
    assert tree_digest(mini / "site") == before
    again = run_cli(mini, "build")
    assert again.returncode == 0, again.stderr
    assert "partial rebuild" not in again.stderr
    assert as_cold(mini, tmp_path / "cold-again")


OBS_AND_PICK = """  - name: obs
    path: obs.csv
    title: Observations
    description: Observations, each credited to its source.
    rowSources: origin
    sources:
      - {name: alpha, title: Alpha source, path: "https://example.org/alpha"}
      - {name: beta, title: Beta source, path: "https://example.org/beta"}
    schema:
      primaryKey: code
      fields:
        - {name: code, type: string}
        - {name: value, type: number}
        - {name: origin, type: string}
  - name: pick
    path: pick.csv
    title: Picked
    description: The observations to show.
    sources:
      - {title: Pick source, path: "https://example.org/pick"}
    schema:
      fields:
        - {name: code, type: string}
"""

PICKED = """

@chart("picked", data=["obs", "pick"], title="Picked observations")
def picked(obs, pick):
    return alt.Chart(obs[obs.code.isin(pick.code)]).mark_bar().encode(x="value:Q", y="code:N")
"""


def test_an_edited_table_that_picks_rows_of_a_table_with_row_sources_credits_them(
    fresh_mini: Path, tmp_path: Path
) -> None:
    """The caption credits the sources of the rows drawn: read with the pages, so the charts
    are made before the pages are read."""
    mini = fresh_mini
    descriptor = mini / "data" / "datapackage.yaml"
    descriptor.write_text(descriptor.read_text(encoding="utf-8") + OBS_AND_PICK, encoding="utf-8")
    (mini / "data" / "obs.csv").write_text("code,value,origin\na,1,alpha\nb,2,beta\n")
    (mini / "data" / "pick.csv").write_text("code\na\n")
    module = mini / "charts" / "cities.py"
    module.write_text(module.read_text(encoding="utf-8") + PICKED, encoding="utf-8")
    page = mini / "content" / "second.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n/// chart | picked\n///\n")
    assert run_cli(mini, "build").returncode == 0
    (mini / "data" / "pick.csv").write_text("code\nb\n")
    again = run_cli(mini, "build")
    assert again.returncode == 0, again.stderr
    assert "partial rebuild: 1 of 4 tables changed" in again.stderr
    assert as_cold(mini, tmp_path / "cold")
    shown = (mini / "site" / "second" / "index.html").read_text(encoding="utf-8")
    figure = shown[shown.index('id="picked"') :]
    sources = figure[: figure.index('<details class="sb-figure__data"')]
    assert "Beta source" in sources and "Alpha source" not in sources


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
        "partial rebuild: 0 of 2 tables and 1 chart code file changed; 1 chart and 0 facts "
        "made again, the other 1 chart kept from the last build"
    ) in again.stderr
    cold = copy_project(mini, tmp_path / "cold")
    assert "charts: 2 rendered" in run_cli(cold, "build").stderr
    assert tree_digest(mini / "site") == tree_digest(cold / "site")
    assert "Scores, edited" in (mini / "site" / "second" / "index.html").read_text()

    edit(mini / "charts" / "_shade.py", "#1f77b4", "#d62728")
    helper = run_cli(mini, "build")
    assert "1 chart code file changed; 1 chart and 0 facts made again" in helper.stderr
    assert "charts: 1 rendered" in helper.stderr
    cold = copy_project(mini, tmp_path / "cold2")
    assert run_cli(cold, "build").returncode == 0
    assert tree_digest(mini / "site") == tree_digest(cold / "site")


def test_a_renamed_chart_gives_the_site_of_a_cold_build(fresh_mini: Path, tmp_path: Path) -> None:
    """A chart given a new id, with the same spec and data, is drawn from the same render; its
    figure names the new id (the SVGs' title ids, the PNG's file name), not the old one."""
    mini = fresh_mini
    assert run_cli(mini, "build").returncode == 0
    edit(mini / "charts" / "cities.py", '@chart("region-scores"', '@chart("region-marks"')
    edit(mini / "content" / "second.md", "chart | region-scores", "chart | region-marks")
    again = run_cli(mini, "build")
    assert again.returncode == 0, again.stderr
    page = (mini / "site" / "second" / "index.html").read_text(encoding="utf-8")
    assert 'id="region-marks-svg-title"' in page and "region-scores" not in page
    cold = copy_project(mini, tmp_path / "cold")
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


PREVIEW = """
import json, os, sys
from pathlib import Path
from site_builder import cache, pipeline
from site_builder.cli import _settings

settings = _settings("mkdocs.yml")
renders = settings.cache_dir / "charts"
out = []
for path, old, new, preview in json.loads(sys.argv[1]):
    cache.used_names(renders).clear()
    text = Path(path).read_text(encoding="utf-8")
    Path(path).write_text(text.replace(old, new, 1), encoding="utf-8")
    project = pipeline.prepare_rendered(settings, preview=preview)
    kept = project.rendered["city-population"]
    marked = kept.key in cache.used_names(renders)
    out.append([marked, {k: r.key for k, r in project.rendered.items()}])
print(json.dumps(out))
"""


def test_a_preview_runs_chart_modules_and_marks_kept_renders_only_when_needed(
    fresh_mini: Path, tmp_path: Path
) -> None:
    """A preview's rebuilds in one process: a table edit runs no chart module again (the
    last discovery is kept by the chart code's digests), a chart-code edit does; the renders
    kept from the last build are not marked as used (no build prunes the cache beside the
    preview), as a build's are. Each project equals a cold build's of the same files."""
    mini = fresh_mini
    imports = tmp_path / "imports.log"
    edit(
        mini / "charts" / "cities.py",
        "import altair as alt\n",
        f"import altair as alt\nopen({str(imports)!r}, 'a').write('imported\\n')\n",
    )
    assert run_cli(mini, "build").returncode == 0
    imports.write_text("")
    regions, cities = str(mini / "data" / "regions.csv"), str(mini / "charts" / "cities.py")
    steps = [
        [regions, "South,5", "South,6", True],
        [regions, "South,6", "South,7", True],
        [regions, "South,7", "South,8", True],
        [cities, 'title="Scores by region"', 'title="Scores"', True],
        [regions, "", "", True],  # nothing changed: the project held in memory
        [regions, "", "", False],  # a build's check of the renders marks them
    ]
    out = subprocess.run(
        [str(BIN / "python"), "-c", PREVIEW, json.dumps(steps)],
        cwd=mini,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    # The first rebuild of the process discovers the modules; only the code edit again.
    assert imports.read_text().split() == ["imported"] * 2
    # The code edit builds the module's city chart again too, whose render is read from the
    # cache (and so marked).
    assert [marked for marked, _ in results] == [False, False, False, True, False, True]
    cold = copy_project(mini, tmp_path / "cold")
    cold_out = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            PREVIEW,
            json.dumps([[regions.replace(str(mini), str(cold)), "", "", False]]),
        ],
        cwd=cold,
        capture_output=True,
        text=True,
    )
    assert cold_out.returncode == 0, cold_out.stderr
    assert results[-1][1] == json.loads(cold_out.stdout)[0][1]
