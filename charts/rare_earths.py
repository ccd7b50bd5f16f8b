"""Rare earths: who refines them."""

import altair as alt
from _palette import CHINA, FLOOR, OTHER

from site_builder import chart

# Short labels for the sources of each row (the numbers stay in the data).
SOURCE_LABELS = {
    "ARTICLE": "the article, citing the IEA",
    "RS03": "IEA outlook 2024 (2023 data)",
    "RS05": "IEA outlook 2024 (2023 data)",
    "RS16": "IEA commentary, Oct 2025",
    "RS19": "ISIS Malaysia (share of exports)",
}


@chart(
    "rare-earth-refining",
    data="refining_shares",
    title="China refines about nine in ten of the world's rare earths; Malaysia, second, about 5%",
    subtitle="Share of global rare-earth refining, by source (%)",
    description=(
        "Horizontal bars of China's and Malaysia's shares of global rare-earth refining as "
        "each source gives them. China: over 90% according to the article (a floor, not an exact "
        "value), 92% in IEA data for 2023, 91% in an IEA commentary of October 2025. Malaysia: "
        "4% according to the article, about 5% in IEA data for 2023 and 5% of refined exports "
        "according to ISIS Malaysia."
    ),
    notes=[
        "The article's 'over 90%' is a floor: the bar stops at 90 and the arrow marks that the "
        "true value is higher.",
        "Malaysia's 4% comes from the article and could not be confirmed; other sources give about "
        "5%, possibly for a different year or measure.",
    ],
)
def rare_earth_refining(shares):
    rows = shares[
        shares["stage"].str.startswith("refining")
        & shares["country_or_group"].isin(["China", "Malaysia"])
        & ~shares["value_is_projection"]
    ].copy()
    rows["source"] = [
        SOURCE_LABELS.get(origin, SOURCE_LABELS.get(rid, name))
        for origin, rid, name in zip(rows["origin"], rows["row_id"], rows["source_name"])
    ]
    rows["label"] = [
        f"over {v:.0f}%" if floor else f"{v:.0f}%"
        for v, floor in zip(rows["value_pct"], rows["value_is_lower_bound"])
    ]
    rows["kind"] = [
        "floor" if floor else country
        for floor, country in zip(rows["value_is_lower_bound"], rows["country_or_group"])
    ]
    rows = rows[
        ["country_or_group", "source", "value_pct", "value_is_lower_bound", "kind", "label"]
    ]
    y = alt.Y("source:N", title=None, sort=None, axis=alt.Axis(labelLimit=220))
    base = alt.Chart(rows).encode(
        y=y,
        x=alt.X("value_pct:Q", title="% of world refining", scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar(height=16).encode(
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(domain=["China", "floor", "Malaysia"], range=[CHINA, FLOOR, OTHER]),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("country_or_group:N", title="Country"),
            alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("label:N", title="Share"),
        ],
    )
    floor_arrow = base.transform_filter("datum.value_is_lower_bound").mark_point(
        shape="triangle-right", filled=True, size=90, color=CHINA, xOffset=6
    )
    labels = base.mark_text(align="left", dx=14, fontSize=12).encode(text="label:N")
    return (
        (bars + floor_arrow + labels)
        .facet(
            row=alt.Row(
                "country_or_group:N",
                title=None,
                sort=["China", "Malaysia"],
                header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold"),
            )
        )
        .resolve_scale(y="independent")
    )
