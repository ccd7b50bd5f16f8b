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
    first_ratio,
    is_single_view,
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

_ORIGIN = re.compile(r'<svg\b[^>]*>\s*<g\b[^>]*?\btransform="translate\((-?[\d.]+),')
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
) -> str | None:
    """The phone layout's SVG, drawn with `draw`; None when the wide one will do.

    `wide_boxes`: the wide drawing's text (textfit.text_boxes), for the room beside its plot.
    """
    wide = svg_width(wide_svg)
    small = narrow_spec(spec, wide)
    if small is None:
        return None
    target = phone_width(spec)
    if is_single_view(small):
        width = predicted_width(wide_svg, wide_boxes, spec, small, target - AIM)
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
    # A composition: its labels and gaps do not shrink with its views; measure, retry.
    ratio = first_ratio(wide, target - AIM)
    narrow = draw(small)
    for _ in range(2):
        if fits(svg_width(narrow), target):
            break
        ratio = next_ratio(wide, ratio, svg_width(narrow), target - AIM)
        retry = narrow_spec(spec, wide, ratio)
        if retry is None:
            break
        small, narrow = retry, draw(retry)
    return narrow


def predicted_width(
    wide_svg: str,
    boxes: Sequence[TextBox],
    spec: dict[str, Any],
    small: dict[str, Any],
    aim: float,
) -> int | None:
    """The plot width that should bring a single view's phone layout to `aim` px: the wide
    drawing's room left and right of its plot (axes, labels beside marks), without the legends
    right of the plot (a phone's go on top) and with the phone's shorter ticks. None when the
    drawing's plot cannot be found."""
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
