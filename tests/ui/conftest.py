"""Helpers for Pilot tests: a session file in tmp_path and an app opened on it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from bmc_tui.app import AppConfig, BmcApp
from bmc_tui.codec import parse_toml
from bmc_tui.examples import load_example
from bmc_tui.model import Session
from bmc_tui.serve.hub import Hub
from bmc_tui.store import Store


def make_session(
    folder: Path, *, step: str = "social", example: str | None = None, title: str = "Test session"
) -> Path:
    """A session file in `folder`, blank or copied from a shipped example, at `step`."""
    store = Store(folder)
    handle = store.create(title, template=load_example(example) if example else None)
    store.close(handle)
    text = handle.path.read_text("utf-8")
    text = re.sub(r'(?m)^step = ".*"$', f'step = "{step}"', text)
    if "\nstep = " not in text:
        text = text.replace("\ntitle = ", f'\nstep = "{step}"\ntitle = ', 1)
    handle.path.write_text(text, "utf-8")
    return handle.path


def make_app(folder: Path, path: Path | None = None, **options: object) -> BmcApp:
    config = AppConfig(
        sessions_dir=folder,
        session_path=path,
        settings_file=folder.parent / "settings.toml",
        autosave_delay=0.05,
    )
    # Building steps ahead waits for a spare core (load.py): on a loaded test machine that
    # would make when it happens a matter of chance. Tests of that wait set their own.
    config.core_to_spare = lambda: True
    for key, value in options.items():
        setattr(config, key, value)
    return BmcApp(config)


def saved(path: Path) -> Session:
    return parse_toml(path.read_bytes())


def member_app(hub: Hub, sessions_dir: Path, person: str, team: str = "red") -> BmcApp:
    """A member's app on `team`'s session, admitted to the hub as `person`."""
    return make_app(
        sessions_dir,
        None,
        participant=True,
        team_socket=hub.socket_path,
        team_secret=hub.admit(team, person),
        settings_file=sessions_dir.parent / f"{person}-settings.toml",
    )


async def wait_for(
    pilot: Pilot[None],
    condition: Callable[[], object],
    timeout: float = 5.0,
    what: str = "condition",
) -> None:
    """Pause in small steps until `condition()` is truthy; fail after `timeout` seconds."""
    loops = int(timeout / 0.05)
    for _ in range(loops):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), f"timed out waiting for {what}"


async def wait_saved(
    pilot: Pilot[None], path: Path, check: Callable[[Session], object], timeout: float = 5.0
) -> Session:
    """Wait until the file on disk satisfies `check` (autosave is debounced)."""
    result: list[Session] = []

    def ok() -> bool:
        try:
            session = saved(path)
        except Exception:  # noqa: BLE001 - mid-replace reads are retried
            return False
        if check(session):
            result.append(session)
            return True
        return False

    await wait_for(pilot, ok, timeout, what=f"{path.name} to be saved")
    return result[-1]


@pytest.fixture
def session_factory(sessions_dir: Path) -> Callable[..., Path]:
    def factory(**kwargs: object) -> Path:
        return make_session(sessions_dir, **kwargs)  # type: ignore[arg-type]

    return factory


def queue_keys(app: BmcApp, *keys: str) -> None:
    """Keys that arrive together (a fast typist, a laggy link, a busy server): all queued
    before the app has handled any."""
    driver = app._driver
    assert driver is not None
    named = {"backspace": "\x7f", "enter": "\r", "tab": "\t"}
    for key in keys:
        event = events.Key(key, named.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        driver.send_message(event)
