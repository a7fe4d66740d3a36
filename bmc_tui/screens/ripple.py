"""After a customer segment changes or goes: the items linked to it, to look at again.

In the canvas one block's change ripples through the others. Rather than leave that to
memory, the list names every value proposition, channel, relationship, revenue stream,
focus market and plan item that is (or was) linked to the segment; Enter goes to one.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ..model import KIND_STEP, KIND_TITLES, Session
from ..text import one_line
from ..widgets.footer import KeysFooter


class RippleList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Go there")]


def ripple_items(session: Session, refs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(step, item id, label) for each (kind, id) still in the session, in session order."""
    rows = []
    seen: set[str] = set()
    for kind, item_id in refs:
        if item_id in seen:
            continue
        seen.add(item_id)
        found = session.find(item_id)
        if found is None:
            continue
        text = one_line(found[1].label, 50) or item_id
        rows.append((KIND_STEP[kind], item_id, f"{KIND_TITLES[kind]}: “{text}”"))
    return rows


class RippleScreen(ModalScreen[tuple[str, str] | None]):
    """Returns (step, item id) to go to, or None to stay."""

    CSS = "#ripple-items { height: auto; max-height: 14; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Stay here"),
        # A modal hides the app's keys; the delete dialog promised "Ctrl+Z undoes it".
        Binding("ctrl+z", "undo", "Undo"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog link-dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Label(
                "In a business model one block's change ripples through the others. "
                "These items are linked to this segment: check that each still fits.",
                classes="field-hint",
            )
            yield RippleList(
                *(
                    Option(Content(label), id=f"{step}:{item_id}")
                    for step, item_id, label in self.rows
                ),
                id="ripple-items",
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        items = self.query_one(RippleList)
        items.highlighted = 0
        items.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        step, item_id, _ = self.rows[index]
        self.dismiss((step, item_id))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_undo(self) -> None:
        app = self.app
        self.dismiss(None)
        app.call_later(app.run_action, "undo")
