"""Speed at scale, as ratios to baselines measured in the same run (issue 7's benchmark).

Generates a synthetic project (bench/synthetic.py) and measures whole processes, alternating
each figure with its baseline, medians of --runs:
  (a) cold build vs the floor: the same charts' Vega-Lite spec and SVG written by vl-convert
      and nothing else, serially and with 2 processes;
  (b) no-change rebuild vs plain `mkdocs build` of the same pages without charts;
  (c) rebuild after editing one CSV vs the floor for one chart in a fresh process;
plus peak memory, cache hits and the build's own stage timings; plain MkDocs with and without
Material's navigation.prune; a chart over a 1,000,000-row CSV (time, peak memory, spec size);
and, in headless Chromium, page weight and time to visible charts (bench/page_weight.py).
Prints one table, each issue-7 target with its figure, and writes JSON.
Usage: cd bench && python scale.py [--pages 250 --charts 4] [--runs 3] [--big 1000000]
       [--no-browser] [--json scale.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from page_weight import CHROMIUM
from synthetic import generate, generate_big

BIN = Path(sys.executable).parent
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); r = subprocess.run(sys.argv[2:], cwd=sys.argv[1],"
    " capture_output=True, text=True)\n"
    "dt = time.perf_counter() - t\n"
    "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
    "sys.stderr.write(r.stderr)\n"
)
FLOOR = (
    "import json, sys, pathlib, vl_convert as vlc\n"
    "from multiprocessing import Pool\n"
    "def one(p):\n"
    "    spec = json.loads(pathlib.Path(p).read_text())\n"
    "    svg = vlc.vegalite_to_svg(spec, allowed_base_urls=[])\n"
    "    out = pathlib.Path(sys.argv[3]) / pathlib.Path(p).name\n"
    "    out.with_suffix('.svg').write_text(svg); out.write_text(json.dumps(spec))\n"
    "if __name__ == '__main__':\n"
    "    files = sorted(str(p) for p in pathlib.Path(sys.argv[2]).glob('*.json'))\n"
    "    n = int(sys.argv[1])\n"
    "    if n > 1:\n"
    "        with Pool(n) as pool: pool.map(one, files, chunksize=4)\n"
    "    else:\n"
    "        [one(f) for f in files]\n"
)


def run(cwd: Path, *cmd: str) -> tuple[float, float, str]:
    """Seconds, peak memory (MB) and stderr of one whole process."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(cwd), *cmd], capture_output=True, text=True
    )
    seconds, rss, code = out.stdout.split()
    if code != "0":
        sys.exit(out.stderr)
    return float(seconds), int(rss) / 1024, out.stderr


def dump_specs(project: Path, dest: Path) -> None:
    """The page specs the build renders, written once for the floor runs (not timed)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from site_builder import pipeline
    from site_builder.render import page_spec

    root = project.resolve()
    settings = pipeline.Settings(
        root, root / "content", root / "data", root / "charts", root / ".cache" / "site-builder"
    )
    dest.mkdir()
    for chart in pipeline.prepare(settings).charts.values():
        page = page_spec(chart)
        (dest / f"{chart.id}.json").write_text(json.dumps(page))


def plain_copy(project: Path, dest: Path, prune: bool = True) -> Path:
    """The same pages without charts or the plugin, for plain MkDocs."""
    shutil.copytree(project / "content", dest / "content")
    for page in (dest / "content").rglob("*.md"):
        page.write_text(re.sub(r"/// chart \| [^\n]+\n///\n", "", page.read_text()))
    config = (project / "mkdocs.yml").read_text().replace("[search, site-builder]", "[search]")
    if not prune:
        config = config.replace("features: [navigation.prune]", "features: []")
    (dest / "mkdocs.yml").write_text(config)
    return dest


# The build's summary line (plugin.py, on_post_build); progress lines such as "site-builder:
# pages: 100 written" come before it in a big build.
SUMMARY = re.compile(r"site-builder: \d+ pages, \d+ charts .*")


def summary_line(log: str) -> str:
    """The build's summary line in its log, or "" if it has none."""
    found = SUMMARY.findall(log)
    return found[-1] if found else ""


def stages(log: str) -> dict[str, float]:
    """The build's own stage timings, from its summary line."""
    timings = summary_line(log).split(";")[-1]
    return {name: float(value) for name, value in re.findall(r"(\w+) ([\d.]+) s", timings)}


