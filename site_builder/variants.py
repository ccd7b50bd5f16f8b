"""Variants of a page spec: narrow (for phones, rendered statically) and interactive (browser).

Standard library only: render workers import this.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .textfit import text_width, wrap_text

# The phone layout's width, in CSS pixels: the smallest phone's column (320 px less the page
# margins: 288) holds it scaled to 11/12.
NARROW_WIDTH = 312
# That column: a chart whose live view reads pointer positions is never scaled, so its phone
# layout is this wide.
PHONE_COLUMN = 288
# Charts at most this wide are legible on that phone as they are (12 px text stays >= 11 px).
NARROW_ABOVE = 314
# Never scale a static chart below this, so its 12 px text stays at least 11 px on screen.
MIN_SCALE = 11 / 12
# A phone layout's band for a bar it turned on its side: room for a 12 px label's line.
BAR_STEP = 16
# The narrowest band that holds a bar's label turned upright (12 px text), and the room a
# phone layout's value axis takes beside its plot: more bars than fit are turned on their side.
_UPRIGHT_LABEL = 14
_VALUE_AXIS = 50
# Below this ratio of phone to wide width, a map's height shrinks with its width.
MAP_SHRINK = 0.8
_COMPOSITIONS = ("hconcat", "vconcat", "concat", "facet", "repeat")
_FACET_CHANNELS = ("row", "column", "facet")


def svg_width(svg: str) -> float:
    match = re.search(r'<svg\b[^>]*?\bwidth="([\d.]+)"', svg)
    return float(match.group(1)) if match else 0.0


def svg_height(svg: str) -> float:
    match = re.search(r'<svg\b[^>]*?\bheight="([\d.]+)"', svg)
    return float(match.group(1)) if match else 0.0


def is_vega(spec: dict[str, Any]) -> bool:
    """A Vega spec (compiled, theme applied), as opposed to the Vega-Lite most charts are."""
    schema = spec.get("$schema")
    if isinstance(schema, str) and schema:
        return "/schema/vega/" in schema
    # No schema: only Vega has a list of marks at the top.
    return isinstance(spec.get("marks"), list)


def is_single_view(spec: dict[str, Any]) -> bool:
    """A Vega-Lite chart of one view (no concatenation, facet or repeat)."""
    if any(key in spec for key in _COMPOSITIONS):
        return False
    # `row=`, `column=` or `facet=` in an encoding make a grid of views too.
    encoding = spec.get("encoding")
    return not (isinstance(encoding, dict) and any(k in encoding for k in _FACET_CHANNELS))


def uses_pointer_position(spec: dict[str, Any]) -> bool:
    """The chart reads where the pointer is (a brush, pan and zoom): its live view must be
    drawn at its own size, since Vega maps pointer positions without CSS scaling."""
    found = False

    def walk(node: Any) -> None:
        nonlocal found
        if found:
            return
        if isinstance(node, dict):
            select = node.get("select")
            kind = select.get("type") if isinstance(select, dict) else select
            if kind == "interval" or node.get("bind") == "scales":
                found = True
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec.get("params", []))
    for key in (*_COMPOSITIONS, "layer", "spec"):
        if key in spec:
            walk(spec[key])
    return found


def smallest_width(width: float, exact: bool) -> float:
    """How narrow a static chart may be drawn: scaled to 11/12 at most, or not at all when
    its live view maps pointer positions."""
    return width if exact else width * MIN_SCALE


# Breakpoints come in steps, so the stylesheet holds one rule per step, not per chart. A box
# narrower than the wide layout's smallest shows the phone layout, on a laptop too (a chart
# 760 px wide in a 688 px column): whole and legible beats cut off. Steps of 4 px: with 20, a
# chart 744 px wide (682 px scaled) showed its phone layout in that 688 px column. A chart
# far wider than any column (its smallest over BREAKPOINT_MAX) was made to scroll: it does,
# but on phones.
BREAKPOINT_STEP = 4
BREAKPOINT_MAX = 800
PHONES_BELOW = 600


def narrow_below(width: float, exact: bool) -> int:
    """The width of the chart's box under which its phone layout shows: where the wide one
    could no longer be drawn whole without scrolling."""
    step = BREAKPOINT_STEP
    below = int(-(-smallest_width(width, exact) // step) * step)
    return below if below <= BREAKPOINT_MAX else PHONES_BELOW


def breakpoint_css() -> str:
    """The container queries that swap each figure's wide layout for its phone layout."""
    rules = []
    # From the lowest a chart gets: one just wider than NARROW_ABOVE, at its smallest scale.
    lowest = narrow_below(NARROW_ABOVE + 1, False)
    for below in range(lowest, BREAKPOINT_MAX + 1, BREAKPOINT_STEP):
        holder = f'.sb-figure__chart[data-sb-narrow-below="{below}"]'
        rules.append(
            f"@container (max-width: {below - 0.02:g}px) {{ {holder} > .sb-static--wide "
            f"{{ display: none; }} {holder} > .sb-static--narrow {{ display: block; }} }}"
        )
    return "\n".join(rules) + "\n"


