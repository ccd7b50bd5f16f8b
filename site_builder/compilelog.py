"""Vega-Lite's compile warnings: what it leaves out or changes of what a chart asks for.

vl-convert prints them (with `show_warnings=True`) from its JavaScript runtime straight onto the
process's stderr, one `WARN <message>` line each, never through Python: the only way to read
them is to catch file descriptor 2 around the call. Standard library only: render workers
import this.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .errors import Problem

_PREFIX = "WARN "


@contextmanager
def caught_warnings() -> Iterator[list[str]]:
    """The warnings printed while the block runs (filled in when it ends), each once.

    Any other output on stderr meanwhile is passed on, after the block.
    """
    found: list[str] = []
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no stderr to catch (a detached process): nothing to read
        yield found
        return
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield found
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            text = tmp.read().decode("utf-8", "replace")
            other = []
            for line in text.splitlines():
                if line.startswith(_PREFIX):
                    message = line[len(_PREFIX) :].strip()
                    if message and message not in found:
                        found.append(message)
                elif line.strip():
                    other.append(line)
            if other:
                sys.stderr.write("\n".join(other) + "\n")


# What to do about the warnings writers meet most; the rest get the general hint.
_HINTS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^Channel order is inappropriate for nominal"),
        "give the order channel a quantitative or ordinal field (e.g. order='rank:O'), "
        "or drop it and sort the axis with sort=[...] instead",
    ),
    (
        re.compile(r"^Dropping .* since it (is not a valid|does not contain)"),
        "the channel is ignored: give it a field of the table (or a value), or remove it",
    ),
    (
        re.compile(r"scale"),
        "match the scale to the field's type (e.g. a log scale needs a quantitative field), "
        "or change the type after the colon in the encoding",
    ),
]
_HINT = (
    "Vega-Lite leaves out or changes part of what the chart asks for; change the encoding "
    "or mark option named so that it draws what the chart means"
)
# What Vega-Lite says about its own choices, not the writer's: `width="container"` asks it to
# fit the width, and it then says it cannot fit a height counted in steps (bars by category).
_ITS_OWN = re.compile(r'^Dropping "fit-[xy]" because spec has discrete (width|height)\.?$')


def writers_warnings(messages: Iterable[str]) -> list[str]:
    """The warnings that are about the writer's chart."""
    return [m for m in messages if not _ITS_OWN.match(m)]


def warning_problem(path: str, line: int, chart_id: str, message: str) -> Problem:
    """A Vega-Lite warning, located at the chart's `@chart` line, with a hint."""
    hint = next((h for pattern, h in _HINTS if pattern.search(message)), _HINT)
    return Problem(path, f"chart '{chart_id}': Vega-Lite: {message}", hint, line)
