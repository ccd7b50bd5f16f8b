"""Corpus case 42: a chart that encodes a column its table does not have."""

import altair as alt

from site_builder import chart


@chart("misspelled", data="cities", title="Encodes a missing column")
def misspelled(cities):
    return alt.Chart(cities).mark_bar().encode(x="populaton:Q", y="city:N")
