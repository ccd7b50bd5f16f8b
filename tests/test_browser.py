"""What readers see, in a real headless Chromium, on the sample story served on 127.0.0.1.

Static charts without JavaScript; interactive ones once in view; no third-party requests,
no console errors; axe-core clean in both palettes; phones; print; a runtime that fails.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import copy_story, run_cli
from helpers import (
    AXE,
    QuietHandler,
    Watch,
    open_page,
    require_browser,
    scroll_all,
    scroll_until_seen,
)

require_browser()


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, render_cache: Path
) -> Iterator[tuple[str, list[str]]]:
    """The sample story, built for and served at its own address; with every page's URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    project = copy_story(tmp_path_factory.mktemp("browser") / "story", render_cache)
    # The writer's own rule for the dark palette (as readers without JavaScript get it too).
    with (project / "content" / "assets" / "story.css").open("a", encoding="utf-8") as css:
        css.write('\n[data-md-color-scheme="slate"] .md-typeset h1 { color: #ffd54f; }\n')
    # Material's instant navigation needs site_url: build for the address it is served at.
    result = run_cli(project, "build", env={"SITE_URL": base})
    assert result.returncode == 0, result.stderr
    root = project / "site"
    # axe-core from the site itself: the pages' policy refuses inline scripts.
    shutil.copy(AXE, root / "axe.min.js")
    # A page elsewhere that embeds a chart with the code offered under each figure.
    home = BeautifulSoup((root / "index.html").read_text(encoding="utf-8"), "html.parser")
    snippet = home.select_one(".sb-figure__embed pre").get_text()
    (root / "embed-host.html").write_text(
        f"<!doctype html><title>Host</title><h1>Another site</h1>{snippet}", encoding="utf-8"
    )
    found = sorted(
        "" if p.parent == root else p.parent.relative_to(root).as_posix() + "/"
        for p in root.rglob("index.html")
    )
    # Every story page, and one embed page: they all share one template.
    embeds = [u for u in found if u.startswith("embed/")]
    pages = [u for u in found if not u.startswith("embed/")] + embeds[:1]
    server.RequestHandlerClass = functools.partial(  # type: ignore[assignment]
        QuietHandler, directory=str(root)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, pages
    server.shutdown()


def test_charts_visible_without_javascript(site: tuple[str, list[str]], browser: Any) -> None:
    base, pages = site
    seen = 0
    for url in pages:
        page, watch = open_page(browser, base + url, base, java_script_enabled=False)
        svgs = page.locator(".sb-figure__chart > svg.sb-static--wide")
        for i in range(svgs.count()):
            svgs.nth(i).scroll_into_view_if_needed()
            box = svgs.nth(i).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 50, url
            assert svgs.nth(i).get_attribute("role") == "img"
            seen += 1
        assert watch.outside == []
        page.context.close()
    assert seen >= 3


RUNTIME_RAN = "() => typeof window.vega !== 'undefined'"


def test_runtime_runs_when_the_reader_reaches_for_a_chart(
    site: tuple[str, list[str]], browser: Any
) -> None:
    """The page loads without fetching the Vega runtime while no chart is near the view; once
    one is, the runtime is fetched (when the browser is idle) but not run; the pointer over a
    chart runs it, and from then on every chart that comes into view goes live by itself."""
    base, _ = site
    page, watch = open_page(browser, base, base, viewport={"width": 1280, "height": 300})
    charts = page.locator(".sb-figure__chart")
    first = charts.first
    top = first.evaluate("el => el.getBoundingClientRect().top")
    assert top > 300 + 100, "the first chart must start below the fold for this test"
    page.wait_for_load_state("load")
    # Two idle periods of the browser pass: still nothing fetched, no chart being near.
    for _ in range(2):
        page.evaluate("() => new Promise(done => requestIdleCallback(done, {timeout: 3000}))")
    assert page.locator("link[rel=prefetch]").count() == 0
    assert not [u for u in watch.requests if "/vega." in u]
    scroll_until_seen(first)
    # A chart is near: the runtime's file is fetched, and must still not run.
    page.wait_for_selector("link[rel=prefetch]", state="attached")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('/vega.'))"
    )
    # In view but not reached for: static, and the runtime has not run.
    assert first.get_attribute("data-sb-state") is None
    assert not page.evaluate(RUNTIME_RAN)
    first.hover(position={"x": 1, "y": 1})
    page.wait_for_function("el => el.dataset.sbState === 'interactive'", arg=first.element_handle())
    assert page.evaluate(RUNTIME_RAN)
    assert len({u for u in watch.requests if "/vega." in u}) == 1  # one file, from the site
    live = first.locator(".sb-live svg")
    assert live.get_attribute("role") == "img"
    assert first.locator(".sb-static--wide").is_hidden()
    if charts.count() > 1:
        second = charts.nth(1)
        page.mouse.move(0, 0)
        second.scroll_into_view_if_needed()
        page.wait_for_function(
            "el => el.dataset.sbState === 'interactive'", arg=second.element_handle()
        )
    assert watch.errors == []
    page.context.close()


