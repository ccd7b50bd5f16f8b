"""The theme's templates: compiled once into the cache, listed once per process."""

from __future__ import annotations

from pathlib import Path

import jinja2

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


def test_an_installed_theme_is_listed_once_a_project_theme_every_time(tmp_path: Path) -> None:
    for where in ("installed", "project/overrides"):
        folder = tmp_path / where
        folder.mkdir(parents=True)
        (folder / "a.css").write_text("a")
        theme = Theme(folder)
        cache_templates(theme, tmp_path / "cache", tmp_path / "project")

        def static(name: str) -> bool:
            return name.endswith(".css")

        assert theme.get_env().list_templates(filter_func=static) == ["a.css"]
        (folder / "b.css").write_text("b")
        listed = theme.get_env().list_templates(filter_func=static)
        assert listed == (["a.css"] if where == "installed" else ["a.css", "b.css"])
