"""Figures beyond the sample story, in a real Chromium.

A chart over the SVG budget: an image stands in for it without JavaScript, the chart alone on
the page's colour; the live chart replaces it, named the same way; axe-clean; fits a phone. A
Vega spec (not Vega-Lite) becomes interactive at its own width.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from helpers import (
    AXE,
    BARS,
    built,
    dense_project,
    open_page,
    require_browser,
    scroll_all,
    serve,
    vega_bars_body,
)
from PIL import Image, ImageChops, ImageStat

from site_builder.figure import caption_html, figure_html
from site_builder.render import render_charts
from site_builder.runtime import runtime_bundle

require_browser()

PAGE = "dense/"
ASSETS = Path(__file__).parent.parent / "site_builder" / "assets"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = dense_project(tmp_path_factory.mktemp("dense-browser") / "mini")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    shutil.copy(AXE, project / "site" / "axe.min.js")  # inline scripts are refused
    url, server = serve(project / "site")
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def vega_page(tmp_path_factory: pytest.TempPathFactory, render_cache: Path) -> Iterator[str]:
    """A page with one figure of a hand-written Vega spec, and our script and stylesheet."""
    folder = tmp_path_factory.mktemp("vega-page")
    cache = render_cache / "site-builder"
    rendered = render_charts([built("vega-bars", BARS, "Bars in Vega")], cache, workers=1)
    r = rendered["vega-bars"]
    (folder / "bars.vg.json").write_text(r.live_json)
    (folder / "bars.svg").write_text(r.image_svg)
    (folder / "bars.csv").write_text("name,value\n")
    bundle = runtime_bundle(cache)
    shutil.copy(bundle, folder / bundle.name)
    shutil.copy(ASSETS / "site-builder.css", folder / "site-builder.css")
    script = (ASSETS / "site-builder.js").read_text().replace("__SB_RUNTIME__", bundle.name)
    (folder / "site-builder.js").write_text(script)
    body = vega_bars_body(r, "bars")
    caption = caption_html("vega-bars", "Bars in Vega", "")
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vega</title>'
        '<link rel="stylesheet" href="site-builder.css"></head><body class="md-typeset">'
        f"<main><h1>Vega</h1>{figure_html(caption, body, 'vega-bars')}</main>"
        '<script src="site-builder.js"></script></body></html>'
    )
    url, server = serve(folder)
    yield url
    server.shutdown()


# Each text of the live chart, as fractions of its box: where the stand-in must show it.
_TEXTS = """holder => {
  const svg = holder.querySelector('.sb-live svg'), box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, (r.left - box.left) / box.width, (r.top - box.top) / box.height,
            (r.right - box.left) / box.width, (r.bottom - box.top) / box.height];
  });
}"""


Texts = list[tuple[str, float, float, float, float]]


@pytest.fixture(scope="module")
def live_texts(base: str, browser: Any) -> Callable[[int], Texts]:
    """The live chart's texts at a window width (a phone's draws the phone layout)."""
    seen: dict[int, Texts] = {}

    def at(width: int) -> Texts:
        if width not in seen:
            page, _ = open_page(
                browser, base + PAGE, base, viewport={"width": width, "height": 900}
            )
            assert scroll_all(page) == ["interactive"]
            texts = page.locator("figure#dense-scatter .sb-figure__chart").evaluate(_TEXTS)
            page.context.close()
            seen[width] = [tuple(t) for t in texts]
        return seen[width]

    return at


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return r, g, b


def _far(
    page: Any, holder: Any, img: Any, colour: tuple[int, int, int]
) -> Callable[[float, float, float, float], int]:
    """What the reader sees of the image now, as a function: how far a part of it (left, top,
    right, bottom, as fractions of the image's box) gets from `colour`."""
    shown, at = holder.bounding_box(), img.bounding_box()
    shot = Image.open(io.BytesIO(page.screenshot(clip=shown))).convert("RGB")
    scale = shot.width / shown["width"]

    def far(left: float, top: float, right: float, bottom: float) -> int:
        x0, x1 = (at["x"] + f * at["width"] - shown["x"] for f in (left, right))
        y0, y1 = (at["y"] + f * at["height"] - shown["y"] for f in (top, bottom))
        part = shot.crop(
            (round(x0 * scale), round(y0 * scale), round(x1 * scale), round(y1 * scale))
        )
        if not part.width or not part.height:
            return 0
        plain = Image.new("RGB", part.size, colour)
        return max(high for _, high in ImageChops.difference(part, plain).getextrema())

    return far


@pytest.mark.parametrize(
    ("width", "scheme", "runtime"),
    [
        (1280, "light", "off"),
        (1280, "dark", "off"),
        (375, "light", "off"),
        (375, "dark", "off"),
        (1280, "dark", "fails"),  # JavaScript on, the chart not live (yet)
    ],
)
def test_stand_in_shows_the_chart_alone(
    base: str,
    browser: Any,
    live_texts: Callable[[int], Texts],
    width: int,
    scheme: str,
    runtime: str,
) -> None:
    """The image standing in for each layout (a phone's its own, whole in the column)."""
    texts = live_texts(width)
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme=scheme,
        java_script_enabled=runtime != "off",
    )
    context.route("**/vega.*.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(base + PAGE)
    holder = page.locator("figure#dense-scatter .sb-figure__chart")
    img = holder.locator(f"img.sb-static--{'narrow' if width < 700 else 'wide'}")
    img.scroll_into_view_if_needed()
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle())
    box = img.bounding_box()
    w, h = int(img.get_attribute("width")), int(img.get_attribute("height"))
    assert box and abs(box["width"] / box["height"] - w / h) < 0.01  # no layout shift
    # The image is the chart alone, as big as its box (vector): shown whole, nothing to crop.
    assert img.evaluate("el => [el.naturalWidth, el.naturalHeight]") == [w, h]
    page_colour = _rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    checked: set[str] = set()
    # A phone shows part of the chart at a time: look at it scrolled to each end.
    for scroll in ("0", "el.scrollWidth"):
        holder.evaluate(f"el => {{ el.scrollLeft = {scroll}; }}")
        far = _far(page, holder, img, page_colour)
        # What shows of the chart at this scroll, as fractions of its width.
        shown, at = holder.bounding_box(), img.bounding_box()
        x0 = max(0.0, (shown["x"] - at["x"]) / at["width"])
        x1 = min(1.0, (shown["x"] + shown["width"] - at["x"]) / at["width"])
        # The background is the page's, in either palette (not a black or white box).
        assert far(x0, 0, x0 + 0.01, 0.01) <= 8
        for text, left, top, right, bottom in texts:
            if left < x0 or right > x1:
                continue  # out of view at this scroll
            assert far(left, top, right, bottom) > 80, (text, scroll)
            checked.add(text)
        # Beside the chart's lowest text (its x-axis title), to the bottom: nothing, so no
        # source line either.
        _, left, top, right, _ = max(texts, key=lambda t: t[4])
        assert far(x0, top, max(x0, left - 0.01), 1) <= 24
        assert far(min(x1, right + 0.01), top, x1, 1) <= 24
    # The top of the y-axis, the legend's title: every text of the chart was looked at.
    assert checked == {t[0] for t in texts} and "Group" in checked
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_stand_in_has_the_live_charts_colours(base: str, browser: Any, scheme: str) -> None:
    """On the dark palette the stand-in was the light image turned over: its data colours
    came out pale and changed when the live chart took its place."""
    shots = []
    for runtime in ("fails", "loads"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        if runtime == "fails":
            context.route("**/vega.*.js", lambda route: route.abort())
        page = context.new_page()
        page.goto(base + PAGE)
        holder = page.locator("figure#dense-scatter .sb-figure__chart")
        ends = scroll_all(page)
        assert ends == ["static" if runtime == "fails" else "interactive"]
        page.mouse.move(0, 0)  # no tooltip, no hover
        holder.scroll_into_view_if_needed()
        shots.append(Image.open(io.BytesIO(holder.screenshot())).convert("RGB"))
        context.close()
    still, live = shots
    assert still.size == live.size
    # The same drawing, pixel for pixel, but for the odd edge of a glyph or a point.
    gap = ImageChops.difference(still, live).convert("L").point(lambda v: 255 if v > 40 else 0)
    differ = ImageStat.Stat(gap).mean[0] / 255  # the share of pixels far apart
    assert differ < 0.005, differ


def test_live_chart_replaces_the_png(base: str, browser: Any) -> None:
    page, watch = open_page(browser, base + PAGE, base)
    holder = page.locator("figure#dense-scatter .sb-figure__chart")
    still = holder.locator("img.sb-static--wide").bounding_box()
    assert scroll_all(page) == ["interactive"]
    assert holder.locator("img.sb-static--wide").is_hidden()
    live = holder.locator(".sb-live svg")
    # In the same place: the theme centred a figure's image, the live chart sits at the left.
    moved = live.bounding_box()
    assert still and moved and abs(moved["x"] - still["x"]) < 0.5, (still, moved)
    assert live.get_attribute("role") == "img"
    assert live.get_attribute("aria-labelledby") == "dense-scatter-svg-title"
    assert live.get_attribute("aria-describedby") == "dense-scatter-svg-desc"
    assert holder.locator(".sb-live svg g.role-mark path").count() == 2000
    assert watch.errors == [] and watch.outside == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("runtime", ["loads", "fails"])
def test_axe_finds_no_violations(base: str, browser: Any, scheme: str, runtime: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    if runtime == "fails":  # the PNG stays, and is what axe checks
        context.route("**/vega.*.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(base + PAGE)
    states = scroll_all(page)
    assert states == ["interactive" if runtime == "loads" else "static"]
    page.add_script_tag(url=base + "axe.min.js")
    violations = page.evaluate(
        "async () => (await axe.run()).violations.map("
        "v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
    )
    assert violations == [], (scheme, runtime)
    context.close()


def test_phone_width(base: str, browser: Any) -> None:
    page, _ = open_page(browser, base + PAGE, base, viewport={"width": 375, "height": 800})
    scroll_all(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.context.close()


def test_print_shows_the_png(base: str, browser: Any) -> None:
    page, _ = open_page(browser, base + PAGE, base)
    scroll_all(page)
    page.emulate_media(media="print")
    assert page.locator("figure#dense-scatter img.sb-static--wide").is_visible()
    page.context.close()


def test_the_page_file_is_light(base: str) -> None:
    import urllib.request

    from site_builder.images import SVG_BUDGET

    with urllib.request.urlopen(base + PAGE) as response:
        assert len(response.read()) < SVG_BUDGET


def test_vega_spec_becomes_interactive_at_its_own_width(vega_page: str, browser: Any) -> None:
    page, watch = open_page(browser, vega_page, vega_page)
    assert scroll_all(page) == ["interactive"]
    holder = page.locator("figure#vega-bars .sb-figure__chart")
    live = holder.locator(".sb-live svg")
    assert live.locator("g.role-mark path").count() == 3  # the three bars
    static = holder.locator("svg.sb-static--wide")
    assert static.is_hidden()
    assert live.get_attribute("width") == static.get_attribute("width")  # not fitted
    assert live.get_attribute("aria-labelledby") == "vega-bars-svg-title"
    assert live.get_attribute("aria-describedby") == "vega-bars-svg-desc"
    assert watch.errors == [] and watch.outside == []
    page.context.close()


def _announced(page: Any, selector: str) -> tuple[str, str]:
    """What a screen reader gets for the element: its accessible name and description."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    [ax] = [
        n
        for n in cdp.send("Accessibility.getPartialAXTree", {"nodeId": node})["nodes"]
        if not n.get("ignored")
    ][:1]
    props = {p["name"]: p["value"].get("value") for p in ax.get("properties", [])}
    return ax.get("name", {}).get("value", ""), ax.get("description", {}).get(
        "value", props.get("description", "")
    )


def test_a_chart_is_named_by_its_title_and_described_once(vega_page: str, browser: Any) -> None:
    """The static SVG was named by its title and description, and its <desc> described it
    again: a screen reader said the description twice. Live, the same."""
    page, _ = open_page(browser, vega_page, vega_page)
    selector = "figure#vega-bars svg.sb-static--wide"
    name, description = _announced(page, selector)
    title = page.locator("#vega-bars-svg-title").text_content()
    desc = page.locator("#vega-bars-svg-desc").text_content()
    assert (name, description) == (title, desc) and desc and desc not in name
    scroll_all(page)
    live_name, live_description = _announced(page, "figure#vega-bars .sb-live svg")
    assert (live_name, live_description) == (title, desc)
    page.context.close()


def test_a_size_legend_follows_the_palette(browser: Any) -> None:
    """Beside a colour legend, a size legend's symbols were drawn black: they take the chart
    text's colour (the theme's), which the dark palette turns light."""
    import vl_convert as vlc

    from site_builder.theme import THEME

    rows = [{"x": i, "y": i * i, "region": "AB"[i % 2], "people": i + 1} for i in range(6)]
    spec = {
        "data": {"values": rows},
        "mark": "circle",
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "y": {"field": "y", "type": "quantitative"},
            "color": {"field": "region", "type": "nominal"},
            "size": {"field": "people", "type": "quantitative"},
        },
        "config": THEME,
    }
    svg = vlc.vegalite_to_svg(spec)
    css = (ASSETS / "site-builder.css").read_text(encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    fills = {}
    for scheme in ("default", "slate"):
        page.set_content(
            f"<style>{css}</style><body data-md-color-scheme='{scheme}'>"
            f"<div class='sb-figure__chart'>{svg}</div></body>"
        )
        fills[scheme] = page.evaluate(
            "() => [...new Set(Array.from(document.querySelectorAll("
            "'.role-legend-symbol > path')).map(p => getComputedStyle(p).fill))]"
        )
    context.close()
    # The size legend's grey is the text's: #333 on the light page, #e3e5ea on the dark.
    assert "rgb(51, 51, 51)" in fills["default"] and "rgb(0, 0, 0)" not in fills["default"]
    assert "rgb(227, 229, 234)" in fills["slate"] and "rgb(0, 0, 0)" not in fills["slate"]