def big_table(tmpdir: Path, rows: int) -> dict[str, float]:
    """A cold build of two charts over one CSV of `rows` rows: seconds, peak MB, spec KB."""
    project = generate_big(tmpdir / "big", rows)
    seconds, rss, log = run(project, str(BIN / "site-builder"), "build")
    specs = list((project / "site").rglob("*.vl.json"))
    return {
        "rows": rows,
        "csv MB": (project / "data" / "trips.csv").stat().st_size / 2**20,
        "cold build s": seconds,
        "peak MB": rss,
        "largest spec KB": max(p.stat().st_size for p in specs) / 1024,
        **{f"{k} s": v for k, v in stages(log).items()},
    }


def shard_check(tmpdir: Path, project: Path) -> dict[str, Any]:
    """`build --shard 1/2` and `2/2` on copies with empty caches, then a build given both
    caches: seconds of each, and whether its site is the cold build's, byte for byte."""
    seconds = []
    caches = []
    for index in (1, 2):
        copy = tmpdir / f"shard{index}"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache", "site"))
        seconds.append(run(copy, str(BIN / "site-builder"), "build", "--shard", f"{index}/2")[0])
        caches.append(copy / ".cache")
    final = tmpdir / "assembled"
    shutil.copytree(project, final, ignore=shutil.ignore_patterns(".cache", "site"))
    for cache in caches:
        shutil.copytree(cache, final / ".cache", dirs_exist_ok=True)
        shutil.rmtree(cache.parent)
    assembly, _, _ = run(final, str(BIN / "site-builder"), "build")
    identical = _tree(final / "site") == _tree(project / "site")
    shutil.rmtree(final)
    note = (
        f"shards {seconds[0]:.1f} s and {seconds[1]:.1f} s, assembly {assembly:.1f} s, "
        f"site {'identical' if identical else 'DIFFERENT'}"
    )
    return {"shard s": seconds, "assembly s": assembly, "identical": identical, "note": note}


def _tree(folder: Path) -> dict[str, bytes]:
    import hashlib

    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).digest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=250)
    parser.add_argument("--charts", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", type=int, default=1_000_000, help="rows; 0 to skip")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    notes: dict[str, str] = {}

    def add(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    def build(label: str) -> None:
        """One whole `site-builder build`: its time, peak memory and stage timings."""
        seconds, rss, log = run(project, str(BIN / "site-builder"), "build")
        add(label, seconds)
        add(f"{label} peak MB", rss)
        for stage, value in stages(log).items():
            add(f"{label}: {stage}", value)
        notes[label] = summary_line(log)

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        project = generate(tmpdir / "project", args.pages, args.charts)
        specs = tmpdir / "specs"
        dump_specs(project, specs)
        plain = plain_copy(project, tmpdir / "plain")
        unpruned = plain_copy(project, tmpdir / "unpruned", prune=False)
        one_spec = tmpdir / "one"
        one_spec.mkdir()
        first = sorted(specs.glob("*.json"))[0]
        shutil.copy(first, one_spec / first.name)
        csv_file = sorted((project / "data").glob("*.csv"))[0]
        for i in range(args.runs):
            out = tmpdir / f"floor{i}"
            for n, label in ((1, "floor serial"), (2, "floor 2 processes")):
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                seconds, _, _ = run(
                    tmpdir, sys.executable, "-c", FLOOR, str(n), str(specs), str(out)
                )
                add(label, seconds)
            shutil.rmtree(project / ".cache", ignore_errors=True)
            shutil.rmtree(project / "site", ignore_errors=True)
            build("cold build")
            seconds, _, _ = run(plain, str(BIN / "mkdocs"), "build", "-q")
            add("plain mkdocs", seconds)
            seconds, _, _ = run(unpruned, str(BIN / "mkdocs"), "build", "-q")
            add("plain mkdocs, no navigation.prune", seconds)
            # As a writer's rebuilds follow one another: this one removes the site the last
            # one replaced (in the background), as every rebuild after the first does.
            run(project, str(BIN / "site-builder"), "build")
            build("no-change rebuild")
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            seconds, _, _ = run(tmpdir, sys.executable, "-c", FLOOR, "1", str(one_spec), str(out))
            add("one-chart floor", seconds)
            # A value not seen before, so the chart is built and rendered, not taken from the
            # cache (as in one_csv.py).
            lines = csv_file.read_text().split("\n")
            x, _, group = lines[1].split(",")
            lines[1] = f"{x},{1000 + i},{group}"
            csv_file.write_text("\n".join(lines))
            build("one-CSV rebuild")
        shards = shard_check(tmpdir, project)
        big = big_table(tmpdir, args.big) if args.big else {}
        preview: dict[str, dict[str, float]] = {}
        if not args.no_browser and Path(CHROMIUM).exists():
            from preview import measure, story, synthetic_plan

            for label, (copy, plan) in (
                ("sample story", story(tmpdir / "preview-story")),
                (f"{args.pages * args.charts} charts", (project, synthetic_plan())),
            ):
                times = measure(copy, plan, args.runs)
                preview[label] = {k: statistics.median(v) for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in figures.items()}
    ratios = {
        "cold build / floor serial": med["cold build"] / med["floor serial"],
        "cold build / floor 2 processes": med["cold build"] / med["floor 2 processes"],
        "no-change rebuild / plain mkdocs": med["no-change rebuild"] / med["plain mkdocs"],
        "one-CSV rebuild / one-chart floor": med["one-CSV rebuild"] / med["one-chart floor"],
        "plain mkdocs / same without prune": med["plain mkdocs"]
        / med["plain mkdocs, no navigation.prune"],
    }
    from page_weight import measure_pages
    from page_weight import table as browser_table

    browser: dict[str, Any] = {}
    if not args.no_browser and not Path(CHROMIUM).exists():
        print(f"No Chromium at {CHROMIUM} (set CHROME_PATH): no page figures", file=sys.stderr)
    elif not args.no_browser:
        browser = measure_pages(args.runs)
    charts = args.pages * args.charts
    print(f"{charts} charts on {args.pages} pages, medians of {args.runs} runs, seconds")
    for name, value in med.items():
        print(f"  {name:<44} {value:9.2f}")
    for name, value in ratios.items():
        print(f"  {name:<44} {value:9.2f}x")
    for name, text in notes.items():
        print(f"  {name}: {text}")
    if big:
        print(f"A chart over a {big['rows']:,}-row CSV ({big['csv MB']:.0f} MB), one cold build")
        for name, value in big.items():
            print(f"  {name:<44} {value:9.2f}")
    if browser:
        print(browser_table(browser))
    if preview:
        from preview import table as preview_table

        print(preview_table(preview))
    print(f"  shards: {shards['note']}")
    targets = _targets(ratios, med, big, browser, preview, shards)
    print("Issue 14 targets (and issue 7's for big tables and pages)")
    for name, (figure, met) in targets.items():
        print(f"  {'met    ' if met else 'NOT met'} {name}: {figure}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "date": time.strftime("%Y-%m-%d"),
                    "machine": f"{os.cpu_count()} cores, {platform.platform()}",
                    "charts": charts,
                    "pages": args.pages,
                    "runs": args.runs,
                    "medians": med,
                    "ratios": ratios,
                    "builds": notes,
                    "big_table": big,
                    "browser": browser,
                    "preview": preview,
                    "shards": shards,
                    "targets": {k: {"figure": f, "met": m} for k, (f, m) in targets.items()},
                },
                indent=1,
            )
        )


