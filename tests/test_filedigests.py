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


def test_files_under_a_folder_are_listed_as_rglob_lists_them(tmp_path: Path) -> None:
    """The walk lists what `sorted(folder.rglob("*"))` finds to be files, in its order (by
    path parts: `a/b` before `a-c`), following a linked file, not entering a linked folder,
    and leaving `__pycache__` out."""
    from site_builder.filedigests import files_under

    data, other = tmp_path / "data", tmp_path / "other"
    for name in ("a/b.csv", "a-c.csv", "z.csv", "__pycache__/x.pyc", "a/__pycache__/y.pyc"):
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(name)
    (other / "deep").mkdir(parents=True)
    (other / "c.csv").write_text("c")
    (other / "deep" / "d.csv").write_text("d")
    (data / "linked.csv").symlink_to(other / "c.csv")
    (data / "linked-folder").symlink_to(other, target_is_directory=True)
    expected = [
        (p.relative_to(data).as_posix(), str(p), p.is_symlink())
        for p in sorted(data.rglob("*"))
        if "__pycache__" not in p.parts and p.is_file()
    ]
    assert files_under(data) == expected
    assert [name for name, _, _ in expected] == ["a/b.csv", "a-c.csv", "linked.csv", "z.csv"]
    assert files_under(tmp_path / "missing") == []