# A picture that takes its time: the page's load event waits for it.
SLOW_PICTURE = """
document.addEventListener("DOMContentLoaded", () => {
  const picture = new Image();
  picture.alt = "";
  picture.src = "/slow-picture.png";
  document.body.appendChild(picture);
});
"""


def test_runtime_is_fetched_only_once_the_page_has_loaded(
    site: tuple[str, list[str]], browser: Any
) -> None:
    """A chart in view from the start: the runtime's file is still not fetched before the
    page's load event (here held back 2 s by a slow picture), only after it, when idle."""
    base, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    context.add_init_script(SLOW_PICTURE)

    def slow(route: Any) -> None:
        time.sleep(2)
        route.fulfill(status=204)

    context.route("**/slow-picture.png", slow)
    page = context.new_page()
    page.goto(base, wait_until="commit")
    page.wait_for_function(
        "() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0 &&"
        " performance.getEntriesByType('resource').some(e => e.name.includes('/vega.'))",
        timeout=15000,
    )
    loaded, fetched = page.evaluate(
        """() => [performance.getEntriesByType('navigation')[0].loadEventStart,
                  performance.getEntriesByType('resource')
                    .find(e => e.name.includes('/vega.')).startTime]"""
    )
    assert loaded > 1500, "the slow picture must hold the load event back"
    assert fetched >= loaded, (fetched, loaded)
    assert not page.evaluate(RUNTIME_RAN)  # fetched, not run
    context.close()


# Each chart's states, in the order they were set.
RECORD_STATES = """
window.__sbStates = [];
new MutationObserver(changes => {
  for (const c of changes) {
    window.__sbStates.push([c.target.closest("figure").id, c.target.dataset.sbState || ""]);
  }
}).observe(document, {attributes: true, attributeFilter: ["data-sb-state"], subtree: true});
"""


def test_charts_in_view_go_live_one_at_a_time_the_one_reached_for_first(
    site: tuple[str, list[str]], browser: Any
) -> None:
    """Three charts in view; the pointer over the last one: it goes live first, then the
    others, each once the one before is live (never two being built in one stretch)."""
    base, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 4000})
    context.add_init_script(RECORD_STATES)
    page = context.new_page()
    page.goto(base + "rare-earths/")
    charts = page.locator(".sb-figure__chart")
    assert charts.count() >= 3, "needs three charts in view at once"
    for i in range(charts.count()):
        scroll_until_seen(charts.nth(i))
    ids = charts.evaluate_all("els => els.map(el => el.closest('figure').id)")
    charts.last.hover(position={"x": 1, "y": 1})
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sb-figure__chart')]"
        ".every(el => el.dataset.sbState === 'interactive')"
    )
    states = page.evaluate("() => window.__sbStates")
    assert states[0] == [ids[-1], "loading"], states
    building = None
    for chart_id, state in states:
        if state == "loading":
            assert building is None, f"{chart_id} started while {building} was being built"
            building = chart_id
        elif state == "interactive":
            assert building == chart_id, states
            building = None
    assert sorted(c for c, s in states if s == "interactive") == sorted(ids)
    context.close()


def test_keyboard_focus_in_a_figure_brings_its_chart_to_life(
    site: tuple[str, list[str]], browser: Any
) -> None:
    base, _ = site
    page, _ = open_page(browser, base, base)
    first = page.locator(".sb-figure__chart").first
    scroll_until_seen(first)
    assert first.get_attribute("data-sb-state") is None
    page.locator("figure.sb-figure .sb-figure__downloads a").first.focus()
    page.wait_for_function("el => el.dataset.sbState === 'interactive'", arg=first.element_handle())
    page.context.close()


