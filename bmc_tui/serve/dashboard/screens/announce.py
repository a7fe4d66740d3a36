"""Ask for a one-line announcement; an empty one clears it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from ....room import MAX_ANNOUNCEMENT
from ....text import one_line
from ....widgets.footer import KeysFooter
from ....widgets.line_input import LineInput
from .dialog import Dialog


class AnnounceScreen(Dialog[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    KEYS_TITLE = "announcement"

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        # Empty each time: a field that came back filled would resend the last one on Enter.
        with Vertical(classes="dialog"):
            if self.current:
                yield Label(Text.assemble("Showing now: ", one_line(self.current, 100)))
            yield Label("Announcement to every participant (empty clears it):")
            yield LineInput("", max_length=MAX_ANNOUNCEMENT, id="announcement")
        yield KeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.finish(one_line(event.value, MAX_ANNOUNCEMENT))

    def action_cancel(self) -> None:
        self.finish(None)
