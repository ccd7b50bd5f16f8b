"""Reading a chart's spec: which data it uses, which fields it encodes, what it plots.

Most specs are Vega-Lite; a chart over a big table is a Vega spec with its data pre-aggregated.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any, TypeGuard

from .urls import is_safe_link
from .variants import is_vega

# Keys whose value is a sub-view that inherits its parent's data.
_VIEW_LISTS = ("layer", "hconcat", "vconcat", "concat")
_VIEW_ONE = ("spec",)


def check_spec(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems a renderer would hide: data from URLs, encodings of columns that do not exist."""
    problems: list[tuple[str, str]] = []
    if is_vega(spec):  # compiled from Altair with its fields checked: only the data to check
        return [_url_problem(d) for d in spec.get("data", []) if "url" in d]
    datasets = spec.get("datasets", {})
    views = list(_views(spec, None, frozenset()))
    # Rows a transform filters or changes are not the rows drawn: those are not checked.
    transformed = any(view.get("transform") for view, _, _ in views)
    for view, data, made in views:
        if isinstance(data, dict) and "url" in data:
            problems.append(_url_problem(data))
            continue
        rows = _rows(data, datasets)
        problems += _link_problems(view.get("encoding", {}), rows)
        columns = _columns(data, datasets)
        if columns is None:
            continue
        if not transformed:
            problems += _log_problems(view.get("encoding", {}), rows, columns)
            problems += _text_quantity_problems(view.get("encoding", {}), rows, columns)
        known = columns | made
        for method, raw in [*_read_fields(view), *_expression_fields(view)]:
            name = _unescape(raw)
            if (
                name not in known
                and _root(raw) not in made
                and not _holds_objects(rows, _root(raw))
                and "*" not in made
            ):
                problems.append(
                    (
                        f"{method} reads column '{name}', which its table does not have "
                        "(the chart would draw nothing for it)",
                        column_hint(name, columns),
                    )
                )
        channels = {**_facet_channels(view), **(view.get("encoding") or {})}
        encoded = list(_encoded_fields(channels, escaped=True))
        if "facet" in view:  # a facet may split by what its views' transforms make
            made = made | {f for _, _, m in _views(view.get("spec", {}), data, made) for f in m}
        for raw in sorted(set(encoded)):
            name = _unescape(raw)
            if name in columns and _NESTED.search(raw):
                problems.append(
                    (
                        f"encodes column '{name}', whose '.' or '[' Vega-Lite reads as a nested "
                        "field (the chart would come out empty)",
                        f"escape it in the chart as {_escape(name)!r}, or rename the column",
                    )
                )
            elif (
                name not in columns
                and name not in made
                and _root(raw) not in made  # a field inside an object a transform made
                and not _holds_objects(rows, _root(raw))  # or that the table holds
                and "*" not in made
            ):
                problems.append(
                    (
                        f"encodes column '{name}', which its table does not have",
                        column_hint(name, columns),
                    )
                )
    return list(dict.fromkeys(problems))  # each once, though several views draw it


def column_hint(name: str, columns: Iterable[str]) -> str:
    """The table's columns, the nearest to `name` first when one is close."""
    ordered = sorted(columns)
    close = difflib.get_close_matches(name, ordered, n=1, cutoff=0.6)
    available = ", ".join(f"'{c}'" for c in ordered) or "(none)"
    return (f"did you mean '{close[0]}'? " if close else "") + f"available columns: {available}"


_NESTED = re.compile(r"(?<!\\)[.\[]")


def _root(raw: str) -> str:
    """The object a nested field reads from: `last` for `last['date']` or `last.date`."""
    return _unescape(_NESTED.split(raw, maxsplit=1)[0])


def _holds_objects(rows: list[Any], name: str) -> bool:
    """Whether the rows' column `name` holds objects (GeoJSON's `properties`), whose fields a
    chart reads as `name.field`."""
    return any(isinstance(r, dict) and isinstance(r.get(name), dict | list) for r in rows)


def _url_problem(data: dict[str, Any]) -> tuple[str, str]:
    return (
        f"loads data from a URL ({data['url']!r}); the build never fetches data",
        "pass a table from data/ to alt.Chart(...) instead",
    )