def test_every_chart_becomes_interactive_with_tooltips(
    site: tuple[str, list[str]], browser: Any
) -> None:
    base, pages = site
    tooltips = 0
    for url in pages:
        page, watch = open_page(browser, base + url, base)
        states = scroll_all(page)
        assert set(states) <= {"interactive"}, (url, states)
        for i in range(len(states)):
            mark = page.locator(".sb-live").nth(i).locator("g.role-mark path, g.role-mark circle")
            if mark.count() and tooltips == 0:
                mark.first.hover(force=True)
                if page.locator("#vg-tooltip-element.visible").count():
                    tooltips += 1
        assert watch.errors == [], url
        assert watch.outside == [], url
        page.context.close()
    assert tooltips >= 1, "hovering a mark shows its tooltip"


def test_a_tooltip_follows_the_palette_the_reader_switches_to(
    site: tuple[str, list[str]], browser: Any
) -> None:
    base, pages = site
    page, _ = open_page(browser, base + pages[0], base)
    states = scroll_all(page)
    assert states and set(states) <= {"interactive"}
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")  # the toggle
    backgrounds = []
    for i in range(len(states)):
        mark = page.locator(".sb-live").nth(i).locator("g.role-mark path, g.role-mark circle")
        if mark.count():
            mark.first.hover(force=True)
            tip = page.locator("#vg-tooltip-element.visible")
            if tip.count():
                backgrounds.append(tip.evaluate("el => getComputedStyle(el).backgroundColor"))
                break
    assert backgrounds == ["rgba(30, 30, 30, 0.94)"]  # dark, though the chart went live light
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site: tuple[str, list[str]], browser: Any, scheme: str) -> None:
    base, pages = site
    for url in pages:
        page, _ = open_page(browser, base + url, base, color_scheme=scheme)
        scroll_all(page)
        page.add_script_tag(url=base + "axe.min.js")
        violations = page.evaluate(
            "async () => (await axe.run()).violations.map("
            "v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
        )
        assert violations == [], (url, scheme)
        page.context.close()


def test_phone_width(site: tuple[str, list[str]], browser: Any) -> None:
    base, pages = site
    for url in pages:
        page, _ = open_page(browser, base + url, base, viewport={"width": 375, "height": 800})
        scroll_all(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
        smallest = page.evaluate(
            """() => Math.min(99, ...[...document.querySelectorAll('.sb-figure__chart svg text')]
                .filter(t => t.getBoundingClientRect().width > 0)
                .map(t => {
                  const svg = t.ownerSVGElement, box = svg.viewBox.baseVal;
                  const shown = svg.getBoundingClientRect().width;
                  const scale = box && box.width ? shown / box.width : 1;
                  return parseFloat(getComputedStyle(t).fontSize) * scale;
                }))"""
        )
        assert smallest >= 10.9, (url, smallest)
        page.context.close()
        # Without JavaScript too: nothing (a closed menu either) reaches past the screen.
        page, _ = open_page(
            browser, base + url, base, viewport={"width": 375, "height": 800},
            java_script_enabled=False,
        )  # fmt: skip
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, ("no JS", url)
        page.context.close()


@pytest.mark.slow  # a whole build
def test_a_long_site_name_stays_on_a_phone_without_javascript(
    fresh_mini: Path, browser: Any
) -> None:
    """A newcomer's long site name and page title: Material's second header title, hidden and
    moved aside until the page scrolls, reached 13 px past a 375 px screen without JavaScript
    (no palette toggle there to narrow the title)."""
    from helpers import serve

    config = fresh_mini / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "site_name: Mini story", "site_name: Household energy prices in Europe"
        )
    )
    page_file = fresh_mini / "content" / "index.md"
    page_file.write_text(
        page_file.read_text().replace(
            "# Mini story", "# Household energy prices across five European countries"
        )
    )
    assert run_cli(fresh_mini, "build").returncode == 0
    base, server = serve(fresh_mini / "site")
    try:
        for width in (320, 375):
            context = browser.new_context(
                viewport={"width": width, "height": 800}, java_script_enabled=False
            )
            page = context.new_page()
            page.goto(base)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            context.close()
    finally:
        server.shutdown()


