"""What the published site holds, by what made it: each group of files (a chart's files, a
dataset's download, an embed page, a social card, a finished page) under a key naming every
input of its content, with each file as the site holds it (device, inode, size, modification
time); and the pages' Content-Security-Policy.

A rebuild whose group has the same key links the published files into the new site without
reading or making them again: with nothing changed, a chart costs a few `lstat` calls. A file
the site no longer holds as it was written (edited, replaced, a link) is made again.

Kept in the cache folder, written only once a build is swapped in, so it always describes the
site in place. Standard library, cache.py and sitedir.py only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from .cache import tool_digest, write_atomic
from .sitedir import KEPT

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

    def __init__(
        self, cache_dir: Path, published: Path, staging: Path, kept: tuple[str, ...] = ()
    ) -> None:
        self.file = cache_dir / _FILE
        self.published = published
        self.staging = staging
        data = _read(self.file, published)
        self.last: dict[str, dict[str, object]] = data.get("groups", {})
        # The pages' Content-Security-Policy tag in the published site ("" if unknown): a
        # rebuild puts it in each page at once, and rewrites pages only if it changed.
        self.last_policy = str(data.get("policy") or "")
        self.policy = ""  # this build's, once known
        # group -> key, paths from the root, each file's stamp when linked (the same file in
        # the new site: no need to look at it again), and what else is noted of the group
        self.groups: dict[
            str, tuple[str, list[str], list[list[int]] | None, dict[str, object]]
        ] = {}
        # Strings, not Paths: a rebuild links thousands of files, and a Path costs more
        # than the system call.
        self._old = str(published) + os.sep
        self._new = str(staging) + os.sep
        self._free: dict[str, bool] = {}  # folder -> no link on the way (links_free)
        self._made: set[str] = set()  # folders made in the new site
        # The folders the staging folder may hold from the replaced site (sitedir.KEPT), each
        # put in place once a file of it is first asked for: its files (from the site root) no
        # group has claimed yet, and its subfolders (walked once, for what to remove).
        self.kept = tuple(folder + "/" for folder in kept)
        self._leftover: dict[str, int] = {}  # kept files not claimed yet, by their inodes
        self._emptied: set[str] = set()  # kept folders that may be empty (ending in "/")
        self._placed: dict[str, list[str]] = {}
        self._folders: set[str] = set()  # the kept folders' subfolders, each ending in "/"

    def link(self, group: str, key: str) -> bool:
        """Link the group's published files into the new site when they were made from the
        same inputs and are still as written; False: make them (nothing is linked then)."""
        last = self.last.get(group)
        if last is None or last.get("key") != key:
            return False
        files = last.get("files")
        if not isinstance(files, dict):
            return False
        inodes = {}
        for path, seen in files.items():
            try:
                st = os.lstat(self._old + path)
            except OSError:
                return False
            if not stat.S_ISREG(st.st_mode) or seen != _stamp(st):
                return False
            if not self._links_free(os.path.dirname(path)):
                return False
            inodes[path] = st.st_ino
        linked: list[str] = []
        try:
            for path in files:
                if not self._link(path, inodes[path]):
                    continue  # linked by another edition's group: the same file
                linked.append(path)
        except OSError:  # e.g. the path is in the new site already: make the group
            for path in linked:
                with contextlib.suppress(OSError):
                    os.unlink(self._new + path)
            return False
        self.groups[group] = (key, list(files), list(files.values()), _noted(last))
        return True

    def recorded(self, group: str) -> dict[str, object]:
        """What was noted of the published site's `group` with its files ({} if nothing)."""
        return _noted(self.last.get(group) or {})

    def _link(self, path: str, inode: int) -> bool:
        """The published file at `path` (inode `inode`) linked into the new site; False: it is
        there already (the same file)."""
        old, new = self._old + path, self._new + path
        kept = self._take_kept(path)
        if kept is not None:
            if kept == inode:
                return True  # the published file itself, kept from the replaced site
            os.unlink(new)  # another file (older, or edited): linked as published
        folder = os.path.dirname(path)
        if folder and folder not in self._made:
            os.makedirs(self._new + folder, exist_ok=True)
            self._made.add(folder)
        try:
            os.link(old, new, follow_symlinks=False)
        except FileExistsError:
            if os.lstat(new).st_ino != os.lstat(old).st_ino:
                raise
            return False
        return True

    def _links_free(self, folder: str) -> bool:
        """Is the published site's `folder` reached with no link on the way? One lstat per
        folder and build (the rest of the way is known by then)."""
        if not folder:
            return True
        free = self._free.get(folder)
        if free is None:
            parent, name = os.path.split(folder)
            try:
                free = (
                    name not in ("", ".", "..")
                    and self._links_free(parent)
                    and not stat.S_ISLNK(os.lstat(self._old + folder).st_mode)
                )
            except OSError:
                free = False
            self._free[folder] = free
        return free

    def _take_kept(self, path: str) -> int | None:
        """The inode of the file at `path` a kept folder holds, not yet claimed (then
        claimed); None if there is none."""
        for folder in self.kept:
            if path.startswith(folder):
                if folder not in self._placed:
                    self._place(folder)
                if path in self._leftover:
                    return self._leftover.pop(path)
                self._clear_way(folder, path)
                if path + "/" in self._folders:  # a folder where a file goes: not kept
                    shutil.rmtree(self._new + path)
                    self._folders.difference_update(
                        [f for f in self._folders if f.startswith(path + "/")]
                    )
                    for f in [f for f in self._leftover if f.startswith(path + "/")]:
                        del self._leftover[f]
                return None
        return None

    def _clear_way(self, folder: str, path: str) -> None:
        """A file the kept `folder` holds where `path` needs a folder (planted in the site by
        hand, say) is removed: not kept."""
        parent = os.path.dirname(path)
        while len(parent) >= len(folder):
            if parent in self._leftover:
                del self._leftover[parent]
                _remove(self._new + parent)
                return
            parent = os.path.dirname(parent)

    def _place(self, folder: str) -> None:
        """The kept `folder` (ending in "/") moved into place, and its files and folders
        listed, if the staging folder holds it and nothing is there yet."""
        folders: list[str] = []
        self._placed[folder] = folders
        held, target = self._new + KEPT + os.sep + folder, self._new + folder
        try:
            if not stat.S_ISDIR(os.lstat(held).st_mode) or os.path.lexists(target):
                return
            os.makedirs(os.path.dirname(target[:-1]), exist_ok=True)
            os.rename(held, target)
        except OSError:
            return  # none kept: every file is linked
        todo = [folder]
        while todo:
            current = todo.pop()
            folders.append(current)
            self._folders.add(current)
            self._made.add(current[:-1])
            with os.scandir(self._new + current) as entries:
                empty = True
                for entry in entries:
                    empty = False
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(current + entry.name + "/")
                    else:  # a file, or a link planted there: claimed only if a file
                        self._leftover[current + entry.name] = entry.inode()
                if empty:
                    self._emptied.add(current)

    def clear(self, path: str) -> None:
        """Before the build writes `path`: a file a kept folder holds there is removed, so
        that it is never written through (it may be the published site's)."""
        if self._take_kept(path) is not None:
            _remove(self._new + path)

    def finish(self) -> None:
        """Before the new site is swapped in: what the kept folders hold that no group of
        this build claimed goes, and so do their folders left empty (the folders not put in
        place go with the staging folder's other leftovers, removed by the next build)."""
        # Only a folder something was removed from may be empty now (or one that was).
        emptied = self._emptied
        for path in self._leftover:
            _remove(self._new + path)
            emptied.add(os.path.dirname(path) + "/")
        self._leftover = {}
        for folders in self._placed.values():
            for folder in reversed(folders):  # the deepest first
                if folder in self._folders and folder in emptied:
                    try:
                        os.rmdir(self._new + folder)
                    except OSError:  # not empty: kept
                        continue
                    emptied.add(os.path.dirname(folder[:-1]) + "/")
        held = self._new + KEPT
        for folder in self.kept:  # the folders that held those put in place, if empty
            parent = os.path.dirname(folder[:-1])
            while parent:
                with contextlib.suppress(OSError):
                    os.rmdir(held + os.sep + parent)
                parent = os.path.dirname(parent)
        with contextlib.suppress(OSError):
            os.rmdir(held)
        if os.path.lexists(held):
            os.rename(held, str(self.staging) + "-kept")

    def add(
        self, group: str, key: str, paths: list[str], noted: dict[str, object] | None = None
    ) -> None:
        """A group made by this build (written into the new site by the end of the build),
        and what else the next build needs to know of it (`noted`, as JSON)."""
        self.groups[group] = (key, paths, None, noted or {})

    def save(self, site: Path) -> None:
        """Once the new site is in place at `site`: what it holds, for the next build. A file
        missing from it (not written after all) leaves its group out."""
        groups: dict[str, dict[str, object]] = {}
        root = str(site) + os.sep
        for group, (key, paths, stamps, noted) in self.groups.items():
            if stamps is not None:  # linked: the published file, seen as it was
                files_seen = dict(zip(paths, stamps, strict=True))
                groups[group] = {"key": key, "files": files_seen, **_note(noted)}
                continue
            files = {}
            for path in paths:
                try:
                    files[path] = _stamp(os.lstat(root + path))
                except OSError:
                    break
            else:
                groups[group] = {"key": key, "files": files, **_note(noted)}
        if groups == self.last and self.policy == self.last_policy:
            return  # the site as recorded (a rebuild that linked every group): kept as it is
        data = {"version": _VERSION, "site": str(site), "groups": groups, "policy": self.policy}
        with contextlib.suppress(OSError):  # a read-only cache: the next build makes all
            write_atomic(self.file, json.dumps(data, separators=(",", ":")).encode())


def _noted(record: dict[str, object]) -> dict[str, object]:
    noted = record.get("noted")
    return noted if isinstance(noted, dict) else {}


def _note(noted: dict[str, object]) -> dict[str, object]:
    return {"noted": noted} if noted else {}


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _read(file: Path, published: Path) -> dict[str, Any]:
    """The record of the site at `published` ({} if none, or of another site)."""
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return {}
    if data.get("site") != str(published) or not isinstance(data.get("groups"), dict):
        return {}
    return data
