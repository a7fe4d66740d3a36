"""Two members' apps (in this process) on one team session, through a real team hub."""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from bmc_tui.app import BmcApp
from bmc_tui.codec import parse_toml
from bmc_tui.model import Session
from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.serve.hub import Hub
from bmc_tui.store import Store
from bmc_tui.widgets.item_list import ItemList
from bmc_tui.widgets.team_bar import TeamBar

from .conftest import member_app, wait_for


@pytest.fixture
async def hub(sessions_dir: Path) -> AsyncIterator[Hub]:
    store = Store(sessions_dir)
    handle = store.create("Red", "red")
    store.close(handle)
    path = handle.path
    path.write_text(re.sub(r'(?m)^step = ".*"$', 'step = "canvas"', path.read_text()))
    with tempfile.TemporaryDirectory(prefix="hub-") as folder:
        hub = Hub(store, Path(folder) / "hub.sock")
        await hub.start()
        hub.open_team("red", path)
        try:
            yield hub
        finally:
            await hub.close()


def shown(app: BmcApp) -> str:
    items = app.screen.query_one(ItemList)
    return "\n".join(str(items.get_option_at_index(i).prompt) for i in range(items.option_count))


def on_disk(hub: Hub) -> Session:
    hub.flush()
    return parse_toml(hub.store.path_for("red").read_bytes())


@contextlib.asynccontextmanager
async def ana_and_bo(
    hub: Hub, sessions_dir: Path
) -> AsyncIterator[tuple[BmcApp, Pilot[None], BmcApp, Pilot[None]]]:
    """Ana's and Bo's apps on team red, both on the canvas."""
    ana, bo = member_app(hub, sessions_dir, "ana"), member_app(hub, sessions_dir, "bo")
    async with ana.run_test(size=(120, 40)) as pa, bo.run_test(size=(120, 40)) as pb:
        for app in (ana, bo):
            await wait_for(pa, lambda app=app: isinstance(app.screen, CanvasScreen), 10, "canvas")
        yield ana, pa, bo, pb


async def test_a_teammates_items_appear_and_my_field_keeps_its_focus_and_text(
    hub: Hub, sessions_dir: Path
) -> None:
    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        await pa.press("a", *"Commuters")
        await wait_for(pb, lambda: "Commuters" in shown(bo), 5, "ana's item on bo's screen")
        # Bo starts typing an item of his own; Ana keeps changing hers meanwhile.
        await pb.press("a", *"Stud")
        field = bo.focused
        assert isinstance(field, Input) and field.value == "Stud"
        await pa.press(*" who cycle")
        await wait_for(pb, lambda: "Commuters who cycle" in shown(bo), 5, "ana's typing")
        assert bo.focused is field and field.value == "Stud"
        assert field.cursor_position == len("Stud")
        await pb.press(*"ents")
        await wait_for(pa, lambda: "Students" in shown(ana), 5, "bo's item on ana's screen")
        # Presence: Ana sees Bo's name on the item he is typing in, and on the team line.
        await wait_for(pa, lambda: "bo ✎" in shown(ana), 5, "bo ✎")
        bar = str(ana.screen.query_one(TeamBar).render())
        assert "Team red" in bar and "bo" in bar
        texts = sorted(i.text for i in on_disk(hub).canvas.customer_segments)
    assert texts == ["Commuters who cycle", "Students"]


