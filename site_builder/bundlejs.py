"""Material's script as the site ships it: without the two whole-page restyles it caused as
it started, in the one long task that runs it (the page's total blocking time).

- Instant navigation makes every relative URL of the page absolute (`el.href = el.href`),
  so links still point right once the address changes. On a `<link rel="stylesheet">` that
  is a new URL: Chromium loads and parses the sheet again and styles every element again
  (the claims page: 4 sheets parsed, 543 elements). A sheet already loaded is left as it is;
  when the next page's head is compared with this one (by each element's HTML), such a link
  is compared under its sheet's absolute URL, as Material's rewrite would have written it,
  so the same stylesheet is still kept across pages.
- The palette adds `<meta name="color-scheme">` and sets it from the header's computed
  style: any change to that meta makes Chromium style every element again (545 more). The
  meta is made but not added to the page; the page's root takes its colour scheme from the
  palette in CSS (`ROOT_SCHEME_CSS`, appended to Material's main stylesheet), the same as
  the meta gave it for Material's two schemes (the viewport's scrollbars, the canvas).

Each edit is made only where this Material's code has the expected shape; otherwise the script
is shipped as the theme's (`edit_bundle` says which edits were made).
"""

from __future__ import annotations

import re

# The theme's file, named by its content's hash: assets/javascripts/bundle.<hash>.min.js
BUNDLE_URI = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")

ROOT_SCHEME_CSS = (
    ":root:has(>body[data-md-color-scheme=default]){color-scheme:light}"
    ":root:has(>body[data-md-color-scheme=slate]){color-scheme:dark}"
)

# resolve(): `for (el of "[href], [src]") ... el[key] = el[key]`
_RESOLVE = re.compile(r"(\w+)\[(\w+)\]=\1\[\2\];break")
# head(): the map of <head>'s elements by their HTML
_HEAD_KEY = re.compile(r"(\w+)\.set\((\w+)\.outerHTML,\2\)")
# mountPalette(): the color-scheme meta, made and added to <head>
_SCHEME_META = re.compile(
    r'(let (\w+)=\w+\("meta",\{name:"color-scheme"\}\);)document\.head\.appendChild\(\2\);'
)


def _resolve(m: re.Match[str]) -> str:
    el, key = m.group(1), m.group(2)
    return f"{el}.sheet||({el}[{key}]={el}[{key}]);break"


def _head_key(m: re.Match[str]) -> str:
    tags, el = m.group(1), m.group(2)
    # A loaded sheet's link keyed as if its href were the sheet's absolute URL.
    absolute = (
        f'{el}.sheet&&{el}.getAttribute("href")!=={el}.sheet.href'
        f"?Object.assign({el}.cloneNode(),{{href:{el}.sheet.href}}).outerHTML"
        f":{el}.outerHTML"
    )
    return f"{tags}.set({absolute},{el})"


def _scheme_meta(m: re.Match[str]) -> str:
    # Spaces for the call taken out: the columns of the source map stay right up to here.
    return m.group(1) + " " * (len(m.group(0)) - len(m.group(1)))


EDITS = {
    "stylesheets kept": [(_RESOLVE, _resolve), (_HEAD_KEY, _head_key)],
    "no color-scheme meta": [(_SCHEME_META, _scheme_meta)],
}


def edit_bundle(js: str) -> tuple[str, list[str]]:
    """The script with the edits above, and the names of those made (each only if every
    pattern it needs occurs exactly once)."""
    made = []
    for name, edits in EDITS.items():
        if all(len(pattern.findall(js)) == 1 for pattern, _ in edits):
            for pattern, replace in edits:
                js = pattern.sub(replace, js)
            made.append(name)
    return js, made
