"""Typed tables kept between builds, named by the digest of their file and description.

A table is stored only once it has passed every check, and only when it stands alone (no
foreign keys), so a hit can skip reading, typing and checking it again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

import pandas as pd

# Bump when the loader's typing changes, so old entries are not reused.
VERSION = "1"


class TableCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def _file(self, digest: str) -> Path:
        salt = f"{VERSION}:{pd.__version__}:{digest}".encode()
        return self.folder / f"{hashlib.sha256(salt).hexdigest()}.pickle"

    def get(self, digest: str) -> tuple[list[Any], list[str], pd.DataFrame] | None:
        """(fields, primary key, frame) of a table seen before, or None."""
        try:
            with self._file(digest).open("rb") as f:
                return pickle.load(f)  # type: ignore[no-any-return]
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, digest: str, fields: list[Any], key: list[str], frame: pd.DataFrame) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._file(digest)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump((fields, key, frame), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
