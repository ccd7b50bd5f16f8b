"""The charts in charts/ are the gallery: each builds, validates, renders; the story builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_story, run_cli
from helpers import prepare

from site_builder.discovery import discover
from site_builder.pipeline import Project
from site_builder.render import render_charts
from site_builder.specs import check_spec

# The ids, for collection: declaring the charts runs no chart function and writes no cache.
CHART_IDS = sorted(c.id for c in discover(ROOT / "charts", ROOT).charts)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, render_cache: Path) -> Project:
    """The sample story, prepared once for this module from a copy (never the repo's cache)."""
    return prepare(copy_story(tmp_path_factory.mktemp("gallery") / "story", render_cache))


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_chart_builds_validates_and_renders(
    chart_id: str, project: Project, tmp_path: Path
) -> None:
    chart = project.charts[chart_id]
    assert check_spec(chart.spec) == []
    assert chart.definition.description, "every story chart has written alt text"
    assert project.sources_of(chart), "every chart has sources"
    result = render_charts([chart], tmp_path, workers=1)[chart_id]
    assert result.svg.startswith("<svg") and "<text" in result.svg
    assert (
        result.image_svg.startswith("<svg")
        and chart.definition.title.split()[0] in result.image_svg
    )
    assert result.live_json.startswith('{"$schema":"https://vega.github.io/schema/vega/')


def test_story_floor_is_labelled_as_a_floor(project: Project) -> None:
    chart = project.charts["rare-earth-refining"]
    rows = [
        r for r in chart.spec["datasets"][chart.spec["data"]["name"]] if r["value_is_lower_bound"]
    ]
    assert rows and all(r["Shown as"].startswith("over ") for r in rows)
    assert project.facts["china-refining-floor"].text == "over 90%"


def test_story_site(story: Path) -> None:
    result = run_cli(story, "build")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((story / "site" / "index.html").read_text(), "html.parser")
    figures = soup.select("figure.sb-figure")
    assert [f["id"] for f in figures] == ["china-share-by-stage"]
    for fig in figures:
        assert fig.select_one("svg[role=img] title").get_text()
        assert fig.select(".sb-figure__source a[href^='https://']")
        assert fig.select("details table tbody tr")
    facts = {s["data-fact"]: s.get_text() for s in soup.select(".sb-fact")}
    assert facts["china-refining-floor"] == "over 90%"
    assert facts["alliance-signed-dec12-count"] == "6"
    assert facts["h20-revenue-share"] == "15%"
    # Every chapter is linked from the home page.
    links = {a["href"] for a in soup.select("article a[href]")}
    for chapter in ("rare-earths/", "alliance/", "chips/", "timeline/", "claims/", "data/"):
        assert chapter in links
