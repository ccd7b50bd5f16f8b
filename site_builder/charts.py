"""Chart definitions: the decorator writers use, discovery of `charts/*.py`, building specs."""

from __future__ import annotations

import importlib.util
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog, Source
from .errors import ChartError, Problem, nearest
from .paths import inside, outside_problem, shown_path
from .urls import is_web_url

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class ChartDef:
    """What a writer declared with `@chart`."""

    id: str
    func: Callable[..., Any]
    data: list[str]
    title: str
    subtitle: str = ""
    description: str = ""
    notes: list[str] = field(default_factory=list)
    sources: list[Source] | None = None
    path: str = ""  # as the writer sees it
    line: int = 0
    file: str = ""  # absolute, to find the writer's lines in a traceback


@dataclass
class Declarations:
    """Everything registered while the chart modules were imported."""

    charts: list[ChartDef] = field(default_factory=list)
    facts: list[Any] = field(default_factory=list)  # facts.FactDef, registered by @fact
    problems: list[Problem] = field(default_factory=list)
    complete: bool = True  # False when a module failed to load: its charts are unknown


# Filled while discover() imports the writer's modules; the decorators append here.
_collecting: Declarations | None = None


def collector() -> Declarations:
    """The declarations being collected (or a throwaway one when a module is imported directly)."""
    global _collecting
    if _collecting is None:
        _collecting = Declarations()
    return _collecting


