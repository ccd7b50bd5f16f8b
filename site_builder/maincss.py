"""Material's main stylesheet as the site ships it: styling the writer's tables wrapped at
build time, and without the selectors that make a class change on <html> restyle the page.

The writer's tables carry a class (`mdtables.py`), so Material's rules for a table without a
class match that class too (same specificity). Material's script changes the classes of
<html> as it starts (`no-js` to `js`, `js-focus-visible`). A rule such as `.no-js ... >
:nth-child(2)` or `table:not([class]) td > :first-child`, whose last part names no tag,
class or attribute, tells Chromium that any element below may now match: it styled the whole
page again (on the claims page 543 elements, in the task that runs Material's script;
`bench/main_thread.py`: element stylings 2,000 -> 1,663, the chart-free page 1,440 -> 1,212).
Those rules get a tag or class with the same meaning for the pages this site makes:
- the first and last child of a cell lose their outer margin in the tables inside Material's
  table box: the writer's Markdown tables (wrapped at build time) and tables written as HTML
  (wrapped by Material's script), not the figures' data tables (cells of text alone, where
  the rule did nothing);
- the labels of tabbed blocks shown without JavaScript are <label> elements (as
  pymdownx.tabbed writes them), named as such.
"""

from __future__ import annotations

import re

from .mdtables import WRAPPED

# The theme's file, named by its content's hash: assets/stylesheets/main.<hash>.min.css
MAIN_URI = re.compile(r"assets/stylesheets/main\.[0-9a-f]+\.min\.css")
_UNCLASSED = "table:not([class])"
_CELL_EDGES = re.compile(r"table:not\(\[class\]\)( t[dh]>:(?:first|last)-child)")
# A tab's label, by its place among the labels, in rules for pages without JavaScript.
_NO_JS_LABEL = re.compile(r"(\.no-js [^{},]*\.tabbed-labels>):(first-child|nth-child\(\d+\))")


def for_site(css: str) -> str:
    """The stylesheet with the rules above rewritten; the rest byte for byte the theme's."""
    css = _CELL_EDGES.sub(r".md-typeset__table table\1", css)
    css = css.replace(_UNCLASSED, f"table:is(:not([class]),.{WRAPPED})")
    return _NO_JS_LABEL.sub(r"\1label:\2", css)
