"""WRITING.md is tested: its tutorial runs on a copy of the project, and its reference names
every command, option and parameter the tool has."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run_cli, share_cache

GUIDE = (ROOT / "WRITING.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def tutorial_steps() -> list[tuple[str, str, str]]:
    """(language, info, body) of each code block in the tutorial, in order."""
    tutorial = GUIDE.split("## Reference")[0]
    return [(m.group(1), m.group(2).strip(), m.group(3)) for m in FENCE.finditer(tutorial)]


@pytest.mark.slow  # a whole build
def test_the_tutorial_works(tmp_path: Path, render_cache: Path) -> None:
    """From `site-builder new story` to a built page, every step as the guide types it."""
    here, mistake = tmp_path, None
    for language, info, body in tutorial_steps():
        target = re.search(r'title="([^"]+)"', info)
        if target:
            path = here / target.group(1)
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            if "expect" in info.split():  # what a command wrote, shown in the guide
                assert body in text, f"{path} does not hold what the guide shows:\n{body}"
            elif "replace-todo" in info.split():  # the writer fills in what is marked TODO
                lines = text.splitlines(keepends=True)
                marked = [i for i, line in enumerate(lines) if "TODO" in line]
                lines[marked[0] : marked[-1] + 1] = [body]
                path.write_text("".join(lines), encoding="utf-8")
            elif "append" in info.split():
                path.write_text(text.rstrip("\n") + "\n" + body, encoding="utf-8")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(body, encoding="utf-8")
        elif language == "sh":
            for command in body.strip().splitlines():
                args = command.split()
                if args[0] == "cd":
                    here = here / args[1]
                    if not (here / ".cache").exists():
                        share_cache(here, render_cache)  # renders once per test session
                    continue
                assert args[0] == "site-builder", command
                result = run_cli(here, *args[1:])
                assert result.returncode == 0, (command, result.stderr)
                if args[1:3] == ["new", "chart"]:
                    assert "/// chart | hbm-share\n///" in result.stdout
        elif language == "text":
            mistake = body
    assert here != tmp_path, "the tutorial starts a story and works in it"
    page = BeautifulSoup((here / "site" / "memory" / "index.html").read_text(), "html.parser")
    figure = page.select_one("figure#hbm-share")
    assert figure is not None and figure.select_one("svg[role=img]") is not None
    assert page.select_one('[data-fact="sk-hynix-hbm"]').get_text() == "62%"

    # The last step: the mistake the guide shows gives exactly the message it shows.
    csv_file = here / "data" / "hbm_share.csv"
    csv_file.write_text(csv_file.read_text().replace("62", "6two"))
    result = run_cli(here, "check")
    assert result.returncode == 1
    assert mistake is not None and result.stderr == mistake


def _commands(group: click.Group, prefix: str) -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


def test_reference_names_every_command() -> None:
    from site_builder.cli import main

    commands = _commands(main, "site-builder")
    assert len(commands) >= 6
    missing = [c for c in commands if f"`{c}" not in GUIDE]
    assert missing == []


def test_reference_names_every_option_and_parameter() -> None:
    from site_builder import chart, fact
    from site_builder.config import SiteBuilderConfig

    names = [key for key, _ in SiteBuilderConfig._schema]
    names += [p for p in inspect.signature(chart).parameters]
    names += [p for p in inspect.signature(fact).parameters]
    names += ["dataset", "row", "column", "format", "expect", "allowEmpty", "missingValues"]
    missing = [n for n in names if f"`{n}`" not in GUIDE]
    assert missing == []
