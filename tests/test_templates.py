"""The theme's templates: compiled once into the cache; an installed theme listed once, kept in
the cache while its folders are unchanged."""

from __future__ import annotations

import os
import time
from pathlib import Path

import jinja2
import pytest

from site_builder import templates
from site_builder.templates import cache_templates


class Theme:
    """What MkDocs' Theme offers the cache: its folders, static templates and environments."""

    def __init__(self, folder: Path):
        self.dirs = [str(folder)]
        self.static_templates = {"404.html"}
        self.made = 0

    def get_env(self) -> jinja2.Environment:
        self.made += 1
        return jinja2.Environment(loader=jinja2.FileSystemLoader(self.dirs))


def test_templates_are_compiled_into_the_cache_and_follow_edits(tmp_path: Path) -> None:
    themes = tmp_path / "theme"
    themes.mkdir()
    (themes / "main.html").write_text("Hello {{ name }}")
    theme = Theme(themes)
    cache_templates(theme, tmp_path / "cache", tmp_path / "project")
    env = theme.get_env()
    assert env.get_template("main.html").render(name="you") == "Hello you"
    assert len(list((tmp_path / "cache").iterdir())) == 1  # its code, for the next build
    (themes / "main.html").write_text("Goodbye {{ name }}")
    assert theme.get_env().get_template("main.html").render(name="you") == "Goodbye you"
    cache_templates(theme, tmp_path / "cache", tmp_path / "project")  # once per theme
    theme.get_env()
    assert theme.made == 3


def static(name: str) -> bool:
    return name.endswith(".css")


def settled(folder: Path) -> None:
    """The folder's time a minute back, as an installed theme's is."""
    past = time.time() - 60
    os.utime(folder, (past, past))


def test_an_installed_theme_is_listed_once_a_project_theme_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listings = []
    list_templates = jinja2.FileSystemLoader.list_templates

    def counted(self: jinja2.FileSystemLoader) -> list[str]:
        listings.append(self.searchpath)
        return list_templates(self)

    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", counted)
    for where in ("installed", "project/overrides"):
        folder = tmp_path / where
        (folder / "css").mkdir(parents=True)
        (folder / "css" / "a.css").write_text("a")
        settled(folder)
        settled(folder / "css")
        theme = Theme(folder)
        cache_templates(theme, tmp_path / "cache", tmp_path / "project")
        listings.clear()
        assert theme.get_env().list_templates(filter_func=static) == ["css/a.css"]
        assert theme.get_env().list_templates(filter_func=static) == ["css/a.css"]
        templates._listings.clear()  # a new process: the listing comes from the cache
        assert theme.get_env().list_templates(filter_func=static) == ["css/a.css"]
        assert len(listings) == (1 if where == "installed" else 3)
        # A file added changes its folder's time: the theme is listed again.
        (folder / "css" / "b.css").write_text("b")
        listed = theme.get_env().list_templates(filter_func=static)
        assert listed == ["css/a.css", "css/b.css"]


def test_a_folder_changed_in_the_last_seconds_is_not_kept(tmp_path: Path) -> None:
    folder = tmp_path / "installed"
    folder.mkdir()
    (folder / "a.css").write_text("a")
    theme = Theme(folder)
    cache_templates(theme, tmp_path / "cache", tmp_path / "project")
    assert theme.get_env().list_templates(filter_func=static) == ["a.css"]
    assert not list((tmp_path / "cache").glob("listing-*"))
    # Its time may not move for a file added within the same tick of the clock: b.css is
    # seen because nothing was kept.
    mtime = os.stat(folder).st_mtime_ns
    (folder / "b.css").write_text("b")
    os.utime(folder, ns=(mtime, mtime))
    assert theme.get_env().list_templates(filter_func=static) == ["a.css", "b.css"]
