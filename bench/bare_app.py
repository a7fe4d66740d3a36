"""The baseline: a bare Textual app (Header, Footer, one Input), nothing of bmc-tui.

Started exactly like bmc-tui (a fresh interpreter from the same venv), so the ratio of
the two cold starts is what bmc-tui adds on top of Textual itself.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Input

# What the cold-start bench waits for: drawn only once the whole first frame is on screen.
READY_TEXT = "Bare ready"


class BareApp(App[None]):
    TITLE = "bare-bench"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f2", "noop", READY_TEXT)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="type here", id="input")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_noop(self) -> None:
        """A binding only so that the Footer shows READY_TEXT."""


if __name__ == "__main__":
    BareApp().run()
