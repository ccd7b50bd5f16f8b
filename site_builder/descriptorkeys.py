"""Keys of `datapackage.yaml` the tool would pass over without a word: misspelt ('maximun'),
in the wrong case ('primarykey') or in the wrong place (`foreignKeys` beside `schema:`). Each
is said at its line. Keys a writer adds for their own use are left alone, unless they look
like one of the tool's, or sit where only the standard's keys mean anything (constraints,
foreign keys).
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml

from .errors import Problem


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Each level of the descriptor: the keys read there, and whether any other key is a mistake.
_LEVELS: dict[str, tuple[frozenset[str], bool]] = {
    "package": (
        _keys(
            "name id title description homepage version created keywords contributors "
            "licenses sources image profile resources $schema"
        ),
        False,
    ),
    "resource": (
        _keys(
            "name path data type title description homepage sources licenses format mediatype "
            "encoding bytes hash schema dialect profile scheme compression keywords "
            "rowSources allowEmpty $schema"
        ),
        False,
    ),
    "schema": (
        _keys("fields primaryKey foreignKeys missingValues uniqueKeys fieldsMatch $schema"),
        False,
    ),
    "field": (
        _keys(
            "name title type format description example constraints rdfType missingValues "
            "trueValues falseValues bareNumber groupChar decimalChar categories "
            "categoriesOrdered unit"
        ),
        False,
    ),
    "constraints": (
        _keys(
            "required unique minimum maximum exclusiveMinimum exclusiveMaximum minLength "
            "maxLength pattern enum jsonSchema"
        ),
        True,
    ),
    "foreign key": (frozenset({"fields", "reference"}), True),
    "reference": (frozenset({"resource", "fields"}), True),
    "dialect": (
        _keys(
            "delimiter lineTerminator quoteChar doubleQuote escapeChar nullSequence "
            "skipInitialSpace header headerRows headerJoin headerCase commentChar commentRows "
            "caseSensitive csvddfVersion skipBlankRows $schema"
        ),
        False,
    ),
}

# Where a key misplaced is read, said as the writer would find it.
_HOME = {
    "resource": "under a resource (beside 'path:')",
    "schema": "under a resource's 'schema:'",
    "field": "on a field (beside 'name:' and 'type:')",
    "constraints": "under a field's 'constraints:'",
    "foreign key": "in an entry of 'foreignKeys:'",
    "reference": "under a foreign key's 'reference:'",
    "dialect": "under a resource's 'dialect:'",
}


Path = tuple[str | int, ...]  # the keys and list places down to a key


def judge_key(
    key: str,
    known: frozenset[str] | set[str],
    closed: bool = True,
    level: str = "",
    elsewhere: bool = True,
) -> tuple[str, str, str] | None:
    """What is wrong with `key` among the `known` keys of `level`, what to do, and the key
    meant; None when it is one of them, or, at an open level, may be the writer's own.
    `elsewhere`: look for it among the data package's other levels (misplaced)."""
    if key in known:
        return None
    same = [k for k in known if k.lower() == key.lower()]
    if same:
        return f"it is written '{same[0]}'", f"write '{same[0]}:'", same[0]
    for other, home in _HOME.items() if elsewhere else ():
        if other == level:
            continue
        meant = [k for k in _LEVELS[other][0] if k.lower() == key.lower()]
        if meant:
            return f"'{meant[0]}' is read {home}", f"move it {home}", meant[0]
    close = difflib.get_close_matches(key, sorted(known), 1, 0.8)
    if close:
        return f"did you mean '{close[0]}'?", f"write '{close[0]}:'", close[0]
    if closed:
        listed = ", ".join(sorted(known))
        return f"the keys read here are {listed}", "remove it, or write one of those", ""
    return None


def misplaced_keys(
    descriptor: Any, text: str, shown: str, skip: frozenset[str] = frozenset()
) -> dict[int, list[Problem]]:
    """Every key of the `descriptor` (parsed from `text`) the tool would not read, each at its
    line, by the resource it is in (1-based; 0: the package's own). `skip`: keys meant whose
    absence from a resource is said elsewhere (a misspelt title, once)."""
    found: list[tuple[int, Path, str, str]] = []
    _check(descriptor, "package", "the package", (), 0, skip, found)
    if not found:
        return {}  # the text is composed (slow on a big package) only to place a problem
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    problems: dict[int, list[Problem]] = {}
    for index, path, message, hint in found:
        line, column = _place(root, path)
        problems.setdefault(index, []).append(Problem(shown, message, hint, line, column))
    return problems


def _check(
    value: Any,
    level: str,
    where: str,
    path: Path,
    index: int,
    skip: frozenset[str],
    found: list[tuple[int, Path, str, str]],
) -> None:
    if not isinstance(value, dict):
        return
    known, closed = _LEVELS[level]
    for key, child in value.items():
        key = str(key)
        judged = judge_key(key, known, closed, level)
        if judged is None:
            for i, (item, item_level, item_where, item_path) in enumerate(
                _children(key, child, level, where, (*path, key)), 1
            ):
                resource = i if item_level == "resource" else index
                _check(item, item_level, item_where, item_path, resource, skip, found)
            continue
        wrong, fix, meant = judged
        if level == "resource" and meant in skip and meant not in value:
            continue  # "has no title ('titel:' ...)" says it
        found.append(
            (
                index,
                (*path, key),
                f"{where}: '{key}:' is not a key the tool reads here; {wrong}",
                fix,
            )
        )


def _children(
    key: str, value: Any, level: str, where: str, path: Path
) -> list[tuple[Any, str, str, Path]]:
    """The mappings under `key` to check, with their level, name and path."""
    items = list(enumerate(value if isinstance(value, list) else [], 1))
    if level == "package" and key == "resources":
        return [(r, "resource", f"resource {_name(r, i)}", (*path, i - 1)) for i, r in items]
    if level == "resource" and key in ("schema", "dialect"):
        return [(value, key, f"{where}, {key}", path)]
    if level == "schema" and key == "fields":
        return [(f, "field", f"{where}, field {_name(f, i)}", (*path, i - 1)) for i, f in items]
    if level == "schema" and key == "foreignKeys":
        return [(k, "foreign key", f"{where}, foreign key #{i}", (*path, i - 1)) for i, k in items]
    if level == "field" and key == "constraints":
        return [(value, "constraints", f"{where}, constraints", path)]
    if level == "foreign key" and key == "reference":
        return [(value, "reference", f"{where}, reference", path)]
    return []


def _name(entry: Any, index: int) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"'{name}'" if isinstance(name, str) and name else f"#{index}"


def _place(root: Any, path: Path) -> tuple[int | None, int | None]:
    """Line and column of the key at the end of `path`."""
    node = root
    for depth, step in enumerate(path, 1):
        if isinstance(step, int) and isinstance(node, yaml.SequenceNode):
            node = node.value[step]
            continue
        if not isinstance(node, yaml.MappingNode):
            break
        pair = next(((k, v) for k, v in node.value if str(k.value) == step), None)
        if pair is None:
            break
        if depth == len(path):
            return pair[0].start_mark.line + 1, pair[0].start_mark.column + 1
        node = pair[1]
    return None, None
