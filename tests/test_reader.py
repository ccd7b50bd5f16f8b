"""What readers see of every figure, in every state, in a real Chromium: the sample story and a
project of charts of every shape (facet, repeat, a wide chart with a brush, a six-entry legend,
a map, labels beside bars).

Per figure and state (JavaScript off, before it goes live, live, runtime blocked; 375 and
1280 px; light and dark): exactly one chart image is visible; no axis labels print over
each other; no chart text falls outside its drawing or, unless the figure scrolls sideways
on purpose, outside the figure's box; the live chart takes the static chart's box and the
swap moves nothing. Every figure offers its image to download: the SVG in every state, the
PNG (drawn by the page) wherever script runs.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECTS, copy_project, copy_story, run_cli, share_cache
from helpers import require_browser, scroll_all, serve
from PIL import Image
from reader import RECORD_SHIFTS, figures, reset_shifts, shifts

require_browser()

STORY_PAGES = ["", "rare-earths/", "alliance/", "chips/", "timeline/", "claims/"]
STATES = ("no-js", "before", "live", "blocked")


@pytest.fixture(scope="module")
def figures_site(
    tmp_path_factory: pytest.TempPathFactory, render_cache: Path
) -> Iterator[tuple[str, str]]:
    """The figures project, built (its too-dark colour fails the strict build, as it should,
    so it is built without strict) and served; with the strict build's messages."""
    project = copy_project(PROJECTS / "figures", tmp_path_factory.mktemp("figures") / "figures")
    share_cache(project, render_cache)
    strict = run_cli(project, "build")
    loose = run_cli(project, "build", "--no-strict")
    assert loose.returncode == 0, loose.stderr
    base, server = serve(project / "site")
    yield base, strict.stderr + strict.stdout
    server.shutdown()


@pytest.fixture(scope="module")
def story_site(tmp_path_factory: pytest.TempPathFactory, render_cache: Path) -> Iterator[str]:
    project = copy_story(tmp_path_factory.mktemp("reader") / "story", render_cache)
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    base, server = serve(project / "site")
    yield base
    server.shutdown()


# Per figure: is its SVG download link visible, is its PNG link visible.
_DOWNLOADS = """
() => Array.from(document.querySelectorAll(".sb-figure__downloads")).map(p => {
  const seen = el => !!el && el.checkVisibility({visibilityProperty: true}) &&
    el.getBoundingClientRect().width > 0;
  return [seen(p.querySelector("a[download]:not([data-sb-png])[href$='.svg']")),
          seen(p.querySelector("a[data-sb-png]"))];
})
"""


def _survey(browser: Any, base: str, pages: list[str], width: int, scheme: str) -> list[str]:
    """Every problem a reader would see, one line each, over the states of each page."""
    problems = []
    for state in STATES:
        context = browser.new_context(
            viewport={"width": width, "height": 800},
            java_script_enabled=state != "no-js",
            color_scheme=scheme,
        )
        context.add_init_script(RECORD_SHIFTS)
        if state == "blocked":
            context.route("**/vega.*.js", lambda route: route.abort())
        for path in pages:
            page = context.new_page()
            page.goto(base + path)
            if state == "live":
                # Score the swap alone: what moves while the page itself loads is not ours.
                page.wait_for_load_state("load")
                reset_shifts(page)
            if state in ("live", "blocked"):
                ends = scroll_all(page)
                wanted = "interactive" if state == "live" else "static"
                problems += [f"{path}: a chart ended {e}" for e in ends if e != wanted]
            for fig in figures(page):
                where = f"{width}px {scheme} {state} {path}#{fig['id']}"
                if len(fig["images"]) != 1:
                    problems.append(f"{where}: {len(fig['images'])} images {fig['images']}")
                if fig["clipped"]:
                    problems.append(f"{where}: text cut off {fig['clipped'][:3]}")
                if fig["overlapping"]:
                    problems.append(f"{where}: labels over each other {fig['overlapping'][:3]}")
                if fig["hidden"] and not fig["scrolls"]:
                    problems.append(f"{where}: text outside the figure {fig['hidden'][:3]}")
            offered = page.evaluate(_DOWNLOADS)
            for image, png in offered:
                if not image or png != (state != "no-js"):
                    problems.append(f"{width}px {scheme} {state} {path}: downloads {offered}")
                    break
            if state == "live" and shifts(page) >= 0.01:
                problems.append(f"{width}px {scheme} {path}: layout shift {shifts(page):.3f}")
            page.close()
        context.close()
    return problems


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_story_figures_drawn_once_and_whole(
    story_site: str, browser: Any, width: int, scheme: str
) -> None:
    assert _survey(browser, story_site, STORY_PAGES, width, scheme) == []


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figures_of_every_shape_drawn_once_and_whole(
    figures_site: tuple[str, str], browser: Any, width: int, scheme: str
) -> None:
    base, _ = figures_site
    assert _survey(browser, base, [""], width, scheme) == []


