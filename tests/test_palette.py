"""Data colours readable on both palettes of the page (WCAG 1.4.11: 3:1)."""

from __future__ import annotations

import pytest

from site_builder.palette import (
    CATEGORY,
    DARK_BACKGROUND,
    LIGHT_BACKGROUND,
    contrast,
    nearest_readable,
    readable_on_both,
    spec_colours,
)
from site_builder.theme import THEME


def test_contrast_ratios() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
    assert contrast("#abc", "#aabbcc") == 1.0


def test_house_categories_read_on_both_pages() -> None:
    assert THEME["range"]["category"] == CATEGORY
    assert len(set(CATEGORY)) == 10
    for colour in CATEGORY:
        assert contrast(colour, LIGHT_BACKGROUND) >= 3, colour
        assert contrast(colour, DARK_BACKGROUND) >= 3, colour


@pytest.mark.parametrize("colour", ["#1b1f4a", "#eeca3b", "#1f5fa8", "#86c5bd"])
def test_a_readable_colour_of_the_same_hue_is_offered(colour: str) -> None:
    assert not readable_on_both(colour)
    better = nearest_readable(colour)
    assert readable_on_both(better) and better != colour
    assert nearest_readable(better) == better


def test_colours_named_by_the_spec_not_its_config_or_data() -> None:
    spec = {
        "config": {"mark": {"color": "#111111"}},
        "datasets": {"d": [{"color": "#123456"}]},
        "layer": [
            {"mark": {"type": "bar", "color": "#AA0000"}},
            {
                "mark": "point",
                "encoding": {
                    "color": {
                        "condition": {"param": "p", "value": "#00aa00"},
                        "value": "#cccccc",
                    },
                    "fill": {"field": "k", "scale": {"range": ["#0000aa", "transparent"]}},
                },
                "transform": [{"calculate": "'#ffffff'", "as": "c"}],
            },
        ],
    }
    assert spec_colours(spec) == ["#aa0000", "#00aa00", "#cccccc", "#0000aa"]
