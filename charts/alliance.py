"""The alliance: who the article names, who signed the declaration and when, what each brings."""

import re

import altair as alt
import pandas as pd
from _geo import frame, label_point, polygons
from _palette import ALLY, ALLY_LATER, BORDER, CHINA, LAND, OTHER, SHORT_NAMES, US

from site_builder import chart, fact

FEATURE = "countries"  # the TopoJSON object holding the country outlines

CONVENER = "U.S. (convener)"
SIGNED_DEC12 = "Signed 12 Dec 2025"
NOT_SIGNED = "Not signed"
CHINA_CONTEXT = "China (not a member)"
CHINA_ISO = "156"  # ISO 3166-1 numeric, as in the map boundaries
# The Gulf, drawn again below the world map, where Qatar and the UAE are too small to label:
# (west, south, east, north) in degrees.
GULF = (48.5, 22.4, 57.5, 27.2)  # the UAE reaches 22.6° N
# The countries the inset shows (ISO numeric): only these, so that the page's SVG stays light.
GULF_COUNTRIES = ["634", "784", "682", "512", "364", "048", "414", "368"]


def _short_role(text: str) -> str:
    """The role's headline: the part before the colon, without parentheses."""
    head = text.split(":", 1)[0].split(" for ", 1)[0]
    return re.sub(r"\s*\([^)]*\)", "", head).strip()


def _as_of(text: str) -> str:
    """'... as of 2026-01-14)' -> '14 Jan 2026'."""
    found = re.search(r"\d{4}-\d\d-\d\d", text or "")
    return f"{pd.Timestamp(found.group(0)):%-d %b %Y}" if found else ""


def _status(row: pd.Series) -> str:
    """When the country signed the declaration, in words the legend shows."""
    if row["country"] == "United States":
        return CONVENER
    if row["signed_declaration_dec12"]:
        return SIGNED_DEC12
    later = pd.to_datetime(row["later_signing_date"], format="%Y-%m-%d", errors="coerce")
    if pd.notna(later):
        return f"Signed {later:%b %Y}"
    as_of = _as_of(row["later_signing_date"])
    return f"{NOT_SIGNED} by {as_of}" if as_of else NOT_SIGNED


def _members(members: pd.DataFrame) -> pd.DataFrame:
    rows = members.copy()
    rows["Declaration"] = rows.apply(_status, axis=1)
    rows["Label"] = rows["country"].map(lambda c: SHORT_NAMES.get(c, c))
    later = pd.to_datetime(rows["later_signing_date"], format="%Y-%m-%d", errors="coerce")
    rows["Signed"] = [
        "12 Dec 2025" if dec12 else (f"{d:%-d %b %Y}" if pd.notna(d) else "not yet")
        for dec12, d in zip(rows["signed_declaration_dec12"], later)
    ]
    rows["Contribution"] = rows["key_supply_chain_role"].map(_short_role)
    rows["Source of the role"] = rows["role_source_name"].fillna("")
    rows["Role source link"] = rows["role_source_url"].fillna("")
    return rows


def _status_scale(statuses: list[str]) -> alt.Scale:
    """Convener in U.S. blue, signatories in ally teal (lighter if later), the rest grey."""
    present = list(dict.fromkeys(statuses))  # each once: a repeated domain value shifts colours
    fixed = [s for s in (CONVENER, SIGNED_DEC12) if s in present]
    later = sorted(s for s in present if s not in fixed and not s.startswith(NOT_SIGNED))
    unsigned = sorted(s for s in present if s.startswith(NOT_SIGNED))
    colours = {CONVENER: US, SIGNED_DEC12: ALLY, CHINA_CONTEXT: CHINA}
    colours |= dict.fromkeys(later, ALLY_LATER)
    # China last: context, not a status, but named in the legend beside its fill.
    domain = fixed + later + unsigned + [CHINA_CONTEXT]
    return alt.Scale(domain=domain, range=[colours.get(s, OTHER) for s in domain])


# Where each label sits around its marker (align, baseline, dx, dy), so that neighbours do not
# collide and no label sits on a coloured country. Qatar and the UAE are labelled in the Gulf
# inset instead: on the world map their labels would lie on Saudi Arabia or Iran.
LABEL_PLACES = {
    "United States": ("center", "bottom", 0, -16),
    "United Kingdom": ("right", "middle", -7, 0),
    "Netherlands": ("left", "middle", 7, 0),
    "Israel": ("right", "middle", -7, 0),
    "South Korea": ("left", "top", -4, 7),  # below, on the sea: to its left lies China
    "Japan": ("left", "middle", 9, 0),
    "Singapore": ("center", "top", 0, 7),
    "Australia": ("right", "middle", -30, 0),
}

