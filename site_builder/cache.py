"""What the build keeps between runs in `.cache/site-builder`, each entry named by a digest of
everything that made it: typed tables, chart specs, figure text. Each entry's files are listed
with their sha256 in a small manifest written last; a file that is damaged, missing, or leads
out of the cache folder makes the entry count as missing, so it is made again, never
published."""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import pickle
import threading
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # render workers import this module: no pandas for them
    import pandas as pd


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file, so a reader never sees half an entry. The file is
    named by the process and the thread: two threads may write the same entry at once (a
    preview's social card, from a render's callback and from the build)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_entry(folder: Path, name: str, files: dict[str, bytes]) -> None:
    """Keep `name + suffix` for each file, then `name.sum` listing their digests."""
    for suffix, data in files.items():
        write_atomic(folder / f"{name}{suffix}", data)
    manifest = {suffix: hashlib.sha256(data).hexdigest() for suffix, data in files.items()}
    write_atomic(folder / f"{name}.sum", json.dumps(manifest, sort_keys=True).encode())


def read_entry(folder: Path, name: str, suffixes: list[str]) -> dict[str, bytes] | None:
    """The entry's files by suffix, each as its manifest says it was written; else None."""
    try:
        manifest = json.loads(_read_inside(folder / f"{name}.sum", folder))
        files = {suffix: _read_inside(folder / f"{name}{suffix}", folder) for suffix in suffixes}
    except (OSError, ValueError, RuntimeError):  # missing, a symlink loop, not JSON
        return None
    if not isinstance(manifest, dict):
        return None
    for suffix, data in files.items():
        if manifest.get(suffix) != hashlib.sha256(data).hexdigest():
            return None
    mark_used(folder, name)
    return files


# The entries this process used, by folder. Held here, not as each entry's modification
# time: a system call per entry was about a tenth of a no-change rebuild of 1,000 charts.
_used: dict[str, set[str]] = {}


def mark_used(folder: Path, name: str) -> None:
    """The entry counts as used by this build (what `prune_unused` keeps): read, or relied
    on without reading it (a partial rebuild keeps the last build's renders)."""
    _used.setdefault(str(folder), set()).add(name)


def used_marks() -> dict[str, set[str]]:
    """Every entry this process marked as used, by folder (for the build's own process)."""
    return _used


def note_used(marks: dict[str, set[str]]) -> None:
    """Entries another process of this build used (chartprocess.py) count as used here."""
    for folder, names in marks.items():
        _used.setdefault(folder, set()).update(names)


def used_names(folder: Path) -> set[str]:
    """The entries of `folder` this process marked as used."""
    return _used.get(str(folder), set())


# The folders of entries (named by digests); the runtime bundle and the lock are not entries.
ENTRY_FOLDERS = ("charts", "specs", "tables", "figures", "cards")


def prune_unused(cache_dir: Path, since: float) -> int:
    """Remove every entry not made since `since` (a time.time()) nor used by this process,
    so that a cache carried from build to build (in CI) holds what the last build needed and
    no more. Returns how many files went."""
    removed = 0
    for name in ENTRY_FOLDERS:
        folder = cache_dir / name
        if not folder.is_dir():
            continue
        files = [p for p in folder.iterdir() if p.is_file()]
        used = used_names(folder)
        live = {
            p.name[: -len(".sum")]
            for p in files
            if p.name.endswith(".sum")
            and (p.name[: -len(".sum")] in used or p.stat().st_mtime >= since)
        }
        for p in files:
            # An entry's files are its name and a suffix; temporary files start with ".".
            stem = p.name.lstrip(".").split(".", 1)[0]
            if stem not in live:
                p.unlink(missing_ok=True)
                removed += 1
    return removed


def _read_inside(path: Path, folder: Path) -> bytes:
    """A cache file's bytes, unless it leads out of the cache folder (a link planted there)."""
    try:
        # A file, not a link, in the folder: inside by construction, with no path to resolve
        # (resolving every entry's path was most of a no-change rebuild's cache reads).
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        if not path.resolve().is_relative_to(folder.resolve()):
            raise OSError(f"{path} points outside the cache") from exc
        return path.read_bytes()
    with os.fdopen(fd, "rb") as f:
        return f.read()


@functools.cache
def installed_version(package: str) -> str:
    """An installed package's version, asked once per process (each ask reads the installed
    packages' metadata: milliseconds, a thousand times a build)."""
    return version(package)


@functools.cache
def tool_digest() -> str:
    """This tool's own code: entries made by another version of it are not reused."""
    return code_digest(Path(__file__).parent)


def _name(*parts: str) -> str:
    h = hashlib.sha256(tool_digest().encode())
    for part in parts:
        h.update(b"\0" + part.encode())
    return h.hexdigest()