async def test_same_field_the_later_wins_the_other_is_told_and_ctrl_z_brings_it_back(
    hub: Hub, sessions_dir: Path
) -> None:
    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        await pa.press("a", *"Ana's words")
        await wait_for(pb, lambda: "Ana's words" in shown(bo), 5, "ana's item")
        # Bo's change reaches the hub before he has seen Ana's next one: made on the same
        # version, so it replaces hers unseen.
        replica = bo.team.replica  # type: ignore[union-attr]
        assert replica is not None
        item_id = replica.session.canvas.customer_segments[0].id
        base = replica.seq
        await pa.press("!")
        await wait_for(pa, lambda: hub.teams["red"].state.seq > base, 5, "ana's key at the hub")
        replica.seq = base  # as if Ana's "!" were still on its way to Bo
        bo.editor.set_text("customer_segments", item_id, "Bo's words")  # type: ignore[union-attr]
        await wait_for(pa, lambda: "Bo's words" in shown(ana), 5, "bo's text on ana's screen")
        await wait_for(
            pa,
            lambda: any("Ctrl+Z brings yours back" in str(n.message) for n in ana._notifications),
            5,
            "ana is told",
        )
        assert not any("Ctrl+Z brings" in str(n.message) for n in bo._notifications)
        await pa.press("escape", "ctrl+z")
        await wait_for(pb, lambda: "Ana's words!" in shown(bo), 5, "ana's text back for bo")
        assert [i.text for i in on_disk(hub).canvas.customer_segments] == ["Ana's words!"]


async def test_typing_over_a_change_not_yet_on_my_screen_tells_its_author(
    hub: Hub, sessions_dir: Path
) -> None:
    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        await pa.press("a", *"Ana's words")
        await wait_for(pb, lambda: "Ana's words" in shown(bo), 5, "ana's item")
        await pb.press("enter", "end")
        field = bo.focused
        assert isinstance(field, Input) and field.value == "Ana's words"
        await wait_for(pa, lambda: "bo ✎" in shown(ana), 5, "bo in the field")
        replica = bo.team.replica  # type: ignore[union-attr]
        assert replica is not None
        # Bo's app has Ana's "!" but has not drawn it yet (teammates' changes are shown
        # together, a moment later): he types on the text his field shows.
        show = bo._show_team_change
        bo._show_team_change = lambda: None  # type: ignore[method-assign]
        await pa.press("!")
        await wait_for(
            pb,
            lambda: replica.session.canvas.customer_segments[0].text == "Ana's words!",
            5,
            "ana's key in bo's copy",
        )
        assert field.value == "Ana's words"
        await pb.press(*" too")
        bo._show_team_change = show  # type: ignore[method-assign]
        show()

        def told(app: BmcApp) -> list[str]:
            return [str(n.message) for n in app._notifications if "over yours" in str(n.message)]

        await wait_for(pa, lambda: bool(told(ana)), 5, "ana is told")
        assert "bo changed the text" in told(ana)[0] and "Ctrl+Z brings yours back" in told(ana)[0]
        assert [i.text for i in on_disk(hub).canvas.customer_segments] == ["Ana's words too"]
        # Her undo names what it takes back: Bo's change.
        assert (ana.editor.undo_description or "").startswith("bo's change")  # type: ignore[union-attr]
        await pa.press("escape", "ctrl+z")
        await wait_for(pb, lambda: field.value == "Ana's words!", 5, "ana's text back for bo")
        assert [i.text for i in on_disk(hub).canvas.customer_segments] == ["Ana's words!"]
        # Undo shows where it undid, the cursor back in the field, as when on one's own.
        await wait_for(
            pa,
            lambda: isinstance(ana.focused, Input) and ana.focused.value == "Ana's words!",
            5,
            "ana's cursor in her field",
        )
        # Bo is told it was brought back over his, and his Ctrl+Z does not take it away.
        await wait_for(pb, lambda: bool(told(bo)), 5, "bo is told")
        assert "ana brought their version" in told(bo)[0]
        # Now that his screen shows it, typing on it is knowing: Ana is given no way back.
        assert not (ana.editor.undo_description or "").startswith("bo's change")  # type: ignore[union-attr]
        await pb.press("end", *"?")
        await wait_for(pa, lambda: "Ana's words!?" in shown(ana), 5, "bo's key")
        assert not (ana.editor.undo_description or "").startswith("bo's change")  # type: ignore[union-attr]


