"""A rebuild with nothing changed against plain MkDocs of the same pages (issue 14, target 2),
quicker than scale.py: one synthetic project, built cold once per tool, then whole-process
rebuilds alternated with plain `mkdocs build`, medians of --runs, in seconds of wall time and of
CPU (user + system, which a machine shared with other jobs stretches less).

Each `--tool` (a `site-builder` executable, e.g. another checkout's .venv/bin/site-builder)
gets its own copy of the project and cache; all are measured in the same rounds, so one run
compares code before and after a change.
`--project DIR`: a synthetic project built before, linked with its cache instead of generated
and built cold: minutes saved at 1,000 charts for a tool of the code that built it (the render
cache is keyed by the tool's code, so a changed tool renders every chart again).
Usage: cd bench && python nochange.py [--pages 50 --charts 4] [--runs 5] [--tool PATH ...]
       [--project DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale import BIN, plain_copy
from synthetic import generate


def run(cwd: Path, *cmd: str) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process, through wait4 (which gives its rusage)."""
    clock = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - clock
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{err.decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def _not_the_site(project: Path):  # type: ignore[no-untyped-def]
    """What copytree leaves out of a built project: its site and the last builds' folders."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        if Path(folder) != project:
            return []
        return [n for n in names if n == "site" or n.startswith(".site.")]

    return ignore


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--charts", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tool", action="append", type=Path, help="site-builder executable")
    parser.add_argument("--project", type=Path, help="a project built before, with its cache")
    args = parser.parse_args()
    tools = [p.resolve() for p in args.tool or [BIN / "site-builder"]]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    os.environ.setdefault("TZ", "UTC")
    figures: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if args.project:
            project = args.project.resolve()
            args.pages = len(list((project / "content").rglob("*.md"))) - 1  # but the home page
            args.charts = len(list((project / "data").glob("*.csv"))) // max(args.pages, 1)
        else:
            project = generate(tmpdir / "project", args.pages, args.charts)
        plain = plain_copy(project, tmpdir / "plain")
        copies = []
        for i, tool in enumerate(tools):
            copy = tmpdir / f"tool{i}"
            if args.project:  # its files linked, not copied (the cache replaces, never edits)
                shutil.copytree(project, copy, ignore=_not_the_site(project), copy_function=os.link)
            else:
                shutil.copytree(project, copy)
            run(copy, str(tool), "build")  # cold, or from the cache
            run(copy, str(tool), "build")  # the next one removes the site this one replaced
            copies.append(copy)
        for _ in range(args.runs):
            for i, (tool, copy) in enumerate(zip(tools, copies, strict=True)):
                figures.setdefault(f"rebuild, tool {i}", []).append(run(copy, str(tool), "build"))
            figures.setdefault("plain mkdocs", []).append(
                run(plain, str(BIN / "mkdocs"), "build", "-q")
            )
    print(
        f"{args.pages * args.charts} charts on {args.pages} pages, medians of {args.runs} "
        f"alternated runs; load average {os.getloadavg()[0]:.1f} at the end"
    )
    base = figures["plain mkdocs"]
    base_wall = statistics.median(w for w, _ in base)
    base_cpu = statistics.median(c for _, c in base)
    for i, tool in enumerate(tools):
        print(f"  tool {i}: {tool}")
    for name, values in figures.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(
            f"  {name:<16} wall {wall:6.2f} s ({wall / base_wall:.2f}x)"
            f"   CPU {cpu:6.2f} s ({cpu / base_cpu:.2f}x)"
        )


if __name__ == "__main__":
    main()
