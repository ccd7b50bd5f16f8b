"""The browser's Vega runtime: vendored files at the versions package-lock.json pins."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

from site_builder.runtime import VENDOR, runtime_bundle, runtime_code, runtime_packages

LOCK = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
PACKAGE = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
# No vega-lite: the build compiles every spec to Vega.
NAMES = ["vega", "vega-interpreter", "vega-embed"]


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_manifest_lists_the_runtime_in_load_order() -> None:
    assert [p.name for p in runtime_packages()] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_vendored_version_is_the_locked_one(name: str) -> None:
    (package,) = [p for p in runtime_packages() if p.name == name]
    # Pinned exactly in package.json, resolved to that version in the lock.
    assert PACKAGE["devDependencies"][name] == package.version
    assert LOCK[f"node_modules/{name}"]["version"] == package.version
    text = (VENDOR / package.file).read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == package.sha256, (
        f"{package.file} differs from what tools/vendor_runtime.py wrote"
    )
    # The file says which version it is: vega's `version`, the others' string literal or
    # (vega-interpreter, which has none) the header the tool writes.
    assert f'"{package.version}"' in text or text.startswith(f"/* {name} {package.version} ")
    assert (VENDOR / f"{name}.LICENSE.txt").is_file()


def test_vega_reports_the_locked_version() -> None:
    text = (VENDOR / "vega.js").read_text(encoding="utf-8")
    assert re.findall(r'\.version="([\d.]+)"', text) == [LOCK["node_modules/vega"]["version"]]


def test_runtime_has_the_security_fixes() -> None:
    """vega-functions 6.1.1 fixed CVE-2025-66648, vega-selections 6.1.2 CVE-2025-65110; vega's
    build holds the versions its release resolved, the ones in the lock."""
    assert version_key(LOCK["node_modules/vega-functions"]["version"]) >= (6, 1, 1)
    assert version_key(LOCK["node_modules/vega-selections"]["version"]) >= (6, 1, 2)
    assert version_key(LOCK["node_modules/vega"]["version"]) >= (6, 2, 0)


def test_the_browsers_vega_draws_the_specs_vl_convert_compiles() -> None:
    """The live view draws the Vega that vl-convert compiled: the browser's Vega must be of
    the same major version and no older."""
    import vl_convert as vlc

    browser = version_key(LOCK["node_modules/vega"]["version"])
    compiler = version_key(vlc.get_vega_version())
    assert browser[0] == compiler[0] and browser[:2] >= compiler[:2]


def test_runtime_has_no_vega_lite_compiler() -> None:
    code = runtime_code().decode("utf-8")
    assert "vega-lite" not in [p.name for p in runtime_packages()]
    assert not (VENDOR / "vega-lite.js").exists()
    assert "/*! vega-lite" not in code


def test_bundle_is_every_file_in_order_under_its_licence(tmp_path: Path) -> None:
    code = runtime_code().decode("utf-8")
    starts = [code.index(f"/*! {p.name} {p.version}\n") for p in runtime_packages()]
    assert starts == sorted(starts) and starts[0] == 0
    assert "sourceMappingURL" not in code
    assert code.count("Redistribution and use in source and binary forms") >= len(NAMES)
    # No eval-free runtime without the interpreter on `vega` before vega-embed reads it.
    assert (
        code.index("vega.expressionInterpreter = expression;") < starts[NAMES.index("vega-embed")]
    )
    path = runtime_bundle(tmp_path)
    assert path.name == f"vega.{hashlib.sha256(code.encode()).hexdigest()[:8]}.js"
    assert path.read_bytes() == code.encode()
    assert runtime_bundle(tmp_path) == path  # made once
    assert len(gzip.compress(code.encode(), 9)) < 210_000  # vl-convert's bundle: 305 KB
