"""One colour meaning across the story: China, the United States, allies, and the rest.

Only data colours live here; text, axes and backgrounds come from the site's theme.
"""

from site_builder import theme

CHINA = "#c43a2c"
US = "#236bbd"
ALLY = "#23766d"
OTHER = "#8c8c8c"
FLOOR = "#dd7469"  # a lighter China red for values known only as a floor
ALLY_LATER = "#31a599"  # a lighter ally teal: signed the declaration later
# Neutral colours come from the site's theme, which the page recolours for its dark palette.
LAND = theme.SURFACE  # countries outside the story, on maps
BORDER = theme.BACKGROUND  # thin lines between countries, on maps

# Alliance partners (the article's eight, and later signatories) share the ally colour.
ALLIES = (
    "Japan",
    "South Korea",
    "Singapore",
    "Netherlands",
    "United Kingdom",
    "Israel",
    "United Arab Emirates",
    "Australia",
    "Qatar",
)
COUNTRY_COLOURS = {"China": CHINA, "United States": US, **{c: ALLY for c in ALLIES}}


def country_colour(name: str) -> str:
    """The colour of a country (or actor) in every chart: China, U.S., ally, or other."""
    return COUNTRY_COLOURS.get(name, OTHER)


# Status of a claim against the record: hues no country uses, ordered light to dark.
STATUS = ("confirmed", "conflicting", "unconfirmed")
STATUS_COLOURS = {"confirmed": "#6f5db2", "conflicting": "#d77d13", "unconfirmed": "#949494"}

# Short names for labels, where the full name does not fit on a phone.
SHORT_NAMES = {
    "United States": "U.S.",
    "United Kingdom": "UK",
    "United Arab Emirates": "UAE",
    "South Korea": "S. Korea",
}