def test_a_live_charts_controls_show_where_the_keyboard_is(
    site: tuple[str, list[str]], browser: Any
) -> None:
    """The theme takes every input's outline away: a slider or checkbox of a live chart had
    no visible focus. The controls as the live view makes them, on a story page."""
    base, pages = site
    page, _ = open_page(browser, base + pages[0], base)
    page.evaluate(
        """() => document.querySelector('.sb-figure__chart').insertAdjacentHTML('beforeend',
        '<form class="vega-bindings"><div class="vega-bind"><label>' +
        '<span class="vega-bind-name">Year</span><input type="range" min="0" max="9"></label>' +
        '</div><div class="vega-bind"><label><input type="checkbox">Share</label></div></form>')"""
    )
    for kind in ("range", "checkbox"):
        control = page.locator(f".vega-bind input[type={kind}]")
        page.keyboard.press("Escape")
        control.focus()
        outline = control.evaluate("e => getComputedStyle(e).outlineStyle")
        assert outline == "solid", kind
    page.context.close()


_COLOURS = """() => [
  document.body, document.querySelector('.md-header'), document.querySelector('.md-typeset a'),
  document.querySelector('.sb-figure__chart svg text'),
].map(el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color, s.fill]; })"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_without_javascript_the_page_takes_the_readers_colour_scheme(
    site: tuple[str, list[str]], browser: Any, scheme: str
) -> None:
    """Material sets the palette with its script: without it, a reader whose system prefers
    dark gets the dark palette as well, page, charts and the writer's own rules in the colours
    they have with it."""
    base, _ = site
    seen = {}
    heading = "getComputedStyle(document.querySelector('.md-typeset h1')).color"
    for script in (True, False):
        page, _ = open_page(
            browser, base + "rare-earths/", base, color_scheme=scheme, java_script_enabled=script
        )
        page.wait_for_load_state("load")
        seen[script] = [*page.evaluate(_COLOURS), page.evaluate(heading)]
        page.context.close()
    assert seen[False] == seen[True]
    background = seen[False][0][0]
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(30, 33, 41)")
    assert (seen[False][-1] == "rgb(255, 213, 79)") == (scheme == "dark")  # the writer's rule


def test_a_reader_who_chose_light_on_a_dark_system_keeps_it_across_pages(
    site: tuple[str, list[str]], browser: Any
) -> None:
    """With JavaScript, the stylesheet for readers without it never applies: the light
    palette chosen on a system that prefers dark stays light, on the next page reached by
    instant navigation too (its <head> is parsed with scripting off)."""
    base, _ = site
    page, _ = open_page(browser, base + "zh/rare-earths/", base, color_scheme="dark")
    page.wait_for_load_state("networkidle")
    body = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(body) == "rgb(30, 33, 41)"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"() => {body} === 'rgb(255, 255, 255)'")
    page.evaluate("window.__sameDocument = true")
    up = base + "zh/"
    page.evaluate("u => Array.from(document.links).find(a => a.href === u).click()", up)
    page.wait_for_url(up)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__sameDocument === true"), "navigation was instant"
    assert page.evaluate(body) == "rgb(255, 255, 255)"
    page.context.close()


def test_palette_toggle_recolours_charts(site: tuple[str, list[str]], browser: Any) -> None:
    base, _ = site
    page, _ = open_page(browser, base, base, color_scheme="light")
    label = page.locator(".sb-figure__chart svg.sb-static--wide text").first

    def colour() -> str:
        return label.evaluate("el => getComputedStyle(el).fill")

    light = colour()
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    dark = colour()
    assert light != dark
    page.context.close()


# Records, from the first byte, each change Material's script could make that restyles the
# whole page: a stylesheet link given a new href (the sheet is loaded and parsed again), a
# color-scheme meta added or set.
_RESTYLES = """
window.__restyles = [];
new MutationObserver((records) => {
  for (const r of records) {
    const el = r.type === "attributes" ? r.target : null;
    if (el && el.matches("link[rel=stylesheet]")) window.__restyles.push("href " + el.href);
    if (el && el.matches("meta[name=color-scheme]")) window.__restyles.push("meta content");
    for (const n of r.addedNodes)
      if (n.nodeType === 1 && n.matches("meta[name=color-scheme]") && document.body)
        window.__restyles.push("meta added");
  }
}).observe(document, { subtree: true, childList: true, attributes: true,
                       attributeFilter: ["href", "content"] });
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_materials_script_starts_without_restyling_the_page(
    site: tuple[str, list[str]], browser: Any, scheme: str
) -> None:
    base, pages = site
    start = next(u for u in pages if u.count("/") == 2)  # an edition's page: two levels down
    context = browser.new_context(viewport={"width": 412, "height": 823}, color_scheme=scheme)
    context.add_init_script(_RESTYLES)
    page = context.new_page()
    watch = Watch(page, base)
    page.goto(base + start)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__restyles") == []
    # The page's root (canvas, scrollbars) in the palette's scheme, as Material's meta set it.
    root = "getComputedStyle(document.documentElement).colorScheme"
    expected = {"light": "light", "dark": "dark"}[scheme]
    assert page.evaluate(root) == expected
    assert page.evaluate("getComputedStyle(document.body).colorScheme") == expected
    # Instant navigation one level up keeps the stylesheets loaded: the same sheets, none new.
    page.evaluate("window.__sheets = Array.from(document.styleSheets)")
    page.evaluate("window.__sameDocument = true")
    page.evaluate("document.querySelector('[data-md-component=container]').dataset.old = ''")
    up = base + start.split("/")[0] + "/"
    page.evaluate("u => Array.from(document.links).find(a => a.href === u).click()", up)
    page.wait_for_url(up)
    swapped = "!document.querySelector('[data-md-component=container][data-old]')"
    for _ in range(200):
        if page.evaluate(swapped):
            break
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__sameDocument === true"), "navigation was instant"
    same = "Array.from(document.styleSheets).every((s, i) => s === window.__sheets[i])"
    assert page.evaluate(f"document.styleSheets.length === window.__sheets.length && {same}")
    # The palette switched by the reader: the root follows.
    page.locator("form[data-md-component=palette] label:visible").first.click()
    other = {"light": "dark", "dark": "light"}[scheme]
    for _ in range(100):
        if page.evaluate(root) == other:
            break
        page.wait_for_timeout(50)
    assert page.evaluate(root) == other
    assert watch.errors == []
    context.close()


