"""Ask for a timebox: how many minutes, and for which step (or whatever step each is on)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Select

from ....model import STEP_TITLES
from ....progress import WORK_STEPS
from ....widgets.footer import KeysFooter
from ....widgets.line_input import LineInput
from .dialog import Dialog

MAX_MINUTES = 240


class TimeboxScreen(Dialog[tuple[float, str | None] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    KEYS_TITLE = "timebox"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Timebox: minutes from now, then Enter")
            yield LineInput("10", type="number", id="minutes")
            yield Label("For the step")
            yield Select(
                [(STEP_TITLES[step], step) for step in WORK_STEPS],
                prompt="each participant's current step",
                id="step",
            )
            yield Label("", id="timebox-error")
        yield KeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            minutes = float(event.value)
        except ValueError:
            minutes = 0
        if not 0 < minutes <= MAX_MINUTES:
            self.query_one("#timebox-error", Label).update(f"Between 1 and {MAX_MINUTES} minutes.")
            return
        step = self.query_one(Select).value
        self.finish((minutes, step if isinstance(step, str) else None))

    def action_cancel(self) -> None:
        self.finish(None)
