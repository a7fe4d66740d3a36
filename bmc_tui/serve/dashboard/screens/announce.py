"""Ask for a one-line announcement; an empty one clears it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ....room import MAX_ANNOUNCEMENT
from ....text import one_line
from ....widgets.footer import KeysFooter


class AnnounceScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Announcement to every participant (empty clears it):")
            yield Input(self.current, max_length=MAX_ANNOUNCEMENT, id="announcement")
        yield KeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(one_line(event.value, MAX_ANNOUNCEMENT))

    def action_cancel(self) -> None:
        self.dismiss(None)
