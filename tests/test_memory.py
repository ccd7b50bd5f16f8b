"""What a build holds in memory once it is done: nothing that grows with the data (issue 14,
memory). Specs' rows, tables, SVGs, figure text and social cards are on disk, in the cache
or the site, and read from there when a stage needs them; the build keeps names, digests and
small facts about each chart."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

import pandas as pd
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from site_builder import figure

pytestmark = pytest.mark.slow  # builds a whole site

ROOT = Path(__file__).resolve().parent.parent
BIG_TEXT = 4000  # characters: an SVG, a figure's HTML or a CSV is longer; names and digests not

# Code reaches every module's globals: what a build holds is data, not code.
_CODE = (type, ModuleType, FunctionType, MethodType, BuiltinFunctionType)


def reachable(roots: Iterable[Any]) -> Iterator[Any]:
    """Every object the roots hold, directly or not, short of code."""
    seen: set[int] = set()
    todo = list(roots)
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, _CODE):
            continue
        seen.add(id(obj))
        yield obj
        todo.extend(gc.get_referents(obj))


def grows_with_data(obj: Any) -> bool:
    """A table, a spec (rows inline), or a text or image as big as a chart's."""
    if isinstance(obj, pd.DataFrame):
        return True
    if isinstance(obj, dict) and ("$schema" in obj or "values" in obj):
        return True
    return isinstance(obj, (str, bytes)) and len(obj) > BIG_TEXT


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    """Two pages of two charts each (bar, line, scatter) over tables of 20-2,000 rows."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synthetic import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return generate(tmp_path / "project", pages=2, charts=2)


def test_a_build_holds_no_rows_tables_or_images(synthetic: Path) -> None:
    config = load_config(str(synthetic / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    plugin = config.plugins["site-builder"]
    project = plugin.project
    assert len(project.charts) == 4 and len(project.rendered) == 4
    assert all(chart.held_spec is None for chart in project.charts.values())
    # What the figures, pages and embed pages were made from is still there to read back.
    chart = project.charts["t000-1"]
    assert len(chart.spec["datasets"][chart.spec["data"]["name"]]) > 20
    assert project.rendered["t000-1"].svg.startswith("<svg")
    held = [
        obj for obj in reachable([project, plugin.outputs, plugin.figures]) if grows_with_data(obj)
    ]
    shown = [f"{type(o).__name__} of {len(o)}: {str(o)[:60]!r}" for o in held[:5]]
    assert held == [], shown
    # The SVG-finishing step keeps the last chart's two SVGs, not every chart's.
    assert figure.accessible_svg.cache_info().currsize <= 2
