"""The vote as the facilitator sees it: the tally, live, and `c` to close it for everyone."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ....report import plural
from ....text import one_line
from ....votes import Vote
from ....widgets.footer import KeysFooter
from ..format import remaining

if TYPE_CHECKING:
    from ..app import DashboardApp

REFRESH_SECONDS = 1.0


def render_tally(vote: Vote, counts: dict[str, int]) -> Text:
    """One line per candidate, most dots first, with a bar of dots."""
    order = {c.key: n for n, c in enumerate(vote.candidates)}
    ranked = sorted(vote.candidates, key=lambda c: (-counts.get(c.key, 0), order[c.key]))
    out = Text()
    for c in ranked:
        n = counts.get(c.key, 0)
        out.append(f"{n:>3} ", style="bold" if n else "dim")
        out.append(("●" * min(n, 30)).ljust(12) + " ", style="green")
        out.append(one_line(c.text, 80))
        if vote.scope is None:
            out.append(f"  ({c.session_title})", style="dim")
        out.append("\n")
    return out


class VoteTallyScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "close_vote", "Close the vote", id="close-vote"),
        Binding("escape", "app.pop_screen", "Back to the room", id="back"),
    ]

    def __init__(self, vote_id: str) -> None:
        super().__init__()
        self.vote_id = vote_id

    @property
    def dashboard(self) -> DashboardApp:
        return cast("DashboardApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="tally-title")
        yield Static(id="tally-status")
        with VerticalScroll(id="tally-scroll"):
            yield Static(id="tally")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "dot vote"
        self.refresh_tally()
        self.set_interval(REFRESH_SECONDS, self.refresh_tally)

    def _vote(self) -> Vote | None:
        for vote in reversed(self.dashboard.room().votes):
            if vote.id == self.vote_id:
                return vote
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_vote":
            vote = self._vote()
            return vote is not None and vote.closed_at is None
        return True

    def refresh_tally(self) -> None:
        vote = self._vote()
        status = self.query_one("#tally-status", Static)
        if vote is None:
            status.update("This vote is no longer in the room file.")
            return
        self.query_one("#tally-title", Static).update(
            Text.assemble(("Dot vote: ", "bold"), (vote.title, "bold"), f" · {vote.rules}")
        )
        if vote.result is not None:
            counts = dict(vote.result)
            status.update(
                f"Closed: {plural(sum(counts.values()), 'dot')} from {vote.voters} "
                f"{'person' if vote.voters == 1 else 'people'}. Every screen shows this result."
            )
        else:
            counts, voters = self.dashboard.tally(vote)
            left = remaining(vote.closes_at)
            status.update(
                f"Open: {plural(sum(counts.values()), 'dot')} from {voters} so far"
                + (f" · {left}" if left else " · c closes it")
            )
        self.query_one("#tally", Static).update(render_tally(vote, counts))
        self.refresh_bindings()

    def action_close_vote(self) -> None:
        self.dashboard.close_vote()
        self.refresh_tally()
