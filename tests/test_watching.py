"""The preview's file watcher: told of saves by inotify, not of reads; polls where it must."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.inotify import InotifyObserver

from site_builder import watching
from site_builder.watching import Watcher


class Seen(FileSystemEventHandler):
    """Records the events it is given, as MkDocs' handler would rebuild on each."""

    def __init__(self) -> None:
        self.events: list[FileSystemEvent] = []
        self.got = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.events.append(event)
            self.got.set()

    def wait(self) -> bool:
        """Whether an event came within 5 s (then forgets it)."""
        seen = self.got.wait(5)
        time.sleep(0.3)  # the rest of the same save
        self.got.clear()
        return seen

    def nothing_for(self, seconds: float) -> bool:
        return not self.got.wait(seconds)


Watch = Callable[[Path], tuple[Watcher, Seen, bool]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: A\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def watch() -> Iterator[Watch]:
    """Starts a watcher on a path, told to a `Seen`; with whether it polled before it
    started. Stopped after the test."""
    started: list[Watcher] = []

    def start(path: Path) -> tuple[Watcher, Seen, bool]:
        watcher = Watcher(0.1)
        polled_before = watcher.polling
        seen = Seen()
        watcher.schedule(seen, str(path), recursive=True)
        watcher.start()
        started.append(watcher)
        return watcher, seen, polled_before

    yield start
    for watcher in started:
        watcher.stop()
        watcher.join(5)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_saves_are_told_by_inotify_and_reads_are_not(folder: Path, watch: Watch) -> None:
    _, seen, polled_before = watch(folder / "content")
    assert not polled_before
    page = folder / "content" / "index.md"
    page.write_text("# Home\n\nA sentence.\n", encoding="utf-8")
    assert seen.wait()
    # A rebuild reads every page: that must not start another one.
    assert page.read_text(encoding="utf-8")
    with page.open("rb") as f:
        f.read()
    assert seen.nothing_for(0.5)
    (folder / "content" / "new.md").write_text("# New\n", encoding="utf-8")
    assert seen.wait()
    (folder / "content" / "new.md").unlink()
    assert seen.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_file_replaced_by_renaming_is_still_watched(folder: Path, watch: Watch) -> None:
    config = folder / "mkdocs.yml"
    _, seen, _ = watch(config)
    for n in range(2):  # as editors save: another file, renamed over this one
        spare = folder / f".mkdocs.yml.{n}"
        spare.write_text(f"site_name: B{n}\n", encoding="utf-8")
        os.replace(spare, config)
        assert seen.wait(), f"save {n} not seen"
    # Other files in its folder are not its changes.
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    assert seen.nothing_for(0.5)


class Limited(InotifyObserver):
    """Inotify past its watch limit: it cannot start."""

    def start(self) -> None:
        raise OSError(28, "inotify watch limit reached")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_past_inotify_limits_it_polls(
    folder: Path,
    watch: Watch,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="site_builder")
    monkeypatch.setattr(watching, "_inotify_observer", Limited)
    watcher, seen, polled_before = watch(folder / "content")
    assert not polled_before
    assert watcher.polling and watcher.is_alive()
    assert "inotify watch limit reached; looking for changes every 0.1 s instead" in caplog.text
    (folder / "content" / "index.md").write_text("# Home, again\n", encoding="utf-8")
    assert seen.wait()
