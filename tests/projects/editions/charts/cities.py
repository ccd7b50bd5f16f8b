import altair as alt

from site_builder import chart, fact


@chart(
    "city-population",
    data="cities",
    title="Windhoek is the largest <b>city</b>",
    subtitle="Population",
    description="Bars of population by city.",
    notes="Made-up numbers & test values.",
)
def city_population(cities):
    return alt.Chart(cities).mark_bar().encode(x="population:Q", y="city:N")


@chart("region-scores", data="regions", title="Scores by region")
def region_scores(regions):
    return alt.Chart(regions).mark_point().encode(x="score:Q", y="region:N")


@fact("city-count", data="cities")
def city_count(cities):
    return len(cities)


@chart("founding", data="cities", title="When each city was founded", description="Dots by year.")
def founding(cities):
    # A column the chart function makes, and a date its table writes with month names.
    rows = cities.assign(**{"Years to 2025": 2025 - cities["founded"].dt.year})
    return (
        alt.Chart(rows)
        .mark_point()
        .encode(
            x=alt.X("founded:T", axis=alt.Axis(format="%b %Y", tickCount=4)),
            y="city:N",
            tooltip=[alt.Tooltip("founded:T", format="%-d %B %Y"), "Years to 2025:Q"],
        )
        .properties(width=480)
    )
