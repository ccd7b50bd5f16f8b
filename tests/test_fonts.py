"""The renderer's fonts: the theme's text measured with its in-memory Liberation Sans, every
other font from the system in the order it reads them, the same in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder import fonts, pool
from site_builder.render import _dumps, page_spec, render_one

ROOT = Path(__file__).resolve().parent.parent


def _fonts(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"")


def test_the_renderers_own_family_is_left_out_and_the_order_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "system"
    _fonts(
        root,
        [
            "truetype/liberation/LiberationSans-Regular.ttf",
            "truetype/liberation/LiberationSans-Bold.ttf",
            "truetype/liberation/LiberationSansNarrow-Regular.ttf",
            "truetype/dejavu/DejaVuSans.ttf",
            "opentype/noto/NotoSansCJK-Regular.ttc",
            "truetype/readme.txt",
        ],
    )
    found = list(fonts.system_fonts([root]))
    assert {f.name for f in found} == {
        "LiberationSans-Regular.ttf",
        "LiberationSans-Bold.ttf",
        "LiberationSansNarrow-Regular.ttf",
        "DejaVuSans.ttf",
        "NotoSansCJK-Regular.ttc",
    }
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    folder = fonts.font_folder(found)
    assert folder is not None and folder.parent == tmp_path / "tmp"
    linked = [next(sub.iterdir()) for sub in sorted(folder.glob("[0-9]*"))]
    kept = [f for f in found if not f.name.startswith("LiberationSans-")]
    assert [link.resolve() for link in linked] == [f.resolve() for f in kept]
    assert "<dir>" + str(folder / "none") + "</dir>" in (folder / "fonts.conf").read_text()
    assert list((folder / "none").iterdir()) == []
    # Made once: the same list gives the same folder, and no staging folder is left.
    assert fonts.font_folder(found) == folder
    assert [p.name for p in (tmp_path / "tmp").iterdir()] == [folder.name]


def test_nothing_is_set_up_when_no_system_file_shadows_the_renderers(tmp_path: Path) -> None:
    _fonts(tmp_path, ["DejaVuSans.ttf", "NotoSansCJK-Regular.ttc"])
    assert fonts.font_folder(list(fonts.system_fonts([tmp_path]))) is None


def _probe(env: dict[str, str], text: str = "Aug 2025 · H20 · MI308 ·····") -> dict[str, object]:
    """The width of `text` at 300 px, as a renderer set up in a process of its own draws it."""
    code = (
        "import json, os, re, sys\n"
        "from site_builder.fonts import renderer\n"
        "vlc = renderer()\n"
        "spec = {'width': 1, 'height': 1, 'autosize': 'pad', 'marks': [{'type': 'text',\n"
        " 'encode': {'enter': {'text': {'value': sys.argv[1]},\n"
        " 'font': {'value': 'Liberation Sans'}, 'fontSize': {'value': 300}}}}]}\n"
        "svg = vlc.vega_to_svg(spec)\n"
        "print(json.dumps({'width': re.search(r'width=\"([\\d.]+)\"', svg).group(1),\n"
        " 'env': os.environ.get('FONTCONFIG_FILE')}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, text],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@pytest.mark.skipif(
    not any(f.name == "LiberationSans-Regular.ttf" for f in fonts.system_fonts()),
    reason="no system Liberation Sans to shadow",
)
def test_the_theme_text_is_measured_with_the_in_memory_font(tmp_path: Path) -> None:
    """As wide as in a renderer that has no system fonts at all (its in-memory copy only),
    and the environment left as it was; a FONTCONFIG_FILE set by someone is kept."""
    (tmp_path / "none").mkdir()
    bare = tmp_path / "bare.conf"
    bare.write_text(f"<fontconfig><dir>{tmp_path / 'none'}</dir></fontconfig>")
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    set_up = _probe(env)
    assert set_up["env"] is None
    in_memory = _probe({**env, "FONTCONFIG_FILE": str(bare)})
    assert in_memory["env"] == str(bare)
    assert set_up["width"] == in_memory["width"]


def test_wide_characters_are_an_em_wide_where_no_installed_font_has_them(tmp_path: Path) -> None:
    """A renderer that reads no system font (so none has CJK glyphs) still lays Chinese text
    and fullwidth punctuation out an em per character, as browsers draw it, not at the width
    of a missing-glyph box."""
    (tmp_path / "none").mkdir()
    bare = tmp_path / "bare.conf"
    bare.write_text(f"<fontconfig><dir>{tmp_path / 'none'}</dir></fontconfig>")
    widths = [
        float(str(_probe({"FONTCONFIG_FILE": str(bare)}, text)["width"]))
        for text in ("稀土", "稀土精炼，中国")
    ]
    # Five more characters at 300 px: 1,500 px more (a missing-glyph box gives 1,125).
    assert widths[1] - widths[0] == pytest.approx(1500, abs=2)


def test_a_chart_comes_out_the_same_in_a_render_process(tmp_path: Path) -> None:
    """Latin, CJK and symbol labels: drawn in this process and in render processes alike."""
    import altair as alt
    import pandas as pd

    table = pd.DataFrame(
        {
            "country": ["China", "Malaysia", "稀土精炼 (中国)", "Vietnam ✓", "Australia ₹"],
            "share": [90, 4, 60, 2, 3],
        }
    )
    chart = alt.Chart(table).mark_bar().encode(y="country:N", x="share:Q").properties(width=420)

    class Built:
        spec = chart.to_dict()

    job = (_dumps(page_spec(Built())), "{}")  # type: ignore[arg-type]
    here = render_one(*job)
    assert not isinstance(here, str)
    try:
        pool.start_pool(workers=2)  # as a build starts them: warmed up with a drawing
        there = pool.in_pool(_render, [job, job], workers=2)
    finally:
        pool.shutdown_pool()
    assert there[0] == there[1] == (here[0], here[1])


def _render(job: tuple[str, str]) -> tuple[str, str]:
    outcome = render_one(*job)
    assert not isinstance(outcome, str)
    return outcome[0], outcome[1]
