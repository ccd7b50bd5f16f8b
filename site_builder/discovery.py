"""Discovery of the writer's chart modules (`charts/*.py`) and checks of what they declare."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .charts import SLUG, ChartDef, Declarations, collect_into
from .errors import Problem, nearest
from .paths import inside, outside_problem, shown_path
from .sourcelines import traceback_line
from .urls import is_web_url


def discover(charts_dir: Path, root: Path) -> Declarations:
    """Import every `charts/*.py` (files starting with `_` are helpers) and collect declarations.

    Problems are returned with what was found, so that the rest can still be checked.
    """
    found = Declarations()
    problems = found.problems
    if not charts_dir.is_dir():
        return found
    # A module linked from outside the project, or a helper that one would import: run none.
    outside = [p for p in sorted(charts_dir.rglob("*.py")) if not inside(p, root)]
    if outside:
        problems.extend(outside_problem(p, root) for p in outside)
        found.complete = False
        return found
    collect_into(found)
    sys.path.insert(0, str(charts_dir))
    before = set(sys.modules)
    try:
        for path in sorted(charts_dir.glob("*.py")):
            if path.name.startswith("_"):
                continue
            problem = _import_module(path, root)
            if problem:
                problems.append(problem)
                found.complete = False
    finally:
        collect_into(None)
        sys.path.remove(str(charts_dir))
        # Forget helper modules so the next build (e.g. during serve) sees their edits.
        for name in set(sys.modules) - before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(charts_dir)):
                del sys.modules[name]
    for item in found.charts + found.facts:
        item.path = shown_path(item.path, root)
    problems += _check_declarations(found)
    return found


def _import_module(path: Path, root: Path) -> Problem | None:
    shown = shown_path(str(path), root)
    spec = importlib.util.spec_from_file_location(f"site_builder_charts.{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        return Problem(
            shown,
            f"Python syntax error: {exc.msg}",
            "fix the line shown",
            exc.lineno,
            exc.offset,
        )
    except Exception as exc:
        line = traceback_line(exc, path)
        return Problem(
            shown,
            f"the module failed to load: {type(exc).__name__}: {exc}",
            "fix the line shown; a chart module runs when the site builds",
            line,
        )
    return None


def _check_declarations(found: Declarations) -> list[Problem]:
    problems = check_ids(found.charts, "chart")
    for c in found.charts:
        if not c.title.strip():
            problems.append(
                Problem(c.path, f"chart '{c.id}' has no title", "add title='...'", c.line)
            )
        for source in c.sources or []:
            if not is_web_url(source.url):
                problems.append(
                    Problem(
                        c.path,
                        f"chart '{c.id}': source '{source.title}' has no http(s) URL "
                        f"({source.url!r}); a link to it could run script",
                        "give each of sources=[...] a 'title' and a 'path' starting with https://",
                        c.line,
                    )
                )
    return problems


def check_ids(items: Sequence[Any], noun: str) -> list[Problem]:
    """Ids of charts or facts: slugs, each used once."""
    problems = []
    seen: dict[str, Any] = {}
    for item in items:
        if not SLUG.match(item.id):
            problems.append(
                Problem(
                    item.path,
                    f"{noun} id '{item.id}' is not a slug",
                    "use lowercase letters, digits and single hyphens, e.g. 'rare-earth-refining'",
                    item.line,
                )
            )
        if item.id in seen:
            first = seen[item.id]
            problems.append(
                Problem(
                    item.path,
                    f"{noun} id '{item.id}' is already used at {first.path}:{first.line}",
                    f"give each {noun} a unique id",
                    item.line,
                )
            )
        seen.setdefault(item.id, item)
    return problems


def check_data_names(items: Sequence[Any], catalog_names: list[str]) -> list[Problem]:
    """Every dataset a chart or fact names must exist in the catalogue."""
    problems = []
    for item in items:
        for name in item.data:
            if name not in catalog_names:
                kind = "chart" if isinstance(item, ChartDef) else "fact"
                problems.append(
                    Problem(
                        item.path,
                        f"{kind} '{item.id}' uses unknown dataset '{name}'",
                        nearest(name, catalog_names),
                        item.line,
                    )
                )
    return problems
