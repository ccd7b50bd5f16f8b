"""The program's exit: it skips the interpreter's teardown but keeps the status and output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.cli import exit_status


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (2, 2), (256 + 3, 3)])
def test_the_exit_status_is_the_interpreters(code: object, status: int) -> None:
    assert exit_status(code) == status


def test_a_message_as_exit_code_is_printed_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_status("no such thing") == 1
    assert "no such thing" in capsys.readouterr().err


def test_a_failed_command_keeps_its_status_and_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "site_builder", "build", "-f", "missing.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "missing.yml" in done.stderr


def test_unreadable_settings_are_said_at_their_line(tmp_path: Path) -> None:
    """MkDocs' own words named the file twice, with the parser's internals."""
    (tmp_path / "mkdocs.yml").write_text("site_name: A story\nnav: [index.md\n")
    done = subprocess.run(
        [sys.executable, "-m", "site_builder", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr == (
        "Error: mkdocs.yml:3:1: not valid YAML: expected ',' or ']', but got '<stream end>'\n"
        "  hint: fix mkdocs.yml: check its indentation, and quote values holding ':' or '#'\n"
    )


def test_no_settings_file_is_said_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "site_builder", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "'mkdocs.yml': No such file or directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_port_out_of_range_is_refused_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "site_builder", "serve", "-a", "127.0.0.1:70000"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "a port from 1 to 65535" in done.stderr and "Traceback" not in done.stderr


def test_output_and_exit_handlers_run_before_the_exit(tmp_path: Path) -> None:
    """What a command prints, and what runs at exit (the render pool's shutdown, logging),
    is not lost by skipping the teardown."""
    done = _version_after("atexit.register(lambda: print('handler ran', file=sys.stderr))\n")
    assert done.returncode == 0
    assert "version" in done.stdout
    assert "handler ran" in done.stderr


def test_output_that_cannot_be_written_at_the_exit_fails_without_a_traceback() -> None:
    """The last flush fails (a full disk, a closed pipe): the interpreter's status, 120."""
    done = _version_after(
        "class Full(io.StringIO):\n"
        "    broken = False\n"
        "    def flush(self):\n"
        "        if self.broken:\n"
        "            raise OSError(28, 'No space left on device')\n"
        "sys.stdout = Full()\n"
        "atexit.register(lambda: setattr(sys.stdout, 'broken', True))\n"
    )
    assert done.returncode == 120
    assert "Traceback" not in done.stderr


def test_a_thread_still_running_is_joined_before_the_exit(tmp_path: Path) -> None:
    """A thread that is not a daemon ends its work (as a background sweep of the cache does)."""
    mark = tmp_path / "done"
    done = _version_after(
        f"threading.Thread(target=lambda: (time.sleep(0.3), open({str(mark)!r}, 'w'))).start()\n"
    )
    assert done.returncode == 0, done.stderr
    assert mark.exists()


def _version_after(prelude: str) -> subprocess.CompletedProcess[str]:
    """`site-builder --version` through `cli.run`, in a process that first runs `prelude`."""
    script = (
        "import atexit, io, sys, threading, time\n"
        "from site_builder import cli\n"
        f"{prelude}"
        "sys.argv = ['site-builder', '--version']\n"
        "cli.run()\n"
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
