"""The rebuild after one CSV changes (issue 14, target 3), alone and quickly: a synthetic
project (bench/synthetic.py) built cold once, then, alternating in each run, a rebuild with
nothing changed, the one-chart floor (vl-convert writing one chart's spec and SVG in a fresh
process, as in scale.py) and a rebuild after one CSV changes to values not seen before (so
its chart is built and rendered again, not taken from the cache); medians of --runs, with the
builds' own stage timings. With --against DIR (another checkout, e.g. main), its code is
measured the same way, each of its builds alternated with ours, on its own copy.
Usage: cd bench && python one_csv.py [--pages 10 --charts 4] [--runs 5] [--against DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from scale import BIN, FLOOR, dump_specs, run, stages
from synthetic import generate

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--charts", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, default=None, help="another checkout")
    args = parser.parse_args()
    codes = {"this": HERE} | ({"against": args.against.resolve()} if args.against else {})
    figures: dict[str, list[float]] = {}

    def build(code: str, project: Path, label: str) -> None:
        os.environ["PYTHONPATH"] = str(codes[code])  # whose site_builder the build imports
        seconds, _, log = run(project, str(BIN / "site-builder"), "build")
        figures.setdefault(f"{code}: {label}", []).append(seconds)
        for stage, value in stages(log).items():
            figures.setdefault(f"{code}: {label}: {stage}", []).append(value)

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        first = generate(tmpdir / "project", args.pages, args.charts)
        projects = {code: first for code in codes}
        if args.against:
            projects["against"] = Path(shutil.copytree(first, tmpdir / "against"))
        specs = tmpdir / "specs"
        dump_specs(first, specs)
        one = tmpdir / "one"
        one.mkdir()
        spec = sorted(specs.glob("*.json"))[0]
        shutil.copy(spec, one / spec.name)
        for code, project in projects.items():
            build(code, project, "cold build")
        for i in range(args.runs):
            for code, project in projects.items():
                build(code, project, "no-change rebuild")
            out = tmpdir / f"floor{i}"
            out.mkdir()
            seconds, _, _ = run(tmpdir, sys.executable, "-c", FLOOR, "1", str(one), str(out))
            figures.setdefault("one-chart floor", []).append(seconds)
            for code, project in projects.items():
                # A value not seen before, so the chart is built and rendered, not cached.
                csv_file = sorted((project / "data").glob("*.csv"))[0]
                lines = csv_file.read_text().split("\n")
                x, _, group = lines[1].split(",")
                lines[1] = f"{x},{1000 + i},{group}"
                csv_file.write_text("\n".join(lines))
                build(code, project, "one-CSV rebuild")
    med = {k: statistics.median(v) for k, v in figures.items()}
    print(f"{args.pages * args.charts} charts on {args.pages} pages, medians of {args.runs} runs")
    for name, value in med.items():
        print(f"  {name:<52} {value:7.2f} s")
    floor = med["one-chart floor"]
    for code in codes:
        limit = med[f"{code}: no-change rebuild"] + 1.5 * floor
        got = med[f"{code}: one-CSV rebuild"]
        verdict = "met" if got <= limit else "NOT met"
        print(
            f"  {code}: one-CSV rebuild {got:.2f} s against {limit:.2f} s "
            f"(no-change + 1.5x the one-chart floor): {verdict}"
        )


if __name__ == "__main__":
    main()
