"""Material's script as the site ships it: without the two whole-page restyles as it starts."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import material
import pytest
from mkdocs.structure.files import File, Files

from site_builder.bundlejs import BUNDLE_URI, edit_bundle
from site_builder.cache import TextCache
from site_builder.plugin import _theme_assets

THEME = Path(material.__file__).parent / "templates"


def materials_bundle() -> tuple[Path, str]:
    [path] = THEME.glob("assets/javascripts/bundle.*.min.js")
    return path, path.read_text(encoding="utf-8")


def test_both_edits_are_made_to_this_materials_script() -> None:
    path, js = materials_bundle()
    assert BUNDLE_URI.fullmatch(path.relative_to(THEME).as_posix())
    edited, made = edit_bundle(js)
    assert made == ["stylesheets kept", "no color-scheme meta"]
    # A loaded stylesheet's link is not given a new href; head elements compared by sheet URL.
    assert re.search(r"[;{](\w+)\[(\w+)\]=\1\[\2\];break", js)  # el[key] = el[key]
    assert not re.search(r"[;{](\w+)\[(\w+)\]=\1\[\2\];break", edited)
    assert re.search(r"(\w+)\.sheet\|\|\(\1\[(\w+)\]=\1\[\2\]\);break", edited)
    assert edited.count("Object.assign(") == js.count("Object.assign(") + 1
    # The color-scheme meta is made, never added: the call is blanked, the columns kept.
    assert 'name:"color-scheme"' in edited
    start = edited.index('name:"color-scheme"')
    assert "document.head.appendChild" not in edited[start : start + 60]
    assert js.count("document.head.appendChild") == edited.count("document.head.appendChild") + 1


def test_a_script_of_another_shape_is_left_as_it_is() -> None:
    js = 'function f(e){let o=x("meta",{name:"color-scheme"});return o}'
    assert edit_bundle(js) == (js, [])


def test_each_edit_needs_all_of_its_patterns_once() -> None:
    # The head's map without the URL rewrite (or twice over): neither half of that edit alone.
    js = "function bi(e){let t=new Map;for(let r of e)t.set(r.outerHTML,r);return t}"
    assert edit_bundle(js) == (js, [])
    twice = "t[r]=t[r];break;" * 2 + js
    assert edit_bundle(twice) == (twice, [])


def test_materials_script_is_edited_once_then_taken_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editing the script takes tens of milliseconds: a build takes the last one's edit of
    the same script."""
    path, js = materials_bundle()
    site = str(tmp_path / "site")
    config = SimpleNamespace(
        site_dir=site, use_directory_urls=True, plugins=SimpleNamespace(_current_plugin=None)
    )

    def shipped() -> str:
        files = Files([File(path.relative_to(THEME).as_posix(), str(THEME), site, True)])
        _theme_assets(files, config, TextCache(tmp_path / "theme"))
        [file] = files
        return file.content_string

    first = shipped()
    assert first == edit_bundle(js)[0] != js
    monkeypatch.setattr("site_builder.plugin.edit_bundle", lambda _: pytest.fail("edited again"))
    assert shipped() == first