def live_page(browser: Any, url: str, width: int = 1280) -> tuple[Any, Any]:
    """A new context with the page at `url`, every chart brought into view and settled."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(url)
    scroll_all(page)
    return context, page


def _sizes(page: Any) -> dict[str, list[list[float]]]:
    return {f["id"]: f["sizes"] for f in figures(page)}


@pytest.mark.parametrize("width", [375, 1280])
def test_live_chart_takes_the_static_charts_box(
    figures_site: tuple[str, str], story_site: str, browser: Any, width: int
) -> None:
    for base in (figures_site[0], story_site + "chips/", story_site + "alliance/"):
        static = browser.new_context(viewport={"width": width, "height": 800})
        static.route("**/vega.*.js", lambda route: route.abort())
        page = static.new_page()
        page.goto(base)
        before = _sizes(page)
        static.close()
        live = browser.new_context(viewport={"width": width, "height": 800})
        page = live.new_page()
        page.goto(base)
        assert set(scroll_all(page)) == {"interactive"}
        after = _sizes(page)
        live.close()
        assert before.keys() == after.keys()
        for chart_id, sizes in after.items():
            (w1, h1), (w2, h2) = before[chart_id][0], sizes[0]
            assert abs(w1 - w2) <= 0.5 and abs(h1 - h2) <= 0.5, (base, chart_id, width)


def test_faceted_and_repeated_charts_go_live_at_their_size(
    figures_site: tuple[str, str], browser: Any
) -> None:
    context, page = live_page(browser, figures_site[0])
    for chart_id in ("faceted", "repeated"):
        holder = page.locator(f"#{chart_id} .sb-figure__chart")
        box = holder.locator(".sb-live svg").bounding_box()
        assert box["width"] > 300 and box["height"] > 100, chart_id
        # Its panels are drawn: bars or lines in each.
        assert holder.locator(".sb-live svg .mark-rect path, .sb-live svg .mark-line path").count()
    context.close()


def test_wide_chart_scrolls_and_its_brush_selects(
    figures_site: tuple[str, str], browser: Any
) -> None:
    context, page = live_page(browser, figures_site[0])
    holder = page.locator("#wide-brush .sb-figure__chart")
    assert holder.get_attribute("data-sb-state") == "interactive"
    assert holder.evaluate("el => el.scrollWidth > el.clientWidth")  # wider than the column
    assert holder.get_attribute("tabindex") == "0"  # keyboard users can scroll it too
    points = holder.locator(".sb-live svg .mark-symbol path")
    grey = "rgb(148, 148, 148)"

    def selected() -> int:
        return int(
            points.evaluate_all(
                f"els => els.filter(e => getComputedStyle(e).stroke !== '{grey}').length"
            )
        )

    everything = selected()
    assert everything == points.count()  # nothing brushed: every point in the colour
    holder.scroll_into_view_if_needed()
    box = holder.locator(".sb-live svg").bounding_box()
    page.mouse.move(box["x"] + 150, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 350, box["y"] + 200, steps=8)
    page.mouse.up()
    page.wait_for_function(
        "grey => Array.from(document.querySelectorAll('#wide-brush .sb-live .mark-symbol path'))"
        ".some(e => getComputedStyle(e).stroke === grey)",
        arg=grey,
    )
    chosen = selected()
    assert 0 < chosen < everything, (chosen, everything)
    context.close()


@pytest.mark.parametrize("state", STATES)
def test_a_dense_chart_shows_its_phone_layout_on_phones(
    figures_site: tuple[str, str], browser: Any, state: str
) -> None:
    """An image stands in for a chart too heavy to inline: on a phone, the phone layout's,
    whole in the column and drawn (the wide one scaled or scrolled hid half of it)."""
    for width, layout in ((375, "narrow"), (1280, "wide")):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=state != "no-js"
        )
        if state == "blocked":
            context.route("**/vega.*.js", lambda route: route.abort())
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda r, seen=fetched: seen.append(r.url))
        page.goto(figures_site[0])
        holder = page.locator("#dense-scatter .sb-figure__chart")
        holder.scroll_into_view_if_needed()
        if state in ("live", "blocked"):
            holder.hover(position={"x": 1, "y": 1})
            page.wait_for_function(
                "el => ['interactive', 'static'].includes(el.dataset.sbState)",
                arg=holder.element_handle(),
            )
        fig = next(f for f in figures(page) if f["id"] == "dense-scatter")
        assert fig["images"] == ["live" if state == "live" else layout], (width, fig)
        assert not fig["overflowing"], (width, fig)  # whole in its box: no scrolling
        if state != "live":
            shown = holder.locator(f"img.sb-static--{layout}")
            shown.evaluate("img => img.decode()")
            # Drawn whole: the image (vector) is the size of the box it shows in, not cut.
            natural = shown.evaluate("img => [img.naturalWidth, img.naturalHeight]")
            assert natural == [int(shown.get_attribute(a)) for a in ("width", "height")]
        # Each reader loads the image shown, not the other layout's (without JavaScript,
        # browsers load every image, lazy or not).
        images = [u for u in fetched if "dense-scatter" in u and u.endswith(".stand-in.svg")]
        assert len(images) == (2 if state == "no-js" else 1), (width, state, images)
        assert state == "no-js" or images[0].endswith(".narrow.stand-in.svg") == (
            layout == "narrow"
        )
        context.close()


def test_phone_layout_comes_and_goes_with_the_width(
    figures_site: tuple[str, str], browser: Any
) -> None:
    context, page = live_page(browser, figures_site[0])
    holder = page.locator("#six-lines .sb-figure__chart")
    wide = holder.locator(".sb-live svg").get_attribute("width")
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function(
        "w => { const s = document.querySelector('#six-lines .sb-live svg');"
        " return s && s.getAttribute('width') !== w &&"
        " document.querySelector('#six-lines .sb-figure__chart').dataset.sbState"
        " === 'interactive'; }",
        arg=wide,
    )
    fig = next(f for f in figures(page) if f["id"] == "six-lines")
    assert fig["images"] == ["live"] and fig["clipped"] == [] and fig["hidden"] == []
    assert float(holder.locator(".sb-live svg").get_attribute("width") or 0) <= 314
    context.close()


def test_a_tap_on_a_mark_shows_its_tooltip_and_a_tap_elsewhere_hides_it(
    story_site: str, browser: Any
) -> None:
    """A tap moves no pointer: on a touch screen no tooltip ever showed."""
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(story_site + "rare-earths/")
    holder = page.locator("#rare-earth-refining .sb-figure__chart")
    holder.scroll_into_view_if_needed()
    holder.tap(position={"x": 2, "y": 2})
    page.wait_for_function(
        "el => el.dataset.sbState === 'interactive'", arg=holder.element_handle()
    )
    bar = holder.locator(".sb-live svg .mark-rect path").first
    box = bar.bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible")
    assert "China" in tip.inner_text() and "over 90%" in tip.inner_text()
    tip_box = tip.bounding_box()
    assert tip_box and tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= 375  # whole
    # A tap on the page's text, outside the chart.
    heading = page.locator("h1").first
    heading.scroll_into_view_if_needed()
    heading.tap()
    tip.wait_for(state="hidden")
    context.close()


def test_a_value_set_with_a_control_survives_the_swap_to_the_phone_layout(
    figures_site: tuple[str, str], browser: Any
) -> None:
    """A phone turned (or a window narrowed) drew the other layout afresh: the reader's
    setting was lost, the control back at its start."""
    context, page = live_page(browser, figures_site[0])
    holder = page.locator("#slider .sb-figure__chart")
    holder.scroll_into_view_if_needed()
    page.wait_for_function(
        "el => el.dataset.sbState === 'interactive'", arg=holder.element_handle()
    )
    holder.locator("input[type=range]").fill("63")
    assert holder.evaluate("el => el.sbView.signal('cutoff')") == 63
    wide = holder.locator(".sb-live svg").get_attribute("width")
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function(
        "([el, w]) => el.dataset.sbState === 'interactive' &&"
        " el.querySelector('.sb-live svg').getAttribute('width') !== w",
        arg=[holder.element_handle(), wide],
    )
    assert holder.evaluate("el => el.sbView.signal('cutoff')") == 63
    assert holder.locator("input[type=range]").input_value() == "63"
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_control_that_widens_the_labels_leaves_the_chart_whole(
    figures_site: tuple[str, str], browser: Any, width: int
) -> None:
    """A menu made the axis labels wider (thousands to millions): the live chart, laid out
    once, drew them past its left edge and cut the axis title in half."""
    context, page = live_page(browser, figures_site[0], width)
    holder = page.locator("#scale-picker .sb-figure__chart")
    holder.scroll_into_view_if_needed()
    page.wait_for_function(
        "el => el.dataset.sbState === 'interactive'", arg=holder.element_handle()
    )
    labels = holder.locator(".sb-live svg .role-axis-label text")
    before = labels.evaluate_all("ts => Math.max(...ts.map(t => t.textContent.length))")
    holder.locator("select").select_option("1000")
    page.wait_for_function(
        "([el, n]) => Array.from(el.querySelectorAll('.sb-live svg .role-axis-label text'))"
        ".some(t => t.textContent.length > n)",
        arg=[holder.element_handle(), before],
    )
    fig = next(f for f in figures(page) if f["id"] == "scale-picker")
    assert fig["images"] == ["live"] and fig["clipped"] == [], fig
    assert not fig["overflowing"] or width == 375, fig  # a laptop's column holds it
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_static_chart_says_the_values_its_controls_start_at(
    figures_site: tuple[str, str], browser: Any, width: int
) -> None:
    """Without its controls, a chart drawn for a threshold the reader cannot see read as if
    it showed everything."""
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(figures_site[0])
    note = page.locator("#slider .sb-figure__settings")
    assert note.is_visible() and note.inner_text() == "Drawn for cutoff: 10."
    chart = page.locator("#slider .sb-figure__chart").bounding_box()
    below = note.bounding_box()
    table = page.locator("#slider .sb-figure__data").bounding_box()
    assert chart and below and table
    assert chart["y"] + chart["height"] <= below["y"] + 0.5  # under the chart, before the table
    assert below["y"] + below["height"] <= table["y"] + 0.5
    # Only the charts with controls say so.
    assert page.locator(".sb-figure__settings").count() == 2
    assert page.locator("#scale-picker .sb-figure__settings").inner_text() == "Drawn for Scale: 1."
    context.close()
    context, page = live_page(browser, figures_site[0], width)
    holder = page.locator("#slider .sb-figure__chart")
    holder.scroll_into_view_if_needed()
    page.wait_for_function(
        "el => el.dataset.sbState === 'interactive'", arg=holder.element_handle()
    )
    assert not page.locator("#slider .sb-figure__settings").is_visible()  # the controls say it
    assert holder.locator("input[type=range]").is_visible()
    context.close()


def test_strict_build_names_a_colour_too_dark_for_the_dark_palette(
    figures_site: tuple[str, str],
) -> None:
    _, messages = figures_site
    assert (
        "charts/shapes.py:76: chart 'pale-writer-colour': colour #1b1f4a has 15.7:1 contrast "
        "on the light page and 1.0:1 on the dark one; marks need 3:1 to be seen\n"
        "  hint: use #5b63c3 (the same hue, readable on both)"
    ) in messages
    # The ends of a scheme are drawn, not named: found in the drawing, and noted (a
    # diverging scheme's pale middle may be meant).
    assert (
        "INFO    -  charts/shapes.py:103: chart 'viridis-ends': some marks all but vanish into "
        "the page behind them, so its readers do not see them: rgb(68, 1, 84): 1.07:1 on the "
        "dark page; rgb(253, 231, 37): 1.26:1 on the light page\n"
        "  hint: start the colour scheme further in, e.g. alt.Scale(scheme={'name': 'viridis', "
        "'extent': [0.15, 0.85]}), choose colours that read on both pages, or outline the "
        "marks (stroke) in a colour that does"
    ) in messages
    # Wider than a laptop's column at its smallest: it scrolls there, and the writer is told.
    assert (
        "chart 'wide-brush' is 954 px wide, wider than the page's column on a laptop (688 px): "
        "readers there scroll it sideways"
    ) in messages
    assert messages.count("wider than the page's column on a laptop") == 1
    assert "Aborted with 1 warnings in strict mode" in messages


def test_a_map_links_its_members_and_nothing_else(
    figures_site: tuple[str, str], browser: Any
) -> None:
    """Without JavaScript, each member's outline links to its page; the land whose cell is
    empty, and the unmatched outlines, link nowhere (not to the renderer's data folder)."""
    base, _ = figures_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base)
    links = page.eval_on_selector_all(
        "#lands-map svg a", "els => els.map(a => a.getAttribute('xlink:href'))"
    )
    context.close()
    # Once per layout: the wide one and the phone one (shown by width).
    members = ["https://example.org/eastland", "https://example.org/westland"]
    assert sorted(links) == sorted(members * 2)


