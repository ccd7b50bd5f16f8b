"""A file's digest is read again when the file changed, and only then; the digests a build
kept are taken by the next one for files that did not change since, and only for files that
were settled when hashed (the file system's clock is coarse)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from site_builder import filedigests


def _next_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process starts: nothing known, nothing recalled."""
    monkeypatch.setattr(filedigests, "_known", {})
    monkeypatch.setattr(filedigests, "_used", set())
    monkeypatch.setattr(filedigests, "_recalled", set())
    monkeypatch.setattr(filedigests, "_kept", 0)


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    _next_process(monkeypatch)


def test_a_file_is_hashed_again_only_once_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filedigests, "_SETTLED_NS", 0)  # no wait for the clock's tick
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


def _stored(cache: Path) -> dict[str, list[object]]:
    return json.loads((cache / "file-digests.json").read_text())  # type: ignore[no-any-return]


def test_the_next_build_takes_the_kept_digest_of_a_file_not_changed_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filedigests, "_SETTLED_NS", 0)
    cache, path = tmp_path / "cache", tmp_path / "table.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    filedigests.recall(cache)  # none kept yet
    real = filedigests.file_digest(path)
    filedigests.keep(cache)
    stored = _stored(cache)
    assert stored[str(path)][4] == real
    # The next process: a digest it takes from the file, not from the table's bytes.
    stored[str(path)][4] = "kept"
    (cache / "file-digests.json").write_text(json.dumps(stored))
    _next_process(monkeypatch)
    filedigests.recall(cache)
    assert filedigests.file_digest(path) == "kept"
    # Changed since (same size): read again, and kept for the build after.
    time.sleep(0.02)
    path.write_text("a,b\n1,3\n", encoding="utf-8")
    _next_process(monkeypatch)
    filedigests.recall(cache)
    assert filedigests.file_digest(path) == hashlib.sha256(b"a,b\n1,3\n").hexdigest()
    filedigests.keep(cache)
    assert _stored(cache)[str(path)][4] == hashlib.sha256(b"a,b\n1,3\n").hexdigest()


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within the clock's tick of its hashing, a change would keep the file's stamp: such a
    digest is not trusted, in this process or the next."""
    cache, path = tmp_path / "cache", tmp_path / "table.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    filedigests.recall(cache)
    filedigests.file_digest(path)
    filedigests.keep(cache)
    stored = _stored(cache)
    stored[str(path)][4] = "kept"
    (cache / "file-digests.json").write_text(json.dumps(stored))
    _next_process(monkeypatch)
    filedigests.recall(cache)
    assert filedigests.file_digest(path) == hashlib.sha256(b"a,b\n1,2\n").hexdigest()


def test_a_damaged_or_foreign_digests_file_is_read_as_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, path = tmp_path / "cache", tmp_path / "table.csv"
    cache.mkdir()
    path.write_text("x\n", encoding="utf-8")
    wrong_types = json.dumps({str(path): [0, 2, 0, 0, 1, 10**19]})
    for damaged in ("{", "[1, 2]", json.dumps({str(path): [1, 2]}), wrong_types):
        (cache / "file-digests.json").write_text(damaged)
        _next_process(monkeypatch)
        filedigests.recall(cache)
        assert filedigests.file_digest(path) == hashlib.sha256(b"x\n").hexdigest()


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
