"""The sample story under its own Content-Security-Policy, enforced by Chromium.

The site is served with the headers its `_headers` file names (as Netlify or Cloudflare Pages
would) on top of each page's <meta> policy. Every chart must go live, show tooltips and open
its table without one violation of the policy.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project, copy_story, run_cli
from helpers import AXE, CORPUS, QuietHandler, Watch, require_browser, scroll_all, serve

from site_builder import csp

require_browser()

# Every violation, as the page reports it: directive, what was blocked, where. The test's own
# marker (see `settled_violations`) is noted apart.
RECORD = """
window.sbViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  if (e.target && e.target.id === "sb-marker") { window.sbMarked = true; return; }
  window.sbViolations.push([e.effectiveDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber]);
});
"""
# An inline style the policy refuses: its report is queued after every earlier one.
MARK = """() => {
  window.sbMarked = false;
  document.body.insertAdjacentHTML("beforeend", '<i id="sb-marker" style="color: red"></i>');
}"""


def header_rules(site: Path) -> list[tuple[str, str]]:
    """(path pattern, policy) from `_headers`, in order."""
    rules, path = [], ""
    for line in (site / "_headers").read_text(encoding="utf-8").splitlines():
        if line.startswith("/"):
            path = line
        elif line.strip().startswith("Content-Security-Policy:"):
            rules.append((path, line.split(":", 1)[1].strip()))
    return rules


def policy_for(rules: list[tuple[str, str]], url_path: str) -> str | None:
    """The policy a host reading `_headers` sends for a path (rules never overlap)."""
    path = url_path.split("?")[0]
    matches = [
        policy
        for pattern, policy in rules
        if path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1]))
    ]
    assert len(matches) <= 1, (path, matches)
    return matches[0] if matches else None


class PolicyHandler(QuietHandler):
    rules: ClassVar[list[tuple[str, str]]] = []

    def end_headers(self) -> None:
        policy = policy_for(self.rules, self.path)
        if policy:
            self.send_header("Content-Security-Policy", policy)
        super().end_headers()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, render_cache: Path) -> Iterator[Any]:
    """The story built for its address and served with its policies; with its pages."""
    port_holder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), QuietHandler)
    base = f"http://127.0.0.1:{port_holder.server_address[1]}/"
    project = copy_story(tmp_path_factory.mktemp("csp") / "story", render_cache)
    result = run_cli(project, "build", env={"SITE_URL": base})
    assert result.returncode == 0, result.stderr
    root = project / "site"
    shutil.copy(AXE, root / "axe.min.js")
    # A script of the site's own that tries eval (code the page runs, not the test harness).
    (root / "eval-probe.js").write_text(
        'try { eval("1"); window.sbEval = "ran"; } catch (e) { window.sbEval = "refused"; }'
    )
    handler = type("Handler", (PolicyHandler,), {"rules": header_rules(root)})
    port_holder.RequestHandlerClass = functools.partial(  # type: ignore[assignment]
        handler, directory=str(root)
    )
    threading.Thread(target=port_holder.serve_forever, daemon=True).start()
    pages = sorted(
        "" if p.parent == root else p.parent.relative_to(root).as_posix() + "/"
        for p in root.rglob("index.html")
    )
    yield base, root, pages
    port_holder.shutdown()


class PolicyWatch(Watch):
    """Console errors but the policy's own: violations are counted by RECORD's listener, which
    tells the test's marker apart."""

    def _console(self, message: Any) -> None:
        if "Content Security Policy directive" not in message.text:
            super()._console(message)


def open_checked(browser: Any, url: str, base: str, **options: Any) -> tuple[Any, Watch, Any]:
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    context.add_init_script(RECORD)
    page = context.new_page()
    watch = PolicyWatch(page, base)
    response = page.goto(url)
    return page, watch, response


def violations(page: Any) -> list[list[str]]:
    return page.evaluate("window.sbViolations")


