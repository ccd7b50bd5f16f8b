"""Charts and facts in another language, from one chart function: the text a chart draws and
the captions it has come from `data/translations/<locale>.yaml`, kept beside the data:

    charts:
      rare-earth-refining:         # a chart's title, subtitle, description and notes
        title: 中国精炼了全球约九成的稀土
        notes: ["文章所说的“超过90%”是下限。"]
    text:                          # any text charts draw: axis and legend titles, the data's
      Share of refining (%): 精炼份额（%）   # labels, column titles, time formats
      China: 中国
      "%b %Y": "%Y年%-m月"
    facts:                         # a fact's format where the wording differs
      china-refining-floor: "超过{value:.0f}%"

Numbers and dates in the charts follow the language's locale (the spec's `config.locale`,
which vl-convert and the Vega runtime both read). What is missing is reported at its place
in the file, as a warning: strict builds stop on it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .building import AGGREGATE_TITLES, BuiltChart, aggregate_title
from .catalog import Field
from .errors import Problem, WriterError, yaml_problem
from .facts import Fact
from .paths import shown_path
from .pipeline import Project, render
from .specs import field_definitions, is_vega, plotted_rows
from .tables import table_columns

log = logging.getLogger("site_builder")

FOLDER = "translations"

# d3's locales (d3-format, d3-time-format). Chinese keeps "$": the story's amounts are in
# U.S. dollars, which the locale's own currency sign (¥) would misstate.
LOCALES: dict[str, dict[str, Any]] = {
    "zh": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
        "time": {
            "dateTime": "%x %A %X",
            "date": "%Y/%-m/%-d",
            "time": "%H:%M:%S",
            "periods": ["上午", "下午"],
            "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
            "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
            "months": [
                *("一月", "二月", "三月", "四月", "五月", "六月"),
                *("七月", "八月", "九月", "十月", "十一月", "十二月"),
            ],
            "shortMonths": [f"{m}月" for m in range(1, 13)],
        },
    },
}
# Keys whose values name fields, types or operations, never text a reader sees.
_NOT_TEXT = {
    *("field", "fields", "type", "aggregate", "timeUnit", "as", "groupby", "fold", "op"),
    *("name", "key", "lookup", "pivot", "flatten", "stack", "impute", "density", "loess"),
    *("regression", "on", "param", "encodings", "feature", "mesh"),
}
_EXPRESSIONS = {"expr", "test", "filter", "calculate", "labelExpr", "signal"}
# Channels whose values are not drawn as text: links, tooltips (shown on demand, in the data's
# own words), keys.
_NOT_DRAWN = {"tooltip", "href", "url", "key", "detail", "description"}
_TITLED = {"x", "y", "color", "fill", "stroke", "size", "shape", "opacity", "row", "column"}
_GUIDES = ("axis", "legend", "header")  # what draws a channel's title
_QUOTED = re.compile(r"""(['"])((?:(?!\1).)*)\1""")
_CAPTION = ("title", "subtitle", "description", "notes")


@dataclass
class Translations:
    """One language's file: what it says and where (line numbers, for the warnings)."""

    locale: str
    path: str  # as the writer sees it
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # "charts.<id>", "text", "facts.<id>"
    found: bool = True  # False: no file yet

    def line(self, *keys: str) -> int:
        """The line of the first of `keys` the file has; else the file's end."""
        for key in keys:
            if key in self.lines:
                return self.lines[key]
        return self.lines.get("end", 1)


def read_translations(data_dir: Path, locale: str, root: Path) -> Translations:
    """`data/translations/<locale>.yaml`; an empty one when the file is not there yet."""
    path = data_dir / FOLDER / f"{locale}.yaml"
    shown = shown_path(str(path), root)
    if not path.is_file():
        return Translations(locale, shown, found=False)
    text = path.read_text(encoding="utf-8")
    last = _read.get(path)
    if last is None or last[0] != (text, locale, shown):
        last = _read[path] = (text, locale, shown), _parsed(text, locale, shown)
    return last[1]


# A preview reads the same files after every save: each is parsed once, while it is the
# same (only its last text kept).
_read: dict[Path, tuple[tuple[str, str, str], Translations]] = {}


def _parsed(text: str, locale: str, shown: str) -> Translations:
    try:
        node = yaml.compose(text)
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise WriterError(yaml_problem(exc, shown, "quote text that holds ':' or '#'")) from None
    if not isinstance(raw, dict):
        raise WriterError(Problem(shown, "expected sections charts:, text: and facts:", "", 1))
    found = Translations(locale, shown, lines={"end": text.count("\n") + 1})
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        found.lines[key.value] = key.start_mark.line + 1
        for sub, _ in value.value if isinstance(value, yaml.MappingNode) else []:
            found.lines[f"{key.value}.{sub.value}"] = sub.start_mark.line + 1
    found.charts = {str(k): v for k, v in (raw.get("charts") or {}).items() if isinstance(v, dict)}
    found.text = {str(k): str(v) for k, v in (raw.get("text") or {}).items()}
    found.facts = {str(k): str(v) for k, v in (raw.get("facts") or {}).items()}
    return found


@dataclass
class EditionProject(Project):
    """The project as an edition shows it: charts, facts and column titles translated."""

    text: dict[str, str] = field(default_factory=dict)

    def fields_of(self, chart: BuiltChart) -> dict[str, Field]:
        return {
            name: replace(
                f, title=self.text.get(f.title, f.title), unit=self.text.get(f.unit, f.unit)
            )
            for name, f in super().fields_of(chart).items()
        }

    def labels_key(self) -> str:
        return json.dumps(self.text, sort_keys=True, ensure_ascii=False)

    def column_label(self, name: str, fields: dict[str, Field]) -> str:
        return super().column_label(name, fields) if name in fields else self.text.get(name, name)


def localize(
    project: Project, t: Translations, shown: set[str] | None = None
) -> tuple[EditionProject, list[Problem]]:
    """The project in `t`'s language (charts not rendered yet), and what has no translation.

    `shown`: the charts the edition's own pages show (None: all); the others stay as the
    default edition draws them, for the pages it borrows from it."""
    problems: list[Problem] = []
    if not t.found:
        problems.append(
            Problem(
                t.path,
                f"no translations for the '{t.locale}' edition",
                "create it with sections charts:, text: and facts: (see WRITING.md, Editions)",
            )
        )
    charts: dict[str, BuiltChart] = {}
    text_key = json.dumps(t.text, sort_keys=True, ensure_ascii=False)
    used: dict[tuple[str, str], tuple[dict[str, Any], list[str]]] = {}
    for chart_id, chart in project.charts.items():
        if shown is not None and chart_id not in shown:
            charts[chart_id] = chart
            continue
        d = chart.definition
        own = t.charts.get(chart_id, {})
        for key in _CAPTION:
            english = getattr(d, key)
            if key in own or not (english or key in ("title", "description")):
                continue
            problems.append(
                Problem(
                    t.path,
                    f"chart '{chart_id}': no {key} in this language",
                    f"add it under charts: {chart_id}: {key}: (the default: {str(english)[:60]!r})"
                    if english
                    else f"add a {key} under charts: {chart_id}: (the default edition's is "
                    "written from the data)",
                    t.line(f"charts.{chart_id}", "charts"),
                )
            )
        notes = own.get("notes", d.notes)
        definition = replace(
            d,
            title=str(own.get("title", d.title)),
            subtitle=str(own.get("subtitle", d.subtitle)),
            description=str(own.get("description", d.description)),
            notes=[notes] if isinstance(notes, str) else [str(n) for n in notes],
            sources=project.sources_of(chart),  # the same sources, found once
        )
        fields = project.fields_of(chart)
        spec, missing = _localized_spec(chart, t, text_key, used, _label_text(fields, t.text))
        types = {name: f.type for name, f in fields.items()}
        for name in (c.name for c in table_columns(spec, plotted_rows(spec), types)):
            if name not in fields and name not in t.text and _has_words(name):
                problems.append(
                    Problem(
                        t.path,
                        f"chart '{chart_id}' has a data-table column {name!r}, which has no "
                        "translation",
                        f"add it under text:, e.g. {name!r}: ... (or give the column a title "
                        "in the data's descriptor)",
                        t.line("text"),
                    )
                )
        for text in missing:
            problems.append(
                Problem(
                    t.path,
                    f"chart '{chart_id}' draws {text!r}, which has no translation",
                    f"add it under text:, e.g. {text!r}: ...",
                    t.line("text"),
                )
            )
        charts[chart_id] = BuiltChart(definition, spec, list(chart.datasets), "")
    facts = {
        name: replace(f, text=_fact_text(f, t.facts[name])) if name in t.facts else f
        for name, f in project.facts.items()
    }
    for path, refs in sorted(project.pages.items()):
        if shown is not None and not path.endswith(f".{t.locale}.md"):
            continue
        for name, line, column in refs.facts:
            fact = facts.get(name)
            if fact is not None and name not in t.facts and _has_words(fact.text):
                problems.append(
                    Problem(
                        refs.path,
                        f"fact '{name}' reads {fact.text!r}, in the default language",
                        f"give it a format in this language in {t.path} under facts: "
                        f"{name}: ... (e.g. {_digits_only(fact)!r})",
                        line,
                        column,
                    )
                )
    _translated[t.locale] = used  # the specs of this call: the cache stays this size
    edition = EditionProject(
        project.settings,
        project.catalog,
        charts,
        facts,
        project.pages,
        rendered={k: r for k, r in project.rendered.items() if charts[k] is project.charts[k]},
        fact_sources=project.fact_sources,
        text=t.text,
    )
    return edition, problems


# A preview localizes the project again after every save that changes a chart: each other
# chart keeps its translated spec, by locale, while its spec (digest) and the translations are
# the same. Only the specs of the last call are kept.
_translated: dict[str, dict[tuple[str, str], tuple[dict[str, Any], list[str]]]] = {}


def _label_text(fields: dict[str, Field], text: dict[str, str]) -> dict[str, str]:
    """Each column label the build titles axes with (building.titled), in the edition's
    language: its title and unit translated, else the column's own translation, else as it
    is (drawn in the default language, as the figure's table heads it: not reported). An
    aggregate's ("Mean of ...") is said as it is unless the writer translates it."""
    found = {}
    for f in fields.values():
        english = f.label
        if english == f.name:
            continue
        translated = replace(f, title=text.get(f.title, f.title), unit=text.get(f.unit, f.unit))
        label = translated.label if translated.label != english else text.get(f.name, english)
        found[english] = label
        for aggregate in AGGREGATE_TITLES:
            said = aggregate_title(aggregate, english)
            found[said] = said
    return found


def _localized_spec(
    chart: BuiltChart,
    t: Translations,
    text_key: str,
    used: dict[tuple[str, str], tuple[dict[str, Any], list[str]]],
    labels: dict[str, str],
) -> tuple[dict[str, Any], list[str]]:
    """The chart's spec translated, with the locale's number and date formats, and the texts
    it draws that have no translation (`translate_spec`); `labels`: its columns' labels
    translated (`_label_text`), which the writer's own translations overrule. Shared by the
    editions that use it: nothing downstream changes a spec."""
    key = (chart.digest, text_key)
    found = _translated.get(t.locale, {}).get(key) if chart.digest else None
    if found is None:
        spec, missing = translate_spec(chart.spec, {**labels, **t.text})
        if t.locale in LOCALES or t.locale.split("-")[0] in LOCALES:
            locale = LOCALES.get(t.locale) or LOCALES[t.locale.split("-")[0]]
            spec.setdefault("config", {})["locale"] = locale
        found = spec, missing
    if chart.digest:
        used[key] = found
    return found


def _digits_only(fact: Fact) -> str:
    """The fact's default text with its words left out, as an example."""
    return re.sub(r"[^\W\d_]{2,}\s*", "", fact.text).strip()


def prepare_edition(project: Project, locale: str) -> EditionProject:
    """The project in another language, its charts rendered; what has no translation yet is
    a warning (strict builds stop on it)."""
    settings = project.settings
    shown = {
        chart_id
        for path, refs in project.pages.items()
        if path.endswith(f".{locale}.md")
        for chart_id, _ in refs.charts
    }
    found = read_translations(settings.data_dir, locale, settings.root)
    edition, problems = localize(project, found, shown)
    for problem in problems:
        log.warning("%s", problem)
    # Render only the charts it draws in its language; the others are the default's.
    borrowed, everything = edition.rendered, edition.charts
    edition.charts = {k: c for k, c in everything.items() if k in shown}
    render(edition)
    edition.rendered.update(borrowed)
    edition.charts = everything
    return edition


def _fact_text(fact: Fact, form: str) -> str:
    try:
        return form.format(value=fact.value)
    except (ValueError, KeyError, IndexError):
        return fact.text


def translate_spec(spec: dict[str, Any], text: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """A copy of the spec with every text a reader sees translated, and the texts it draws
    that `text` has no translation of (in order, once each)."""
    if is_vega(spec):
        return _copy(spec), []
    drawn = list(_drawn(spec))
    out = _translate(spec, text, "")  # copied as it is translated: one walk of the tree
    for channel, name, definition in field_definitions(out):
        # Without a title of its own, an axis or legend is titled with the field's name; a
        # channel drawn with neither (axis: null, legend: null) shows no title.
        hidden = any(k in definition and definition[k] is None for k in _GUIDES)
        if (
            channel in _TITLED
            and not hidden
            and "title" not in definition
            and "aggregate" not in definition
        ):
            drawn.append(name)
            if name in text:
                definition["title"] = text[name]
    missing = [s for s in dict.fromkeys(drawn) if s not in text and _has_words(s)]
    return out, missing


def _translate(node: Any, text: dict[str, str], key: str) -> Any:
    """A new tree: `node` with its texts translated (what names fields or operations is copied
    as it is)."""
    if isinstance(node, dict):
        return {
            k: _copy(value) if k in _NOT_TEXT else _translate(value, text, k)
            for k, value in node.items()
        }
    if isinstance(node, list):
        return [_translate(item, text, key) for item in node]
    if isinstance(node, str):
        if key in _EXPRESSIONS:
            return _QUOTED.sub(
                lambda m: m.group(1) + text.get(m.group(2), m.group(2)) + m.group(1), node
            )
        return text.get(node, node)
    return node


def _copy(node: Any) -> Any:
    """A copy of a JSON tree (copy.deepcopy, without its bookkeeping: a map's spec is big)."""
    if isinstance(node, dict):
        return {k: _copy(value) for k, value in node.items()}
    if isinstance(node, list):
        return [_copy(item) for item in node]
    return node


def _drawn(spec: dict[str, Any]) -> Iterator[str]:
    """Texts the chart draws: titles, mark text, and the values of fields drawn as labels."""
    yield from _titles(spec)
    rows = [row for table in _tables(spec) for row in table if isinstance(row, dict)]
    for channel, name, definition in field_definitions(spec):
        if definition.get("type") not in ("nominal", "ordinal") or channel in _NOT_DRAWN:
            continue
        for row in rows:
            value = row.get(name)
            if isinstance(value, str):
                yield value


def _tables(node: Any) -> Iterator[list[Any]]:
    """Every inline table of a Vega-Lite spec: its datasets and each view's data values."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "datasets" and isinstance(value, dict):
                yield from (rows for rows in value.values() if isinstance(rows, list))
            elif key == "values" and isinstance(value, list):
                yield value
            else:
                yield from _tables(value)
    elif isinstance(node, list):
        for item in node:
            yield from _tables(item)


def _titles(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, value in node.items():
            if k == "labelExpr" and isinstance(value, str):  # labels it writes, quoted
                yield from (m.group(2) for m in _QUOTED.finditer(value))
            elif k in ("title", "subtitle", "text") and not isinstance(value, dict):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        yield item
            elif k not in ("datasets", "data"):
                yield from _titles(value)
    elif isinstance(node, list):
        for item in node:
            yield from _titles(item)


def _has_words(text: str) -> bool:
    """Text a reader must have in their language: not a number, a date or a symbol alone."""
    return bool(re.search(r"[^\W\d_]{2,}", text))
