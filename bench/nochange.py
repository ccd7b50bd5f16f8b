"""A rebuild with nothing changed against plain MkDocs of the same pages (issue 14, target 2),
quicker than scale.py: one synthetic project, built cold once per tool, then whole-process
rebuilds alternated with plain `mkdocs build`, medians of --runs, in seconds of wall time and of
CPU (user + system, which a machine shared with other jobs stretches less).

Each `--tool` (a `site-builder` executable, e.g. another checkout's .venv/bin/site-builder)
gets its own copy of the project and cache; all are measured in the same rounds, so one run
compares code before and after a change.
Usage: cd bench && python nochange.py [--pages 50 --charts 4] [--runs 5] [--tool PATH ...]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--charts", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tool", action="append", type=Path, help="site-builder executable")
    args = parser.parse_args()
    tools = [p.resolve() for p in args.tool or [BIN / "site-builder"]]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    os.environ.setdefault("TZ", "UTC")
    figures: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        project = generate(tmpdir / "project", args.pages, args.charts)
        plain = plain_copy(project, tmpdir / "plain")
        copies = []
        for i, tool in enumerate(tools):
            copy = tmpdir / f"tool{i}"
            shutil.copytree(project, copy)
            run(copy, str(tool), "build")  # cold
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