def settled_violations(page: Any) -> list[list[str]]:
    """The violations so far, once every one already caused has been reported (a marker
    violation made now is reported after them), instead of waiting a fixed time."""
    page.evaluate(MARK)
    page.wait_for_function("() => window.sbMarked")
    page.evaluate('() => document.getElementById("sb-marker").remove()')
    return violations(page)


def hover_marks(page: Any, holder: Any) -> bool:
    """Hover the chart's marks until one shows its tooltip."""
    marks = holder.locator(
        ".sb-live g.role-mark path, .sb-live g.role-mark rect, .sb-live g.role-mark circle, "
        ".sb-live g.role-mark .mark-symbol path"
    )
    for i in range(min(marks.count(), 12)):
        try:
            marks.nth(i).hover(force=True, timeout=2000)
        except Exception:
            continue
        if page.locator("#vg-tooltip-element.visible").count():
            return True
    return False


def test_every_page_works_under_the_enforced_policy(built: Any, browser: Any) -> None:
    base, _, pages = built
    charts = tooltips = 0
    for url in pages:
        page, watch, response = open_checked(browser, base + url, base)
        assert "content-security-policy" in response.headers, url
        states = scroll_all(page)
        assert set(states) <= {"interactive"}, (url, states)
        holders = page.locator(".sb-figure__chart")
        for i in range(holders.count()):
            charts += 1
            holders.nth(i).scroll_into_view_if_needed()
            if hover_marks(page, holders.nth(i)):
                tooltips += 1
                # Styled by our stylesheet: vega-tooltip's own <style> is not injected.
                tip = page.locator("#vg-tooltip-element.visible")
                assert tip.evaluate("el => getComputedStyle(el).position") == "fixed"
        for summary in page.locator("details > summary").all():
            if summary.is_visible():
                summary.click()
        assert settled_violations(page) == [], url
        assert page.locator("style#vega-embed-style, style#vega-tooltip-style").count() == 0
        assert watch.errors == [] and watch.outside == [], url
        page.context.close()
    assert charts >= 10
    assert tooltips >= charts - 2, f"tooltips on {tooltips} of {charts} charts"


def test_the_policy_is_enforced_and_reported(built: Any, browser: Any) -> None:
    """The check above can fail: an inline style, an inline script and eval are refused and
    reported (so zero reports means zero violations, not a deaf listener)."""
    base, _, _ = built
    page, _, _ = open_checked(browser, base, base)
    page.evaluate(
        """() => {
          document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
          const s = document.createElement("script");
          s.textContent = "window.sbRan = true";
          document.body.appendChild(s);
        }"""
    )
    page.add_script_tag(url=base + "eval-probe.js")
    kinds = sorted({v[0] for v in settled_violations(page)})
    assert page.evaluate("[window.sbRan, window.sbEval]") == [None, "refused"]
    assert kinds == ["script-src", "script-src-elem", "style-src-attr"]
    page.context.close()


def test_a_tooltip_leaves_out_fields_without_a_value(built: Any, browser: Any) -> None:
    """A row with empty cells (the claims' notes) shows no "null" rows; text stays text."""
    base, _, _ = built
    page, watch, _ = open_checked(browser, base + "claims/", base)
    holder = page.locator("figure#claims-table .sb-figure__chart")
    holder.scroll_into_view_if_needed()
    scroll_all(page)
    html = holder.evaluate(
        """el => {
          const show = el.sbView.tooltip();
          show.call(el.sbView, null, new MouseEvent("mousemove", {clientX: 20, clientY: 20}), {},
               {title: "A2", Claim: "<b>bold</b>", Note: "null", Other: null, Count: 3});
          return document.getElementById("vg-tooltip-element").innerHTML;
        }"""
    )
    assert "<h2>A2</h2>" in html and "&lt;b&gt;bold&lt;/b&gt;" in html and ">3<" in html
    assert "null" not in html and "Note" not in html and "Other" not in html
    assert watch.errors == []
    page.context.close()


