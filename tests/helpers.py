"""Helpers for tests that change one file of a mini project and check what the writer sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder import pipeline
from site_builder.errors import WriterError


def settings(project: Path) -> pipeline.Settings:
    return pipeline.Settings(
        root=project,
        docs_dir=project / "content",
        data_dir=project / "data",
        charts_dir=project / "charts",
        cache_dir=project / ".cache" / "site-builder",
        workers=1,
    )


def prepare(project: Path) -> pipeline.Project:
    return pipeline.prepare(settings(project))


def report(project: Path) -> str:
    """The full text a writer gets for the project's mistakes."""
    with pytest.raises(WriterError) as info:
        prepare(project)
    return info.value.report()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
