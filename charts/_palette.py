"""One colour meaning across the story: China, the United States, allies, and the rest."""

CHINA = "#c0392b"
US = "#1f5fa8"
ALLY = "#2a8c82"
OTHER = "#8c8c8c"
FLOOR = "#e8a39b"  # a lighter China red for values known only as a floor

COUNTRY_COLOURS = {"China": CHINA, "United States": US, "Malaysia": OTHER}
