"""Choosing what an item links to, by name: no one ever types an id."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, SelectionList
from textual.widgets.selection_list import Selection


class LinkPickerScreen(ModalScreen[list[str] | None]):
    """Returns the chosen ids in the list's order (None when there was nothing to choose)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Esc keeps the ticks: closing a picker should never throw work away.
        Binding("escape,ctrl+s,f10", "done", "Done"),
    ]

    def __init__(
        self,
        title: str,
        candidates: list[tuple[str, str]],
        chosen: list[str],
        *,
        hint: str = "Space or Enter ticks an item; Esc when done.",
    ) -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.candidates = candidates
        self.chosen = chosen
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog link-dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            if self.candidates:
                yield SelectionList[str](
                    *(
                        Selection(Content(label), item_id, item_id in self.chosen)
                        for item_id, label in self.candidates
                    ),
                    id="choices",
                )
                yield Label(self.hint, classes="field-hint")
            else:
                yield Label(
                    "There is nothing to link to yet: add those items first.", classes="field-hint"
                )
        yield Footer()

    def on_mount(self) -> None:
        if self.candidates:
            self.query_one(SelectionList).focus()

    def action_done(self) -> None:
        if not self.candidates:
            self.dismiss(None)
            return
        selected = set(self.query_one(SelectionList).selected)
        self.dismiss([item_id for item_id, _ in self.candidates if item_id in selected])
