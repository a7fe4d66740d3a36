"""The README's two commands are the contract with a newcomer: keep CI running the same one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    head = text.split("---", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", head)


def test_readme_starts_with_an_install_and_a_test_command() -> None:
    install, test = readme_commands()[:2]
    assert "pip install -e ." in install and install.endswith("bmc-tui")
    assert "[test]" in test and "pytest" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert test_command in ci
