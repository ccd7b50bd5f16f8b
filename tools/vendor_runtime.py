"""Copy the browser's Vega runtime from node_modules into site_builder/assets/vega/.

The versions are the ones pinned in package.json and package-lock.json; the copies are
committed, so that building a site never needs npm. After changing a pin:

    npm ci && .venv/bin/python tools/vendor_runtime.py

Writes one file per package, its licence, and manifest.json (name, version, file, sha256, in
the order the browser must run them).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).parent.parent
MODULES = ROOT / "node_modules"
OUT = ROOT / "site_builder" / "assets" / "vega"
# In load order: vega-embed reads the `vega` global and copies its names when it loads, so the
# interpreter must be on it by then. No vega-lite: the build compiles every spec to Vega (its
# pin in package.json only fixes the version npm installs as vega-embed's peer).
PACKAGES = [
    ("vega", "build/vega.min.js"),
    ("vega-interpreter", "build/vega-interpreter.js"),
    ("vega-embed", "build/vega-embed.min.js"),
]
_IMPORT = re.compile(r"^import \{([^}]*)\} from 'vega-util';\n", re.M)
_EXPORT = re.compile(r"^export \{ expression as expressionInterpreter \};\n", re.M)
# Source maps are not shipped: a link to one would only be a request that fails.
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*\n?", re.M)


def locked_versions() -> dict[str, str]:
    """Each runtime package's version in package-lock.json."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return {name: lock["packages"][f"node_modules/{name}"]["version"] for name, _ in PACKAGES}


def classic_interpreter(module: str, version: str) -> str:
    """vega-interpreter ships only as an ES module importing vega-util: the same code as a
    classic script that takes vega-util's functions from the `vega` global (which re-exports
    them) and puts `expressionInterpreter` on it, where vega-embed looks first."""
    names, found = _IMPORT.subn(lambda m: f"const {{{m.group(1)}}} = vega;\n", module)
    body, exported = _EXPORT.subn("vega.expressionInterpreter = expression;\n", names)
    if found != 1 or exported != 1:
        raise SystemExit("vega-interpreter: its import or export line changed; update this tool")
    head = f"/* vega-interpreter {version} (BSD-3-Clause) */\n"
    return f"{head}(function (vega) {{\n{body}}})(window.vega);\n"


def main() -> None:
    versions = locked_versions()
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, path in PACKAGES:
        package = MODULES / name
        installed = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        if installed != versions[name]:
            raise SystemExit(f"{name}: {installed} installed, {versions[name]} locked: run npm ci")
        text = _SOURCE_MAP.sub("", (package / path).read_text(encoding="utf-8"))
        if name == "vega-interpreter":
            text = classic_interpreter(text, installed)
        file = f"{name}.js"
        (OUT / file).write_text(text, encoding="utf-8")
        shutil.copyfile(package / "LICENSE", OUT / f"{name}.LICENSE.txt")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        manifest.append({"name": name, "version": installed, "file": file, "sha256": digest})
        print(f"{file}: {name} {installed}, {len(text.encode()):,} bytes")
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
