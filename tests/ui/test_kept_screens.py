"""Step screens are kept between visits and built ahead while the user pauses, and a kept
screen is shown again only while it still shows the session as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from bmc_tui.model import STEPS
from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.screens.keeper import KEEP
from bmc_tui.screens.social import AnswerArea, SectionList, SocialScreen
from bmc_tui.screens.strategy import StrategyScreen
from bmc_tui.widgets.item_list import ItemList
from bmc_tui.widgets.step_bar import StepBar
from bmc_tui.widgets.text_field import TextField

from .conftest import make_app, make_session, wait_for, wait_saved


async def test_coming_back_to_a_step_shows_the_same_screen_and_place(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path, build_ahead=None)
    async with app.run_test(size=(120, 40)) as pilot:
        canvas = app.screen
        assert isinstance(canvas, CanvasScreen)
        await pilot.press("down")
        assert canvas.query_one(ItemList).highlighted == 1
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SocialScreen), what="social")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), what="canvas")
        assert app.screen is canvas
        assert canvas.query_one(ItemList).highlighted == 1
        await wait_saved(pilot, path, lambda s: s.step == "canvas")


async def test_a_change_to_what_a_kept_screen_shows_builds_it_anew(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path, build_ahead=None)
    async with app.run_test(size=(120, 40)) as pilot:
        old = app.screen
        assert isinstance(old, CanvasScreen)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SocialScreen), what="social")
        # As a teammate's change, an undo or a reload would: not typed on the canvas screen.
        assert app.editor is not None
        app.editor.add_item("customer_segments", "Night-shift nurses")
        app.edited()
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), what="canvas")
        new = app.screen
        assert new is not old
        labels = [str(o.prompt) for o in new.query_one(ItemList).options]
        assert any("Night-shift nurses" in label for label in labels)
        # The old one is removed, not left behind with its watchers.
        await wait_for(pilot, lambda: not old.is_running, what="the old screen to go")
        assert old not in app.step_screens.kept.values()
        assert not app.is_screen_installed(old)
        await wait_saved(
            pilot,
            path,
            lambda s: any(c.text == "Night-shift nurses" for c in s.canvas.customer_segments),
        )


async def test_a_kept_screen_does_no_work_while_hidden_and_catches_up_when_shown(
    sessions_dir: Path,
) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path, build_ahead=None)
    async with app.run_test(size=(120, 40)) as pilot:
        canvas = app.screen
        assert isinstance(canvas, CanvasScreen)
        bar = canvas.query_one(StepBar)
        calls: list[int] = []
        render = bar.render_bar

        def counted() -> object:
            calls.append(1)
            return render()

        bar.render_bar = counted  # type: ignore[method-assign]
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SocialScreen), what="social")
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea), what="an answer")
        calls.clear()
        await pilot.press(*"Night-shift nurses who want their coffee hot")
        social = app.screen.query_one(StepBar)
        await wait_for(pilot, lambda: social.render_bar() == social._shown, what="findings")
        assert calls == []  # every key changed the session: the hidden bar was not redrawn
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.screen is canvas, what="the kept canvas")
        await wait_for(pilot, lambda: bool(calls), what="the bar to catch up")
        assert bar._shown == render()  # the findings and progress of now


async def test_the_next_step_is_built_ahead_while_the_user_pauses(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="practices", example="platform")
    app = make_app(sessions_dir, path, build_ahead=0.3)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "strategy" in app.step_screens.kept, 20, "strategy built")
        assert set(app.step_screens.kept) == {"practices", "strategy"}  # only the next one
        strategy = app.step_screens.kept["strategy"]
        assert strategy is not app.screen
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, StrategyScreen), what="strategy")
        assert app.screen is strategy
        assert app.editor is not None
        vision = app.editor.session.strategy.vision
        assert vision
        assert strategy.query_one("#strategy-vision", TextField).text == vision
        # Then the plan, ahead of it; and no more than KEEP screens are held.
        await wait_for(pilot, lambda: "plan" in app.step_screens.kept, 20, "plan built")
        await pilot.press("f6")
        await wait_for(pilot, lambda: "fitness" in app.step_screens.kept, 20, "fitness built")
        assert list(app.step_screens.kept) == ["strategy", "plan", "fitness"]
        assert len(app.step_screens.kept) == KEEP


async def test_nothing_is_built_ahead_while_the_user_types(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    # Ten times the gap between keys: a loaded test machine slows a key, not a typist.
    app = make_app(sessions_dir, path, build_ahead=1.5)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea), what="an answer")
        for key in "Nurses on night shifts":  # a typist's pace: a key every 0.15 s
            await pilot.press(key)
            await pilot.pause(0.15)
        assert list(app.step_screens.kept) == ["social"]
        await wait_for(pilot, lambda: "canvas" in app.step_screens.kept, 10, "building after")


async def test_a_resized_terminal_builds_a_kept_screen_anew(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    app = make_app(sessions_dir, path, build_ahead=None)
    async with app.run_test(size=(120, 40)) as pilot:
        canvas = app.screen
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SocialScreen), what="social")
        await pilot.resize_terminal(90, 30)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, CanvasScreen), what="canvas")
        assert app.screen is not canvas
        # Below 110 columns the form goes under the list, as composed for this size.
        assert app.screen.size.width == 90


STEP_KEYS = {
    "canvas": "f3",
    "practices": "f4",
    "strategy": "f5",
    "plan": "f6",
    "fitness": "f7",
    "summary": "f8",
}
BEFORE = {step: STEPS[STEPS.index(step) - 1] for step in STEP_KEYS}


async def settled_frame(pilot: Pilot[None]) -> str:
    """The screen once two frames 0.1 s apart are the same (findings and saves done)."""
    app = pilot.app
    frames = [app.export_screenshot()]
    for _ in range(50):
        await pilot.pause(0.1)
        frames.append(app.export_screenshot())
        if frames[-1] == frames[-2]:
            return frames[-1]
    raise AssertionError("the screen never settled")


async def frame_at(sessions_dir: Path, path: Path, step: str, ahead: float | None) -> str:
    """The settled frame of `step`, reached with its F-key from the step before it."""
    app = make_app(sessions_dir, path, build_ahead=ahead, participant=True)
    async with app.run_test(size=(110, 34)) as pilot:
        if ahead is not None:
            await wait_for(pilot, lambda: step in app.step_screens.kept, 20, "built ahead")
        built = app.step_screens.kept.get(step)
        await pilot.press(STEP_KEYS[step])
        await wait_for(pilot, lambda: getattr(app.screen, "STEP", "") == step, what=step)
        assert (app.screen is built) == (ahead is not None)
        return await settled_frame(pilot)


@pytest.mark.parametrize("step", list(STEP_KEYS))
async def test_a_step_built_ahead_looks_as_one_composed_on_arrival(
    sessions_dir: Path, step: str
) -> None:
    """Built off the stack (styles, layout, footer keys, focus), then shown: the same frame
    as the step composed when asked for, as every step was before they were kept."""
    path = make_session(sessions_dir, step=BEFORE[step], example="platform")
    original = path.read_bytes()
    composed = await frame_at(sessions_dir, path, step, None)
    path.write_bytes(original)  # the second app starts from the same file
    built_ahead = await frame_at(sessions_dir, path, step, 0.2)
    assert built_ahead == composed


async def test_closing_the_session_while_steps_are_built_ahead(sessions_dir: Path) -> None:
    """Back to the list of sessions just as the next step is built ahead: every kept screen
    is removed (one still composing, once it has mounted), and nothing crashes."""
    from bmc_tui.screens.start import StartScreen

    path = make_session(sessions_dir, step="social", example="platform")
    app = make_app(sessions_dir, path, build_ahead=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(app.step_screens.kept) >= 2, 10, "building ahead")
        kept = list(app.step_screens.kept.values())
        app.action_start_screen()
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen), what="the list")
        await wait_for(pilot, lambda: not any(s.is_running for s in kept), 10, "all removed")
        assert app.step_screens.kept == {}
        assert not any(app.is_screen_installed(s) for s in kept)
        # And a session opened again builds its own.
        assert app.open_session(path)
        await wait_for(pilot, lambda: bool(app.screen.query(SectionList)), what="social")
        assert app.screen not in kept


async def test_building_ahead_waits_for_a_core_to_spare(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    spare = [False]
    app = make_app(sessions_dir, path, build_ahead=0.1, core_to_spare=lambda: spare[0])
    async with app.run_test(size=(120, 40)) as pilot:
        # Paused, but the machine busy: several looks (about one a second), no building.
        await pilot.pause(2.5)
        assert list(app.step_screens.kept) == ["social"]
        spare[0] = True
        await wait_for(pilot, lambda: "canvas" in app.step_screens.kept, 20, "canvas built")


async def test_quitting_as_the_next_step_is_built(sessions_dir: Path) -> None:
    """The app closes cleanly with a screen still composing off the stack."""
    path = make_session(sessions_dir, step="social", example="platform")
    app = make_app(sessions_dir, path, build_ahead=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SocialScreen), what="social")
        assert app.step_screens.build_ahead("social")
        building = app.step_screens.kept["canvas"]
        assert not building._mounted_event.is_set()
        # Leaving the block quits the app at once, as the canvas composes.
    assert app.return_code in (None, 0)
    assert not building.is_running
