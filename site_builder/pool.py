"""The render processes: started once and kept alive across builds (and `serve` rebuilds),
since the renderer's start-up costs about a second in each; used by the charts' renders
(render.py) and the social cards (outputs.py)."""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger("site_builder")

_pool: ProcessPoolExecutor | None = None
_pool_size = 0

_J = TypeVar("_J")
_R = TypeVar("_R")


def pool_size(workers: int = 0) -> int:
    """How many render processes `workers` means (0: one per core, at most 4)."""
    return workers or min(os.cpu_count() or 1, 4)


def start_pool(workers: int = 0, processes: int | None = None) -> None:
    """Start the render processes now, so that their start-up (the renderer's engine, ~1 s)
    overlaps the build's loading of data and charts; nothing with one process.

    `processes`: how many to start now (default: all); more start as charts are sent."""
    size = pool_size(workers)
    if size > 1:
        # Each submission starts one more process, up to `size`.
        for _ in range(min(size, processes or size)):
            _executor(size).submit(warm)


def submit(func: Callable[[_J], _R], job: _J, workers: int = 0) -> Future[_R]:
    """`func(job)` in a render process (done at once in this one with a single core)."""
    size = pool_size(workers)
    if size <= 1:
        done: Future[_R] = Future()
        done.set_result(filtered(func, job))
        return done
    return _executor(size).submit(filtered, func, job)


def running() -> bool:
    """Whether the render processes are up (a cold build started them)."""
    return _pool is not None


def submit_if_running(func: Callable[[_J], _R], job: _J) -> Future[_R] | None:
    """`func(job)` in the render processes if they are running (a cold build started them);
    None if not, so that a job or two do not start them."""
    return _pool.submit(filtered, func, job) if _pool is not None else None


def in_pool(
    func: Callable[[_J], _R], jobs: list[_J], workers: int = 0, progress: bool = False
) -> list[_R]:
    """`func` over `jobs` in the render processes (in this one for a single job or core).

    `func` must be a module-level function: the processes import it.
    """
    size = pool_size(workers)
    if size <= 1 or (len(jobs) == 1 and _pool is None):
        return [filtered(func, job) for job in jobs]
    try:
        results = _executor(size).map(functools.partial(filtered, func), jobs)
        if progress:
            return [logged_progress(i, len(jobs), r) for i, r in enumerate(results, 1)]
        return list(results)
    except BrokenProcessPool:
        shutdown_pool()
        return [func(job) for job in jobs]


def _executor(size: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != size:
        import multiprocessing

        shutdown_pool()
        # spawn: forking a process that has threads (serve, the renderer) can deadlock.
        _pool = ProcessPoolExecutor(
            size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=watch_parent,
            initargs=(os.getpid(),),
        )
        _pool_size = size
    return _pool


def warm() -> None:
    """The renderer's engine started (in a render process, before its first chart)."""
    from . import render  # noqa: F401  (what a chart's job runs, imported before it comes)
    from .fonts import renderer

    renderer().vegalite_to_svg({"mark": "point"}, allowed_base_urls=[])


def filtered(func: Callable[[_J], _R], job: _J) -> _R:
    """`func(job)` with the engine's console output left out (engine_output_filtered)."""
    with engine_output_filtered():
        return func(job)


@contextlib.contextmanager
def engine_output_filtered() -> Iterator[None]:
    """Around a render, in whichever process runs it: what is written on stderr meanwhile
    is held, then written out without the renderer's JavaScript errors and their stacks,
    which it prints before the same error comes back as an exception (the build reports
    that, with a hint). Other lines, a native crash's included, come out after it."""
    sys.stderr.flush()
    kept = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(kept, 2)
            os.close(kept)
            held.seek(0)
            lines = held.read().decode("utf-8", "replace").splitlines(keepends=True)
            shown = [line for line in lines if not _ENGINE_NOISE.match(line)]
            if shown:
                sys.stderr.write("".join(shown))
                sys.stderr.flush()


# The engine's console: "ERROR Error: ..." and the stack lines under it.
_ENGINE_NOISE = re.compile(r"ERROR \w*Error\b|\s+at \S")


def watch_parent(parent: int) -> None:
    """In a render process: end when the build that started it is gone, however it ended
    (killed, or stopped with its workers still busy), instead of lingering."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()
    # Once the pool shuts down, end at once: the interpreter's own teardown (pandas, Altair,
    # the renderer's engine) would hold the build's exit up by tenths of a second.
    atexit.register(_end_now)


def _end_now() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


_T = TypeVar("_T")


def logged_progress(done: int, total: int, outcome: _T) -> _T:
    """A line every tenth of a long render, so a big build shows it is moving."""
    step = max(1, total // 10)
    if total >= 20 and (done % step == 0 or done == total):
        log.info("charts: rendering %d/%d", done, total)
    return outcome


def shutdown_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


atexit.register(shutdown_pool)
