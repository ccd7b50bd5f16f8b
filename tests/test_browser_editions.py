"""Editions in a real headless Chromium: both languages axe-clean, no console errors, and the
language selector going to the same page in the other language, whole (its lang and
Material's words change), even after instant navigation."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import PROJECTS, copy_project, run_cli
from helpers import AXE, QuietHandler, open_page, require_browser, scroll_all

require_browser()
pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    project = copy_project(PROJECTS / "editions", tmp_path_factory.mktemp("ed") / "story")
    # With site_url, the sitemap lists the pages and Material's instant navigation is on.
    result = run_cli(project, "build", env={"SITE_URL": base})
    assert result.returncode == 0, result.stderr
    root = project / "site"
    shutil.copy(AXE, root / "axe.min.js")
    server.RequestHandlerClass = functools.partial(  # type: ignore[assignment]
        QuietHandler, directory=str(root)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()


@pytest.mark.parametrize("url", ["", "zh/", "second/", "zh/second/"])
def test_axe_finds_no_violations_in_either_edition(site: str, browser: Any, url: str) -> None:
    page, watch = open_page(browser, site + url, site)
    scroll_all(page)
    page.add_script_tag(url=site + "axe.min.js")
    violations = page.evaluate(
        "async () => (await axe.run()).violations.map("
        "v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
    )
    assert violations == [], url
    assert watch.errors == [], url
    page.context.close()


def test_selector_goes_to_this_page_in_the_other_edition(site: str, browser: Any) -> None:
    page, watch = open_page(browser, site + "zh/", site)
    assert page.evaluate("document.documentElement.lang") == "zh"
    # Instant navigation to the borrowed second page, then back to the Chinese home page.
    page.click("article a[href$='second/']")
    page.wait_for_url(site + "zh/second/")
    page.go_back()
    page.wait_for_url(site + "zh/")
    # The address changes before the page is swapped in, and the second page's English link
    # also reads "/" until a reader reaches for it: wait for the home page's own heading
    # (a reader clicks what the page shows).
    page.wait_for_function(
        "() => document.querySelector('article h1')?.textContent.startsWith('小故事')"
    )
    english = ".md-select__link[hreflang='en']"
    page.wait_for_function(
        "([sel, home]) => { const a = document.querySelector(sel); return a && a.href === home; }",
        arg=[english, site],
    )
    # The selector's list opens on hover; a click on its link is what a reader's would be.
    page.locator(english).evaluate("a => a.click()")
    page.wait_for_url(site)
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.locator(".md-search__input").get_attribute("placeholder") == "Search"
    assert watch.errors == []
    page.context.close()
