"""The canvas at a glance, in the classic layout.

    partners | activities / resources | value propositions | relationships / channels | segments
    cost structure                                         | revenue streams

At 80×24 each cell shows the first items, cut to fit; larger terminals get more of each.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Static

from ..model import BLOCK_TITLES, Session
from ..text import one_line

# (block, grid area) in the order the cells are laid out by the grid below.
LAYOUT = (
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


class CanvasCell(Static):
    """One block: its title and its items, one line each."""

    def __init__(self, block: str) -> None:
        super().__init__(id=f"cell-{block}", classes=f"canvas-cell cell-{block}")
        self.block = block
        self.border_title = BLOCK_TITLES[block]

    def show(self, session: Session, flagged: set[str]) -> None:
        items = session.canvas.block(self.block)
        text = Text(overflow="ellipsis")
        if not items:
            text.append("(empty)", style="dim italic")
        for n, item in enumerate(items):
            if n:
                text.append("\n")
            text.append(
                "! " if item.id in flagged else "• ",
                style="yellow" if item.id in flagged else "dim",
            )
            text.append(one_line(item.label, 80) or "(no text)")
        self.update(text)
        self.border_subtitle = str(len(items)) if items else ""


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
