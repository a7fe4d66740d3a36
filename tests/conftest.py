"""Shared fixtures: every test gets its own sessions folder under tmp_path, never ./sessions."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def sessions_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir()
    monkeypatch.setenv("BMC_TUI_SESSIONS", str(folder))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # Theme preferences go to a tmp config folder, never the developer's own.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    # And crash logs to a tmp state folder: a test that crashes the app on purpose (or
    # by accident) must not leave logs in the developer's home.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return folder
