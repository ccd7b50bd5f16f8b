"""The policy timeline: who did what, and when, from Biden's AI order to the alliance."""

import altair as alt
import pandas as pd
from _palette import ALLY, CHINA, OTHER, US

from site_builder import chart, fact

# Actors grouped into the story's four colours; anything not listed is "Others".
LANES = {"U.S.": US, "China": CHINA, "Alliance": ALLY, "Others": OTHER}
ACTOR_LANES = {
    "United States": "U.S.",
    "United States; United Kingdom": "U.S.",
    "United States; UAE": "U.S.",
    "China": "China",
    "United States + partners": "Alliance",
    "Qatar": "Alliance",
    "UAE": "Alliance",
}
IN_ARTICLE = "in the article"
# Where the chart's second panel starts: the weeks in which the events bunch up.
ZOOM_FROM = "2025-12-01"
CONTEXT = "context"


def _when(date: str, precision: str) -> str:
    """'2025-12-12' -> '12 Dec 2025'; a month-only date stays a month."""
    if precision == "month":
        return f"{pd.Timestamp(date + '-01'):%b %Y}"
    return f"{pd.Timestamp(date):%-d %b %Y}"


@chart(
    "policy-timeline",
    data="policy_timeline",
    title="Most of the moves came in 2025, and they bunched up in December",
    subtitle="AI policy events by date and actor; filled dots are events the article mentions",
    description=(
        "A timeline of 27 events on a date axis from October 2023 to January 2026, in one lane "
        "per actor: the United States, China, the alliance, or others (the EU, the IEA, APEC, "
        "Nature, Brookings). Most dots fall in 2025, and they crowd together in December 2025. "
        "It runs from Biden's AI executive order of 30 October 2023, through "
        "Trump's revocation of it in January 2025, the chip revenue-share deals of August and "
        "December 2025 and China's proposals for a world AI organisation, to the Pax Silica "
        "declaration of 12 December 2025 and the signatures of Qatar and the UAE in January 2026. "
        "Filled dots mark events the article mentions."
    ),
    notes=[
        "The Brookings seminar (October 2025) is known only from the article and could not be "
        "confirmed. Sources differ on some dates by a day: the Senate vote (1 or 2 July), the "
        "Pax Silica summit (11 or 12 December) and the BIS rule (13 to 15 January).",
    ],
)
def policy_timeline(timeline):
    rows = timeline.copy()
    # A month-only date sorts at the start of its month.
    rows["Sort date"] = pd.to_datetime([d if len(d) == 10 else d + "-01" for d in rows["date"]])
    rows = rows.sort_values(["Sort date", "event_id"], kind="stable")
    rows["Date"] = [_when(d, p) for d, p in zip(rows["date"], rows["date_precision"])]
    rows["Lane"] = rows["actor"].map(ACTOR_LANES).fillna("Others")
    rows["In the article"] = [
        IN_ARTICLE if str(v).startswith(("TRUE", "PARTLY")) else CONTEXT for v in rows["in_article"]
    ]
    rows["Source"] = rows["source_url"].fillna("")
    rows = rows[
        ["event_id", "Date", "Sort date", "Lane", "actor", "short_label", "event",
         "In the article", "source_name", "Source", "confidence"]
    ]  # fmt: skip
    colour = alt.Color(
        "Lane:N", scale=alt.Scale(domain=list(LANES), range=list(LANES.values())), legend=None
    )
    # Filled: the article mentions the event; hollow: context from other sources.
    fill = alt.condition(
        f"datum['In the article'] == '{IN_ARTICLE}'", colour, alt.value("transparent")
    )
    tooltip = [
        alt.Tooltip("Date:N", title="Date"),
        alt.Tooltip("actor:N", title="Actor"),
        alt.Tooltip("event:N", title="What happened"),
        alt.Tooltip("In the article:N", title="In the article?"),
        alt.Tooltip("source_name:N", title="Source (click the dot)"),
        alt.Tooltip("confidence:N", title="Confidence"),
    ]
    dot = {"size": 60, "strokeWidth": 2, "opacity": 0.85, "shape": "circle"}
    zoom = rows[rows["Sort date"] >= pd.Timestamp(ZOOM_FROM)].copy()
    window = pd.DataFrame(
        [{"from": pd.Timestamp(ZOOM_FROM), "to": zoom["Sort date"].max() + pd.Timedelta(days=1)}]
    )
    # Events placed by date on a time axis, one lane per actor; a dot links to its source.
    overview = alt.layer(
        # The weeks enlarged below, shaded: where the events bunch.
        alt.Chart(window).mark_rect(color=OTHER, opacity=0.18).encode(x="from:T", x2="to:T"),
        alt.Chart(rows)
        .mark_point(**dot)
        .encode(
            x=alt.X(
                "Sort date:T",
                title=None,
                axis=alt.Axis(format="%b %Y", tickCount=6, labelAngle=0, grid=True),
            ),
            y=alt.Y("Lane:N", sort=list(LANES), title=None),
            yOffset=alt.YOffset("In the article:N", sort=[IN_ARTICLE, CONTEXT]),
            color=colour,
            fill=fill,
            href=alt.Href("Source:N"),
            tooltip=tooltip,
        ),
    ).properties(width=290, height=alt.Step(24))
    # The last weeks, one row per event, each named: a label runs right of its dot, or left of
    # it near the panel's end, so that none runs off the chart.
    zoom["Label side"] = [
        "left"
        if d > zoom["Sort date"].min() + (zoom["Sort date"].max() - zoom["Sort date"].min()) / 2
        else "right"
        for d in zoom["Sort date"]
    ]
    base = alt.Chart(zoom).encode(
        x=alt.X(
            "Sort date:T",
            title=None,
            scale=alt.Scale(padding=8),
            axis=alt.Axis(format="%-d %b", tickCount=4, labelAngle=0, grid=True, orient="top"),
        ),
        y=alt.Y("event_id:N", sort=None, axis=None),
    )
    days = alt.layer(
        base.mark_point(**dot).encode(
            color=colour, fill=fill, href=alt.Href("Source:N"), tooltip=tooltip
        ),
        base.transform_filter("datum['Label side'] == 'right'")
        .mark_text(align="left", dx=8, fontSize=12)
        .encode(text="short_label:N", href=alt.Href("Source:N")),
        base.transform_filter("datum['Label side'] == 'left'")
        .mark_text(align="right", dx=-8, fontSize=12)
        .encode(text="short_label:N", href=alt.Href("Source:N")),
    ).properties(
        width=290,
        height=alt.Step(18),
        title=alt.TitleParams(
            f"{pd.Timestamp(ZOOM_FROM):%-d %b %Y} to {zoom['Sort date'].max():%-d %b %Y}, "
            "day by day",
            fontSize=12,
            fontWeight="normal",
            anchor="start",
        ),
    )
    return alt.vconcat(overview, days, spacing=14)


# Dates used in prose, each from its row of the timeline.
DATE_FACTS = {
    "biden-ai-order-date": "PT01",
    "ai-order-revoked-date": "PT03",
    "ai-barriers-order-date": "PT04",
    "senate-moratorium-vote-date": "PT08",
    "li-qiang-proposal-date": "PT10",
    "apec-opening-date": "PT16",
    "xi-waico-date": "PT17",
    "helberg-interview-date": "PT18",
    "cabinet-meeting-date": "PT20",
    "oval-office-remark-date": "PT21",
    "state-ai-law-order-date": "PT23",
    "pax-silica-signing-date": "PT24",
}


def _date_fact(event_id: str):
    def compute(timeline):
        row = timeline.set_index("event_id").loc[event_id]
        return pd.Timestamp(row["date"])  # a day-precision date

    return compute


for _name, _event in DATE_FACTS.items():
    fact(_name, data="policy_timeline", format="{value:%-d %B %Y}")(_date_fact(_event))
