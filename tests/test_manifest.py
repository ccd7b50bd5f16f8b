"""The manifest of the published site: a group of files made from the same inputs is linked
from the last site, without reading it, while each file is as that build wrote it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from site_builder.manifest import Manifest, key_of
from site_builder.sitedir import KEPT


def _published(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A site built with a manifest of one group, and the next build's staging folder."""
    cache, site, staging = tmp_path / "cache", tmp_path / "site", tmp_path / "staging"
    (site / "embed" / "a").mkdir(parents=True)
    (site / "embed" / "a" / "index.html").write_text("<p>a</p>")
    (site / "assets").mkdir()
    (site / "assets" / "a.svg").write_text("<svg/>")
    first = Manifest(cache, site, tmp_path / "first-staging")
    first.add("chart:a", key_of("a", 1), ["embed/a/index.html", "assets/a.svg"])
    first.save(site)
    staging.mkdir()
    return cache, site, staging


def test_a_group_made_from_the_same_inputs_is_linked(tmp_path: Path) -> None:
    cache, site, staging = _published(tmp_path)
    manifest = Manifest(cache, site, staging)
    assert manifest.link("chart:a", key_of("a", 1))
    for path in ("embed/a/index.html", "assets/a.svg"):
        assert os.stat(staging / path).st_ino == os.stat(site / path).st_ino
    # What it linked is in the next record, as it is.
    manifest.save(site)
    assert Manifest(cache, site, tmp_path / "next").link("chart:a", key_of("a", 1))


def test_new_inputs_or_an_unknown_group_link_nothing(tmp_path: Path) -> None:
    cache, site, staging = _published(tmp_path)
    manifest = Manifest(cache, site, staging)
    assert not manifest.link("chart:a", key_of("a", 2))
    assert not manifest.link("chart:b", key_of("a", 1))
    assert not any(staging.rglob("*"))


def test_a_file_changed_in_the_published_site_is_made_again(tmp_path: Path) -> None:
    cache, site, staging = _published(tmp_path)
    svg = site / "assets" / "a.svg"
    time.sleep(0.01)
    svg.write_text("<svg>")  # edited by hand: another size and time
    assert not Manifest(cache, site, staging).link("chart:a", key_of("a", 1))
    assert not any(staging.rglob("*"))  # nothing of the group linked
    # Replaced by a copy of the same bytes and time (another file): made again too.
    svg.unlink()
    svg.write_text("<svg/>")
    assert not Manifest(cache, site, staging).link("chart:a", key_of("a", 1))


