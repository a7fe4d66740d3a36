"""The facilitator's dot vote, as a participant sees it: the candidates, one's own dots,
and at the close the result.

Keys: ↑/↓ choose, Space or + places a dot, − or Backspace takes one back, Esc goes back to
one's work (F9 returns while the vote is open). Each change is written at once to this
person's own ballot file, so a dropped connection keeps the dots.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..report import plural
from ..text import one_line
from ..votes import Vote, add_dot, dots_used, read_ballot, remove_dot, write_ballot
from ..widgets.footer import KeysFooter

if TYPE_CHECKING:
    from ..app import BmcApp


def candidate_label(vote: Vote, index: int, dots: int, *, result: bool) -> Text:
    c = vote.candidates[index]
    if result:
        marks = Text(f"{dots:>3} ", style="bold" if dots else "dim")
    else:
        filled = "●" * dots
        empty = "○" * ((1 if vote.one_per_item else vote.dots) - dots)
        marks = Text.assemble((filled, "bold green"), (empty, "dim"), " ")
    whose = Text(f"  ({c.session_title})", style="dim") if vote.scope is None else Text()
    return Text.assemble(marks, one_line(c.text, 100), whose)


class VoteScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,plus", "add", "Place a dot"),
        Binding("minus,backspace", "remove", "Take a dot back"),
        Binding("escape", "close", "Back to my work"),
    ]

    def __init__(self, folder: Path, vote_id: str, person: str) -> None:
        super().__init__()
        self.folder = folder
        self.vote_id = vote_id
        self.person = person  # the ballot is this person's (a team shares a session, not dots)
        self.ballot: dict[str, int] = {}
        self._shown: tuple[object, ...] | None = None

    @property
    def bmc(self) -> BmcApp:
        return cast("BmcApp", self.app)

    @property
    def vote(self) -> Vote | None:
        for vote in reversed(self.bmc.room.votes):
            if vote.id == self.vote_id:
                return vote
        return None

    def is_open(self) -> bool:
        vote = self.vote
        return vote is not None and vote.is_open(datetime.now(UTC))

    def compose(self) -> ComposeResult:
        yield Static(id="vote-title")
        yield Static(id="vote-status")
        yield OptionList(id="vote-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        vote = self.vote
        if vote is not None:
            # A reconnect finds the dots it placed before, as the ballot file kept them.
            self.ballot = read_ballot(self.folder, vote, self.person)
        self.redraw()
        self.watch(self.app, "room", self.redraw, init=False)
        # The closing time passes without the room file changing: look every second.
        self.set_interval(1.0, self.redraw)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "remove"):
            return self.is_open()
        return True

    def redraw(self, _: object = None) -> None:
        vote = self.vote
        title = self.query_one("#vote-title", Static)
        status = self.query_one("#vote-status", Static)
        options = self.query_one(OptionList)
        if vote is None:
            title.update("This vote is no longer in the room.")
            options.clear_options()
            return
        now = datetime.now(UTC)
        open_ = vote.is_open(now)
        result = dict(vote.result) if vote.result is not None else None
        shown = (vote, open_, tuple(sorted(self.ballot.items())))
        if shown == self._shown:
            return
        if self._shown is not None and self._shown[1] and not open_:
            self.refresh_bindings()
        self._shown = shown
        title.update(
            Text.assemble(("Dot vote: ", "bold"), (vote.title, "bold"), f" · {vote.rules}")
        )
        if open_:
            left = vote.dots - dots_used(self.ballot)
            closes = f" · closes at {vote.closes_at:%H:%M} UTC" if vote.closes_at else ""
            status.update(f"Your dots left: {left} of {vote.dots}{closes}")
        elif result is None:
            status.update("The vote is closed; the count follows in a moment.")
        else:
            status.update(
                f"Result: {plural(sum(result.values()), 'dot')} from {vote.voters} "
                f"{'person' if vote.voters == 1 else 'people'}."
            )
        keep = options.highlighted
        options.clear_options()
        if result is not None:
            order = [vote.candidates.index(c) for c, _ in vote.ranked()]
            for i in order:
                key = vote.candidates[i].key
                label = candidate_label(vote, i, result.get(key, 0), result=True)
                if self.ballot.get(key):
                    label.append("  yours: " + "●" * self.ballot[key], style="green")
                options.add_option(Option(label, id=key))
        else:
            for i, c in enumerate(vote.candidates):
                options.add_option(
                    Option(
                        candidate_label(vote, i, self.ballot.get(c.key, 0), result=False), id=c.key
                    )
                )
        if options.option_count:
            options.highlighted = min(keep or 0, options.option_count - 1)

    def _change(self, add: bool) -> None:
        vote = self.vote
        options = self.query_one(OptionList)
        if vote is None or not vote.is_open(datetime.now(UTC)) or options.highlighted is None:
            return
        key = options.get_option_at_index(options.highlighted).id
        if key is None:
            return
        change = add_dot if add else remove_dot
        ballot = change(vote, self.ballot, key)
        if ballot == self.ballot:
            if add:
                self.notify("No dots left: take one back first (−).", timeout=3)
            return
        try:
            write_ballot(self.folder, vote, self.person, ballot)
        except (OSError, ValueError) as error:
            # ValueError: a session whose file name is no room name (opened outside `serve`).
            self.notify(f"Your dot was not recorded: {error}", severity="error", timeout=8)
            return
        self.ballot = ballot
        self.redraw()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._change(add=True)

    def action_add(self) -> None:
        self._change(add=True)

    def action_remove(self) -> None:
        self._change(add=False)

    def action_close(self) -> None:
        self.dismiss(None)
