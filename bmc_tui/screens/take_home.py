"""How a participant under `serve` takes their work home: the one ssh command to run.

Their session lives on the workshop server, so an export written there would be out of
their reach. This dialog shows the command that fetches it to their own computer.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class TakeHomeScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close"),
    ]

    def __init__(self, command: str) -> None:
        super().__init__(classes="modal")
        self.command = command

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Take a copy home", classes="dialog-title")
            yield Static(
                "Your session is kept on the workshop server. To get a copy, open a new "
                "terminal on your own computer (not this window) and run:",
                classes="dialog-detail",
            )
            # Content, not markup: the command is shown exactly as it must be typed.
            yield Static(Content(self.command), id="take-home-command")
            yield Static(
                "It lets you in as connecting does (the workshop passcode, or your key). "
                "--format md or --format json give the other formats. If your terminal "
                "allows it, the command is already on your clipboard.",
                classes="field-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
