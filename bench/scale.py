"""Speed at scale, as ratios to baselines measured in the same run (issue 7's benchmark).

Generates a synthetic project (bench/synthetic.py) and measures whole processes, alternating
each figure with its baseline, medians of --runs:
  (a) cold build vs the floor: the same charts' Vega-Lite spec and SVG written by vl-convert
      and nothing else, serially and with 2 processes;
  (b) no-change rebuild vs plain `mkdocs build` of the same pages without charts;
  (c) rebuild after editing one CSV vs the floor for one chart in a fresh process;
plus peak memory, cache hits and the build's own stage timings. Prints a table and writes JSON.
Usage: python bench/scale.py [--pages 250 --charts 4] [--runs 3] [--json bench/scale.json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import generate

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
    from site_builder.render import themed_specs

    root = project.resolve()
    settings = pipeline.Settings(
        root, root / "content", root / "data", root / "charts", root / ".cache" / "site-builder"
    )
    dest.mkdir()
    for chart in pipeline.prepare(settings).charts.values():
        page, _ = themed_specs(chart)
        (dest / f"{chart.id}.json").write_text(json.dumps(page))


def plain_copy(project: Path, dest: Path) -> Path:
    """The same pages without charts or the plugin, for plain MkDocs."""
    shutil.copytree(project / "content", dest / "content")
    for page in (dest / "content").glob("*.md"):
        page.write_text(re.sub(r"/// chart \| [^\n]+\n///\n", "", page.read_text()))
    config = (project / "mkdocs.yml").read_text().replace("[search, site-builder]", "[search]")
    (dest / "mkdocs.yml").write_text(config)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--charts", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    notes: dict[str, str] = {}

    def add(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        project = generate(tmpdir / "project", args.pages, args.charts)
        specs = tmpdir / "specs"
        dump_specs(project, specs)
        plain = plain_copy(project, tmpdir / "plain")
        one_spec = tmpdir / "one"
        one_spec.mkdir()
        first = sorted(specs.glob("*.json"))[0]
        shutil.copy(first, one_spec / first.name)
        csv_file = sorted((project / "data").glob("*.csv"))[0]
        site_builder = str(BIN / "site-builder")
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
            seconds, rss, log = run(project, site_builder, "build")
            add("cold build", seconds)
            add("cold build peak MB", rss)
            summary = re.search(r"site-builder: .*", log)
            notes["cold build"] = summary.group(0) if summary else ""
            seconds, _, _ = run(plain, str(BIN / "mkdocs"), "build", "-q")
            add("plain mkdocs", seconds)
            seconds, rss, log = run(project, site_builder, "build")
            add("no-change rebuild", seconds)
            summary = re.search(r"site-builder: .*", log)
            notes["no-change rebuild"] = summary.group(0) if summary else ""
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            seconds, _, _ = run(tmpdir, sys.executable, "-c", FLOOR, "1", str(one_spec), str(out))
            add("one-chart floor", seconds)
            text = csv_file.read_text()
            csv_file.write_text(
                text.replace(",g1\n", ",g2\n", 1)
                if i % 2 == 0
                else text.replace(",g2\n", ",g1\n", 1)
            )
            seconds, _, log = run(project, site_builder, "build")
            add("one-CSV rebuild", seconds)
            summary = re.search(r"site-builder: .*", log)
            notes["one-CSV rebuild"] = summary.group(0) if summary else ""
    med = {k: statistics.median(v) for k, v in figures.items()}
    ratios = {
        "cold build / floor serial": med["cold build"] / med["floor serial"],
        "cold build / floor 2 processes": med["cold build"] / med["floor 2 processes"],
        "no-change rebuild / plain mkdocs": med["no-change rebuild"] / med["plain mkdocs"],
        "one-CSV rebuild / one-chart floor": med["one-CSV rebuild"] / med["one-chart floor"],
    }
    charts = args.pages * args.charts
    print(f"{charts} charts on {args.pages} pages, medians of {args.runs} runs")
    for name, value in med.items():
        print(f"  {name:<36} {value:9.2f}")
    for name, value in ratios.items():
        print(f"  {name:<36} {value:9.2f}x")
    for name, text in notes.items():
        print(f"  {name}: {text}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "charts": charts,
                    "pages": args.pages,
                    "runs": args.runs,
                    "medians": med,
                    "ratios": ratios,
                    "builds": notes,
                    "date": time.strftime("%Y-%m-%d"),
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
