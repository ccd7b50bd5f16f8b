"""Variants of a page spec: narrow (for phones, rendered statically) and interactive (browser).

Standard library only: render workers import this.
"""

from __future__ import annotations

import copy
import re
from typing import Any

# Content width of a phone (375 px less the page margins), in CSS pixels.
NARROW_WIDTH = 340
# Charts at most this wide are legible on a phone as they are (12 px text stays >= 11 px).
NARROW_ABOVE = 370
# Never scale a static chart below this, so its 12 px text stays at least 11 px on screen.
MIN_SCALE = 11 / 12
_COMPOSITIONS = ("hconcat", "vconcat", "concat", "facet", "repeat")


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
    return not any(key in spec for key in _COMPOSITIONS)


def is_fluid(spec: dict[str, Any]) -> bool:
    """The interactive chart follows the width of its container (single Vega-Lite views)."""
    return not is_vega(spec) and is_single_view(spec)


def narrow_spec(spec: dict[str, Any], rendered_width: float) -> dict[str, Any] | None:
    """The same chart laid out for a phone, or None when it is narrow enough already.

    Vega specs are laid out as compiled: None.
    """
    if rendered_width <= NARROW_ABOVE or is_vega(spec):
        return None
    narrow = copy.deepcopy(spec)
    if is_single_view(narrow):
        # Vega-Lite fits the whole chart, labels included, into the width.
        narrow["width"] = NARROW_WIDTH
        narrow["autosize"] = {"type": "fit-x", "contains": "padding"}
        return narrow
    # Compositions cannot be fitted: shrink every view's width in proportion.
    ratio = max(0.35, NARROW_WIDTH / rendered_width)
    config = narrow.setdefault("config", {}).setdefault("view", {})
    config["continuousWidth"] = round(config.get("continuousWidth", 300) * ratio)
    _scale_widths(narrow, ratio)
    return narrow


def _scale_widths(view: dict[str, Any], ratio: float) -> None:
    if isinstance(view.get("width"), (int, float)):
        view["width"] = max(60, round(view["width"] * ratio))
    for key in ("hconcat", "vconcat", "concat", "layer"):
        for sub in view.get(key, []) or []:
            if isinstance(sub, dict):
                _scale_widths(sub, ratio)
    if isinstance(view.get("spec"), dict):
        _scale_widths(view["spec"], ratio)


def interactive_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec the browser renders: single views follow the width of their container.

    Vega specs go as they are (vega-embed tells them apart by their `$schema`).
    """
    if not is_fluid(spec):
        return spec
    # Only top-level keys change: a shallow copy leaves the page spec alone.
    return {**spec, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}}
