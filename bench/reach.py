"""What reaching for a chart costs the reader (issue 14, target 7): the page's responsiveness
while its charts go live.

Lighthouse loads a page and never touches it; the Vega runtime runs only once the reader
reaches for a chart, so its cost is here. Each story page with two charts or more is opened
in headless Chromium, a phone's width and 4,000 px tall so that its charts are in view, the
runtime already fetched; then the CPU is made 4x slower (Lighthouse's mobile setting) and the
pointer goes over the first chart. Measured from that moment, medians of --runs:

- the longest main-thread task (the reader's next tap or key waits for it),
- the blocking time (each task's time beyond 50 ms, summed, as Lighthouse counts it),
- when the chart reached for is interactive, and when every chart in view is (`in view`:
  how many; a page longer than the viewport keeps its others static).

`--site DIR` measures a site already built (e.g. another checkout's, to compare).
Usage: python bench/reach.py [--runs 3] [--site DIR] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import build_story, serve

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/lib/chromium/chromium")
CPU_SLOWDOWN = 4
VIEWPORT = {"width": 412, "height": 4000}  # a phone's width, every chart in view

# Long tasks from the page's start, with their times.
RECORD_TASKS = """
window.__sbTasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__sbTasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
"""

# The charts in view (a page longer than the viewport keeps its others static).
IN_VIEW = """() => [...document.querySelectorAll('.sb-figure__chart')]
  .filter(el => el.getBoundingClientRect().top < innerHeight)"""
ALL_LIVE = f"""() => ({IN_VIEW})()
  .every(el => ['interactive', 'static'].includes(el.dataset.sbState))"""


def reach_once(browser: Any, url: str) -> dict[str, float]:
    context = browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True)
    context.add_init_script(RECORD_TASKS)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    # The runtime's file is in the cache (fetched when idle): the reach waits for its script.
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('/vega.'))",
        timeout=30_000,
    )
    page.wait_for_timeout(500)  # the load's own tasks are over
    in_view = page.evaluate(f"() => ({IN_VIEW})().length")
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    first = page.locator(".sb-figure__chart").first
    start = page.evaluate("performance.now()")
    first.hover(position={"x": 1, "y": 1})
    page.wait_for_function(
        "el => ['interactive', 'static'].includes(el.dataset.sbState)",
        arg=first.element_handle(),
        timeout=60_000,
    )
    first_ms = page.evaluate("performance.now()") - start
    page.wait_for_function(ALL_LIVE, timeout=60_000)
    all_ms = page.evaluate("performance.now()") - start
    page.wait_for_timeout(300)  # the last task's entry is delivered
    tasks = [d for t, d in page.evaluate("() => window.__sbTasks") if t + d >= start]
    context.close()
    return {
        "in_view": in_view,
        "longest_task_ms": max(tasks, default=0.0),
        "blocking_ms": sum(max(0.0, d - 50) for d in tasks),
        "first_interactive_ms": first_ms,
        "all_interactive_ms": all_ms,
    }


def measure(site: Path, runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    pages = []
    for html in sorted(site.rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        if "sb-embed" in text.split("<body", 1)[-1].split(">", 1)[0]:
            continue  # an embed page: one chart
        if text.count('class="sb-figure__chart"') >= 2:
            rel = html.relative_to(site).parent.as_posix()
            pages.append("" if rel == "." else f"{rel}/")
    results: dict[str, list[dict[str, float]]] = {path: [] for path in pages}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for run in range(runs):  # alternating over pages, so a busy moment hits all alike
            for path in pages:
                print(f"  run {run + 1}/{runs}: /{path}", file=sys.stderr)
                results[path].append(reach_once(browser, base + path))
        browser.close()
    rows = []
    for path in pages:
        row: dict[str, Any] = {"page": f"/{path}"}
        for key in results[path][0]:
            row[key] = statistics.median(r[key] for r in results[path])
        rows.append(row)
    return rows


def table(rows: list[dict[str, Any]], runs: int) -> str:
    lines = [
        f"Reaching for a chart, CPU {CPU_SLOWDOWN}x slower, medians of {runs}",
        f"  {'page':<18} {'in view':>7} {'longest task ms':>15} {'blocking ms':>11}"
        f" {'first live ms':>13} {'all live ms':>11}",
    ]
    for r in rows:
        lines.append(
            f"  {r['page']:<18} {r['in_view']:>7.0f} {r['longest_task_ms']:>15.0f}"
            f" {r['blocking_ms']:>11.0f} {r['first_interactive_ms']:>13.0f}"
            f" {r['all_interactive_ms']:>11.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_story(Path(tmp) / "story")
        rows = measure(site, args.runs)
    print(table(rows, args.runs))
    if args.json:
        args.json.write_text(json.dumps({"runs": args.runs, "pages": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
