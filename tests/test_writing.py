"""WRITING.md is tested: its tutorial runs on a copy of the project, and its reference names
every command, option and parameter the tool has."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click
from bs4 import BeautifulSoup
from conftest import ROOT, run_cli

GUIDE = (ROOT / "WRITING.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def tutorial_steps() -> list[tuple[str, str, str]]:
    """(language, info, body) of each code block in the tutorial, in order."""
    tutorial = GUIDE.split("## Reference")[0]
    return [(m.group(1), m.group(2).strip(), m.group(3)) for m in FENCE.finditer(tutorial)]


def test_the_tutorial_works(story: Path) -> None:
    mistake = None
    for language, info, body in tutorial_steps():
        target = re.search(r'title="([^"]+)"', info)
        if target:
            path = story / target.group(1)
            if "append" in info:
                path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + body)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(body, encoding="utf-8")
        elif language == "sh":
            for command in body.strip().splitlines():
                args = command.split()
                assert args[0] == "site-builder", command
                result = run_cli(story, *args[1:])
                assert result.returncode == 0, (command, result.stderr)
                if args[1] == "new":
                    assert "/// chart | hbm-share\n///" in result.stdout
        elif language == "text":
            mistake = body
    page = BeautifulSoup((story / "site" / "memory" / "index.html").read_text(), "html.parser")
    figure = page.select_one("figure#hbm-share")
    assert figure is not None and figure.select_one("svg[role=img]") is not None
    assert page.select_one('[data-fact="sk-hynix-hbm"]').get_text() == "62%"

    # Step 7: the mistake the guide shows gives exactly the message it shows.
    csv_file = story / "data" / "hbm_share.csv"
    csv_file.write_text(csv_file.read_text().replace("62", "6two"))
    result = run_cli(story, "check")
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
