"""`datapackage.yaml`, read and checked before any file it names is opened: resource names and
metadata, paths that stay in the data folder, and how much data one build takes on."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .cache import read_entry, tool_digest, write_entry
from .csvcheck import MAX_BYTES
from .errors import DataError, Problem, nearest, yaml_problem
from .paths import inside, outside_problem, shown_path
from .urls import is_web_url

# Dataset names become file and anchor names in the site: nothing that could make a folder.
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one build takes on (settings in mkdocs.yml; see WRITING.md)."""

    max_columns: int = 1_000  # per table
    max_cell_chars: int = 10_000  # per text cell
    max_data_mb: int = 500  # every file the data package names, together


SCHEMA_HINT = (
    "see the Table Schema reference: field types are string, number, integer, boolean, "
    "date, datetime, year"
)


def read_descriptor(
    path: Path, shown: str, cache: Path | None = None
) -> tuple[dict[str, Any], str]:
    """The descriptor as a mapping, and its text (for positions); `cache`: a folder where
    the parsed descriptor is kept by its text."""
    if not path.is_file():
        raise DataError(
            Problem(shown, "the data package descriptor is missing", "create it (see WRITING.md)")
        )
    try:
        text = path.read_text(encoding="utf-8")
        descriptor = _fast_yaml(text, cache)
    except yaml.YAMLError as exc:
        raise DataError(
            yaml_problem(exc, shown, "check indentation and quotes around values that contain ':'")
        ) from None
    except UnicodeDecodeError:
        raise DataError(Problem(shown, "not UTF-8 text", "save the file as UTF-8")) from None
    if not isinstance(descriptor, dict):
        raise DataError(Problem(shown, "expected a mapping with 'resources:'", SCHEMA_HINT))
    return descriptor, text


# The last descriptor parsed, by its text, as a pickle: a long preview parses it again only
# when it changed (0.4 s at 1,000 resources; unpickled in 15 ms, a fresh copy that the
# loader may fill in). A rebuild after a table edit takes it from the cache folder.
_parsed: tuple[str, bytes] | None = None


def _fast_yaml(text: str, cache: Path | None = None) -> Any:
    """libyaml when it is there (ten times faster on a big descriptor); errors as PyYAML words
    them."""
    global _parsed
    if _parsed is not None and _parsed[0] == text:
        return pickle.loads(_parsed[1])
    name = _entry_name(text)
    entry = read_entry(cache, name, [".pickle"]) if cache is not None else None
    if entry is not None:
        try:
            parsed = pickle.loads(entry[".pickle"])
            _parsed = (text, entry[".pickle"])
            return parsed
        except Exception:  # a foreign entry, whatever the unpickler says: parse the text
            pass
    parsed = _parse_yaml(text)
    data = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
    _parsed = (text, data)
    if cache is not None:
        with contextlib.suppress(OSError):  # a read-only cache: parse it each time
            write_entry(cache, name, {".pickle": data})
    return parsed


