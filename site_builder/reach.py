"""Where a change reaches: CSV -> datasets -> charts and facts -> pages.

Before a rebuild, the charts and facts that changed tables and chart modules reach
(partial.py makes only those again). After it, comparing the project of the last build with
the new one names the pages whose output differs besides those whose own Markdown changed
(MkDocs sees those by itself; the live preview reloads the others)."""

from __future__ import annotations

from typing import Any

from .charts import ChartDef
from .facts import FactDef
from .pipeline import Project


def reached_by(
    changed: set[str],
    charts: list[ChartDef],
    facts: list[FactDef],
    modules: frozenset[str] = frozenset(),
) -> tuple[list[ChartDef], list[FactDef], set[str]]:
    """The charts and facts that use a changed dataset or are defined in one of the changed
    `modules` (paths as the writer sees them), and every dataset they use."""
    chart_defs = [d for d in charts if changed & set(d.data) or d.path in modules]
    fact_defs = [d for d in facts if changed & set(d.data) or d.path in modules]
    needed = set(changed).union(*(d.data for d in chart_defs + fact_defs))
    return chart_defs, fact_defs, needed


def chart_print(project: Project, chart_id: str) -> tuple[Any, ...]:
    """Everything a chart's figure is made of: its render, its text, its datasets."""
    chart = project.charts[chart_id]
    d = chart.definition
    return (
        project.rendered[chart_id].key,
        project.rendered[chart_id].image_key,
        d.title,
        d.subtitle,
        d.description,
        tuple(d.notes),
        tuple(project.sources_of(chart)),
        tuple(project.catalog.datasets[name].digest for name in chart.datasets),
    )


def changed_charts(old: Project, new: Project) -> set[str]:
    """Charts that are new or whose figure differs."""
    return {
        chart_id
        for chart_id in new.charts
        if chart_id not in old.charts
        or not (
            _kept(old, new, chart_id) or chart_print(old, chart_id) == chart_print(new, chart_id)
        )
    }


def _kept(old: Project, new: Project, chart_id: str) -> bool:
    """The chart, its render and its datasets are the last build's own objects (a rebuild
    keeps them so), so its figure is the same: at 1,000 charts, comparing every print was
    0.1 s of a preview's rebuild."""
    chart = new.charts[chart_id]
    return (
        old.charts[chart_id] is chart
        and old.rendered.get(chart_id) is new.rendered.get(chart_id)
        and all(old.catalog.datasets.get(n) is new.catalog.datasets.get(n) for n in chart.datasets)
    )


def reached_pages(old: Project, new: Project, charts: set[str] | None = None) -> set[str]:
    """Pages (paths under docs_dir) that show a changed chart (`charts`, if known), fact or
    dataset."""
    charts = changed_charts(old, new) if charts is None else charts
    facts = {
        fact_id
        for fact_id, fact in new.facts.items()
        if fact_id not in old.facts or old.facts[fact_id].text != fact.text
    }
    old_sets = {name: ds.digest for name, ds in old.catalog.datasets.items()}
    new_sets = {name: ds.digest for name, ds in new.catalog.datasets.items()}
    datasets = {
        name
        for name in new_sets.keys() | old_sets.keys()
        if old_sets.get(name) != new_sets.get(name)
    }
    pages = set()
    for path, refs in new.pages.items():
        if (
            any(chart_id in charts for chart_id, _ in refs.charts)
            or any(fact_id in facts for fact_id, _, _ in refs.facts)
            or any((name in datasets) or (not name and datasets) for name, _ in refs.datasets)
        ):
            pages.add(path)
    return pages
