"""Chip export deals: what the U.S. government takes."""

import altair as alt
from _palette import CHINA, OTHER

from site_builder import chart


@chart(
    "chip-deals",
    data="chip_export_deals",
    title="Washington's cut of China chip sales rose from 15% to 25%",
    subtitle="U.S. government take on approved AI-chip sales to China, by deal (% of revenue)",
    description=(
        "Dots for four arrangements: Nvidia's H20 and AMD's MI308 in August 2025 at 15% of China "
        "sales revenue; Nvidia's H200 in December 2025 at 25%; and the January 2026 rule for "
        "H200 and MI325X-class chips, taken as a 25% tariff."
    ),
    notes=[
        "The 15% arrangement was first reported on 10 August 2025; the White House said its legal "
        "mechanics were not final. The January 2026 25% is a Section 232 tariff, not a revenue "
        "share.",
    ],
)
def chip_deals(deals):
    rows = deals[deals["us_gov_take_pct"].notna()].copy()
    rows["deal"] = rows["company"] + " " + rows["chip"].str.replace(r"\s*\(.*\)", "", regex=True)
    rows["when"] = rows["key_date"].dt.strftime("%b %Y")
    rows["label"] = rows["deal"] + " (" + rows["when"] + ")"
    rows["in the article"] = rows["in_article"].map({True: "in the article", False: "later"})
    rows["take"] = rows["us_gov_take_pct"].map(lambda v: f"{v:.0f}%")
    rows = rows[["label", "us_gov_take_pct", "take", "in the article", "take_mechanism"]]
    base = alt.Chart(rows).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X(
            "us_gov_take_pct:Q",
            title="% of revenue to the U.S. government",
            scale=alt.Scale(domain=[0, 30]),
        ),
    )
    rules = (
        base.transform_calculate(zero="0")
        .mark_rule(color=OTHER, strokeWidth=1)
        .encode(x="zero:Q", x2="us_gov_take_pct:Q")
    )
    dots = base.mark_circle(size=140, opacity=1).encode(
        color=alt.Color(
            "in the article:N",
            scale=alt.Scale(domain=["in the article", "later"], range=[CHINA, "#e08e7a"]),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Deal"),
            alt.Tooltip("us_gov_take_pct:Q", title="Take (%)"),
            alt.Tooltip("take_mechanism:N", title="How"),
        ],
    )
    text = base.mark_text(align="left", dx=10, fontSize=12).encode(text="take:N")
    return (rules + dots + text).properties(width=300)
