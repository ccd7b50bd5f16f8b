"""The published folder: one build at a time per folder, each in its own staging folder, and a
swap that never leaves a moment without a site.

Standard library and paths.py only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

from .paths import inside

# How long a second build waits for the first before it stops, in seconds (the environment
# variable SITE_BUILDER_LOCK_WAIT sets another).
LOCK_WAIT = 120.0
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux): swap two paths in one step
_AT_FDCWD = -100


class Busy(Exception):
    """Another build or preview holds the folder."""


class SiteLock:
    """An exclusive lock on a file, released when this process ends, whatever way it ends
    (the kernel drops it), so a killed build never leaves it behind."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self, wait: float | None = None, said: list[str] | None = None) -> None:
        """Take the lock, waiting up to `wait` seconds; `said` collects what the wait told the
        writer (once)."""
        import fcntl

        if wait is None:
            wait = float(os.environ.get("SITE_BUILDER_LOCK_WAIT", LOCK_WAIT))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            if said is not None and not said:
                said.append(f"another build or preview (process {holder}) is running here")
            if time.monotonic() >= deadline:
                os.close(fd)
                raise Busy(
                    f"another build or preview (process {holder}) is running in this project; "
                    "wait for it to finish or stop it, then build again"
                )
            time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None


def new_staging(site_dir: Path) -> Path:
    """An empty staging folder of this build's own, beside the site (same file system, so the
    swap is a rename)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for old in site_dir.parent.glob(f".{site_dir.name}.staging*"):
        # Left by a build that was killed: this build holds the lock, so none is running.
        shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))


def swap_in(staging: Path, site_dir: Path) -> None:
    """Make `staging` the site. Where the system can, the two folders trade places in one step,
    so readers and other tools always find a whole site; the old one is then removed."""
    if site_dir.exists() and _exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)  # the old site, now at the staging path
        return
    old = site_dir.with_name(f".{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def reuse(published: Path, staging: Path, path: str, data: bytes) -> bool:
    """Hard-link the published site's file at `path` (from the site root) into the staging
    folder when it holds `data` already: a rebuild then writes nothing for it, and removing the
    old site frees nothing (on a disk that trims freed blocks, that is most of its cost).
    False when the file differs or cannot be linked: write it then."""
    old = published / path
    try:
        if not stat.S_ISREG(os.lstat(old).st_mode) or os.path.getsize(old) != len(data):
            return False
        if not inside(old, published) or old.read_bytes() != data:
            return False
        new = staging / path
        new.parent.mkdir(parents=True, exist_ok=True)
        os.link(old, new, follow_symlinks=False)
    except OSError:
        return False
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)
