"""A step screen's compositor: a partial update renders only the lines that changed.

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
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import cast

from textual._compositor import Compositor
from textual.geometry import Region
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