def test_print_shows_one_whole_static_chart_per_figure(
    figures_site: tuple[str, str], story_site: str, browser: Any
) -> None:
    for base in (figures_site[0], story_site + "alliance/", story_site + "chips/"):
        context, page = live_page(browser, base, 375)  # live first: print shows the static
        page.emulate_media(media="print")
        for fig in figures(page):
            assert fig["images"] == ["wide"], (base, fig["id"], fig["images"])
            assert fig["clipped"] == [], (base, fig["id"])
        context.close()


def _svg_size(text: str) -> tuple[float, float]:
    tag = re.search(r"<svg\b[^>]*>", text)
    assert tag is not None
    width = re.search(r'\swidth="([\d.]+)"', tag.group(0))
    height = re.search(r'\sheight="([\d.]+)"', tag.group(0))
    assert width and height
    return float(width.group(1)), float(height.group(1))


@pytest.mark.parametrize("state", ["light", "dark", "blocked"])
def test_png_download_is_drawn_by_the_page(story_site: str, browser: Any, state: str) -> None:
    """Clicking "image (PNG)" saves a PNG the page drew from the figure's download SVG: twice
    its size, on white, with the chart's ink and its dark title text, in either palette and
    without the Vega runtime."""
    context = browser.new_context(
        viewport={"width": 375, "height": 800},
        color_scheme="dark" if state == "dark" else "light",
        accept_downloads=True,
    )
    if state == "blocked":
        context.route("**/vega.*.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(story_site + "rare-earths/")
    if state == "dark":
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    links = page.locator("figure.sb-figure a[data-sb-png]")
    assert links.count() >= 2
    for i in range(links.count()):
        link = links.nth(i)
        figure_id = link.evaluate("el => el.closest('figure').id")
        href = link.evaluate("el => el.href")
        width, height = _svg_size(page.request.get(href).text())
        link.scroll_into_view_if_needed()
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == f"{figure_id}.png"
        data = Path(download.value.path()).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(io.BytesIO(data)) as png:
            image = png.convert("RGB")
        assert image.size == (round(2 * width), round(2 * height)), figure_id
        assert image.getpixel((0, 0)) == (255, 255, 255)  # on white, whatever the palette
        grey = image.convert("L")
        ink = sum(grey.histogram()[:200])
        assert ink > 0.02 * image.width * image.height, figure_id  # a chart, not a blank
        # The title, in near-black, across the top of the image.
        top = grey.crop((0, 0, image.width, 40))
        assert top.getextrema()[0] < 60, figure_id
        colours = image.resize((64, 64)).getcolors(64 * 64) or []
        assert len(colours) > 8, figure_id  # marks, text, axes: not one flat colour
    context.close()


def test_without_javascript_the_svg_downloads(story_site: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    page.goto(story_site + "rare-earths/")
    link = page.locator("figure.sb-figure .sb-figure__downloads a[href$='.svg']").first
    assert link.is_visible() and link.get_attribute("download") is not None
    assert page.locator("a[data-sb-png]").first.is_hidden()  # its room is kept, unseen
    with page.expect_download() as download:
        link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    title = page.locator("figure.sb-figure .sb-figure__title").first.inner_text()
    assert text.startswith("<svg") and title.split()[0] in text
    context.close()


# Per figure, each visible control, link and button in the order the keyboard reaches them,
# with the top of its box.
_FOCUS_ORDER = """
() => Array.from(document.querySelectorAll("figure.sb-figure")).map(fig => [fig.id,
  Array.from(fig.querySelectorAll("a[href], input, select, button, summary, [tabindex='0']"))
    .filter(el => el.checkVisibility({visibilityProperty: true}))
    .map(el => [el.tagName + "." + el.className, el.getBoundingClientRect().top])])
"""


@pytest.mark.parametrize("width", [375, 1280])
def test_the_keyboard_meets_a_figure_in_the_order_it_is_seen(
    figures_site: tuple[str, str], browser: Any, width: int
) -> None:
    """Controls, sources, table and downloads take the focus top to bottom: a source link
    shown under the chart took it before the chart's slider (it was in the caption)."""
    context, page = live_page(browser, figures_site[0], width)
    page.wait_for_selector("#slider .sb-figure__chart[data-sb-state='interactive'] input")
    for figure_id, stops in page.evaluate(_FOCUS_ORDER):
        tops = [top for _, top in stops]
        assert all(b >= a - 2 for a, b in itertools.pairwise(tops)), (width, figure_id, stops)
        if figure_id == "slider":
            kinds = [kind.split(".")[0] for kind, _ in stops]
            assert kinds.index("INPUT") < kinds.index("A"), stops  # the slider, then sources
    context.close()
