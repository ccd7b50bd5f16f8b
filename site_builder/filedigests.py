"""Digests of the project's data and chart files, each read again only when its stamp
(inode, size, modification and change times) moved: a long preview hashes what a save
changed, not every table on every rebuild (1,000 files at 1,000 charts), and so does a build
with the stamps the last one kept (`recall`, `keep`): 0.12 s of reading at 1,000 tables.

A stamp is trusted only for a file last changed well before it was hashed: the file system's
clock is coarse, and a file changed again within its tick keeps its times."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from .cache import write_atomic

_FILE = "file-digests.json"
# Older than this when hashed, a file's change time tells every later change (a tick is
# milliseconds; a clock set back by more than this is a stale digest's only way in).
_SETTLED_NS = 2_000_000_000
Stamp = tuple[int, int, int, int]
_known: dict[str, tuple[Stamp, str, int]] = {}  # by path: stamp, digest, when it was hashed
_recalled: set[str] = set()  # cache folders read
_used: set[str] = set()  # paths asked for in this process: what keep() writes
_kept = 0  # how many entries were hashed since the last keep()


def file_digest(path: Path | str) -> str:
    """The SHA-256 of the file's bytes."""
    global _kept
    st = os.stat(path)
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    key = os.fspath(path)
    _used.add(key)
    known = _known.get(key)
    if known is not None and known[0] == stamp and settled(st, known[2]):
        return known[1]
    hashed_at = time.time_ns()
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    _known[key] = (stamp, digest, hashed_at)
    _kept += 1
    return digest


def settled(st: os.stat_result, read_at: int) -> bool:
    """Whether the file, as `st` shows it, was last changed well before `read_at` (ns since
    the epoch): then a later change moves its stamp, whatever the clock's tick."""
    return max(st.st_mtime_ns, st.st_ctime_ns) < read_at - _SETTLED_NS


def recall(cache_dir: Path) -> None:
    """The stamps and digests the last build kept in `cache_dir`, once per process; none
    when that file is missing or damaged."""
    if str(cache_dir) in _recalled:
        return
    _recalled.add(str(cache_dir))
    try:
        entries = json.loads((cache_dir / _FILE).read_bytes())
        found = {
            key: ((ino, size, mtime, ctime), digest, hashed_at)
            for key, (ino, size, mtime, ctime, digest, hashed_at) in entries.items()
            if isinstance(digest, str)
            and all(type(n) is int for n in (ino, size, mtime, ctime, hashed_at))
        }
    except (OSError, ValueError, TypeError, AttributeError):  # none, or not as written
        return
    for key, entry in found.items():
        _known.setdefault(key, entry)


def keep(cache_dir: Path) -> None:
    """The stamps and digests known, for the next build, when some were hashed anew."""
    global _kept
    if not _kept:
        return
    entries = {k: [*stamp, digest, at] for k, (stamp, digest, at) in _known.items() if k in _used}
    try:
        write_atomic(cache_dir / _FILE, json.dumps(entries).encode())
    except OSError:  # a read-only cache: the next build reads the files again
        return
    _kept = 0


def walk_once(folder: Path | str) -> Iterator[tuple[str, list[str], list[str]]]:
    """`os.walk` through folder links, each real folder once (a link may loop back). The
    caller may narrow the folders list it gets, as with `os.walk`, to not enter some."""
    seen: set[str] = set()
    for here, folders, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(here)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        yield here, folders, files


def files_under(
    folder: Path, linked_folders: list[str] | None = None
) -> list[tuple[str, str, bool]]:
    """Every file under `folder` as `sorted(folder.rglob("*"))` lists it, `__pycache__` left
    out: (its path from `folder`, its path, whether it is a link). As rglob, a linked file is
    followed and a linked folder is not entered (`linked_folders`, if given, gets the path of
    each). One `scandir` per folder and no Path per file: at 1,000 files, rglob's walk was
    most of a preview's check for what changed."""
    found: list[tuple[tuple[str, ...], str, bool]] = []

    def walk(where: str, parts: tuple[str, ...]) -> None:
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, (*parts, entry.name))
                elif linked_folders is not None and entry.is_symlink() and entry.is_dir():
                    linked_folders.append(entry.path)
                elif entry.is_file():
                    found.append(((*parts, entry.name), entry.path, entry.is_symlink()))

    if folder.is_dir() and "__pycache__" not in folder.parts:
        walk(str(folder), ())
    found.sort(key=lambda item: item[0])
    return [("/".join(parts), path, link) for parts, path, link in found]