def test_failed_runtime_keeps_static_charts(site: tuple[str, list[str]], browser: Any) -> None:
    base, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    asked: list[str] = []

    def blocked(route: Any) -> None:
        if route.request.resource_type == "script":  # not the prefetch
            asked.append(route.request.url)
        route.abort()

    context.route("**/vega.*.js", blocked)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "rare-earths/")  # a page of several charts
    states = scroll_all(page)
    assert set(states) == {"static"} and len(states) > 2
    # Asked for again once (a moment's drop), then taken as blocked: not once per chart.
    assert 1 <= len(asked) <= 2, asked
    for svg in page.locator(".sb-static--wide").all():
        assert svg.is_visible()
    assert page.locator(".sb-live").count() == 0
    assert errors == []
    context.close()


def test_print_shows_static_charts_with_captions(site: tuple[str, list[str]], browser: Any) -> None:
    base, _ = site
    page, _ = open_page(browser, base, base)
    scroll_all(page)
    page.emulate_media(media="print")
    figure = page.locator("figure.sb-figure").first
    assert figure.locator(".sb-static--wide").is_visible()
    assert figure.locator(".sb-live").is_hidden()
    assert figure.locator(".sb-figure__source a").first.is_visible()
    assert figure.locator(".sb-figure__title").is_visible()
    page.context.close()


