"""Summon: bring everyone (or one person, or one team) to a step.

Choose the step with ↑/↓ and Enter; "Who" below says whom (everyone unless changed).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Select
from textual.widgets.option_list import Option

from ....model import STEP_TITLES, STEPS
from ....room import EVERYONE
from ....widgets.footer import KeysFooter
from .dialog import Dialog


class SummonScreen(Dialog[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    KEYS_TITLE = "summon"

    def __init__(self, targets: list[tuple[str, str]], current: str | None = None) -> None:
        """`targets`: (label, target) pairs besides everyone, e.g. ("Ana", "person:ana")."""
        super().__init__()
        self.targets = targets
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Bring to which step? ↑/↓ then Enter (Tab: who)")
            yield OptionList(
                *[Option(STEP_TITLES[step], id=step) for step in STEPS], id="summon-step"
            )
            yield Label("Who")
            yield Select(
                [("Everyone", EVERYONE), *self.targets],
                value=EVERYONE,
                allow_blank=False,
                id="summon-who",
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        steps = self.query_one(OptionList)
        steps.highlighted = STEPS.index(self.current) if self.current in STEPS else 1
        steps.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        who = self.query_one(Select).value
        if event.option.id is not None:
            self.finish((who if isinstance(who, str) else EVERYONE, event.option.id))

    def action_cancel(self) -> None:
        self.finish(None)
