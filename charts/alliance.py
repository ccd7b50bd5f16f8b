"""The alliance: who the article names, who signed, and what each brings."""

import re

import altair as alt
import pandas as pd
from _palette import ALLY, OTHER

from site_builder import chart, fact

STEPS = ["Named", "Attended", "Signed"]


def _short_role(text: str) -> str:
    """The role's headline: the part before the colon, without parentheses."""
    head = text.split(":", 1)[0]
    return re.sub(r"\s*\([^)]*\)", "", head).strip()


@chart(
    "alliance-members",
    data="alliance_members",
    title="Six of the eight countries the article names signed the declaration on 12 December",
    subtitle="Named in the article; attended the 12 Dec 2025 summit; signed that day",
    description=(
        "A grid of the eight countries the article names as alliance members: all eight were "
        "named and attended the 12 December summit; Japan, South Korea, Singapore, the United "
        "Kingdom, Israel and Australia signed that day; the Netherlands and the United Arab "
        "Emirates did not. A text column gives each country's main contribution."
    ),
    notes=[
        "The United Arab Emirates signed later, on 14 January 2026; the Netherlands had not "
        "signed as of that date.",
    ],
)
def alliance_members(members):
    named = members[members["in_article_list"]].copy()
    named["Named"] = named["in_article_list"]
    named["Attended"] = named["attended_dec12_pax_silica_summit"] == "TRUE"
    named["Signed"] = named["signed_declaration_dec12"]
    named["role"] = named["key_supply_chain_role"].map(_short_role)
    long = named.melt(
        id_vars=["country", "role"], value_vars=STEPS, var_name="step", value_name="yes"
    )
    long["status"] = long["yes"].map({True: "yes", False: "no"})
    order = list(
        named.sort_values(["signed_declaration_dec12", "country"], ascending=[False, True])[
            "country"
        ]
    )
    y = alt.Y("country:N", sort=order, title=None)
    grid = (
        alt.Chart(long)
        .mark_point(size=160, strokeWidth=2)
        .encode(
            y=y,
            x=alt.X(
                "step:N",
                sort=STEPS,
                title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=90),
            ),
            shape=alt.value("circle"),
            color=alt.Color(
                "status:N", scale=alt.Scale(domain=["yes", "no"], range=[ALLY, OTHER]), legend=None
            ),
            fill=alt.Fill(
                "status:N",
                scale=alt.Scale(domain=["yes", "no"], range=[ALLY, "transparent"]),
                legend=None,
            ),
            tooltip=["country:N", "step:N", "status:N"],
        )
        .properties(width=150)
    )
    roles = pd.DataFrame({"country": named["country"], "role": named["role"]})
    text = (
        alt.Chart(roles)
        .mark_text(align="left", fontSize=12)
        .encode(y=alt.Y("country:N", sort=order, axis=None), x=alt.value(0), text="role:N")
        .properties(
            width=230,
            title=alt.TitleParams(
                "Main contribution", fontSize=12, fontWeight="normal", anchor="start"
            ),
        )
    )
    return alt.hconcat(grid, text, spacing=10)


@fact("alliance-named-count", data="alliance_members", format="{value}")
def named_count(members):
    return int(members["in_article_list"].sum())


@fact("alliance-signed-dec12-count", data="alliance_members", format="{value}")
def signed_count(members):
    return int((members["in_article_list"] & members["signed_declaration_dec12"]).sum())
