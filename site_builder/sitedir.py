"""The published folder: one build at a time per folder, each in its own staging folder, and a
swap that never leaves a moment without a site.

Standard library and paths.py only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os
import shutil
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import DEVNULL

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

    def acquire(self, wait: float | None = None, tell: Callable[[str], None] | None = None) -> None:
        """Take the lock, waiting up to `wait` seconds; `tell` is told, once, as the wait
        starts (a silent wait of two minutes looks like a hang)."""
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
            if tell is not None:
                tell(
                    f"another build or preview (process {holder}) is running in this project: "
                    f"waiting up to {wait:.0f} s for it to finish"
                )
                tell = None
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


# In a new staging folder, the folders `new_staging` keeps from the site the last build replaced,
# each at its path under this one (hidden: MkDocs empties the staging folder but for hidden
# entries).
KEPT = ".kept"


def new_staging(site_dir: Path, keep: tuple[str, ...] = ()) -> tuple[Path, threading.Thread]:
    """An empty staging folder of this build's own, beside the site (same file system, so the
    swap is a rename), and the thread removing what earlier builds left there: the site the
    last one replaced, and the staging folder of one that was killed. This build holds the
    lock, so none of them is running. The removal goes on while the build works: on a disk
    that trims freed blocks, removing a site's folders takes as long as building it again.

    `keep`: folders (from the site root) of the replaced site moved whole into the staging
    folder under KEPT, not removed: most of their files are the published site's too (hard
    links), which a rebuild then finds in place (manifest.py) instead of linking each again."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    left = [
        p
        for prefix in (
            f".{site_dir.name}.staging",
            f".{site_dir.name}.replaced",
            f".{site_dir.name}.old",
        )
        for p in site_dir.parent.glob(f"{prefix}*")
    ]
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))
    replaced = [p for p in left if p.name.startswith(f".{site_dir.name}.replaced")]
    if keep and replaced:
        last = max(replaced, key=lambda p: p.lstat().st_ctime_ns)
        for folder in keep:
            _keep(last, folder, staging / KEPT / folder)

    def remove() -> None:
        # In a process of its own where the system has `rm`: walking thousands of files in a
        # thread of this one would take the interpreter's lock from the build for tenths of a
        # second; this thread only waits.
        rm = shutil.which("rm")
        if rm is not None and left:
            subprocess.run([rm, "-rf", "--", *map(str, left)], check=False, stderr=DEVNULL)
        for folder in left:
            if os.path.lexists(folder):  # no `rm`, or what it could not remove
                shutil.rmtree(folder, ignore_errors=True)

    sweep = threading.Thread(target=remove, name="site-builder: old sites", daemon=False)
    sweep.start()
    return staging, sweep


def _keep(site: Path, folder: str, dest: Path) -> None:
    """`folder` of an old site moved to `dest`, if it is a folder reached through no link."""
    current = site
    try:
        for part in ("", *Path(folder).parts):
            current = current / part if part else current
            if part == ".." or not stat.S_ISDIR(os.lstat(current).st_mode):
                return
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.rename(current, dest)
    except OSError:
        return  # removed with the rest


def swap_in(staging: Path, site_dir: Path) -> None:
    """Make `staging` the site. Where the system can, the two folders trade places in one step,
    so readers and other tools always find a whole site. The old site is left beside it, for
    the next build to remove as it works (see `new_staging`)."""
    suffix = staging.name.rsplit("-", 1)[-1]  # unique among staging folders: mkdtemp's
    replaced = site_dir.with_name(f".{site_dir.name}.replaced-{suffix}")
    if site_dir.exists() and _exchange(staging, site_dir):
        old = staging  # the old site, now at the staging path
    else:
        old = site_dir.with_name(f".{site_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
    if old.exists():
        try:
            old.rename(replaced)
        except OSError:  # a folder of that name is being removed: remove this one now
            shutil.rmtree(old, ignore_errors=True)


def reuse(published: Path, staging: Path, path: str, data: bytes) -> bool:
    """Hard-link the published site's file at `path` (from the site root) into the staging
    folder when it holds `data` already: a rebuild then writes nothing for it, and removing the
    old site frees nothing (on a disk that trims freed blocks, that is most of its cost).
    False when the file differs or cannot be linked: write it then."""
    old = published / path
    try:
        # Not through a link (one planted in the published site could lead anywhere).
        fd = os.open(old, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
                return False
            if not links_free(published, old.parent, staging) or f.read() != data:
                return False
        new = staging / path
        try:
            os.link(old, new, follow_symlinks=False)
        except FileNotFoundError:  # the folder's first file
            new.parent.mkdir(parents=True, exist_ok=True)
            os.link(old, new, follow_symlinks=False)
    except OSError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def links_free(root: Path, folder: Path, staging: Path) -> bool:
    """Is `folder` under `root` with no link on the way? A few lstat calls, where resolving
    both paths in full cost more than the rest of the check; once per folder and build (the
    staging folder names the build)."""
    try:
        parts = folder.relative_to(root).parts
    except ValueError:
        return False
    current = root
    for part in parts:
        current = current / part
        if part == ".." or stat.S_ISLNK(os.lstat(current).st_mode):
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
