"""Where a preview rebuild goes: serve's builds run in this process on a copy of the sample
story, one file saved before each, the last one under cProfile. Prints each rebuild's seconds
(flat over a long preview, or not) and the CPU seconds it took in this process and the render
processes (the work done, which a machine shared with other jobs stretches less than the
seconds), then the profile's top functions by cumulative time.
Usage: cd bench && python rebuild_profile.py markdown|csv|code [--saves 10] [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from preview import story

URL = "http://127.0.0.1:8000/"


def save(project: Path, plan: dict[str, str], kind: str, n: int) -> None:
    """The n-th save of one kind, as preview.py makes it."""
    if kind == "markdown":
        page = project / plan["markdown"]
        page.write_text(page.read_text(encoding="utf-8") + f"\nSave {n}.\n", encoding="utf-8")
        return
    path, (old, new) = (
        (project / plan["csv"], plan["csv_edit"])
        if kind == "csv"
        else (project / plan["code"], (plan["code_edit"][0], plan["code_edit"][1]))
    )
    text = path.read_text(encoding="utf-8")
    if kind == "csv":
        text = text.replace(*((old, new) if n % 2 == 0 else (new, old)), 1)
    else:
        current = old if n == 0 else new.replace("{run}", str(n - 1))
        text = text.replace(current, new.replace("{run}", str(n)), 1)
    path.write_text(text, encoding="utf-8")


def cpu_seconds() -> float:
    """CPU time of this process and of its render processes so far."""
    total = time.process_time()
    tick = os.sysconf("SC_CLK_TCK")
    for child in multiprocessing.active_children():
        try:
            fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone, or not Linux
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["markdown", "csv", "code"])
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    # As `site-builder serve` runs it: mkdocs-static-i18n reads --dirty from the command line.
    sys.argv = [sys.argv[0], "serve", "--dirty"]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        project, plan = story(Path(tmp) / "story")
        os.chdir(project)

        def config() -> object:
            loaded = load_config(config_file="mkdocs.yml", site_dir=str(Path(tmp) / "site"))
            loaded.site_url = URL
            return loaded

        first = config()
        first.plugins.on_startup(command="serve", dirty=True)  # type: ignore[attr-defined]
        clock = time.perf_counter()
        build(first, serve_url=URL, dirty=True)  # type: ignore[arg-type]
        print(f"first build {time.perf_counter() - clock:.2f} s")
        profile = cProfile.Profile()
        for n in range(args.saves):
            save(project, plan, args.kind, n)
            again = config()
            last = n == args.saves - 1
            clock, work = time.perf_counter(), cpu_seconds()
            if last:
                profile.enable()
            build(again, serve_url=URL, dirty=True)  # type: ignore[arg-type]
            if last:
                profile.disable()
            seconds, work = time.perf_counter() - clock, cpu_seconds() - work
            print(f"{args.kind} save {n}: rebuild {seconds:.3f} s, CPU {work:.3f} s", flush=True)
        again.plugins.on_shutdown()  # type: ignore[attr-defined]
        shutil.rmtree(Path(tmp) / "site", ignore_errors=True)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
