"""The live preview's file watcher: told of a save at once by the system (Linux inotify),
or, where the system cannot tell (another OS, inotify's limits reached), looking at the
files every `poll_seconds` as MkDocs' own watcher does."""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("site_builder")

# What a save makes. Not a file opened or read: every rebuild reads the pages, tables and
# chart modules, which would start the next rebuild.
SAVES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,  # closed after writing
    FileDeletedEvent,
    FileMovedEvent,
]


class Watcher:
    """What MkDocs' preview server asks of its observer (schedule, unschedule, start, stop,
    join), on inotify if it starts, else on a polling observer."""

    def __init__(self, poll_seconds: float) -> None:
        self.poll_seconds = poll_seconds
        self.observer: BaseObserver = _inotify_observer() or self._polling()
        # token -> (handler, path, recursive) and its watch on the observer in use
        self.asked: dict[object, tuple[FileSystemEventHandler, str, bool]] = {}
        self.watches: dict[object, Any] = {}

    @property
    def polling(self) -> bool:
        return isinstance(self.observer, PollingObserver)

    def schedule(
        self, handler: FileSystemEventHandler, path: str, *, recursive: bool = False
    ) -> object:
        token = object()
        self.asked[token] = (handler, path, recursive)
        try:
            self.watches[token] = self._schedule(handler, path, recursive)
        except OSError as exc:  # inotify's watch limit, with the observer running
            self._fall_back(exc, restart=True)
        return token

    def unschedule(self, token: object) -> None:
        self.asked.pop(token, None)
        watch = self.watches.pop(token, None)
        if watch is not None:
            self.observer.unschedule(watch)

    def unschedule_all(self) -> None:
        self.asked.clear()
        self.watches.clear()
        self.observer.unschedule_all()

    def start(self) -> None:
        try:
            self.observer.start()
        except OSError as exc:  # inotify's watch limit
            self._fall_back(exc, restart=True)

    def stop(self) -> None:
        self.observer.stop()

    def join(self, timeout: float | None = None) -> None:
        if self.observer.is_alive():
            self.observer.join(timeout)

    def is_alive(self) -> bool:
        return self.observer.is_alive()

    def _schedule(self, handler: FileSystemEventHandler, path: str, recursive: bool) -> Any:
        if self.polling:
            return self.observer.schedule(handler, path, recursive=recursive)
        if os.path.isfile(path):
            # A file (mkdocs.yml) through its folder: an editor that saves by writing another
            # file and renaming it over this one would end a watch on the file itself.
            handler, path, recursive = _OneFile(handler, path), os.path.dirname(path), False
        return self.observer.schedule(handler, path, recursive=recursive, event_filter=SAVES)

    def _fall_back(self, exc: OSError, *, restart: bool) -> None:
        """Poll instead: every path asked for, on a new polling observer."""
        log.info("preview: %s; looking for changes every %.1f s instead", exc, self.poll_seconds)
        with contextlib.suppress(Exception):
            self.observer.stop()
            self.observer.on_thread_stop()  # closes inotify, also when it never started
        self.observer = self._polling()
        self.watches = {token: self._schedule(*asked) for token, asked in self.asked.items()}
        if restart:
            self.observer.start()

    def _polling(self) -> BaseObserver:
        return PollingObserver(timeout=self.poll_seconds)


class _OneFile(FileSystemEventHandler):
    """Passes on the events of one file in a folder watched for it."""

    def __init__(self, handler: FileSystemEventHandler, path: str) -> None:
        self.handler = handler
        self.path = os.path.abspath(path)

    def dispatch(self, event: FileSystemEvent) -> None:
        paths = {os.fsdecode(event.src_path), os.fsdecode(event.dest_path or b"")}
        if self.path in paths:
            self.handler.dispatch(event)


def _inotify_observer() -> BaseObserver | None:
    try:
        from watchdog.observers.inotify import InotifyObserver

        return InotifyObserver()
    except (ImportError, OSError):  # not Linux, or inotify's instance limit
        return None
