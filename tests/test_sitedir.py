"""One build at a time per folder, a site that is always whole, render processes that end
with their build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BIN, run_cli

from site_builder.sitedir import Busy, SiteLock, new_staging, reuse, swap_in


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's bookkeeping is left


def test_swap_never_leaves_the_site_missing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old")
    staging = tmp_path / ".site.staging-1"
    staging.mkdir()
    (staging / "index.html").write_text("new")
    swap_in(staging, site)
    assert (site / "index.html").read_text() == "new"
    # The old site waits beside it for the next build, which removes it as it works.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.replaced-1", "site"]
    assert (tmp_path / ".site.replaced-1" / "index.html").read_text() == "old"
    (tmp_path / ".site.staging-2").mkdir()  # left by a killed build
    next_staging, sweep = new_staging(site)
    sweep.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == [next_staging.name, "site"]


def _an_old_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    for i in range(20):
        (tmp_path / ".site.replaced-1" / f"page{i}").mkdir(parents=True)
        (tmp_path / ".site.replaced-1" / f"page{i}" / "index.html").write_text("old")
    return site


def test_the_old_site_is_removed_by_a_process_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walking thousands of files in a thread of the build would take the interpreter from
    it for tenths of a second: the sweep leaves none to this process."""
    walked: list[Path] = []
    monkeypatch.setattr("site_builder.sitedir.shutil.rmtree", lambda p, **_: walked.append(p))
    staging, sweep = new_staging(_an_old_site(tmp_path))
    sweep.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == [staging.name, "site"]
    assert walked == []


def test_without_rm_the_old_site_is_removed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("site_builder.sitedir.shutil.which", lambda _: None)
    staging, sweep = new_staging(_an_old_site(tmp_path))
    sweep.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == [staging.name, "site"]


def _opened(pid: int, path: Path) -> bool:
    """Has the process `pid` the file open (from /proc)?"""
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def test_an_unchanged_file_is_linked_into_the_new_site_a_changed_one_is_not(
    tmp_path: Path,
) -> None:
    published, staging = tmp_path / "site", tmp_path / "staging"
    (published / "assets" / "charts").mkdir(parents=True)
    (published / "assets" / "charts" / "a.svg").write_bytes(b"<svg/>")
    staging.mkdir()
    assert reuse(published, staging, "assets/charts/a.svg", b"<svg/>")
    linked = staging / "assets" / "charts" / "a.svg"
    assert linked.read_bytes() == b"<svg/>"
    assert os.stat(linked).st_ino == os.stat(published / "assets" / "charts" / "a.svg").st_ino
    assert not reuse(published, staging, "assets/charts/a.svg", b"<svg></svg>")  # same name, new
    assert not reuse(published, staging, "assets/charts/b.svg", b"<svg/>")  # not published


def test_a_link_planted_in_the_published_site_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_bytes(b"secret")
    published, staging = tmp_path / "site", tmp_path / "staging"
    published.mkdir()
    staging.mkdir()
    (published / "robots.txt").symlink_to(secret)  # the same bytes: only the link tells
    (published / "assets").symlink_to(secret.parent, target_is_directory=True)
    assert not reuse(published, staging, "robots.txt", b"secret")
    assert not reuse(published, staging, "assets/secret.txt", b"secret")
    assert not any(staging.rglob("*"))


