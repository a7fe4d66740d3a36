"""Open a dot vote: on which block, of one session or of the whole room, how many dots,
at most one per item or not, and when it closes (empty: when you press c)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select

from ....model import BLOCK_TITLES, BLOCKS
from ....votes import DEFAULT_DOTS, MAX_DOTS, Vote, VoteError
from ....widgets.footer import KeysFooter
from ....widgets.line_input import LineInput
from .dialog import Dialog

if TYPE_CHECKING:
    from ..app import DashboardApp

ROOM = "*room*"
MAX_MINUTES = 240


class VoteSetupScreen(Dialog[Vote | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    KEYS_TITLE = "dot vote"

    def __init__(self, sessions: list[tuple[str, str]], selected: str | None = None) -> None:
        """`sessions`: (label, session id) pairs to offer as the vote's scope."""
        super().__init__()
        self.sessions = sessions
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="vote-setup"):
            yield Label("Dot vote on the block")
            yield Select(
                [(BLOCK_TITLES[b], b) for b in BLOCKS],
                value="value_propositions",
                allow_blank=False,
                id="vote-block",
            )
            yield Label("Of")
            yield Select(
                [("every session in the room", ROOM), *self.sessions],
                value=ROOM,
                allow_blank=False,
                id="vote-scope",
            )
            yield Label(f"Dots per person (1–{MAX_DOTS})")
            yield LineInput(str(DEFAULT_DOTS), type="integer", id="vote-dots")
            yield Checkbox("At most one dot per item", id="vote-one")
            yield Label("Closes in minutes (empty: when you press c), then Enter")
            yield LineInput("", type="number", id="vote-minutes")
            yield Label("", id="vote-error")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#vote-dots", Input).focus()

    def _error(self, text: str) -> None:
        self.query_one("#vote-error", Label).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            dots = int(self.query_one("#vote-dots", Input).value)
        except ValueError:
            dots = 0
        if not 1 <= dots <= MAX_DOTS:
            self._error(f"Dots per person: between 1 and {MAX_DOTS}.")
            return
        text = self.query_one("#vote-minutes", Input).value.strip()
        minutes: float | None = None
        if text:
            try:
                minutes = float(text)
            except ValueError:
                minutes = 0
            if not 0 < minutes <= MAX_MINUTES:
                self._error(f"Closes in: between 1 and {MAX_MINUTES} minutes, or empty.")
                return
        block = self.query_one("#vote-block", Select).value
        scope = self.query_one("#vote-scope", Select).value
        dashboard = cast("DashboardApp", self.app)
        try:
            vote = dashboard.open_vote(
                str(block),
                None if scope == ROOM else str(scope),
                dots=dots,
                one_per_item=self.query_one("#vote-one", Checkbox).value,
                minutes=minutes,
            )
        except VoteError as error:
            self._error(str(error))
            return
        self.finish(vote)

    def action_cancel(self) -> None:
        self.finish(None)
