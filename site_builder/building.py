"""Building a chart: its function called with its tables, what it returns made a checked spec."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .cache import read_spec
from .catalog import Catalog
from .charts import ChartDef
from .errors import ChartError, Problem
from .sourcelines import (
    exception_hint,
    field_position,
    missing_column,
    option_position,
    raised_at,
    whole,
)


@dataclass
class BuiltChart:
    """A chart definition with its Vega-Lite spec, ready to render.

    Once the spec is in the spec cache, the chart lets it go (`release`) and reads it back
    when asked (`spec`): a build of a thousand charts does not hold all their rows at once."""

    definition: ChartDef
    held_spec: dict[str, Any] | None  # None once released
    datasets: list[str]  # names of the catalogue tables it was built from
    digest: str = ""  # of the spec's JSON when known, so a rebuild need not serialise it again
    stored: Path | None = None  # the spec's JSON in the spec cache, whose sha256 is `digest`

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def spec(self) -> dict[str, Any]:
        """The spec: held, or read back from the spec cache."""
        if self.held_spec is not None:
            return self.held_spec
        assert self.stored is not None
        return read_spec(self.stored, self.digest)

    def with_spec(self, spec: dict[str, Any]) -> BuiltChart:
        """The same chart with another spec, held."""
        return replace(self, held_spec=spec, digest="", stored=None)

    def release(self) -> None:
        """Let the spec go, if the spec cache can give it back."""
        if self.stored is not None and self.digest:
            self.held_spec = None


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
        if alt.data_transformers.active == "default":  # a writer's own choice stays
            # Registered each time: `names()` would read every installed package's metadata.
            alt.data_transformers.register(_VALUES, _values)
            with alt.data_transformers.enable(_VALUES, **alt.data_transformers.options):
                spec = result.to_dict()
        else:
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
_VALUES = "site-builder-values"


def _values(data: Any, max_rows: int | None = MAX_ROWS) -> Any:
    """Altair's default data transformer (rows limited, then inlined; its options too), with
    the same values made column by column for a plain table: pandas' own row by row
    conversion was a third of building a chart."""
    import altair as alt
    import narwhals.stable.v1 as nw
    from altair.utils.data import limit_rows

    data = limit_rows(data, max_rows=max_rows)
    rows = _plain_rows(nw.to_native(data, pass_through=True))
    return {"values": rows} if rows is not None else alt.to_values(data)


def _plain_rows(frame: Any) -> list[dict[str, Any]] | None:
    """A pandas table's rows as Altair writes them (NaN and infinity as None); None for
    anything but columns of numbers, booleans and text under plain names."""
    import numpy as np
    import pandas as pd

    if type(frame) is not pd.DataFrame or frame.shape[1] == 0:
        return None  # a GeoDataFrame, say: Altair writes its shapes
    names = frame.columns.tolist()
    plain = all(type(n) is str for n in names) and len(set(names)) == len(names)
    if isinstance(frame.index, pd.MultiIndex) or not plain:
        return None
    columns = []
    for i in range(len(names)):
        column = frame.iloc[:, i]
        dtype = column.dtype
        kind = dtype.kind if isinstance(dtype, np.dtype) else ""
        if kind in ("i", "u", "b"):
            values = column.tolist()
        elif kind == "f" and dtype.itemsize <= 8:  # a long double: Altair's own way
            values = column.tolist()
            finite = np.isfinite(column.to_numpy())
            if not finite.all():
                values = [v if ok else None for v, ok in zip(values, finite.tolist(), strict=True)]
        elif str(dtype) in ("str", "string"):
            values = column.tolist()
            if column.hasnans:
                missing = column.isna().tolist()
                values = [None if m else v for v, m in zip(values, missing, strict=True)]
        else:
            return None  # dates, categories, objects: Altair's own conversion
        columns.append(values)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


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

    from .specs import check_spec, column_hint

    tables = [catalog.datasets[name].for_chart() for name in definition.data]
    path, line = definition.path, definition.line
    try:
        result = definition.func(*tables)
    except Exception as exc:
        raise ChartError(
            Problem(
                path,
                f"chart '{definition.id}' raised {type(exc).__name__}: {whole(str(exc))}",
                exception_hint(exc, tables, definition.data),
                *(raised_at(definition.func, exc) or (line,)),
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
                    f"chart '{definition.id}' would draw more than {MAX_ROWS} "
                    + (f"of its {rows} rows" if rows > MAX_ROWS else "rows, made in its function"),
                    "aggregate in the encoding (e.g. y='count()', x=alt.X('value:Q', bin=True), "
                    "'mean(value):Q'), or in the function with table.groupby(...).agg(...), "
                    "or filter the table to the rows the chart shows",
                    line,
                )
            ) from None
        if isinstance(exc, KeyError):  # VegaFusion, over a big table, looking for a column
            columns = sorted({str(c) for t in tables if hasattr(t, "columns") for c in t.columns})
            name, at = missing_column(definition.func, exc)
            raise ChartError(
                Problem(
                    path,
                    f"chart '{definition.id}': encodes column '{name}', which its table does not "
                    "have",
                    column_hint(name, columns),
                    *(at or (line,)),
                )
            ) from None
        # Altair's message whole (its lists of valid values included), at the option's line.
        message = whole(str(exc)) or type(exc).__name__
        at = option_position(definition.func, message)
        raise ChartError(
            Problem(
                path,
                f"chart '{definition.id}' is not a valid Vega-Lite chart: {message}",
                "check the encodings and mark options against the Altair documentation",
                *(at or (line,)),
            )
        ) from None
    messages = check_spec(checked)
    if messages:
        raise ChartError([_spec_problem(definition, m, h) for m, h in messages])
    labels: dict[str, str] = {}
    for name in definition.data:  # the first table's, as the figure's table heads it
        for f in catalog.datasets[name].fields:
            labels.setdefault(f.name, f.label)
    labels = {name: label for name, label in labels.items() if label != name}
    titled(spec, labels)
    return BuiltChart(definition=definition, held_spec=spec, datasets=list(definition.data))


# An aggregate's title as Vega-Lite writes it, "Mean of <column>"; "count" names no column.
AGGREGATE_TITLES = ("sum", "mean", "average", "median", "min", "max", "stdev", "variance")
# Channels whose title a reader sees (on an axis, a legend, a header or in a tooltip).
_TITLED_CHANNELS = {
    *("x", "y", "color", "fill", "stroke", "size", "shape", "opacity", "fillOpacity"),
    *("strokeOpacity", "strokeWidth", "strokeDash", "angle", "theta", "radius"),
    *("row", "column", "facet", "tooltip", "longitude", "latitude"),
}
_GUIDES = ("axis", "legend", "header")


def titled(spec: dict[str, Any], labels: dict[str, str]) -> None:
    """Give each encoded column of the data package its label (title and unit) as its axis,
    legend, header and tooltip title, where the chart gives it none: not its raw name
    ("net_bn"). An aggregate's reads as Vega-Lite's would ("Mean of Price (EUR)")."""
    from .specs import is_vega

    def says_title(fd: dict[str, Any]) -> bool:
        return "title" in fd or any(
            isinstance(fd.get(g), dict) and "title" in fd[g] for g in _GUIDES
        )

    if is_vega(spec):
        return
    for found in _axis_groups(spec):
        # A channel the chart titles somewhere in a group keeps that title alone: layers share
        # an axis, and Vega-Lite would join a label to the writer's ("Amount, Net exports").
        said = {channel for channel, fd in found if channel != "tooltip" and says_title(fd)}
        for channel, fd in found:
            if channel not in said and not says_title(fd):
                _title(channel, fd, labels)


def _axis_groups(node: dict[str, Any]) -> list[list[tuple[str, dict[str, Any]]]]:
    """The field definitions of a chart by the views that share axes and legends: each
    concatenated view its own, its layers (and facet or repeat panels) together."""
    from .specs import encoded_definitions

    parts = [v for key in ("hconcat", "vconcat", "concat") for v in node.get(key) or []]
    if not parts:
        return [list(encoded_definitions(node))]
    return [group for part in parts if isinstance(part, dict) for group in _axis_groups(part)]


def _title(channel: str, fd: dict[str, Any], labels: dict[str, str]) -> None:
    """Title one definition with its column's label, where a title is drawn."""
    from .specs import unescaped

    name = unescaped(fd["field"]) if isinstance(fd.get("field"), str) else None
    if name not in labels or channel not in _TITLED_CHANNELS:
        return
    if any(fd.get(g, {}) is None for g in _GUIDES):
        return  # no title drawn
    aggregate = fd.get("aggregate")
    if aggregate is None:
        fd["title"] = labels[name]
    elif isinstance(aggregate, str) and aggregate in AGGREGATE_TITLES:
        fd["title"] = aggregate_title(aggregate, labels[name])


def aggregate_title(aggregate: str, label: str) -> str:
    """An aggregate's title as Vega-Lite words it: "Mean of Price (EUR)"."""
    return f"{aggregate.capitalize()} of {label}"


_NAMED_COLUMN = re.compile(r"^(?:encodes|\w+ reads) column '(.*)', (?:which|whose) ")


def _spec_problem(definition: ChartDef, message: str, hint: str) -> Problem:
    """A problem in the spec, at the line of the function that names the column, if any."""
    named = _NAMED_COLUMN.match(message)
    at = field_position(definition.func, named.group(1)) if named else None
    return Problem(
        definition.path, f"chart '{definition.id}': {message}", hint, *(at or (definition.line,))
    )
