"""`site-builder new chart`: a working chart module for a dataset, to start from.

The chart follows the columns' types: a date or year gives a line, a label and a number a
ranked bar. The generated code says in a comment whenever it adds rows up.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from .catalog import Dataset, Field

_HEAD = '''"""{title}: a first chart of {name}; make it say what the data shows."""

import altair as alt

from site_builder import chart


@chart(
    "{chart_id}",
    data="{name}",
    title={title_literal},
    description={description},
)
def {function}(table):
{comments}    return (
        alt.Chart(table)
        .{mark}
        .encode(
{channels}        )
    )
'''


@dataclass
class _Plan:
    mark: str
    channels: list[str]
    comments: list[str]
    description: str


def chart_module(chart_id: str, ds: Dataset) -> str:
    """Python source of a first chart of the dataset, chosen by its columns' types."""
    plan = _plan(ds)
    title = ds.title or ds.name
    comments = "".join(
        textwrap.indent(textwrap.fill(c, 92, break_on_hyphens=False), "    # ") + "\n"
        for c in plan.comments
    )
    return _HEAD.format(
        chart_id=chart_id,
        name=ds.name,
        function=chart_id.replace("-", "_"),
        title=title.replace('"', "'").replace("\n", " "),
        title_literal=_literal(title),
        description=_literal(plan.description),
        comments=comments,
        mark=plan.mark,
        channels="".join(f"            {c},\n" for c in plan.channels),
    )


def _plan(ds: Dataset) -> _Plan:
    # A date before a year: the finer of the two (a survey's year and the day it was taken).
    dates = [f for f in ds.fields if f.type in ("date", "datetime")]
    time = next((f for f in dates or ds.fields if _is_time(f, ds)), None)
    numbers = [f for f in ds.fields if f.type in ("number", "integer") and f is not time]
    # Years beside a date (a survey's year and its day) are not what the chart should measure.
    numbers.sort(key=lambda f: _is_year(f, ds))
    labels = [f for f in ds.fields if f.type == "string"]
    if time is not None and numbers:
        return _line(ds, time, numbers, labels)
    if labels and numbers:
        return _bars(ds, labels[0], numbers)
    if len(numbers) >= 2:
        x, y = numbers[:2]
        return _Plan(
            "mark_point()",
            [_enc("x", x, "Q"), _enc("y", y, "Q"), _tooltip(x, y)],
            ["One point per row: nothing is added up."],
            f"Points of {y.label} against {x.label}.",
        )
    if numbers:
        n = numbers[0]
        return _Plan(
            "mark_bar()",
            [_enc("x", n, "Q", "bin=True"), 'y=alt.Y("count():Q", title="Rows")'],
            [f"A histogram: the bars count the rows in each range of {n.name}."],
            f"How many rows fall in each range of {n.label}.",
        )
    first = time or (labels[0] if labels else ds.fields[0])
    kind = "N" if time is None else "T" if time.type in ("date", "datetime") else "O"
    return _Plan(
        "mark_bar()",
        [
            _enc("y", first, kind, 'sort="-x"' if kind == "N" else ""),
            'x=alt.X("count():Q", title="Rows")',
        ],
        [f"The table has no number column: the bars count the rows for each {first.name}."],
        f"Rows for each {first.label}.",
    )


# Words for "year" in column names, in the languages of the stories published so far and
# their neighbours; matched as whole words (or as the character, for 年).
_YEAR_WORDS = {"year", "years", "yr", "jahr", "annee", "année", "ano", "año", "anno", "jaar"}
_YEAR_WORDS |= {"år", "rok", "vuosi", "yil", "yıl", "έτος", "год"}


def _is_time(f: Field, ds: Dataset) -> bool:
    """A date, or whole numbers in a column named like a year (CSV years read as integers)."""
    return f.type in ("date", "datetime", "year") or _is_year(f, ds)


def _is_year(f: Field, ds: Dataset) -> bool:
    words = set(re.split(r"[^\w]+|_", f.name.lower()))
    if f.type != "integer" or not (words & _YEAR_WORDS or "年" in f.name):
        return False
    values = ds.frame[f.name].dropna()
    return bool(len(values)) and bool(values.between(1000, 2999).all())


