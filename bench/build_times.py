"""Build times of the sample story: cold (no cache), cached, one CSV edited, and `check`.

Each figure is the median of several whole-process runs, in alternation, on a copy of the
project. Usage: python bench/build_times.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def copy_project(dest: Path) -> Path:
    dest.mkdir()
    for name in ("content", "data", "charts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def timed(project: Path, *args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "site-builder"), *args], cwd=project, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(result.stderr)
    return elapsed


def touch_csv(project: Path, run: int) -> None:
    """Edit one cell that one chart shows (a tooltip text), so exactly that chart is stale."""
    path = project / "data" / "chip_export_deals.csv"
    old = "not finalised per White House)"
    new = "not finalised per White House) " if run % 2 == 0 else old
    text = path.read_text(encoding="utf-8").replace(old + " ", old).replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    figures: dict[str, list[float]] = {"cold": [], "cached": [], "one-csv": [], "check": []}
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "story")
        for run in range(runs):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            figures["cold"].append(timed(project, "build"))
            figures["cached"].append(timed(project, "build"))
            touch_csv(project, run)
            figures["one-csv"].append(timed(project, "build"))
            figures["check"].append(timed(project, "check"))
    cold = statistics.median(figures["cold"])
    print(f"{'build':<10} {'median s':>9} {'min s':>7} {'vs cold':>8}   ({runs} runs each)")
    for name, values in figures.items():
        med = statistics.median(values)
        print(f"{name:<10} {med:9.2f} {min(values):7.2f} {med / cold:8.2f}")


if __name__ == "__main__":
    main()
