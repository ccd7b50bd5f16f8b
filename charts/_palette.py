"""One colour meaning across the story: China, the United States, allies, and the rest.

Only data colours live here; text, axes and backgrounds come from the site's theme.
"""

CHINA = "#c0392b"
US = "#1f5fa8"
ALLY = "#2a8c82"
OTHER = "#8c8c8c"
FLOOR = "#e8a39b"  # a lighter China red for values known only as a floor
ALLY_LATER = "#86c5bd"  # a lighter ally teal: signed the declaration later
LAND = "#dcdcdc"  # countries outside the story, on maps
BORDER = "#ffffff"  # thin lines between countries, on maps

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
STATUS_COLOURS = {"confirmed": "#5b4a9b", "conflicting": "#e08214", "unconfirmed": "#a6a6a6"}

# Short names for labels, where the full name does not fit on a phone.
SHORT_NAMES = {
    "United States": "U.S.",
    "United Kingdom": "UK",
    "United Arab Emirates": "UAE",
}
