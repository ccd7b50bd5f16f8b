"""A chart over a table too big to embed: its transforms run at build time (VegaFusion), so the
page carries only what is drawn."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import edit, prepare, report

from site_builder.specs import check_spec, describe, plotted_rows
from site_builder.variants import is_vega

ROWS = 200_000


SCORES = [i % 97 for i in range(ROWS)]


def big_regions(project: Path) -> None:
    """200,000 regions with scores, and a chart of how the scores are spread."""
    rows = "".join(f"P{i},{score}\n" for i, score in enumerate(SCORES))
    (project / "data" / "regions.csv").write_text("region,score\n" + rows)
    edit(
        project / "charts" / "cities.py",
        'mark_point().encode(x="score:Q", y="region:N")',
        'mark_bar().encode(x=alt.X("score:Q", bin=True), y="count():Q")',
    )


def test_an_aggregating_chart_over_a_big_table_embeds_only_its_result(mini: Path) -> None:
    big_regions(mini)
    spec = prepare(mini).charts["region-scores"].spec
    assert is_vega(spec)
    assert len(json.dumps(spec)) < 50_000
    rows = plotted_rows(spec)
    assert 5 <= len(rows) <= 20
    for row in rows:
        start, end = row["bin_maxbins_10_score"], row["bin_maxbins_10_score_end"]
        assert row["__count"] == sum(start <= s < end for s in SCORES)
    assert sum(r["__count"] for r in rows) == ROWS
    assert check_spec(spec) == []
    assert f"{len(rows)} rows" in describe(spec, rows)
    assert spec["config"]["style"]["guide-label"]["font"].startswith("Helvetica"), "themed"


def test_a_big_table_chart_mistake_is_worded_for_the_writer(mini: Path) -> None:
    big_regions(mini)
    charts = mini / "charts" / "cities.py"
    edit(charts, 'alt.X("score:Q", bin=True)', 'alt.X("nope:Q", bin=True)')
    message = report(mini)
    assert "chart 'region-scores': encodes column 'nope', which its table does not have" in message
    assert "available columns: 'region', 'score'" in message
    edit(charts, 'alt.X("nope:Q", bin=True)', 'alt.X("score:Q", bin=True)')
    edit(
        charts,
        'bar().encode(x=alt.X("score',
        'bar().transform_filter("datum.score >").encode(x=alt.X("score',
    )
    message = report(mini)
    assert "is not a valid Vega-Lite chart: Vega-Lite to Vega conversion failed:" in message
    # The compiler's cause, whole, without its JavaScript stack.
    assert "failed:\n    Error: Unexpected end of input\n  hint: " in message
    assert "Traceback" not in message and " at " not in message
