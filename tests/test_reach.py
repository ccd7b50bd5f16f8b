"""What changed tables reach, before a rebuild: the charts and facts that use them."""

from __future__ import annotations

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