def test_instant_navigation_keeps_charts_working(built: Any, browser: Any) -> None:
    """Material swaps pages in place: the next page's scripts run under the first's policy."""
    base, _, _ = built
    page, watch, _ = open_checked(browser, base, base)
    page.locator("a.md-nav__link[href$='/chips/']:visible").first.click()
    page.wait_for_url(base + "chips/")
    page.wait_for_selector("h1#chips-and-export-deals")  # the new page's content, swapped in
    states = scroll_all(page)
    assert states and set(states) == {"interactive"}
    assert violations(page) == [] and watch.errors == []
    page.context.close()


def test_axe_runs_under_the_policy(built: Any, browser: Any) -> None:
    base, _, _ = built
    page, _, _ = open_checked(browser, base + "chips/", base)
    scroll_all(page)
    page.add_script_tag(url=base + "axe.min.js")
    found = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    assert found == [] and violations(page) == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_missing_page_is_named_and_dark_as_the_others(
    built: Any, browser: Any, scheme: str
) -> None:
    """404.html missed what every page gets: axe found its search dialog unnamed, and without
    JavaScript a reader who prefers dark got it light."""
    base, _, _ = built
    page, _, _ = open_checked(browser, base + "404.html", base, color_scheme=scheme)
    page.add_script_tag(url=base + "axe.min.js")
    found = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    assert found == []
    page.context.close()
    context = browser.new_context(java_script_enabled=False, color_scheme=scheme)
    dark = context.new_page()
    dark.goto(base + "404.html")
    background = dark.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light"), background
    context.close()


def test_embed_pages_can_be_framed_by_other_sites_story_pages_cannot(
    built: Any, browser: Any, tmp_path: Path
) -> None:
    base, _, _ = built
    # Another origin (another port): the embed code a reader copies, and a story page.
    home = BeautifulSoup(
        (built[1] / "index.html").read_text(encoding="utf-8"), "html.parser"
    ).select_one(".sb-figure__embed pre")
    (tmp_path / "host.html").write_text(
        "<!doctype html><title>Host</title>"
        f'{home.get_text()}<iframe id="story" src="{base}chips/"></iframe>',
        encoding="utf-8",
    )
    other, server = serve(tmp_path, QuietHandler)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(other + "host.html")
        embed = page.frame_locator("iframe[id^='sb-embed-']")
        assert embed.locator("figure .sb-figure__chart").is_visible()
        page.wait_for_function(
            "() => document.querySelector(\"iframe[id^='sb-embed-']\").style.height !== ''"
        )
        story = page.frame_locator("#story")
        page.wait_for_load_state("load")  # every frame loaded, or refused, by now
        assert story.locator("article").count() == 0  # refused: frame-ancestors 'self'
        context.close()
    finally:
        server.shutdown()


def test_pages_carry_the_policy_their_inline_scripts_need(built: Any) -> None:
    _, root, pages = built
    html_files = [root / (url + "index.html") for url in pages] + [root / "404.html"]
    hashes: set[str] = set()
    for path in html_files:
        hashes |= csp.inline_script_hashes(path.read_text(encoding="utf-8"))
    assert len(hashes) >= 3  # Material's: scope, palette, tabs target (scope per folder depth)
    story = csp.policy(hashes)
    embed = csp.policy()
    for path in html_files:
        text = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        metas = soup.select("meta[http-equiv='Content-Security-Policy']")
        is_embed = "embed" in path.relative_to(root).parts
        assert [m["content"] for m in metas] == [embed if is_embed else story], path
        # First in <head> after the charset: before any script or stylesheet.
        head = [t for t in soup.head.children if getattr(t, "name", None)]
        assert head[0].get("charset") and head[1] is metas[0], path
        # Nothing inline of ours: no style attributes or elements, no scripts besides the
        # theme's hashed ones.
        assert soup.select("[style]") == [] and soup.select("style") == [], path
        inline = csp.inline_script_hashes(text)
        assert inline <= hashes and not (is_embed and inline), path
    # The headers: the same policies, with who may frame them; a rule for every page.
    rules = header_rules(root)
    assert rules[-1] == ("/embed/*", f"{embed}; frame-ancestors *")
    assert {policy for _, policy in rules[:-1]} == {f"{story}; frame-ancestors 'self'"}
    for path in html_files:
        url = "/" + path.relative_to(root).as_posix().removesuffix("index.html")
        assert policy_for(rules, url), url


