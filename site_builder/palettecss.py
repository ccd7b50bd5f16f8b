"""Material's palette stylesheet, without the rule that restyles the whole page as it loads.

Material's script marks <body> with `data-md-color-switching` while it applies the reader's
palette, on every page load as well as on a switch, and removes the mark just after. Its
stylesheet turns transitions off under that mark for every element (`[data-md-color-switching]
*`), so setting and removing the mark each make the browser style every element of the page
again: two passes over the whole document, before the reader can use it (on a page with two
figures, 44 ms of the main thread's 250 ms, `bench/main_thread.py`). Without the rule, a
switch the reader asks for fades a few links and table rows over 125 ms instead of at once;
the page loaded in the reader's palette is unchanged (Material's inline script sets it
before anything is drawn).
"""

from __future__ import annotations

import re

# The theme's file, named by its content's hash: assets/stylesheets/palette.<hash>.min.css
PALETTE_URI = re.compile(r"assets/stylesheets/palette\.[0-9a-f]+\.min\.css")
_SWITCHING_RULE = re.compile(
    r"\[data-md-color-switching\] \*"
    r"(?:,\[data-md-color-switching\] :(?:after|before))*"
    r"\{transition-duration:0s!important\}"
)


def without_switching_rule(css: str) -> str:
    """The stylesheet with the rule taken out; unchanged if this Material has no such rule."""
    return _SWITCHING_RULE.sub("", css)