def test_instant_navigation_enhances_the_next_page(
    site: tuple[str, list[str]], browser: Any
) -> None:
    base, pages = site
    start = next((u for u in pages if u), None)
    if start is None:
        pytest.skip("needs a second page to navigate from")
    page, watch = open_page(browser, base + start, base)
    # Instant navigation starts once Material has its sitemap: wait for the page to settle.
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__sameDocument = true")
    # Mark the first page's charts: the address can change before the content is swapped.
    page.evaluate("document.querySelectorAll('.sb-figure__chart').forEach(c => c.dataset.old = '')")
    page.locator("a.md-header__button.md-logo").click()
    page.wait_for_url(base)
    # Polled from here: a predicate polled in the page is run by eval, which its CSP forbids.
    swapped = (
        "!document.querySelector('[data-old]') && !!document.querySelector('.sb-figure__chart')"
    )
    for _ in range(600):
        if page.evaluate(swapped):
            break
        page.wait_for_timeout(50)
    assert page.evaluate(swapped), "the next page's content was swapped in"
    assert page.evaluate("window.__sameDocument === true"), "navigation was instant"
    states = scroll_all(page)
    assert states and set(states) == {"interactive"}
    assert watch.errors == []
    page.context.close()


def test_embedded_chart_resizes_its_frame(site: tuple[str, list[str]], browser: Any) -> None:
    base, _ = site
    page, watch = open_page(browser, base + "embed-host.html", base)
    frame = page.locator("iframe")
    page.wait_for_function("() => document.querySelector('iframe').style.height !== ''")
    inner = page.frame_locator("iframe").locator("body")
    height = inner.evaluate("b => b.ownerDocument.documentElement.scrollHeight")
    assert abs(frame.bounding_box()["height"] - height) <= 2
    assert page.frame_locator("iframe").locator("figure .sb-figure__chart").is_visible()
    assert watch.errors == []
    page.context.close()


# Tables taken out of the page from its start (Material's script wraps a table by replacing it).
_RECORD_TABLES_TAKEN_OUT = """
window.__sbTablesOut = [];
new MutationObserver(records => {
  for (const r of records) for (const n of r.removedNodes) {
    if (n.nodeName === "TABLE") window.__sbTablesOut.push(n.querySelector("th")?.textContent);
  }
}).observe(document, {childList: true, subtree: true});
"""

# The writer's table, and a copy without its class in the same boxes (as Material's script
# wraps one): their computed styles, and whether the table's box scrolls sideways.
_TABLE_LOOKS = """() => {
  const table = document.querySelector(
    ".md-typeset__scrollwrap > .md-typeset__table > table.sb-table");
  const scroll = table.parentElement.parentElement;
  const copy = scroll.cloneNode(true);
  copy.querySelector("table").removeAttribute("class");
  scroll.after(copy);
  const keys = ["display", "fontSize", "fontWeight", "paddingLeft", "paddingTop", "minWidth",
    "borderTopWidth", "borderTopColor", "backgroundColor", "color", "verticalAlign",
    "textAlign", "width", "marginTop", "overflowX"];
  const look = root => [root.querySelector("table"), root.querySelector("th"),
    root.querySelector("td"), root].map(el => {
      const style = getComputedStyle(el);
      return Object.fromEntries(keys.map(k => [k, style[k]]));
    });
  const looks = [look(scroll), look(copy)];
  copy.remove();
  return {looks, nested: document.querySelectorAll(".md-typeset__table .md-typeset__table").length,
    scrolls: scroll.scrollWidth > scroll.clientWidth + 1,
    page: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("script", [True, False])
def test_the_writers_table_looks_as_material_styles_tables_and_stays_in_place(
    site: tuple[str, list[str]], browser: Any, scheme: str, script: bool
) -> None:
    base, _ = site
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, color_scheme=scheme, java_script_enabled=script
    )
    context.add_init_script(_RECORD_TABLES_TAKEN_OUT)
    page = context.new_page()
    page.goto(base + "claims/", wait_until="load")
    if script:
        # Material has mounted the article's tables once it took the figures' tables (in
        # closed <details>) out and put them back. (A predicate as a function: an expression
        # is polled by eval, which the page's CSP forbids.)
        page.wait_for_function("() => window.__sbTablesOut.length > 0")
        # Written in its boxes, the writer's table was not.
        assert "#" not in page.evaluate("window.__sbTablesOut")
    seen = page.evaluate(_TABLE_LOOKS)
    assert seen["looks"][0] == seen["looks"][1]
    assert seen["nested"] == 0
    # On a phone the table scrolls sideways in its box; the page does not.
    assert seen["scrolls"] and seen["page"] <= 375
    context.close()
