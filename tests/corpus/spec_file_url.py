"""Corpus case 41: a chart that tries to read a local file through a data URL."""

import altair as alt

from site_builder import chart


@chart("passwd", data="cities", title="Reads a file it must not")
def passwd(cities):
    return alt.Chart(alt.Data(url="file:///etc/passwd")).mark_point().encode(x="a:Q")
