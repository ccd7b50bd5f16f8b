"""Files besides the pages (outputs.py): a preview rebuild does not wait for social cards."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest
from helpers import prepare

from site_builder import outputs
from site_builder.cache import read_entry
from site_builder.outputs import Outputs


def _link(target: str, page: str) -> str:
    return target


@pytest.mark.parametrize("later", [False, True], ids=["build", "preview"])
def test_a_card_still_drawing_is_written_when_drawn_in_a_preview(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, later: bool
) -> None:
    drawing: Future[bytes] = Future()
    monkeypatch.setattr(outputs, "submit_if_running", lambda func, svg: drawing)
    if not later:  # a build waits for its cards
        drawing.set_result(b"card")
    cache = tmp_path / "cache"
    out = Outputs(prepare(mini), "Site", "https://example.org/", cache, _link, cards_later=later)
    out.page_head("A page", "a/", "What it says.", [])
    (card,) = out.cards
    site = tmp_path / "site"
    out.write(site, lambda chart_id, url: "")
    assert (site / card).exists() is not later
    assert (site / "embed").is_dir()  # the rest is written at once
    if later:
        drawing.set_result(b"card")
    assert (site / card).read_bytes() == b"card"
    assert read_entry(cache / "cards", out.cards[card], [".png"]) == {".png": b"card"}
