"""Digests of the project's data and chart files, each read again only when its stamp
(inode, size, modification and change times) moved: a long preview hashes what a save
changed, not every table on every rebuild (1,000 files at 1,000 charts)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_known: dict[str, tuple[tuple[int, int, int, int], str]] = {}  # by path: one entry a file


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes."""
    st = os.stat(path)
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    key = str(path)
    known = _known.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    _known[key] = (stamp, digest)
    return digest
