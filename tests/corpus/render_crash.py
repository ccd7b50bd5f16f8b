"""Corpus case 44: a chart Altair accepts but the renderer cannot draw."""

import altair as alt

from site_builder import chart


@chart("crashes", data="regions", title="Crashes the renderer")
def crashes(regions):
    base = alt.Chart(regions).encode(y="region:N")
    rule = base.mark_rule().encode(x=alt.datum(0), x2="score:Q")
    return rule + base.mark_point().encode(x="score:Q")
