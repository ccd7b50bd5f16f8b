"""Page weight and chart timing in headless Chromium (issue 7's benchmark, target 3).

Measures two pages: the sample story's home page, and page000 of a synthetic project
(bench/synthetic.py, 4 charts). Each site is built into a temporary folder and served on
127.0.0.1 by a small server that gzips text responses, as a static host would.
Per page:

- weight, decoded and gzip (each response body gzipped here, level 6), by kind (html, css,
  js, other), before any chart is in view (first load, no scrolling; site-builder.js fetches
  the Vega runtime, without running it, only once a chart comes near the view) and
  after every chart has become interactive (each figure scrolled into view and the pointer
  put over it, until site-builder.js marks it data-sb-state="interactive");
- first contentful paint, DOMContentLoaded and the time every chart is visible (the last
  figure's static SVG or <img> in the DOM with a non-zero box, not before first paint), on
  loopback and on throttled "slow 4G" with the CPU slowed 4x; and whether the charts were
  visible before DOMContentLoaded;
- time from scrolling a chart into view and reaching for it until it is interactive.

The viewport is a phone's (412x823), where page000's first charts are in view at once; so
until the bench scrolls, IntersectionObserver notices about charts are held back (a shim
injected before the page's scripts), and "before any chart is in view" is just that; the
table says how many charts a real first load would have in view. "Slow 4G" is DevTools'
throttling: 150 ms added to each request, 1,638.4 kbit/s down, 750 kbit/s up, and
Emulation.setCPUThrottlingRate 4. Every load uses a new browser context (empty cache) with
the HTTP cache disabled. The two conditions alternate; medians of --runs.

Usage: python bench/page_weight.py [--runs 3] [--pages 10] [--json PATH]
From bench/: `from page_weight import measure_pages; measure_pages(runs=3)`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/lib/chromium/chromium")
GZIP_LEVEL = 6
BUDGET_KB_GZIP = 180
KINDS = ("html", "css", "js", "other")
# A mid-range phone: Lighthouse's mobile screen.
PHONE: dict[str, Any] = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}
# The common "slow 4G" profile (Lighthouse's mobile figures), applied the DevTools way:
# 150 ms added to each request, 1,638.4 kbit/s down, 750 kbit/s up; CPU 4x slower.
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1638.4 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
CPU_SLOWDOWN = 4
CONDITIONS = ("loopback", "slow 4G")

# Runs before the page's own scripts. Records, for each figure, when its static chart is
# first in the DOM with a non-zero box (checked on every animation frame, i.e. before each
# paint, and at DOMContentLoaded), and holds back IntersectionObserver notices about charts
# until the bench releases them.
INIT_SCRIPT = """
(() => {
  const seen = {};
  const bench = (window.__sbBench = { seen, done: false });
  const STATIC = ".sb-static, :scope > svg, :scope > img, :scope > picture > img";
  function drawn(el) {
    if (el.closest(".sb-live")) return false;
    if (el.tagName === "IMG" && !(el.complete && el.naturalWidth > 0)) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  }
  function check() {
    const now = performance.now();
    document.querySelectorAll("figure.sb-figure").forEach((fig, i) => {
      const key = fig.id || "figure-" + i;
      if (key in seen) return;
      const holder = fig.querySelector(".sb-figure__chart");
      if (holder && Array.prototype.some.call(holder.querySelectorAll(STATIC), drawn)) {
        seen[key] = now;
      }
    });
  }
  function frame() {
    check();
    if (!bench.done) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
  document.addEventListener("DOMContentLoaded", check);
  window.addEventListener("load", () => {
    check();
    setTimeout(() => { check(); bench.done = true; }, 1000);
  });

  const Native = window.IntersectionObserver;
  if (!Native) return;
  const CHART = ".sb-figure__chart";
  const gate = (window.__sbGate = { open: false, observers: [] });
  class Held extends Native {
    constructor(callback, options) {
      super((entries, observer) => {
        const shown = gate.open ? entries : entries.filter((e) => !e.target.matches(CHART));
        if (shown.length) callback(shown, observer);
      }, options);
      this.held = new Set();
      gate.observers.push(this);
    }
    observe(target) { this.held.add(target); super.observe(target); }
    unobserve(target) { this.held.delete(target); super.unobserve(target); }
    disconnect() { this.held.clear(); super.disconnect(); }
  }
  window.IntersectionObserver = Held;
  // Observing again makes the observer report each chart's current state.
  gate.release = () => {
    gate.open = true;
    gate.observers.forEach((o) =>
      o.held.forEach((t) => {
        if (!t.matches(CHART)) return;
        Native.prototype.unobserve.call(o, t);
        Native.prototype.observe.call(o, t);
      })
    );
  };
})();
"""

TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const figures = document.querySelectorAll("figure.sb-figure");
  const seen = Object.values(window.__sbBench.seen);
  const fold = window.innerHeight + 100;  // site-builder.js starts charts 100px early
  const inView = Array.prototype.filter.call(figures, (f) => {
    const h = f.querySelector(".sb-figure__chart");
    return h && h.getBoundingClientRect().top < fold;
  }).length;
  return {
    fcp: fcp ? fcp.startTime : null,
    dcl: nav.domContentLoadedEventStart,
    load: nav.loadEventStart,
    figures: figures.length,
    visible: seen.length,
    last: seen.length ? Math.max(...seen) : null,
    inView,
  };
}"""


def build_story(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("content", "data", "charts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return site_build(dest)


def build_synthetic(dest: Path, pages: int) -> Path:
    generate(dest, pages, 4)
    return site_build(dest)


def site_build(project: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [str(BIN / "site-builder"), "build"], cwd=project, check=True, capture_output=True, env=env
    )
    return project / "site"


class Server(http.server.SimpleHTTPRequestHandler):
    """Static files over HTTP/1.1 keep-alive; text gzipped when the browser accepts it."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?")[0] + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        ctype = self.guess_type(str(path))
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if compressible(ctype) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = packed(path)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@functools.cache
def packed(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), GZIP_LEVEL, mtime=0)


def compressible(ctype: str) -> bool:
    return ctype.startswith("text/") or any(
        word in ctype for word in ("javascript", "json", "xml", "svg")
    )


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(Server, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def kind(content_type: str, url: str) -> str:
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "text/html":
        return "html"
    if ctype == "text/css":
        return "css"
    if "javascript" in ctype or url.split("?")[0].endswith((".js", ".mjs")):
        return "js"
    return "other"


def weigh(finished: list[Any], base: str, site: Path) -> list[dict[str, Any]]:
    """One row per response: path, kind, decoded and gzip bytes (same-origin files only)."""
    rows = []
    for request in finished:
        if not request.url.startswith(base):
            continue
        response = request.response()
        if response is None or response.status != 200:
            continue
        try:
            body = response.body()
        except Exception:  # body no longer held by the browser: read the file served
            local = site / request.url[len(base) :].split("?")[0].split("#")[0]
            body = (local / "index.html" if local.is_dir() else local).read_bytes()
        rows.append(
            {
                "path": "/" + request.url[len(base) :],
                "kind": kind(response.headers.get("content-type", ""), request.url),
                "decoded": len(body),
                "gzip": len(gzip.compress(body, GZIP_LEVEL, mtime=0)),
            }
        )
    return rows


def by_kind(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out = {}
    for name in (*KINDS, "total"):
        picked = [r for r in rows if name in ("total", r["kind"])]
        out[name] = {
            "decoded_kb": sum(r["decoded"] for r in picked) / 1024,
            "gzip_kb": sum(r["gzip"] for r in picked) / 1024,
            "files": len(picked),
        }
    return out


def load_once(browser: Any, url: str, base: str, site: Path, throttled: bool) -> dict[str, Any]:
    """One load in a new browser context (empty cache), then every chart scrolled into view."""
    # The bench's own probes are scripts the site's policy would refuse; bytes and times are
    # the same with the policy bypassed.
    context = browser.new_context(**PHONE, bypass_csp=True)
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttled:
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load", timeout=180_000)
    page.wait_for_load_state("networkidle", timeout=180_000)
    page.wait_for_function("window.__sbBench.done", timeout=60_000)
    t = page.evaluate(TIMINGS)
    before = list(finished)

    holders = page.locator(".sb-figure__chart")
    waits, states = [], []
    for i in range(holders.count()):
        holder = holders.nth(i)
        start = page.evaluate("performance.now()")
        holder.scroll_into_view_if_needed()
        if i == 0:
            page.evaluate("window.__sbGate && window.__sbGate.release()")
        # The reader reaches for it: the runtime runs on that, not on the chart being in view.
        holder.hover(position={"x": 1, "y": 1})
        page.wait_for_function(
            "el => ['interactive', 'static'].includes(el.dataset.sbState)",
            arg=holder.element_handle(),
            timeout=180_000,
        )
        waits.append(page.evaluate("performance.now()") - start)
        states.append(holder.get_attribute("data-sb-state"))
    page.wait_for_load_state("networkidle", timeout=180_000)
    page.wait_for_timeout(300)
    after = list(finished)
    rows_before, rows_after = weigh(before, base, site), weigh(after, base, site)
    context.close()

    laid_out = t["last"] if t["visible"] == t["figures"] else None
    # Nothing is painted before the first contentful paint.
    visible = None if laid_out is None else max(laid_out, t["fcp"] or 0)
    return {
        "fcp_ms": t["fcp"],
        "dcl_ms": t["dcl"],
        "load_ms": t["load"],
        "charts": t["figures"],
        "charts_in_first_view": t["inView"],
        "all_charts_laid_out_ms": laid_out,
        "all_charts_visible_ms": visible,
        "visible_before_dcl": visible is not None and visible < t["dcl"],
        "charts_in_first_paint": laid_out is not None and laid_out <= (t["fcp"] or 0),
        "first_interactive_ms": waits[0] if waits else None,
        "later_interactive_ms": statistics.median(waits[1:]) if waits[1:] else None,
        "interactive": states.count("interactive"),
        "before": rows_before,
        "after": rows_after,
    }


def median(values: list[Any]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


TIMES = (
    ("fcp_ms", "first contentful paint"),
    ("dcl_ms", "DOMContentLoaded"),
    ("all_charts_laid_out_ms", "all charts laid out"),
    ("all_charts_visible_ms", "all charts visible"),
    ("load_ms", "load event"),
    ("first_interactive_ms", "first chart interactive *"),
    ("later_interactive_ms", "later charts interactive *"),
)


def files(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "path": r["path"],
            "kind": r["kind"],
            "decoded_kb": round(r["decoded"] / 1024, 1),
            "gzip_kb": round(r["gzip"] / 1024, 1),
        }
        for r in sorted(rows, key=lambda r: -r["gzip"])
    ]


def summarise(loads: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    first = loads["loopback"][0]
    out: dict[str, Any] = {
        "charts": first["charts"],
        "charts_in_first_view": first["charts_in_first_view"],
    }
    for label in ("before", "after"):
        per_run = [by_kind(r[label]) for r in loads["loopback"]]
        out[label] = {
            name: {
                field: median([run[name][field] for run in per_run])
                for field in ("decoded_kb", "gzip_kb", "files")
            }
            for name in (*KINDS, "total")
        }
        out[f"files_{label}"] = files(first[label])
    for condition, runs in loads.items():
        figures: dict[str, Any] = {key: median([r[key] for r in runs]) for key, _ in TIMES}
        for key in ("visible_before_dcl", "charts_in_first_paint"):
            figures[key] = all(r[key] for r in runs)
            figures[f"{key}_runs"] = sum(r[key] for r in runs)
        figures["interactive"] = min(r["interactive"] for r in runs)
        out[condition] = figures
    gz = out["before"]["total"]["gzip_kb"]
    early = all(out[c]["visible_before_dcl"] for c in CONDITIONS)
    out["target3"] = {
        "budget_kb_gzip": BUDGET_KB_GZIP,
        "before_kb_gzip": gz,
        "within_budget": gz <= BUDGET_KB_GZIP,
        "visible_before_dcl": early,
        "met": gz <= BUDGET_KB_GZIP and early,
    }
    return out


def measure_pages(runs: int = 3, *, pages: int = 10) -> dict[str, Any]:
    """Build the story and a synthetic project of `pages` pages x 4 charts, and measure the
    story's home page and the synthetic page000 in headless Chromium; medians of `runs`."""
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {
        "settings": {
            "runs": runs,
            "chromium": CHROMIUM,
            "viewport": PHONE,
            "gzip_level": GZIP_LEVEL,
            "slow_4g": {
                "latency_ms": SLOW_4G["latency"],
                "down_kbit_s": SLOW_4G["downloadThroughput"] * 8 / 1024,
                "up_kbit_s": SLOW_4G["uploadThroughput"] * 8 / 1024,
                "cpu_slowdown": CPU_SLOWDOWN,
            },
            "synthetic_pages": pages,
        },
        "pages": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        sites = {
            "story home": (build_story(Path(tmp) / "story"), ""),
            "synthetic page000": (
                build_synthetic(Path(tmp) / "synthetic", pages),
                "s00/page000/",
            ),
        }
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            results["settings"]["chromium_version"] = browser.version
            for name, (site, path) in sites.items():
                with serve(site) as base:
                    loads: dict[str, list[dict[str, Any]]] = {c: [] for c in CONDITIONS}
                    for _ in range(runs):  # the two conditions alternate
                        for condition in CONDITIONS:
                            loads[condition].append(
                                load_once(browser, base + path, base, site, condition != "loopback")
                            )
                results["pages"][name] = {"path": "/" + path, **summarise(loads)}
            browser.close()
    return results


def fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,.{digits}f}"


def table(results: dict[str, Any]) -> str:
    s, pages = results["settings"], results["pages"]
    names = list(pages)
    runs = s["runs"]

    def line(title: str, cells: list[str]) -> str:
        return f"  {title:<40}" + "".join(f"{c:>20}" for c in cells)

    def weight(label: str, k: str) -> list[str]:
        return [
            f"{fmt(pages[n][label][k]['decoded_kb'])} / {fmt(pages[n][label][k]['gzip_kb'], 1)}"
            for n in names
        ]

    view = s["viewport"]["viewport"]
    out = [
        f"Median of {runs} runs; Chromium {s.get('chromium_version', '?')}, "
        f"{view['width']}x{view['height']} phone viewport; gzip level {s['gzip_level']}",
        f"{'':42}" + "".join(f"{n:>20}" for n in names),
        line(
            "charts on the page / in the first view",
            [f"{pages[n]['charts']} / {pages[n]['charts_in_first_view']}" for n in names],
        ),
        "weight before any chart is in view, KB decoded / gzip",
    ]
    out += [line(k, weight("before", k)) for k in (*KINDS, "total")]
    out.append("weight once every chart is interactive, KB decoded / gzip")
    out += [line(k, weight("after", k)) for k in (*KINDS, "total")]
    out.append(
        line(
            "charts interactive (fewest in a run)",
            [str(min(pages[n][c]["interactive"] for c in CONDITIONS)) for n in names],
        )
    )
    slow = s["slow_4g"]
    for condition in CONDITIONS:
        if condition == "loopback":
            out.append("loopback, ms")
        else:
            out.append(
                f"slow 4G, ms: +{slow['latency_ms']} ms a request, {slow['down_kbit_s']:g} kbit/s"
                f" down, {slow['up_kbit_s']:g} up, CPU {slow['cpu_slowdown']}x"
            )
        out += [line(title, [fmt(pages[n][condition][key]) for n in names]) for key, title in TIMES]
        for key, title in (
            ("visible_before_dcl", "charts visible before DOMContentLoaded"),
            ("charts_in_first_paint", "charts in the first paint"),
        ):
            cells = []
            for n in names:
                figures = pages[n][condition]
                cells.append(f"{fmt(figures[key])} ({figures[key + '_runs']}/{runs})")
            out.append(line(title, cells))
    out.append("  * from scrolling the chart into view")
    out.append(
        f"target 3: <= {BUDGET_KB_GZIP} KB gzip before any chart is in view, charts"
        " visible before DOMContentLoaded (both conditions)"
    )
    out.append(
        line(
            "KB gzip before any chart is in view",
            [
                f"{fmt(pages[n]['target3']['before_kb_gzip'], 1)} "
                f"{'ok' if pages[n]['target3']['within_budget'] else 'over'}"
                for n in names
            ],
        )
    )
    out.append(
        line(
            "charts visible before DOMContentLoaded",
            [fmt(pages[n]["target3"]["visible_before_dcl"]) for n in names],
        )
    )
    out.append(
        line("target 3", ["met" if pages[n]["target3"]["met"] else "NOT met" for n in names])
    )
    for n in names:
        out.append(f"largest files before any chart is in view, {n}: KB gzip / decoded")
        for r in pages[n]["files_before"][:5]:
            out.append(f"  {r['path']:<60}{r['gzip_kb']:>8.1f} / {r['decoded_kb']:.1f}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=10, help="synthetic project's pages")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    results = measure_pages(args.runs, pages=args.pages)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