def _targets(
    ratios: dict[str, float],
    med: dict[str, float],
    big: dict[str, float],
    browser: dict[str, Any],
    preview: dict[str, dict[str, float]],
    shards: dict[str, Any],
) -> dict[str, tuple[str, bool]]:
    """Each of the issue's targets with the figure measured here."""
    out = {}
    cold = ratios["cold build / floor 2 processes"]
    out["1 cold build <= 1.2x the 2-process floor"] = (f"{cold:.2f}x", cold <= 1.2)
    same = ratios["no-change rebuild / plain mkdocs"]
    out["2 no-change rebuild <= 1.2x plain MkDocs"] = (f"{same:.2f}x", same <= 1.2)
    limit = med["no-change rebuild"] + 1.5 * med["one-chart floor"]
    one = med["one-CSV rebuild"]
    out["3 one-CSV rebuild <= no-change rebuild + 1.5x the one-chart floor"] = (
        f"{one:.2f} s against {limit:.2f} s",
        one <= limit,
    )
    if preview:
        from preview import targets as preview_targets

        out.update(preview_targets(preview))
    peak = max(v for k, v in med.items() if k.endswith("peak MB"))
    out["5 peak memory <= 400 MB"] = (f"{peak:.0f} MB", peak <= 400)
    out["6 two shards + assembly give the one build's site"] = (
        shards["note"],
        bool(shards["identical"]),
    )
    for name, page in browser.get("pages", {}).items():
        t3 = page["target3"]
        out[f"issue 7: {name}: charts before DOMContentLoaded, <= 180 KB gzip before view"] = (
            f"{t3['before_kb_gzip']:.0f} KB, early: {'yes' if t3['visible_before_dcl'] else 'no'}",
            bool(t3["met"]),
        )
    if big:
        fast = big["largest spec KB"] < 50 and big["cold build s"] < 15
        out[f"issue 7: chart over {big['rows']:,.0f} rows: spec < 50 KB, a few seconds"] = (
            f"{big['largest spec KB']:.1f} KB, {big['cold build s']:.1f} s, "
            f"{big['peak MB']:.0f} MB peak",
            fast,
        )
    return out


if __name__ == "__main__":
    main()
