"""The benchmark's reading of a build's log (bench/scale.py), on a log captured from a real
build of 400 charts on 100 pages, whose progress lines come before its summary line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOG = Path(__file__).parent / "logs" / "build-400-charts.log"


@pytest.fixture(scope="module")
def scale():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import scale

        yield scale
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_stages_read_the_summary_line_not_the_progress_lines(scale) -> None:  # type: ignore[no-untyped-def]
    log = LOG.read_text()
    assert "site-builder: pages: 100 written" in log  # what the parser once took
    assert scale.summary_line(log).startswith("site-builder: 101 pages, 400 charts (400 rendered")
    assert scale.stages(log) == {
        "load": 21.73,
        "chart": 53.65,
        "render": 150.32,
        "page": 21.64,
        "write": 1.44,
    }


def test_a_log_without_a_summary_gives_no_stages(scale) -> None:  # type: ignore[no-untyped-def]
    log = "\n".join(line for line in LOG.read_text().splitlines() if "400 charts (" not in line)
    assert scale.summary_line(log) == ""
    assert scale.stages(log) == {}


def test_a_rebuild_from_the_snapshot_gives_its_own_stages(scale) -> None:  # type: ignore[no-untyped-def]
    log = (
        "INFO    -  site-builder: pages: 100 written\n"
        "INFO    -  site-builder: pages: 200 written\n"
        "INFO    -  site-builder: 251 pages, 1000 charts (0 rendered, 1000 from cache), 0 facts, "
        "1000 datasets; snapshot 0.16 s, page 0.58 s, write 0.12 s\n"
    )
    assert scale.stages(log) == {"snapshot": 0.16, "page": 0.58, "write": 0.12}
