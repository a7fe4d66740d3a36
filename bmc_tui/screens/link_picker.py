"""Choosing what an item links to, by name: no one ever types an id."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from ..widgets.footer import KeysFooter

if TYPE_CHECKING:
    from textual.strip import Strip


HEADING = "\x00heading:"  # the value of a heading line: never an item id


class TickList(SelectionList[str]):
    # SelectionList's own Space, named so the Footer says how to tick.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "select", "Tick")]

    def render_line(self, y: int) -> Strip:
        # A heading (a kind's name between its items) has no tick box.
        index = self.scroll_offset.y + y
        if index < self.option_count:
            option = self.get_option_at_index(index)
            if option.disabled and str(option.value).startswith(HEADING):
                return OptionList.render_line(self, y)
        return super().render_line(y)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Textual's SelectionList toggles whatever is highlighted when this message is
        # handled: after a quick Space, Down (type-ahead, a burst over SSH) that is the next
        # item. Toggle the item Space or Enter was pressed on.
        event.stop()
        event.prevent_default()
        self.toggle(self.get_option_at_index(event.option_index))


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
        headings: dict[str, str] | None = None,
    ) -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.candidates = candidates
        self.chosen = chosen
        self.hint = hint
        # item id -> a heading shown above it (the first item of each kind, when several).
        self.headings = headings or {}

    def _selections(self) -> list[Selection[str]]:
        selections: list[Selection[str]] = []
        for item_id, label in self.candidates:
            heading = self.headings.get(item_id)
            if heading is not None:
                selections.append(
                    Selection(
                        Content.styled(heading, "bold"), HEADING + item_id, False, disabled=True
                    )
                )
            selections.append(Selection(Content(label), item_id, item_id in self.chosen))
        return selections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog link-dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            if self.candidates:
                yield TickList(*self._selections(), id="choices")
                yield Label(self.hint, classes="field-hint")
            else:
                yield Label(
                    "There is nothing to link to yet: add those items first.", classes="field-hint"
                )
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.candidates:
            ticks = self.query_one(SelectionList)
            ticks.focus()
            if self.headings:
                # Start on the first item, not on the heading above it.
                ticks.highlighted = 1

    def action_done(self) -> None:
        if not self.candidates:
            self.dismiss(None)
            return
        selected = set(self.query_one(SelectionList).selected)
        self.dismiss([item_id for item_id, _ in self.candidates if item_id in selected])


class FieldList(OptionList):
    # OptionList's own Enter, named so the Footer says what it does here.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Choose")]


class LinkFieldScreen(ModalScreen[str | None]):
    """Asks which of an item's link fields to choose (a key activity links two kinds)."""

    CSS = "#link-fields { height: auto; max-height: 12; }"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, fields: list[tuple[str, str]]) -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.fields = fields

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog link-dialog"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield FieldList(
                *(Option(Content(label), id=name) for name, label in self.fields),
                id="link-fields",
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        fields = self.query_one(FieldList)
        fields.highlighted = 0
        fields.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
