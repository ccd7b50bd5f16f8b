"""Live preview: edits to data, charts and pages rebuild; a mistake keeps the last good page."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import BIN, PROJECTS, copy_project
from helpers import edit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def start_serve(project: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`site-builder serve` on a free port, its output in serve.log beside the project."""
    port = free_port()
    with open(project.parent / "serve.log", "w") as out:
        process = subprocess.Popen(
            [str(BIN / "site-builder"), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, f"http://127.0.0.1:{port}/"


@pytest.fixture
def served(mini: Path) -> Iterator[tuple[str, Path, Path]]:
    process, url = start_serve(mini)
    log = mini.parent / "serve.log"
    try:
        wait_for(lambda: "Mini story" in fetch(url), "the first build", timeout=180)
        yield url, mini, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_edits_rebuild_and_mistakes_keep_the_last_good_page(
    served: tuple[str, Path, Path],
) -> None:
    url, project, log = served
    assert '<span class="sb-fact" data-fact="windhoek-share">12.5%</span>' in fetch(url)

    # A data edit reaches the page.
    edit(project / "data" / "cities.csv", "431000,12.5", "431000,14.5")
    wait_for(lambda: "14.5%</span>" in fetch(url), "the data edit")

    # A chart module edit re-renders that chart.
    edit(project / "charts" / "cities.py", 'title="Scores by region"', 'title="Scores, edited"')
    wait_for(lambda: "Scores, edited" in fetch(url + "second/"), "the chart edit")

    # A mistake is reported in the terminal, without a traceback; the page stays as it was.
    edit(project / "data" / "cities.csv", "431000,14.5", "431000,1O")
    wait_for(lambda: "is not a valid number" in log.read_text(), "the error report")
    text = log.read_text()
    assert "data/cities.csv:2:4: column 'share': '1O' is not a valid number" in text
    assert "Traceback" not in text
    assert "14.5%</span>" in fetch(url)

    # Fixing it brings the page back to life.
    edit(project / "data" / "cities.csv", "431000,1O", "431000,15.5")
    wait_for(lambda: "15.5%</span>" in fetch(url), "the fix")

    # Settings saved half-written: said at their line, and the site still served.
    config = project / "mkdocs.yml"
    good = config.read_text()
    config.write_text(good + "nav: [index.md\n")
    wait_for(lambda: "mkdocs.yml:" in log.read_text(), "the settings' error")
    text = log.read_text()
    assert re.search(r"ERROR +- +site-builder: mkdocs.yml:\d+:\d+: not valid YAML: ", text), text
    assert "Traceback" not in text and "appear stuck" not in text
    assert "15.5%</span>" in fetch(url)
    config.write_text(good)
    edit(project / "data" / "cities.csv", "431000,15.5", "431000,16.5")
    wait_for(lambda: "16.5%</span>" in fetch(url), "the rebuild after the settings' fix")


def test_a_taken_address_is_said_with_a_free_one(mini: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(BIN / "site-builder"), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=mini,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"Error: 127.0.0.1:{port} is in use (another preview, or another program)\n"
        "  hint: stop it, or preview on a free port: site-builder serve -a 127.0.0.1:"
    ), result.stderr


def test_a_disabled_plugin_serves_plain_mkdocs(mini: Path) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - site-builder", "  - site-builder:\n      enabled: false")
    )
    process, url = start_serve(mini)
    try:
        wait_for(lambda: "Mini story" in fetch(url), "the first build")
        assert "sb-figure" not in fetch(url)  # no figures: plain MkDocs
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Traceback" not in (mini.parent / "serve.log").read_text()


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (render workers, the resource tracker), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        todo += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_its_render_processes_with_it(fresh_mini: Path, stop: signal.Signals) -> None:
    process, url = start_serve(fresh_mini)
    try:
        wait_for(lambda: "Mini story" in fetch(url), "the first build")
        children = _descendants(process.pid)
        assert len(children) >= 2  # the charts were rendered in worker processes
        process.send_signal(stop)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    wait_for(lambda: not any(_alive(p) for p in children), "the children to end", timeout=10)
    assert "Traceback" not in (fresh_mini.parent / "serve.log").read_text()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the render workers), in MB."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/status"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if stat.parent.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def test_a_long_preview_rewrites_only_the_edited_page_and_stays_flat(
    served: tuple[str, Path, Path],
) -> None:
    url, project, log = served
    pid = int(next(p.name for p in Path("/proc").glob("[0-9]*") if _serves(p, project)))
    page = project / "content" / "second.md"
    memory = []
    for n in range(20):
        page.write_text(page.read_text() + f"\nSentence {n} of twenty.\n")
        wait_for(lambda n=n: f"Sentence {n} of twenty." in fetch(url + "second/"), f"edit {n}")
        memory.append(rss_mb(pid))
    summaries = re.findall(r"site-builder: (\d+) pages", log.read_text())
    # The first build wrote every page; each edit rewrote the edited page alone. (A look at
    # the folder in the middle of a save sees it change twice: the second rebuild finds the
    # page written already and writes nothing.)
    assert int(summaries[0]) > 1
    assert set(summaries[1:]) <= {"0", "1"}
    assert summaries.count("1") >= 20
    # Flat: the last rebuilds hold no more memory than the early ones, give or take 30 MB.
    assert max(memory[10:]) <= max(memory[:5]) + 30, memory
    assert fetch(url).count("Mini story") >= 1  # the other pages are still served


