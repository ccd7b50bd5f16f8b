"""The no-change fast path: when no input of the data and charts changed since the last good
build, the project (specs, facts, rendered charts) comes back from one file, without importing
pandas, Arrow, Altair or vl-convert and without running a chart function.

Pages are not in the digest: they are read and checked again on every build, which is cheap.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from . import filedigests
from .cache import installed_version, read_entry, tool_digest, write_entry
from .filedigests import file_digest, files_under

if TYPE_CHECKING:
    from .pipeline import Project, Settings

log = logging.getLogger("site_builder")

# What shapes a project besides its files: each changes the specs, checks or renders.
_LIBRARIES = ("altair", "vegafusion", "vl-convert-python", "pandas", "frictionless")


def input_digest(settings: Settings) -> str:
    """Every file under data/ and charts/ (names and bytes), the limits, the libraries and
    this tool's code."""
    h = hashlib.sha256(tool_digest().encode())
    for name in _LIBRARIES:
        h.update(f"\0{name} {installed_version(name)}".encode())
    h.update(repr(settings.limits).encode())
    filedigests.recall(settings.cache_dir)
    for folder in (settings.data_dir, settings.charts_dir):
        h.update(b"\0" + str(folder).encode())
        for name, path, _ in files_under(folder):
            h.update(b"\0" + name.encode() + b"\0")
            h.update(file_digest(path).encode())  # read again only when changed
    filedigests.keep(settings.cache_dir)
    return h.hexdigest()


# The last project loaded or saved, so that a preview does not read it again on every save.
_last: tuple[str, Project, list[str]] | None = None


def held(settings: Settings, digest: str) -> bool:
    """Whether the project of these inputs is the one this process loaded or saved last."""
    return _last is not None and _last[0] == digest and _last[1].settings == settings


def load(settings: Settings, digest: str) -> tuple[Project, list[str]] | None:
    """The project of the last good build with these inputs and the warnings it logged."""
    global _last
    if held(settings, digest):
        assert _last is not None
        return dataclasses.replace(_last[1]), _last[2]
    # The digest first: a rebuild after an edit finds another build's snapshot, and reading
    # one takes half a second (the sample story) for nothing.
    kept = read_entry(settings.cache_dir / "snapshot", "latest", [".digest"])
    if kept is None or kept[".digest"] != digest.encode():
        return None
    entry = read_entry(settings.cache_dir / "snapshot", "latest", [".pickle"])
    if entry is None:
        return None
    try:
        saved_digest, project, warnings = pickle.loads(entry[".pickle"])
    except Exception:  # made by another version, or damaged: build the slow way
        return None
    if saved_digest != digest:
        return None
    project.settings = settings
    _last = (digest, project, warnings)
    return dataclasses.replace(project), warnings


def save(project: Project, digest: str, warnings: list[str]) -> None:
    """Keep the project without its tables or chart functions (nothing a rebuild needs)."""
    from .datasets import is_plain

    catalog = dataclasses.replace(
        project.catalog,
        datasets={
            name: dataclasses.replace(
                ds,
                frame=None,
                download_as_is=is_plain(ds) if ds.is_table else None,
                rows=ds.row_count if ds.is_table else 0,
            )
            for name, ds in project.catalog.datasets.items()
        },
    )
    charts = {
        chart_id: dataclasses.replace(
            chart, definition=dataclasses.replace(chart.definition, func=no_function)
        )
        for chart_id, chart in project.charts.items()
    }
    rendered = {k: dataclasses.replace(r, from_cache=True) for k, r in project.rendered.items()}
    light = dataclasses.replace(
        project, catalog=catalog, charts=charts, pages={}, rendered=rendered, pending=None
    )
    data = pickle.dumps((digest, light, warnings), protocol=pickle.HIGHEST_PROTOCOL)
    write_entry(
        project.settings.cache_dir / "snapshot",
        "latest",
        {".pickle": data, ".digest": digest.encode()},
    )
    global _last
    _last = (digest, light, warnings)


def no_function(*args: Any) -> Any:
    raise RuntimeError("a chart from the snapshot is not built again")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def warnings_logged() -> Iterator[list[str]]:
    """The warnings logged inside, so a build from the snapshot can log them again (a strict
    build must still stop on them)."""
    handler = _Collect()
    log.addHandler(handler)
    try:
        yield handler.messages
    finally:
        log.removeHandler(handler)


def replay(warnings: list[str]) -> None:
    for message in warnings:
        log.warning("%s", message)
