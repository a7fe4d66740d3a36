"""A step screen's compositor (bmc_tui/screens/compositor.py) sends the terminal exactly
what Textual's own would, while asking only the widgets on the changed rows to render."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.widget import Widget

from bmc_tui.model import STEPS
from bmc_tui.screens.base import StepScreen
from bmc_tui.screens.compositor import LineCompositor, _bands
from bmc_tui.widgets.footer import KeysFooter
from bmc_tui.widgets.item_list import ItemList
from bmc_tui.widgets.step_bar import StepBar

from .conftest import make_app, make_session, wait_for

SIZE = (120, 40)


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
    path = make_session(sessions_dir, step="canvas", example="platform")
    app = make_app(sessions_dir, path, build_ahead=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen), what="the canvas")
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
