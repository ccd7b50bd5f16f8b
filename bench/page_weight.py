"""Page weight and chart timing of the sample story's home page, in headless Chromium.

Builds the story into a temporary folder, serves it on 127.0.0.1 and measures:
- bytes (decoded and gzip) of HTML, CSS, JS and other files before any chart is in view,
  and after every chart has become interactive;
- when the static charts are visible (first paint, DOMContentLoaded), and how long it
  takes from scrolling to a chart until it is interactive.
Median of several runs. Usage: python bench/page_weight.py [--runs N]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/lib/chromium/chromium"


def build(dest: Path) -> Path:
    dest.mkdir()
    for name in ("content", "data", "charts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    subprocess.run([str(BIN / "site-builder"), "build"], cwd=dest, check=True, capture_output=True)
    return dest / "site"


def kind(url: str) -> str:
    path = url.split("?")[0]
    for ext, name in ((".js", "js"), (".css", "css"), (".json", "json"), (".html", "html")):
        if path.endswith(ext):
            return name
    return "html" if path.endswith("/") else "other"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(base: str, site: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 300})
        seen: list[str] = []
        page.on("requestfinished", lambda r: seen.append(r.url))
        page.goto(base, wait_until="load")
        page.wait_for_timeout(300)
        before = list(seen)
        timing = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType('navigation')[0];
              const paint = performance.getEntriesByName('first-contentful-paint')[0];
              return {dcl: nav.domContentLoadedEventEnd, fcp: paint ? paint.startTime : -1,
                      charts: document.querySelectorAll('.sb-figure__chart svg').length};
            }"""
        )
        out["first paint ms"] = timing["fcp"]
        out["DOMContentLoaded ms"] = timing["dcl"]
        charts = page.locator(".sb-figure__chart")
        waits = []
        for i in range(charts.count()):
            start = page.evaluate("performance.now()")
            charts.nth(i).scroll_into_view_if_needed()
            page.wait_for_function(
                "el => el.dataset.sbState === 'interactive'",
                arg=charts.nth(i).element_handle(),
                timeout=30000,
            )
            waits.append(page.evaluate("performance.now()") - start)
        out["first chart interactive ms"] = waits[0]
        out["later charts interactive ms"] = statistics.median(waits[1:]) if waits[1:] else 0
        after = list(seen)
        browser.close()
    for label, urls in (("before", before), ("after", after)):
        sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for url in urls:
            local = site / url[len(base) :].split("?")[0]
            if local.is_dir():
                local = local / "index.html"
            if not local.is_file():
                continue
            data = local.read_bytes()
            sizes[kind(url)][0] += len(data)
            sizes[kind(url)][1] += len(gzip.compress(data, 6))
        for name, (raw, packed) in sizes.items():
            out[f"{label} {name} KB"] = raw / 1024
            out[f"{label} {name} KB gz"] = packed / 1024
        out[f"{label} total KB"] = sum(v[0] for v in sizes.values()) / 1024
        out[f"{label} total KB gz"] = sum(v[1] for v in sizes.values()) / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        site = build(Path(tmp) / "story")
        handler = functools.partial(Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        results = [measure(base, site) for _ in range(runs)]
        server.shutdown()
    keys = sorted({k for r in results for k in r}, key=lambda k: (k.split()[0], k))
    print(f"{'home page (median of ' + str(runs) + ' runs)':<36} {'value':>10}")
    for key in keys:
        values = [r[key] for r in results if key in r]
        print(f"{key:<36} {statistics.median(values):10.1f}")


if __name__ == "__main__":
    main()