def _escape(name: str) -> str:
    return re.sub(r"([.\[\]])", r"\\\1", name)


def plotted_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the chart's main table (the largest inline dataset)."""
    if is_vega(spec):
        inline = [d["values"] for d in spec.get("data", []) if isinstance(d.get("values"), list)]
        return list(sorted(inline, key=len)[-1]) if inline else []
    datasets = spec.get("datasets", {})
    top = spec.get("data")
    if isinstance(top, dict) and top.get("name") in datasets:
        return list(datasets[top["name"]])
    if isinstance(top, dict) and isinstance(top.get("values"), list):
        return list(top["values"])
    tables = [rows for rows in datasets.values() if isinstance(rows, list)]
    return max(tables, key=len) if tables else []


def filters_rows(spec: dict[str, Any]) -> bool:
    """Whether some view of a Vega-Lite chart filters its rows."""
    return not is_vega(spec) and any(
        isinstance(t, dict) and "filter" in t
        for view, _, _ in _views(spec, None, frozenset())
        for t in view.get("transform", []) or []
    )


def field_definitions(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(channel, field, definition) for every field any view encodes, conditions included.

    None for a Vega spec: its encodings are compiled already.
    """
    if is_vega(spec):
        return
    for view, _, _ in _views(spec, None, frozenset()):
        yield from _definitions_of({**_facet_channels(view), **(view.get("encoding") or {})})


def encoded_definitions(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(channel, definition) for every field definition a view's encoding (or facet) holds
    itself, a tooltip's list included, conditions not; none for a Vega spec."""
    if is_vega(spec):
        return
    for view, _, _ in _views(spec, None, frozenset()):
        channels = {**_facet_channels(view), **(view.get("encoding") or {})}
        for channel, value in channels.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict) and "field" in item:
                    yield channel, item