def narrow_spec(
    spec: dict[str, Any], rendered_width: float, ratio: float | None = None
) -> dict[str, Any] | None:
    """The same chart laid out for a phone, or None when it is narrow enough already.

    Legends go on top in as many columns as fit, long axis labels are cut with an ellipsis
    (the table has them whole), ticks are shorter and the spec's own title wraps.
    Vega specs are laid out as compiled: None.
    """
    if rendered_width <= NARROW_ABOVE or is_vega(spec):
        return None
    narrow = _copied_layout(spec)
    _phone_config(narrow)
    _wrap_title(narrow)
    if is_single_view(narrow):
        turned = crowded_bars(narrow)
        if turned:
            _turn_on_side(narrow)
        if isinstance(narrow.get("width"), (int, float)) and narrow["width"] > 0:
            _scale_map_height(narrow, phone_width(spec) / narrow["width"])
            # The plot's share of the phone's width: what the axes took stays the same.
            axes = rendered_width - narrow["width"]
            if not turned:
                _scale_fixed_bars(narrow, (phone_width(spec) - axes) / narrow["width"])
        # Vega-Lite fits the whole chart, labels included, into the width.
        narrow["width"] = phone_width(spec)
        narrow["autosize"] = {"type": "fit-x", "contains": "padding"}
        return narrow
    # Compositions cannot be fitted: shrink every view's width in proportion (`ratio`, once
    # a first drawing has shown how much of the width does not shrink).
    ratio = ratio or first_ratio(rendered_width, phone_width(spec))
    config = narrow.setdefault("config", {}).setdefault("view", {})
    config["continuousWidth"] = round(config.get("continuousWidth", 300) * ratio)
    _scale_widths(narrow, ratio)
    return narrow


def crowded_bars(spec: dict[str, Any]) -> bool:
    """A single view's upright bars, one per category, too many for a phone's width to hold
    their labels: side by side, the labels would print over each other."""
    mark = spec.get("mark")
    encoding = spec.get("encoding")
    if (mark if isinstance(mark, str) else (mark or {}).get("type")) != "bar":
        return False
    if not isinstance(encoding, dict) or "transform" in spec:
        return False  # a transform may drop or make categories: they cannot be counted here
    x, y = encoding.get("x"), encoding.get("y")
    if not (isinstance(x, dict) and isinstance(y, dict)) or "field" not in x:
        return False
    if x.get("type") != "nominal" or y.get("type") != "quantitative" or "bin" in x:
        return False
    if "timeUnit" in x or "aggregate" in x:
        return False  # its categories are not the cells: they cannot be counted here
    rows = _inline_rows(spec)
    field = x["field"]
    if not isinstance(field, str) or rows is None or "." in field or "[" in field:
        return False
    categories = {str(row.get(field)) for row in rows if isinstance(row, dict)}
    return len(categories) * _UPRIGHT_LABEL > phone_width(spec) - _VALUE_AXIS


def _inline_rows(spec: dict[str, Any]) -> list[Any] | None:
    data = spec.get("data")
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("values"), list):
        return data["values"]
    rows = (spec.get("datasets") or {}).get(data.get("name"))
    return rows if isinstance(rows, list) else None


# An axis's settings for the side it is on, which a bar turned on its side leaves behind.
_SIDE_SETTINGS = ("labelAngle", "orient", "labelAlign", "labelBaseline", "titleAngle")
# The channels a bar turned on its side trades, each for its pair.
_SIDEWAYS = {"x": "y", "x2": "y2", "xOffset": "yOffset", "xError": "yError"}
_SIDEWAYS.update({b: a for a, b in list(_SIDEWAYS.items())})