# In the Gulf inset: each name on the water east or north of its country.
GULF_LABEL_PLACES = {
    "Qatar": ("center", "bottom", 0, -38),
    "United Arab Emirates": ("center", "bottom", 0, -30),
}


def _box(west: float, south: float, east: float, north: float, margin: float = 0) -> dict:
    """A lon/lat rectangle as a GeoJSON feature (clockwise, as d3-geo wants an outer ring)."""
    w, s, e, n = west - margin, south - margin, east + margin, north + margin
    ring = [[w, s], [w, n], [e, n], [e, s], [w, s]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {}}  # fmt: skip


# Countries smaller than this (in square degrees) get a dot, so that they can be seen.
SMALL = 60


def _marker(topo: dict, iso: str) -> tuple[float, float, bool]:
    """Where to label a country (lon, lat), and whether it needs a dot to be seen."""
    found = label_point(topo, FEATURE, iso)
    if found is None and iso == "702":
        # Singapore is too small for the 1:110m outlines: mark it at the southern tip of the
        # Malay Peninsula (Malaysia's westernmost polygon), which it sits just off.
        peninsula = min(polygons(topo, FEATURE, "458"), key=lambda ring: min(p[0] for p in ring))
        lon, lat = min(peninsula, key=lambda p: p[1])
        return lon, lat, True
    if found is None:
        raise ValueError(f"country {iso} is not in the map boundaries")
    (lon, lat), area = found
    return lon, lat, area < SMALL


@chart(
    "alliance-map",
    data=["alliance_members", "countries_110m"],
    title="Six partners signed with the U.S. on 12 December; the UAE and Qatar followed in January",
    subtitle="Pax Silica declaration: who signed, and when (as of 14 Jan 2026)",
    description=(
        "A world map of the Pax Silica declaration. The United States convened it. Japan, South "
        "Korea, Singapore, the United Kingdom, Israel and Australia signed on 12 December 2025. "
        "Qatar signed on 12 January 2026 and the United Arab Emirates on 14 January 2026. The "
        "Netherlands attended the December summit but had not signed as of 14 January 2026. "
        "China, which is not a member, is shown in red for context. Below the world map, an "
        "enlarged map of the Gulf shows Qatar and the UAE."
    ),
    notes=[
        "Singapore is too small for these boundaries; its dot is placed at the tip of the Malay "
        "Peninsula. Qatar is not among the article's eight countries; it is shown as a later "
        "signatory. Click a member to open the source of its role.",
        "Sources differ on whether the summit was on 11 or 12 December; signing is reported for "
        "12 December.",
    ],
)
def alliance_map(members, topo):
    rows = _members(members)
    markers = [_marker(topo, iso) for iso in rows["iso_numeric"]]
    # One decimal of a degree is plenty to place a label (and keeps the data table short).
    rows["Marker longitude"] = [round(lon, 1) for lon, _, _ in markers]
    rows["Marker latitude"] = [round(lat, 1) for _, lat, _ in markers]
    rows["Dot"] = [dot for _, _, dot in markers]
    spots = [(lon, lat) for lon, lat, _ in markers]  # Singapore's is outside any outline
    rows = rows[
        [
            "country",
            "Label",
            "iso_numeric",
            "Declaration",
            "Signed",
            "Contribution",
            "Source of the role",
            "Role source link",
            "Marker longitude",
            "Marker latitude",
            "Dot",
        ]
    ]
    scale = _status_scale(list(rows["Declaration"]))
    legend = alt.Legend(title=None, orient="bottom", columns=2, symbolType="circle", labelLimit=220)
    # The outlines' colours: the members', China's for context, and every other country grey.
    # (Text columns only: the tooltip's, each "" where China has nothing to say.)
    text = ["country", "iso_numeric", "Declaration", "Signed", "Contribution",
            "Source of the role", "Role source link"]  # fmt: skip
    china = {c: "" for c in text} | {
        "country": "China", "iso_numeric": CHINA_ISO, "Declaration": CHINA_CONTEXT
    }  # fmt: skip
    fills = pd.concat([rows[text], pd.DataFrame([china])], ignore_index=True)
    tooltip = [
        alt.Tooltip("country:N", title="Country"),
        alt.Tooltip("Declaration:N", title="Declaration"),
        alt.Tooltip("Signed:N", title="Signed"),
        alt.Tooltip("Contribution:N", title="Contribution"),
        alt.Tooltip("Source of the role:N", title="Source of the role (click)"),
    ]

    def outlines(topo_data: alt.Data) -> alt.Chart:
        outside = "not a signatory"
        return (
            alt.Chart(topo_data)
            .mark_geoshape(stroke=BORDER, strokeWidth=0.4, clip=True)
            .transform_filter("datum.id != '010'")  # Antarctica: no story there
            .transform_lookup(
                lookup="id",
                from_=alt.LookupData(fills, key="iso_numeric", fields=list(fills.columns)),
            )
            # Only the fill has a default: a default link would send readers nowhere.
            .transform_calculate(Declaration=f"datum.Declaration || '{outside}'")
            .encode(
                color=alt.Color(
                    "Declaration:N",
                    scale=alt.Scale(domain=[*scale.domain, outside], range=[*scale.range, LAND]),
                    legend=None,
                ),
                # A member links to the source of its role; China and the rest link nowhere.
                href=alt.Href("Role source link:N"),
                tooltip=tooltip,
            )
        )

    geo = alt.Data(values=topo, format=alt.DataFormat(type="topojson", feature=FEATURE))
    dots = (
        alt.Chart(rows)
        .transform_filter("datum['Dot']")
        .mark_circle(size=55, opacity=1, stroke=BORDER, strokeWidth=1)
        .encode(
            longitude="Marker longitude:Q",
            latitude="Marker latitude:Q",
            color=alt.Color("Declaration:N", scale=scale, legend=legend),
            href=alt.Href("Role source link:N"),
            tooltip=tooltip,
        )
    )
    labels = [
        alt.Chart(rows)
        .transform_filter(alt.datum.country == country)
        .mark_text(fontSize=12, align=align, baseline=baseline, dx=dx, dy=dy)
        .encode(longitude="Marker longitude:Q", latitude="Marker latitude:Q", text="Label:N")
        for country, (align, baseline, dx, dy) in LABEL_PLACES.items()
        if country in set(rows["country"])
    ]
    # Where the inset is, on the world map (a little larger than the inset, so that it shows
    # around the two dots): an outline in the grey every page can read.
    box = alt.Chart(alt.Data(values=[_box(*GULF, margin=3)])).mark_geoshape(
        fill="transparent", stroke=OTHER, strokeWidth=1
    )
    world = (
        alt.layer(outlines(geo), box, dots, *labels)
        # Framed on the members, every one whole (Alaska and Tasmania too), at any width.
        .project(type="equalEarth", fit=frame(topo, FEATURE, list(rows["iso_numeric"]), spots))
        .resolve_scale(color="independent")  # the outlines' colours stay out of the legend
        .properties(width=335, height=190)
    )
    # The Gulf enlarged: Qatar and the UAE named on the water beside each.
    gulf_labels = [
        alt.Chart(rows)
        .transform_filter(alt.datum.country == country)
        .mark_text(fontSize=12, align=align, baseline=baseline, dx=dx, dy=dy)
        .encode(longitude="Marker longitude:Q", latitude="Marker latitude:Q", text="Label:N")
        for country, (align, baseline, dx, dy) in GULF_LABEL_PLACES.items()
    ]
    inset = (
        alt.layer(
            outlines(geo).transform_filter(alt.FieldOneOfPredicate("id", GULF_COUNTRIES)),
            *gulf_labels,
        )
        .project(type="mercator", fit=_box(*GULF))
        .properties(
            width=335,
            height=140,
            title=alt.TitleParams(
                "Qatar and the UAE, enlarged (grey box above)",
                fontSize=12,
                fontWeight="normal",
                anchor="start",
            ),
        )
    )
    return alt.vconcat(world, inset, spacing=6).resolve_scale(color="independent")