async def test_undo_takes_back_only_my_own_change(hub: Hub, sessions_dir: Path) -> None:
    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        await pa.press("a", *"Ana", "enter")
        await wait_for(pb, lambda: "Ana" in shown(bo), 5, "ana's item")
        await pb.press("end", "a", *"Bo", "enter")
        await wait_for(pa, lambda: "Bo" in shown(ana), 5, "bo's item")
        # Bo's Ctrl+Z: his last change (his item's text, then the item), never Ana's.
        await pb.press("ctrl+z", "ctrl+z")
        await wait_for(pa, lambda: "Bo" not in shown(ana), 5, "bo's item gone")
        assert [i.text for i in on_disk(hub).canvas.customer_segments] == ["Ana"]
        assert "Ana" in shown(bo)


async def test_answers_and_ratings_of_a_teammate_show_in_place(
    hub: Hub, sessions_dir: Path
) -> None:
    from bmc_tui.screens.social import AnswerArea, SocialScreen
    from bmc_tui.widgets.rating import Rating

    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        for app in (ana, bo):
            # Two apps in one process: what the test calls must run as the right app
            # (a screen made outside it would take the other app for its own).
            with app._context():
                app.goto_step("social")
            await wait_for(pa, lambda app=app: isinstance(app.screen, SocialScreen), 5, "social")
        await pa.pause()
        await pb.pause()
        ana_areas = list(ana.screen.query(AnswerArea))
        bo_areas = list(bo.screen.query(AnswerArea))
        # Ana is typing in the second answer while Bo types the first.
        with ana._context():
            ana_areas[1].focus()
            await pa.press(*"Mine")
        with bo._context():
            bo_areas[0].focus()
            await pb.press(*"Because")
        await wait_for(pa, lambda: ana_areas[0].text == "Because", 5, "bo's answer for ana")
        assert ana.focused is ana_areas[1] and ana_areas[1].text == "Mine"
        assert ana_areas[1].cursor_location == (0, 4)
        await wait_for(pb, lambda: bo_areas[1].text == "Mine", 5, "ana's answer for bo")
        with bo._context():
            bo.editor.set_rating("conversation", 4)  # type: ignore[union-attr]
            bo.edited()
        rating = ana.screen.query_one("#rating-conversation", Rating)
        await wait_for(pa, lambda: rating.value == 4, 5, "bo's rating for ana")
        answers = on_disk(hub).social.answers
        assert sorted(answers.values()) == ["Because", "Mine"]


async def test_items_added_at_once_take_the_teams_order_in_place_as_both_type_on(
    hub: Hub, sessions_dir: Path
) -> None:
    """Each adds on their own copy first, so one of them had the order the other way round:
    their screen is put in the team's order where it is, never built again (a new screen
    would drop the keys typed while it was built)."""
    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        for app in (ana, bo):  # the list has the cursor, as when a person presses `a`
            await wait_for(pa, lambda app=app: isinstance(app.focused, ItemList), 5, "the list")
        screens = {app: app.screen for app in (ana, bo)}
        for app in (ana, bo):  # in one go: neither has seen the other's item yet
            with app._context():
                app.screen.query_one(ItemList).action_add()
        fields = {}
        for app, pilot, text in ((ana, pa, "Ferry riders"), (bo, pb, "Night owls")):
            await wait_for(pilot, lambda app=app: isinstance(app.focused, Input), 5, "the field")
            fields[app] = app.focused
            await pilot.press(*text)
        await wait_for(
            pa,
            lambda: (
                sorted(i.text for i in on_disk(hub).canvas.customer_segments)
                == ["Ferry riders", "Night owls"]
            ),
            5,
            "both items at the hub",
        )
        order = [i.text for i in on_disk(hub).canvas.customer_segments]

        def in_order(app: BmcApp) -> bool:
            lines = shown(app).splitlines()
            return [next((t for t in order if t in line), None) for line in lines] == order

        for app, text in ((ana, "Ferry riders"), (bo, "Night owls")):
            await wait_for(
                pa, lambda app=app: in_order(app), 5, f"the order {order}: {shown(app)!r}"
            )
            assert app.screen is screens[app]
            assert app.focused is fields[app] and fields[app].value == text


