"""What readers see, in a real headless Chromium: charts are there with JavaScript off."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from conftest import run_cli

CHROMIUM = next(
    (
        p
        for p in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "")
        if p and os.path.exists(p)
    ),
    None,
)
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

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail(
            "CI needs Debian's chromium for the browser tests (.ci/run installs it)", pytrace=False
        )
    pytest.skip(
        "chromium is not installed: apt-get install chromium (CI runs these tests)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from conftest import ROOT

    project = tmp_path_factory.mktemp("browser") / "story"
    project.mkdir()
    for name in ("content", "data", "charts"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_charts_visible_without_javascript(site_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(site_url) else outside.append(r.url))
        page.goto(site_url)
        figures = page.locator("figure.sb-figure")
        assert figures.count() >= 1
        for i in range(figures.count()):
            svg = figures.nth(i).locator(".sb-figure__chart > svg")
            svg.scroll_into_view_if_needed()
            box = svg.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 80
            assert svg.get_attribute("role") == "img"
        assert outside == []
        browser.close()
