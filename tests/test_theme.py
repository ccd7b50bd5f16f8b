"""The stylesheet recolours the theme's neutral colours for each palette: the colours it
looks for and the light values it starts from are the theme's own (site_builder/theme.py)."""

from __future__ import annotations

import re
from pathlib import Path

from site_builder import theme

CSS = (Path(theme.__file__).parent / "assets" / "site-builder.css").read_text(encoding="utf-8")


def _block(selector: str) -> str:
    """Every rule for exactly this selector, together."""
    found = re.findall(r"(?m)^" + re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert found, selector
    return "".join(found)


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--sb-chart-([\w-]+):\s*([^;]+);", block))


def test_light_palette_starts_from_the_theme() -> None:
    assert _variables(_block(".sb-figure__chart")) == theme.SWAPPED


def test_dark_palette_recolours_every_neutral_colour() -> None:
    assert set(_variables(_block('[data-md-color-scheme="slate"] .sb-figure__chart'))) == set(
        theme.SWAPPED
    )


def test_dark_values_are_the_stylesheets() -> None:
    # Stand-in images recolour themselves with these (images.stand_in_svg).
    dark = _variables(_block('[data-md-color-scheme="slate"] .sb-figure__chart'))
    assert {**dark, "bg": theme.DARK_BACKGROUND} == theme.DARK_SWAPPED


def test_swaps_look_for_the_colours_the_renderer_writes() -> None:
    swaps = re.findall(
        r'\.sb-figure__chart svg \[(fill|stroke)="(#[0-9a-f]+)"\] '
        r"\{ \1: var\(--sb-chart-([\w-]+)\); \}",
        CSS,
    )
    assert len(swaps) >= len(theme.SWAPPED)
    for _, colour, name in swaps:
        assert theme.SWAPPED[name] == colour, (colour, name)
    assert {name for _, _, name in swaps} == set(theme.SWAPPED)
    assert {(attribute, name) for attribute, _, name in swaps} == set(theme.SWAPS)


def test_rules_are_drawn_in_a_colour_each_palette_swaps() -> None:
    # An annotation's rule, or an error bar's whisker, drawn black was unreadable when dark.
    import vl_convert as vlc

    from site_builder.render import themed

    y = {"field": "v", "type": "quantitative"}
    rows = {"values": [{"g": "a", "v": 1}, {"g": "a", "v": 3}]}
    spec = {
        "data": rows,
        "layer": [
            {"mark": "rule", "encoding": {"y": {"datum": 2}}},
            {"mark": {"type": "errorbar", "ticks": True},
             "encoding": {"x": {"field": "g", "type": "nominal"}, "y": y}},
        ],
    }  # fmt: skip
    svg = vlc.vegalite_to_svg(themed(spec))
    assert 'stroke="#333333"' in svg and 'stroke="black"' not in svg
    assert '.sb-figure__chart svg [stroke="#333333"] { stroke: var(--sb-chart-text); }' in CSS
