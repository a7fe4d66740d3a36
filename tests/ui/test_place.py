"""Coming back to a session (a reconnect, a new start) lands where its user left off."""

from __future__ import annotations

from pathlib import Path

from bmc_tui.screens.canvas import CanvasScreen
from bmc_tui.screens.social import SocialScreen
from bmc_tui.settings import Place, load_place
from bmc_tui.widgets.item_list import ItemList

from .conftest import make_app, make_session, wait_for, wait_saved


async def test_the_section_of_a_step_is_kept(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    async with make_app(sessions_dir, path).run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, SocialScreen)
        first = screen.section
        await pilot.press("j", "j", "j")
        await pilot.pause()
        left_at = screen.section
        # Kept within a second, as a dropped connection would leave it (an earlier
        # section may have been kept on the way: wait for the last one).
        await wait_for(
            pilot,
            lambda: load_place(path) == Place("social", f"@{left_at}"),
            what="the place",
        )
    assert left_at != first
    async with make_app(sessions_dir, path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SocialScreen)
        assert screen.section == left_at


async def test_the_block_and_item_of_the_canvas_are_kept(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="canvas")
    async with make_app(sessions_dir, path).run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.press("a", *"By ferry", "enter", "a", *"By bike", "enter", "up")
        await wait_saved(pilot, path, lambda s: len(s.canvas.channels) == 2)
        items = pilot.app.screen.query_one("#items", ItemList)
        left_on = items.current_id
        assert left_on is not None
        await wait_for(pilot, lambda: (p := load_place(path)) and p.target == left_on)
    async with make_app(sessions_dir, path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CanvasScreen)
        assert screen.block == "channels"
        assert screen.query_one("#items", ItemList).current_id == left_on


async def test_a_place_in_another_step_is_not_used(sessions_dir: Path) -> None:
    path = make_session(sessions_dir, step="social")
    async with make_app(sessions_dir, path).run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: load_place(path), what="the place")
    # The file now says another step (as another program, or an older bmc-tui, left it).
    path.write_text(path.read_text("utf-8").replace('step = "social"', 'step = "canvas"'))
    async with make_app(sessions_dir, path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, CanvasScreen)