STEPS = ["At summit", "Signed 12 Dec", "By 14 Jan"]
# Column headings on two lines, so that the grid stays narrow.
HEADINGS = {"At summit": ["At the", "summit"], "Signed 12 Dec": ["Signed", "12 Dec"],
            "By 14 Jan": ["By", "14 Jan"]}  # fmt: skip
HEADING_EXPR = " : ".join(f"datum.label == '{k}' ? {v}" for k, v in HEADINGS.items()) + " : ''"
# One view, in rows: each country's name over its contribution on the left, then a column per
# step. 258 px in all, so that a 320 px phone's 288 px column shows it whole, unscaled.
NAMES_WIDTH = 132  # the longest contribution ("Chip manufacturing hub") at 11 px, and a gap
STEP_WIDTH = 42  # a two-line heading at 11 px
ROW_HEIGHT = 34  # two lines of text


@chart(
    "alliance-members",
    data="alliance_members",
    title="All eight countries the article names attended; six signed on the day, the UAE later",
    subtitle="The article's eight: at the 12 Dec 2025 summit, signed that day, signed by 14 Jan",
    description=(
        "A grid of the eight countries the article names as alliance members. All eight "
        "attended the 12 December 2025 summit. Japan, South Korea, Singapore, the United "
        "Kingdom, Israel and Australia signed the declaration that day; the United Arab Emirates "
        "signed on 14 January 2026; the Netherlands had not signed by then. Under each name, "
        "the country's main contribution: photoresist (Japan), high-bandwidth memory (South "
        "Korea), chip manufacturing (Singapore), lithography (Netherlands), chip design (United "
        "Kingdom), chip research (Israel), AI compute and capital (UAE) and rare earths "
        "(Australia)."
    ),
    notes=[
        "One role per country, each from its own source; some are old (the UK's dates from 2015, "
        "Singapore's from 2022). See the data table for each source.",
    ],
)
def alliance_members(members):
    named = _members(members[members["in_article_list"]])
    named["At summit"] = named["attended_dec12_pax_silica_summit"] == "TRUE"
    named["Signed 12 Dec"] = named["signed_declaration_dec12"]
    named["By 14 Jan"] = named["Signed"] != "not yet"
    long = named.melt(
        id_vars=["country", "Label", "Contribution", "Signed", "role_source_name"],
        value_vars=STEPS,
        var_name="Step",
        value_name="yes",
    )
    long["Answer"] = long["yes"].map({True: "yes", False: "no"})
    long = long.drop(columns="yes")
    order = list(
        named.sort_values(["signed_declaration_dec12", "Label"], ascending=[False, True])["Label"]
    )
    tooltip = [
        alt.Tooltip("country:N", title="Country"),
        alt.Tooltip("Step:N", title="Step"),
        alt.Tooltip("Answer:N", title="Yes or no"),
        alt.Tooltip("Signed:N", title="Signed"),
        alt.Tooltip("Contribution:N", title="Contribution"),
        alt.Tooltip("role_source_name:N", title="Source of the role"),
    ]
    base = alt.Chart(long).encode(
        y=alt.Y("Label:N", sort=order, title=None, axis=None),
    )
    dots = base.mark_point(size=150, strokeWidth=2, shape="circle", opacity=1).encode(
        x=alt.X(
            "Step:N",
            sort=STEPS,
            title=None,
            # The steps' columns sit right of the names, which take the view's left part.
            scale=alt.Scale(range=[NAMES_WIDTH, NAMES_WIDTH + STEP_WIDTH * len(STEPS)]),
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelExpr=HEADING_EXPR,
                labelBaseline="bottom",
                labelPadding=20,  # two-line headings grow downwards: lift them off the grid
                labelFontSize=11,
                domain=False,
                ticks=False,
            ),
        ),
        color=alt.Color(
            "Answer:N", scale=alt.Scale(domain=["yes", "no"], range=[ALLY, OTHER]), legend=None
        ),
        # Hollow for "no", so the grid reads without colour too.
        fill=alt.Fill(
            "Answer:N",
            scale=alt.Scale(domain=["yes", "no"], range=[ALLY, "transparent"]),
            legend=None,
        ),
        tooltip=tooltip,
    )
    # Each name once (the long table has a row per step): the name, and its contribution under it.
    once = base.transform_filter(alt.datum.Step == STEPS[0])
    names = once.mark_text(align="left", fontSize=12, fontWeight="bold", dy=-7).encode(
        x=alt.value(0), text="Label:N", tooltip=tooltip[:1] + tooltip[3:]
    )
    roles = once.mark_text(align="left", fontSize=11, dy=8).encode(
        x=alt.value(0), text="Contribution:N", tooltip=tooltip[:1] + tooltip[3:]
    )
    return alt.layer(names, roles, dots).properties(
        width=NAMES_WIDTH + STEP_WIDTH * len(STEPS), height=alt.Step(ROW_HEIGHT)
    )


