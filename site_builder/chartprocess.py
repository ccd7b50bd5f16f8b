"""A process that imports what the writer's chart code needs (pandas, Arrow, Altair: about
a second) while the build itself starts MkDocs: a rebuild after a table edit then loads that
table and builds its charts there (partial.py), and this process never imports them.

Started by `site-builder build` when the project has a cache, so before anything knows
whether the rebuild will need it; ended at once when it will not.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

from .cache import note_used, used_marks
from .errors import WriterError

log = logging.getLogger("site_builder")

_started: tuple[BaseProcess, Connection] | None = None

_J = TypeVar("_J")
_R = TypeVar("_R")


def start_for(root: Path) -> None:
    """Start the process when the project holds the last build's snapshot (in the default
    cache folder): a cold build imports the libraries itself."""
    if (root / ".cache" / "site-builder" / "snapshot").is_dir():
        start()


def start() -> None:
    global _started
    if _started is not None:
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # as the render processes: no fork
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, os.getpid()), name="chart-code")
    process.start()
    theirs.close()
    _started = (process, ours)
    atexit.register(stop)


def started() -> bool:
    """Whether a process is waiting for a job."""
    return _started is not None


def run(func: Callable[[_J], _R], job: _J) -> tuple[bool, _R | None]:
    """(True, `func(job)`) made in the started process, whose log lines are logged here; a
    writer's problem there is raised here. (False, None) when no process was started or it
    failed: the caller makes it itself."""
    return receive() if send(func, job) else (False, None)


_sent: tuple[BaseProcess, Connection] | None = None


def send(func: Callable[[_J], Any], job: _J) -> bool:
    """`func(job)` handed to the started process, for `receive`; False if none is started."""
    global _started, _sent
    if _started is None:
        return False
    process, conn = _started
    _started = None
    try:
        conn.send((func, job))
    except (OSError, pickle.PickleError, AttributeError, TypeError) as exc:
        log.debug("chart process: %r; making the charts here", exc)
        process.kill()
        conn.close()
        return False
    _sent = (process, conn)
    return True


def ready() -> bool:
    """Whether the job `send` handed over is done (or no job was sent)."""
    return _sent is None or _sent[1].poll()


def receive() -> tuple[bool, Any]:
    """What the job `send` handed over made, as `run` says."""
    global _sent
    if _sent is None:
        return False, None
    process, conn = _sent
    _sent = None
    try:
        kind, value, records, used = conn.recv()
    except (EOFError, OSError, pickle.PickleError, AttributeError, TypeError) as exc:
        log.debug("chart process: %r; making the charts here", exc)
        process.kill()
        return False, None
    finally:
        conn.close()
    process.join(5)
    if kind == "bug":  # what it logged is logged again as the build makes the charts
        log.debug("chart process failed; making the charts here:\n%s", value)
        return False, None
    for level, message in records:
        log.log(level, "%s", message)
    note_used(used)
    if kind == "writer":
        raise WriterError(value)
    return True, value


def stop() -> None:
    """End the process if it is still there: this build does not need it (or is over)."""
    global _started, _sent
    for found in (_started, _sent):
        if found is not None:
            process, conn = found
            process.kill()
            conn.close()
            process.join(5)
    _started = _sent = None


class _Keep(logging.Handler):
    """What the job logs, for the build to log again in its own process."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


def _serve(conn: Connection, parent: int) -> None:
    """In the started process: the libraries imported, then one job done."""
    from .pool import watch_parent

    watch_parent(parent)
    _warm()
    try:
        func, job = conn.recv()
    except (EOFError, OSError):
        return
    keep = _Keep()
    logger = logging.getLogger("site_builder")
    logger.addHandler(keep)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    outcome: tuple[str, Any]
    try:
        outcome = ("ok", func(job))
    except WriterError as exc:
        outcome = ("writer", exc.problems)
    except BaseException:
        outcome = ("bug", traceback.format_exc())
    try:
        conn.send((*outcome, keep.records, used_marks()))
    except (pickle.PickleError, AttributeError, TypeError):
        conn.send(("bug", traceback.format_exc(), keep.records, used_marks()))


def _warm() -> None:
    """What a chart's build imports, and Altair's first validation of a spec."""
    import altair as alt
    import pandas as pd

    from . import building, fastload, loader  # noqa: F401

    alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