def _serves(proc: Path, project: Path) -> bool:
    try:
        cmd = (proc / "cmdline").read_bytes().split(b"\0")
        return b"serve" in cmd and Path(os.readlink(proc / "cwd")) == project.resolve()
    except OSError:
        return False


def test_an_open_tab_reloads_with_the_edit(served: tuple[str, Path, Path], browser: Any) -> None:
    """The preview's reload script runs: the page's script policy, written for the published
    site, must not block it (it is new on every request, so it can have no hash)."""
    url, project, _ = served
    tab = browser.new_page()
    refused: list[str] = []
    tab.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    tab.goto(url)
    marker = "A sentence the open tab shows after its reload."
    page = project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")

    def shown() -> bool:
        try:
            return marker in tab.inner_text("body")
        except Exception:  # the tab is between two pages
            return False

    wait_for(shown, "the open tab to reload", timeout=120)
    assert refused == []
    tab.close()


def test_a_save_older_than_the_page_written_is_still_shown(
    served: tuple[str, Path, Path],
) -> None:
    """A save that lands while a rebuild reads the file leaves the source older than the page
    that rebuild writes; the next rebuild must still write the page (MkDocs compares times)."""
    url, project, _ = served
    page = project / "content" / "second.md"
    text = page.read_text()
    page.write_text(text + "\nHalf a sentence\n")
    wait_for(lambda: "Half a sentence" in fetch(url + "second/"), "the first save")
    half = page.stat().st_mtime_ns
    page.write_text(text + "\nHalf a sentence, and its end.\n")
    os.utime(page, ns=(half, half))  # as if saved before the page above was written
    wait_for(lambda: "and its end." in fetch(url + "second/"), "the second save")


def _logged_call(log: Path, chart_id: str) -> str:
    """A line for a chart function that notes each call in `log`."""
    return f"    open({str(log)!r}, 'a').write({chart_id + chr(10)!r})\n"


def test_a_chart_code_edit_runs_only_that_modules_charts(fresh_mini: Path) -> None:
    """Editing one chart module runs again the charts of that module alone (their functions
    are called once more, the others' not at all), and the served page shows the edit."""
    charts, calls = fresh_mini / "charts", fresh_mini.parent / "calls.log"
    cities = (charts / "cities.py").read_text(encoding="utf-8")
    start, end = cities.index('@chart("region-scores"'), cities.index('@fact("city-count"')
    city_def = "def city_population(cities):\n"
    (charts / "cities.py").write_text(
        (cities[:start] + cities[end:]).replace(
            city_def, city_def + _logged_call(calls, "city-population")
        ),
        encoding="utf-8",
    )
    (charts / "regions.py").write_text(
        "import altair as alt\nfrom _shade import COLOUR\n\nfrom site_builder import chart\n\n\n"
        '@chart("region-scores", data="regions", title="Scores by region")\n'
        "def region_scores(regions):\n"
        + _logged_call(calls, "region-scores")
        + "    return alt.Chart(regions).mark_point(color=COLOUR)"
        + '.encode(x="score:Q", y="region:N")\n',
        encoding="utf-8",
    )
    (charts / "_shade.py").write_text('COLOUR = "#1f77b4"\n', encoding="utf-8")
    process, url = start_serve(fresh_mini)
    try:
        wait_for(lambda: "Scores by region" in fetch(url + "second/"), "the first build", 180)
        assert sorted(calls.read_text().split()) == ["city-population", "region-scores"]
        calls.write_text("")
        edit(charts / "regions.py", 'title="Scores by region"', 'title="Scores, edited"')
        wait_for(lambda: "Scores, edited" in fetch(url + "second/"), "the title edit")
        edit(charts / "regions.py", "mark_point(", "mark_point(size=90, ")
        wait_for(lambda: len(calls.read_text().split()) >= 2, "the spec edit")
        edit(charts / "_shade.py", "#1f77b4", "#d62728")
        wait_for(lambda: "#d62728" in fetch(url + "second/"), "the helper edit")
    finally:
        process.terminate()
        process.wait(timeout=20)
    # Each edit ran the region chart's function, never the city chart's.
    assert calls.read_text().split() == ["region-scores"] * 3
    log = (fresh_mini.parent / "serve.log").read_text()
    assert "1 chart code file changed; 1 chart and 0 facts made again" in log
    assert "Traceback" not in log