@pytest.mark.parametrize("planted", ["file", "folder"])
def test_a_link_planted_in_the_published_site_is_not_followed(tmp_path: Path, planted: str) -> None:
    cache, site, staging = _published(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    if planted == "file":
        (outside / "a.svg").write_text("secret")
        (site / "assets" / "a.svg").unlink()
        (site / "assets" / "a.svg").symlink_to(outside / "a.svg")
    else:
        (site / "assets").rename(outside / "assets")
        (site / "assets").symlink_to(outside / "assets", target_is_directory=True)
    assert not Manifest(cache, site, staging).link("chart:a", key_of("a", 1))
    assert not any(staging.rglob("*"))


def test_a_record_of_another_site_or_a_file_not_written_is_not_trusted(tmp_path: Path) -> None:
    cache, site, staging = _published(tmp_path)
    other = tmp_path / "other"
    os.rename(site, other)
    assert not Manifest(cache, other, staging).link("chart:a", key_of("a", 1))
    os.rename(other, site)
    # A group whose file the build did not write after all is left out of the record.
    manifest = Manifest(cache, site, staging)
    manifest.add("chart:b", key_of("b"), ["assets/b.svg"])
    manifest.save(site)
    assert not Manifest(cache, site, staging).link("chart:b", key_of("b"))


def test_a_file_two_groups_share_is_linked_once(tmp_path: Path) -> None:
    """Another edition's group may name a file (named by its content) linked already."""
    cache, site, staging = _published(tmp_path)
    first = Manifest(cache, site, tmp_path / "s1")
    first.add("chart:a", key_of("a", 1), ["embed/a/index.html", "assets/a.svg"])
    first.add("zh/chart:a", key_of("a", 1), ["assets/a.svg"])
    first.save(site)
    manifest = Manifest(cache, site, staging)
    assert manifest.link("chart:a", key_of("a", 1))
    assert manifest.link("zh/chart:a", key_of("a", 1))
    # A file of that name that is not the published one is not taken for it.
    (staging / "assets" / "a.svg").unlink()
    (staging / "assets" / "a.svg").write_text("<svg/>")
    assert not manifest.link("zh/chart:a", key_of("a", 1))


def test_files_kept_from_the_replaced_site_are_used_only_if_published(tmp_path: Path) -> None:
    """The staging folder may hold the replaced site's chart folder (sitedir.KEPT): a file
    there that is the published file itself is used as it is; another (older, or edited) is
    replaced by a link to the published one; one about to be written is removed first (never
    written through); what no group claims goes before the swap."""
    cache, site, staging = _published(tmp_path)
    kept = staging / KEPT / "assets"
    kept.mkdir(parents=True)
    os.link(site / "assets" / "a.svg", kept / "a.svg")  # the published file
    (kept / "b.svg").write_text("old")  # made by the build before, not published now
    (kept / "c.svg").write_text("made")
    manifest = Manifest(cache, site, staging, kept=("assets",))
    assert manifest.link("chart:a", key_of("a", 1))
    assert os.stat(staging / "assets" / "a.svg").st_ino == os.stat(site / "assets" / "a.svg").st_ino
    assert not kept.exists()  # put in place as "assets"
    manifest.clear("assets/c.svg")
    assert not (staging / "assets" / "c.svg").exists()
    manifest.finish()
    assert sorted(p.name for p in (staging / "assets").iterdir()) == ["a.svg"]
    # An edited kept file is not taken for the published one.
    again = tmp_path / "again"
    (again / KEPT / "assets").mkdir(parents=True)
    (again / KEPT / "assets" / "a.svg").write_text("<svg/>")  # the same bytes, another file
    manifest = Manifest(cache, site, again, kept=("assets",))
    assert manifest.link("chart:a", key_of("a", 1))
    assert os.stat(again / "assets" / "a.svg").st_ino == os.stat(site / "assets" / "a.svg").st_ino


def test_a_kept_folder_no_group_claims_is_left_for_the_next_build(tmp_path: Path) -> None:
    cache, site, staging = _published(tmp_path)
    (staging / KEPT / "assets" / "charts").mkdir(parents=True)
    (staging / KEPT / "assets" / "charts" / "old.svg").write_text("old")
    manifest = Manifest(cache, site, staging, kept=("assets/charts",))
    assert not manifest.link("chart:a", key_of("a", 2))
    manifest.finish()
    assert not any(staging.iterdir())
    assert (tmp_path / f"{staging.name}-kept" / "assets" / "charts" / "old.svg").exists()


def test_kept_folders_hold_only_what_the_build_claims(tmp_path: Path) -> None:
    """Several folders may be kept, with folders inside (embed/<chart>/): a published file
    there is used as it is; a file planted, a file of a chart no longer built and the folder
    it leaves empty, and a folder where a file goes are removed; a kept folder never asked
    for goes with the staging folder's leftovers."""
    cache, site, staging = _published(tmp_path)
    kept = staging / KEPT
    (kept / "embed" / "a").mkdir(parents=True)
    os.link(site / "embed" / "a" / "index.html", kept / "embed" / "a" / "index.html")
    (kept / "embed" / "a" / "planted.html").write_text("planted")
    (kept / "embed" / "gone").mkdir()
    (kept / "embed" / "gone" / "index.html").write_text("a chart removed since")
    (kept / "embed" / "empty").mkdir()
    (kept / "assets" / "a.svg").mkdir(parents=True)  # a folder where a file goes
    (kept / "assets" / "a.svg" / "inside").write_text("x")
    (kept / "data").mkdir()
    (kept / "data" / "old.csv").write_text("old")
    manifest = Manifest(cache, site, staging, kept=("embed", "assets", "data"))
    assert manifest.link("chart:a", key_of("a", 1))
    manifest.finish()
    for path in ("embed/a/index.html", "assets/a.svg"):
        assert os.stat(staging / path).st_ino == os.stat(site / path).st_ino
    found = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*"))
    assert found == ["assets", "assets/a.svg", "embed", "embed/a", "embed/a/index.html"]
    # "data" was asked for by no path: with the leftovers (removed by the next build).
    leftover = tmp_path / f"{staging.name}-kept"
    assert (leftover / "data" / "old.csv").read_text() == "old"


def test_a_kept_file_where_a_folder_goes_is_removed(tmp_path: Path) -> None:
    """A file planted in the site where the build needs a folder (embed/a as a file), kept
    with its folder: removed when a path under it is linked or written, not a failed build."""
    cache, site, staging = _published(tmp_path)
    (staging / KEPT / "embed").mkdir(parents=True)
    (staging / KEPT / "embed" / "a").write_text("planted")
    manifest = Manifest(cache, site, staging, kept=("embed",))
    assert manifest.link("chart:a", key_of("a", 1))
    assert (
        os.stat(staging / "embed/a/index.html").st_ino
        == os.stat(site / "embed/a/index.html").st_ino
    )
    # The same when the group is made rather than linked: the way is clear to write.
    again = tmp_path / "again"
    (again / KEPT / "embed").mkdir(parents=True)
    (again / KEPT / "embed" / "a").write_text("planted")
    manifest = Manifest(cache, site, again, kept=("embed",))
    manifest.clear("embed/a/index.html")
    assert not (again / "embed" / "a").exists()
    (again / "embed" / "a").mkdir()  # as the build's writer does
