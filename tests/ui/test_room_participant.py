"""A participant's app and the room: summon, spotlight and the dot vote, from the room file
as the dashboard writes it (the dashboard's own tests drive its keys)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import OptionList, Static

from bmc_tui.model import Item
from bmc_tui.room import EVERYONE, Room, Spotlight, Summon, read_room, write_room
from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.screens.help import HelpScreen
from bmc_tui.screens.social import SocialScreen
from bmc_tui.screens.spotlight import SpotlightScreen
from bmc_tui.screens.strategy import StrategyScreen
from bmc_tui.screens.vote import VoteScreen
from bmc_tui.store import Store
from bmc_tui.votes import Candidate, new_vote, read_ballot
from bmc_tui.widgets.canvas_view import CanvasCell

from .conftest import make_app, make_session, saved, wait_for


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _summon(folder: Path, step: str, target: str = EVERYONE, sid: str = "s1") -> None:
    write_room(folder, replace(read_room(folder), summon=Summon(sid, step, target, _now())))


def _bob(folder: Path, text: str = "Bike fixes") -> None:
    store = Store(folder)
    handle = store.create("Bob's bikes", "bob")
    handle.session.canvas.value_propositions.append(Item("vp-1", text))
    store.save(handle)
    store.close(handle)


def _shows(app: object, screen: type) -> bool:
    """That screen is on top and composed (its Footer, its last child, is mounted)."""
    top = app.screen  # type: ignore[attr-defined]
    return isinstance(top, screen) and bool(top.query("Footer"))


def _screen_text(app: object) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Static))  # type: ignore[attr-defined]


async def test_summon_moves_the_participant_and_keeps_what_was_typed(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path, participant=True, autosave_delay=30.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", *"Ferry commuters")
        # Typed, not saved yet (the autosave waits 30 s here): the summon must save it.
        assert "Ferry commuters" not in path.read_text()
        _summon(sessions_dir, "strategy")
        await wait_for(pilot, lambda: _shows(app, StrategyScreen), what="the move")
        await wait_for(
            pilot,
            lambda: "The facilitator brings you to Strategy." in _screen_text(app),
            what="the notice in the banner",
        )
        # Saved before the move, not 30 s later.
        assert [s.text for s in saved(path).canvas.customer_segments] == ["Ferry commuters"]
        # Free to move on afterwards; the same summon does not pull them back.
        await pilot.press("f2")
        await wait_for(pilot, lambda: _shows(app, SocialScreen), what="F2")
        await pilot.pause(0.6)
        assert isinstance(app.screen, SocialScreen)


async def test_a_summon_for_someone_else_leaves_the_participant_alone(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path, participant=True)
    me = path.stem
    async with app.run_test(size=(120, 40)) as pilot:
        _summon(sessions_dir, "canvas", "person:somebody-else")
        await wait_for(pilot, lambda: app.room.summon is not None, what="the room read")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SocialScreen)
        _summon(sessions_dir, "canvas", f"person:{me}", sid="s2")
        await wait_for(pilot, lambda: _shows(app, CanvasScreen), what="the move")
        await wait_for(pilot, lambda: app.screen.query("#field-text"), what="the canvas form")


async def test_an_open_dialog_gets_the_notice_and_the_move_waits_for_it(
    sessions_dir: Path,
) -> None:
    path = make_session(sessions_dir, step="social")
    app = make_app(sessions_dir, path, participant=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: _shows(app, HelpScreen), what="help")
        _summon(sessions_dir, "canvas")
        await wait_for(
            pilot,
            lambda: any("brings you to Canvas" in str(n.message) for n in app._notifications),
            what="the notice",
        )
        await pilot.pause(0.5)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: _shows(app, CanvasScreen), what="the move")
        await wait_for(pilot, lambda: app.screen.query("#field-text"), what="the canvas form")


async def test_a_stale_summon_does_not_move_a_participant_who_connects_later(
    sessions_dir: Path,
) -> None:
    path = make_session(sessions_dir, step="social")
    old = _now() - timedelta(minutes=10)
    write_room(sessions_dir, Room(summon=Summon("old", "plan", EVERYONE, old)))
    app = make_app(sessions_dir, path, participant=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.room.summon is not None, what="the room read")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SocialScreen)


async def test_the_spotlight_shows_another_session_live_and_esc_returns(
    sessions_dir: Path,
) -> None:
    path = make_session(sessions_dir, step="social")
    _bob(sessions_dir)
    app = make_app(sessions_dir, path, participant=True)
    async with app.run_test(size=(120, 40)) as pilot:
        write_room(sessions_dir, Room(spotlight=Spotlight("bob", "Bob's bikes", _now())))
        await wait_for(pilot, lambda: _shows(app, SpotlightScreen), what="spotlight")
        await wait_for(pilot, lambda: "Spotlight: Bob's bikes" in _screen_text(app), what="whose")

        def cells() -> str:
            return " ".join(str(c.render()) for c in app.screen.query(CanvasCell))

        await wait_for(pilot, lambda: "Bike fixes" in cells(), what="bob's canvas")
        # Live: Bob's next save shows up.
        store = Store(sessions_dir)
        handle = store.open(sessions_dir / "bob.toml")
        handle.session.canvas.customer_segments.append(Item("cs-1", "Nurses"))
        store.save(handle)
        store.close(handle)
        await wait_for(pilot, lambda: "Nurses" in cells(), what="the live update")
        await pilot.press("escape")
        await wait_for(pilot, lambda: _shows(app, SocialScreen), what="back")
        # F10 looks again while it lasts; the facilitator's end closes it for everyone.
        await pilot.press("f10")
        await wait_for(pilot, lambda: _shows(app, SpotlightScreen), what="F10")
        write_room(sessions_dir, Room())
        await wait_for(pilot, lambda: _shows(app, SocialScreen), what="the end")
    # Looking never writes the other session.
    assert "Nurses" in (sessions_dir / "bob.toml").read_text()


def _open_vote(folder: Path, *, dots: int = 3, one: bool = False) -> None:
    candidates = tuple(
        Candidate(f"bob/vp-{i}", text, "bob", "Bob")
        for i, text in enumerate(("Fast fixes", "Loan bikes", "Night hours"))
    )
    vote = new_vote(
        "v1",
        "value_propositions",
        candidates,
        scope="bob",
        scope_title="Bob",
        dots=dots,
        one_per_item=one,
        opened_at=_now(),
        closes_at=None,
    )
    write_room(folder, replace(read_room(folder), votes=(vote,)))


async def test_the_vote_screen_places_dots_by_keyboard_within_the_limits(
    sessions_dir: Path,
) -> None:
    path = make_session(sessions_dir, step="social")
    me = path.stem
    app = make_app(sessions_dir, path, participant=True)
    async with app.run_test(size=(120, 40)) as pilot:
        _open_vote(sessions_dir)
        await wait_for(pilot, lambda: "Your dots left: 3 of 3" in _screen_text(app), what="vote")
        await pilot.press("space", "space", "enter", "plus")  # four tries, three dots
        vote = read_room(sessions_dir).votes[0]
        assert read_ballot(sessions_dir, vote, me) == {"bob/vp-0": 3}
        assert "Your dots left: 0 of 3" in _screen_text(app)
        await pilot.press("minus", "down", "space")
        assert read_ballot(sessions_dir, vote, me) == {"bob/vp-0": 2, "bob/vp-1": 1}
        # Esc back to one's work; F9 returns to the vote.
        await pilot.press("escape")
        await wait_for(pilot, lambda: _shows(app, SocialScreen), what="back")
        await pilot.press("f9")
        await wait_for(pilot, lambda: _shows(app, VoteScreen), what="F9")
        # The close: the result from the room file, most dots first.
        closed = replace(
            vote,
            closed_at=_now(),
            result=(("bob/vp-0", 2), ("bob/vp-1", 5), ("bob/vp-2", 0)),
            voters=3,
        )
        write_room(sessions_dir, replace(read_room(sessions_dir), votes=(closed,)))
        await wait_for(pilot, lambda: "Result: 7 dots from 3 people" in _screen_text(app))
        options = app.screen.query_one(OptionList)
        assert "Loan bikes" in str(options.get_option_at_index(0).prompt)
        await pilot.pause()
        keys = {binding.action for _, binding, _, _ in app.screen.active_bindings.values()}
        assert "add" not in keys and "remove" not in keys  # the footer no longer offers them
        await pilot.press("space")  # closed: no more dots
        assert read_ballot(sessions_dir, vote, me) == {"bob/vp-0": 2, "bob/vp-1": 1}


async def test_a_reconnect_keeps_the_dots_and_one_per_item_holds(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    me = path.stem
    _open_vote(sessions_dir, one=True)
    app = make_app(sessions_dir, path, participant=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "Your dots left: 3 of 3" in _screen_text(app), what="vote")
        await pilot.press("space", "space", "down", "space")
    vote = read_room(sessions_dir).votes[0]
    assert read_ballot(sessions_dir, vote, me) == {"bob/vp-0": 1, "bob/vp-1": 1}
    again = make_app(sessions_dir, path, participant=True)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "Your dots left: 1 of 3" in _screen_text(again), what="vote")
        await pilot.press("down", "down", "space", "space")
        assert read_ballot(sessions_dir, vote, me) == {f"bob/vp-{i}": 1 for i in range(3)}


async def test_a_closed_vote_on_my_session_is_kept_in_my_file_and_in_its_exports(
    sessions_dir: Path,
) -> None:
    from bmc_tui.export import render
    from bmc_tui.export.markdown import render_markdown

    path = make_session(sessions_dir, step="social")
    me = path.stem
    candidates = (
        Candidate(f"{me}/vp-1", "Fast fixes", me, "Me"),
        Candidate(f"{me}/vp-2", "Loan bikes", me, "Me"),
    )
    vote = new_vote(
        "v9",
        "value_propositions",
        candidates,
        scope=me,
        scope_title="Me",
        dots=3,
        one_per_item=False,
        opened_at=_now() - timedelta(minutes=5),
        closes_at=None,
    )
    closed = replace(
        vote, closed_at=_now(), result=((f"{me}/vp-1", 1), (f"{me}/vp-2", 4)), voters=2
    )
    others = replace(closed, id="v8", scope="someone-else")
    write_room(sessions_dir, Room(votes=(others, closed)))
    # Not connected when it closed: the copy is made when the session is next opened.
    app = make_app(sessions_dir, path, participant=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "room_votes" in path.read_text(), what="the copy")
        await pilot.pause(0.5)
    session = saved(path)
    kept = session.extra["room_votes"]
    assert [v["id"] for v in kept] == ["v9"]  # only the vote on this session
    assert [(r["text"], r["dots"]) for r in kept[0]["results"]] == [
        ("Loan bikes", 4),
        ("Fast fixes", 1),
    ]
    report = render_markdown(session)
    assert "## Dot votes" in report
    assert "| 4 | Loan bikes |" in report
    page = render(session, "html")
    assert "Dot votes" in page and "<td>Loan bikes</td>" in page
    assert json.loads(render(session, "json"))["room_votes"][0]["results"][0]["dots"] == 4
    # Opening again adds nothing twice.
    again = make_app(sessions_dir, path, participant=True)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.6)
    assert len(saved(path).extra["room_votes"]) == 1