def test_each_edition_of_a_preview_shows_every_edit(tmp_path: Path) -> None:
    """Another edition's rebuild writes only what an edit reaches in it too, from its own last
    build: its own pages, the pages it borrows, its translations, data and chart code."""
    project = copy_project(PROJECTS / "editions", tmp_path / "mini")
    process, url = start_serve(project)
    zh = url + "zh/"
    try:
        wait_for(lambda: "小故事" in fetch(zh), "the first build", timeout=240)
        page = project / "content" / "second.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA borrowed sentence.\n")
        wait_for(lambda: "A borrowed sentence." in fetch(zh + "second/"), "the borrowed page")
        page = project / "content" / "index.zh.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n新的一句话。\n", encoding="utf-8")
        wait_for(lambda: "新的一句话。" in fetch(zh), "the edition's own page")
        assert "新的一句话。" not in fetch(url)
        edit(project / "data" / "translations" / "zh.yaml", "各城市的建立时间", "城市何时建立")
        wait_for(lambda: "城市何时建立" in fetch(zh), "the translation edit")
        edit(project / "data" / "cities.csv", "431000,12.5", "431000,14.5")
        wait_for(lambda: "14.5%" in fetch(zh), "the data edit")
        edit(project / "charts" / "cities.py", 'title="Scores by region"', 'title="Scores, v2"')
        wait_for(lambda: "Scores, v2" in fetch(zh + "second/"), "the chart code edit")
        # What the edits did not reach is still there, as it was.
        assert "城市何时建立" in fetch(zh) and "新的一句话。" in fetch(zh)
        assert "A borrowed sentence." in fetch(zh + "second/")
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Traceback" not in (project.parent / "serve.log").read_text()


def test_a_long_preview_of_editions_keeps_its_search_index_flat(tmp_path: Path) -> None:
    """Rebuild after rebuild, the preview's search index holds every page's entries once: it
    had grown by the whole site's entries on every rebuild, then held only the pages the
    last rebuild wrote (none after a rebuild that wrote no page)."""
    import json

    project = copy_project(PROJECTS / "editions", tmp_path / "mini")
    process, url = start_serve(project)

    def entries() -> int:
        return len(json.loads(fetch(url + "search/search_index.json"))["docs"])

    try:
        wait_for(lambda: "小故事" in fetch(url + "zh/"), "the first build", timeout=240)
        whole = entries()
        page = project / "content" / "second.md"
        counts = []
        for n in range(8):
            page.write_text(page.read_text(encoding="utf-8") + f"\nSentence {n}.\n")
            wait_for(lambda n=n: f"Sentence {n}." in fetch(url + "second/"), f"edit {n}")
            counts.append(entries())
    finally:
        process.terminate()
        process.wait(timeout=20)
    # Every page's entries, not only those of the pages a rebuild wrote.
    assert set(counts) == {whole}, (whole, counts)


