"""A file's digest is read again when the file changed, and only then."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from site_builder import filedigests


def test_a_file_is_hashed_again_only_once_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "table.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    reads: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (reads.append(self), real(self))[1])
    first = filedigests.file_digest(path)
    assert first == hashlib.sha256(b"a,b\n1,2\n").hexdigest() and len(reads) == 1
    assert filedigests.file_digest(path) == first and len(reads) == 1
    time.sleep(0.02)  # past the file system clock's tick
    path.write_text("a,b\n1,3\n", encoding="utf-8")  # the same size
    assert filedigests.file_digest(path) == hashlib.sha256(b"a,b\n1,3\n").hexdigest()
    assert len(reads) == 2
