"""The dashboard's room keys, driven headless: summon, spotlight, gallery and dot votes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from bmc_tui.model import Item
from bmc_tui.room import EVERYONE, read_room, write_room
from bmc_tui.serve.dashboard.app import DashboardApp
from bmc_tui.serve.dashboard.screens.gallery import GalleryScreen
from bmc_tui.serve.dashboard.screens.room import RoomScreen
from bmc_tui.serve.dashboard.screens.summon import SummonScreen
from bmc_tui.serve.dashboard.screens.vote_setup import VoteSetupScreen
from bmc_tui.serve.dashboard.screens.vote_tally import VoteTallyScreen
from bmc_tui.store import Store
from bmc_tui.votes import write_ballot
from bmc_tui.widgets.canvas_view import CanvasCell

from .helpers import until


def _room(sessions_dir: Path, names: tuple[str, ...] = ("Ana", "Bob", "Cy")) -> None:
    store = Store(sessions_dir)
    for n, name in enumerate(names):
        handle = store.create(name)
        handle.session.canvas.value_propositions.append(Item("vp-1", f"{name} idea"))
        if n == 0:
            handle.session.canvas.value_propositions.append(Item("vp-2", "Second idea"))
        store.save(handle)
        store.close(handle)


def _text(app: DashboardApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _cells(app: DashboardApp) -> str:
    return " ".join(str(c.render()) for c in app.screen.query(CanvasCell))


async def test_summon_everyone_or_one_person_to_a_step(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await until(lambda: isinstance(app.screen, SummonScreen), 3, "the dialog")
        await pilot.press("enter")  # the step list starts on the canvas
        summon = read_room(sessions_dir).summon
        assert summon is not None
        assert (summon.step, summon.target) == ("canvas", EVERYONE)
        assert isinstance(app.screen, RoomScreen)
        # One person: Tab to "Who", pick Bob (after Everyone and Ana), back to the steps.
        await pilot.press("s")
        await until(lambda: isinstance(app.screen, SummonScreen), 3, "the dialog")
        await pilot.press("tab", "enter", "down", "down", "enter", "shift+tab", "down", "enter")
        again = read_room(sessions_dir).summon
        assert again is not None
        assert (again.step, again.target) == ("practices", "person:bob")
        assert again.id != summon.id


async def test_spotlight_the_selected_session_and_end_it(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "p")  # Bob
        spot = read_room(sessions_dir).spotlight
        assert spot is not None and (spot.session, spot.title) == ("bob", "Bob")
        assert "Spotlight: Bob" in _text(app, "#room-state")
        await pilot.press("up", "p")  # on another row: moves the spotlight
        spot = read_room(sessions_dir).spotlight
        assert spot is not None and spot.session == "ana"
        await pilot.press("p")  # on the one in the spotlight: ends it
        assert read_room(sessions_dir).spotlight is None


async def test_the_gallery_pages_through_every_canvas_and_follows_changes(
    sessions_dir: Path,
) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await until(lambda: "Ana idea" in _cells(app), 3, "the first canvas")
        assert isinstance(app.screen, GalleryScreen)
        assert "1 of 3" in _text(app, "#gallery-where")
        await pilot.press("n")
        await until(lambda: "Bob idea" in _cells(app), 3, "the next")
        assert "Ana idea" not in _cells(app)
        await pilot.press("p", "p")  # wraps around to the last
        await until(lambda: "Cy idea" in _cells(app), 3, "the last")
        store = Store(sessions_dir)
        handle = store.open(sessions_dir / "cy.toml")
        handle.session.canvas.channels.append(Item("ch-1", "Market stall"))
        store.save(handle)
        store.close(handle)
        await until(lambda: "Market stall" in _cells(app), 4, "the live update")
        await pilot.press("escape")
        assert isinstance(app.screen, RoomScreen)


async def test_a_wide_gallery_shows_several_side_by_side(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await until(lambda: "Bob idea" in _cells(app), 3, "two canvases")
        assert "Ana idea" in _cells(app) and "Cy idea" not in _cells(app)
        await pilot.press("n")  # a page is two
        await until(lambda: "Cy idea" in _cells(app) and "Ana idea" in _cells(app), 3, "next")


async def test_a_vote_on_an_empty_list_is_refused_in_the_dialog(sessions_dir: Path) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await until(lambda: isinstance(app.screen, VoteSetupScreen), 3, "the dialog")
        # The block: Customer Segments (first in the list) is empty everywhere.
        await pilot.click("#vote-block")
        await pilot.press("home", "enter")
        app.screen.query_one("#vote-dots").focus()
        await pilot.press("enter")
        await until(lambda: "Nothing to vote on" in _text(app, "#vote-error"), 3, "the refusal")
        assert read_room(sessions_dir).votes == ()
        assert isinstance(app.screen, VoteSetupScreen)


async def test_a_vote_is_opened_tallied_live_and_closed_into_the_room_file(
    sessions_dir: Path,
) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await until(lambda: isinstance(app.screen, VoteSetupScreen), 3, "the dialog")
        await pilot.press("enter")  # defaults: value propositions of the room, 3 dots
        await until(lambda: isinstance(app.screen, VoteTallyScreen), 3, "the tally")
        vote = read_room(sessions_dir).votes[-1]
        assert [c.key for c in vote.candidates] == ["ana/vp-1", "ana/vp-2", "bob/vp-1", "cy/vp-1"]
        assert vote.dots == 3 and vote.closed_at is None
        write_ballot(sessions_dir, vote, "ana", {"bob/vp-1": 2, "cy/vp-1": 1})
        write_ballot(sessions_dir, vote, "bob", {"bob/vp-1": 1})
        # A ballot written past the limits counts only up to them.
        (sessions_dir / ".serve" / "votes" / vote.id / "cy.toml").write_text(
            f'vote = "{vote.id}"\n[dots]\n"ana/vp-2" = 50\n'
        )
        await until(lambda: "Open: 7 dots from 3" in _text(app, "#tally-status"), 4, "tally")
        assert _text(app, "#tally").splitlines()[0].split()[0] == "3"
        await pilot.press("c")
        closed = read_room(sessions_dir).votes[-1]
        assert closed.closed_at is not None and closed.voters == 3
        assert dict(closed.result or ()) == {
            "ana/vp-1": 0,
            "ana/vp-2": 3,
            "bob/vp-1": 3,
            "cy/vp-1": 1,
        }
        await until(lambda: "Closed: 7 dots from 3 people" in _text(app, "#tally-status"), 3)
        await pilot.press("escape")
        await until(
            lambda: "most dots: Second idea (3)" in _text(app, "#room-state"), 3, "the room line"
        )


async def test_a_vote_with_a_closing_time_closes_itself_even_after_a_restart(
    sessions_dir: Path,
) -> None:
    _room(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        vote = app.open_vote("value_propositions", "ana", dots=2, one_per_item=True, minutes=5)
        assert vote.scope_title == "Ana" and len(vote.candidates) == 2
        write_ballot(sessions_dir, vote, "bob", {"ana/vp-1": 1, "ana/vp-2": 1})
    # The dashboard is gone (a server restart) when the closing time passes.
    room = read_room(sessions_dir)
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    write_room(sessions_dir, replace(room, votes=(replace(vote, closes_at=past),)))
    again = DashboardApp(sessions_dir)
    async with again.run_test(size=(110, 40)) as pilot:
        await until(lambda: read_room(sessions_dir).votes[-1].result is not None, 4, "closed")
    closed = read_room(sessions_dir).votes[-1]
    assert dict(closed.result or ()) == {"ana/vp-1": 1, "ana/vp-2": 1}
    assert closed.closed_at == past


async def test_summon_offers_every_team_and_each_person_in_it(sessions_dir: Path) -> None:
    from textual.widgets import Select

    from bmc_tui.serve.teams import Teams

    store = Store(sessions_dir)
    store.close(store.create("Team Red", "team-red"))
    store.close(store.create("Cy", "cy"))
    teams = Teams(people=["ana", "bo", "cy"])
    red = teams.create("Red")
    teams.assign("ana", red)
    teams.assign("bo", red)
    teams.create("Blue")  # no member, no canvas yet: still offered
    teams.save(sessions_dir)
    app = DashboardApp(sessions_dir)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await until(lambda: isinstance(app.screen, SummonScreen), 3, "the dialog")
        offered = [(str(p), v) for p, v in app.screen.query_one(Select)._options]
        assert offered == [
            ("Everyone", EVERYONE),
            ("Team Red", "team:team-red"),
            ("Team Blue", "team:team-blue"),
            ("Cy", "person:cy"),
            ("ana", "person:ana"),
            ("bo", "person:bo"),
        ]
        # Tab to "Who", the first team, back to the steps, Enter on the canvas.
        await pilot.press("tab", "enter", "down", "enter", "shift+tab", "enter")
        summon = read_room(sessions_dir).summon
        assert summon is not None and (summon.step, summon.target) == ("canvas", "team:team-red")
        await until(
            lambda: any("Summoned Team Red" in n.message for n in app._notifications),
            3,
            "the notice",
        )
