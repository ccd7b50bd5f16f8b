"""What the theme's template makes a page from, named by a key: a rebuild whose page has the
same key links the published page without rendering the template again (half of a rebuild
with nothing changed, at 250 pages).

The template reads the page (its HTML, title, table of contents, metadata, addresses), the
navigation with every page's title and metadata (Material shows a page's icon, subtitle and
status in the navigation), the whole MkDocs config, and the theme's files; all of them go in
the key, and so does every page's HTML when the writer has templates of their own (which may
show other pages' text). What no key can name is left out by not skipping at all: another theme
than Material (MkDocs' own print the build's time), hooks, and plugins that may change the
context, the templates or the page on the way (only the search plugins and this one are
known not to).
"""

from __future__ import annotations

import hashlib
import json
import os
import types
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError
from pathlib import Path
from typing import Any

from .cache import installed_version
from .filedigests import walk_once

# Plugins that read the page and write their own files, and change nothing a template gets.
KNOWN_PLUGINS = frozenset({"search", "material/search", "site-builder"})
# The installed packages whose folders a theme is read from, by their import names.
_PACKAGES = {"material": "mkdocs-material", "mkdocs": "mkdocs"}
# Config that only the Markdown conversion reads (its result is in each page's key), or that
# names where this build writes.
_NOT_READ = frozenset({"site_dir", "plugins", "markdown_extensions"})


def foreseeable(config: Any) -> bool:
    """Whether what the site's build does is ours and Material's alone: no hooks, no other
    plugins, which could read or change a page or a file in ways no key names."""
    return (
        config.theme.name == "material"
        and not config.hooks
        and set(config.plugins) <= KNOWN_PLUGINS
    )


def site_inputs(config: Any, nav: Any, files: Any) -> str | None:
    """The key of what every page's template reads alike; None where a page's template may
    read what no key names (then every page is rendered)."""
    theme = config.theme
    if not foreseeable(config):
        return None
    folders = {folder: _folder_state(folder) for folder in theme.dirs}
    own = [data for found in folders.values() if isinstance(found, list) for _, data in found]
    pages = [
        [f.src_uri, f.url, str(f.inclusion), *(_page_state(f.page, bool(own)) if f.page else [])]
        for f in files.documentation_pages()
    ]
    state = {
        "config": {k: _plain(v) for k, v in config.items() if k not in _NOT_READ},
        "plugins": {name: _plain(plugin.config) for name, plugin in config.plugins.items()},
        "extensions": [
            e if isinstance(e, str) else _type_name(e) for e in config.markdown_extensions
        ],
        "theme": [theme.name, sorted(theme.static_templates), _plain(dict(theme.items()))],
        "theme_files": [[folder, _named(state)] for folder, state in folders.items()],
        # A template of the writer's own may print the build's time (the same in every build
        # from a commit, with SOURCE_DATE_EPOCH).
        "built": _build_time() if any(b"build_date_utc" in f for f in own) else None,
        "jinja2": _version("jinja2"),
        "nav": _nav(nav.items),
        "homepage": nav.homepage.url if nav.homepage else None,
        "pages": pages,
    }
    return _digest(state)


def _page_state(page: Any, with_content: bool) -> list[Any]:
    """What any page's template may read of another page."""
    content = _content_digest(page) if with_content else None
    return [page.title, _plain(page.meta), content]


def _content_digest(page: Any) -> str:
    return hashlib.sha256((page.content or "").encode("utf-8", "surrogatepass")).hexdigest()


def page_inputs(page: Any) -> str:
    """The key of what the page's template reads of the page itself."""
    state = {
        "file": [page.file.src_uri, page.file.dest_uri, str(page.file.inclusion)],
        "url": [page.url, page.abs_url, page.canonical_url, page.edit_url, page.is_homepage],
        "title": page.title,
        "meta": _plain(page.meta),
        "content": _content_digest(page),
        "toc": _toc(page.toc),
        "around": [
            page.previous_page.url if page.previous_page else None,
            page.next_page.url if page.next_page else None,
            [a.title for a in page.ancestors],
        ],
    }
    return _digest(state)


def _digest(state: object) -> str:
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, default=_type_name)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _nav(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item.is_section:
            out.append(["section", item.title, _nav(item.children)])
        elif item.is_page:
            out.append(["page", item.title, item.url, item.file.src_uri])
        else:
            out.append(["link", item.title, item.url])
    return out


def _toc(items: Any) -> list[Any]:
    return [[i.title, i.id, i.level, _toc(i.children)] for i in items]


def _plain(value: Any, depth: int = 0) -> Any:
    """`value` as JSON, as far as it can be told (an object that says no more than its type
    reads as its type: the key then misses such a change only if the type alone was read)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth > 12:
        return _type_name(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_plain(v, depth + 1), sort_keys=True) for v in value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        # By its name: its code is the installed package's (or the config's own module).
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    if isinstance(value, types.ModuleType):
        return value.__name__
    state = getattr(value, "__dict__", None)
    if isinstance(state, dict) and state:
        fields = {k: _plain(v, depth + 1) for k, v in state.items()}
        return {"type": _type_name(value), **fields}
    kind = type(value)
    if kind.__repr__ is object.__repr__ and kind.__str__ is object.__str__:
        return _type_name(value)  # its text would be its address, new in each build
    return [_type_name(value), str(value)]


def _type_name(value: object) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _folder_state(folder: str) -> str | list[tuple[str, bytes]]:
    """An installed theme's package and version, or each file of a theme folder of the
    writer's own with its content."""
    here = Path(folder).resolve()
    for module, package in _PACKAGES.items():
        root = Path(__import__(module).__file__ or "").parent.resolve()
        if here == root or root in here.parents:
            return f"{package} {_version(package)}"
    files = []
    # Through folder links too, as Jinja reads templates.
    for path, folders, names in walk_once(here):
        folders.sort()
        for name in sorted(names):
            full = os.path.join(path, name)
            try:
                data = Path(full).read_bytes()
            except OSError:
                continue
            files.append((os.path.relpath(full, here), data))
    return files


def _named(state: object) -> object:
    """A folder's state with each file named by its content's digest."""
    if not isinstance(state, list):
        return state
    return [[name, hashlib.sha256(data).hexdigest()] for name, data in state]


def _build_time() -> str:
    from mkdocs.utils import get_build_datetime

    return get_build_datetime().isoformat()


def _version(package: str) -> str | None:
    try:
        return installed_version(package)
    except PackageNotFoundError:
        return None
