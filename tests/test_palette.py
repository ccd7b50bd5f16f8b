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


def test_marks_that_vanish_into_either_page_are_found_in_the_drawing() -> None:
    """A scheme's end is drawn, not named: viridis's first colour is 1.07:1 on the dark page,
    the default ramp's 1.11:1 on the light one. Category colours, and a pale grey kept for
    context, are seen."""
    import json

    import altair as alt
    import pandas as pd

    from site_builder.palette import faint_fills
    from site_builder.render import render_one, themed

    rows = pd.DataFrame({"item": list("ABCDE"), "value": [1, 5, 9, 14, 20]})

    def drawn(chart: alt.Chart) -> str:
        outcome = render_one(json.dumps(themed(chart.to_dict())), "{}")
        assert not isinstance(outcome, str)
        return outcome[0]

    bars = alt.Chart(rows).mark_bar()
    viridis = alt.Color("value:Q", scale=alt.Scale(scheme="viridis"))
    assert faint_fills(drawn(bars.encode(x="item:N", y="value:Q", color=viridis))) == [
        "rgb(68, 1, 84): 1.07:1 on the dark page",
        "rgb(253, 231, 37): 1.26:1 on the light page",  # its yellow end
    ]
    heat = alt.Chart(rows).mark_rect().encode(x="item:N", color="value:Q")
    assert faint_fills(drawn(heat)) == ["rgb(239, 249, 189): 1.11:1 on the light page"]
    assert faint_fills(drawn(bars.encode(x="item:N", y="value:Q", color="item:N"))) == []
    grey = bars.mark_bar(color="#dddddd").encode(x="item:N", y="value:Q")
    assert faint_fills(drawn(grey)) == []
    # An outline that reads on that page keeps the mark seen; a colour named is read too.
    outlined = heat.mark_rect(stroke="#333333")
    assert faint_fills(drawn(outlined)) == []
    black = bars.mark_bar(color="black").encode(x="item:N", y="value:Q")
    assert faint_fills(drawn(black)) == ["black: 1.29:1 on the dark page"]
    # The page's own colours follow the palette: land (#dcdcdc) and lines (#ffffff).
    land = bars.mark_bar(color="#ffffff").encode(x="item:N", y="value:Q")
    assert faint_fills(drawn(land)) == []