class TableCache:
    """Typed tables that passed every check and stand alone (no foreign keys): a hit skips
    reading, typing and checking them again."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _name(self, digest: str) -> str:
        # pandas' version as installed: asking pandas itself would import it (a second).
        return _name(installed_version("pandas"), digest)

    def get(self, digest: str) -> tuple[list[Any], list[str], pd.DataFrame] | None:
        """(fields, primary key, frame) of a table seen before, or None."""
        entry = read_entry(self.folder, self._name(digest), [".pickle"])
        if entry is None:
            return None
        try:
            return pickle.loads(entry[".pickle"])  # type: ignore[no-any-return]
        except Exception:  # a foreign entry, whatever the unpickler says
            return None

    def mark_used(self, digest: str) -> None:
        mark_used(self.folder, self._name(digest))

    def put(self, digest: str, fields: list[Any], key: list[str], frame: pd.DataFrame) -> None:
        data = pickle.dumps((fields, key, frame), protocol=pickle.HIGHEST_PROTOCOL)
        write_entry(self.folder, self._name(digest), {".pickle": data})


def code_digest(folder: Path) -> str:
    """Every Python file under `folder` (the chart code: a chart may use any helper module
    beside it; or this tool's own)."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")) if folder.is_dir() else []:
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class SpecCache:
    """Chart specs, named by the chart's code (its module and the modules it imports:
    chartcode.py), its id and its datasets' digests: a hit skips calling the chart function
    and checking what it returned."""

    def __init__(self, folder: Path, library: str):
        self.folder = folder
        self.library = library  # the Altair version, which shapes the spec

    def _name(self, chart_id: str, code: str, data_digests: list[str]) -> str:
        return _name(self.library, code, chart_id, *data_digests)

    def get(
        self, chart_id: str, code: str, data_digests: list[str]
    ) -> tuple[dict[str, Any], str] | None:
        """The spec built before, and the digest of its JSON."""
        entry = read_entry(self.folder, self._name(chart_id, code, data_digests), [".json"])
        if entry is None:
            return None
        text = entry[".json"]
        try:
            spec = json.loads(text)
        except ValueError:
            return None
        return (spec, hashlib.sha256(text).hexdigest()) if isinstance(spec, dict) else None

    def mark_used(self, chart_id: str, code: str, data_digests: list[str]) -> None:
        mark_used(self.folder, self._name(chart_id, code, data_digests))

    def path(self, chart_id: str, code: str, data_digests: list[str]) -> Path:
        """The file `put` writes the spec's JSON to."""
        return self.folder / f"{self._name(chart_id, code, data_digests)}.json"

    def put(self, chart_id: str, code: str, data_digests: list[str], spec: dict[str, Any]) -> str:
        """Keep the spec; returns the digest of its JSON ("" when it is not plain JSON)."""
        try:
            text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            return ""  # not plain JSON (NaN, an odd type): build it each time rather than alter it
        data = text.encode("utf-8")
        write_entry(self.folder, self._name(chart_id, code, data_digests), {".json": data})
        return hashlib.sha256(data).hexdigest()


def read_spec(path: Path, digest: str) -> dict[str, Any]:
    """A spec `SpecCache.put` wrote, as it wrote it (a chart's spec read back in the build,
    or in a render process)."""
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise RuntimeError(f"{path} changed during the build")
    spec: dict[str, Any] = json.loads(data)
    return spec


class TextCache:
    """Text made from a rendered chart (its data table, its CSV), named by what made it; kept
    in memory for the build as well, where a chart's page and embed page share it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.memory: dict[str, str] = {}

    def get_or_make(self, parts: list[str], make: Callable[[], str], remember: bool = True) -> str:
        """The text named by `parts`, made by `make` if no build made it before; `remember`:
        keep it in memory too (for text used more than once in a build)."""
        name = _name(*parts)
        if name in self.memory:
            return self.memory[name]
        entry = read_entry(self.folder, name, [".txt"])
        if entry is not None:
            text = entry[".txt"].decode("utf-8")
        else:
            text = make()
            write_entry(self.folder, name, {".txt": text.encode("utf-8")})
        if remember:
            self.memory[name] = text
        return text

    def file_of(self, parts: list[str], make: Callable[[], str | bytes]) -> Path:
        """The file holding the text (or bytes) named by `parts` (made by `make` if no build
        made it), for a build to copy into the site rather than hold."""
        name = _name(*parts)
        if read_entry(self.folder, name, [".txt"]) is None:
            made = make()
            data = made if isinstance(made, bytes) else made.encode("utf-8")
            write_entry(self.folder, name, {".txt": data})
        return self.folder / f"{name}.txt"
