"""CPU per chart in the render stage, by step, against the floor's (vl-convert's SVG and the
spec written, nothing else), in one process so that every step's time is its own.

Renders the charts of a synthetic project (bench/synthetic.py) with the build's own
`render_one`, each step's CPU time taken by wrapping the functions it calls; then the floor's
work for the same specs. Prints milliseconds per chart, by chart kind and over all.
Usage: cd bench && python render_steps.py [--pages 10 --charts 4] [--sample 0 (all)]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthetic import KINDS, generate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_builder import images, pipeline, render
from site_builder.render import image_caption, page_spec

# The step the current time goes to: the outermost wrapped call (a phone layout's compile is
# the phone layout's time, not "compile").
_current: list[str] = []
_spent: dict[str, float] = collections.defaultdict(float)
# Vega drawings made for the current chart (the wide one and its phone layout's tries).
_drawings: list[int] = [0]


def timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _current:
            return func(*args, **kwargs)
        _current.append(label)
        start = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            _spent[label] += time.process_time() - start
            _current.pop()

    return wrapper


class _Renderer:
    """vl_convert as render.py sees it, each call timed under its step."""

    def __init__(self, vlc: Any) -> None:
        self._vlc = vlc

    def __getattr__(self, name: str) -> Any:
        labels = {
            "vegalite_to_vega": "compile to Vega",
            "vega_to_svg": "SVG from Vega",
            "svg_to_png": "raster (PNG)",
        }
        func = getattr(self._vlc, name)
        if name == "vega_to_svg":
            func = counted(func)
        return timed(labels[name], func) if name in labels else func


def counted(func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _drawings[0] += 1
        return func(*args, **kwargs)

    return wrapper


def instrument() -> None:
    import vl_convert as vlc

    sys.modules["vl_convert"] = _Renderer(vlc)  # type: ignore[assignment]
    for name, label in (
        ("round_svg", "round coordinates"),
        ("simplify_shapes", "simplify shapes"),
        ("clipped_text", "measure cut text"),
        ("text_boxes", "measure cut text"),  # the wide drawing's, measured once for two uses
        ("_render_narrow", "phone layout"),
        ("image_svg", "download image"),
        ("drawn_box", "ink box (raster)"),
        ("_dumps", "JSON"),
    ):
        setattr(render, name, timed(label, getattr(render, name)))
    images.drawn_box = render.drawn_box


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--charts", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp) / "project", args.pages, args.charts)
        root = project.resolve()
        settings = pipeline.Settings(
            root, root / "content", root / "data", root / "charts", root / ".cache"
        )
        built = pipeline.prepare(settings)
        jobs = [
            (chart.id, json.dumps(page_spec(chart)), json.dumps(image_caption(chart)))
            for chart in built.charts.values()
        ]
    from site_builder.fonts import renderer

    # The renderer as the build's processes set it up; the floor here draws with its fonts
    # too (scale.py's floor is vl-convert as it comes, in a process of its own).
    vlc = renderer()
    # Warm the engine (its start-up is a cost per process, not per chart).
    vlc.vegalite_to_svg(json.loads(jobs[0][1]), allowed_base_urls=[])
    floor: dict[str, float] = collections.defaultdict(float)
    for _, spec_json, _ in jobs:
        start = time.process_time()
        spec = json.loads(spec_json)
        svg = vlc.vegalite_to_svg(spec, allowed_base_urls=[])
        _ = (svg, json.dumps(spec))
        floor["floor"] += time.process_time() - start
    instrument()
    by_kind: dict[str, dict[str, float]] = {}
    count: dict[str, int] = collections.Counter()
    phones: dict[str, int] = collections.Counter()
    drawings: dict[str, int] = collections.Counter()
    total_start = time.process_time()
    for chart_id, spec_json, caption_json in jobs:
        kind = KINDS[(int(chart_id[1:4]) * args.charts + int(chart_id[-1])) % len(KINDS)]
        _spent.clear()
        _drawings[0] = 0
        start = time.process_time()
        outcome = render.render_one(spec_json, caption_json)
        whole = time.process_time() - start
        if isinstance(outcome, str):
            sys.exit(f"{chart_id}: {outcome}")
        steps = by_kind.setdefault(kind, collections.defaultdict(float))
        for label, seconds in _spent.items():
            steps[label] += seconds
        steps["other"] += whole - sum(_spent.values())
        steps["total"] += whole
        count[kind] += 1
        phones[kind] += bool(outcome[1])
        drawings[kind] += _drawings[0]
    total = time.process_time() - total_start
    n = len(jobs)
    labels = sorted({k for s in by_kind.values() for k in s}, key=lambda k: (k == "total", k))
    kinds = sorted(by_kind)
    print(
        f"CPU per chart, ms ({n} charts; phone layouts: "
        + ", ".join(f"{phones[k]}/{count[k]} {k}" for k in kinds)
        + ")"
    )
    print(f"  {'step':<22}" + "".join(f"{k:>10}" for k in kinds) + f"{'all':>10}")
    for label in labels:
        cells = [1000 * by_kind[k].get(label, 0.0) / count[k] for k in kinds]
        overall = 1000 * sum(by_kind[k].get(label, 0.0) for k in kinds) / n
        print(f"  {label:<22}" + "".join(f"{c:10.1f}" for c in cells) + f"{overall:10.1f}")
    print(
        f"  {'floor (SVG + spec)':<22}"
        + " " * 10 * len(kinds)
        + f"{1000 * floor['floor'] / n:10.1f}"
    )
    print(
        f"  {'Vega drawings':<22}"
        + "".join(f"{drawings[k] / count[k]:10.2f}" for k in kinds)
        + f"{sum(drawings.values()) / n:10.2f}"
    )
    print(f"render / floor: {total / floor['floor']:.2f}x")


if __name__ == "__main__":
    main()