@pytest.mark.slow  # a whole build
def test_two_builds_at_once_leave_one_whole_site(mini: Path) -> None:
    first = run_cli(mini, "build")
    assert first.returncode == 0, first.stderr
    files = sorted(p.relative_to(mini / "site") for p in (mini / "site").rglob("*"))
    # Both builds find the project busy, so they run at the same time whatever their speed;
    # then one waits for the other.
    lock_file = (mini / ".cache" / "site-builder" / "build.lock").resolve()
    lock = SiteLock(lock_file)
    lock.acquire(wait=0)
    builds = [
        subprocess.Popen(
            [str(BIN / "site-builder"), "build"],
            cwd=mini,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 120
    while not all(_opened(b.pid, lock_file) for b in builds) and time.monotonic() < deadline:
        time.sleep(0.05)
    lock.release()
    gaps = 0
    while any(b.poll() is None for b in builds):
        gaps += not (mini / "site" / "index.html").is_file()
        time.sleep(0.005)
    outputs = [b.communicate() for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    assert gaps == 0, "a moment without a site"
    assert all("is running in this project: waiting up to" in err for _, err in outputs)
    assert sorted(p.relative_to(mini / "site") for p in (mini / "site").rglob("*")) == files
    assert not list(mini.glob(".site.staging*"))


def test_a_wait_for_the_lock_is_said_as_it_starts(tmp_path: Path) -> None:
    """A build waiting for a preview said nothing for two minutes, then failed."""
    held = SiteLock(tmp_path / "build.lock")
    held.acquire(wait=0)
    told: list[str] = []
    with pytest.raises(Busy):
        SiteLock(tmp_path / "build.lock").acquire(wait=1, tell=told.append)
    assert told == [
        f"another build or preview (process {os.getpid()}) is running in this project: "
        "waiting up to 1 s for it to finish"
    ]
    held.release()


@pytest.mark.slow  # a whole build
def test_a_busy_folder_stops_the_second_build_with_a_message(mini: Path) -> None:
    lock = SiteLock((mini / ".cache" / "site-builder" / "build.lock").resolve())
    lock.acquire(wait=0)
    try:
        result = run_cli(mini, "build", env={"SITE_BUILDER_LOCK_WAIT": "0.5"})
    finally:
        lock.release()
    assert result.returncode == 1
    assert (
        f"another build or preview (process {os.getpid()}) is running in this project; wait "
        "for it to finish or stop it, then build again"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli(mini, "build").returncode == 0  # free again


WORKERS = """
import sys, threading, time
from site_builder import pool
threading.Thread(target=pool.in_pool, args=(time.sleep, [60, 60], 2), daemon=True).start()
while pool._pool is None or len(pool._pool._processes) < 2:
    time.sleep(0.05)
from multiprocessing import resource_tracker
print(*pool._pool._processes, resource_tracker._resource_tracker._pid or 0, flush=True)
time.sleep(60)
"""


def test_render_processes_end_with_a_killed_build() -> None:
    build = subprocess.Popen([sys.executable, "-c", WORKERS], stdout=subprocess.PIPE, text=True)
    assert build.stdout is not None
    pids = [int(p) for p in build.stdout.readline().split() if p != "0"]
    assert len(pids) >= 2 and all(_alive(p) for p in pids)
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in pids if _alive(p)] == []


def test_a_new_staging_folder_keeps_the_replaced_sites_folders(tmp_path: Path) -> None:
    """The folders asked for are moved whole from the site the last build replaced into the new
    staging folder (hidden), not removed; the rest of that site is removed as before."""
    site = tmp_path / "site"
    (site / "assets" / "charts").mkdir(parents=True)
    replaced = tmp_path / ".site.replaced-1"
    (replaced / "assets" / "charts").mkdir(parents=True)
    (replaced / "assets" / "charts" / "a.svg").write_text("<svg/>")
    (replaced / "embed" / "a").mkdir(parents=True)
    (replaced / "embed" / "a" / "index.html").write_text("<p>a</p>")
    (replaced / "index.html").write_text("old")
    staging, sweep = new_staging(site, keep=("assets/charts", "embed", "assets/data"))
    sweep.join()
    assert (staging / ".kept" / "assets" / "charts" / "a.svg").read_text() == "<svg/>"
    assert (staging / ".kept" / "embed" / "a" / "index.html").read_text() == "<p>a</p>"
    assert not (staging / ".kept" / "assets" / "data").exists()  # none in that site
    assert sorted(p.name for p in tmp_path.iterdir()) == [staging.name, "site"]


def test_a_link_planted_in_the_replaced_site_is_not_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    outside = tmp_path / "outside" / "charts"
    outside.mkdir(parents=True)
    (outside / "a.svg").write_text("secret")
    replaced = tmp_path / ".site.replaced-1"
    replaced.mkdir()
    (replaced / "assets").symlink_to(outside.parent, target_is_directory=True)
    staging, sweep = new_staging(site, keep=("assets/charts",))
    sweep.join()
    assert not (staging / ".kept").exists()
    assert (outside / "a.svg").read_text() == "secret"
