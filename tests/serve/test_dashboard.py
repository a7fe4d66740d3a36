"""The facilitator's dashboard app, driven headless."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from bmc_tui.model import Item
from bmc_tui.room import read_room
from bmc_tui.serve.dashboard.app import DashboardApp
from bmc_tui.serve.dashboard.screens.keys import KeysScreen
from bmc_tui.serve.dashboard.screens.room import RoomScreen
from bmc_tui.serve.dashboard.screens.session import SessionScreen
from bmc_tui.serve.dashboard.screens.timebox import TimeboxScreen
from bmc_tui.serve.status import Connection, write_status
from bmc_tui.store import Store
from bmc_tui.widgets.canvas_view import CanvasCell

from .helpers import until


def _room(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    for name in ("Ana", "Bob"):
        handle = store.create(name)
        if name == "Ana":
            handle.session.canvas.customer_segments.append(Item("cs-1", "Ferry commuters"))
            store.save(handle)
        store.close(handle)


def _text(app: DashboardApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_the_room_lists_everyone_and_follows_connections(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert "0 connected" in _text(app, "#room-count")
        now = datetime.now(UTC)
        write_status(sessions_dir, [Connection("bob", now, now)])
        await until(lambda: "1 connected" in _text(app, "#room-count"), 3, "bob online")


async def test_timebox_and_announcement_reach_the_room_file(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        room = read_room(sessions_dir)
        assert room.timebox_ends is not None
        left = room.timebox_ends - datetime.now(UTC)
        assert timedelta(minutes=9) < left <= timedelta(minutes=10)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Break at 11")
        await pilot.press("enter")
        await pilot.pause()
        assert read_room(sessions_dir).announcement == "Break at 11"
        assert read_room(sessions_dir).timebox_ends == room.timebox_ends
        assert "Break at 11" in _text(app, "#room-state")
        await pilot.press("x")
        await pilot.pause()
        assert read_room(sessions_dir).timebox_ends is None


async def test_a_session_opens_read_only(sessions_dir: Path) -> None:
    _room(sessions_dir)
    before = (sessions_dir / "ana.toml").read_bytes()
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        cells = " ".join(str(cell.render()) for cell in app.screen.query(CanvasCell))
        assert "Ferry commuters" in cells
        assert "Ana" in _text(app, "#session-view")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
    assert (sessions_dir / "ana.toml").read_bytes() == before


async def test_bad_and_hostile_files_do_not_stop_or_leak_into_the_room(sessions_dir: Path) -> None:
    import os

    store = Store(sessions_dir)
    handle = store.create("Ana")
    handle.session.title = "\x1b]52;c;SGVsbG8=\x07\u202eAna\u200b\x9b2J"
    store.save(handle)
    store.close(handle)
    (sessions_dir / "huge.toml").write_text(
        (sessions_dir / "ana.toml").read_text("utf-8").replace('id = "ana"', 'id = "huge"')
        + f"\nx = {'9' * 5000}\n",
        "utf-8",
    )
    os.mkfifo(sessions_dir / "pipe.toml")
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        table = app.screen.query_one(DataTable)
        await until(lambda: table.row_count == 3, 10, "three rows")
        cells = {
            str(table.get_row(key)[0]): str(table.get_row(key)[1])
            for key in ("ana", "huge", "pipe")
        }
    assert cells["○ Ana"] != "unreadable"  # the title, cleaned for display
    assert cells["○ huge"] == cells["○ pipe"] == "unreadable"


def _order(app: DashboardApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(key.value) for key in table.rows]


async def test_rows_never_move_under_the_cursor(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    for name in ("Ana", "Cy"):
        store.close(store.create(name))
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        assert _order(app) == ["ana", "cy"]
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 1
        store.close(store.create("Bob"))  # sorts between them, arrives last
        await until(lambda: len(_order(app)) == 3, 5, "bob's row")
        assert _order(app) == ["ana", "cy", "bob"]
        assert table.cursor_row == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert "Cy" in _text(app, "#session-view")


async def test_keys_typed_in_a_dialog_stay_in_the_dialog(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        # Enter twice, fast (a double press, a key repeat): both typed while the dialog is up.
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        assert read_room(sessions_dir).timebox_ends is not None
        assert isinstance(app.screen, RoomScreen)
        # An Enter typed while the dialog was up but handled after it closed is dropped.
        await pilot.press("t")
        await pilot.pause()
        typed_meanwhile = events.Key("enter", "\r")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        app.post_message(typed_meanwhile)
        await pilot.pause()
        assert isinstance(app.screen, RoomScreen)
        # A key typed after the dialog closed is the room's again.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_a_double_enter_in_the_summon_dialog_summons_once_and_stays_in_the_room(
    sessions_dir: Path,
) -> None:
    from bmc_tui.serve.dashboard.screens.summon import SummonScreen

    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await until(lambda: isinstance(app.screen, SummonScreen), 3, "the dialog")
        # Enter twice, fast: both reach the dialog's step list before it has closed.
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        summon = read_room(sessions_dir).summon
        assert summon is not None and summon.step == "canvas"
        # Closed once: the room is still there (a second close would have taken it away).
        assert isinstance(app.screen, RoomScreen)
        assert len(app.screen_stack) == 2
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_the_announcement_dialog_opens_empty(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a", *"Break at 11", "enter")
        await pilot.pause()
        assert read_room(sessions_dir).announcement == "Break at 11"
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one(Input).value == ""
        await pilot.press("escape")
        await pilot.pause()
        assert read_room(sessions_dir).announcement == "Break at 11"


async def test_a_paste_into_an_announcement_is_cleaned_one_line_and_sent_by_enter_only(
    sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The dashboard ran on Textual's own driver and took pastes as they came: escape codes
    # showed ("^[31mred"), the text came out of order, and a line end in a paste sent the
    # announcement to every screen without Enter.
    from textual.drivers.linux_driver import LinuxDriver

    from bmc_tui.driver import QuietLinuxDriver

    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr(App, "get_driver_class", lambda self: LinuxDriver)
    assert app.get_driver_class() is QuietLinuxDriver  # its parser keeps pastes whole
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        field = app.screen.query_one(Input)
        app.post_message(events.Paste("Plain \x1b[31mred\x1b[0m end\nLine two\n"))
        await until(lambda: field.value == "Plain red end")
        notes = [str(n.message) for n in app._notifications]
        assert any("2 lines" in n for n in notes), notes
        assert read_room(sessions_dir).announcement in (None, "")
        await pilot.press("enter")
        await until(lambda: read_room(sessions_dir).announcement == "Plain red end")


async def test_f1_lists_every_key_of_the_screen_and_the_app(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        for screen_class in (RoomScreen, TimeboxScreen):
            if screen_class is TimeboxScreen:
                await pilot.press("t")
                await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, KeysScreen)
            listed = str(app.screen.query_one("#keys-list", Static).render())
            below = app.screen_stack[-2]
            for binding in [*screen_class.BINDINGS, *DashboardApp.BINDINGS]:
                assert isinstance(binding, Binding)
                if below.check_action(binding.action, ()) is False:
                    # Forming teams needs the server's hub; without it the keys do nothing
                    # and are not offered.
                    assert binding.action in ("new_team", "rename_team", "move_person")
                    assert binding.description not in listed, binding
                else:
                    assert binding.description in listed, binding
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, screen_class)


async def test_teams_are_rows_with_who_is_connected_and_missing_people_are_listed(
    sessions_dir: Path,
) -> None:
    from bmc_tui.serve.roster import Roster
    from bmc_tui.serve.teams import Teams

    store = Store(sessions_dir)
    store.close(store.create("Team Red", "team-red"))
    store.close(store.create("Cy", "cy"))
    teams = Teams(people=["ana", "bo", "cy", "dee"])
    red = teams.create("Red")
    teams.assign("ana", red)
    teams.assign("bo", red)
    teams.save(sessions_dir)
    now = datetime.now(UTC)
    write_status(sessions_dir, [Connection("ana", now, now), Connection("cy", now, now)])
    rows = {row.session_id: row for row in Roster(sessions_dir).rows()}
    team = rows["team-red"]
    assert team.title == "Team Red" and team.members == ("ana", "bo") and team.online == 1
    assert team.connected
    assert rows["cy"].connected and not rows["cy"].expected
    # Bo and Dee are expected and not here; Ana is here (in her team, with no own session).
    assert rows["bo"].expected and rows["dee"].expected
    assert "ana" not in rows
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert any("Team Red 1/2" in n for n in names)
        assert any("dee (not here)" in n for n in names)


async def test_the_count_of_people_connected_includes_team_members(sessions_dir: Path) -> None:
    from bmc_tui.serve.teams import Teams

    store = Store(sessions_dir)
    store.close(store.create("Team Red", "team-red"))
    store.close(store.create("Eve", "eve"))
    teams = Teams()
    red = teams.create("Red")
    for name in ("ana", "bo", "cy"):
        teams.assign(name, red)
    teams.save(sessions_dir)
    now = datetime.now(UTC)
    write_status(sessions_dir, [Connection(n, now, now) for n in ("eve", "ana", "bo", "cy")])
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)):
        await until(lambda: "4 connected · 2 sessions" in _text(app, "#room-count"), 3, "4")


async def test_a_team_row_shows_the_steps_its_connected_members_are_on(
    sessions_dir: Path,
) -> None:
    from bmc_tui.serve.teams import Teams

    store = Store(sessions_dir)
    for title, session_id in (("Team Red", "team-red"), ("Team Blue", "team-blue")):
        store.close(store.create(title, session_id))  # their files say "social"
    teams = Teams()
    red, blue = teams.create("Red"), teams.create("Blue")
    for name, team in (("ana", red), ("bo", red), ("cy", red), ("dee", blue)):
        teams.assign(name, team)
    teams.save(sessions_dir)
    now = datetime.now(UTC)
    write_status(
        sessions_dir,
        [
            Connection("ana", now, now, "plan"),
            Connection("bo", now, now, "canvas"),
            Connection("cy", now, now, "plan"),
        ],
    )
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        await until(lambda: str(table.get_row("team-red")[1]) == "Can/Pln", 3, "two steps")
        assert str(table.get_row("team-blue")[1]) == "-"  # nobody there: nobody's step
        write_status(
            sessions_dir,
            [Connection("ana", now, now, "fitness"), Connection("dee", now, now, "strategy")],
        )
        await until(lambda: str(table.get_row("team-red")[1]) == "fitness", 3, "one step")
        assert str(table.get_row("team-blue")[1]) == "strategy"


def test_the_status_file_keeps_each_team_members_step(sessions_dir: Path) -> None:
    from bmc_tui.serve.status import read_status

    now = datetime.now(UTC).replace(microsecond=0)
    write_status(sessions_dir, [Connection("ana", now, now, "plan"), Connection("eve", now, now)])
    assert read_status(sessions_dir).connections == (
        Connection("ana", now, now, "plan"),
        Connection("eve", now, now, None),
    )


async def test_a_long_team_name_is_cut_with_an_ellipsis_and_its_count_stays(
    sessions_dir: Path,
) -> None:
    from bmc_tui.serve.dashboard.screens.room import NAME_WIDTH
    from bmc_tui.serve.teams import Teams

    teams = Teams()
    crimson = teams.create("Crimson Tide Rowing")
    for name in ("ana", "bo", "cy"):
        teams.assign(name, crimson)
    teams.save(sessions_dir)
    Store(sessions_dir).close(
        Store(sessions_dir).create("Team Crimson Tide Rowing", crimson.team_id)
    )
    now = datetime.now(UTC)
    write_status(sessions_dir, [Connection(n, now, now, "social") for n in ("ana", "bo", "cy")])
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        name = str(table.get_row(crimson.team_id)[0])
        assert name.endswith("… 3/3") and name.startswith("● Team Cr")
        assert len(name) <= NAME_WIDTH


async def test_a_teams_row_keeps_its_place_when_its_first_member_arrives(
    sessions_dir: Path,
) -> None:
    from bmc_tui.serve.teams import Teams

    store = Store(sessions_dir)
    store.close(store.create("Cy", "cy"))
    teams = Teams(people=["cy", "dee"])
    red = teams.create("Red")
    teams.assign("ana", red)
    teams.save(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert _order(app) == ["cy", "team-red", "dee", "ana"]
        await pilot.press("down")  # on Red
        # Ana arrives: her team's canvas is made, and she is counted on its row.
        store.close(store.create("Team Red", "team-red"))
        now = datetime.now(UTC)
        write_status(sessions_dir, [Connection("ana", now, now, "canvas")])
        await until(lambda: "ana" not in _order(app), 3, "ana in her team")
        assert _order(app) == ["cy", "team-red", "dee"]
        table = app.screen.query_one(DataTable)
        assert table.cursor_row == 1
        assert str(table.get_row("team-red")[0]) == "● Team Red 1/1"
