"""Digests of the project's data and chart files, each read again only when its stamp
(inode, size, modification and change times) moved: a long preview hashes what a save
changed, not every table on every rebuild (1,000 files at 1,000 charts)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_known: dict[str, tuple[tuple[int, int, int, int], str]] = {}  # by path: one entry a file


def file_digest(path: Path | str) -> str:
    """The SHA-256 of the file's bytes."""
    st = os.stat(path)
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    key = os.fspath(path)
    known = _known.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    _known[key] = (stamp, digest)
    return digest


def files_under(folder: Path) -> list[tuple[str, str, bool]]:
    """Every file under `folder` as `sorted(folder.rglob("*"))` lists it, `__pycache__` left
    out: (its path from `folder`, its path, whether it is a link). As rglob, a linked file is
    followed and a linked folder is not entered. One `scandir` per folder and no Path per
    file: at 1,000 files, rglob's walk was most of a preview's check for what changed."""
    found: list[tuple[tuple[str, ...], str, bool]] = []

    def walk(where: str, parts: tuple[str, ...]) -> None:
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, (*parts, entry.name))
                elif entry.is_file():
                    found.append(((*parts, entry.name), entry.path, entry.is_symlink()))

    if folder.is_dir() and "__pycache__" not in folder.parts:
        walk(str(folder), ())
    found.sort(key=lambda item: item[0])
    return [("/".join(parts), path, link) for parts, path, link in found]
