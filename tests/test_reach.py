"""What changed tables reach, before a rebuild: the charts and facts that use them."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.charts import ChartDef
from site_builder.facts import FactDef
from site_builder.reach import reached_by


def test_a_changed_table_reaches_the_charts_and_facts_that_use_it() -> None:
    def chart(name: str, *data: str) -> ChartDef:
        return ChartDef(name, func=lambda: None, data=list(data), title="T", path="c.py", line=1)

    def fact(name: str, *data: str) -> FactDef:
        return FactDef(name, data=list(data), format="{value}", path="f.yaml", line=1)

    charts, facts, needed = reached_by(
        {"b"},
        [chart("one", "a"), chart("two", "a", "b"), chart("three", "c")],
        [fact("x", "b"), fact("y", "c")],
    )
    assert [c.id for c in charts] == ["two"]
    assert [f.id for f in facts] == ["x"]
    assert needed == {"a", "b"}


def test_a_chart_kept_as_it_was_is_unchanged_without_comparing_its_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild keeps the last build's objects for what it did not make again: those charts
    are not compared print by print (1,000 of them in a big preview); the others are."""
    from helpers import built

    from site_builder import reach
    from site_builder.catalog import Catalog
    from site_builder.pipeline import Project, Settings
    from site_builder.render import Rendered

    settings = Settings(tmp_path, tmp_path, tmp_path, tmp_path, tmp_path)
    charts = {c: built(c, {"mark": "bar"}, title=f"Chart {c}") for c in ("a", "b", "c")}
    rendered = {c: Rendered(c, f"key-{c}", True, tmp_path) for c in charts}
    old = Project(settings, Catalog("data/datapackage.yaml", ""), charts, {}, {}, rendered)
    new = Project(
        settings,
        Catalog("data/datapackage.yaml", ""),
        {**charts, "c": built("c", {"mark": "bar"}, title="Chart c, retitled")},
        {},
        {},
        {**rendered, "b": Rendered("b", "key-b", True, tmp_path)},
    )
    printed: list[str] = []
    monkeypatch.setattr(
        reach, "chart_print", lambda p, c: printed.append(c) or (p.charts[c].definition.title,)
    )
    assert reach.changed_charts(old, new) == {"c"}
    assert sorted(set(printed)) == ["b", "c"]  # "a" is the same objects: not printed
