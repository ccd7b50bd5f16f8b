"""Chart definitions: the decorator writers use, and where declarations are collected."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .catalog import Source
from .errors import Problem

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class ChartDef:
    """What a writer declared with `@chart`."""

    id: str
    func: Callable[..., Any]
    data: list[str]
    title: str
    subtitle: str = ""
    description: str = ""
    notes: list[str] = field(default_factory=list)
    sources: list[Source] | None = None
    path: str = ""  # as the writer sees it
    line: int = 0
    file: str = ""  # absolute, to find the writer's lines in a traceback


@dataclass
class Declarations:
    """Everything registered while the chart modules were imported."""

    charts: list[ChartDef] = field(default_factory=list)
    facts: list[Any] = field(default_factory=list)  # facts.FactDef, registered by @fact
    problems: list[Problem] = field(default_factory=list)
    complete: bool = True  # False when a module failed to load: its charts are unknown


# Filled while discover() imports the writer's modules; the decorators append here.
_collecting: Declarations | None = None


def collector() -> Declarations:
    """The declarations being collected (or a throwaway one when a module is imported directly)."""
    global _collecting
    if _collecting is None:
        _collecting = Declarations()
    return _collecting


def chart(
    id: str,
    *,
    data: str | Sequence[str],
    title: str,
    subtitle: str = "",
    description: str = "",
    notes: str | Sequence[str] = (),
    sources: Sequence[dict[str, str] | tuple[str, str]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a chart function under a stable id.

    The function receives the named datasets as pandas tables, in the order of `data`, and
    returns an Altair chart. `description` is the alt text read by screen readers.
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        code = func.__code__
        collector().charts.append(
            ChartDef(
                id=id,
                func=func,
                data=[data] if isinstance(data, str) else list(data),
                title=title,
                subtitle=subtitle,
                description=description,
                notes=[notes] if isinstance(notes, str) else list(notes),
                sources=None if sources is None else [_as_source(s) for s in sources],
                path=code.co_filename,
                line=code.co_firstlineno,
                file=code.co_filename,
            )
        )
        return func

    return register


def _as_source(value: dict[str, str] | tuple[str, str]) -> Source:
    if isinstance(value, dict):
        return Source(title=value.get("title", ""), url=value.get("path") or value.get("url", ""))
    return Source(title=value[0], url=value[1])


def collect_into(found: Declarations | None) -> None:
    """Collect the declarations of the modules imported from now on into `found` (None: stop)."""
    global _collecting
    _collecting = found