def _turn_on_side(spec: dict[str, Any]) -> None:
    """Categories down the side, values across: each label gets a line of its own."""
    encoding = spec["encoding"]
    turned = {}
    for channel, definition in encoding.items():
        other = _SIDEWAYS.get(channel, channel)
        if other != channel and isinstance(definition, dict):
            definition = dict(definition)
            sort = definition.get("sort")
            if isinstance(sort, str) and sort.lstrip("-") in ("x", "y"):
                sign = "-" if sort.startswith("-") else ""
                definition["sort"] = sign + _SIDEWAYS[sort.lstrip("-")]
            elif isinstance(sort, dict) and sort.get("encoding") in ("x", "y"):
                definition["sort"] = {**sort, "encoding": _SIDEWAYS[sort["encoding"]]}
            if isinstance(definition.get("axis"), dict):
                # Set for the axis's old side (an angle for upright labels, "right"): dropped.
                definition["axis"] = {
                    k: v for k, v in definition["axis"].items() if k not in _SIDE_SETTINGS
                }
        turned[other] = definition
    spec["encoding"] = turned
    spec["height"] = {"step": BAR_STEP}
    if isinstance(spec.get("mark"), dict):
        spec["mark"] = {k: v for k, v in spec["mark"].items() if k != "orient"}


def _scale_map_height(view: dict[str, Any], ratio: float) -> None:
    """A single map's height shrinks with its width when the width shrinks much: its
    projection fits the smaller of the two, and the rest of a taller box is blank (a 640 x 400
    map drawn 302 px wide: 100 px above and below). Shrunk a little, or in a composition (a
    map and its inset, framed by hand), the room is kept: labels near the map's edge, which do
    not shrink, need it."""
    height = view.get("height")
    layers = [v for v in view.get("layer", []) or [] if isinstance(v, dict)]
    maps = any("projection" in v for v in [view, *layers])
    if isinstance(height, (int, float)) and maps and ratio < MAP_SHRINK:
        view["height"] = max(60, round(height * ratio))


def _scale_fixed_bars(view: dict[str, Any], ratio: float) -> None:
    """Bars along a continuous axis (time, numbers) are a fixed width (Vega-Lite's 5 px, or
    the writer's): on a plot `ratio` as wide, as thin as their room, or they merge."""
    layers = [view, *[v for v in view.get("layer", []) or [] if isinstance(v, dict)]]
    standing = [v for v in layers if _bars_along_x(v, view.get("encoding"))]
    if not 0 < ratio < 1 or not standing:
        return  # bars lying along y keep their thickness: the height does not shrink
    bar = view.setdefault("config", {}).setdefault("bar", {})
    band = bar.get("continuousBandSize", 5)
    if isinstance(band, (int, float)):
        bar["continuousBandSize"] = max(1.0, round(band * ratio, 1))
    for layer in standing:
        mark = layer.get("mark")
        if isinstance(mark, dict):
            for key in ("width", "size"):
                if isinstance(mark.get(key), (int, float)):
                    mark[key] = max(1.0, round(mark[key] * ratio, 1))


def _bars_along_x(view: dict[str, Any], inherited: Any) -> bool:
    """Bars standing on a continuous x axis (time, or numbers against numbers), whose
    thickness is along x."""
    mark = view.get("mark")
    if (mark.get("type") if isinstance(mark, dict) else mark) != "bar":
        return False
    if isinstance(mark, dict) and mark.get("orient") == "horizontal":
        return False
    encoding = view.get("encoding") or inherited or {}
    x, y = (encoding.get(c) if isinstance(encoding, dict) else None for c in ("x", "y"))
    if not isinstance(x, dict) or x.get("bin"):
        return False
    if x.get("type") == "temporal" or x.get("timeUnit"):
        return not (isinstance(y, dict) and y.get("type") == "temporal")
    return (
        x.get("type") == "quantitative" and isinstance(y, dict) and y.get("type") == "quantitative"
    )