def _line(ds: Dataset, time: Field, numbers: list[Field], labels: list[Field]) -> _Plan:
    y = numbers[0]
    frame = ds.frame
    # A colour per category only when the category repeats: a label per row is not a series.
    series = next((f for f in labels if frame[f.name].nunique() < len(frame)), None)
    key = [time.name] + ([series.name] if series else [])
    x_kind = "T" if time.type in ("date", "datetime") else "Q"
    # Years as numbers: no thousands separator, and the axis starts near the first year.
    x_extra = [] if x_kind == "T" else ['axis=alt.Axis(format="d")', "scale=alt.Scale(zero=False)"]
    channels = [_enc("x", time, x_kind, *x_extra)]
    per = f"{time.name} and {series.name}" if series else time.name
    comments = []
    if frame.duplicated(key).any():
        channels.append(_enc("y", y, "Q", aggregate="sum"))
        comments.append(
            f"Several rows share a {per}: the line shows their sum (sum({y.name})). "
            "Check that adding them up makes sense; otherwise filter the table first."
        )
    else:
        channels.append(_enc("y", y, "Q"))
        comments.append(f"One point per row (one per {per}): nothing is added up.")
    if series:
        channels.append(_enc("color", series, "N"))
    channels.append(_tooltip(time, *([series] if series else []), y, kinds=(x_kind,)))
    others = [f.name for f in numbers[1:]]
    if others:
        comments.append(
            f"This draws {y.name}. The other number columns are {', '.join(others)}. To draw "
            f"several as lines, fold them into one column: "
            f"alt.Chart(table).transform_fold({others[:3]!r}, as_=['series', 'value'])"
            f".mark_line().encode(x=..., y='value:Q', color='series:N')"
        )
    description = f"Lines of {y.label} by {time.label}" + (
        f", one per {series.label}." if series else "."
    )
    return _Plan("mark_line()", channels, comments, description)


def _bars(ds: Dataset, label: Field, numbers: list[Field]) -> _Plan:
    x = numbers[0]
    if ds.frame[label.name].is_unique:
        channels = [_enc("x", x, "Q"), _enc("y", label, "N", 'sort="-x"', "title=None")]
        comments = ["One bar per row, longest first: nothing is added up."]
    else:
        channels = [
            _enc("x", x, "Q", aggregate="sum"),
            _enc("y", label, "N", 'sort="-x"', "title=None"),
        ]
        comments = [
            f"Several rows share a {label.name}: each bar is their sum (sum({x.name})). "
            "Check that adding them up makes sense; otherwise filter the table first."
        ]
    channels.append(_tooltip(label, x))
    others = [f.name for f in numbers[1:]]
    if others:
        comments.append(f"This draws {x.name}; the other number columns are {', '.join(others)}.")
    return _Plan("mark_bar()", channels, comments, f"Bars of {x.label} by {label.label}.")


def _enc(channel: str, f: Field, kind: str, *extra: str, aggregate: str = "") -> str:
    cls = {"x": "X", "y": "Y", "color": "Color"}[channel]
    args = [_ref(f, kind, aggregate)]
    if not any(e.startswith("title=") for e in extra):
        args.append(f"title={_literal(f.label)}")
    args += [e for e in extra if e]
    one_line = f"{channel}=alt.{cls}({', '.join(args)})"
    if len(one_line) <= 80:
        return one_line
    inner = "".join(f"                {a},\n" for a in args)
    return f"{channel}=alt.{cls}(\n{inner}            )"


_TYPES = {"Q": "quantitative", "N": "nominal", "T": "temporal", "O": "ordinal"}
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_ ]*")


def _ref(f: Field, kind: str, aggregate: str = "") -> str:
    """Altair's shorthand ("sum(n):Q") for plain names, else field= and type= (a name with a
    dot or colon would be misread)."""
    if _PLAIN.fullmatch(f.name):
        return _literal(f"{aggregate}({f.name}):{kind}" if aggregate else f"{f.name}:{kind}")
    name = re.sub(r"([.\[\]\\])", r"\\\1", f.name)  # dots and brackets mean nesting
    args = f"field={_literal(name)}, type={_literal(_TYPES[kind])}"
    return f"aggregate={_literal(aggregate)}, {args}" if aggregate else args


def _tooltip(*fields: Field, kinds: tuple[str, ...] = ()) -> str:
    items = []
    for i, f in enumerate(fields):
        kind = kinds[i] if i < len(kinds) else ("Q" if f.type in ("number", "integer") else "N")
        ref = _ref(f, kind)
        items.append(ref if ref.startswith('"') else f"alt.Tooltip({ref})")
    one_line = f"tooltip=[{', '.join(items)}]"
    if len(one_line) <= 80:
        return one_line
    inner = "".join(f"                {item},\n" for item in items)
    return f"tooltip=[\n{inner}            ]"


def _literal(text: str) -> str:
    """A Python string literal for any text (quotes and backslashes escaped)."""
    return json.dumps(text, ensure_ascii=False)


STARTER = Path(__file__).parent / "starter"
# Files whose name in the package differs from the one they get (a dotfile is easily lost).
_RENAMED = {"gitignore": ".gitignore"}


def write_story(folder: Path) -> list[Path]:
    """Copy the starter project into `folder` (new or empty); the files written."""
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(
            f"{folder} is not empty: give a new folder's name, e.g. site-builder new story my-story"
        )
    written = []
    for source in sorted(STARTER.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(STARTER)
        target = folder / relative.with_name(_RENAMED.get(relative.name, relative.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        written.append(target)
    return written
