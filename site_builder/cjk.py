"""Chinese and Japanese text, which puts no spaces between words: a line break the writer
typed between two of its characters is not a space, but browsers draw it as one.

Standard library only.
"""

from __future__ import annotations

import functools
import re

# Han, kana, CJK punctuation and fullwidth forms; not Hangul, as Korean puts spaces between
# words. Curly quotes count on one side only, as English uses them too.
_CHAR = "[\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_QUOTE = "[\u2018\u2019\u201c\u201d]"
# Inline markup that may sit at either side of the break, e.g. a fact or bold text.
_INLINE = r"(?:</?(?:a|b|code|em|i|mark|span|strong|sub|sup)\b[^>]*>)*"
_GAP = r"[ \t]*\n\s*"


@functools.cache
def _breaks() -> re.Pattern[str]:
    # Compiled when a page has such text: its wide classes cost ~10 ms, at every start otherwise.
    return re.compile(
        rf"({_CHAR}{_INLINE}){_GAP}({_INLINE}(?:{_CHAR}|{_QUOTE}))"
        rf"|({_QUOTE}{_INLINE}){_GAP}({_INLINE}{_CHAR})"
    )


_VERBATIM = re.compile(r"(<(pre|script|style|textarea)\b.*?</\2>)", re.S | re.I)


def join_lines(html: str) -> str:
    """`html` without the line breaks between two Chinese or Japanese characters (and the
    indentation after them); preformatted text, scripts and styles are left as they are."""
    if not re.search(_CHAR, html):
        return html
    parts = _VERBATIM.split(html)
    # split() returns text, then each verbatim element and its tag name: every third part is text
    for i in range(0, len(parts), 3):
        parts[i] = _breaks().sub(lambda m: "".join(g for g in m.groups() if g), parts[i])
    return "".join(p for i, p in enumerate(parts) if i % 3 != 2)
