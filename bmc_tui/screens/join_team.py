"""The first screen's question when the workshop has teams: join one, or work on my own."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ..text import one_line

ON_MY_OWN = "@own"


class JoinTeamScreen(ModalScreen[str | None]):
    """Returns the chosen team's id, or None to go on alone (Esc too)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "alone", "On my own")]

    def __init__(self, teams: list[tuple[str, str]]) -> None:
        super().__init__(classes="modal")
        self.teams = teams

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                "This workshop has teams. Build a team's canvas together?", classes="dialog-title"
            )
            options = [
                Option(f"Team {one_line(name, 40)}", id=team_id) for team_id, name in self.teams
            ]
            options.append(Option("On my own (my own session)", id=ON_MY_OWN))
            yield OptionList(*options, id="teams")
            yield Label(
                "Your own session stays as it is. Ctrl+P → “Leave team” brings you back.",
                classes="field-hint",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        self.dismiss(None if chosen in (None, ON_MY_OWN) else chosen)

    def action_alone(self) -> None:
        self.dismiss(None)
