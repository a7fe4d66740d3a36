"""The facilitator's questions about teams: a new team (its name, and what its canvas starts
from), a team's new name, which member of a team to move, and which team someone is in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from ....text import one_line
from ....widgets.footer import KeysFooter
from ....widgets.line_input import LineInput
from ...teams import MAX_NAME
from .dialog import Dialog

NO_TEAM = "@none"
EMPTY_START = "@empty"


class TeamNameScreen(Dialog[str | None]):
    """A team's name (new, or renamed); None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    KEYS_TITLE = "team name"

    def __init__(self, heading: str, current: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading)
            yield LineInput(self.current, max_length=MAX_NAME, id="team-name")
        yield KeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = one_line(event.value, MAX_NAME).strip()
        self.finish(name or None)

    def action_cancel(self) -> None:
        self.finish(None)


class NewTeamScreen(Dialog[tuple[str, str | None] | None]):
    """A new team: its name, and its canvas's start (None: empty; an example's name;
    "copy:PERSON", a copy of that session, whose own file is left as it is)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    KEYS_TITLE = "new team"

    def __init__(self, starts: list[tuple[str, str]]) -> None:
        """`starts`: (label, start) pairs besides an empty canvas."""
        super().__init__()
        self.starts = starts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Name of the new team, then Enter (Tab: its canvas)")
            yield LineInput("", max_length=MAX_NAME, id="team-name")
            yield Label("Its canvas starts")
            yield Select(
                [("empty", EMPTY_START), *self.starts],
                value=EMPTY_START,
                allow_blank=False,
                id="team-start",
            )
        yield KeysFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = one_line(event.value, MAX_NAME).strip()
        if not name:
            return  # a team needs a name: Esc cancels
        start = self.query_one(Select).value
        self.finish((name, start if isinstance(start, str) and start != EMPTY_START else None))

    def action_cancel(self) -> None:
        self.finish(None)


class _PickScreen(Dialog[str | None]):
    """A list to pick from: the chosen option's id, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.finish(event.option.id)

    def action_cancel(self) -> None:
        self.finish(None)


class PickTeamScreen(_PickScreen):
    """Which team a person goes to: a team's id, NO_TEAM, or None when cancelled."""

    KEYS_TITLE = "move to a team"

    def __init__(self, person: str, teams: list[tuple[str, str]], now: str | None) -> None:
        """`now`: the id of the team the person is in (None: their own session)."""
        super().__init__()
        self.person = person
        self.teams = teams
        self.now = now

    def compose(self) -> ComposeResult:
        now = next((n for i, n in self.teams if i == self.now), None)
        where = f"in Team {one_line(now, 40)}" if now is not None else "on their own session"
        with Vertical(classes="dialog"):
            yield Label(f"Move {one_line(self.person, 30)} to:")
            yield Label(f"Now {where}.", id="pick-team-now")
            options = [
                Option(f"Team {one_line(n, 40)}" + (" (now)" if i == self.now else ""), id=i)
                for i, n in self.teams
            ]
            own = " (now)" if self.now is None else ""
            options.append(Option(f"No team (their own session){own}", id=NO_TEAM))
            yield OptionList(*options, id="pick-team")
        yield KeysFooter()


class PickMemberScreen(_PickScreen):
    """Which member of a team to move (their name), or None when cancelled."""

    KEYS_TITLE = "move a team's member"

    def __init__(self, team: str, members: list[tuple[str, bool]]) -> None:
        """`members`: (name, connected) pairs."""
        super().__init__()
        self.team = team
        self.members = members

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Move whom of {one_line(self.team, 40)}?")
            yield OptionList(
                *[
                    Option(("● " if on else "○ ") + one_line(name, 40), id=name)
                    for name, on in self.members
                ],
                id="pick-member",
            )
        yield KeysFooter()
