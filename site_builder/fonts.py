"""The renderer (vl-convert), with the fonts it lays text out in set up first.

vl-convert measures text with the system's font files, which it maps from disk again for
every character (about four times): a chart's labels cost far more than the rest of its
drawing. It also holds Liberation Sans in memory, the family the theme's text falls to on
Linux, but a system copy of that family is found first. So the renderer is given the
system's fonts, in the order it would read them, less the files of that family: the theme's
text is measured in memory, and any other family (CJK labels, a writer's own font, the
fallback for a symbol) comes from the system as before. Last comes a font of the tool's own
whose one glyph, a box an em wide, stands for every wide (CJK) character: where no installed
font has one, such labels are still laid out as wide as readers' browsers draw them.

Every process that draws sets this up before its first drawing (the renderer reads its
fonts once): the same chart comes out the same in a render process and in the build.
Standard library only, besides the renderer itself: render workers import this.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from xml.sax.saxutils import escape

# The renderer's own copies (regular, bold, italic, bold italic).
_IN_MEMORY = re.compile(r"^LiberationSans-(?:Regular|Bold|Italic|BoldItalic)\.ttf$", re.I)
_FONT_FILE = re.compile(r"\.(?:ttf|ttc|otf|otc)$", re.I)
# Written by tools/wide_font.py; alone in its folder, as the renderer registers folders.
WIDE_FALLBACK = Path(__file__).parent / "assets" / "fallback-font"

log = logging.getLogger("site_builder")
_lock = threading.Lock()
_ready = False


def renderer() -> ModuleType:
    """vl_convert, its fonts set up for this process."""
    global _ready
    import vl_convert as vlc

    with _lock:  # the serve process draws from more than one thread
        if not _ready:
            # Where FONTCONFIG_FILE is set, someone chose the fonts: they are kept.
            folder = None if "FONTCONFIG_FILE" in os.environ else font_folder(list(system_fonts()))
            _load(vlc, folder)
        _ready = True
    return vlc


def font_roots() -> list[Path]:
    """The system's font folders, as the renderer reads them (fontconfig's usual list)."""
    home = Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        data / "fonts",
        home / ".fonts",
    ]


def system_fonts(roots: list[Path] | None = None) -> Iterator[Path]:
    """The system's font files in the order the renderer reads them: each folder's entries
    as the file system lists them, a subfolder's fonts where it comes. The order decides
    which font draws a character the text's own font lacks."""

    seen: set[str] = set()  # a file or folder linked twice is read once

    def walk(folder: Path) -> Iterator[Path]:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            real = os.path.realpath(entry.path)
            if real in seen:
                continue
            seen.add(real)
            if entry.is_file() and _FONT_FILE.search(entry.name):
                yield Path(entry.path)
            elif entry.is_dir():
                yield from walk(Path(entry.path))

    for root in font_roots() if roots is None else roots:
        yield from walk(root)


def font_folder(fonts: list[Path]) -> Path | None:
    """A folder holding, in numbered subfolders, links to `fonts` but those the renderer
    has in memory, and a configuration that names no fonts; None when no system file
    shadows the renderer's own."""
    if not any(_IN_MEMORY.match(f.name) for f in fonts):
        return None
    kept = [f for f in fonts if not _IN_MEMORY.match(f.name)]
    digest = hashlib.sha256("\0".join(map(str, kept)).encode()).hexdigest()[:16]
    # Named by the list, per user: made once, shared by every build and render process.
    folder = Path(tempfile.gettempdir()) / f"site-builder-fonts-{os.getuid()}-{digest}"
    if not folder.is_dir():
        staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        (staging / "none").mkdir()
        for i, font in enumerate(kept):
            (staging / f"{i:04d}").mkdir()
            (staging / f"{i:04d}" / font.name).symlink_to(font)
        none = escape(str(folder / "none"))
        (staging / "fonts.conf").write_text(
            f"<?xml version='1.0'?>\n<fontconfig><dir>{none}</dir></fontconfig>\n",
            encoding="utf-8",
        )
        try:
            staging.rename(folder)
        except OSError:  # another process made it first
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def _load(vlc: ModuleType, folder: Path | None) -> None:
    """With a `folder`, have the renderer read no system fonts (it reads its font list once, at
    its first use, from the configuration FONTCONFIG_FILE names), then the linked ones, one by
    one in order; in any case, the wide fallback after them all."""
    subfolders = sorted(folder.glob("[0-9]*")) if folder is not None else []
    if folder is not None:
        os.environ["FONTCONFIG_FILE"] = str(folder / "fonts.conf")
    try:
        for sub in [*subfolders, WIDE_FALLBACK]:
            vlc.register_font_directory(str(sub))
    except ValueError as exc:  # it had drawn already: its fonts stay as they were
        log.debug("renderer fonts kept as they were: %s", exc)
    finally:
        if folder is not None:
            del os.environ["FONTCONFIG_FILE"]
