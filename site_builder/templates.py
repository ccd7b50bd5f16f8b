"""The theme's Jinja templates, compiled once and kept in `.cache/`, not on every build.

MkDocs makes a new Jinja environment for every build (and the search plugin one more), so
Material's templates are parsed and compiled again each time: in a preview rebuild that was
most of the time from a save to the page. Jinja's own bytecode cache keeps the compiled code,
checked against each template's source before use.

MkDocs also lists every file of the theme on each build to find its static files (14,500 for
Material, most of the rest of a preview rebuild). A theme installed outside the project does
not change while a preview runs: its listing is made once per process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import jinja2

from .paths import inside

_listings: dict[tuple[Any, ...], list[str]] = {}


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
            _list_once(env, theme)
        return env

    get_env.cached_in = folder  # type: ignore[attr-defined]
    theme.get_env = get_env


class _Cache(jinja2.FileSystemBytecodeCache):
    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only cache still serves
            super().dump_bytecode(bucket)


def _list_once(env: jinja2.Environment, theme: Any) -> None:
    list_templates = env.list_templates

    def listed(
        extensions: Collection[str] | None = None,
        filter_func: Callable[[str], bool] | None = None,
    ) -> list[str]:
        # MkDocs' filter is a new closure each build, with the same code; what it reads
        # besides the name is the theme's static templates.
        key = (
            tuple(theme.dirs),
            tuple(sorted(theme.static_templates)),
            tuple(extensions) if extensions is not None else None,
            getattr(filter_func, "__code__", filter_func),
        )
        if key not in _listings:
            _listings[key] = list_templates(extensions, filter_func)
        return list(_listings[key])

    env.list_templates = listed  # type: ignore[method-assign]