def _copied_layout(spec: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the spec to lay out again, sharing its inline rows: nothing here changes
    them, and copying thousands of rows cost more than the rest of the layout."""
    memo: dict[int, Any] = {}
    data = spec.get("data")
    for rows in [
        *(spec.get("datasets") or {}).values(),
        data.get("values") if isinstance(data, dict) else None,
    ]:
        if isinstance(rows, list):
            memo[id(rows)] = rows
    return copy.deepcopy(spec, memo)


def padded_spec(
    narrow: dict[str, Any], drawn_width: float, aim: float | None = None
) -> dict[str, Any]:
    """The phone layout with room for everything it draws (labels beside marks, which Vega's
    fit does not count), its plot narrowed (or widened) by what a drawing at `drawn_width` was
    off from `aim` (default: the phone's width)."""
    padded = {**narrow, "autosize": {"type": "pad"}}
    width = narrow.get("width")
    if aim is None:
        aim = phone_width(narrow)
    if isinstance(width, (int, float)):
        padded["width"] = max(40, round(width - (drawn_width - aim)))
    return padded


def phone_width(spec: dict[str, Any]) -> int:
    """How wide the chart's phone layout is drawn."""
    return PHONE_COLUMN if uses_pointer_position(spec) else NARROW_WIDTH


def first_ratio(wide: float, target: float = NARROW_WIDTH) -> float:
    """How much a composition's views shrink in its first phone layout."""
    return max(0.35, target / wide)


def next_ratio(wide: float, ratio: float, drawn: float, target: float = NARROW_WIDTH) -> float:
    """The shrink ratio that should bring a composition to the phone's width, from two
    drawings: the wide one (ratio 1) and one at `ratio` that came out `drawn` wide. Labels and
    gaps do not shrink, so the width is taken as a fixed part plus a shrinking one."""
    if drawn >= wide or ratio >= 1:
        return ratio
    per_unit = (wide - drawn) / (1 - ratio)  # the shrinking part, at ratio 1
    return max(0.15, ratio - (drawn - target) / per_unit)


# Legend entries: symbol, gap and the space between columns, in px.
_LEGEND_ENTRY = 16 + 4 + 10
# The phone layout's label limits: a legend's label in half the width, an axis's in 0.4.
_LEGEND_LABELS = round(NARROW_WIDTH / 2 - _LEGEND_ENTRY)
_AXIS_LABELS = round(NARROW_WIDTH * 0.4)
_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "strokeDash")


def _phone_config(spec: dict[str, Any]) -> None:
    config = spec.setdefault("config", {})
    size = float(config.get("legend", {}).get("labelFontSize", 11))
    labels = _legend_labels(spec)
    widest = max((text_width(label, size) for label in labels), default=60.0)
    limit = _LEGEND_LABELS
    # A legend starts where the plot does, right of the axis labels: about half the width.
    room = NARROW_WIDTH * 0.55
    columns = max(1, min(len(labels) or 1, int(room // (min(widest, limit) + _LEGEND_ENTRY))))
    legend = config.setdefault("legend", {})
    legend.setdefault("orient", "top")
    legend.setdefault("direction", "horizontal")
    legend.setdefault("columns", columns)
    legend.setdefault("labelLimit", limit)
    # A legend the writer placed keeps its place, but wraps and cuts its labels to fit.
    for placed in _legends(spec):
        if (
            placed.get("orient", "top") in ("top", "bottom")
            and placed.get("direction") != "vertical"
        ):
            placed.setdefault("columns", columns)
        placed.setdefault("labelLimit", limit)
    axis = config.setdefault("axis", {})
    axis.setdefault("labelLimit", _AXIS_LABELS)
    axis.setdefault("tickSize", 3)
    # Years or other steps along the bottom, more than a phone's width holds: every other
    # label, as often as needed, rather than labels printed over each other or run together
    # ("AprMay": labels that touch count as overlapping).
    # Not for slanted labels: their overlap is tested on upright boxes round them, which
    # overlap while the labels do not (a waterfall's names at -45° kept 3 of 9).
    if not _slanted_x_labels(spec):
        discrete = config.setdefault("axisXDiscrete", {})
        discrete.setdefault("labelOverlap", "parity")
        discrete.setdefault("labelSeparation", 3)


# Where a spec sets the bottom axis' label angle: an encoding's axis, or the config's.
_X_AXIS_CONFIGS = (
    *("axis", "axisX", "axisDiscrete", "axisXDiscrete", "axisBand", "axisXBand"),
    *("axisPoint", "axisXPoint"),
)


def _slanted_x_labels(spec: dict[str, Any]) -> bool:
    """Whether the spec slants a bottom axis' labels (an angle not a multiple of 90°)."""
    config = spec.get("config") or {}
    axes = [config.get(key) for key in _X_AXIS_CONFIGS]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            encoding = node.get("encoding")
            x = encoding.get("x") if isinstance(encoding, dict) else None
            if isinstance(x, dict):
                axes.append(x.get("axis"))
            for key, value in node.items():
                if key not in ("data", "datasets", "config", "encoding"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return any(
        isinstance(axis, dict)
        and isinstance(axis.get("labelAngle"), (int, float))
        and axis["labelAngle"] % 90 != 0
        for axis in axes
    )


def with_phone_label_limits(spec: dict[str, Any]) -> dict[str, Any] | None:
    """A copy of the spec with the label limits the writer set wider than the phone layout's
    own (or none: 0) cut to those, in every axis, legend and facet header; None when it sets
    none. For a phone layout that came out too wide: with `labelLimit=500` there was none."""
    capped = _copied_layout(spec)
    return capped if _cap_label_limits(capped, None) else None


def _cap_label_limits(node: Any, key: str | None) -> bool:
    """Whether any limit under `node` (reached by `key`) was cut."""
    changed = False
    if isinstance(node, dict):
        limit = node.get("labelLimit")
        if key is not None and isinstance(limit, (int, float)) and not isinstance(limit, bool):
            cap = _LEGEND_LABELS if key.startswith("legend") else _AXIS_LABELS
            if limit <= 0 or limit > cap:
                node["labelLimit"] = cap
                changed = True
        for name, value in node.items():
            if name not in ("data", "datasets", "values"):
                changed = _cap_label_limits(value, name) or changed
    elif isinstance(node, list):
        for item in node:
            changed = _cap_label_limits(item, key) or changed
    return changed


def legends_stay_beside(narrow: dict[str, Any]) -> bool:
    """Whether a phone layout keeps a legend left or right of its plot (the writer put it
    there); the others go on top."""
    orient = narrow.get("config", {}).get("legend", {}).get("orient", "top")
    placed = [legend.get("orient", orient) for legend in _legends(narrow)]
    return any(side in ("left", "right") for side in [orient, *placed])


def _legends(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The legend objects a writer set in the encodings, in every view."""
    found = []
    encoding = view.get("encoding")
    if isinstance(encoding, dict):
        for channel in (*_LEGEND_CHANNELS, "size", "opacity"):
            enc = encoding.get(channel)
            if isinstance(enc, dict) and isinstance(enc.get("legend"), dict):
                found.append(enc["legend"])
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in view.get(key, []) or []:
            if isinstance(sub, dict):
                found += _legends(sub)
    if isinstance(view.get("spec"), dict):
        found += _legends(view["spec"])
    return found


def _legend_labels(spec: dict[str, Any]) -> list[str]:
    """The categories a legend would list: values of the fields legend channels encode."""
    fields: set[str] = set()
    domains: list[Any] = []

    def visit(view: dict[str, Any]) -> None:
        encoding = view.get("encoding")
        if isinstance(encoding, dict):
            for channel in _LEGEND_CHANNELS:
                enc = encoding.get(channel)
                if isinstance(enc, dict) and enc.get("type") in ("nominal", "ordinal"):
                    if isinstance(enc.get("field"), str):
                        fields.add(enc["field"])
                    scale = enc.get("scale")
                    if isinstance(scale, dict) and isinstance(scale.get("domain"), list):
                        domains.extend(scale["domain"])
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for sub in view.get(key, []) or []:
                if isinstance(sub, dict):
                    visit(sub)
        if isinstance(view.get("spec"), dict):
            visit(view["spec"])

    visit(spec)
    values = {str(v) for v in domains}
    tables = list((spec.get("datasets") or {}).values())
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        tables.append(data["values"])
    for rows in tables:
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict):
                values.update(str(row[f]) for f in fields if row.get(f) is not None)
    return sorted(values)


def _wrap_title(spec: dict[str, Any]) -> None:
    """The spec's own title and subtitle, in lines that fit the phone's width."""
    title = spec.get("title")
    if title is None:
        return
    config = spec.get("config", {}).get("title", {})
    if not isinstance(title, dict):
        title = {"text": title}
    title = dict(title)
    room = NARROW_WIDTH - 8
    bold = str(title.get("fontWeight", config.get("fontWeight", "bold"))) in ("bold", "700")
    size = float(title.get("fontSize", config.get("fontSize", 13)))
    title["text"] = _wrap(title.get("text", ""), room, size, bold)
    if "subtitle" in title:
        sub = float(title.get("subtitleFontSize", config.get("subtitleFontSize", 10)))
        title["subtitle"] = _wrap(title["subtitle"], room, sub, False)
    spec["title"] = title


def _wrap(text: Any, room: float, size: float, bold: bool) -> Any:
    lines = text if isinstance(text, list) else [text]
    if not all(isinstance(line, str) for line in lines):
        return text  # an expression or signal: Vega works it out
    out = [part for line in lines for part in wrap_text(line, size, bold, room) or [""]]
    return out[0] if len(out) == 1 else out


def _scale_widths(view: dict[str, Any], ratio: float) -> None:
    if isinstance(view.get("width"), (int, float)):
        view["width"] = max(60, round(view["width"] * ratio))
    for key in ("hconcat", "vconcat", "concat", "layer"):
        for sub in view.get(key, []) or []:
            if isinstance(sub, dict):
                _scale_widths(sub, ratio)
    if isinstance(view.get("spec"), dict):
        _scale_widths(view["spec"], ratio)
