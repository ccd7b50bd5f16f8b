"""How many times the render stage draws each chart (vl-convert's Vega -> SVG), against the
minimum: one for the wide layout, and one for a phone layout when there is one.

Renders the charts of a project (or of a synthetic one) with the build's own `render_one` and
counts the drawings per chart; prints each chart whose count is over the minimum, then the
totals. Usage: cd bench && python draws.py [PROJECT ...] [--pages 10 --charts 4]
(no PROJECT: a synthetic project, bench/synthetic.py)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from synthetic import generate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_builder import pipeline, render
from site_builder.render import image_caption, page_spec


class _Counting:
    """vl_convert as render.py sees it, its drawings counted."""

    def __init__(self, vlc: Any) -> None:
        self._vlc = vlc
        self.draws = 0

    def __getattr__(self, name: str) -> Any:
        func = getattr(self._vlc, name)
        if name != "vega_to_svg":
            return func

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.draws += 1
            return func(*args, **kwargs)

        return counted


def count(project: Path) -> tuple[int, int, int]:
    """Drawings, the minimum, and charts, for one project; prints the charts over it."""
    import vl_convert as vlc

    root = project.resolve()
    counter = _Counting(vlc)
    draws = least = 0
    with tempfile.TemporaryDirectory() as cache:
        settings = pipeline.Settings(
            root, root / "content", root / "data", root / "charts", Path(cache)
        )
        built = pipeline.prepare(settings)
        sys.modules["vl_convert"] = counter  # type: ignore[assignment]
        try:
            for chart in built.charts.values():
                counter.draws = 0
                outcome = render.render_one(
                    json.dumps(page_spec(chart)), json.dumps(image_caption(chart))
                )
                if isinstance(outcome, str):
                    sys.exit(f"{chart.id}: {outcome}")
                minimum = 1 + bool(outcome[1])
                if counter.draws > minimum:
                    print(f"  {chart.id}: {counter.draws} drawings (minimum {minimum})")
                draws += counter.draws
                least += minimum
        finally:
            sys.modules["vl_convert"] = vlc
    return draws, least, len(built.charts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("projects", nargs="*", type=Path)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--charts", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        projects = args.projects or [generate(Path(tmp) / "synthetic", args.pages, args.charts)]
        for project in projects:
            print(f"{project}:")
            draws, least, charts = count(project)
            print(f"  {charts} charts: {draws} drawings, minimum {least}")


if __name__ == "__main__":
    main()
