"""The article's claims, checked: how many hold up, and where the record differs."""

import altair as alt
import pandas as pd
from _palette import STATUS, STATUS_COLOURS

from site_builder import chart, fact

STATUS_SCALE = alt.Scale(domain=list(STATUS), range=[STATUS_COLOURS[s] for s in STATUS])
# Shape as well as colour, so that the status reads without colour.
STATUS_SHAPES = alt.Scale(domain=list(STATUS), range=["circle", "diamond", "triangle-up"])


def _counts(claims: pd.DataFrame) -> pd.Series:
    return claims["status"].value_counts().reindex(list(STATUS), fill_value=0)


@chart(
    "claims-status",
    data="claims",
    title="Of the article's 16 claims, 9 hold up; 5 conflict with the record, 2 are unconfirmed",
    subtitle="The article's claims by status against the public record (number of claims)",
    description=(
        "Three horizontal bars counting the article's 16 checked claims: 9 confirmed, 5 that "
        "conflict with the record and 2 that could not be confirmed."
    ),
    notes=[
        "'Conflicting' means at least one detail (a date, a title, a figure) differs from the "
        "sources; the rest of the claim may hold.",
    ],
)
def claims_status(claims):
    counts = _counts(claims)
    rows = pd.DataFrame({"status": counts.index, "Claims": counts.to_numpy()})
    base = alt.Chart(rows).encode(
        y=alt.Y("status:N", sort=list(STATUS), title=None),
        x=alt.X("Claims:Q", title="Number of claims", axis=alt.Axis(tickMinStep=1)),
    )
    bars = base.mark_bar(height=22).encode(
        color=alt.Color("status:N", scale=STATUS_SCALE, legend=None),
        tooltip=[alt.Tooltip("status:N", title="Status"), alt.Tooltip("Claims:Q", title="Claims")],
    )
    labels = base.mark_text(align="left", dx=5, fontSize=13, fontWeight="bold").encode(
        text="Claims:Q"
    )
    return (bars + labels).properties(width=240, height=alt.Step(34))


@chart(
    "claims-table",
    data="claims",
    title="Where the article and the record part ways",
    subtitle="Each of the article's claims, grouped by status (claim numbers as in the fact sheet)",
    description=(
        "A list of the article's 16 claims grouped by status. Confirmed: A3, A5, A6, A7, A10, "
        "A11, A12, A13 and A15. Conflicting: A2 (Helberg's title), A4 (the date and venue of the "
        "first meeting), A8 (Malaysia's 4%), A9 (the Intel stake) and A14 (the APEC date). "
        "Unconfirmed: A1 (Trump's quote) and A16 (the Brookings seminar). The data table gives "
        "each claim in full, where the record differs, and the sources."
    ),
    notes=[
        "Open the data table for each claim's full text, the one-line explanation of each "
        "conflict, the sources read and the fact sheet's confidence.",
    ],
)
def claims_table(claims):
    rows = claims.copy()
    counts = _counts(rows)
    heads = {s: f"{s.capitalize()} ({counts[s]})" for s in STATUS}
    rows["Group"] = rows["status"].map(heads)
    rows["Number"] = rows["claim_id"].str[1:].astype(int)
    order = list(rows.sort_values("Number")["claim_id"])
    rows = rows[
        ["claim_id", "Group", "status", "short_claim", "claim", "conflict_note", "note",
         "source_urls", "confidence"]
    ]  # fmt: skip

    def group(status: str) -> alt.LayerChart:
        # Filter in the spec, not in pandas: the figure's data table keeps every claim.
        base = (
            alt.Chart(rows)
            .transform_filter(alt.datum.status == status)
            .encode(y=alt.Y("claim_id:N", sort=order, axis=None))
        )
        marks = base.mark_point(size=90, filled=True, opacity=1).encode(
            x=alt.value(6),
            color=alt.Color("status:N", scale=STATUS_SCALE, legend=None),
            shape=alt.Shape("status:N", scale=STATUS_SHAPES, legend=None),
            tooltip=tooltip,
        )
        ids = base.mark_text(align="left", fontSize=12, fontWeight="bold").encode(
            x=alt.value(18), text="claim_id:N"
        )
        text = base.mark_text(align="left", fontSize=12).encode(
            x=alt.value(50), text="short_claim:N"
        )
        title = alt.TitleParams(heads[status], anchor="start", fontSize=13, offset=4)
        return (marks + ids + text).properties(width=310, height=alt.Step(21), title=title)

    tooltip = [
        alt.Tooltip("claim_id:N", title="Claim"),
        alt.Tooltip("claim:N", title="The article says"),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("conflict_note:N", title="Where the record differs"),
        alt.Tooltip("note:N", title="Note"),
        alt.Tooltip("source_urls:N", title="Sources"),
        alt.Tooltip("confidence:N", title="Confidence"),
    ]
    # One block per status, in the order of STATUS; the whole table stays the chart's data.
    return alt.vconcat(*[group(s) for s in STATUS if counts[s]], spacing=14)


@fact("claims-total", data="claims", format="{value}")
def claims_total(claims):
    return len(claims)


@fact("claims-confirmed", data="claims", format="{value}")
def claims_confirmed(claims):
    return int(_counts(claims)["confirmed"])


@fact("claims-conflicting", data="claims", format="{value}")
def claims_conflicting(claims):
    return int(_counts(claims)["conflicting"])


@fact("claims-unconfirmed", data="claims", format="{value}")
def claims_unconfirmed(claims):
    return int(_counts(claims)["unconfirmed"])
