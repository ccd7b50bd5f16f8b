"""The chart process (chartprocess.py): a job's result, log lines and used cache entries come
back to the build; a writer's problem is raised in the build; a process that dies leaves the
work to the build."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from site_builder import cache, chartprocess
from site_builder.errors import Problem, WriterError


def made_elsewhere(folder: str) -> tuple[int, bool]:
    logging.getLogger("site_builder").warning("made in %d", os.getpid())
    cache.mark_used(Path(folder), "an-entry")
    import sys

    return os.getpid(), "pandas" in sys.modules


def writers_mistake(path: str) -> None:
    raise WriterError(Problem(path, "a mistake", "mend it", 3, 2))


def test_a_job_comes_back_with_what_it_logged_and_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    chartprocess.start()
    assert chartprocess.started()
    with caplog.at_level(logging.WARNING, logger="site_builder"):
        done, result = chartprocess.run(made_elsewhere, str(tmp_path))
    assert done and result is not None
    pid, warmed = result
    assert pid != os.getpid()
    assert warmed  # the libraries were imported before the job came
    assert f"made in {pid}" in caplog.text
    assert "an-entry" in cache.used_names(tmp_path)
    assert not chartprocess.started()  # one job per process
    assert chartprocess.run(made_elsewhere, str(tmp_path)) == (False, None)


def test_a_writers_problem_in_the_job_is_raised_in_the_build() -> None:
    chartprocess.start()
    with pytest.raises(WriterError) as raised:
        chartprocess.run(writers_mistake, "data/a.csv")
    assert raised.value.report().startswith("data/a.csv:3:2: a mistake")


def test_a_process_that_dies_leaves_the_job_to_the_build() -> None:
    chartprocess.start()
    assert chartprocess.run(os._exit, 3) == (False, None)


def test_a_process_not_needed_is_ended() -> None:
    chartprocess.start()
    assert chartprocess.started()
    chartprocess.stop()
    assert not chartprocess.started()
    assert chartprocess.run(os._exit, 3) == (False, None)
