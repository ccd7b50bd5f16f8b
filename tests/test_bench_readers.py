"""The Lighthouse bench's choice of pages (bench/lighthouse.py): every story page of every
edition, with or without charts; no chart's embed page, under any edition's prefix."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _page(site: Path, path: str, body: str) -> None:
    folder = site / path
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(f"<html><head></head>{body}</html>", encoding="utf-8")


def test_story_pages_leave_out_embed_pages_of_every_edition(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import lighthouse
    finally:
        sys.path.remove(str(ROOT / "bench"))
    figure = '<body dir="ltr"><figure class="sb-figure" id="a"></figure></body>'
    embed = '<body class="md-typeset sb-embed"><figure class="sb-figure" id="a"></figure></body>'
    _page(tmp_path, "", figure)
    _page(tmp_path, "data", '<body dir="ltr"><p>No chart.</p></body>')
    _page(tmp_path, "zh", figure)
    _page(tmp_path, "embed/a", embed)
    _page(tmp_path, "zh/embed/a", embed)
    _page(tmp_path, "search", "<body></body>")
    found = sorted((path, charts) for path, _, charts in lighthouse.story_pages(tmp_path))
    assert found == [("", True), ("data/", False), ("zh/", True)]


def test_main_thread_counts_the_pages_own_work_once(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import main_thread
    finally:
        sys.path.remove(str(ROOT / "bench"))
    url = "http://127.0.0.1:1/claims/"

    def task(name: str, ts: int, ms: float, tid: int = 1, **args: object) -> dict:
        return {"name": name, "ph": "X", "pid": 7, "tid": tid, "ts": ts,
                "dur": int(ms * 2000), "tdur": int(ms * 1000), "args": args}  # fmt: skip

    trace = [
        {"name": "thread_name", "pid": 7, "tid": 1, "args": {"name": "CrRendererMain"}},
        {"name": "thread_name", "pid": 7, "tid": 2, "args": {"name": "Compositor"}},
        {
            "name": "CommitLoad",
            "ph": "X",
            "pid": 7,
            "tid": 1,
            "ts": 0,
            "args": {"data": {"frame": "F1", "isMainFrame": True, "url": url}},
        },
        task("RunTask", 10, 100.0),
        task("FunctionCall", 10, 60.0, data={"frame": "F1", "url": url}),
        task("FunctionCall", 20, 20.0, data={"frame": "F1", "url": url}),  # nested: once
        task("UpdateLayoutTree", 30, 8.0, elementCount=300, beginData={"frame": "F1"}),
        task("Layout", 50, 5.0, beginData={"frame": "F1", "dirtyObjects": 40}),
        task("RunTask", 400_000, 10.0),
        task("UpdateLayoutTree", 400_000, 9.0, elementCount=99, beginData={"frame": "F2"}),
        task("RunTask", 500_000, 30.0, tid=2),  # not the main thread
    ]
    costs = main_thread.page_costs(trace, url)
    assert costs["cpu"] == 110.0 and costs["longest"] == 100.0
    assert costs["tbt"] == 4 * 100.0 - 50  # the 10 ms task, 40 ms slowed down, blocks nothing
    assert costs["script"] == 60.0 and costs["style"] == 8.0 and costs["layout"] == 5.0
    assert costs["styled"] == 300 and costs["laid"] == 40  # the other frame's left out
