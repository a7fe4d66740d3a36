"""One line on a team member's screen: who else is in the team session, and on which step."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.widgets import Static

from ..model import STEP_TITLES
from ..text import one_line
from .shown import watch_shown

if TYPE_CHECKING:
    from ..app import BmcApp


class TeamBar(Static):
    DEFAULT_CSS = """
    TeamBar { height: 1; padding: 0 1; background: $primary 20%; }
    """

    _shown: Text | None = None

    def on_mount(self) -> None:
        watch_shown(self, self.app, "team_presence", self._refresh_bar, init=False)
        self._refresh_bar()

    def _refresh_bar(self, _: object = None) -> None:
        app = cast("BmcApp", self.app)
        team = app.team
        if team is None:
            return
        text = Text()
        name = team.team_name(team.team) or team.team or ""
        text.append(f"Team {one_line(name, 30)}", style="bold")
        others = sorted(name for name in app.team_presence if name != team.me)
        if not others:
            text.append("  · nobody else here yet", style="dim")
        for name in others:
            where = app.team_presence[name]
            step = STEP_TITLES.get(where.step or "", "")
            text.append("  · ")
            text.append(one_line(name, 16), style="bold")
            if step:
                text.append(f" {step}", style="dim")
            if where.editing is not None:
                text.append(" ✎", style="magenta")
        if text != self._shown:
            self._shown = text
            # One line high (CSS): redrawn in place, without a layout of the whole screen
            # each time a teammate starts or stops typing in a field.
            self.update(text, layout=False)
