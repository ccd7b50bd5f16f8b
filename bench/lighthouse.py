"""What charts cost readers: Lighthouse on every page of the sample story (issue 14, target 7).

Builds the story into a temporary folder, serves it on 127.0.0.1 with text gzipped (as a
static host would, bench/page_weight.py's server) and runs Lighthouse (npm, pinned in
package.json) in its default mode: a mobile phone with simulated slow 4G and a 4x slower
CPU, performance category only. Chromium comes from CHROME_PATH (default /usr/bin/chromium).

Per page, medians of --runs: performance score, total blocking time, cumulative layout
shift, largest contentful paint and the page's HTML bytes; then each target, met or not:
every page with charts within 2 points of the chart-free page (the one without a figure,
"Data and methods"), total blocking time <= 200 ms, layout shift <= 0.02, HTML <= 150 KB.

Scores swing on a busy 2-core machine: read them as medians, run with --runs 3 or more.
A machine other jobs share moves the scores far more than that (10 points and more at a load
of 10 on 2 cores; the load average is printed): compare changes with bench/main_thread.py,
which counts CPU time, and read these figures on a quiet machine.
Usage: python bench/lighthouse.py [--runs 3] [--site DIR] [--pages claims/ ...] [--json PATH]
       [--reports DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import build_story, serve

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
# The targets of issue 14, item 7.
SCORE_GAP = 2  # points below the chart-free page
TBT_MS = 200
CLS = 0.02
HTML_KB = 150
EMBED_BODY = re.compile(r'<body[^>]*\bclass="[^"]*\bsb-embed\b')


def story_pages(site: Path) -> list[tuple[str, Path, bool]]:
    """Each story page: its path on the site, its file, and whether it shows a chart."""
    pages = []
    for html in sorted(site.rglob("index.html")):
        rel = html.relative_to(site).parent.as_posix()
        if rel.split("/")[0] in ("search", "assets"):
            continue
        text = html.read_text(encoding="utf-8")
        if EMBED_BODY.search(text):
            continue  # a chart's embed page (each edition has its own), not a story page
        path = "" if rel == "." else f"{rel}/"
        pages.append((path, html, 'class="sb-figure"' in text))
    return pages


def lighthouse(url: str, keep: Path | None = None) -> dict[str, float]:
    """One Lighthouse run of one page: score (0-100), TBT (ms), CLS, LCP (ms).

    `keep`: where to write the whole report (long tasks, main-thread work per script)."""
    out = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--output-path=stdout",
            "--only-categories=performance",
            "--quiet",
            f"--chrome-flags={FLAGS}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROME},
    )
    if out.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{out.stderr[-2000:]}")
    report = json.loads(out.stdout)
    if keep:
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_text(out.stdout, encoding="utf-8")
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
    }


def measure(
    site: Path, runs: int, reports: Path | None = None, only: list[str] | None = None
) -> list[dict[str, Any]]:
    """Medians per page; `only`: these paths (such as claims/) and the chart-free pages."""
    pages = [p for p in story_pages(site) if only is None or p[0] in only or not p[2]]
    results: dict[str, list[dict[str, float]]] = {path: [] for path, _, _ in pages}
    with serve(site) as base:
        for run in range(runs):  # runs alternate over pages, so a busy moment hits all alike
            for path, _, _ in pages:
                print(f"  run {run + 1}/{runs}: /{path}", file=sys.stderr)
                keep = None
                if reports:
                    keep = reports / f"{path.strip('/').replace('/', '-') or 'home'}.{run + 1}.json"
                results[path].append(lighthouse(base + path, keep))
    rows = []
    for path, html, charts in pages:
        row: dict[str, Any] = {"page": f"/{path}", "charts": charts}
        for key in ("score", "tbt_ms", "cls", "lcp_ms"):
            row[key] = statistics.median(r[key] for r in results[path])
        row["scores"] = [r["score"] for r in results[path]]  # how far the runs spread
        row["html_kb"] = html.stat().st_size / 1000
        rows.append(row)
    return rows


def targets(rows: list[dict[str, Any]]) -> list[tuple[bool, str, str]]:
    """Each target: met or not, its name, and the figure that decides it."""
    plain = [r["score"] for r in rows if not r["charts"]]
    charted = [r for r in rows if r["charts"]]
    floor = max(plain) - SCORE_GAP if plain else None
    worst = min(charted, key=lambda r: r["score"])
    tbt = max(charted, key=lambda r: r["tbt_ms"])
    cls = max(rows, key=lambda r: r["cls"])
    html = max(rows, key=lambda r: r["html_kb"])
    return [
        (
            floor is not None and worst["score"] >= floor,
            f"pages with charts within {SCORE_GAP} points of the chart-free page ({max(plain)})"
            if plain
            else "a chart-free page to compare with",
            f"lowest {worst['score']:.0f} ({worst['page']})",
        ),
        (
            tbt["tbt_ms"] <= TBT_MS,
            f"total blocking time <= {TBT_MS} ms",
            f"highest {tbt['tbt_ms']:.0f} ms ({tbt['page']})",
        ),
        (cls["cls"] <= CLS, f"layout shift <= {CLS}", f"highest {cls['cls']:.3f} ({cls['page']})"),
        (
            html["html_kb"] <= HTML_KB,
            f"HTML <= {HTML_KB} KB a page",
            f"largest {html['html_kb']:.0f} KB ({html['page']})",
        ),
    ]


def table(rows: list[dict[str, Any]], runs: int) -> str:
    lines = [
        f"Lighthouse 12, mobile, default throttling, medians of {runs}",
        f"  {'page':<16} {'charts':>6} {'score':>5} {'TBT ms':>7} {'CLS':>6} {'LCP ms':>7}"
        f" {'HTML KB':>8}  scores",
    ]
    for r in rows:
        lines.append(
            f"  {r['page']:<16} {'yes' if r['charts'] else 'no':>6} {r['score']:>5.0f}"
            f" {r['tbt_ms']:>7.0f} {r['cls']:>6.3f} {r['lcp_ms']:>7.0f} {r['html_kb']:>8.0f}"
            f"  {' '.join(str(s) for s in r.get('scores', []))}"
        )
    lines.append("Issue 14 target 7: charts cost readers nothing")
    for met, name, figure in targets(rows):
        lines.append(f"  {'met    ' if met else 'NOT met'} {name}: {figure}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--reports", type=Path, help="keep each run's whole report in this folder")
    parser.add_argument(
        "--pages",
        nargs="+",
        help="only these pages (such as claims/ zh/claims/) and the chart-free",
    )
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run npm ci (it is pinned in package.json)")
    if not Path(CHROME).exists():
        sys.exit(f"no Chromium at {CHROME}: set CHROME_PATH")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_story(Path(tmp) / "story")
        load = os.getloadavg()[0]
        rows = measure(site, args.runs, args.reports, args.pages)
        load = max(load, os.getloadavg()[0])
    print(table(rows, args.runs))
    # Lighthouse times tasks by the clock: on a busy machine its figures are the machine's.
    print(f"Load average (1 min) up to {load:.1f} on {os.cpu_count()} cores during the runs")
    if args.json:
        args.json.write_text(
            json.dumps({"runs": args.runs, "load": round(load, 1), "pages": rows}, indent=1) + "\n"
        )


if __name__ == "__main__":
    main()
