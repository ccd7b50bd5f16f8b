"""Shared fixtures: mini projects copied to a temporary folder, built with the real tools."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
PROJECTS = TESTS / "projects"
BIN = Path(sys.executable).parent

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ["TZ"] = "UTC"
os.environ["SOURCE_DATE_EPOCH"] = "1764547200"  # 2025-12-01: fixed dates in sitemaps


def pytest_configure(config: pytest.Config) -> None:
    """The renderer's fonts set up before any test draws with vl_convert directly, as every
    process of a build sets them up before its first drawing (site_builder/fonts.py)."""
    from site_builder.fonts import renderer

    renderer()


def copy_project(src: Path, dest: Path) -> Path:
    """A writable copy of a project (content, data, charts, mkdocs.yml), without build output."""
    shutil.copytree(
        src,
        dest,
        ignore=shutil.ignore_patterns("site", ".cache", ".site.*", "__pycache__", ".venv", ".git"),
    )
    return dest


@pytest.fixture(scope="session")
def render_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One render cache for the test session: its entries are named by their content."""
    return tmp_path_factory.mktemp("render-cache")


def share_cache(project: Path, cache: Path) -> Path:
    """Point the project's cache at the session's, so a chart is rendered once per session."""
    (project / ".cache").symlink_to(cache, target_is_directory=True)
    return project


@pytest.fixture
def fresh_mini(tmp_path: Path) -> Path:
    """The `basic` mini project in a temporary folder, with an empty cache of its own."""
    return copy_project(PROJECTS / "basic", tmp_path / "mini")


@pytest.fixture
def mini(fresh_mini: Path, render_cache: Path) -> Path:
    """The `basic` mini project in a temporary folder, sharing the session's render cache."""
    return share_cache(fresh_mini, render_cache)


def copy_story(dest: Path, cache: Path) -> Path:
    """The sample story (the repository's own project) in `dest`, sharing the render cache."""
    dest.mkdir(parents=True)
    for name in ("content", "data", "charts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return share_cache(dest, cache)


@pytest.fixture
def story(tmp_path: Path, render_cache: Path) -> Path:
    """The sample story in a temporary folder."""
    return copy_story(tmp_path / "story", render_cache)


def run_cli(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`site-builder ARGS` in `project`, as a writer runs it (with extra environment `env`)."""
    return subprocess.run(
        [str(BIN / "site-builder"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def build() -> Callable[..., subprocess.CompletedProcess[str]]:
    return lambda project, *args: run_cli(project, "build", *args)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file's hash, by path: equal digests mean byte-identical trees."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium, one per test module; a test that uses it skips without it (a
    fresh machine's `make test`), and fails in CI."""
    from helpers import ARGS, CHROMIUM, require_browser
    from playwright.sync_api import sync_playwright

    require_browser()

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


# Modules that build whole sites or drive Chromium: left out of `make test-fast`.
SLOW_MODULES = {
    "test_bigdata",
    "test_browser",
    "test_browser_csp",
    "test_browser_figures",
    "test_build",
    "test_corpus",
    "test_dense",
    "test_gallery",
    "test_partial",
    "test_publish",
    "test_reader",
    "test_serve",
    "test_story",
}


# Of those, the ones that drive Chromium; the others build whole sites with MkDocs.
BROWSER_MODULES = {"test_browser", "test_browser_csp", "test_browser_figures", "test_reader"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__ if item.module is not None else ""
        if module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        # Slow tests in other modules (marked one by one) build whole sites.
        if item.get_closest_marker("slow") is not None:
            browser = module in BROWSER_MODULES
            item.add_marker(pytest.mark.browser if browser else pytest.mark.build)
