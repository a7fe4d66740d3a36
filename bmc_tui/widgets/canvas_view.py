"""The canvas at a glance, in the classic layout.

    partners | activities / resources | value propositions | relationships / channels | segments
    cost structure                                         | revenue streams

Each cell fits its items to the room it has: an item takes at most a few lines (cut with
"…"), and when the items do not all fit the last line says how many more there are. Narrow
cells get short block titles, so at 80×24 every block is still named.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widget import Widget

from ..model import AMOUNT_KINDS, BLOCK_TITLES, Session
from ..money import format_amount, monthly_total
from ..text import one_line

# Blocks in the order the grid below lays the cells out.
LAYOUT: Final = (
    "key_partnerships",
    "key_activities",
    "value_propositions",
    "customer_relationships",
    "customer_segments",
    "key_resources",
    "channels",
    "cost_structure",
    "revenue_streams",
)
# Shorter block titles for narrow cells, longest first (not in guide.py: layout only).
SHORT_TITLES: Final = MappingProxyType(
    {
        "key_partnerships": ("Partnerships", "Partners"),
        "key_activities": ("Activities",),
        "key_resources": ("Resources",),
        "value_propositions": ("Value",),
        "customer_relationships": ("Relationships", "Relations"),
        "channels": ("Channels",),
        "customer_segments": ("Segments",),
        "cost_structure": ("Costs",),
        "revenue_streams": ("Revenue",),
    }
)
EMPTY: Final = "(empty)"
NO_TEXT: Final = "(no text)"


def wrapped(console: Console, label: Text, width: int) -> list[Text]:
    """`label` wrapped to `width` less a two-column indent, all its lines."""
    return list(label.wrap(console, max(width - 2, 2)))


def cut_lines(lines: list[Text], width: int, most: int) -> list[Text]:
    """The first `most` of `lines`, the last one ending in "…" when some are left out."""
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    last = kept[-1].copy()
    last.truncate(max(width - 3, 1))
    last.rstrip()
    last.append("…")
    kept[-1] = last
    return kept


class CanvasCell(Widget):
    """One block: its title in the border, its items inside, fitted to the cell's size."""

    DEFAULT_CSS = """
    CanvasCell { height: 100%; }
    """

    def __init__(self, block: str) -> None:
        super().__init__(id=f"cell-{block}", classes=f"canvas-cell cell-{block}")
        self.block = block
        self.border_title = BLOCK_TITLES[block]
        self._entries: list[tuple[bool, str]] = []
        self._wrapper: Console | None = None  # for wrapping; made once, per cell

    def show(self, session: Session, flagged: set[str]) -> None:
        self._entries = [
            (item.id in flagged, one_line(item.label, None) or NO_TEXT)
            for item in session.canvas.block(self.block)
        ]
        subtitle = str(len(self._entries)) if self._entries else ""
        if self.block in AMOUNT_KINDS:
            # Costs and revenue sit side by side along the bottom: so do their totals.
            total = monthly_total(session.canvas.block(self.block))
            if total is not None:
                subtitle += f" · {format_amount(total, session.currency)} a month"
        self.border_subtitle = subtitle
        self.refresh()

    def on_resize(self) -> None:
        titles = (BLOCK_TITLES[self.block], *SHORT_TITLES[self.block])
        # A border title needs three columns each side of it (corner, line, space).
        fitting = [t for t in titles if len(t) + 6 <= self.outer_size.width]
        self.border_title = fitting[0] if fitting else titles[-1]

    def render(self) -> Text:
        width = max(self.content_size.width, 4)
        height = max(self.content_size.height, 1)
        if not self._entries:
            return Text(EMPTY, style="dim italic")
        console = self._wrapper
        if console is None or console.width != width:
            console = Console(width=width, legacy_windows=False, color_system=None)
            self._wrapper = console
        # Each item wrapped once (a gallery page draws nine cells of them); then as many
        # lines per item as lets every item fit, from four down to two.
        full = [wrapped(console, Text(label), width) for _, label in self._entries]
        most = 2
        for most in (4, 3, 2):
            if sum(min(len(lines), most) for lines in full) <= height:
                break
        lines: list[Text] = []
        for n, (flag, _label) in enumerate(self._entries):
            last = n + 1 == len(self._entries)
            # Keep a line free for "+N more" while more items follow.
            room = height - len(lines) - (0 if last else 1)
            item = cut_lines(full[n], width, min(most, room)) if room > 0 else []
            if not item:
                lines.append(Text(f"+{len(self._entries) - n} more", style="dim italic"))
                break
            for k, line in enumerate(item):
                marker = Text("  ")
                if k == 0:
                    marker = Text("! ", style="bold yellow") if flag else Text("• ", style="dim")
                # assemble, not `+`: a Text's own style would dim the whole line.
                lines.append(Text.assemble(marker, line))
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)


class CanvasView(Grid):
    """All nine blocks; call `show(session, flagged_ids)` to (re)draw them."""

    DEFAULT_CSS = """
    CanvasView {
        grid-size: 5 3;
        grid-rows: 1fr 1fr 1fr;
        grid-columns: 1fr 1fr 1fr 1fr 1fr;
        grid-gutter: 0;
        height: 1fr;
        min-height: 14;
    }
    CanvasView .canvas-cell {
        border: round $primary 60%;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        height: 100%;
        overflow: hidden;
    }
    CanvasView .cell-key_partnerships, CanvasView .cell-value_propositions,
    CanvasView .cell-customer_segments { row-span: 2; }
    CanvasView .cell-cost_structure { column-span: 2; }
    CanvasView .cell-revenue_streams { column-span: 3; }
    CanvasView .cell-value_propositions { border: round $accent; }
    """

    def compose(self) -> ComposeResult:
        # Grid order: row 1 partners, activities, value (2 rows), relationships, segments (2
        # rows); row 2 resources, channels; row 3 costs (2 columns), revenue (3 columns).
        for block in LAYOUT:
            yield CanvasCell(block)

    def show(self, session: Session, flagged: set[str] | None = None) -> None:
        for cell in self.query(CanvasCell):
            cell.show(session, flagged or set())
