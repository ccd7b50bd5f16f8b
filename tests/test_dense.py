"""A dense chart end to end: a 2,000-point scatter is too heavy to inline, so its page shows
it as an SVG image file, with the same name, description, table and downloads."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import run_cli
from helpers import POINTS, dense_project

from site_builder.images import SVG_BUDGET


@pytest.fixture(scope="module")
def dense_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = dense_project(tmp_path_factory.mktemp("dense") / "mini")
    result: subprocess.CompletedProcess[str] = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_dense_page_shows_an_image_file_within_budget(dense_site: Path) -> None:
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
    # Each layout's image is a file, loaded lazily: a reader fetches the one shown, not both.
    narrow = figure.select_one(".sb-figure__chart > img.sb-static--narrow")
    for each in (img, narrow):
        assert each["src"].startswith("../assets/charts/") and each["loading"] == "lazy"
    assert narrow["src"].endswith(".narrow.stand-in.svg")
    assert img["src"].endswith(".stand-in.svg") and img["src"] != narrow["src"]
    # The image is the chart alone, still vector (every point drawn), at the box's size: the
    # caption says the title and source already. Nothing is rasterized for it.
    for each in (img, narrow):
        shown = (dense_site / "dense" / each["src"]).read_text(encoding="utf-8")
        opening = shown[:300]
        assert f'width="{each["width"]}"' in opening and f'height="{each["height"]}"' in opening
        assert shown.count("<path") >= POINTS
        assert "Two thousand points" not in shown
    charts = dense_site / "assets" / "charts"
    assert [p.name for p in charts.iterdir() if p.suffix in (".webp", ".png")] == []
    # The download is the chart as an SVG under its title and over its source (the page draws
    # its PNG).
    downloads = [a["href"] for a in figure.select(".sb-figure__downloads a")]
    image = (dense_site / "dense" / next(h for h in downloads if h.endswith(".svg"))).resolve()
    opening = image.read_text(encoding="utf-8")[:300]
    width = float(re.search(r'\swidth="([\d.]+)"', opening).group(1))
    height = float(re.search(r'\sheight="([\d.]+)"', opening).group(1))
    assert round(width) == int(img["width"])
    assert height > int(img["height"])
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


def test_dense_embed_page_shows_the_images(dense_site: Path) -> None:
    soup = BeautifulSoup(
        (dense_site / "embed" / "dense-scatter" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    images = soup.select(".sb-figure__chart > img")
    assert len(images) == 2  # the wide layout's and the phone's
    for img in images:
        assert (dense_site / "embed" / "dense-scatter" / img["src"]).is_file()


def test_the_densest_charts_stand_in_is_a_webp(tmp_path: Path) -> None:
    """An SVG image is laid out on the browser's main thread (a 4,000-point scatter took up to
    370 ms at a phone's speed): over RASTER_ABOVE its stand-in is a WebP, decoded off it."""
    import io

    from PIL import Image

    from site_builder.figures import _TOKEN, stand_in_name
    from site_builder.images import RASTER_ABOVE, stand_in_webp
    from site_builder.render import Rendered

    mark = '<path d="M10,10h2v2h-2Z" fill="#4c78a8"/>'
    head = '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="300" height="200">'
    dense = head + mark * (RASTER_ABOVE // len(mark) + 1) + "</svg>"
    lighter = head + mark * (SVG_BUDGET // len(mark) + 1) + "</svg>"
    r = Rendered("c", "k" * 64, False, tmp_path)
    r.path(".svg").write_text(dense)
    r.path(".narrow.svg").write_text(lighter)
    assert stand_in_name(r, ".svg") == "stand-in.webp"
    assert stand_in_name(r, ".narrow.svg") == "stand-in.svg"
    for ext in ("stand-in.webp", "narrow.stand-in.svg", "narrow.stand-in.webp"):
        assert _TOKEN.fullmatch(f"\0link:{ext}\0"), ext
    with Image.open(io.BytesIO(stand_in_webp(dense))) as image:
        assert image.format == "WEBP" and image.size == (600, 400)
        assert image.convert("L").getextrema()[0] < 200  # the mark is drawn
