"""Helpers shared by test modules: mini projects to edit, data packages, corpus cases, charts
built by hand, and the headless browser. Fixtures live in conftest.py."""

from __future__ import annotations

import functools
import http.server
import os
import random
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PROJECTS, ROOT, copy_project

from site_builder import pipeline
from site_builder.building import BuiltChart
from site_builder.charts import ChartDef
from site_builder.descriptor import Limits
from site_builder.errors import WriterError
from site_builder.figure import FigureLinks, body_html
from site_builder.loader import load_catalog
from site_builder.render import Rendered

# Mini projects a test changes one file of, and what the writer sees.


def settings(project: Path) -> pipeline.Settings:
    return pipeline.Settings(
        root=project,
        docs_dir=project / "content",
        data_dir=project / "data",
        charts_dir=project / "charts",
        cache_dir=project / ".cache" / "site-builder",
        workers=1,
    )


def prepare(project: Path) -> pipeline.Project:
    return pipeline.prepare(settings(project))


def report(project: Path) -> str:
    """The full text a writer gets for the project's mistakes."""
    with pytest.raises(WriterError) as info:
        prepare(project)
    return info.value.report()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Data packages of one table.

SCHEMA = {
    "primaryKey": ["country", "year"],
    "fields": [
        {"name": "country", "type": "string"},
        {"name": "year", "type": "integer"},
        {"name": "value", "type": "number", "constraints": {"maximum": 100}},
    ],
}


def write_package(root: Path, csv_text: str, **resource_overrides: object) -> Path:
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "t.csv").write_text(csv_text, encoding="utf-8")
    resource = {
        "name": "t",
        "path": "t.csv",
        "title": "T",
        "description": "A test table.",
        "sources": [{"title": "Example", "path": "https://example.org"}],
        "licenses": [{"name": "CC0-1.0"}],
        "schema": SCHEMA,
        **resource_overrides,
    }
    (data / "datapackage.yaml").write_text(yaml.safe_dump({"resources": [resource]}))
    return data


# The bad-input corpus (tests/corpus/cases.yaml).

CORPUS = Path(__file__).parent / "corpus"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
DEFAULT_FIELDS = [{"name": "country", "type": "string"}, {"name": "value", "type": "number"}]


def load_case(
    tmp_path: Path, case: dict[str, Any], source: Path | None = None, limits: Limits | None = None
) -> Any:
    """Load one corpus file as the only resource of a data package."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    if source is None:
        shutil.copy(CORPUS / case["file"], data / case["file"])
    schema: dict[str, Any] = {"fields": case.get("fields", DEFAULT_FIELDS)}
    for key in ("primaryKey", "missingValues"):
        if key in case:
            schema[key] = case[key]
    resource = {
        "name": "t",
        "path": case["file"],
        "title": "T",
        "description": "A corpus case.",
        "sources": [{"title": "Corpus", "path": "https://example.org"}],
        "licenses": [{"name": "CC0-1.0"}],
        "schema": schema,
        **case.get("resource", {}),
    }
    (data / "datapackage.yaml").write_text(
        yaml.safe_dump({"resources": [resource]}, allow_unicode=True), encoding="utf-8"
    )
    return load_catalog(data, tmp_path, limits=limits)


DATA_CASES = [c for c in CASES if "kind" not in c]


# Charts built by hand, for the renderer and the figure.

# A few bars, written by hand in Vega (as VegaFusion hands them over: theme applied).
BARS: dict[str, Any] = {
    "$schema": "https://vega.github.io/schema/vega/v6.json",
    "width": 200,
    "height": 120,
    "padding": 4,
    "background": "transparent",
    "data": [
        {
            "name": "table",
            "values": [
                {"name": "North", "value": 28},
                {"name": "South", "value": 55},
                {"name": "East <b>", "value": 43},
            ],
        }
    ],
    "scales": [
        {
            "name": "x",
            "type": "band",
            "domain": {"data": "table", "field": "name"},
            "range": "width",
            "padding": 0.1,
        },
        {
            "name": "y",
            "type": "linear",
            "domain": {"data": "table", "field": "value"},
            "range": "height",
            "nice": True,
        },
    ],
    "axes": [{"orient": "bottom", "scale": "x"}, {"orient": "left", "scale": "y"}],
    "marks": [
        {
            "type": "rect",
            "from": {"data": "table"},
            "encode": {
                "enter": {
                    "x": {"scale": "x", "field": "name"},
                    "width": {"scale": "x", "band": 1},
                    "y": {"scale": "y", "field": "value"},
                    "y2": {"scale": "y", "value": 0},
                    "fill": {"value": "#4c78a8"},
                }
            },
        }
    ],
}


def built(chart_id: str, spec: dict[str, Any], title: str = "A title") -> BuiltChart:
    definition = ChartDef(
        chart_id, func=lambda: None, data=[], title=title, path="charts/t.py", line=3
    )
    return BuiltChart(definition=definition, held_spec=spec, datasets=[])


def vega_bars_body(result: Rendered, stem: str = "b") -> str:
    """The figure body of the hand-written Vega bar chart."""
    links = FigureLinks(image=f"{stem}.svg", csv=f"{stem}.csv", spec=f"{stem}.vg.json")
    return body_html(
        "vega-bars",
        "Bars in Vega",
        "Three bars.",
        (result.svg, result.narrow_svg),
        [],
        [],
        links,
    )


# A page with a chart too dense to inline.

POINTS = 2000
CHART = """
import altair as alt

