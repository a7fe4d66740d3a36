"""The dashboard's room report key and the archive (with its confirmation and restore)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable

from bmc_tui.archive import archive_session, archived, restore_session
from bmc_tui.examples import load_example
from bmc_tui.screens.confirm import ConfirmScreen
from bmc_tui.serve.dashboard.app import DashboardApp
from bmc_tui.serve.dashboard.screens.archive import ArchiveScreen
from bmc_tui.serve.dashboard.screens.room import RoomScreen
from bmc_tui.serve.status import Connection, write_status
from bmc_tui.store import Store, StoreError

from .helpers import until


def _room(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    store.close(store.create("Ana", "ana", template=load_example("platform")))
    store.close(store.create("Bo", "bo"))


def _rows(app: DashboardApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(key.value) for key in table.rows]


def _messages(app: DashboardApp) -> str:
    return "\n".join(n.message for n in app._notifications)


async def test_archive_asks_first_then_moves_the_session_aside(sessions_dir: Path) -> None:
    _room(sessions_dir)
    original = (sessions_dir / "ana.toml").read_bytes()
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert _rows(app) == ["ana", "bo"]
        await pilot.press("d")
        await until(lambda: isinstance(app.screen, ConfirmScreen), 3, "the question")
        await pilot.press("escape")  # changed their mind: nothing moves
        await until(lambda: isinstance(app.screen, RoomScreen), 3, "the room")
        assert (sessions_dir / "ana.toml").exists()
        await pilot.press("d")
        await until(lambda: isinstance(app.screen, ConfirmScreen), 3, "the question")
        await pilot.press("y")
        await until(lambda: _rows(app) == ["bo"], 3, "ana leaving the room")
        assert not (sessions_dir / "ana.toml").exists()
        assert (sessions_dir / "archive" / "ana.toml").read_bytes() == original

        await pilot.press("u")
        await until(lambda: isinstance(app.screen, ArchiveScreen), 3, "the archive")
        assert _rows(app) == ["ana.toml"]
        await pilot.press("u")
        await until(lambda: (sessions_dir / "ana.toml").exists(), 3, "ana restored")
        assert (sessions_dir / "ana.toml").read_bytes() == original
        assert not (sessions_dir / "archive" / "ana.toml").exists()
        await pilot.press("escape")
        await until(lambda: _rows(app) == ["ana", "bo"], 3, "ana back in the room")


async def test_a_connected_participant_is_not_archived(sessions_dir: Path) -> None:
    _room(sessions_dir)
    now = datetime.now(UTC)
    write_status(sessions_dir, [Connection("ana", now, now)])
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        assert "is connected" in _messages(app)
    assert (sessions_dir / "ana.toml").exists()
    assert not (sessions_dir / "archive").exists()


async def test_room_report_key_writes_the_page_and_says_how_to_fetch_it(
    sessions_dir: Path,
) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir, take_home="ssh -p 2222 facilitator@192.0.2.7")
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        reports = sessions_dir / "reports"
        await until(lambda: reports.is_dir() and list(reports.glob("room-*.html")), 10, "report")
        page = next(reports.glob("room-*.html")).read_text("utf-8")
        assert "Room report" in page and "Ana" in page and "Bo" in page
        await until(lambda: "export --room --format html" in _messages(app), 5, "the hint")
        assert "ssh -p 2222 facilitator@192.0.2.7 export --room" in _messages(app)
        assert _rows(app) == ["ana", "bo"]  # the report is no session


def test_archiving_never_replaces_a_file(sessions_dir: Path) -> None:
    _room(sessions_dir)
    first = archive_session(sessions_dir, "bo")
    Store(sessions_dir).close(Store(sessions_dir).create("Bo again", "bo"))
    second = archive_session(sessions_dir, "bo")  # a second "bo": both kept
    assert first.name == "bo.toml" and second.name == "bo.2.toml"
    assert {x.path.name for x in archived(sessions_dir)} == {"bo.toml", "bo.2.toml"}
    restore_session(sessions_dir, second)
    with pytest.raises(StoreError, match="in the room now"):
        restore_session(sessions_dir, first)  # would replace the restored one
    assert first.exists()
    with pytest.raises(StoreError):
        archive_session(sessions_dir, "../ana")
