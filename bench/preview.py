"""Live preview: from saving a file to the open Chromium tab showing the change.

Starts `site-builder serve` on a copy of a project, opens the page in headless Chromium
(Playwright), then writes one file at a time and times until the tab shows the edit: a
Markdown edit (a new sentence), a CSV edit (the chart's files get a new name) and a
chart-code edit (a new title). Medians of --runs, on the sample story and on a synthetic
project of --pages x --charts charts. Prints one table; `scale.py` prints it under its own.
Usage: cd bench && python preview.py [--runs 5] [--pages 250 --charts 4] [--json preview.json]
       (--pages 0: the sample story alone)
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from page_weight import CHROMIUM
from synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# The link to a chart's CSV download carries the hash of its render: a new one means a new chart.
CSV_LINK = "(id) => (document.querySelector(`a[href$='.csv'][href*='/${id}.']`) || {}).href || ''"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout: float = 300) -> None:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        try:
            if check():
                return
        except Exception:  # the tab is reloading: its page is gone for a moment
            pass
        time.sleep(0.01)
    raise TimeoutError("the preview never showed the edit")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure(project: Path, plan: dict[str, Any], runs: int) -> dict[str, list[float]]:
    """Seconds from each write to the tab showing it, by kind of edit."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}/{plan['page']}"
    log = open(project.parent / f"{project.name}-serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(BIN / "site-builder"), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    out: dict[str, list[float]] = {"markdown": [], "csv": [], "chart code": []}
    try:
        wait_until(lambda: urllib.request.urlopen(url, timeout=5).status == 200, 1800)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            tab = browser.new_page()
            tab.goto(url)
            chart = plan["chart"]
            last = plan["code_edit"][0] if plan.get("code") else ""
            for run in range(runs):
                # Markdown: a sentence the page did not have.
                marker = f"Edit number {run} of the preview bench."
                page_md = project / plan["markdown"]
                page_md.write_text(page_md.read_text() + f"\n{marker}\n")
                start = time.perf_counter()
                wait_until(lambda m=marker: m in tab.inner_text("body"))
                out["markdown"].append(time.perf_counter() - start)
                # CSV: one cell of the chart's table.
                before = tab.evaluate(CSV_LINK, chart)
                old, new = plan["csv_edit"]
                replace_in(project / plan["csv"], *((old, new) if run % 2 == 0 else (new, old)))
                start = time.perf_counter()
                wait_until(lambda b=before: tab.evaluate(CSV_LINK, chart) not in ("", b))
                out["csv"].append(time.perf_counter() - start)
                if plan.get("code"):
                    title = plan["code_edit"][1].replace("{run}", str(run))
                    replace_in(project / plan["code"], last, title)
                    last = title
                    start = time.perf_counter()
                    wait_until(lambda t=title: t.split('"')[1] in tab.inner_text("body"))
                    out["chart code"].append(time.perf_counter() - start)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    return {k: v for k, v in out.items() if v}


def story(dest: Path) -> tuple[Path, dict[str, Any]]:
    dest.mkdir()
    for name in ("content", "data", "charts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    title = "Washington's cut of AI-chip sales to China rose from 15% to 25%"
    return dest, {
        "page": "chips/",
        "chart": "chip-deals",
        "markdown": "content/chips.md",
        "csv": "data/chip_export_deals.csv",
        "csv_edit": ("not finalised per White House)", "not finalised per White House) "),
        "code": "charts/chips.py",
        "code_edit": (f'title="{title}"', f'title="{title}, version {{run}}"'),
    }


def synthetic(dest: Path, pages: int, charts: int) -> tuple[Path, dict[str, Any]]:
    return generate(dest, pages, charts), synthetic_plan()


def synthetic_plan() -> dict[str, Any]:
    """What to edit in a project from synthetic.py."""
    return {
        "page": "s00/page000/",
        "chart": "t000-0",
        "markdown": "content/s00/page000.md",
        "csv": "data/t000_0.csv",
        "csv_edit": (",g1\n", ",g2\n"),
        # One module defines every synthetic chart: editing it changes all of them.
    }


TARGETS = {"markdown": 0.3, "csv": 0.6, "chart code": 0.6}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=250)
    parser.add_argument("--charts", type=int, default=4)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        projects = [("sample story", story(Path(tmp) / "story"))]
        if args.pages:
            projects.append(
                (
                    f"{args.pages * args.charts} charts",
                    synthetic(Path(tmp) / "synthetic", args.pages, args.charts),
                )
            )
        for label, (project, plan) in projects:
            times = measure(project, plan, args.runs)
            results[label] = {kind: statistics.median(v) for kind, v in times.items()}
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def table(results: dict[str, dict[str, float]]) -> str:
    lines = ["Live preview, save to tab showing it, medians (s)"]
    for label, figures in results.items():
        for kind, seconds in figures.items():
            lines.append(f"  {label + ', ' + kind + ' edit':<44} {seconds:9.2f}")
    return "\n".join(lines)


def targets(results: dict[str, dict[str, float]]) -> dict[str, tuple[str, bool]]:
    """Issue 14's target 4, each figure against its limit."""
    out = {}
    for label, figures in results.items():
        for kind, seconds in figures.items():
            limit = TARGETS[kind] if label == "sample story" else 1.0
            out[f"4 preview, {label}, {kind} edit <= {limit * 1000:.0f} ms"] = (
                f"{seconds * 1000:.0f} ms",
                seconds <= limit,
            )
    return out


if __name__ == "__main__":
    main()
