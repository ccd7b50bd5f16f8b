"""The catalogue: the data package's tables and what readers need to know about each.

Loaded by loader.py; every later stage (charts, facts, figures, downloads) reads these."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when a table is read: a rebuild from the snapshot needs none
    import pandas as pd


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    name: str = ""  # what a row-sources column calls it (see rowsources.py)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str = ""
    unit: str = ""
    format: str = "default"  # the schema's, e.g. "uri" for links (checked in cellcheck.py)

    @property
    def label(self) -> str:
        """Column heading for readers: title plus unit, unless the title says a unit already
        ("Price (EUR per kWh)")."""
        if not self.unit:
            return self.title
        return self.title if _says_unit(self.title, self.unit) else f"{self.title} ({self.unit})"


def _says_unit(title: str, unit: str) -> bool:
    """Whether the title names the unit already: as a word of its own ("m" is not said by
    "Median income"), or in its closing brackets by a word of it ("Price (EUR per kWh)" for
    EUR/kWh; not "Output (adjusted)" for MWh)."""
    if re.search(rf"(?<!\w){re.escape(unit)}(?!\w)", title, re.I):
        return True
    bracket = re.search(r"\(([^()]*)\)\s*$", title)
    words = set(re.findall(r"\w+", bracket.group(1).lower())) if bracket else set()
    return bool(words & set(re.findall(r"\w+", unit.lower())))


@dataclass
class Dataset:
    """One validated table and what readers need to know about it."""

    name: str
    path: str  # as the writer sees it, relative to the project root
    title: str
    description: str
    sources: list[Source]
    licenses: list[dict[str, str]]
    fields: list[Field]
    primary_key: list[str]
    frame: pd.DataFrame  # None in a project taken from the snapshot (snapshot.py)
    digest: str  # hash of the file and its schema: changes when either does
    document: Any = None  # parsed JSON, for JSON resources (map boundaries); None for tables
    encoding: str = "utf-8"  # of the file, as the resource declares it
    dialect: dict[str, str] = field(default_factory=dict)  # delimiter and quote, if declared
    row_sources: str = ""  # the column naming each row's sources (rowSources), if any
    download_as_is: bool | None = None  # known already: the file needs no defusing
    rows: int = 0  # kept when the frame is not (snapshot.py)

    @property
    def row_count(self) -> int:
        return len(self.frame) if self.frame is not None else self.rows

    @property
    def is_table(self) -> bool:
        return self.document is None

    def for_chart(self) -> Any:
        """A fresh copy for a chart or fact function, so one cannot change another's data."""
        return self.frame.copy() if self.is_table else copy.deepcopy(self.document)


@dataclass
class Catalog:
    descriptor_path: str
    title: str
    datasets: dict[str, Dataset] = field(default_factory=dict)

    def names(self) -> list[str]:
        return sorted(self.datasets)


def make_dataset(
    res: dict[str, Any],
    package_licenses: list[Any],
    shown: str,
    raw: bytes,
    fields: list[Field],
    primary_key: list[str],
    frame: pd.DataFrame,
    document: Any = None,
) -> Dataset:
    """A dataset with its metadata; its digest covers the file and its description."""
    return Dataset(
        name=res["name"],
        path=shown,
        title=str(res.get("title", "")),
        description=str(res.get("description", "")),
        sources=sources_of(res),
        licenses=list(res.get("licenses") or package_licenses),
        fields=fields,
        primary_key=primary_key,
        frame=frame,
        digest=digest_of(res, raw),
        document=document,
        encoding=str(res.get("encoding") or "utf-8"),
        dialect={
            k: str(v)
            for k, v in (res.get("dialect") or {}).items()
            if k in ("delimiter", "quoteChar")
        },
        row_sources=str(res.get("rowSources") or ""),
    )


def digest_of(res: dict[str, Any], raw: bytes) -> str:
    """The file's bytes and its description: what the table cache and downloads are named by."""
    digest = hashlib.sha256(raw)
    digest.update(json.dumps(res, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def sources_of(res: dict[str, Any]) -> list[Source]:
    return [
        Source(
            title=str(s.get("title") or s.get("path") or s.get("url")),
            url=str(s.get("path") or s.get("url")),
            name=str(s.get("name") or ""),
        )
        for s in res.get("sources") or []
        if isinstance(s, dict)
    ]
