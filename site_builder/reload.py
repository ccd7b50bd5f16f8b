"""The live preview's reload of an open tab: the script each page served gets in place of
MkDocs' own (assets/reload.js), which swaps the page's content in after a rebuild, and the
digest of the stylesheets and scripts the pages load, so that the tab reloads whole when one
of those changed."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from .figures import CHART_DIR, DATA_DIR
from .outputs import CARD_DIR

SCRIPT = Path(__file__).parent / "assets" / "reload.js"
# Folders of the charts' own files, named by their content (thousands in a big project)
_OUTPUTS = {CHART_DIR, DATA_DIR, CARD_DIR}


class Shell:
    """What a preview's pages load besides their HTML: every stylesheet and script under the
    site's assets/ and the extra ones mkdocs.yml names, as one digest. Each file is read
    again only when its time or size changed."""

    def __init__(self, site_dir: Path, extra: list[str]) -> None:
        self.site_dir = site_dir
        self.extra = extra
        self.known: dict[str, tuple[int, int, bytes]] = {}  # path -> mtime, size, digest

    def digest(self) -> str:
        whole = hashlib.sha256()
        for path in self._files():
            try:
                st = os.stat(path)
                known = self.known.get(path)
                if known is None or known[:2] != (st.st_mtime_ns, st.st_size):
                    with open(path, "rb") as f:
                        known = (st.st_mtime_ns, st.st_size, hashlib.sha256(f.read()).digest())
                    self.known[path] = known
            except OSError:
                continue  # not in the site (a URL elsewhere), or gone
            whole.update(path.encode() + b"\0" + known[2])
        return whole.hexdigest()[:16]

    def _files(self) -> list[str]:
        found = [str(self.site_dir / name) for name in self.extra]
        for folder, subfolders, names in os.walk(self.site_dir / "assets"):
            here = Path(folder).relative_to(self.site_dir).as_posix()
            subfolders[:] = [d for d in subfolders if f"{here}/{d}" not in _OUTPUTS]
            found += [os.path.join(folder, n) for n in names if n.endswith((".css", ".js"))]
        return sorted(set(found))


def with_script(html: bytes, epoch: int, shell: str) -> bytes:
    """The page with the reload script before its body ends, as MkDocs puts its own."""
    script = (
        SCRIPT.read_text(encoding="utf-8")
        .replace("__EPOCH__", str(int(epoch)))
        .replace("__REQUEST__", str(round(time.monotonic() * 1000)))  # names the tab
        .replace("__SHELL__", shell)
    )
    tag = f'<script data-sb-shell="{shell}">{script}</script>'.encode()
    end = html.rfind(b"</body>")
    end = len(html) if end < 0 else end
    return html[:end] + tag + html[end:]
