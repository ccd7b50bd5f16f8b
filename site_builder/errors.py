"""One error type for writer mistakes: where, what, and what to do about it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Problem:
    """One mistake in a writer's file, located as precisely as we can."""

    path: str
    message: str
    hint: str = ""
    line: int | None = None
    column: int | None = None

    def location(self) -> str:
        """`path:line:column`, leaving out what is unknown."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class WriterError(Exception):
    """One or more problems a writer can fix; never shown with a traceback."""

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one block each, with a count line first when there are several."""
        body = "\n".join(str(p) for p in self.problems)
        n = len(self.problems)
        if n == 1:
            return body
        return f"{n} problems found:\n{body}"


class DataError(WriterError):
    """In the data package or its files."""


class ChartError(WriterError):
    """In a chart module or what its function returned."""


class FactError(WriterError):
    """In facts.yaml or a fact function."""


class RenderError(WriterError):
    """Drawing a chart."""


class Problems:
    """Collects problems from every stage so a build can stop once, showing all of them."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def add_all(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def extend(self, error: WriterError) -> None:
        self.items.extend(error.problems)

    def raise_if_any(self, kind: type[WriterError] = WriterError) -> None:
        """Stop once, with every problem, as the stage's own error type."""
        if self.items:
            raise kind(self.items)


def nearest(name: str, choices: Iterable[str], limit: int = 3) -> str:
    """A hint listing the valid names, nearest first."""
    options = sorted(set(choices))
    if not options:
        return "none are defined yet"
    close = difflib.get_close_matches(name, options, n=len(options), cutoff=0.5)
    # A shared start counts for more than letters shared anywhere: 'trip_count' is 'trips',
    # not 'district'.
    close = sorted(close, key=lambda o: -_likeness(name, o))[:limit]
    rest = [o for o in options if o not in close]
    ordered = close + rest
    shown = ", ".join(f"'{o}'" for o in ordered[:8])
    more = f" (and {len(ordered) - 8} more)" if len(ordered) > 8 else ""
    lead = f"did you mean '{close[0]}'? " if close else ""
    return f"{lead}known: {shown}{more}"


def _likeness(name: str, option: str) -> float:
    pairs = zip(name.lower(), option.lower(), strict=False)
    start = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(name), len(option)))
    return difflib.SequenceMatcher(None, name.lower(), option.lower()).ratio() + 0.05 * min(
        start, 4
    )


def yaml_problem(exc: yaml.YAMLError, shown: str, hint: str) -> Problem:
    """A YAML syntax error, where the parser found it."""
    mark = getattr(exc, "problem_mark", None)
    return Problem(
        shown,
        f"not valid YAML: {getattr(exc, 'problem', exc)}",
        hint,
        mark.line + 1 if mark else None,
        mark.column + 1 if mark else None,
    )


def settings_problem(exc: Exception, hint: str = "", shown: str = "mkdocs.yml") -> Problem:
    """The settings file (`shown`) in a form MkDocs cannot read, said at its line when its
    YAML is broken (in the file the parser was reading: an INHERIT parent, say); `hint`:
    what then."""
    import os

    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, yaml.YAMLError):
        mark = getattr(cause, "problem_mark", None)
        name = getattr(mark, "name", "") or ""
        if name and not name.startswith("<"):
            shown = os.path.relpath(name) if os.path.isabs(name) else name
        hint = hint or f"fix {shown}: check its indentation, and quote values holding ':' or '#'"
        return yaml_problem(cause, shown, hint)
    message = str(exc).removeprefix("Error: ")
    if "does not exist" in message:
        hint = "run the command in the project's folder, or give its settings file with -f"
    return Problem(shown, message, hint or f"fix {shown} as the message says")
