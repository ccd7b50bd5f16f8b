"""A dense chart end to end: a 2,000-point scatter is too heavy to inline, so its page shows
the PNG, with the same name, description, table and downloads."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import run_cli
from helpers import POINTS, dense_project
from PIL import Image

from site_builder.images import SVG_BUDGET


@pytest.fixture(scope="module")
def dense_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = dense_project(tmp_path_factory.mktemp("dense") / "mini")
    result: subprocess.CompletedProcess[str] = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_dense_page_shows_the_png_within_budget(dense_site: Path) -> None:
    html = (dense_site / "dense" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    figure = soup.select_one("figure#dense-scatter")
    assert figure is not None
    assert len(str(figure).encode()) < SVG_BUDGET
    assert len(html.encode()) < SVG_BUDGET
    assert figure.select("svg") == []
    img = figure.select_one(".sb-figure__chart > img.sb-static--wide")
    assert img["alt"] == "A cloud of 2,000 points around the middle."
    assert img["width"] and img["height"]  # no layout shift
    said = [figure.find(id=img[a]).get_text() for a in ("aria-labelledby", "aria-describedby")]
    assert said == [
        "Two thousand points & <one> title",
        "A cloud of 2,000 points around the middle.",
    ]
    # With a phone layout, each layout's WebP is a file, loaded lazily: a reader fetches
    # the one shown, not both.
    narrow = figure.select_one(".sb-figure__chart > img.sb-static--narrow")
    for each in (img, narrow):
        assert each["src"].startswith("../assets/charts/") and each["loading"] == "lazy"
    assert (dense_site / "dense" / narrow["src"]).read_bytes()[8:12] == b"WEBP"
    shown = (dense_site / "dense" / img["src"]).read_bytes()
    assert shown[:4] == b"RIFF" and shown[8:12] == b"WEBP"
    # The download is the chart as an SVG under its title and over its source (the page draws
    # its PNG); the box is the chart's size at 1x, the WebP the chart alone at twice that: the
    # caption says the title and source already.
    downloads = [a["href"] for a in figure.select(".sb-figure__downloads a")]
    image = (dense_site / "dense" / next(h for h in downloads if h.endswith(".svg"))).resolve()
    opening = image.read_text(encoding="utf-8")[:300]
    width = float(re.search(r'\swidth="([\d.]+)"', opening).group(1))
    height = float(re.search(r'\sheight="([\d.]+)"', opening).group(1))
    assert round(width) == int(img["width"])
    assert height > int(img["height"])
    with Image.open(io.BytesIO(shown)) as webp:
        assert webp.size == (2 * int(img["width"]), 2 * int(img["height"]))
    # Its proportions come from a class of the stylesheet (no style attribute: strict CSP).
    ratio = next(c for c in img["class"] if c.startswith("sb-ratio-"))
    css = (dense_site / "assets" / "site-builder" / "site-builder.css").read_text()
    assert f".{ratio} {{ aspect-ratio: {img['width']} / {img['height']}; }}" in css
    assert not img.has_attr("style")
    # The table is there (the first rows), and the CSV has them all.
    assert len(figure.select("details tbody tr")) == 500
    assert "First 500 of 2000 rows" in figure.select_one(".sb-figure__more").get_text()
    csv = next(h for h in downloads if h.endswith(".csv"))
    assert len((dense_site / "dense" / csv).read_text().splitlines()) == POINTS + 1


def test_dense_embed_page_shows_the_png(dense_site: Path) -> None:
    soup = BeautifulSoup(
        (dense_site / "embed" / "dense-scatter" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    images = soup.select(".sb-figure__chart > img")
    assert len(images) == 2  # the wide layout's and the phone's
    for img in images:
        assert (dense_site / "embed" / "dense-scatter" / img["src"]).is_file()


def test_a_dense_chart_wider_than_a_webp_gets_a_stand_in_all_the_same() -> None:
    """A heat strip of 900 steps is 18,000 px wide: at twice the pixels its stand-in passed
    the WebP limit (16,383 px) and the chart failed with "encoding error 5"."""
    import json

    import altair as alt
    import pandas as pd

    from site_builder.images import WEBP_MAX
    from site_builder.render import render_one, themed

    rows = pd.DataFrame(
        [{"day": f"d{i:03d}", "hour": h, "v": (i * h) % 17} for i in range(900) for h in range(6)]
    )
    strip = alt.Chart(rows).mark_rect().encode(x="day:N", y="hour:O", color="v:Q")
    with alt.data_transformers.disable_max_rows():
        spec = strip.to_dict()
    outcome = render_one(json.dumps(themed(spec)), "{}")
    assert not isinstance(outcome, str), outcome
    with Image.open(io.BytesIO(outcome[3])) as stand_in:
        assert stand_in.format == "WEBP"
        assert max(stand_in.size) <= WEBP_MAX and stand_in.size[0] > 8000
