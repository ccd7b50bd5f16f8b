"""What the published site holds, by what made it: each group of files (a chart's files, a
dataset's download, an embed page, a social card) under a key naming every input of its
content, with each file as the site holds it (device, inode, size, modification time).

A rebuild whose group has the same key links the published files into the new site without
reading or making them again: with nothing changed, a chart costs a few `lstat` calls. A file
the site no longer holds as it was written (edited, replaced, a link) is made again.

Kept in the cache folder, written only once a build is swapped in, so it always describes the
site in place. Standard library and sitedir.py only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path

from .cache import tool_digest, write_atomic
from .sitedir import links_free

_FILE = "published.json"
_VERSION = 1


def key_of(*parts: object) -> str:
    """A key naming these inputs (with this tool's code: another version makes files anew)."""
    h = hashlib.sha256(tool_digest().encode())
    for part in parts:
        h.update(b"\0" + str(part).encode())
    return h.hexdigest()


class Manifest:
    """The last published site's groups, and the groups of the site being built."""

    def __init__(self, cache_dir: Path, published: Path, staging: Path) -> None:
        self.file = cache_dir / _FILE
        self.published = published
        self.staging = staging
        self.last: dict[str, dict[str, object]] = _read(self.file, published)
        self.groups: dict[str, tuple[str, list[str]]] = {}  # group -> key, paths from the root

    def link(self, group: str, key: str) -> bool:
        """Link the group's published files into the new site when they were made from the
        same inputs and are still as written; False: make them (nothing is linked then)."""
        last = self.last.get(group)
        if last is None or last.get("key") != key:
            return False
        files = last.get("files")
        if not isinstance(files, dict):
            return False
        for path, seen in files.items():
            old = self.published / path
            try:
                st = os.lstat(old)
            except OSError:
                return False
            if not stat.S_ISREG(st.st_mode) or seen != _stamp(st):
                return False
            if not links_free(self.published, old.parent, self.staging):
                return False
        linked: list[Path] = []
        try:
            for path in files:
                new = self.staging / path
                try:
                    os.link(self.published / path, new, follow_symlinks=False)
                except FileNotFoundError:  # the folder's first file
                    new.parent.mkdir(parents=True, exist_ok=True)
                    os.link(self.published / path, new, follow_symlinks=False)
                except FileExistsError:  # linked by another edition's group: the same file
                    if os.lstat(new).st_ino != os.lstat(self.published / path).st_ino:
                        raise
                    continue
                linked.append(new)
        except OSError:  # e.g. the path is in the new site already: make the group
            for new in linked:
                new.unlink(missing_ok=True)
            return False
        self.groups[group] = (key, list(files))
        return True

    def add(self, group: str, key: str, paths: list[str]) -> None:
        """A group made by this build (written into the new site by the end of the build)."""
        self.groups[group] = (key, paths)

    def save(self, site: Path) -> None:
        """Once the new site is in place at `site`: what it holds, for the next build. A file
        missing from it (not written after all) leaves its group out."""
        groups: dict[str, dict[str, object]] = {}
        for group, (key, paths) in self.groups.items():
            files = {}
            for path in paths:
                try:
                    files[path] = _stamp(os.lstat(site / path))
                except OSError:
                    break
            else:
                groups[group] = {"key": key, "files": files}
        data = {"version": _VERSION, "site": str(site), "groups": groups}
        with contextlib.suppress(OSError):  # a read-only cache: the next build makes all
            write_atomic(self.file, json.dumps(data, separators=(",", ":")).encode())


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _read(file: Path, published: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return {}
    if data.get("site") != str(published) or not isinstance(data.get("groups"), dict):
        return {}
    return data["groups"]