@fact("alliance-named-count", data="alliance_members", format="{value}")
def named_count(members):
    return int(members["in_article_list"].sum())


@fact("alliance-signed-dec12-count", data="alliance_members", format="{value}")
def signed_count(members):
    return int((members["in_article_list"] & members["signed_declaration_dec12"]).sum())


@fact("alliance-signatories-count", data="alliance_members", format="{value}")
def signatories_count(members):
    """Every signatory as of the latest date in the data, the United States included."""
    later = pd.to_datetime(members["later_signing_date"], format="%Y-%m-%d", errors="coerce")
    return int((members["signed_declaration_dec12"] | later.notna()).sum())


def _signed_on(members: pd.DataFrame, country: str) -> pd.Timestamp:
    row = members.set_index("country").loc[country]
    return pd.Timestamp(row["later_signing_date"])


@fact("uae-signing-date", data="alliance_members", format="{value:%-d %B %Y}")
def uae_signed(members):
    return _signed_on(members, "United Arab Emirates")


@fact("qatar-signing-date", data="alliance_members", format="{value:%-d %B %Y}")
def qatar_signed(members):
    return _signed_on(members, "Qatar")


@fact("netherlands-not-signed-as-of", data="alliance_members", format="{value:%-d %B %Y}")
def netherlands_as_of(members):
    return pd.Timestamp(
        _as_of(members.set_index("country").loc["Netherlands", "later_signing_date"])
    )
