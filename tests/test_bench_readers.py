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