def test_a_long_preview_keeps_what_it_holds_flat_over_20_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serve's rebuilds, in this process as `serve` runs them, after Markdown, table, chart
    code and translation edits in turn: what the preview keeps between rebuilds (each
    edition's project, translated specs, parsed files, the search index, render processes)
    holds as many entries after the twentieth rebuild as after the first round of edits."""
    import json

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from site_builder import chartcode, facts, pool, preview, translations

    project = copy_project(PROJECTS / "editions", tmp_path / "mini")
    # As `site-builder serve` runs: mkdocs-static-i18n reads --dirty from the command line.
    monkeypatch.setattr("sys.argv", ["site-builder", "serve", "--dirty"])
    monkeypatch.chdir(project)
    site = tmp_path / "site"
    url = "http://127.0.0.1:8000/"

    def config() -> Any:
        loaded = load_config(config_file="mkdocs.yml", site_dir=str(site))
        loaded.site_url = url
        return loaded

    # Each edit new: what is kept by content, and not replaced, would grow with every one.
    edits = [
        (project / "content" / "second.md", "", "\nSentence {n}.\n"),
        (project / "data" / "cities.csv", "431000,12.5", "431000,12.{n}5"),
        (
            project / "charts" / "cities.py",
            'title="Scores by region',
            'title="Scores {n} by region',
        ),
        (project / "data" / "translations" / "zh.yaml", "各城市的建立时间", "各城市的建立时间{n}"),
    ]
    last = [old for _, old, _ in edits]
    held: list[dict[str, int]] = []
    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        build(first, serve_url=url, dirty=True)
        for n in range(20):
            path, _, new = edits[n % len(edits)]
            text = path.read_text(encoding="utf-8")
            new = new.format(n=n)
            if last[n % len(edits)]:
                text = text.replace(last[n % len(edits)], new, 1)
                last[n % len(edits)] = new
            else:
                text += new
            path.write_text(text, encoding="utf-8")
            again = config()
            build(again, serve_url=url, dirty=True)
            plugin = again.plugins["site-builder"]
            assert f"Sentence {n // 4 * 4}." in (site / "second" / "index.html").read_text()
            index = json.loads((site / "search" / "search_index.json").read_text())
            held.append(
                {
                    "editions": len(preview._editions),
                    "translated specs": sum(len(v) for v in translations._translated.values()),
                    "translation files": len(translations._read),
                    "fact files": len(facts._read),
                    "module sources": len(chartcode._read),
                    "built projects": len(plugin.built_by),
                    "page stamps": sum(len(s) for s in plugin.stamps_by.values()),
                    "search entries": len(index["docs"]),
                    "render processes": len(getattr(pool._pool, "_processes", None) or {}),
                }
            )
        again.plugins.on_shutdown()
    finally:
        pool.shutdown_pool()
    # Each kind of edit has come by the fourth rebuild: from then on, each rebuild holds what
    # the one four before it (the same kind of edit) held. The search index holds the
    # entries of the pages a rebuild writes, so it differs by kind of edit.
    assert all(held[n] == held[n - 4] for n in range(4, 20)), held
    assert held[8]["translated specs"] > 0 and held[8]["search entries"] > 0


def test_an_open_tab_swaps_in_a_page_edit_and_reloads_for_a_new_stylesheet(
    mini: Path, browser: Any
) -> None:
    """With Material's instant navigation, a rebuild's page is swapped into the open tab (its
    scripts and stylesheets stay: no reload), and its chart still shows once and goes live;
    a changed stylesheet reloads the tab whole."""
    config = mini / "mkdocs.yml"
    edit(config, "  font: false\n", "  font: false\n  features: [navigation.instant]\n")
    config.write_text(config.read_text() + "extra_css: [extra.css]\n", encoding="utf-8")
    css = mini / "content" / "extra.css"
    css.write_text("p { margin-top: 1em; }\n", encoding="utf-8")
    process, url = start_serve(mini)
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        wait_for(lambda: "Mini story" in fetch(url), "the first build", timeout=180)
        tab.goto(url)
        tab.wait_for_selector("figure svg")
        tab.evaluate("window.sameTab = true")
        drawn = "figure svg:visible, figure img:visible"
        assert tab.locator(drawn).count() == 1  # the page's one chart
        page = mini / "content" / "index.md"
        for n in range(2):
            marker = f"Sentence {n} swapped into the open tab."
            page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            wait_for(lambda m=marker: m in tab.inner_text("body"), "the edit", timeout=120)
            assert tab.evaluate("window.sameTab === true"), "the tab reloaded whole"
            assert tab.locator(drawn).count() == 1  # once, not twice or none
        tab.hover("figure svg")  # the swapped page's chart still goes live when reached for
        tab.wait_for_selector("figure [data-sb-state=interactive]", timeout=30_000)
        css.write_text("p { margin-top: 2em; }\n", encoding="utf-8")

        from playwright.sync_api import Error as PlaywrightError

        def reloaded() -> bool:
            try:
                return bool(tab.evaluate("window.sameTab === undefined"))
            except PlaywrightError:  # asked while the tab reloads
                return False

        wait_for(reloaded, "a reload for the stylesheet")
        assert errors == []
    finally:
        tab.close()
        process.terminate()
        process.wait(timeout=20)
