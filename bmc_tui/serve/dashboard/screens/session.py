"""One participant's session, read-only: its canvas and its summary, refreshed live.

The canvas is the app's own `CanvasView`, so the facilitator sees what the participant
sees; the summary below it is plain text built from `Text` pieces.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ....model import STEP_TITLES, Session
from ....progress import step_progress
from ....rules import counts, evaluate
from ....store import StoreError, load_session
from ....text import one_line
from ....widgets.canvas_view import CanvasView
from ....widgets.footer import KeysFooter

if TYPE_CHECKING:
    from ..app import DashboardApp

REFRESH_SECONDS = 2.0
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def render_summary(session: Session) -> Text:
    """Participant text is never parsed as markup, and loses its control characters."""
    out = Text()
    out.append(one_line(session.title, 80) + "\n", style="bold")
    step = STEP_TITLES.get(session.step or "", "-")
    found = evaluate(session)
    tally = counts(found)
    out.append(
        f"On step: {step} · {tally['error']} errors · {tally['warning']} warnings\n", style="dim"
    )
    progress = step_progress(session)
    out.append("  ".join(f"{STEP_TITLES[s]} {d}/{t}" for s, (d, t) in progress.items()) + "\n")
    if not found:
        out.append("No findings.\n")
    for finding in found:
        out.append(f"{finding.severity:<8}", style=SEVERITY_STYLE.get(finding.severity, ""))
        out.append(f" {one_line(finding.message, 110)}\n")
    return out


class SessionScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back to the room", id="back")]
    KEYS_TITLE = "a participant's session (read-only)"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Header()
        yield CanvasView(id="session-canvas")
        with VerticalScroll(id="session-summary"):
            yield Static(id="session-view")
        yield KeysFooter()

    def on_mount(self) -> None:
        shown = cast("DashboardApp", self.app).shown_name(self.path.stem)
        self.sub_title = f"{one_line(shown, 60)} (read-only)"
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload)

    def reload(self) -> None:
        view = self.query_one("#session-view", Static)
        try:
            session = load_session(self.path, allow_newer=True)
        except StoreError as error:
            view.update(Text(one_line(str(error), 200), style="red"))
            return
        flagged = {ref for finding in evaluate(session) for ref in finding.refs}
        self.query_one(CanvasView).show(session, flagged)
        view.update(render_summary(session))
