"""A long preview reads again only the pages that changed, and checks every page again when
what pages are checked against changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROJECTS, copy_project
from helpers import settings

from site_builder import filedigests, pagescans, pipeline
from site_builder.errors import Problems


@pytest.fixture(autouse=True)
def no_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages written by a test just before it scans them count as settled (see the last test)."""
    monkeypatch.setattr(filedigests, "_SETTLED_NS", 0)


def test_only_changed_pages_are_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(PROJECTS / "basic", tmp_path / "mini")
    read: list[str] = []
    real = pagescans.scan_page
    monkeypatch.setattr(
        pagescans, "scan_page", lambda text, shown: (read.append(shown), real(text, shown))[1]
    )

    def scan(chart_ids: list[str]) -> tuple[dict[str, object], list[str]]:
        problems = Problems()
        pages = pipeline._scan_pages(settings(project), chart_ids, None, None, problems)
        return pages, [p.message for p in problems.items]

    charts = ["city-population", "region-scores"]
    first, said = scan(charts)
    assert sorted(read) == ["content/index.md", "content/second.md"] and said == []
    read.clear()
    assert scan(charts) == (first, [])
    assert read == []
    second = project / "content" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    scan(charts)
    assert read == ["content/second.md"]
    # Checked against other charts: every page again, and the unknown chart is named.
    read.clear()
    _, said = scan(["region-scores"])
    assert sorted(read) == ["content/index.md", "content/second.md"]
    assert any("city-population" in message for message in said)
    # A page another one links to is gone: the unchanged page's link is a problem now.
    second.unlink()
    _, said = scan(charts)
    assert any("second.md" in message for message in said)


def test_the_next_build_reads_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scans are kept in the cache folder: another process (its memory empty) reads no
    page that did not change, and names the same problems; a file a link names, gone since,
    makes every page checked again."""
    project = copy_project(PROJECTS / "basic", tmp_path / "mini")
    (project / "content" / "map.png").write_bytes(b"png")
    second = project / "content" / "second.md"
    second.write_text(
        second.read_text(encoding="utf-8") + "\n![Map](map.png) and {{ fact: nope }}\n",
        encoding="utf-8",
    )
    read: list[str] = []
    real = pagescans.scan_page
    monkeypatch.setattr(
        pagescans, "scan_page", lambda text, shown: (read.append(shown), real(text, shown))[1]
    )

    def scan_anew() -> tuple[dict[str, object], list[str]]:
        """As a new process does."""
        monkeypatch.setattr(pagescans, "_scans", {})
        monkeypatch.setattr(pagescans, "_read", set())
        problems = Problems()
        charts = ["city-population", "region-scores"]
        pages = pipeline._scan_pages(settings(project), charts, ["city-count"], None, problems)
        return pages, [p.location() + " " + p.message for p in problems.items]

    first = scan_anew()
    assert len(read) == 2 and any("nope" in said for said in first[1])
    read.clear()
    assert scan_anew() == first
    assert read == []
    (project / "content" / "map.png").unlink()
    _, said = scan_anew()
    assert sorted(read) == ["content/index.md", "content/second.md"]
    assert any("map.png" in message for message in said)


def test_a_file_in_a_linked_folder_is_looked_up_again(tmp_path: Path) -> None:
    """The docs folder's listing does not enter a linked folder: a kept scan checks the files
    its links found there (gone since: a problem; come since: none), and no other."""
    project = copy_project(PROJECTS / "basic", tmp_path / "mini")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "map.png").write_bytes(b"png")
    (project / "content" / "img").symlink_to(shared, target_is_directory=True)
    second = project / "content" / "second.md"
    second.write_text(
        second.read_text(encoding="utf-8") + "\n![Map](img/map.png) ![Plan](img/plan.png)\n",
        encoding="utf-8",
    )

    def said() -> list[str]:
        problems = Problems()
        charts = ["city-population", "region-scores"]
        pipeline._scan_pages(settings(project), charts, None, None, problems)
        return [p.message for p in problems.items]

    assert [m for m in said() if "img/" in m] == [
        "links to 'img/plan.png', which is not a file of the site"
    ]
    (shared / "plan.png").write_bytes(b"png")
    (shared / "map.png").unlink()
    assert [m for m in said() if "img/" in m] == [
        "links to 'img/map.png', which is not a file of the site"
    ]
    # Hidden files are not the site's: an editor's swap file does not make pages read again.
    (project / "content" / ".second.md.swp").write_bytes(b"swap")
    before = dict(pagescans._scans)
    said()
    assert pagescans._scans == before


def test_a_page_changed_just_before_it_was_read_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved again within the file system clock's tick, a page would keep its stamp: a scan
    of a page that was not settled when read is not reused."""
    monkeypatch.setattr(filedigests, "_SETTLED_NS", 2_000_000_000)
    project = copy_project(PROJECTS / "basic", tmp_path / "mini")
    (project / "content" / "second.md").write_text("# Second\n", encoding="utf-8")
    read: list[str] = []
    real = pagescans.scan_page
    monkeypatch.setattr(
        pagescans, "scan_page", lambda text, shown: (read.append(shown), real(text, shown))[1]
    )
    charts = ["city-population", "region-scores"]
    for _ in range(2):
        pipeline._scan_pages(settings(project), charts, None, None, Problems())
    assert read.count("content/second.md") == 2
