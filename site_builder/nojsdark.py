"""The dark palette for readers without JavaScript.

Material puts the reader's palette on <body> with its script: without JavaScript, every reader
gets the first palette, a reader whose system prefers dark as well. When the site's palettes
include a dark one chosen by `(prefers-color-scheme: dark)`, the build writes a stylesheet of
the rules that style that palette (in the theme's, the writer's and the tool's stylesheets),
retargeted to the attributes the first palette leaves on <body>. Pages link it for the media
`(prefers-color-scheme: dark) and (scripting: none)`: it applies only where no script runs,
so with JavaScript the theme's own switch applies as before and nothing flashes. Not inside
<noscript>: instant navigation parses the next page with scripting off, and would add the
link as a live stylesheet. A browser that does not know `scripting` gives the first palette.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

URI = "assets/site-builder/nojs-dark.css"
DARK_MEDIA = "(prefers-color-scheme: dark)"
NO_SCRIPT_DARK = f"{DARK_MEDIA} and (scripting: none)"
_ATTRIBUTE = re.compile(r"""\[data-md-color-(scheme|primary|accent)=["']?([\w-]+)["']?\]""")


@dataclass(frozen=True)
class Palette:
    scheme: str
    primary: str
    accent: str


def palettes(theme: Any) -> tuple[Palette, Palette] | None:
    """(the palette <body> gets without JavaScript, the one for a system that prefers dark),
    or None when the site has no such dark palette."""
    found = theme.get("palette") if hasattr(theme, "get") else None
    listed = found if isinstance(found, list) else [found] if isinstance(found, dict) else []
    entries = [p for p in listed if isinstance(p, dict)]
    if len(entries) < 2:
        return None

    def palette(entry: dict[str, Any]) -> Palette:
        # As Material names them on <body>: lower case, spaces as dashes.
        def name(key: str, default: str) -> str:
            return str(entry.get(key) or default).lower().replace(" ", "-")

        return Palette(
            name("scheme", "default"), name("primary", "indigo"), name("accent", "indigo")
        )

    first = palette(entries[0])
    for entry in entries[1:]:
        media = str(entry.get("media") or "").replace(" ", "")
        dark = palette(entry)
        if media == DARK_MEDIA.replace(" ", "") and dark.scheme != first.scheme:
            return first, dark
    return None


def dark_rules(stylesheets: Iterable[str], light: Palette, dark: Palette) -> str:
    """The rules of `stylesheets` that style the `dark` palette, as rules for <body> with the
    `light` palette's attributes (in the same @media blocks)."""
    import tinycss2  # only when the stylesheets changed: the result is cached

    out: list[str] = []
    for css in stylesheets:
        rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        out.extend(_rules(rules, light, dark))
    return "\n".join(out) + "\n" if out else ""


def _rules(rules: list[Any], light: Palette, dark: Palette) -> list[str]:
    import tinycss2

    found: list[str] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [
                _retarget(s, light, dark) for s in _selectors(tinycss2.serialize(rule.prelude))
            ]
            kept = [s for s in selectors if s is not None]
            if kept:
                found.append(f"{','.join(kept)}{{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            nested = _rules(inner, light, dark)
            if nested:
                found.append(
                    f"@media {tinycss2.serialize(rule.prelude).strip()}{{{''.join(nested)}}}"
                )
    return found


def _selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside `:is(...)`)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i].strip())
            start = i + 1
    parts.append(prelude[start:].strip())
    return [p for p in parts if p]


def _retarget(selector: str, light: Palette, dark: Palette) -> str | None:
    """The selector for the light palette's <body>, when it selects on the dark scheme (not
    in a negation) and on no other primary or accent colour than the dark palette's."""
    if ":not(" in selector and re.search(r":not\([^)]*data-md-color-scheme", selector):
        return None
    attributes = _ATTRIBUTE.findall(selector)
    if ("scheme", dark.scheme) not in attributes:
        return None
    wanted = {"scheme": dark.scheme, "primary": dark.primary, "accent": dark.accent}
    if any(wanted[kind] != value for kind, value in attributes):
        return None
    now = {"scheme": light.scheme, "primary": light.primary, "accent": light.accent}
    return _ATTRIBUTE.sub(lambda m: f'[data-md-color-{m[1]}="{now[m[1]]}"]', selector)


def link(href: str) -> str:
    """The tag of the stylesheet for readers without JavaScript who prefer dark."""
    return f'<link rel="stylesheet" href="{href}" media="{NO_SCRIPT_DARK}">'
