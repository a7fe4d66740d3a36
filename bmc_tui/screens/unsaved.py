"""Quitting with work that is not on disk: save it as a copy, throw it away, or stay."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ..text import one_line

UnsavedChoice = Literal["copy", "discard", "stay"]


class UnsavedScreen(ModalScreen[UnsavedChoice]):
    """Asked on quit when the last save failed or the file was changed by another program."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('stay')", "Stay"),
        Binding("c", "choose('copy')", "Save a copy", show=False),
        Binding("d", "choose('discard')", "Discard", show=False),
        # Buttons side by side: the arrows move between them, as in most dialogs.
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(self, reason: str) -> None:
        super().__init__(classes="modal")
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Your latest changes are not saved", classes="dialog-title")
            yield Static(
                Content(
                    f"{one_line(self.reason, 300)}\n\nSave them as a new session beside this "
                    "one, throw them away, or stay and keep working."
                ),
                classes="dialog-detail",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save a copy (c)", variant="primary", id="copy")
                yield Button("Discard (d)", variant="error", id="discard")
                yield Button("Stay (Esc)", id="stay")

    def on_mount(self) -> None:
        self.query_one("#copy", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(event.button.id or "stay")

    def action_choose(self, choice: str) -> None:
        if choice == "copy":
            self.dismiss("copy")
        elif choice == "discard":
            self.dismiss("discard")
        else:
            self.dismiss("stay")
