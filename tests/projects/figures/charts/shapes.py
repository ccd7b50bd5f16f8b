"""Charts of every shape a writer may make: each is a case the figure must draw whole, once."""

import altair as alt
import pandas as pd

from site_builder import chart

PALE_NAVY = "#1b1f4a"  # fine on white, too dark on the dark palette's background


@chart("faceted", data="sales", title="Units by year, one panel per region")
def faceted(sales):
    return (
        alt.Chart(sales)
        .mark_bar()
        .encode(x="year:O", y="sum(units):Q", column="region:N")
        .properties(width=220, height=140)
    )


@chart("repeated", data="sales", title="Units and price by year")
def repeated(sales):
    return (
        alt.Chart(sales)
        .mark_line()
        .encode(x="year:O", y=alt.Y(alt.repeat("column"), type="quantitative", aggregate="mean"))
        .properties(width=200, height=120)
        .repeat(column=["units", "price"])
    )


@chart("wide-brush", data="points", title="A wide scatter: drag to select points")
def wide_brush(points):
    brush = alt.selection_interval(name="brush")
    return (
        alt.Chart(points)
        .mark_point()
        .encode(
            x="x:Q",
            y="y:Q",
            color=alt.condition(brush, alt.value("#236bbd"), alt.value("#949494")),
        )
        .add_params(brush)
        .properties(width=900, height=260)
    )


@chart("six-lines", data="sales", title="Units of six products over ten years")
def six_lines(sales):
    return (
        alt.Chart(sales)
        .mark_line()
        .encode(x="year:O", y="sum(units):Q", color=alt.Color("product:N", title="Product"))
        .properties(width=560, height=220)
    )


@chart("lands-map", data=["lands", "shapes"], title="Two of three lands are members")
def lands_map(lands, shapes):
    geo = alt.Data(values=shapes, format=alt.DataFormat(property="features"))
    areas = (
        alt.Chart(geo)
        .mark_geoshape(stroke="#ffffff")
        .transform_lookup(lookup="id", from_=alt.LookupData(lands, "name", ["member", "page"]))
        # A member links to its page; Midland's cell is empty: it links nowhere.
        .encode(color=alt.Color("member:N", title="Member"), href="page:N")
    )
    labels = (
        alt.Chart(lands)
        .mark_text(dy=-20, fontSize=12)
        .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
    )
    return alt.layer(areas, labels).project("equalEarth").properties(width=440, height=300)


@chart("pale-writer-colour", data="sales", title="A writer's own colour")
def pale_writer_colour(sales):
    return (
        alt.Chart(sales)
        .mark_bar(color=PALE_NAVY)
        .encode(x="sum(units):Q", y="product:N")
        .properties(width=300)
    )


@chart("edge-labels", data="sales", title="Labels beside the bars, about 5% each")
def edge_labels(sales):
    bars = alt.Chart(sales).encode(x="sum(units):Q", y=alt.Y("product:N", title=None))
    return (bars.mark_bar() + bars.mark_text(align="left", dx=3).encode(text="sum(units):Q"))


@chart("crowded-bars", data="sales", title="Thirty upright bars: on a phone, on their side")
def crowded_bars(sales):
    north = sales[(sales.region == "North") & (sales.year < 2020)]
    return (
        alt.Chart(north)
        .mark_bar()
        .encode(x=alt.X("id:N", sort="-y"), y="units:Q")
        .properties(width=alt.Step(20))
    )


@chart("viridis-ends", data="sales", title="A scheme whose dark end fades into the dark page")
def viridis_ends(sales):
    return (
        alt.Chart(sales)
        .mark_bar()
        .encode(
            x="product:N",
            y="sum(units):Q",
            color=alt.Color("sum(units):Q", scale=alt.Scale(scheme="viridis")),
        )
    )


@chart("dense-scatter", data="points", title="Twenty-four hundred points with a legend")
def dense_scatter(points):
    # Eight shifted copies of the points: enough marks that its SVG is over the page's budget
    # and an image stands in for it, on phones too.
    many = pd.concat(
        [points.assign(x=points.x + k * 0.37, y=points.y + k * 0.21) for k in range(8)]
    )
    return (
        alt.Chart(many)
        .mark_circle(size=12)
        .encode(x="x:Q", y="y:Q", color=alt.Color("group:N", title="Group of the point"))
        .properties(width=440, height=300)
    )


@chart("time-bars", data="points", title="A hundred months of bars")
def time_bars(points):
    # Bars along a time axis are a fixed width: on a phone's narrower plot they merged.
    months = points.head(100).assign(month=pd.date_range("2015-01-01", periods=100, freq="MS"))
    return alt.Chart(months).mark_bar().encode(x="month:T", y="y:Q").properties(width=600)


@chart("slider", data="points", title="Points above a threshold the reader sets")
def slider(points):
    cutoff = alt.param(name="cutoff", value=10, bind=alt.binding_range(min=0, max=100, step=1))
    return (
        alt.Chart(points)
        .mark_circle(size=30)
        .encode(
            x="x:Q",
            y="y:Q",
            opacity=alt.condition(alt.datum.y > cutoff, alt.value(1), alt.value(0.2)),
        )
        .add_params(cutoff)
        .properties(width=600)
    )


@chart("scale-picker", data="sales", title="Units sold by year, counted one way or another")
def scale_picker(sales):
    # A menu that widens the axis labels (thousands to millions): the live chart was laid out
    # once, and the wider labels ran off its left edge.
    per = alt.param(
        name="per", value=1, bind=alt.binding_select(options=[1, 1000], name="Scale ")
    )
    return (
        alt.Chart(sales)
        .transform_calculate(shown="datum.units * per")
        .mark_bar()
        .encode(x="year:O", y=alt.Y("sum(shown):Q", title="Units sold"))
        .add_params(per)
        .properties(width=300)
    )
