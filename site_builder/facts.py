"""Facts: named values computed from the data, written into prose with their formatting."""

from __future__ import annotations

import datetime
import math
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .catalog import Catalog
from .charts import collector
from .descriptorkeys import judge_key
from .discovery import check_ids
from .errors import FactError, Problem, nearest, yaml_problem
from .paths import inside, outside_problem
from .sourcelines import exception_hint, raised_at, whole


@dataclass
class FactDef:
    """A fact as declared: in `data/facts.yaml` (one cell) or with `@fact` (computed)."""

    id: str
    data: list[str]
    compute: Callable[..., Any] | None = None  # @fact functions
    cell: tuple[Any, str] | None = None  # facts.yaml entries: (primary key, column)
    format: str = "{value}"
    description: str = ""
    path: str = ""
    line: int = 0
    expect: list[str] = field(default_factory=list)  # e.g. [">= 90"]: what the prose claims
    key_lines: dict[str, int] = field(default_factory=dict)  # facts.yaml: "row" -> its line


@dataclass(frozen=True)
class Fact:
    """A computed fact: its value and the text that goes into the page."""

    id: str
    value: Any
    text: str
    datasets: tuple[str, ...] = field(default=())
    row: Any = None  # the primary key of the cell, for facts.yaml entries
    expect: tuple[str, ...] = ()
    broken: tuple[str, ...] = ()  # the expectations the value no longer meets


_EXPECT = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")
_OPERATORS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def parse_expectations(raw: Any) -> list[str] | str:
    """`">= 90"` or a list of them; the text of the first one not understood, if any."""
    items = raw if isinstance(raw, list) else [] if raw is None else [raw]
    for item in items:
        if not isinstance(item, str) or not _EXPECT.match(item):
            return str(item)
    return [str(i).strip() for i in items]


def meets(value: Any, expectation: str) -> bool:
    match = _EXPECT.match(expectation)
    assert match
    try:
        return bool(_OPERATORS[match.group(1)](float(value), float(match.group(2))))
    except (TypeError, ValueError):
        return False