async def test_a_teammates_text_never_drops_keys_typed_but_not_yet_in_the_session(
    hub: Hub, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key changes the field at once and reaches the session a moment later; a teammate's
    change to that field shown in between must not take those keys away."""
    import bmc_tui.app

    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        await pb.press("a", *"Night ")
        field = bo.focused
        assert isinstance(field, Input)
        replica = bo.team.replica  # type: ignore[union-attr]
        assert replica is not None
        item_id = replica.session.canvas.customer_segments[0].id
        await wait_for(pb, lambda: "Night " in shown(ana), 5, "bo's item on ana's screen")
        # From here, teammates' changes show only when the test says so.
        monkeypatch.setattr(bmc_tui.app, "TEAM_REFRESH", 60.0)
        with ana._context():
            ana.editor.set_text("customer_segments", item_id, "Ana's words")  # type: ignore[union-attr]
            ana.edited()
        await wait_for(
            pb,
            lambda: replica.session.canvas.customer_segments[0].text == "Ana's words",
            5,
            "ana's change in bo's copy",
        )
        with bo._context():
            field.insert_text_at_cursor("owl")  # a key: its Changed message is still queued
            bo._show_team_change()  # the team's refresh comes first
        assert field.value == "Night owl"
        await wait_for(
            pb,
            lambda: on_disk(hub).canvas.customer_segments[0].text == "Night owl",
            5,
            "bo's keys at the hub",
        )
        assert replica.session.canvas.customer_segments[0].text == field.value == "Night owl"
        assert field.cursor_position == len("Night owl")


async def test_a_teammates_period_vision_and_buyers_show_in_place(
    hub: Hub, sessions_dir: Path
) -> None:
    from datetime import date

    from bmc_tui.screens.strategy import StrategyScreen
    from bmc_tui.widgets.field_input import FieldInput
    from bmc_tui.widgets.text_field import TextField

    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        with bo._context():
            bo.goto_step("strategy")
        await wait_for(pb, lambda: isinstance(bo.screen, StrategyScreen), 5, "strategy")
        await pb.pause()
        with ana._context():
            editor = ana.editor
            assert editor is not None
            editor.set_strategy_field("start", date(2027, 1, 1))
            editor.set_strategy_field("vision", "Every commuter by ferry")
            editor.set_strategy_field("buyers", "Employers choose in spring")
            editor.set_strategy_field("budget", "A third on events")
            ana.edited()
        screen = bo.screen
        vision = screen.query_one("#strategy-vision", TextField)
        await wait_for(pb, lambda: vision.text == "Every commuter by ferry", 5, "the vision")
        assert screen.query_one("#strategy-start", FieldInput).value == "2027-01-01"
        assert screen.query_one("#strategy-buyers", FieldInput).value == (
            "Employers choose in spring"
        )
        assert screen.query_one("#strategy-budget", TextField).text == "A third on events"
        assert bo.screen is screen


async def test_a_member_who_comes_back_is_on_their_own_step_not_the_team_files(
    hub: Hub, sessions_dir: Path
) -> None:
    from bmc_tui.screens.plan import PlanScreen

    places = sessions_dir.parent / "bo-places.toml"
    bo = member_app(hub, sessions_dir, "bo")
    bo.config.places_file = places
    async with bo.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(bo.screen, CanvasScreen), 10, "canvas")
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(bo.screen, PlanScreen), 10, "the plan")
        # The team's file says the furthest step reached (exports, check, newcomers).
        await wait_for(pilot, lambda: on_disk(hub).step == "plan", 5, "the step reached")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(bo.screen, CanvasScreen), 10, "the canvas")
        await wait_for(
            pilot, lambda: places.exists() and '"canvas"' in places.read_text(), 5, "his place"
        )
    assert on_disk(hub).step == "plan"
    # His connection dropped; he comes back where he was, not to the step reached.
    again = member_app(hub, sessions_dir, "bo")
    again.config.places_file = places
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, CanvasScreen), 10, "back there")
        await pilot.pause(0.3)
        assert isinstance(again.screen, CanvasScreen)
    # Someone who was never on the team's canvas starts at the step reached.
    cy = member_app(hub, sessions_dir, "cy")
    cy.config.places_file = sessions_dir.parent / "cy-places.toml"
    async with cy.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(cy.screen, PlanScreen), 10, "cy on the plan")


async def test_teammates_redraw_a_change_apart_not_all_at_once(
    hub: Hub, sessions_dir: Path
) -> None:
    # Every member receives a change at the same moment; with one wait for all they all
    # redrew together, a burst that held up the keys of whoever was typing (bench/teams.py).
    from bmc_tui.app import TEAM_REFRESH

    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        for app, pilot in ((ana, pa), (bo, pb)):
            await wait_for(
                pilot,
                lambda app=app: app.team is not None and {"ana", "bo"} <= set(app.team.presence),
                5,
                "both on the team line",
            )
        waits = [ana._team_refresh_delay(), bo._team_refresh_delay()]
        assert waits[0] != waits[1]
        assert all(TEAM_REFRESH / 2 <= wait < TEAM_REFRESH * 1.5 for wait in waits)
        # And each still shows the other's change.
        await pa.press("a", *"Ferry")
        await wait_for(pb, lambda: "Ferry" in shown(bo), 5, "ana's item on bo's screen")


async def test_a_teammates_words_before_my_cursor_move_it_along(
    hub: Hub, sessions_dir: Path
) -> None:
    # Ana typed "Big " at the start while Bo's cursor was at the end: Bo's cursor stayed at
    # the same count of characters, and his " nearby" landed inside a word
    # ("Big Neighborhood fami nearbylies").
    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        await pa.press("a", *"Families")
        await wait_for(pb, lambda: "Families" in shown(bo), 5, "ana's item on bo's screen")
        await pb.press("enter")  # into the item's text, the cursor at its end
        field = bo.focused
        assert isinstance(field, Input) and field.value == "Families"
        await pa.press("home", *"Big ")
        await wait_for(pb, lambda: field.value == "Big Families", 5, "ana's words on bo's field")
        assert field.cursor_position == len("Big Families")
        await pb.press(*" nearby")
        await wait_for(
            pb,
            lambda: on_disk(hub).canvas.customer_segments[0].text == "Big Families nearby",
            5,
            "both in the file",
        )
        await wait_for(pa, lambda: "Big Families nearby" in shown(ana), 5, "bo's on ana's screen")


async def test_my_item_deleted_by_a_teammate_leaves_my_cursor_on_the_list(
    hub: Hub, sessions_dir: Path
) -> None:
    # The form went blank and the cursor with it: the keys typed next did nothing.
    async with ana_and_bo(hub, sessions_dir) as (ana, pa, bo, pb):
        await pa.press("a", *"Ferry")
        await wait_for(pb, lambda: "Ferry" in shown(bo), 5, "ana's item on bo's screen")
        field = ana.focused
        assert isinstance(field, Input)
        await pb.press("d")
        await wait_for(pb, lambda: bo.screen.__class__.__name__ == "ConfirmScreen", 5, "confirm")
        await pb.press("y")
        await wait_for(pa, lambda: isinstance(ana.focused, ItemList), 5, "ana's cursor on the list")
        await pa.press("a", *"Night")
        await wait_for(
            pa,
            lambda: [i.text for i in on_disk(hub).canvas.customer_segments] == ["Night"],
            5,
            "ana's new item",
        )
