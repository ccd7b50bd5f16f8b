"""The browser's Vega runtime: the vendored packages in assets/vega/, joined into one file.

Vega alone, without the Vega-Lite compiler: the build ships specs compiled to Vega.

The packages are copied from npm by tools/vendor_runtime.py at the versions pinned in
package-lock.json, and committed: building a site needs neither npm nor the network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .cache import write_atomic

VENDOR = Path(__file__).parent / "assets" / "vega"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    file: str  # in assets/vega/
    sha256: str


def runtime_packages() -> list[Package]:
    """The vendored packages, in the order the browser must run them."""
    entries = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
    return [Package(**entry) for entry in entries]


def runtime_code() -> bytes:
    """vega, vega-interpreter and vega-embed as one script, each under its licence.

    One file is one request (and one compression context) where four would be four."""
    parts = []
    for p in runtime_packages():
        licence = (VENDOR / f"{p.name}.LICENSE.txt").read_text(encoding="utf-8").strip()
        code = (VENDOR / p.file).read_text(encoding="utf-8")
        # `;` ends a file that does not end its last statement; /*! survives minifiers.
        parts.append(f"/*! {p.name} {p.version}\n{licence.replace('*/', '* /')}\n*/\n{code}\n;\n")
    return "".join(parts).encode("utf-8")


def runtime_bundle(cache_dir: Path) -> Path:
    """The runtime file, named by its content (`vega.<hash8>.js`), kept in the cache."""
    code = runtime_code()
    name = f"vega.{hashlib.sha256(code).hexdigest()[:8]}.js"
    path = cache_dir / "runtime" / name
    # Checked against what it must hold, so a damaged copy is written again, never published.
    if not path.is_file() or path.read_bytes() != code:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, code)
    return path
