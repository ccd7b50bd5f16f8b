"""What loading each story page costs the browser's main thread, in CPU time (issue 14, target 7).

Lighthouse times the page's tasks by the clock, so on a machine other jobs share its blocking
time and scores move by 10 points or more from one run to the next. This counts the main
thread's own CPU time (the trace's thread time), which other processes barely change, split
by kind of work: style, layout, HTML parsing, scripts, paint. It loads each page in headless
Chromium at Lighthouse's phone size (412 x 823 px, 1.75x), until 1.5 s after the load event,
and prints medians of --runs with an estimate of Lighthouse's total blocking time (each task
4x longer, its CPU slowdown, less 50 ms), and two counts that no other process changes at all:
elements styled and boxes laid out, over every style and layout pass.

Give several built sites (--site A --site B) to compare them: runs alternate between them, so
a busy moment hits both alike.
Usage: python bench/main_thread.py [--runs 5] [--site DIR ...] [--pages claims/ data/]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lighthouse import CHROME, story_pages
from page_weight import build_story, serve

VIEWPORT = {"width": 412, "height": 823}
SCALE = 1.75
SLOWDOWN = 4  # Lighthouse's mobile CPU throttling
LONG_MS = 50
SETTLE_MS = 1500
CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
KINDS = {
    "UpdateLayoutTree": "style",
    "Layout": "layout",
    "ParseHTML": "parse",
    "ParseAuthorStyleSheet": "parse",
    "EvaluateScript": "script",
    "FunctionCall": "script",
    "TimerFire": "script",
    "EventDispatch": "script",
    "Paint": "paint",
    "PrePaint": "paint",
    "Layerize": "paint",
}
COLUMNS = ("cpu", "style", "layout", "parse", "script", "paint", "longest", "tbt", "styled", "laid")


def page_costs(trace: list[dict[str, Any]], url: str) -> dict[str, float]:
    """CPU milliseconds of the page's main thread, all tasks and by kind, from one trace."""
    commits = [
        e["args"]["data"]
        for e in trace
        if e.get("name") == "CommitLoad"
        and e["args"]["data"].get("isMainFrame")
        and e["args"]["data"].get("url", "").startswith(url)
    ]
    frames = {c["frame"] for c in commits}
    pids = {
        e["pid"] for e in trace if e.get("name") == "CommitLoad" and e["args"]["data"] in commits
    }
    main = {
        (e["pid"], e["tid"])
        for e in trace
        if e.get("name") == "thread_name"
        and e["args"].get("name") == "CrRendererMain"
        and e["pid"] in pids
    }
    costs = dict.fromkeys(COLUMNS, 0.0)
    ends: dict[str, float] = {}  # an event nested in one of its kind counts once
    for e in sorted((e for e in trace if e.get("ph") == "X"), key=lambda e: e["ts"]):
        if (e.get("pid"), e.get("tid")) not in main:
            continue
        cpu = e.get("tdur", 0) / 1000
        if e["name"] == "RunTask":
            costs["cpu"] += cpu
            costs["longest"] = max(costs["longest"], cpu)
            costs["tbt"] += max(0.0, cpu * SLOWDOWN - LONG_MS)
            continue
        kind = KINDS.get(e["name"])
        data = e.get("args", {}).get("data") or e.get("args", {}).get("beginData") or {}
        if not kind or data.get("frame", next(iter(frames), None)) not in frames:
            continue  # another frame's work (the browser's own pages)
        if e["ts"] >= ends.get(kind, 0):
            costs[kind] += cpu
            ends[kind] = e["ts"] + e.get("dur", 0)
        # Counts of work, which no other process changes: elements styled, boxes laid out.
        if e["name"] == "UpdateLayoutTree":
            costs["styled"] += e.get("args", {}).get("elementCount", 0)
        elif e["name"] == "Layout":
            costs["laid"] += data.get("dirtyObjects", 0)
    return costs


def load(browser: Any, url: str) -> dict[str, float]:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=SCALE)
    page = context.new_page()
    browser.start_tracing(page=page, categories=CATEGORIES)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(SETTLE_MS)
    trace = json.loads(browser.stop_tracing())["traceEvents"]
    context.close()
    return page_costs(trace, url)


def measure(sites: list[Path], paths: list[str], runs: int) -> dict[tuple[str, int], list[dict]]:
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, int], list[dict[str, float]]] = {}
    with contextlib.ExitStack() as stack, sync_playwright() as pw:
        bases = [stack.enter_context(serve(site)) for site in sites]
        browser = pw.chromium.launch(
            executable_path=CHROME, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for run in range(runs):
            for path in paths:
                order = list(enumerate(bases))
                order = order[run % len(order) :] + order[: run % len(order)]
                for i, base in order:
                    print(f"  run {run + 1}/{runs}: site {i + 1} /{path}", file=sys.stderr)
                    results.setdefault((path, i), []).append(load(browser, base + path))
        browser.close()
    return results


def table(results: dict[tuple[str, int], list[dict[str, float]]], sites: int, runs: int) -> str:
    lines = [
        f"Main thread while loading, CPU ms (thread time), medians of {runs};"
        f" tbt: each task x{SLOWDOWN} less {LONG_MS} ms; styled: elements, laid: boxes",
        f"  {'page':<16}" + ("site " if sites > 1 else "") + "".join(f"{c:>8}" for c in COLUMNS),
    ]
    for (path, i), rows in results.items():
        med = {c: statistics.median(r[c] for r in rows) for c in COLUMNS}
        site = f"{i + 1:>4} " if sites > 1 else ""
        lines.append(
            f"  /{path:<15}{site}"
            + "".join(f"{med[c]:>8.{0 if c in ('styled', 'laid') else 1}f}" for c in COLUMNS)
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path, action="append", help="a built site (repeatable)")
    parser.add_argument("--pages", nargs="+", help="paths such as claims/ (default: every page)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sites = args.site or [build_story(Path(tmp) / "story")]
        paths = args.pages or [path for path, _, _ in story_pages(sites[0])]
        print(table(measure(sites, paths, args.runs), len(sites), args.runs))


if __name__ == "__main__":
    main()
