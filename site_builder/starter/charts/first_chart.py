"""A first chart: replace the title with what the data shows."""

import altair as alt

from site_builder import chart


@chart(
    "first-chart",
    data="example",
    title="Alpha has the largest example value",
    description="Bars of the example values: Alpha 12, Bravo 7, Charlie 3.",
    notes="Placeholder values: replace data/example.csv with your own.",
)
def first_chart(table):
    # One bar per row, largest first; nothing is added up.
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="Value"),
            y=alt.Y("item:N", sort="-x", title=None),
            tooltip=["item:N", "value:Q"],
        )
    )
