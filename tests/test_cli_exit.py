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


def test_output_and_exit_handlers_run_before_the_exit(tmp_path: Path) -> None:
    """What a command prints, and what runs at exit (the render pool's shutdown, logging),
    is not lost by skipping the teardown."""
    script = (
        "import atexit, sys\n"
        "from site_builder import cli\n"
        "atexit.register(lambda: print('handler ran', file=sys.stderr))\n"
        "sys.argv = ['site-builder', '--version']\n"
        "cli.run()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0
    assert "version" in done.stdout
    assert "handler ran" in done.stderr
