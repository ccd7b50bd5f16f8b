"""Containment: every file the build reads must lie inside the project, links followed."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .errors import Problem


def inside(path: Path, root: Path) -> bool:
    """Does `path`, with every symbolic link followed, stay under `root`?"""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop leads nowhere we may read
        return False


def shown(path: Path, root: Path) -> str:
    """The path as the writer wrote it (links not followed), relative to the project."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return path.as_posix()


@functools.lru_cache(maxsize=4096)
def shown_path(path: str, root: Path) -> str:
    """`path` from `root`, links followed, for messages (asked for each of a thousand charts
    declared in one module: resolved once)."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def outside_problem(path: Path, root: Path) -> Problem:
    """The error for a file that is a link to somewhere outside the project."""
    return Problem(
        shown(path, root),
        "the file points outside the project (a link to "
        f"{_target(path)}); the build reads only files inside it",
        "copy the file into the project instead of linking to it",
    )


def _target(path: Path) -> str:
    try:
        return f"'{path.resolve()}'"
    except (OSError, RuntimeError):
        return "a link loop"
