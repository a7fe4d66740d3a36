"""How a step screen draws: only the rows that changed, as soon as they changed.

Textual 8.2.8 (pinned) renders a partial update by taking the box around every changed
region and asking each widget whose *clip* meets that box for all of its lines (from its
line cache), then keeping only the changed lines. On a step screen nearly every widget's
clip is the screen, so one changed line of an item list cost a pass over every line of
every widget on screen: the step bar, the guide, the footer, the form, each container.
With a room typing (twenty people, three teammates' screens per key) that pass was most
of a server's CPU (docs/performance.md, "Teams").

`LineCompositor` asks each widget only for its lines on the changed rows. What reaches
the terminal is the same: a row that changed is rendered in full, front to back, exactly
as Textual does it (tests/ui/test_line_compositor.py compares the two on every step).

`LineScreen` also draws a change as soon as the screen has handled it. Textual draws on a
60 Hz clock that runs from when the screen started: a key waits for the next tick (8 ms
on average), and a key handled a moment late on a busy server misses one and waits a
whole frame more. Here a change is drawn when the screen goes idle, unless a frame went
out less than a frame's time ago (then Textual's clock draws it, as before): at most 60
frames a second still, and no wait for a tick.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, cast

from textual import events
from textual._compositor import Compositor
from textual.geometry import Region
from textual.screen import UPDATE_PERIOD, Screen
from textual.strip import Strip


def _bands(rows: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive rows, as (first, end) with `end` exclusive."""
    start = previous = None
    for row in rows:
        if previous is not None and row == previous + 1:
            previous = row
            continue
        if start is not None and previous is not None:
            yield start, previous + 1
        start = previous = row
    if start is not None and previous is not None:
        yield start, previous + 1


class LineCompositor(Compositor):
    """Textual's compositor, rendering each widget only on the rows being updated."""

    def _render_chops(
        self,
        crop: Region,
        is_rendered_line: Callable[[int], bool],
    ) -> Sequence[Mapping[int, Strip]]:
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        bands = list(_bands([y for y in crop.line_range if is_rendered_line(y)]))
        crop_overlaps = crop.overlaps
        # In Textual's render order (front first): the first strip given a cut wins.
        for widget, (region, clip) in self.visible_widgets.items():
            shown = region.intersection(clip)
            if not shown or not crop_overlaps(shown):
                continue  # nothing of it is on a row or column being updated
            x, top, width, height = shown
            bottom = top + height
            first_cut, last_cut = shown.column_span
            for band_top, band_end in bands:
                first, end = max(top, band_top), min(bottom, band_end)
                if first >= end:
                    continue
                strips = widget.render_lines(
                    Region(x - region.x, first - region.y, width, end - first)
                )
                for y, strip in zip(range(first, end), strips, strict=False):
                    chops_line = chops[y]
                    final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                    pieces = strip.divide([cut - x for cut in final_cuts[1:]])
                    for cut, piece in zip(final_cuts, pieces, strict=False):
                        if chops_line.get(cut) is None:
                            chops_line[cut] = piece
        return cast("Sequence[Mapping[int, Strip]]", chops)


class LineScreen(Screen[None]):
    """A screen drawn by `LineCompositor`, each change drawn once the screen is idle."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compositor = LineCompositor()
        self._last_frame = 0.0

    def _on_timer_update(self) -> None:
        self._last_frame = time.perf_counter()
        super()._on_timer_update()

    async def _on_idle(self, event: events.Idle) -> None:
        if (
            self.is_current
            and not self.app._batch_count
            and (
                self._layout_required
                or self._scroll_required
                or self._repaint_required
                or self._dirty_widgets
            )
            and time.perf_counter() - self._last_frame >= UPDATE_PERIOD
        ):
            event.prevent_default()
            self._on_timer_update()  # what Textual's clock would do at its next tick
            return
        await super()._on_idle(event)
