"""The search index of a preview with editions: whole after every rebuild.

A preview's rebuild writes only the pages a change reaches, and Material's search indexes
only the pages written. mkdocs-static-i18n gathers every edition's entries into one list
that it never empties, and Material adds the last rebuild's index to each edition's, so the
index doubled with every rebuild. This keeps each page's entries between rebuilds instead:
a page written again replaces its own entries, the others stay."""

from __future__ import annotations

from typing import Any


class PreviewSearch:
    def __init__(self) -> None:
        self.pages: dict[str, list[dict[str, Any]]] = {}  # page address -> its entries
        self.merged = 0  # entries of the gathered list already taken in

    def start(self, config: Any) -> None:
        """As each edition's build starts: the gathered list starts empty with the default
        edition's build, and no edition's index adds the last rebuild's."""
        gathered = _gathered(config)
        if gathered is None:
            return  # one language: Material's search keeps the other pages' entries itself
        if getattr(config.plugins.get("i18n"), "building", False) is False:
            gathered.clear()
            self.merged = 0
        _no_last_index(config)

    def end(self, config: Any) -> None:
        """As another edition's build ends, its entries gathered: the list becomes every
        page's entries, those of the pages written by this rebuild in place of their last."""
        gathered = _gathered(config)
        if gathered is None:
            return
        fresh: dict[str, list[dict[str, Any]]] = {}
        for entry in gathered[self.merged :]:
            page = str(entry.get("location", "")).split("#", 1)[0]
            fresh.setdefault(page, []).append(entry)
        self.pages.update(fresh)
        gathered[:] = [entry for entries in self.pages.values() for entry in entries]
        self.merged = len(gathered)
        _no_last_index(config)


def _gathered(config: Any) -> list[dict[str, Any]] | None:
    entries = getattr(config.plugins.get("i18n"), "search_entries", None)
    return entries if isinstance(entries, list) else None


def _no_last_index(config: Any) -> None:
    for name in ("search", "material/search"):
        search = config.plugins.get(name)
        if search is not None and hasattr(search, "search_index_prev"):
            search.search_index_prev = None
