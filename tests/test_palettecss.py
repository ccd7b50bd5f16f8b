"""Material's palette stylesheet as the site ships it: without the whole-page restyle."""

from __future__ import annotations

from pathlib import Path

import material

from site_builder.palettecss import PALETTE_URI, without_switching_rule

THEME = Path(material.__file__).parent / "templates"


def test_the_switching_rule_alone_is_taken_out_of_materials_palette() -> None:
    [path] = [p for p in THEME.glob("assets/stylesheets/palette.*.min.css")]
    assert PALETTE_URI.fullmatch(path.relative_to(THEME).as_posix())
    css = path.read_text(encoding="utf-8")
    quiet = without_switching_rule(css)
    assert "[data-md-color-switching]" in css  # this Material has the rule
    assert "[data-md-color-switching]" not in quiet
    # Nothing else: the rest of the file is the theme's, byte for byte.
    start = css.index("[data-md-color-switching]")
    end = start + len(css) - len(quiet)
    assert css[:start] + css[end:] == quiet
    assert css[start:end].endswith("{transition-duration:0s!important}")


def test_a_stylesheet_without_the_rule_is_left_as_it_is() -> None:
    css = "[data-md-color-scheme=slate]{--md-hue:232}"
    assert without_switching_rule(css) == css
