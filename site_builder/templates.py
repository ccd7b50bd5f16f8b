"""The theme's Jinja templates, compiled once and kept in `.cache/`, not on every build.

MkDocs makes a new Jinja environment for every build (and the search plugin one more), so
Material's templates are parsed and compiled again each time: in a preview rebuild that was
most of the time from a save to the page. Jinja's own bytecode cache keeps the compiled code,
checked against each template's source before use.

MkDocs also lists every file of the theme on each build to find its static files (14,500 for
Material: 0.1-0.2 s, most of the rest of a preview rebuild and a tenth of a rebuild with
nothing changed). The listing of a theme installed outside the project is kept in `.cache/`
with the modification time of each of its folders (25 for Material): a file added or removed
changes its folder's time, and the theme is listed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import jinja2

from .paths import inside

# A listing: each folder of the theme with its modification time, and the names listed.
Listing = tuple[dict[str, int], list[str]]
_listings: dict[str, Listing] = {}
# A folder changed this recently may change again within its clock's tick unseen: its listing
# is not kept (as git does with files changed in the second of its index).
_SETTLED_SECONDS = 2.0


def cache_templates(theme: Any, folder: Path, root: Path) -> None:
    """Give every Jinja environment that `theme` (a MkDocs Theme) makes the bytecode cache
    in `folder`, and its listing of files once per process when no theme folder lies in the
    project at `root` (a writer's overrides may change)."""
    make_env: Callable[[], jinja2.Environment] = theme.get_env
    if getattr(make_env, "cached_in", None) == folder:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no cache to keep them in: compile them each time, as MkDocs does
    cache = _Cache(str(folder))
    installed = not any(inside(Path(d), root) for d in theme.dirs)

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.bytecode_cache = cache
        if installed:
            _list_once(env, theme, folder)
        return env

    get_env.cached_in = folder  # type: ignore[attr-defined]
    theme.get_env = get_env


class _Cache(jinja2.FileSystemBytecodeCache):
    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only cache still serves
            super().dump_bytecode(bucket)


def _list_once(env: jinja2.Environment, theme: Any, folder: Path) -> None:
    list_templates = env.list_templates

    def listed(
        extensions: Collection[str] | None = None,
        filter_func: Callable[[str], bool] | None = None,
    ) -> list[str]:
        key = _listing_key(theme, extensions, filter_func)
        found = _listings.get(key) or _read_listing(folder / f"listing-{key}.json")
        if found is None or not _unchanged(found[0]):
            started = time.time()
            found = (_folder_times(theme.dirs), list_templates(extensions, filter_func))
            if any(t >= (started - _SETTLED_SECONDS) * 1e9 for t in found[0].values()):
                return list(found[1])  # not kept: a change within the same tick goes unseen
            _write_listing(folder / f"listing-{key}.json", found)
        _listings[key] = found
        return list(found[1])

    env.list_templates = listed  # type: ignore[method-assign]


def _listing_key(
    theme: Any, extensions: Collection[str] | None, filter_func: Callable[[str], bool] | None
) -> str:
    # MkDocs' filter is a new closure each build, with the same code; what it reads besides
    # the name is the theme's static templates.
    code = getattr(filter_func, "__code__", None)
    parts = [
        list(theme.dirs),
        sorted(theme.static_templates),
        sorted(extensions) if extensions is not None else None,
        marshal.dumps(code).hex() if code is not None else repr(filter_func),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _folder_times(dirs: list[str]) -> dict[str, int]:
    """Every folder of the theme, with its modification time (in nanoseconds; -1: missing)."""
    times = {top: _mtime(top) for top in dirs}
    for top in dirs:
        times.update((path, _mtime(path)) for path, _, _ in os.walk(top))
    return times


def _unchanged(times: dict[str, int]) -> bool:
    return all(_mtime(path) == t for path, t in times.items())


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _read_listing(path: Path) -> Listing | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): int(v) for k, v in data["folders"].items()}, [str(n) for n in data["names"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # none yet, or damaged: list the theme


def _write_listing(path: Path, listing: Listing) -> None:
    data = json.dumps({"folders": listing[0], "names": listing[1]}, sort_keys=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(OSError):  # a read-only cache: list the theme each time
        temp.write_text(data, encoding="utf-8")
        os.replace(temp, path)
