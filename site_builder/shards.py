"""Rendering split across machines: `build --shard I/N` renders a fixed share of the charts
into the content-addressed cache, and a final build assembles the site from it."""

from __future__ import annotations

import re

from . import pipeline

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """`"2/4"` -> (2, 4); else ValueError saying what is expected."""
    match = _SHARD.match(text)
    if match:
        index, count = int(match.group(1)), int(match.group(2))
        if 1 <= index <= count:
            return index, count
    raise ValueError(
        f"'{text}' is not a share of the charts: give I/N with 1 <= I <= N, e.g. --shard 1/2 "
        "on one machine and --shard 2/2 on another"
    )


def share_of(chart_ids: list[str], index: int, count: int) -> list[str]:
    """The charts shard `index` of `count` renders: every count-th id in sorted order, so
    each shard gets as many charts as the next, and every machine picks the same ones."""
    return sorted(chart_ids)[index - 1 :: count]


def render_shard(settings: pipeline.Settings, index: int, count: int) -> tuple[int, int]:
    """Render this shard's charts into the cache; (rendered now, found in the cache)."""
    project = pipeline.prepare(settings)
    chosen = set(share_of(list(project.charts), index, count))
    project.charts = {k: c for k, c in project.charts.items() if k in chosen}
    pipeline.render(project)
    fresh = sum(1 for r in project.rendered.values() if not r.from_cache)
    return fresh, len(project.rendered) - fresh