def test_writers_can_extend_or_turn_off_the_policy(tmp_path: Path, render_cache: Path) -> None:
    from conftest import PROJECTS, share_cache

    project = share_cache(copy_project(PROJECTS / "basic", tmp_path / "mini"), render_cache)
    config = project / "mkdocs.yml"
    plain = config.read_text(encoding="utf-8")
    config.write_text(
        plain.replace(
            "  - site-builder\n",
            "  - site-builder:\n      csp_extra:\n        img-src: [https://tiles.example.org]\n",
        ),
        encoding="utf-8",
    )
    assert run_cli(project, "build").returncode == 0
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"img-src 'self' data: https://tiles\.example\.org;", page)
    assert "https://tiles.example.org" in (project / "site" / "_headers").read_text()
    config.write_text(
        plain.replace("  - site-builder\n", "  - site-builder:\n      csp: false\n"),
        encoding="utf-8",
    )
    assert run_cli(project, "build").returncode == 0
    assert "Content-Security-Policy" not in (project / "site" / "index.html").read_text()
    assert not (project / "site" / "_headers").exists()
    config.write_text(
        plain.replace(
            "  - site-builder\n",
            "  - site-builder:\n      csp_extra:\n        img-src: ['https://a; script-src *']\n",
        ),
        encoding="utf-8",
    )
    result = run_cli(project, "build")
    assert result.returncode != 0
    assert "csp_extra: img-src: expected a list of sources" in result.stderr


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, render_cache: Path) -> Iterator[str]:
    """The hostile project (markup, script, event handlers and script URLs in every data
    column and in titles, notes, descriptions and sources), served with its policies."""
    from conftest import PROJECTS, share_cache

    project = copy_project(PROJECTS / "hostile", tmp_path_factory.mktemp("hostile") / "p")
    share_cache(project, render_cache)
    for name in ("xss_script", "xss_attr", "xss_scriptjson", "md_inject", "expr_inject", "formula"):
        shutil.copy(CORPUS / f"{name}.csv", project / "data" / f"{name}.csv")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    root = project / "site"
    handler = type("Handler", (PolicyHandler,), {"rules": header_rules(root)})
    base, server = serve(root, handler)
    yield base
    server.shutdown()


def test_hostile_data_runs_nothing_under_the_policy(hostile_site: str, browser: Any) -> None:
    page, watch, _ = open_checked(browser, hostile_site, hostile_site)
    states = scroll_all(page)
    assert len(states) >= 8 and set(states) == {"interactive"}
    holders = page.locator(".sb-figure__chart")
    tooltips = 0
    for i in range(holders.count()):
        holders.nth(i).scroll_into_view_if_needed()
        tooltips += hover_marks(page, holders.nth(i))
    for summary in page.locator("details > summary").all():
        if summary.is_visible():
            summary.click()
    # nothing from the data tried to run (an injected <img> or <script> would report)
    assert settled_violations(page) == []
    assert tooltips >= holders.count() - 1
    assert page.evaluate("window.__xss") is None  # nor ran
    assert watch.errors == [] and watch.outside == []
    # The hostile text is there, as text: in the caption, the note and the source title.
    caption = page.locator("#xss-meta figcaption").inner_text()
    foot = page.locator("#xss-meta .sb-figure__foot").inner_text()
    assert "<script>window.__xss=1</script>" in caption and "Note " in foot
    page.context.close()
