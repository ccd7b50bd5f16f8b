"""Rare earths: who mines them, who refines them, and what the IEA projects for 2030."""

import altair as alt
import pandas as pd
from _palette import CHINA, FLOOR, OTHER, country_colour

from site_builder import chart

# Short labels for the sources of each row (the numbers stay in the data).
SOURCE_LABELS = {
    "ARTICLE": "The article (citing IEA)",
    "RS03": "IEA, 2023 data",
    "RS05": "IEA, 2023 data",
    "RS16": "IEA, Oct 2025",
    "RS19": "ISIS Malaysia, exports",
}
# Rows whose source gives the value as approximate ("~5%").
APPROXIMATE = {"RS05"}


def _pct(value: float) -> str:
    """12 -> '12%', 11.5 -> '11.5%': no invented precision."""
    return f"{value:g}%"


def _rows(shares: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The named rows, in the order given."""
    return shares.set_index("row_id").loc[ids].reset_index()


# The lead chart: each stage as 100% of world output, from the IEA's own figures: China,
# Malaysia where the IEA figure gives it, and the rest of the world (100 minus those).
STAGES = [
    ("Mining, 2023", "RS10", None),
    ("Refining, 2023", "RS03", "RS05"),
    ("Magnets, Oct 2025", "RS17", None),
]
PARTS = ["China", "Malaysia", "Rest of the world"]
PART_COLOURS = [CHINA, "#bf8a26", OTHER]


@chart(
    "china-share-by-stage",
    data="refining_shares",
    title="China mines six in ten of the world's rare earths but refines nine in ten",
    subtitle="Share of world output at each stage, IEA figures (%), and the article's figures",
    description=(
        "Three bars, each 100% of world output. Mining in 2023: China 62%, the rest of the "
        "world 38%. Refining in 2023: China 92%, Malaysia about 5%, the rest of the world 3%. "
        "Permanent-magnet making, in an IEA commentary of October 2025: China 94%, the rest of "
        "the world 6%. Below the bars, the article's own figures, attributed to it: China over "
        "90% of refining capacity and Malaysia 4%, which no source confirms."
    ),
    notes=[
        "Mining and refining: IEA data for 2023 (Global Critical Minerals Outlook 2024), read in "
        "a summary. Magnet making: an IEA commentary of 23 October 2025, read in a summary; its "
        "data year is not stated, and the same commentary gives China 91% of refining. 'Rest of "
        "the world' is 100% minus the shares shown. The IEA figures give no Malaysian share for "
        "mining or magnets.",
        "The article's figures (RFI, citing the IEA) are shown as text, not as bars: 'over 90%' "
        "is a floor, and Malaysia's 4% could not be confirmed (other sources give about 5%).",
    ],
)
def china_share_by_stage(shares):
    table = shares.set_index("row_id")
    parts = []
    for stage, china_id, malaysia_id in STAGES:
        china = float(table.loc[china_id, "value_pct"])
        malaysia = float(table.loc[malaysia_id, "value_pct"]) if malaysia_id else 0.0
        segments = [("China", china, china_id), ("Malaysia", malaysia, malaysia_id)]
        segments.append(("Rest of the world", 100 - china - malaysia, china_id))
        for order, (part, value, row_id) in enumerate(segments):
            if row_id is None:
                continue  # not given by the source: left out, not filled in
            shown = ("about " if row_id in APPROXIMATE else "") + _pct(round(value, 1))
            parts.append(
                {"Stage": stage, "Part": part, "row_id": row_id, "Order": order,
                 "value_pct": value, "Shown as": shown}
            )  # fmt: skip
    rows = pd.DataFrame(parts)
    stages = [s for s, _, _ in STAGES]
    # The article's figures: a row of text under the bars, attributed, not drawn as bars.
    article = _rows(shares, ["RS01", "RS02"])
    said = "Refining, per RFI"
    article["Stage"] = said
    article["Shown as"] = (  # two lines, so that a phone need not scroll
        f"China over {article.loc[0, 'value_pct']:.0f}%, Malaysia "
        f"{article.loc[1, 'value_pct']:.0f}%\n(the article, 'citing the IEA')"
    )
    article = article[["Stage", "row_id", "Shown as"]].iloc[:1]
    y = alt.Y("Stage:N", sort=[*stages, said], title=None, axis=alt.Axis(labelLimit=200))
    x = alt.X(
        "value_pct:Q",
        stack="zero",
        scale=alt.Scale(domain=[0, 100]),
        title="% of world output",
    )
    base = alt.Chart(rows).encode(y=y)
    bars = base.mark_bar(height=24, stroke="white", strokeWidth=1).encode(
        x=x,
        color=alt.Color(
            "Part:N",
            scale=alt.Scale(domain=PARTS, range=PART_COLOURS),
            legend=alt.Legend(title=None, orient="top", direction="horizontal"),
        ),
        order=alt.Order("Order:Q"),
        tooltip=[
            alt.Tooltip("Stage:N", title="Stage"),
            alt.Tooltip("Part:N", title="Who"),
            alt.Tooltip("Shown as:N", title="Share"),
        ],
    )
    # China's share written inside its segment.
    labels = (
        base.transform_filter(alt.datum.Part == "China")
        .mark_text(align="left", dx=6, color="white", fontSize=13, fontWeight="bold")
        .encode(x=alt.datum(0), text="Shown as:N")
    )
    quoted = (
        alt.Chart(article)
        .mark_text(align="left", fontSize=12, fontStyle="italic", lineBreak="\n")
        .encode(y=y, x=alt.datum(0), text="Shown as:N")
    )
    return (bars + labels + quoted).properties(width=240, height=alt.Step(36))


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
        "5%, possibly for a different year or measure. ISIS Malaysia's 5% is a share of refined "
        "exports, not of refining capacity.",
    ],
)
def rare_earth_refining(shares):
    rows = shares[
        shares["stage"].str.startswith("refining")
        & shares["country_or_group"].isin(["China", "Malaysia"])
        & ~shares["value_is_projection"]
    ].copy()
    rows["According to"] = [
        SOURCE_LABELS.get(origin, SOURCE_LABELS.get(rid, name))
        for origin, rid, name in zip(rows["origin"], rows["row_id"], rows["source_name"])
    ]
    rows["Shown as"] = [
        f"over {v:.0f}%" if floor else ("about " if rid in APPROXIMATE else "") + _pct(v)
        for v, floor, rid in zip(rows["value_pct"], rows["value_is_lower_bound"], rows["row_id"])
    ]
    rows["Drawn as"] = [
        "floor" if floor else country
        for floor, country in zip(rows["value_is_lower_bound"], rows["country_or_group"])
    ]
    rows = rows[
        [
            "country_or_group",
            "According to",
            "value_pct",
            "value_is_lower_bound",
            "Drawn as",
            "Shown as",
        ]
    ]
    y = alt.Y("According to:N", title=None, sort=None, axis=alt.Axis(labelLimit=170))

    def panel(country: str, last: bool) -> alt.LayerChart:
        # Filter in the spec, not in pandas: the figure's data table keeps both countries.
        base = (
            alt.Chart(rows)
            .transform_filter(alt.datum.country_or_group == country)
            .encode(
                y=y,
                x=alt.X(
                    "value_pct:Q",
                    title="% of world refining" if last else None,
                    scale=alt.Scale(domain=[0, 100]),
                    axis=alt.Axis(labels=last, ticks=last, domain=last),
                ),
            )
        )
        bars = base.mark_bar(height=16).encode(
            color=alt.Color(
                "Drawn as:N",
                scale=alt.Scale(domain=["China", "floor", "Malaysia"], range=[CHINA, FLOOR, OTHER]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("country_or_group:N", title="Country"),
                alt.Tooltip("According to:N", title="Source"),
                alt.Tooltip("Shown as:N", title="Share"),
            ],
        )
        # A floor gets an arrow past the bar's end: the true value is higher.
        arrow = base.transform_filter("datum.value_is_lower_bound").mark_point(
            shape="triangle-right", filled=True, size=90, color=CHINA, xOffset=6
        )
        exact = base.transform_filter("!datum.value_is_lower_bound")
        floor = base.transform_filter("datum.value_is_lower_bound")
        labels = [
            exact.mark_text(align="left", dx=5, fontSize=12).encode(text="Shown as:N"),
            floor.mark_text(align="left", dx=14, fontSize=12).encode(text="Shown as:N"),
        ]
        title = alt.TitleParams(country, anchor="start", fontSize=13, offset=2)
        return alt.layer(bars, arrow, *labels).properties(
            width=180, height=alt.Step(22), title=title
        )

    return alt.vconcat(panel("China", False), panel("Malaysia", True), spacing=10)


# 2023 measurement -> 2030 projection, both from the IEA's 2024 outlook.
OUTLOOK_PAIRS = [
    ("RS03", "RS06", "China, refining"),
    ("RS10", "RS12", "China, mining"),
    ("RS05", "RS07", "Malaysia, refining"),
]


@chart(
    "rare-earth-outlook",
    data="refining_shares",
    title="The IEA projects China's share to shrink by 2030, and Malaysia's to grow",
    subtitle="Share of world rare-earth output, 2023 and the IEA's 2030 projection (%)",
    description=(
        "A slope chart from 2023 to 2030. The IEA projects China's share of refining to fall "
        "from 92% to 77%, China's share of mining from 62% to 54%, and Malaysia's share of "
        "refining to rise from about 5% to 12%. The 2030 values are projections, drawn as "
        "dashed lines and hollow dots."
    ),
    notes=[
        "2030 values are IEA projections, not measurements. All values come from a summary of the "
        "IEA's Global Critical Minerals Outlook 2024.",
        "Malaysia's 2023 figure is the summary's 'about 5%', whose scope (refining, or magnet "
        "rare earths) is unclear.",
    ],
)
def rare_earth_outlook(shares):
    parts = []
    for start, end, series in OUTLOOK_PAIRS:
        pair = _rows(shares, [start, end])
        pair["Series"] = series
        pair["Country"] = pair["country_or_group"]
        pair["Year"] = ["2023", "2030 (projected)"]
        parts.append(pair)
    rows = pd.concat(parts, ignore_index=True)
    rows["Shown as"] = [
        ("about " if rid in APPROXIMATE else "") + _pct(v)
        for v, rid in zip(rows["value_pct"], rows["row_id"])
    ]
    rows["Label at 2030"] = rows["Shown as"] + " " + rows["Series"]
    rows = rows[
        [
            "Series",
            "Country",
            "Year",
            "value_pct",
            "value_is_projection",
            "Shown as",
            "Label at 2030",
        ]
    ]
    domain = sorted(set(rows["Country"]))
    colour = alt.Color(
        "Country:N",
        scale=alt.Scale(domain=domain, range=[country_colour(c) for c in domain]),
        legend=None,
    )
    x = alt.X(
        "Year:N",
        sort=["2023", "2030 (projected)"],
        title=None,
        axis=alt.Axis(labelAngle=0, orient="top", domain=False, ticks=False),
        scale=alt.Scale(padding=0.15),
    )
    y = alt.Y("value_pct:Q", title=None, scale=alt.Scale(domain=[0, 100]), axis=None)
    base = alt.Chart(rows).encode(x=x, y=y, color=colour)
    lines = base.mark_line(strokeDash=[5, 3], strokeWidth=2.5).encode(detail="Series:N")
    tooltip = [
        alt.Tooltip("Series:N", title="Series"),
        alt.Tooltip("Year:N", title="Year"),
        alt.Tooltip("Shown as:N", title="Share"),
    ]
    # Measured values are filled dots; projections are hollow, like their dashed lines.
    measured = (
        base.transform_filter("!datum.value_is_projection")
        .mark_point(size=80, filled=True, opacity=1)
        .encode(tooltip=tooltip)
    )
    projected = (
        base.transform_filter("datum.value_is_projection")
        .mark_point(size=80, filled=False, strokeWidth=2.5, opacity=1)
        .encode(tooltip=tooltip)
    )
    # Labels in the text colour: grey text on white would be too faint to read.
    plain = alt.Chart(rows).encode(x=x, y=y)
    left = (
        plain.transform_filter("!datum.value_is_projection")
        .mark_text(align="right", dx=-10, fontSize=12)
        .encode(text="Shown as:N")
    )
    right = (
        plain.transform_filter("datum.value_is_projection")
        .mark_text(align="left", dx=10, fontSize=12)
        .encode(text="Label at 2030:N")
    )
    return (lines + measured + projected + left + right).properties(width=170, height=230)


USGS_ROWS = ["RS18", "RS21", "RS22", "RS23", "RS24"]


@chart(
    "rare-earth-mining-usgs",
    data="refining_shares",
    title="By the USGS count, China mined 69% of rare earths in 2024; the U.S. came second",
    subtitle="Share of world rare-earth mine production, 2024, U.S. Geological Survey (%)",
    description=(
        "Ranked horizontal bars of shares of world rare-earth mine production in 2024 according "
        "to the U.S. Geological Survey: China 69%, the United States 11.5%, Myanmar 8%, "
        "Australia 3.3% and Thailand 3.3%."
    ),
    notes=[
        "USGS figures, read in a summary: a different agency and method from the IEA figures "
        "elsewhere in this story, so the two should not be compared directly.",
    ],
)
def rare_earth_mining_usgs(shares):
    rows = _rows(shares, USGS_ROWS)
    rows["Country"] = rows["country_or_group"]
    rows["Shown as"] = rows["value_pct"].map(_pct)
    rows = rows[["row_id", "Country", "data_year", "value_pct", "Shown as"]]
    order = list(rows.sort_values("value_pct", ascending=False, kind="stable")["Country"])
    y = alt.Y("Country:N", sort=order, title=None)
    base = alt.Chart(rows).encode(
        y=y,
        x=alt.X("value_pct:Q", title="% of world mine production", scale=alt.Scale(domain=[0, 80])),
    )
    bars = base.mark_bar(height=18).encode(
        color=alt.Color(
            "Country:N",
            scale=alt.Scale(domain=order, range=[country_colour(c) for c in order]),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("Country:N", title="Country"),
            alt.Tooltip("Shown as:N", title="Share of mine production"),
            alt.Tooltip("data_year:N", title="Year"),
        ],
    )
    labels = base.mark_text(align="left", dx=5, fontSize=12).encode(text="Shown as:N")
    return (bars + labels).properties(width=250, height=alt.Step(28))
