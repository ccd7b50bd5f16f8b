"""The theme's Jinja templates, compiled once and kept in `.cache/`, not on every build.

MkDocs makes a new Jinja environment for every build (and the search plugin one more), so
Material's templates are parsed and compiled again each time: in a preview rebuild that was
most of the time from a save to the page. Jinja's own bytecode cache keeps the compiled code,
checked against each template's source before use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2


def cache_templates(theme: Any, folder: Path) -> None:
    """Give every Jinja environment that `theme` (a MkDocs Theme) makes the bytecode cache
    in `folder`."""
    make_env: Callable[[], jinja2.Environment] = theme.get_env
    if getattr(make_env, "cached_in", None) == folder:
        return
    folder.mkdir(parents=True, exist_ok=True)
    cache = jinja2.FileSystemBytecodeCache(str(folder))

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.bytecode_cache = cache
        return env

    get_env.cached_in = folder  # type: ignore[attr-defined]
    theme.get_env = get_env