from site_builder import chart


@chart(
    "dense-scatter",
    data="points",
    title="Two thousand points & <one> title",
    subtitle="Every point drawn",
    description="A cloud of 2,000 points around the middle.",
)
def dense_scatter(points):
    # A legend: its title, right of the plot, is text the stand-in image must show too.
    return (
        alt.Chart(points)
        .transform_calculate(group="datum.x > 0 ? 'right' : 'left'")
        .mark_circle()
        .encode(x="x:Q", y="y:Q", color=alt.Color("group:N", title="Group"), tooltip=["x", "y"])
    )
"""
RESOURCE = """
  - name: points
    path: points.csv
    title: Points
    description: Random points.
    sources:
      - {title: Generator, path: "https://example.org/points"}
    schema:
      fields:
        - {name: x, type: number}
        - {name: y, type: number}
"""
PALETTES = """  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
"""


def dense_project(dest: Path) -> Path:
    """The `basic` mini project with a page holding a 2,000-point scatter."""
    project = copy_project(PROJECTS / "basic", dest)
    rng = random.Random(7)
    rows = [f"{rng.gauss(0, 1):.4f},{rng.gauss(0, 1):.4f}" for _ in range(POINTS)]
    (project / "data" / "points.csv").write_text("x,y\n" + "\n".join(rows) + "\n")
    with (project / "data" / "datapackage.yaml").open("a") as package:
        package.write(RESOURCE)
    (project / "charts" / "dense.py").write_text(CHART)
    # Light and dark palettes, each as the reader's system prefers: the image standing in for
    # the chart shows the dark palette's neutral colours on the dark one.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n", "  font: false\n" + PALETTES))
    (project / "content" / "dense.md").write_text(
        "# Dense\n\nA scatter too heavy to inline.\n\n/// chart | dense-scatter\n///\n"
    )
    return project


# Headless Chromium, and the site served to it.

CHROMIUM = next(
    (
        p
        for p in ("/usr/lib/chromium/chromium", shutil.which("chromium"))
        if p and os.path.exists(p)
    ),
    None,
)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser() -> None:
    """Skip the calling test module without Chromium and axe-core (fail in CI); call it at
    module level."""
    if CHROMIUM is None or not AXE.is_file():
        missing = "chromium (apt-get install chromium)" if CHROMIUM is None else "axe-core (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {missing} for the browser tests", pytrace=False)
        pytest.skip(f"{missing} is not installed; CI runs these tests", allow_module_level=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(
    folder: Path, handler: type[QuietHandler] = QuietHandler
) -> tuple[str, http.server.ThreadingHTTPServer]:
    """`folder` served on 127.0.0.1 from a thread: its address, and the server to shut down."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


class Watch:
    """Console errors, page errors and requests that leave the site, for one page."""

    def __init__(self, page: Any, base: str):
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("request", self._request)
        page.on("response", self._response)
        self.base = base

    def _console(self, message: Any) -> None:
        # Failed loads are reported with their URL by _response; the console line has none.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def _response(self, response: Any) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _request(self, request: Any) -> None:
        self.requests.append(request.url)
        if not request.url.startswith(self.base) and not request.url.startswith("data:"):
            self.outside.append(request.url)


def open_page(browser: Any, url: str, base: str, **options: Any) -> tuple[Any, Watch]:
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    watch = Watch(page, base)
    page.goto(url)
    return page, watch


def scroll_all(page: Any, state: str = "interactive") -> list[str | None]:
    """Bring each chart into view, reach for it (the pointer over its corner, off its marks)
    and wait for it to settle; the states it ends in."""
    charts = page.locator(".sb-figure__chart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).hover(position={"x": 1, "y": 1})
        page.wait_for_function(
            "el => el.dataset.sbState === 'interactive' || el.dataset.sbState === 'static'",
            arg=charts.nth(i).element_handle(),
            timeout=15000,
        )
    return [charts.nth(i).get_attribute("data-sb-state") for i in range(charts.count())]


# Observers are notified in the order they were made, in one task: when a new one reports the
# element in view, the page's own observer has already been told.
_SEEN_IN_VIEW = """el => new Promise(resolve => {
  const seen = new IntersectionObserver(entries => {
    if (entries.some(e => e.isIntersecting)) { seen.disconnect(); resolve(true); }
  });
  seen.observe(el);
})"""


def scroll_until_seen(locator: Any) -> None:
    """Scroll the element into view and return once the page's observers have seen it there."""
    locator.scroll_into_view_if_needed()
    locator.evaluate(_SEEN_IN_VIEW)
