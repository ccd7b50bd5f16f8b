"""Files besides the pages (outputs.py): a preview rebuild does not wait for social cards."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest
from helpers import prepare, settings

from site_builder import outputs, pipeline
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


def test_a_card_is_named_by_what_it_is_drawn_from_without_drawing_it_again(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild names each page's card from a record of its inputs (the lead chart's title
    and render, or the page's title and summary): neither the chart's SVG is read nor the card
    laid out again; new inputs make a new card."""
    monkeypatch.setattr(outputs, "submit_if_running", lambda func, svg: None)
    project = pipeline.prepare_rendered(settings(mini))
    chart = next(iter(project.charts))
    cache = tmp_path / "cache"
    first = Outputs(project, "Site", "https://example.org/", cache, _link)
    heads = [first.page_head("A page", "a/", "Says.", [chart]), first.page_head("B", "b/", "", [])]
    first.write(tmp_path / "site", lambda chart_id, url: "")
    drawn: list[str] = []
    monkeypatch.setattr(outputs.publish, "card_svg", lambda *args: drawn.append("x") or "<svg/>")
    again = Outputs(project, "Site", "https://example.org/", cache, _link)
    assert again.page_head("A page", "a/", "Says.", [chart]) == heads[0]
    assert again.page_head("B", "b/", "", []) == heads[1]
    assert again.cards == first.cards and drawn == []
    again.page_head("B", "b/", "Says more.", [])  # another summary: another card
    assert drawn == ["x"]
