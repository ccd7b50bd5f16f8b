"""Which chart code each chart module depends on: its own source and the project's modules it
imports (`from _palette import US`), however deep. A chart's spec is cached under its module's
digest, so an edit to one module builds again only that module's charts, and an edit to a
helper those of every module importing it.

Imports are read from the source (every `import` statement, in functions too), not watched
while a module runs: a module imported once in a build is not imported again by the next.
A module that imports by name at run time (`importlib`, `__import__`, `exec`) or changes
`sys.path` cannot be read so: its digest covers every file of the chart code.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

from .cache import code_digest

# Ways to run code by a name the source does not spell out as an import.
_DYNAMIC_CALLS = {"__import__", "exec", "eval", "import_module", "exec_module", "run_path"}
_DYNAMIC_MODULES = {"importlib", "runpy"}


class ChartCode:
    """The digest of the code behind each chart module."""

    def __init__(self, charts_dir: Path):
        self.everything = code_digest(charts_dir)
        self.uses: dict[Path, set[Path] | None] = {}  # module -> files it runs (None: any)
        self.modules = module_digests(charts_dir, self.everything, self.uses)
        self.known: dict[str, str] = {}  # file as the chart gives it -> its digest

    def of(self, file: str) -> str:
        """For the module at `file` (a chart's `ChartDef.file`); for one this cannot place
        (a module in a subfolder), every file of the chart code."""
        if not file:
            return self.everything
        if file not in self.known:  # many charts share a module: its path resolved once
            self.known[file] = self.modules.get(Path(file).resolve(), self.everything)
        return self.known[file]

    def reached_by(self, changed: set[Path]) -> set[Path]:
        """The modules that run one of the `changed` files (resolved paths)."""
        return {m for m, uses in self.uses.items() if uses is None or uses & changed}


def module_digests(
    charts_dir: Path, everything: str, uses: dict[Path, set[Path] | None]
) -> dict[Path, str]:
    """Each `charts/*.py` (by its resolved path) -> the digest of it and what it imports;
    `everything` for a module whose imports the source does not show. `uses` gets the files
    each one runs."""
    if not charts_dir.is_dir():
        return {}
    sources = {p.resolve(): p.read_bytes() for p in sorted(charts_dir.rglob("*.py"))}
    base = charts_dir.resolve()
    digests = {}
    for path in sorted(p for p in sources if p.parent == base):
        found = uses[path] = _closure(path, sources, base)
        if found is None:
            digests[path] = everything
            continue
        h = hashlib.sha256()
        for dep in sorted(found):
            h.update(dep.relative_to(base).as_posix().encode() + b"\0" + sources[dep] + b"\0")
        digests[path] = h.hexdigest()
    return digests


def _closure(path: Path, sources: dict[Path, bytes], base: Path) -> set[Path] | None:
    """The module and every project module it imports, directly or not; None when one of
    them imports in a way the source does not show."""
    found: set[Path] = set()
    todo = [path]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        names = _imports(current, sources[current])
        if names is None:
            return None
        for name in names:
            todo += _project_files(name, sources, base)
    return found


# A preview reads the same modules on every rebuild: each source is parsed once. Only each
# module's last source is kept, so that a long preview's edits do not pile up.
_read: dict[Path, tuple[bytes, tuple[str, ...] | None]] = {}


def _imports(path: Path, source: bytes) -> tuple[str, ...] | None:
    """Every module name the source's import statements name (for `from a import b`, `a` and
    `a.b`, since `b` may be a module of package `a`); None when it imports by name at run
    time or changes where modules are looked up (`sys.path`)."""
    last = _read.get(path)
    if last is None or last[0] != source:
        last = _read[path] = source, _read_imports(source)
    return last[1]


def _read_imports(source: bytes) -> tuple[str, ...] | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return ()  # the build reports it; the module's own bytes are in the digest
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in _DYNAMIC_CALLS:
                return None
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "path"
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            return None
    if _DYNAMIC_MODULES & {n.split(".")[0] for n in names}:
        return None
    return tuple(names)


def _project_files(name: str, sources: dict[Path, bytes], base: Path) -> list[Path]:
    """The files under the chart folder that importing `name` runs: `a.py`, or a package's
    `__init__.py` for each package on the way (`a/__init__.py`, `a/b.py`)."""
    parts = name.split(".")
    files = []
    for depth in range(1, len(parts) + 1):
        stem = base.joinpath(*parts[:depth])
        for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
            if candidate in sources:
                files.append(candidate)
    return files
