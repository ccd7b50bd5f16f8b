"""The dark palette for readers without JavaScript: which site has one, and the theme's rules
for it retargeted to the palette <body> keeps without the theme's script."""

from __future__ import annotations

from typing import Any

from site_builder.nojsdark import Palette, dark_rules, link, palettes

LIGHT = {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "blue grey"}
DARK = {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "teal"}


def test_a_site_has_one_when_a_later_palette_is_dark_for_a_system_that_prefers_dark() -> None:
    found = palettes({"palette": [LIGHT, DARK]})
    assert found == (
        Palette("default", "blue-grey", "indigo"),  # as <body> names them
        Palette("slate", "teal", "indigo"),
    )
    assert palettes({"palette": [LIGHT, {**DARK, "media": "(prefers-color-scheme:dark)"}]})
    no_media: dict[str, Any] = {k: v for k, v in DARK.items() if k != "media"}
    for theme in (
        {},
        {"palette": LIGHT},  # one palette
        {"palette": [LIGHT]},
        {"palette": [LIGHT, no_media]},  # a toggle only: the reader's choice needs the script
        {"palette": [DARK, LIGHT]},  # dark first: every reader without JavaScript gets it
        {"palette": [LIGHT, {**DARK, "scheme": "default"}]},
    ):
        assert palettes(theme) is None, theme


CSS = (
    ":root,[data-md-color-scheme=default]{--md-default-bg-color:#fff}"
    "@media screen{[data-md-color-scheme=slate]{--md-default-bg-color:#1e2129}"
    '[data-md-color-scheme="slate"] img[src$="#only-light"]{display:none}}'
    "[data-md-color-scheme=slate][data-md-color-primary=pink]{--md-primary-fg-color:pink}"
    "[data-md-color-scheme=slate][data-md-color-primary=teal],"
    "[data-md-color-scheme=slate][data-md-color-primary=grey]{--md-typeset-a-color:#4cae4f}"
    "[data-md-color-primary=lime]:not([data-md-color-scheme=slate]){--md-primary-fg-color:lime}"
    ":root:has(>body[data-md-color-scheme=slate]){color-scheme:dark}"
    "@keyframes fade{0%{opacity:0}to{opacity:1}}"
)


def test_the_dark_rules_are_retargeted_to_the_light_palettes_attributes() -> None:
    light, dark = Palette("default", "blue-grey", "indigo"), Palette("slate", "teal", "indigo")
    out = dark_rules([CSS, ".sb-figure{color:red}"], light, dark)
    assert out == (
        '@media screen{[data-md-color-scheme="default"]{--md-default-bg-color:#1e2129}'
        '[data-md-color-scheme="default"] img[src$="#only-light"]{display:none}}\n'
        # The dark palette's primary colour only, on <body> as the light palette marks it.
        '[data-md-color-scheme="default"][data-md-color-primary="blue-grey"]'
        "{--md-typeset-a-color:#4cae4f}\n"
        ':root:has(>body[data-md-color-scheme="default"]){color-scheme:dark}\n'
    )
    assert dark_rules([".a{color:red}"], light, dark) == ""


def test_the_link_applies_only_without_script_for_a_system_that_prefers_dark() -> None:
    assert link("../assets/x.css") == (
        '<link rel="stylesheet" href="../assets/x.css" '
        'media="(prefers-color-scheme: dark) and (scripting: none)">'
    )
