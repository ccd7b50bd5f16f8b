"""Each page's scan (its chart, fact and dataset references, and the mistakes in them and in
its links), kept for a long preview: a page is read and checked again only when it changed,
or when what it is checked against did (the project's charts, facts and datasets, the
pages a link may name). At 250 pages that is most of a Markdown edit's rebuild."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .errors import Problem
from .markdown import PageRefs, check_page_refs, scan_page
from .pagelinks import link_problems
from .paths import shown_path

# page path -> (its stamp and what it was checked against, its refs, its problems);
# by path, so a long preview holds one scan per page
_scans: dict[str, tuple[tuple[int, int, str], PageRefs | None, list[Problem]]] = {}


def context(
    chart_ids: list[str] | None,
    fact_ids: list[str] | None,
    dataset_names: list[str] | None,
    pages: list[Path],
) -> str:
    """What every page is checked against, as one digest."""
    h = hashlib.sha256()
    for names in (chart_ids, fact_ids, dataset_names, [p.as_posix() for p in pages]):
        h.update(b"\1" if names is None else "\0".join(names).encode() + b"\1")
    return h.hexdigest()


def scan(
    path: Path,
    docs_dir: Path,
    root: Path,
    checks: tuple[list[str] | None, list[str] | None, list[str] | None],
    against: str,
) -> tuple[PageRefs | None, list[Problem]]:
    """The page's references (None if it is not UTF-8 text) and its problems."""
    st = os.stat(path)
    stamp = (st.st_mtime_ns, st.st_size, against)
    key = str(path)
    last = _scans.get(key)
    if last is None or last[0] != stamp:
        last = (stamp, *_scan(path, docs_dir, root, checks))
        _scans[key] = last
    return last[1], list(last[2])


def _scan(
    path: Path,
    docs_dir: Path,
    root: Path,
    checks: tuple[list[str] | None, list[str] | None, list[str] | None],
) -> tuple[PageRefs | None, list[Problem]]:
    shown = shown_path(str(path), root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, f"not UTF-8 text ({exc.reason})", "save it as UTF-8")]
    refs, found = scan_page(text, shown)
    found += check_page_refs(refs, shown, *checks)
    found += link_problems(text, path.relative_to(docs_dir).as_posix(), docs_dir, shown)
    return refs, found
