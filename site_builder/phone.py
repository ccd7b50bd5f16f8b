"""The phone layout, drawn in as few drawings as the chart allows.

Each drawing is a whole Vega render, as costly as the wide layout's. So a single view's plot
width is predicted from the wide drawing (the room its axes and labels take beside the plot)
and drawn once, at its own size: Vega's fit would lay the chart out twice, once at the phone's
width and again at the plot width it found. A layout is drawn again only when it came out too
wide, or much too narrow: labels beside marks, legends wider than the plot, maps.

Standard library only: render workers import this.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .textfit import TextBox, clipped_text
from .variants import (
    crowded_bars,
    first_ratio,
    is_single_view,
    legends_stay_beside,
    narrow_spec,
    next_ratio,
    padded_spec,
    phone_width,
    svg_width,
)

# A phone layout up to SLACK px narrower than the phone's width is kept; predictions aim AIM px
# inside it, so that a pixel or two more than predicted takes no further drawing.
SLACK = 10
AIM = 4
# Vega-Lite's tick length, which the phone layout shortens (variants._phone_config).
_TICK = 5
# The narrowest facet panel a phone layout draws in a row, and Vega-Lite's gap between them.
MIN_PANEL = 100
FACET_GAP = 20

# The drawing's origin, after the background's rectangle when it has one.
_ORIGIN = re.compile(
    r'<svg\b[^>]*>\s*(?:<rect\b[^>]*>(?:</rect>)?\s*)?<g\b[^>]*?\btransform="translate\((-?[\d.]+),'
)
# The first group's background: the plot of a single view.
_PLOT = re.compile(r'<path class="background"[^>]*?\sd="M0,0h([\d.]+)v')
_LEGEND = re.compile(
    r'<g class="mark-group role-legend"[^>]*>\s*<g transform="translate\((-?[\d.]+),'
)


def fits(drawn: float, target: float) -> bool:
    """Whether a phone layout drawn `drawn` px wide is kept for a `target` px phone."""
    return target - SLACK <= drawn <= target + 0.5


def draw_phone(
    spec: dict[str, Any],
    wide_svg: str,
    wide_boxes: Sequence[TextBox],
    draw: Callable[[dict[str, Any]], str],
    predict: bool = True,
) -> str | None:
    """The phone layout's SVG, drawn with `draw`; None when the wide one will do.

    `wide_boxes`: the wide drawing's text (textfit.text_boxes), for the room beside its plot.
    `predict`: False when the wide drawing's room beside its plot is not the phone layout's
    (its labels were cut since): Vega fits the plot instead.
    """
    wide = svg_width(wide_svg)
    small = narrow_spec(spec, wide)
    if small is None:
        return None
    target = phone_width(spec)
    if is_single_view(small):
        # Bars turned on their side have other labels beside the plot than the wide drawing's.
        predict = predict and not crowded_bars(spec)
        width = (
            predicted_width(wide_svg, wide_boxes, spec, small, target - AIM) if predict else None
        )
        if width is None:
            narrow = draw(small)  # fitted by Vega
            if not clipped_text(narrow):
                return narrow
            # Fitting leaves out labels beside the marks: draw with room for everything.
            small = {**small, "autosize": {"type": "pad"}}
        else:
            small = {**small, "width": width, "autosize": {"type": "pad"}}
        narrow = draw(small)
        for _ in range(3):
            if fits(svg_width(narrow), target) or small.get("width") == 40:
                break
            small = padded_spec(small, svg_width(narrow), target - AIM)
            narrow = draw(small)
        return narrow
    # A composition: its views shrink by a ratio, its labels and gaps do not. With the width
    # its views take side by side known, the width it takes at a ratio is a straight line.
    shrinking = shrinking_width(spec)
    aim = target - AIM
    if shrinking:
        fixed = wide - shrinking  # axes, labels, gaps: they do not shrink
        wrapped = wrapped_facets(spec, shrinking, aim - fixed) or wrapped_views(
            spec, shrinking, aim - fixed
        )
        if wrapped is not None:
            spec, shrinking = wrapped, shrinking_width(wrapped)
        ratio = max(0.15, (aim - fixed) / shrinking)
        small = narrow_spec(spec, wide, ratio) or small
    else:
        ratio = first_ratio(wide, aim)
    narrow = draw(small)
    for _ in range(2):
        if fits(svg_width(narrow), target):
            break
        if shrinking:
            ratio = max(0.15, ratio + (aim - svg_width(narrow)) / shrinking)
        else:
            ratio = next_ratio(wide, ratio, svg_width(narrow), aim)
        retry = narrow_spec(spec, wide, ratio)
        if retry is None:
            break
        small, narrow = retry, draw(retry)
    return narrow


def shrinking_width(spec: dict[str, Any]) -> float:
    """The width a composition's views take side by side in its widest row, as drawn wide:
    what shrinks in its phone layout (views as wide as their categories do not). 0 when that
    cannot be told from the spec (facets of values a transform makes)."""
    config = spec.get("config", {}).get("view", {})
    default = config.get("continuousWidth", 300)
    try:
        return _shrinking(spec, float(default), _rows(spec))
    except _Unknown:
        return 0.0


class _Unknown(Exception):
    """A part of the layout whose width the spec does not tell."""


def _shrinking(view: dict[str, Any], default: float, rows: list[dict[str, Any]]) -> float:
    if "hconcat" in view:
        return sum(_shrinking(v, default, rows) for v in view["hconcat"])
    if "vconcat" in view:
        return max((_shrinking(v, default, rows) for v in view["vconcat"]), default=0.0)
    if "concat" in view:
        widths = [_shrinking(v, default, rows) for v in view["concat"]]
        columns = view.get("columns") or len(widths)
        return max(
            (sum(widths[i : i + columns]) for i in range(0, len(widths), columns)), default=0.0
        )
    if "repeat" in view:
        repeat = view["repeat"]
        if isinstance(repeat, list):
            count = min(len(repeat), view.get("columns") or len(repeat))
        else:
            count = len(repeat.get("column", [])) or 1
        return count * _shrinking(view["spec"], default, rows)
    if "facet" in view:
        facet = view["facet"]
        if "column" in facet:
            count = _facets(facet["column"], rows)
        elif "row" in facet:
            count = 1  # rows stack
        else:  # wrapped in columns
            count = _facets(facet, rows)
            count = min(count, view.get("columns") or count)
        return count * _shrinking(view["spec"], default, rows)
    encoding: dict[str, Any] = view["encoding"] if isinstance(view.get("encoding"), dict) else {}
    count = 1
    if "column" in encoding:
        count = _facets(encoding["column"], rows)
    elif "facet" in encoding:
        count = _facets(encoding["facet"], rows)
        count = min(count, encoding["facet"].get("columns") or count)
    width = view.get("width")
    if isinstance(width, (int, float)):
        return count * width
    if "layer" in view:
        return count * max((_shrinking(v, default, rows) for v in view["layer"]), default=0.0)
    x = encoding.get("x")
    if isinstance(x, dict) and x.get("type") in ("nominal", "ordinal"):
        return 0.0  # as wide as its categories: it does not shrink
    return count * default


def wrapped_facets(spec: dict[str, Any], shrinking: float, room: float) -> dict[str, Any] | None:
    """A row of facets (`column=`, or a facet's column) as facets wrapped in as many columns
    as `room` px holds at MIN_PANEL px a panel (or the panel's own width, if narrower), when
    they would shrink below that in one row: five panels of bars shrunk to a phone's width are
    too thin to read. None when the spec is no such row (a grid of rows and columns is left
    as it is), or its panels fit. `shrinking`: shrinking_width(spec), the panels' width."""
    encoding = spec.get("encoding") if isinstance(spec.get("encoding"), dict) else None
    facet = spec.get("facet") if isinstance(spec.get("facet"), dict) else None
    if encoding is not None and "column" in encoding and "row" not in encoding:
        channel = encoding["column"]
    elif encoding is not None and "facet" in encoding:
        channel = encoding["facet"]
    elif facet is not None and "row" not in facet:
        channel = facet.get("column", facet)
    else:
        return None
    try:
        panels = _facets(channel, _rows(spec))
    except _Unknown:
        return None
    shown = min(panels, (channel.get("columns") or spec.get("columns") or panels))
    columns = _columns_that_fit(shown, shrinking, room)
    if columns >= shown:
        return None
    wrapped = dict(spec)
    if encoding is not None:
        rest = {k: v for k, v in encoding.items() if k not in ("column", "facet")}
        wrapped["encoding"] = {**rest, "facet": {**channel, "columns": columns}}
    else:
        wrapped["facet"] = {k: v for k, v in channel.items() if k != "columns"}
        wrapped["columns"] = columns
    return wrapped


def wrapped_views(spec: dict[str, Any], shrinking: float, room: float) -> dict[str, Any] | None:
    """Views side by side (`alt.hconcat`, a column repeat) wrapped in as many columns as
    `room` px holds at MIN_PANEL px a view (or its own width, if narrower), when they would
    shrink below that in one row: three histograms shrunk to a phone's width are too thin to
    read, stacked they are not. None when the spec is no such row, or its views fit."""
    if isinstance(spec.get("hconcat"), list):
        views = len(spec["hconcat"])
    elif isinstance(spec.get("repeat"), dict) and set(spec["repeat"]) == {"column"}:
        views = len(spec["repeat"]["column"])
    else:
        return None
    if views < 2 or not shrinking:
        return None
    columns = _columns_that_fit(views, shrinking, room)
    if columns >= views:
        return None
    wrapped = {k: v for k, v in spec.items() if k != "hconcat"}
    if "hconcat" in spec:
        wrapped["concat"] = spec["hconcat"]
    else:  # repeat(column=[...]) as a repeat of a list, which wraps; its views say so
        wrapped["repeat"] = spec["repeat"]["column"]
        wrapped["spec"] = _repeat_of_list(spec.get("spec"))
    wrapped["columns"] = columns
    return wrapped


def _columns_that_fit(count: int, shrinking: float, room: float) -> int:
    """How many of `count` panels side by side (`shrinking` px wide in all) fit `room` px at
    MIN_PANEL px each, or their own width if narrower. `room` is the panels' alone (their
    gaps are in the rest): each gap a row loses is room."""
    panel = min(MIN_PANEL, shrinking / count)
    return max(1, int((room + count * FACET_GAP) // (panel + FACET_GAP)))


def _repeat_of_list(node: Any) -> Any:
    """A repeated view with each {"repeat": "column"} as {"repeat": "repeat"}: what the
    repeat of a list names it."""
    if isinstance(node, dict):
        if node.get("repeat") == "column" and len(node) == 1:
            return {"repeat": "repeat"}
        return {key: _repeat_of_list(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_repeat_of_list(value) for value in node]
    return node


def _rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the spec's inline datasets, where facets are counted."""
    return [
        row
        for table in (spec.get("datasets") or {}).values()
        if isinstance(table, list)
        for row in table
        if isinstance(row, dict)
    ]


def _facets(channel: Any, rows: list[dict[str, Any]]) -> int:
    """How many facets a field makes, counted in the spec's rows."""
    field = channel.get("field") if isinstance(channel, dict) else None
    values = {str(row[field]) for row in rows if isinstance(field, str) and field in row}
    if not values:
        raise _Unknown
    return len(values)


def predicted_width(
    wide_svg: str,
    boxes: Sequence[TextBox],
    spec: dict[str, Any],
    small: dict[str, Any],
    aim: float,
) -> int | None:
    """The plot width that should bring a single view's phone layout to `aim` px: the wide
    drawing's room left and right of its plot (axes, labels beside marks), without the legends
    right of the plot (a phone's go on top), and with the phone's shorter ticks. None when the
    drawing's plot cannot be found, or a legend the writer put beside it stays there."""
    origin = _ORIGIN.search(wide_svg)
    plot = _PLOT.search(wide_svg)
    if origin is None or plot is None:
        return None
    left_pad, right_pad = _padding(spec)
    x0 = float(origin.group(1))
    plot_right = x0 + float(plot.group(1))
    right = svg_width(wide_svg) - right_pad
    legends = [x0 + float(m.group(1)) for m in _LEGEND.finditer(wide_svg)]
    beside = [x for x in legends if x >= plot_right]
    if beside and legends_stay_beside(small):
        return None  # laid out again in columns: Vega's fit finds its room
    if beside:
        # Only text is measured there: the axis's last label, labels beside marks.
        edge = min(beside)
        right = max([plot_right] + [b.right for b in boxes if b.right <= edge + 0.5])
    ticks = _tick_size(spec) - _tick_size(small)
    room = (x0 - left_pad - ticks) + (right - plot_right)
    return max(40, round(aim - left_pad - right_pad - room))


def _padding(spec: dict[str, Any]) -> tuple[float, float]:
    padding = spec.get("padding", spec.get("config", {}).get("padding", 5))
    if isinstance(padding, dict):
        return float(padding.get("left", 0)), float(padding.get("right", 0))
    return (float(padding), float(padding)) if isinstance(padding, (int, float)) else (5.0, 5.0)


def _tick_size(spec: dict[str, Any]) -> float:
    size = spec.get("config", {}).get("axis", {}).get("tickSize", _TICK)
    return float(size) if isinstance(size, (int, float)) else _TICK