def chart(
    id: str,
    *,
    data: str | Sequence[str],
    title: str,
    subtitle: str = "",
    description: str = "",
    notes: str | Sequence[str] = (),
    sources: Sequence[dict[str, str] | tuple[str, str]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a chart function under a stable id.

    The function receives the named datasets as pandas tables, in the order of `data`, and
    returns an Altair chart. `description` is the alt text read by screen readers.
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        code = func.__code__
        collector().charts.append(
            ChartDef(
                id=id,
                func=func,
                data=[data] if isinstance(data, str) else list(data),
                title=title,
                subtitle=subtitle,
                description=description,
                notes=[notes] if isinstance(notes, str) else list(notes),
                sources=None if sources is None else [_as_source(s) for s in sources],
                path=code.co_filename,
                line=code.co_firstlineno,
                file=code.co_filename,
            )
        )
        return func

    return register


def _as_source(value: dict[str, str] | tuple[str, str]) -> Source:
    if isinstance(value, dict):
        return Source(title=value.get("title", ""), url=value.get("path") or value.get("url", ""))
    return Source(title=value[0], url=value[1])


def discover(charts_dir: Path, root: Path) -> Declarations:
    """Import every `charts/*.py` (files starting with `_` are helpers) and collect declarations.

    Problems are returned with what was found, so that the rest can still be checked.
    """
    global _collecting
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
    _collecting = found
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
        _collecting = None
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
        line = _line_in(exc, path)
        return Problem(
            shown,
            f"the module failed to load: {type(exc).__name__}: {exc}",
            "fix the line shown; a chart module runs when the site builds",
            line,
        )
    return None


def _line_in(exc: BaseException, path: Path) -> int | None:
    """The last line of `path` in the exception's traceback: where the writer's code failed."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno
    return line


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


@dataclass
class BuiltChart:
    """A chart definition with its Vega-Lite spec, ready to render."""

    definition: ChartDef
    spec: dict[str, Any]
    datasets: list[str]  # names of the catalogue tables it was built from
    digest: str = ""  # of the spec's JSON when known, so a rebuild need not serialise it again

    @property
    def id(self) -> str:
        return self.definition.id


# The most rows a chart embeds (Altair's own limit): beyond it a page would carry the table.
MAX_ROWS = 5000
_THEME = "site-builder"


def _to_spec(result: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The chart's Vega-Lite spec, and the Vega-Lite spec to check (the same one).

    For a big table, a Vega spec with the chart's transforms (aggregates, bins) already run by
    VegaFusion, so only what is drawn is embedded; it is checked as Vega-Lite over a few rows.
    """
    import altair as alt

    try:
        spec = result.to_dict()
        return spec, spec
    except Exception as exc:
        if type(exc).__name__ != "MaxRowsError":
            raise
    from .theme import THEME

    if _SAMPLE not in alt.data_transformers.names():
        alt.data_transformers.register(_SAMPLE, _first_rows)
    with alt.data_transformers.enable(_SAMPLE):
        sample = result.to_dict()
    # Vega has no Vega-Lite config: the theme goes in before compiling.
    if _THEME not in alt.theme.names():
        alt.theme.register(_THEME, enable=False)(lambda: alt.theme.ThemeConfig(config=THEME))  # type: ignore[typeddict-item]
    with alt.theme.enable(_THEME), alt.data_transformers.enable("vegafusion", max_rows=MAX_ROWS):
        return result.to_dict(format="vega"), sample


_SAMPLE = "site-builder-first-rows"


def _first_rows(data: Any) -> Any:
    """Altair data transformer: a table's first rows, enough to check a chart's fields."""
    import altair as alt

    return alt.to_values(data.head(20) if hasattr(data, "head") else data)


def _build_altair_lookup_once() -> None:
    """Altair hashes all ~570 of its schemas again on every `from_dict` (each shorthand such
    as x="value:Q"), about 12 ms each time: a third of building a chart. The lookup table
    depends only on the classes, so build it once per set of classes and reuse it."""
    from altair.utils import schemapi

    lookup = getattr(schemapi, "_FromDict", None)
    if lookup is None or getattr(lookup, "_site_builder_reuses_table", False):
        return  # another Altair than the one this was written for, or already done
    build = lookup.__init__
    tables: dict[tuple[type, ...], Any] = {}

    def reuse(self: Any, wrapper_classes: Any, /) -> None:
        classes = tuple(wrapper_classes)
        if classes not in tables:
            build(self, classes)
            tables[classes] = self.class_dict
        self.class_dict = tables[classes]

    lookup.__init__ = reuse
    lookup._site_builder_reuses_table = True


def build_chart(definition: ChartDef, catalog: Catalog) -> BuiltChart:
    """Call the writer's function with its tables; check what comes back."""
    import altair as alt

    _build_altair_lookup_once()

    from .specs import check_spec

    tables = [catalog.datasets[name].for_chart() for name in definition.data]
    path, line = definition.path, definition.line
    try:
        result = definition.func(*tables)
    except Exception as exc:
        raise ChartError(
            Problem(
                path,
                f"chart '{definition.id}' raised {type(exc).__name__}: {exc}",
                "fix the chart function; it gets the tables "
                + ", ".join(definition.data)
                + " as pandas DataFrames",
                _line_in(exc, Path(definition.file)) or line,
            )
        ) from None
    if not isinstance(result, alt.TopLevelMixin):
        raise ChartError(
            Problem(
                path,
                f"chart '{definition.id}' returned {type(result).__name__}, not an Altair chart",
                "end the function with 'return alt.Chart(...)...'",
                line,
            )
        )
    try:
        spec, checked = _to_spec(result)
    except Exception as exc:
        if type(exc).__name__ == "MaxRowsError":
            rows = max((len(t) for t in tables if hasattr(t, "__len__")), default=0)
            raise ChartError(
                Problem(
                    path,
                    f"chart '{definition.id}' would draw more than {MAX_ROWS} of its {rows} rows",
                    "aggregate in the encoding (e.g. y='count()', x=alt.X('value:Q', bin=True), "
                    "'mean(value):Q'), or in the function with table.groupby(...).agg(...), "
                    "or filter the table to the rows the chart shows",
                    line,
                )
            ) from None
        if isinstance(exc, KeyError):  # VegaFusion, over a big table, looking for a column
            columns = sorted({str(c) for t in tables if hasattr(t, "columns") for c in t.columns})
            raise ChartError(
                Problem(
                    path,
                    f"chart '{definition.id}' encodes a column its table does not have ({exc})",
                    f"available columns: {', '.join(repr(c) for c in columns) or '(none)'}",
                    line,
                )
            ) from None
        # The first line, and the cause when it only announces one (no JavaScript stack).
        lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
        lines = [ln for ln in lines if not ln.startswith("at ")] or [type(exc).__name__]
        first = " ".join(lines[:2]) if lines[0].endswith(":") else lines[0]
        raise ChartError(
            Problem(
                path,
                f"chart '{definition.id}' is not a valid Vega-Lite chart: {first}",
                "check the encodings and mark options against the Altair documentation",
                line,
            )
        ) from None
    messages = check_spec(checked)
    if messages:
        raise ChartError(
            [Problem(path, f"chart '{definition.id}': {m}", h, line) for m, h in messages]
        )
    return BuiltChart(definition=definition, spec=spec, datasets=list(definition.data))