def _entry_name(text: str) -> str:
    h = hashlib.sha256(f"descriptor\0{yaml.__version__}\0{tool_digest()}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return "descriptor-" + h.hexdigest()


def _parse_yaml(text: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def resource_names(data_dir: Path, root: Path) -> list[str] | None:
    """The names the descriptor declares, even when its tables do not validate; None when the
    descriptor itself cannot be read (its error says so: the names are then unknown, and the
    charts and pages that use them must not each get an error of their own)."""
    path = data_dir / "datapackage.yaml"
    if not path.exists():
        return []
    if not inside(path, root):
        return None
    try:
        descriptor = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [str(r["name"]) for r in descriptor["resources"] if r.get("name")]
    except Exception:
        return None


class Positions:
    """Where each resource's keys are in the descriptor; parsed again only when asked."""

    def __init__(self, text: str):
        self.text = text
        self.root: Any = None

    def of(self, index: int, key: str, item: int | None = None) -> tuple[int | None, int | None]:
        """Line and column of resource `index`'s (1-based) value for `key` (its `item`th entry,
        0-based, for a list), if found."""
        try:
            node = next(v for k, v in self._resource(index).value if k.value == key)
            if item is not None:
                node = node.value[item]
        except (yaml.YAMLError, AttributeError, StopIteration, IndexError, TypeError):
            return None, None
        return node.start_mark.line + 1, node.start_mark.column + 1

    def top(self, key: str, item: int | None = None) -> tuple[int | None, int | None]:
        """Line and column of the package's own value for `key` (its `item`th entry)."""
        try:
            if self.root is None:
                self._resource(1)
            node = next(v for k, v in self.root.value if k.value == key)
            if item is not None:
                node = node.value[item]
        except (yaml.YAMLError, AttributeError, StopIteration, IndexError, TypeError):
            return None, None
        return node.start_mark.line + 1, node.start_mark.column + 1

    def entry(self, index: int) -> tuple[int | None, int | None]:
        """Where resource `index` (1-based) begins: for what it lacks."""
        try:
            mark = self._resource(index).start_mark
        except (yaml.YAMLError, AttributeError, StopIteration, IndexError, TypeError):
            return None, None
        return mark.line + 1, mark.column + 1

    def _resource(self, index: int) -> Any:
        if self.root is None:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            self.root = yaml.compose(self.text, Loader=loader)
        resources = next(v for k, v in self.root.value if k.value == "resources")
        return resources.value[index - 1]


def check_name(
    name: str, shown: str, where: str, index: int, positions: Positions
) -> Problem | None:
    if NAME.match(name):
        return None
    line, column = positions.of(index, "name")
    return Problem(
        shown,
        f"{where}: name '{name}' is not a slug",
        "use lowercase letters, digits, '-' and '_' (it names the download file and the "
        "dataset's anchor), e.g. 'refining_shares'",
        line,
        column,
    )


# The resource keys the tool reads; a missing one is looked for among the others, misspelt.
_KNOWN = {
    "name", "path", "title", "description", "sources", "licenses", "schema", "format",
    "encoding", "dialect", "mediatype", "bytes", "hash", "profile", "type", "scheme",
}  # fmt: skip


def check_metadata(
    res: dict[str, Any],
    package_licenses: list[Any],
    shown: str,
    where: str,
    index: int = 0,
    positions: Positions | None = None,
) -> list[Problem]:
    """Readers must be told what a table is and where it comes from. With `positions`, each
    problem is at its line: what is missing, at the resource's entry (`index`, 1-based)."""

    def at(key: str | None = None, item: int | None = None) -> tuple[int | None, int | None]:
        if positions is None:
            return None, None
        found = positions.of(index, key, item) if key else (None, None)
        return found if found[0] is not None else positions.entry(index)

    def misspelt(key: str) -> str | None:
        """A key of the resource that looks like `key` misspelt ('descripton')."""
        close = difflib.get_close_matches(key, [str(k) for k in res if k not in _KNOWN], 1, 0.8)
        return close[0] if close else None

    problems = []
    for key in ("title", "description"):
        if not str(res.get(key) or "").strip():
            typo = misspelt(key) if key not in res else None
            problems.append(
                Problem(
                    shown,
                    f"{where} has no {key}"
                    + (f" ('{typo}:' is not a key it knows)" if typo else ""),
                    f"spell it '{key}:'" if typo else f"add '{key}:' to the resource",
                    *at(typo or key),
                )
            )
    sources = res.get("sources") or []
    if not sources:
        problems.append(
            Problem(
                shown,
                f"{where} has no sources",
                "add 'sources:' with a title and a path (https URL) for each source",
                *at("sources"),
            )
        )
    if not isinstance(sources, list):
        problems.append(
            Problem(
                shown,
                f"{where}: 'sources:' is not a list",
                "write each source as an item: '- title: ...' with 'path: https://...' under it",
                *at("sources"),
            )
        )
        sources = []
    for i, source in enumerate(sources):
        source = source if isinstance(source, dict) else {"title": str(source)}
        url = str(source.get("path") or source.get("url") or "")
        if not is_web_url(url):
            problems.append(
                Problem(
                    shown,
                    f"{where}: source '{source.get('title', '')}' has no http(s) URL ({url!r})",
                    "give each source a 'title:' and a 'path:' starting with https://",
                    *at("sources", i),
                )
            )
    own = res.get("licenses")
    for i, message, hint in licence_problems(own if isinstance(own, list) else [], where):
        problems.append(Problem(shown, message, hint, *at("licenses", i)))
    if not (res.get("licenses") or package_licenses):
        problems.append(
            Problem(
                shown,
                f"{where} has no licence",
                "add 'licenses:' to the package or resource",
                *at("licenses"),
            )
        )
    return problems


def licence_problems(licenses: list[Any], where: str) -> list[tuple[int, str, str]]:
    """A licence's link that readers could not safely follow (the page leaves it out): said,
    not dropped without a word. Each with the licence's place in the list."""
    problems = []
    for i, licence in enumerate(licenses):
        url = str(licence.get("path") or "") if isinstance(licence, dict) else ""
        if url and not is_web_url(url):
            name = licence.get("name") or licence.get("title") or ""
            problems.append(
                (
                    i,
                    f"{where}: licence '{name}' links to {url!r}, which is not an http(s) URL",
                    "give the licence's 'path:' as an https:// address, or leave it out",
                )
            )
    return problems


def is_json(res: dict[str, Any]) -> bool:
    """JSON resources (e.g. TopoJSON boundaries for maps) are passed to charts as parsed JSON."""
    fmt = str(res.get("format", "")).lower()
    return fmt in ("json", "topojson", "geojson") or str(res.get("path", "")).endswith(
        (".json", ".topojson", ".geojson")
    )


def require_key_fields(res: dict[str, Any]) -> None:
    """A key with an empty part identifies nothing: make key fields required."""
    schema = res.get("schema")
    if not isinstance(schema, dict):
        return
    key = schema.get("primaryKey") or []
    key = [key] if isinstance(key, str) else key
    for fld in schema.get("fields") or []:
        if isinstance(fld, dict) and fld.get("name") in key:
            fld.setdefault("constraints", {}).setdefault("required", True)


def resource_path(
    res: dict[str, Any],
    data_dir: Path,
    root: Path,
    shown: str,
    where: str,
    index: int,
    positions: Positions,
) -> Path | Problem:
    """The resource's file, or why it may not be read; decided without opening anything."""
    for key in ("schema", "dialect"):
        if isinstance(res.get(key), str):
            line, column = positions.of(index, key)
            return Problem(
                shown,
                f"{where}: '{key}' names a file ({res[key]!r})",
                f"write the {key} in datapackage.yaml itself, under the resource",
                line,
                column,
            )
    value = res.get("path", "")

    def at() -> tuple[int | None, int | None]:
        """Where the path is written: found only for a problem (a big descriptor is slow to
        compose)."""
        return positions.of(index, "path")

    if not isinstance(value, str):
        return Problem(
            shown,
            f"{where}: 'path' must be one file name, not {type(value).__name__}",
            "give one file per resource, relative to the data folder",
            *at(),
        )
    parts = PurePosixPath(value.replace("\\", "/"))
    if "://" in value or parts.is_absolute() or ".." in parts.parts or ":" in value[:3]:
        return Problem(
            shown,
            f"{where}: path '{value}' leads out of the data folder",
            "copy the file into the data folder and give its path from there, e.g. "
            "'path: refining_shares.csv' (no '..', no absolute path, no URL)",
            *at(),
        )
    path = data_dir / value
    if not inside(path, root):
        return outside_problem(path, root)
    if not path.is_file():
        files = [f.relative_to(data_dir).as_posix() for f in data_dir.rglob("*") if f.is_file()]
        described = [f for f in files if f != "datapackage.yaml" and f != "facts.yaml"]
        return Problem(
            shown,
            f"{where}: file '{shown_path(str(path), root)}' does not exist",
            f"check the resource's 'path:' (relative to the data folder); "
            f"{nearest(value, described)}",
            *at(),
        )
    return path


def total_size_problem(files: Sequence[Path | str], limit_mb: int, shown: str) -> Problem | None:
    """All the data one build reads, over the limit: stop before reading any of it."""
    sizes = []
    for path in files:
        try:
            size = os.stat(path).st_size
        except OSError:
            continue  # reported where it is read
        if size <= MAX_BYTES:  # a bigger file is refused on its own, and said so
            sizes.append((size, path))
    total = sum(size for size, _ in sizes)
    if total <= limit_mb * 2**20:
        return None
    biggest = sorted(sizes, key=lambda sized: (sized[0], str(sized[1])), reverse=True)[:3]
    largest = ", ".join(f"{os.path.basename(p)} ({s / 2**20:.0f} MB)" for s, p in biggest)
    return Problem(
        shown,
        f"the data package's files hold {total / 2**20:.0f} MB, over the limit of {limit_mb} MB "
        f"(largest: {largest})",
        "aggregate the data before charting it, or raise max_data_mb under the site-builder "
        "plugin in mkdocs.yml (see WRITING.md)",
    )
