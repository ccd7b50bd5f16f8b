"""Chip export deals and the Intel stake: what the U.S. government takes."""

import altair as alt
import pandas as pd
from _palette import US

from site_builder import chart, fact

IN_ARTICLE = "in the article"
LATER = "after the article"


def _chip(text: str) -> str:
    """'H20 (China-specific)' -> 'H20'; 'H200 / MI325X class' -> 'H200, MI325X class'."""
    return text.split(" (", 1)[0].replace(" / ", ", ")


@chart(
    "chip-deals",
    data="chip_export_deals",
    title="Washington's cut of AI-chip sales to China rose from 15% to 25%",
    subtitle="U.S. government take on approved AI-chip sales to China, by deal (%)",
    description=(
        "Dots for four arrangements: Nvidia's H20 and AMD's MI308 in August 2025 at 15% of China "
        "sales revenue; Nvidia's H200 in December 2025 at 25%; and the January 2026 rule for "
        "H200 and MI325X-class chips, taken as a 25% tariff. Only the August deals are in the "
        "article."
    ),
    notes=[
        "The 15% arrangement was first reported on 10 August 2025; the White House said its legal "
        "mechanics were not final. The January 2026 25% is a Section 232 tariff, not a revenue "
        "share, and sources give 13, 14 or 15 January for the rule.",
    ],
)
def chip_deals(deals):
    rows = deals[deals["us_gov_take_pct"].notna()].sort_values("key_date", kind="stable").copy()
    rows["Deal"] = rows["key_date"].dt.strftime("%b %Y") + " · " + rows["chip"].map(_chip)
    rows["In the article"] = rows["in_article"].map({True: IN_ARTICLE, False: LATER})
    rows["Shown as"] = rows["us_gov_take_pct"].map(lambda v: f"{v:g}%")
    rows = rows[
        ["Deal", "company", "us_gov_take_pct", "Shown as", "In the article", "take_mechanism"]
    ]
    base = alt.Chart(rows).encode(
        y=alt.Y("Deal:N", sort=None, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X(
            "us_gov_take_pct:Q",
            title="% to the U.S. government",
            scale=alt.Scale(domain=[0, 30]),
            axis=alt.Axis(values=[0, 10, 20, 30]),
        ),
    )
    rules = base.mark_rule(color=US, strokeWidth=1.5).encode(x2=alt.datum(0))
    # Filled: the deals the article reports; hollow: the ones that came after it.
    dots = base.mark_point(size=150, strokeWidth=2, opacity=1, color=US).encode(
        fill=alt.Fill(
            "In the article:N",
            scale=alt.Scale(domain=[IN_ARTICLE, LATER], range=[US, "transparent"]),
            legend=alt.Legend(title=None, orient="bottom", symbolStrokeColor=US),
        ),
        tooltip=[
            alt.Tooltip("Deal:N", title="Deal"),
            alt.Tooltip("company:N", title="Company"),
            alt.Tooltip("Shown as:N", title="U.S. take"),
            alt.Tooltip("take_mechanism:N", title="How"),
        ],
    )
    text = base.mark_text(align="left", dx=10, fontSize=12).encode(text="Shown as:N")
    return (rules + dots + text).properties(width=170, height=alt.Step(30))


STAKE_ROWS = {
    "IS01": "The article",
    "IS02": "Intel's announcement",
}


@chart(
    "intel-stake",
    data="intel_stake",
    title="The article's 10% Intel stake was announced as 9.9%",
    subtitle="Size of the U.S. government's stake in Intel, by source (% of Intel)",
    description=(
        "A dot plot of two figures for the U.S. government's stake in Intel, announced on "
        "22 August 2025: 10% in the article and 9.9% in Intel's announcement. The axis runs "
        "from 8.5% to 10.5%."
    ),
    notes=[
        "The axis does not start at zero: it spreads out figures that differ by a tenth of a "
        "point.",
    ],
)
def intel_stake(stake):
    rows = stake.set_index("row_id").loc[list(STAKE_ROWS)].reset_index()
    rows["According to"] = rows["row_id"].map(STAKE_ROWS)
    rows["Shown as"] = [
        f"about {v:.1f}%" if approx else f"{v:g}%"
        for v, approx in zip(rows["value"], rows["value_is_approximate"])
    ]
    rows = rows[["According to", "value", "Shown as", "source_name", "confidence"]]
    base = alt.Chart(rows).encode(
        y=alt.Y("According to:N", sort=list(STAKE_ROWS.values()), title=None),
        x=alt.X(
            "value:Q",
            title="% of Intel",
            scale=alt.Scale(domain=[8.5, 10.5]),
            axis=alt.Axis(values=[8.5, 9, 9.5, 10, 10.5]),
        ),
    )
    dots = base.mark_circle(size=160, opacity=1, color=US).encode(
        tooltip=[
            alt.Tooltip("source_name:N", title="Source"),
            alt.Tooltip("Shown as:N", title="Stake"),
            alt.Tooltip("confidence:N", title="Confidence"),
        ]
    )
    labels = base.mark_text(align="center", dy=-16, fontSize=12).encode(text="Shown as:N")
    return (dots + labels).properties(width=230, height=alt.Step(44))


def _day(value: object) -> pd.Timestamp:
    return pd.Timestamp(str(value))


@fact("intel-stake-date", data="policy_timeline", format="{value:%-d %B %Y}")
def intel_stake_date(timeline):
    return _day(timeline.set_index("event_id").loc["PT13", "date"])


@fact("intel-purchase-value", data="intel_stake", format="${value:.1f} billion")
def intel_purchase_value(stake):
    """Shares bought times the price: what the stake cost."""
    values = stake.set_index("row_id")["value"]
    return values["IS04"] * values["IS05"] / 1000  # million shares x $ -> $ billion


@fact("intel-funding-total", data="intel_stake", format="${value:.1f} billion")
def intel_funding_total(stake):
    return stake.loc[stake["measure"] == "funding", "value"].sum()


@fact("chip-confirmed-date", data="policy_timeline", format="{value:%-d %B}")
def chip_confirmed_date(timeline):
    return _day(timeline.set_index("event_id").loc["PT12", "date"])