def fact(
    id: str,
    *,
    data: str | Sequence[str],
    format: str = "{value}",
    description: str = "",
    expect: str | Sequence[str] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a computed fact; the function gets the named tables and returns one value.

    `expect` (e.g. ">= 6") is what the prose claims: the build fails where the fact is used
    when the data no longer supports it.
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        expectations = parse_expectations(list(expect) if not isinstance(expect, str) else expect)
        if isinstance(expectations, str):
            raise ValueError(f"expectation {expectations!r} not understood; write e.g. '>= 90'")
        collector().facts.append(
            FactDef(
                id=id,
                data=[data] if isinstance(data, str) else list(data),
                compute=func,
                format=format,
                description=description,
                path=func.__code__.co_filename,
                line=func.__code__.co_firstlineno,
                expect=expectations,
            )
        )
        return func

    return register


def read_fact_file(path: Path, shown: str, root: Path) -> list[FactDef]:
    """Facts that name one cell: `id: {dataset, row, column, format}` in a YAML file."""
    if not path.is_file():
        return []
    if not inside(path, root):
        raise FactError(outside_problem(path, root))
    text = path.read_text(encoding="utf-8")
    last = _read.get(path)
    if last is None or last[0] != (text, shown):
        last = _read[path] = (text, shown), _fact_defs(text, shown)
    return list(last[1])


# A preview reads the file after every save: it is parsed once, while it is the same (only
# its last text kept).
_read: dict[Path, tuple[tuple[str, str], tuple[FactDef, ...]]] = {}


def _fact_defs(text: str, shown: str) -> tuple[FactDef, ...]:
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise FactError(
            yaml_problem(exc, shown, "check indentation and quote formats that contain ':' or '{'")
        ) from None
    if node is None:
        return ()
    if not isinstance(node, yaml.MappingNode):
        raise FactError(Problem(shown, "expected one entry per fact", _FACT_HINT, 1))
    defs, problems = [], []
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        entry = yaml.safe_load(yaml.serialize(value_node))
        fid = str(key_node.value)
        meant = set()
        for key in entry if isinstance(entry, dict) else []:
            judged = _FACT_ALIASES.get(str(key).lower()) or judge_key(
                str(key), _FACT_KEYS, elsewhere=False
            )
            if judged:
                wrong, fix, word = judged
                meant.add(word)
                problems.append(
                    Problem(
                        shown,
                        f"fact '{fid}': '{key}:' is not a key of a fact; {wrong}",
                        fix,
                        _key_line(value_node, key) or line,
                    )
                )
        missing = [
            k
            for k in ("dataset", "row", "column")
            if (not isinstance(entry, dict) or k not in entry) and k not in meant
        ]
        if missing:
            problems.append(
                Problem(shown, f"fact '{fid}' has no {', '.join(missing)}", _FACT_HINT, line)
            )
        if missing or meant:
            continue
        expectations = parse_expectations(entry.get("expect"))
        if isinstance(expectations, str):
            problems.append(
                Problem(
                    shown,
                    f"fact '{fid}': expectation {expectations!r} not understood",
                    "write a comparison with a number, e.g. expect: '>= 90', or a list of them",
                    line,
                )
            )
            continue
        defs.append(
            FactDef(
                id=fid,
                data=[str(entry["dataset"])],
                cell=(entry["row"], str(entry["column"])),
                format=str(entry.get("format", "{value}")),
                description=str(entry.get("description", "")),
                path=shown,
                line=line,
                expect=expectations,
                key_lines={
                    k: at for k in ("dataset", "row", "column") if (at := _key_line(value_node, k))
                },
            )
        )
    if problems:
        raise FactError(problems)
    return tuple(defs)


_FACT_KEYS = frozenset({"dataset", "row", "column", "format", "description", "expect"})
# Words a writer reaches for, too far from the key to be taken for a misspelling.
_FACT_ALIASES = {
    word: (f"a fact names its {meant} with '{meant}:'", f"write '{meant}:'", meant)
    for words, meant in (
        (("data", "resource", "table"), "dataset"),
        (("col", "field"), "column"),
        (("key", "id"), "row"),
    )
    for word in words
}


def _key_line(node: yaml.Node, key: object) -> int | None:
    """The line of `key` in a fact's mapping."""
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if key_node.value == key:
                return int(key_node.start_mark.line) + 1
    return None


_FACT_HINT = (
    "write each fact as: name: {dataset: <table>, row: <primary key>, column: <column>, "
    "format: 'over {value:.0f}%'}"
)


def check_fact_names(defs: list[FactDef]) -> list[Problem]:
    return check_ids(defs, "fact")


def compute_facts(defs: list[FactDef], catalog: Catalog) -> dict[str, Fact]:
    """Every fact's value and text; all problems at once."""
    facts: dict[str, Fact] = {}
    problems = []
    for d in defs:
        try:
            value = _compute(d, catalog)
        except _FactProblem as exc:
            line = d.key_lines.get(exc.key, d.line)
            problems.append(Problem(d.path, f"fact '{d.id}': {exc.message}", exc.hint, line))
            continue
        except Exception as exc:  # in the writer's @fact function: at its failing line
            tables = [catalog.datasets[n].frame for n in d.data]
            problems.append(
                Problem(
                    d.path,
                    f"fact '{d.id}' failed: {type(exc).__name__}: {whole(str(exc))}",
                    exception_hint(exc, tables, d.data),
                    *(raised_at(d.compute, exc) or (d.line,)),
                )
            )
            continue
        blank = _no_number(value)
        if blank:
            where = (
                f"the cell in column '{d.cell[1]}' of row {d.cell[0]!r} of '{d.data[0]}'"
                if d.cell
                else "the function"
            )
            hint = (
                "fill that cell, or point the fact at another"
                if d.cell
                else "check the rows it reads: an empty cell, no rows left by a filter, or a "
                "division by zero"
            )
            problems.append(Problem(d.path, f"fact '{d.id}': {where} gives {blank}", hint, d.line))
            continue
        try:
            text = d.format.format(value=value)
        except Exception as exc:
            problems.append(
                Problem(
                    d.path,
                    f"fact '{d.id}': format {d.format!r} does not fit the value {value!r} "
                    f"({type(exc).__name__}: {exc})",
                    "use {value} as Python formats it, e.g. '{value:.0f}%' for a number; "
                    "'{value}' for text",
                    d.line,
                )
            )
            continue
        facts[d.id] = Fact(
            id=d.id,
            value=value,
            text=text,
            datasets=tuple(d.data),
            row=d.cell[0] if d.cell else None,
            expect=tuple(d.expect),
            broken=tuple(e for e in d.expect if not meets(value, e)),
        )
    if problems:
        raise FactError(problems)
    return facts


class _FactProblem(Exception):
    """`key`: the facts.yaml key the problem is with, whose line it is said at."""

    def __init__(self, message: str, hint: str, key: str = ""):
        self.message, self.hint, self.key = message, hint, key


def _no_number(value: Any) -> str:
    """What a value the prose cannot print is ("no value", "not a number", "infinity"), or ""."""
    if value is None or type(value).__name__ == "NAType":  # pandas' NA: an empty whole number
        return "no value"
    if isinstance(value, float) and math.isinf(value):
        return "infinity"
    try:
        missing = bool(value != value)  # NaN, and pandas' missing date
    except (TypeError, ValueError):
        return ""
    return "no value (not a number)" if missing else ""


def _compute(d: FactDef, catalog: Catalog) -> Any:
    if d.cell is not None:
        result = _lookup_cell(catalog, d.data[0], *d.cell)
    else:
        assert d.compute is not None
        with warnings.catch_warnings():
            # Dividing by zero gives infinity, which is reported as such: not a stack trace.
            warnings.simplefilter("ignore", RuntimeWarning)
            result = d.compute(*[catalog.datasets[n].for_chart() for n in d.data])
    size = getattr(result, "size", 1)
    if hasattr(result, "shape") and size != 1:  # a column or table, not one value
        kind = type(result).__name__
        raise _FactProblem(
            f"the function returned a {kind} of {size} values, not one value",
            "return one value: a sum or mean (.sum(), .mean()), or one row's cell, e.g. "
            "table.loc[table['code'] == 'NA', 'population'].iloc[0]",
        )
    if hasattr(result, "to_pydatetime"):  # a date as Python's own: read back without pandas
        return result.to_pydatetime()
    return result.item() if hasattr(result, "item") else result


def _lookup_cell(catalog: Catalog, name: str, row: Any, column: str) -> Any:
    ds = catalog.datasets[name]
    frame = ds.frame
    if not ds.is_table:
        raise _FactProblem(f"dataset '{name}' is not a table", "name a CSV dataset")
    if column not in frame.columns:
        raise _FactProblem(
            f"dataset '{name}' has no column '{column}'",
            nearest(column, list(frame.columns)),
            "column",
        )
    if not ds.primary_key:
        raise _FactProblem(
            f"dataset '{name}' has no primary key to find row {_written(row)}",
            "add 'primaryKey:' to its schema",
        )
    keys = row if isinstance(row, list) else [row]
    if len(keys) != len(ds.primary_key):
        raise _FactProblem(
            f"row {_written(row)} does not match the primary key ({', '.join(ds.primary_key)})",
            "give one value per key column, as a list",
        )
    mask = None
    for index, (col, key) in enumerate(zip(ds.primary_key, keys, strict=True)):
        match = frame[col].astype(str) == str(key)
        # The part of the key no row has, or has with the parts before it.
        alone = not match.any()
        if not alone and (mask is None or (mask & match).any()):
            mask = match if mask is None else mask & match
            continue
        rows = slice(None) if alone or mask is None else mask
        known = list(dict.fromkeys(_shown(v) for v in frame.loc[rows, col]))
        before = ", ".join(
            f"{c} {str(k)!r}" for c, k in zip(ds.primary_key[:index], keys[:index], strict=True)
        )
        raise _FactProblem(
            f"dataset '{name}' has no row {_written(row)}: no row has {col} {str(key)!r}"
            + ("" if alone else f" with {before}"),
            nearest(str(key), known),
            "row",
        )
    hits = frame[mask] if mask is not None else frame.iloc[0:0]
    return hits.iloc[0][column]


def _written(row: Any) -> str:
    """A fact's row as facts.yaml gives it: [2024-07-01, 'China'], not Python's words for
    a date."""
    if isinstance(row, list):
        return "[" + ", ".join(_written(v) for v in row) + "]"
    if isinstance(row, (datetime.date, datetime.datetime)):
        return row.isoformat()
    return repr(row) if isinstance(row, str) else str(row)


def _shown(value: Any) -> str:
    """A key cell as a writer writes it in facts.yaml: a date without its midnight."""
    text = str(value)
    return text[:10] if text.endswith(" 00:00:00") else text


FACT_REF = re.compile(r"\{\{\s*fact:\s*([^}\s]*)\s*\}\}")
