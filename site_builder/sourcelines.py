"""Where in a writer's chart or fact function a mistake is, and what to do about it.

A spec no longer knows which line of the function named a field or an option: the function's
syntax tree does, so a wrong column is reported at the `alt.X("wrong:Q")` or `.encode(...)`
line that names it. An exception in the function is reported at its line in the traceback,
with a hint that fits the exception.
"""

from __future__ import annotations

import ast
import re
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import nearest

Position = tuple[int, int]  # line and column, from 1


def traceback_line(exc: BaseException, path: str | Path) -> int | None:
    """The last line of `path` in the exception's traceback: where the writer's code failed."""
    target = Path(path).resolve()
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == target:
            line = frame.lineno
    return line


def raised_at(func: Callable[..., Any] | None, exc: BaseException) -> tuple[int, ...] | None:
    """Where in the function an exception came from: the option Altair refused (it checks
    some as the chart is made), else the function's last line in the traceback."""
    if func is not None and type(exc).__name__ == "SchemaValidationError":
        at = option_position(func, str(exc))
        if at:
            return at
    code = getattr(func, "__code__", None)
    line = traceback_line(exc, code.co_filename) if code else None
    return (line,) if line else None


def field_position(func: Callable[..., Any], name: str) -> Position | None:
    """The first string in the function that names the field `name` ("name", "name:Q",
    "mean(name)"), in the order of the source."""
    return _first(func, lambda node: _names_field(_text(node), name) or _reads_datum(node, name))


def _reads_datum(node: ast.AST, name: str) -> bool:
    """`alt.datum.name` (or `datum["name"]`), or an expression's text reading datum.name."""
    if isinstance(node, ast.Attribute) and node.attr == name:
        return _is_datum(node.value)
    if isinstance(node, ast.Subscript) and _text(node.slice) == name:
        return _is_datum(node.value)
    text = _text(node)
    return text is not None and re.search(rf"\bdatum\s*\.\s*{re.escape(name)}\b", text) is not None


def _is_datum(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "datum") or (
        isinstance(node, ast.Name) and node.id == "datum"
    )


# Altair's words for an option it refuses (the first error when there are several).
_INVALID_VALUE = re.compile(r"'(?P<value>.*?)' is an invalid value for `(?P<param>\w+)`")
_NO_PARAMETER = re.compile(r"`\w+` has no parameter named '(?P<param>\w+)'")


def missing_column(func: Callable[..., Any], error: KeyError) -> tuple[str, Position | None]:
    """The column a KeyError from a table lookup names ('x', or pandas's "None of [Index(['x'])]
    are in the [columns]"), and where the function names it."""
    text = str(error.args[0]) if error.args else ""
    names = [text, *re.findall(r"'([^']+)'", text)]
    for name in names:
        at = field_position(func, name)
        if at:
            return name, at
    return names[-1], None


def option_position(func: Callable[..., Any], message: str) -> Position | None:
    """The argument an Altair validation message is about: `sort="ascendin"`, `typ=...`."""
    invalid = _INVALID_VALUE.search(message)
    if invalid:
        value, param = invalid.group("value"), invalid.group("param")
        return _first(func, lambda node: _keyword_value(node, param, value)) or _first(
            func, lambda node: _text(node) == value
        )
    unknown = _NO_PARAMETER.search(message)
    if unknown:
        param = unknown.group("param")
        return _first(func, lambda node: isinstance(node, ast.keyword) and node.arg == param)
    return None


def whole(message: str) -> str:
    """A library's message of several lines, kept whole: blank lines dropped, the others
    indented under the first so that the report still reads as one problem each."""
    lines = message.strip().splitlines()
    kept = [line.rstrip() for line in lines if line.strip() and not _JS_STACK.match(line)]
    return "\n    ".join(kept)


# A line of a JavaScript stack (from the Vega-Lite compiler): no help to a writer.
_JS_STACK = re.compile(r"^\s*at .*:\d+:\d+\)?$")


_NOT_IN_INDEX = re.compile(r"\[(.*)\] not in index|None of \[Index\(\[(.*?)\].*\] are in the.*")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def exception_hint(exc: BaseException, tables: Sequence[Any], names: Sequence[str]) -> str:
    """What to do about an exception raised in a chart or fact function, from its kind."""
    columns = sorted({str(c) for t in tables if hasattr(t, "columns") for c in t.columns})
    gets = f"it gets the tables {', '.join(names)} as pandas DataFrames"
    if type(exc).__name__ == "SchemaValidationError":
        return "fix the option on that line (see the Altair documentation for what it takes)"
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
        # table[["a", "b"]] names the columns it lacks in a list: "['b'] not in index".
        listed = _NOT_IN_INDEX.fullmatch(exc.args[0])
        quoted = (listed.group(1) or listed.group(2)) if listed else ""
        for key in _QUOTED.findall(quoted) if listed else [exc.args[0]]:
            if key not in columns:
                return f"no column '{key}' in the table: {nearest(key, columns)}"
    if isinstance(exc, AttributeError):
        attribute = re.search(r"has no attribute '(\w+)'", str(exc))
        if attribute and columns:
            name = attribute.group(1)
            return f"no attribute or column '{name}': for a column write table[\"...\"]; " + (
                nearest(name, columns)
            )
    if isinstance(exc, ZeroDivisionError):
        return "a division by zero: the divisor on that line is 0 for this data (an empty filter?)"
    if isinstance(exc, IndexError):
        return (
            "a row or item that is not there: a filter on that line may leave no rows for this data"
        )
    return f"fix the function at the line shown; {gets}"


def _first(func: Callable[..., Any], test: Callable[[ast.AST], bool]) -> Position | None:
    found = [
        (int(getattr(node, "lineno", 0)), int(getattr(node, "col_offset", 0)) + 1)
        for node in _body_nodes(func)
        if test(node) and hasattr(node, "lineno")
    ]
    return min(found) if found else None


def _body_nodes(func: Callable[..., Any]) -> Iterator[ast.AST]:
    """Every node of the function's body (not its decorators: they name no encoding)."""
    code = getattr(func, "__code__", None)
    if code is None:
        return
    try:
        tree = ast.parse(Path(code.co_filename).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            if first == code.co_firstlineno and node.name == code.co_name:
                for statement in node.body:
                    yield from ast.walk(statement)
                return


def _text(node: ast.AST) -> str | None:
    """The string a node writes out, if it is one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword_value(node: ast.AST, param: str, value: str) -> bool:
    return (
        isinstance(node, ast.keyword)
        and node.arg == param
        and isinstance(node.value, ast.Constant)
        and str(node.value.value) == value
    )


def _names_field(text: str | None, name: str) -> bool:
    """Does an Altair shorthand or field name name the column `name`?"""
    if text is None:
        return False
    if text == name:
        return True
    from altair.utils import parse_shorthand

    try:
        parsed = parse_shorthand(text)
    except Exception:  # not a shorthand: a title, a colour, an expression
        return False
    field = parsed.get("field")
    return isinstance(field, str) and field.replace("\\", "") == name