def transform_fields(spec: dict[str, Any]) -> list[str]:
    """The columns the chart's transforms read (a fold's, an aggregate's, a filter's, by name
    or in an expression) and its repeat draws in turn, each once; none for a Vega spec."""
    if is_vega(spec):
        return []
    views = list(_views(spec, None, frozenset()))
    read = [name for v, _, _ in views for _, name in _read_fields(v)]
    read += [name for v, _, _ in views for _, name in _expression_fields(v)]
    for view, _, _ in views:
        repeat = view.get("repeat")
        for names in repeat.values() if isinstance(repeat, dict) else [repeat]:
            read += [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
    return list(dict.fromkeys(_unescape(name) for name in read))


def _definitions(channel: str, value: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            if isinstance(item.get("field"), str):
                yield channel, _unescape(item["field"]), item
            if isinstance(item.get("condition"), (dict, list)):
                yield from _definitions(channel, item["condition"])


def _views(
    view: dict[str, Any], inherited: Any, made: frozenset[str]
) -> Iterator[tuple[dict[str, Any], Any, frozenset[str]]]:
    """Each view with the data it sees and the fields its own and its parents' transforms make."""
    data = view.get("data", inherited)
    if "data" in view:
        made = frozenset()
    made = made | _derived_fields(view)
    yield view, data, made
    for key in _VIEW_LISTS:
        for sub in view.get(key, []) or []:
            if isinstance(sub, dict):
                yield from _views(sub, data, made)
    for key in _VIEW_ONE:
        if isinstance(view.get(key), dict):
            yield from _views(view[key], data, made)


def _link_problems(encoding: dict[str, Any], rows: list[Any]) -> list[tuple[str, str]]:
    """Links a chart would draw (its `href` channel) that are not http(s) or inside the site;
    pictures its image marks would draw (its `url` channel) from neither an https address nor
    the cell itself (data:image/png...): a file path names the building machine's files, and a
    relative one is looked up on another site."""
    checks = (
        (
            "href",
            lambda url: not is_safe_link(url),
            "links marks to URLs that are not http(s) ({}); a link could run script",
            "use https:// URLs (or paths inside the site) in the column its href channel encodes",
        ),
        (
            "url",
            lambda url: bool(url) and not _IMAGE_SOURCE.match(url),
            "draws pictures from addresses that are not https ({}); readers would not see them",
            "use https:// URLs in the column its url channel encodes (and allow their site "
            "under csp_extra: img-src in mkdocs.yml), or data:image/png;base64,... cells",
        ),
    )
    problems = []
    for channel, refused, message, hint in checks:
        bad = [url for url in _channel_texts(encoding, channel, rows) if refused(url)]
        if bad:
            problems.append((message.format(", ".join(repr(u[:60]) for u in bad[:3])), hint))
    return problems


# A picture an image mark may draw: from an https address, or held in the cell (not SVG, whose
# own links the rasterizer would follow).
_IMAGE_SOURCE = re.compile(r"https://[^/\s]+/|data:image/(?:png|jpeg|gif|webp)[;,]", re.I)


def _channel_texts(encoding: dict[str, Any], channel_name: str, rows: list[Any]) -> list[str]:
    """The texts a channel would draw: its value, and its field's cells."""
    bad: list[str] = []
    channel = encoding.get(channel_name) if isinstance(encoding, dict) else None
    items = channel if isinstance(channel, list) else [channel]
    for item in items + [i.get("condition") for i in items if isinstance(i, dict)]:
        for part in item if isinstance(item, list) else [item]:
            if not isinstance(part, dict):
                continue
            if isinstance(part.get("value"), str):
                bad.append(part["value"])
            name = part.get("field")
            if isinstance(name, str):
                name = _unescape(name)
                bad += [
                    r[name] for r in rows if isinstance(r, dict) and isinstance(r.get(name), str)
                ]
    return list(dict.fromkeys(bad))


def _log_problems(
    encoding: dict[str, Any], rows: list[Any], columns: set[str]
) -> list[tuple[str, str]]:
    """Columns drawn on a log scale that hold zero or less: Vega cannot place those values
    (it draws them at the edge), and the axis comes out without ticks."""
    problems = []
    seen: set[str] = set()
    for _, name, item in _definitions_of(encoding):
        scale = item.get("scale")
        if not isinstance(scale, dict) or scale.get("type") != "log" or name in seen:
            continue
        if name not in columns or item.get("aggregate") or item.get("bin"):
            continue
        seen.add(name)
        values = [r.get(name) for r in rows if isinstance(r, dict)]
        low = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        low = [v for v in low if v <= 0]
        if low:
            problems.append(
                (
                    f"encodes column '{name}', whose values include {len(low)} at zero or "
                    f"below (such as {_num(low[0])}), on a log scale, which cannot place them "
                    "(they are drawn at the edge and the axis loses its ticks)",
                    "filter those rows out in the chart (e.g. .transform_filter("
                    f"alt.datum[{name!r}] > 0)), or use alt.Scale(type='symlog'), which "
                    "places zero",
                )
            )
    return problems


# A cell the browser reads as a number (JavaScript's Number()): text like "45%" or "1,234" is
# not one, and Vega leaves its mark out.
_JS_NUMBER = re.compile(r"\s*(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?Infinity)?\s*")
# Aggregates that count cells rather than read their numbers.
_COUNTING = ("count", "distinct", "valid", "missing")


def _text_quantity_problems(
    encoding: dict[str, Any], rows: list[Any], columns: set[str]
) -> list[tuple[str, str]]:
    """Columns of text encoded as quantities: the browser finds no number in "45%", and the
    chart draws nothing for those rows (nothing at all when every cell is such)."""
    problems = []
    seen: set[str] = set()
    for _, name, item in _definitions_of(encoding):
        if item.get("type") != "quantitative" or name in seen or name not in columns:
            continue
        if item.get("aggregate") in _COUNTING or item.get("timeUnit"):
            continue
        seen.add(name)
        cells = [r.get(name) for r in rows if isinstance(r, dict)]
        text = [c for c in cells if isinstance(c, str) and not _JS_NUMBER.fullmatch(c)]
        if text:
            share = (
                "every cell holds"
                if len(text) == len(cells)
                else f"{len(text)} of {len(cells)} cells hold"
            )
            problems.append(
                (
                    f"encodes column '{name}' as a quantity, but {share} text such "
                    f"as {text[0]!r}, which is not a number (the chart draws nothing for those "
                    "rows)",
                    "type the column as a number in the data package (for '45%': "
                    "bareNumber: false; for '1,234': groupChar: ','; for 'n/a': "
                    f"missingValues), or encode it as categories ('{name}:N')",
                )
            )
    return problems


def _definitions_of(encoding: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for channel, value in encoding.items() if isinstance(encoding, dict) else []:
        yield from _definitions(channel, value)


def _rows(data: Any, datasets: dict[str, Any]) -> list[Any]:
    """The inline rows a view draws ([] when they are not inline)."""
    if not isinstance(data, dict):
        return []
    if "name" in data and isinstance(datasets.get(data["name"]), list):
        return list(datasets[data["name"]])
    if isinstance(data.get("values"), list):
        return list(data["values"])
    return []


def _columns(data: Any, datasets: dict[str, Any]) -> set[str] | None:
    """Column names of inline data, or None when they cannot be known (sequences, graticules)."""
    if not isinstance(data, dict):
        return None
    rows = None
    if "name" in data and data["name"] in datasets:
        rows = datasets[data["name"]]
    elif isinstance(data.get("values"), list):
        rows = data["values"]
    if rows is None or data.get("format", {}).get("type") in ("topojson", "json"):
        return None
    columns: set[str] = set()
    for row in rows:
        if isinstance(row, dict):
            columns.update(row)
    return columns if rows else None


def _encoded_fields(encoding: dict[str, Any], escaped: bool = False) -> Iterator[str]:
    for channel in encoding.values():
        for item in channel if isinstance(channel, list) else [channel]:
            if isinstance(item, dict):
                name = item.get("field")
                if isinstance(name, str):
                    yield name if escaped else _unescape(name)
                # Conditions carry their own fields.
                cond = item.get("condition")
                if isinstance(cond, (dict, list)):
                    yield from _encoded_fields({"c": cond}, escaped)


# Vega-Lite's transforms (by the Altair method that writes each) and the keys whose values
# name the fields they read: a name, a list of names, or {"field": name} items.
_TRANSFORM_READS = {
    "aggregate": ("transform_aggregate", ("groupby",)),
    "bin": ("transform_bin", ("field",)),
    "density": ("transform_density", ("density", "groupby")),
    "extent": ("transform_extent", ("extent",)),
    "flatten": ("transform_flatten", ("flatten",)),
    "fold": ("transform_fold", ("fold",)),
    "impute": ("transform_impute", ("impute", "key", "groupby")),
    "joinaggregate": ("transform_joinaggregate", ("groupby",)),
    "loess": ("transform_loess", ("loess", "on", "groupby")),
    "lookup": ("transform_lookup", ("lookup",)),
    "pivot": ("transform_pivot", ("pivot", "value", "groupby")),
    "quantile": ("transform_quantile", ("quantile", "groupby")),
    "regression": ("transform_regression", ("regression", "on", "groupby")),
    "stack": ("transform_stack", ("stack", "groupby", "sort")),
    "timeUnit": ("transform_timeunit", ("field",)),
    "window": ("transform_window", ("groupby", "sort")),
}


def _read_fields(view: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(Altair method, field) for each column a view's transforms read by name. Expressions
    (`calculate`, a filter's text) are not read; a filter's field predicates are."""
    transforms = view.get("transform", [])
    for t in transforms if isinstance(transforms, list) else []:
        if not isinstance(t, dict):
            continue
        if "filter" in t:
            yield from (("transform_filter", name) for name in _predicate_fields(t["filter"]))
            continue
        # `extent` is a transform of its own, and an option of density, regression, loess.
        kinds = [k for k in _TRANSFORM_READS if k in t]
        kind = next((k for k in kinds if k != "extent"), kinds[0] if kinds else None)
        if kind is None:
            continue
        method, keys = _TRANSFORM_READS[kind]
        for key in keys:
            yield from ((method, name) for name in _field_names(t.get(key)))
        if kind in ("aggregate", "joinaggregate", "window"):  # each operation's field
            ops = _field_names(t[kind])  # rank() has "", count(*) "*": no column
            yield from ((method, name) for name in ops if name not in ("", "*"))


# A column an expression reads: datum.name, datum['name'] or datum["name"].
_DATUM = re.compile(r"\bdatum\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(['\"])((?:(?!\2).)*)\2\s*\])")


def _expression_fields(view: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(Altair method, field) for each column an expression of the view reads by name: a
    filter's or a calculation's, or an encoding condition's test. A misspelt one drew nothing
    (the filter let no row through), or never held, without a word from the renderer."""
    transforms = view.get("transform", [])
    for t in transforms if isinstance(transforms, list) else []:
        if isinstance(t, dict) and isinstance(t.get("filter"), str):
            yield from (("transform_filter", name) for name in _datum_fields(t["filter"]))
        elif isinstance(t, dict) and isinstance(t.get("calculate"), str):
            yield from (("transform_calculate", name) for name in _datum_fields(t["calculate"]))
    encoding = view.get("encoding")
    for value in encoding.values() if isinstance(encoding, dict) else []:
        for item in value if isinstance(value, list) else [value]:
            conditions = item.get("condition") if isinstance(item, dict) else None
            for c in conditions if isinstance(conditions, list) else [conditions]:
                if isinstance(c, dict) and isinstance(c.get("test"), str):
                    yield from (
                        ("condition", name)
                        for name in _datum_fields(c["test"])
                        if not _ENCODED_OUTPUT.match(name)
                    )


# What an encoding's aggregate, time unit or bin names its output (sum_trips, month_date,
# bin_maxbins_10_x), which a condition may test.
_ENCODED_OUTPUT = re.compile(r"^(?:__)?count$|^[a-z0-9]+_.")


# Text in quotes, which an expression does not run (a name inside datum[...] aside).
_STRING = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"")


def _datum_fields(expression: str) -> Iterator[str]:
    names = _DATUM.finditer(expression)
    quoted = [m.span() for m in _STRING.finditer(expression)]
    for match in names:
        start = match.start()
        if any(a <= start < b for a, b in quoted):
            continue  # written in a string: 'see datum.z'
        # A name with a dot, written datum['a.b'], is one column: escaped as fields are.
        yield match.group(1) or _escape(match.group(3))


def _field_names(value: Any) -> Iterator[str]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict) and isinstance(item.get("field"), str):
            yield item["field"]


def _predicate_fields(predicate: Any) -> Iterator[str]:
    """The fields a filter's predicate tests ({"field": ..., "equal": ...}, and/or/not)."""
    if isinstance(predicate, dict):
        if isinstance(predicate.get("field"), str):
            yield predicate["field"]
        for key in ("and", "or"):
            for part in predicate.get(key) or []:
                yield from _predicate_fields(part)
        if "not" in predicate:
            yield from _predicate_fields(predicate["not"])


def _facet_channels(view: dict[str, Any]) -> dict[str, Any]:
    """The facet operator's channels, as an encoding's: one field, or its row and column."""
    facet = view.get("facet")
    if not isinstance(facet, dict):
        return {}
    return {"facet": facet} if "field" in facet else facet


def _derived_fields(view: dict[str, Any]) -> set[str]:
    """Fields a view's transforms create (`as`), which the table need not have."""
    made: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "as":
                    for v in value if isinstance(value, list) else [value]:
                        if isinstance(v, str):
                            made.add(v)
                walk(value)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    transforms = view.get("transform", [])
    walk(transforms)
    for t in transforms if isinstance(transforms, list) else []:
        if not isinstance(t, dict):
            continue
        for kind, names in _DEFAULT_OUTPUTS.items():
            if kind in t and "as" not in t:  # Vega-Lite's default names
                made.update(names)
        if "lookup" in t and "as" not in t:  # the other table's fields, as they are named
            fields = (t.get("from") or {}).get("fields")
            if not isinstance(fields, list):
                return made | {"*"}  # every field of the other table
            made.update(f for f in fields if isinstance(f, str))
        if "flatten" in t and "as" not in t:
            made.update(_field_names(t["flatten"]))
        if ("bin" in t or "timeUnit" in t) and isinstance(t.get("as"), str):
            made.add(t["as"] + "_end")  # a bin's or a time unit's end, beside its start
        if ("regression" in t or "loess" in t) and t.get("params"):
            made.update(("coef", "rSquared"))
        if isinstance(t, dict) and "pivot" in t:
            return made | {"*"}  # pivot makes columns from values: cannot be known here
    # Parameters and repeat/facet references are resolved by Vega-Lite itself.
    return made


_DEFAULT_OUTPUTS = {
    "fold": ("key", "value"),
    "density": ("value", "density"),
    "quantile": ("prob", "value"),
}


def unescaped(name: str) -> str:
    """A field as the table names its column: 'a\\.b' is column 'a.b'."""
    return _unescape(name)


def _unescape(name: str) -> str:
    return name.replace("\\.", ".").replace("\\[", "[").replace("\\]", "]")


def describe(
    spec: dict[str, Any], rows: list[dict[str, Any]], labels: dict[str, str] | None = None
) -> str:
    """A plain-language description for screen readers when the writer gave none.

    What is plotted against what, how many rows, the range, the largest and smallest values.
    `labels` gives readable names for columns (title and unit from the data package).
    """
    labels = labels or {}
    marks: list[str] = []
    quantity = category = None
    summed = False
    if is_vega(spec):
        marks = sorted({str(m.get("type")) for m in spec.get("marks", []) if m.get("type")})
    scatter: tuple[str, str] | None = None  # a scatter's x and y columns
    stacked_by = None  # the position column of stacked bars or areas
    for view, _, _ in [] if is_vega(spec) else _views(spec, None, frozenset()):
        mark = view.get("mark")
        name = mark.get("type") if isinstance(mark, dict) else mark
        if isinstance(name, str) and name not in marks:
            marks.append(name)
        encoding = view.get("encoding", {})
        if not quantity:
            scatter = scatter or _scatter_axes(encoding)
            stacked_by = stacked_by or (_stacked_over(encoding) if name in _STACKED else None)
        for channel in ("x", "y", "theta", "size"):
            enc = encoding.get(channel)
            # A repeat chart's field is {"repeat": ...}: no one column to name.
            name = enc.get("field") if isinstance(enc, dict) else None
            if isinstance(name, str) and enc.get("type") == "quantitative" and not quantity:
                quantity = _unescape(name)
                # Summed, binned or transformed, the table's values are not what is drawn.
                summed = summed or bool(enc.get("aggregate") or enc.get("bin"))
        summed = summed or any(
            isinstance(t, dict) and not t.keys() & {"calculate", "filter", "timeUnit"}
            for t in view.get("transform", []) or []
        )
        for channel in ("y", "x", "color", "text"):
            enc = encoding.get(channel)
            name = enc.get("field") if isinstance(enc, dict) else None
            if isinstance(name, str) and enc.get("type") in ("nominal", "ordinal", "temporal"):
                category = category or _unescape(name) or None
    # Rules and labels annotate the marks that draw the data: "a line chart", not "a line
    # and text chart".
    drawn = [m for m in marks if m not in _ANNOTATIONS] or marks
    kind = " and ".join(dict.fromkeys(_MARK_NAMES.get(m, m) for m in drawn)) or "data"
    text = f"{'An' if kind[0] in 'aeiou' else 'A'} {kind} chart"
    if scatter:
        return _scatter_text(text, rows, scatter, category, labels)
    if quantity:
        text += f" of {labels.get(quantity, quantity)}"
        if category:
            text += f" by {labels.get(category, category)}"
    text += f", {len(rows)} rows"
    if stacked_by and quantity and not summed:
        # Drawn as stacks: their totals are the heights a reader sees, not any one row.
        totals = _totals(rows, quantity, stacked_by)
        if totals:
            stacks = [(total, _shown(key)) for key, total in totals.items()]
            return text + _extremes(stacks, " total") + "."
    values = [
        (r[quantity], _shown(r.get(category)) if category else None)
        for r in rows
        if quantity and not summed and _is_number(r.get(quantity))
    ]
    if values:
        numbers = [v for v, _ in values]
        text += f", from {_num(min(numbers))} to {_num(max(numbers))}"
        if category:
            text += _extremes(values)
    return text + "."


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _extremes(values: list[tuple[float, Any]], what: str = "") -> str:
    """ ". Largest: China (90); smallest: Malaysia (4)" of (value, name) pairs (the first
    of equals)."""
    hi = max(values, key=lambda v: v[0])
    lo = min(values, key=lambda v: v[0])
    return f". Largest{what}: {hi[1]} ({_num(hi[0])}); smallest{what}: {lo[1]} ({_num(lo[0])})"


_STACKED = ("bar", "area")


def _quantity_field(enc: Any) -> str | None:
    """The column a position channel plots as it is (not summed, binned or counted)."""
    if not isinstance(enc, dict) or enc.get("type") != "quantitative":
        return None
    name = enc.get("field")
    if not isinstance(name, str) or enc.get("aggregate") or enc.get("bin"):
        return None
    return _unescape(name)


def _scatter_axes(encoding: dict[str, Any]) -> tuple[str, str] | None:
    """A scatter's x and y columns: both position channels plot quantities row by row."""
    x, y = _quantity_field(encoding.get("x")), _quantity_field(encoding.get("y"))
    return (x, y) if x and y else None


def _stacked_over(encoding: dict[str, Any]) -> str | None:
    """The position column of bars or areas that Vega-Lite stacks by a colour's series (as
    it does unless told not to): each stack's total is what the reader sees."""
    colour = encoding.get("color")
    if not isinstance(colour, dict) or colour.get("type") not in ("nominal", "ordinal"):
        return None
    for value, other in (("y", "x"), ("x", "y")):
        enc = encoding.get(value)
        if not isinstance(enc, dict) or not _quantity_field(enc):
            continue
        if enc.get("stack", True) not in (None, False, "normalize"):
            over = encoding.get(other)
            name = over.get("field") if isinstance(over, dict) else None
            return _unescape(name) if isinstance(name, str) else None
    return None


def _totals(rows: list[dict[str, Any]], quantity: str, over: str) -> dict[Any, float]:
    """Each stack's total: the quantity summed by the position column."""
    totals: dict[Any, float] = {}
    for r in rows:
        value = r.get(quantity)
        if _is_number(value):
            key = r.get(over)
            totals[key] = totals.get(key, 0) + value
    return totals


def _scatter_text(
    text: str,
    rows: list[dict[str, Any]],
    axes: tuple[str, str],
    category: str | None,
    labels: dict[str, str],
) -> str:
    """A scatter's description: one quantity against the other, and each one's range (no
    row is its "largest")."""
    x, y = (labels.get(a, a) for a in axes)
    text += f" of {y} against {x}"
    if category:
        text += f" by {labels.get(category, category)}"
    text += f", {len(rows)} rows"
    for column in reversed(axes):
        values = [r[column] for r in rows if _is_number(r.get(column))]
        if values:
            name = labels.get(column, column)
            text += f"; {name} from {_num(min(values))} to {_num(max(values))}"
    return text + "."


# A date as a chart's table holds it (pandas writes dates as midnight timestamps).
MIDNIGHT = re.compile(r"\d{4}-\d\d-\d\dT00:00:00(\.0+)?")


# A time of day as a table holds it: 2024-03-04T08:00:00.
_TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?(\.\d+)?")
_ANNOTATIONS = {"rule", "text"}


def _shown(value: Any) -> Any:
    """A date as a table shows it: 2025-05-30, not 2025-05-30T00:00:00; a time to the minute
    (2024-03-04 08:00), or the second when it has one."""
    if not isinstance(value, str):
        return value
    if MIDNIGHT.fullmatch(value):
        return value[:10]
    timestamp = _TIMESTAMP.fullmatch(value)
    if timestamp:
        day, minute, second, _ = timestamp.groups()
        return f"{day} {minute}" + (second if second and second != ":00" else "")
    return value


_MARK_NAMES = {
    "rect": "heatmap",
    "circle": "dot",
    "point": "dot",
    "tick": "strip",
    "rule": "line",
    "arc": "pie",
}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3g}"
