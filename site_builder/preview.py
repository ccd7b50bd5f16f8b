"""What the live preview keeps between rebuilds besides the last build's project (snapshot.py):
each edition's project, made again only when what it is made from changed. A Markdown edit
that moves no chart or fact leaves every edition's charts and facts as they were, so its
rebuild translates and renders nothing."""

from __future__ import annotations

import dataclasses
import importlib
import threading
from typing import Any

from . import snapshot, translations
from .pipeline import Project, Settings
from .pool import start_pool
from .reach import chart_print

# locale -> (what made it, the edition's project, the warnings making it logged)
_editions: dict[str, tuple[Any, Project, list[str]]] = {}


def edition_project(project: Project, locale: str) -> Project:
    """`translations.prepare_edition(project, locale)`, or the one made last time from the
    same charts, facts, pages and translations (its warnings logged again)."""
    made_from = _inputs(project, locale)
    last = _editions.get(locale)
    if last is not None and last[0] == made_from:
        snapshot.replay(last[2])
        return dataclasses.replace(last[1], pages=project.pages, timings={})
    with snapshot.warnings_logged() as warnings:
        edition = translations.prepare_edition(project, locale)
    _editions[locale] = (made_from, edition, list(warnings))
    return edition


# What a rebuild after a table or chart-code edit imports that a preview started from the
# snapshot has not (about 3 s). Libraries only, each after those it imports: a module of ours
# imported by both threads at once could be met half made.
_REBUILD_MODULES = ("pyarrow", "pandas", "altair", "vegafusion", "vl_convert")


def warm_up(settings: Settings) -> threading.Thread:
    """Import what a rebuild after a data or chart edit needs, and start a render process,
    in the background while the writer reads the preview: the first such rebuild does not
    wait for them."""

    def warm() -> None:
        for name in _REBUILD_MODULES:
            importlib.import_module(name)
        start_pool(settings.workers, processes=1)

    thread = threading.Thread(target=warm, name="site-builder-warm-up", daemon=True)
    thread.start()
    return thread


def _inputs(project: Project, locale: str) -> Any:
    settings = project.settings
    path = settings.data_dir / translations.FOLDER / f"{locale}.yaml"
    return (
        settings,
        path.read_bytes() if path.is_file() else None,
        [(chart_id, chart_print(project, chart_id)) for chart_id in project.charts],
        [(fact_id, fact) for fact_id, fact in project.facts.items()],
        [(name, ds.digest) for name, ds in project.catalog.datasets.items()],
        project.pages,
        project.fact_sources,
    )
