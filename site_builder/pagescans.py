"""Each page's scan (its chart, fact and dataset references, and the mistakes in them and in
its links), kept for a long preview and, in the cache folder, for the next build: a page is
read and checked again only when it changed, or when what it is checked against did (the
project's charts, facts and datasets, the files a link may name). At 250 pages that is most
of a Markdown edit's rebuild, and a tenth of a rebuild with nothing changed."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Collection
from pathlib import Path

from .cache import tool_digest, write_atomic
from .errors import Problem
from .filedigests import settled
from .markdown import PageRefs, check_page_refs, scan_page
from .pagelinks import link_problems
from .paths import shown_path

Stamp = tuple[int, int, int, int, str]  # inode, size, modification and change times; context
# Link targets the docs folder's listing does not hold (in a linked folder, or outside it),
# each with whether it was a file: looked up again before a scan is reused.
Unlisted = list[tuple[str, bool]]
# page path -> (its stamp, its refs, its problems, its unlisted targets, when it was read); by
# path, so a long preview holds one scan per page
_scans: dict[str, tuple[Stamp, PageRefs | None, list[Problem], Unlisted, int]] = {}
# page path -> (its scan, as the file keeps it)
_entries: dict[str, tuple[object, list[object]]] = {}
_FILE = "pagescans.json"
_read: set[str] = set()  # cache folders whose scans this process has read
_new = False  # a page scanned since the scans were last kept


def context(
    chart_ids: list[str] | None,
    fact_ids: list[str] | None,
    dataset_names: list[str] | None,
    files: list[str],
) -> str:
    """What every page is checked against, as one digest (`files`: every file of the docs
    folder, which a link may name)."""
    h = hashlib.sha256()
    for names in (chart_ids, fact_ids, dataset_names, files):
        h.update(b"\1" if names is None else "\0".join(names).encode() + b"\1")
    return h.hexdigest()


def load(cache_dir: Path) -> None:
    """The scans the last build kept in `cache_dir` (once a process; none of another version
    of the tool, whose checks may differ)."""
    if str(cache_dir) in _read:
        return
    _read.add(str(cache_dir))
    try:
        data = json.loads((cache_dir / _FILE).read_bytes())
        if data.get("tool") != tool_digest():
            return
        for key, (stamp, refs, problems, unlisted, read_at) in data["pages"].items():
            _scans.setdefault(
                key,
                (
                    (*stamp[:4], stamp[4]),
                    None if refs is None else _refs(refs),
                    [Problem(**p) for p in problems],
                    [(str(target), bool(found)) for target, found in unlisted],
                    int(read_at),
                ),
            )
    except (OSError, ValueError, TypeError, LookupError, AttributeError):
        return  # none kept, or not as this version writes them: every page is read


def _refs(data: dict[str, object]) -> PageRefs:
    return PageRefs(
        charts=[(c, int(n)) for c, n in data["charts"]],  # type: ignore[attr-defined]
        facts=[(f, int(n), int(c)) for f, n, c in data["facts"]],  # type: ignore[attr-defined]
        datasets=[(d, int(n)) for d, n in data["datasets"]],  # type: ignore[attr-defined]
        path=str(data["path"]),
    )


def keep(cache_dir: Path, pages: list[Path]) -> None:
    """These pages' scans into `cache_dir` for the next build, if any page was scanned."""
    global _new
    if not _new:
        return
    kept = {}
    for page in pages:
        key = str(page)
        scan = _scans.get(key)
        if scan is None:
            continue
        entry = _entries.get(key)
        if entry is None or entry[0] is not scan:  # made once per scan, not per save
            stamp, refs, problems, unlisted, read_at = scan
            entry = _entries[key] = (
                scan,
                [
                    stamp,
                    None if refs is None else dataclasses.asdict(refs),
                    [dataclasses.asdict(p) for p in problems],
                    unlisted,
                    read_at,
                ],
            )
        kept[key] = entry[1]
    data = json.dumps({"tool": tool_digest(), "pages": kept}, separators=(",", ":"))
    with contextlib.suppress(OSError):  # a read-only cache: the next build reads every page
        write_atomic(cache_dir / _FILE, data.encode())
        _new = False


def scan(
    path: Path,
    docs_dir: Path,
    root: Path,
    checks: tuple[list[str] | None, list[str] | None, list[str] | None],
    against: str,
    listed: Collection[str] = (),
    directory_urls: bool = True,
) -> tuple[PageRefs | None, list[Problem]]:
    """The page's references (None if it is not UTF-8 text) and its problems. `against`: the
    context (with `directory_urls`: how pages are served); `listed`: the docs folder's files,
    which it covers."""
    global _new
    st = os.stat(path)
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, against)
    key = str(path)
    last = _scans.get(key)
    if (
        last is None
        or last[0] != stamp
        or not settled(st, last[4])  # saved again within the clock's tick would not show
        or any((docs_dir / target).is_file() != found for target, found in last[3])
    ):
        unlisted: Unlisted = []
        read_at = time.time_ns()
        refs, problems = _scan(path, docs_dir, root, checks, listed, unlisted, directory_urls)
        last = (stamp, refs, problems, unlisted, read_at)
        _scans[key] = last
        _new = True
    return last[1], list(last[2])


def _scan(
    path: Path,
    docs_dir: Path,
    root: Path,
    checks: tuple[list[str] | None, list[str] | None, list[str] | None],
    listed: Collection[str],
    unlisted: Unlisted,
    directory_urls: bool,
) -> tuple[PageRefs | None, list[Problem]]:
    shown = shown_path(str(path), root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, f"not UTF-8 text ({exc.reason})", "save it as UTF-8")]
    refs, found = scan_page(text, shown)
    found += check_page_refs(refs, shown, *checks)
    page = path.relative_to(docs_dir).as_posix()
    found += link_problems(text, page, docs_dir, shown, listed, unlisted, directory_urls)
    return refs, found
