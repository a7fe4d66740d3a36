"""Asking for a session title (new session, duplicate)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ..widgets.line_input import LineInput


class TitlePromptScreen(ModalScreen[str | None]):
    """Returns the title typed (stripped), or None when cancelled with Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        heading: str,
        value: str = "",
        hint: str = "",
        *,
        placeholder: str = "e.g. Harbor Coffee",
        allow_empty: bool = False,
        max_length: int = 200,
    ) -> None:
        super().__init__(classes="modal")
        self.heading = heading
        self.value = value
        self.hint = hint or "The business or workshop name. Enter to create, Esc to cancel."
        self.placeholder = placeholder
        self.allow_empty = allow_empty
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.heading), classes="dialog-title")
            yield LineInput(
                self.value, id="title", placeholder=self.placeholder, max_length=self.max_length
            )
            yield Label(self.hint, classes="field-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        title = event.value.strip()
        if title or self.allow_empty:
            self.dismiss(title)
        else:
            self.notify("A session needs a title.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
