"""How a step screen draws (bmc_tui/screens/compositor.py): it sends the terminal exactly
what Textual's compositor would, asking only the widgets on the changed rows to render,
and draws a change once it is handled instead of at the next tick of a 60 Hz clock."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from textual import events
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from bmc_tui.app import BmcApp
from bmc_tui.model import STEPS
from bmc_tui.screens.base import StepScreen
from bmc_tui.screens.compositor import LineCompositor, LineScreen, _bands
from bmc_tui.widgets.footer import KeysFooter
from bmc_tui.widgets.item_list import ItemList
from bmc_tui.widgets.step_bar import StepBar

from .conftest import make_app, make_session, wait_for

SIZE = (120, 40)


@contextlib.asynccontextmanager
async def on_the_canvas(sessions_dir: Path) -> AsyncIterator[tuple[BmcApp, Pilot[None]]]:
    """The platform example's canvas, nothing built ahead (no other screen draws)."""
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path, build_ahead=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen), what="the canvas")
        yield app, pilot


def _updates(width: int, height: int) -> list[list[Region]]:
    """Changed regions as a screen meets them: one row, part of a row, two rows far apart
    (their box spans the screen between), a block, rows at both edges, everything."""
    return [
        [Region(0, 10, width, 1)],
        [Region(30, 12, 40, 1)],
        [Region(5, 3, 20, 1), Region(60, height - 3, 30, 1)],
        [Region(10, 8, 50, 6)],
        [Region(0, 0, width, 1), Region(0, height - 1, width, 1)],
        [Region(70, 20, 50, 2), Region(0, 21, 30, 3), Region(2, 30, 1, 1)],
        [Region(0, 0, width, height)],
    ]


def _sent(compositor: Compositor, regions: list[Region], render: object, console: object) -> str:
    """What a partial update of `regions` writes to the terminal, rendered by `render`."""
    crop = Region.from_union(regions).intersection(compositor.size.region)
    spans = list(compositor._regions_to_spans(regions))
    rows = {y for y, _, _ in spans}
    chops = render(compositor, crop, rows.__contains__)  # type: ignore[operator]
    chop_ends = [cut_set[1:] for cut_set in compositor.cuts]
    return ChopsUpdate(chops, spans, chop_ends).render_segments(console)  # type: ignore[arg-type]


async def _until(condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def test_bands_are_runs_of_consecutive_rows() -> None:
    assert list(_bands([])) == []
    assert list(_bands([4])) == [(4, 5)]
    assert list(_bands([1, 2, 3, 7, 8, 12])) == [(1, 4), (7, 9), (12, 13)]


@pytest.mark.parametrize("step", STEPS)
async def test_every_step_sends_what_textual_would(sessions_dir: Path, step: str) -> None:
    path = make_session(sessions_dir, step=step, example="platform")
    app = make_app(sessions_dir, path, build_ahead=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen), what="the step")
        await pilot.pause()
        compositor = app.screen._compositor
        assert isinstance(compositor, LineCompositor)
        for regions in _updates(*SIZE):
            ours = _sent(compositor, regions, LineCompositor._render_chops, app.console)
            textuals = _sent(compositor, regions, Compositor._render_chops, app.console)
            assert ours, f"nothing sent for {regions}"
            assert ours == textuals, f"{step}: {regions}"


async def test_a_changed_item_row_asks_only_the_widgets_on_that_row(
    sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with on_the_canvas(sessions_dir) as (app, pilot):
        await pilot.pause()
        items = app.screen.query_one(ItemList)
        asked: list[str] = []
        render_lines = Widget.render_lines

        def counted(widget: Widget, crop: Region) -> object:
            asked.append(type(widget).__name__)
            return render_lines(widget, crop)

        monkeypatch.setattr(Widget, "render_lines", counted)
        # Settled first: nothing else (a blinking cursor, a clock) draws meanwhile.
        for _ in range(40):
            asked.clear()
            await pilot.pause(0.15)
            if not asked:
                break
        assert not asked, f"the screen never settled: {asked}"
        row = items.region.y + 1
        app.screen.refresh(Region(items.region.x, row, items.region.width, 1))
        await pilot.pause()
        await wait_for(pilot, lambda: "ItemList" in asked, what="the list row redrawn")
        # The step bar, the footer and the block's guide are on other rows: not asked.
        assert StepBar.__name__ not in asked
        assert KeysFooter.__name__ not in asked
        assert items.region.contains(items.region.x, row)


async def test_a_key_is_drawn_once_handled_without_waiting_for_textuals_clock(
    sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with on_the_canvas(sessions_dir) as (app, pilot):
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.focused, Input), what="the item's field")
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, LineScreen)
        # Textual's 60 Hz clock is stopped for good: whatever is drawn now, the screen drew
        # on its own, as soon as it had handled the key.
        monkeypatch.setattr(screen._update_timer, "resume", lambda: None)
        drawn: list[str] = []
        refresh = screen._compositor_refresh

        def counted() -> None:
            field = app.focused
            drawn.append(field.value if isinstance(field, Input) else "")
            refresh()

        monkeypatch.setattr(screen, "_compositor_refresh", counted)
        await pilot.press("Q")
        # Waited for without `pilot.pause`, which draws a frame itself.
        await _until(lambda: any(v.endswith("Q") for v in drawn), "the Q drawn")
        assert app.screen.query_one("#field-text", Input).value.endswith("Q")


async def test_frames_stay_a_frame_apart(sessions_dir: Path) -> None:
    """Drawn at once only when the last frame is a frame's time old: still ≤ 60 a second."""
    async with on_the_canvas(sessions_dir) as (app, pilot):
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, LineScreen)
        screen._last_frame = time.perf_counter() + 60  # "a frame just went out", for a minute
        before = screen._last_frame
        screen.refresh()
        assert screen._repaint_required  # there is something to draw
        await screen._on_idle(events.Idle())
        assert screen._last_frame == before, "drew within a frame of the last one"
        # Not lost: Textual's clock draws it instead, at its next tick.
        await _until(lambda: screen._last_frame != before, "the clock's frame")
