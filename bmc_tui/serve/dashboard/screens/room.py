"""The room: every participant's session, live, and the actions on the whole room."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ....progress import WORK_STEPS
from ....text import one_line
from ....widgets.footer import KeysFooter
from ...roster import Roster, Row
from ..format import BAR_CELLS, ago, bar, remaining, step_title
from .announce import AnnounceScreen
from .session import SessionScreen
from .timebox import TimeboxScreen

if TYPE_CHECKING:
    from ..app import DashboardApp

REFRESH_SECONDS = 1.0
# Short enough that the whole table fits an 80-column terminal (ssh's usual size).
STEP_HEADS = {
    "social": "Soc",
    "canvas": "Can",
    "practices": "Prc",
    "strategy": "Str",
    "plan": "Pln",
    "fitness": "Fit",
}


class RoomScreen(Screen[None]):
    BINDINGS = [
        Binding("o", "open", "Open read-only", id="open"),
        Binding("t", "timebox", "Timebox", id="timebox"),
        Binding("a", "announce", "Announce", id="announce"),
        Binding("x", "clear_timebox", "Stop timebox", id="clear-timebox"),
        Binding("n", "new_team", "New team", id="new-team"),
        Binding("r", "rename_team", "Rename team", id="rename-team", show=False),
        Binding("m", "move_person", "Move to team", id="move-person"),
    ]

    def __init__(self, sessions_dir: Path) -> None:
        super().__init__()
        self.roster = Roster(sessions_dir)

    @property
    def dashboard(self) -> DashboardApp:
        return cast("DashboardApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="room-state")
        yield DataTable(id="room", cursor_type="row", zebra_stripes=True)
        yield Static(id="room-count")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Participant", key="name", width=15)
        table.add_column("Step", key="step", width=9)
        for step in WORK_STEPS:
            table.add_column(STEP_HEADS[step], key=step, width=BAR_CELLS)
        table.add_column("Err", key="err", width=3)
        table.add_column("Warn", key="warn", width=4)
        table.add_column("Active", key="active", width=7)
        self.refresh_room()
        self.set_interval(REFRESH_SECONDS, self.refresh_room)

    def _cells(self, row: Row) -> list[Text | str]:
        name = Text.assemble(
            ("● ", "green") if row.connected else ("○ ", "dim"),
            (row.title, "bold" if row.connected else "dim"),
        )
        if row.is_team:
            name.append(f" {row.online}/{len(row.members)}", style="cyan")
        if row.expected:
            name.append(" (not here)", style="dim italic")
            return [name, "-", *[""] * len(WORK_STEPS), "", "", ""]
        if row.problem:
            return [name, Text("unreadable", style="red"), *[""] * len(WORK_STEPS), "", "", ""]
        bars = [bar(*row.progress.get(step, (0, 0))) for step in WORK_STEPS]
        errors = Text(str(row.errors), style="bold red" if row.errors else "")
        active = ago(row.last_activity)
        return [name, row.step or "-", *bars, errors, str(row.warnings), active]

    def refresh_room(self) -> None:
        table = self.query_one(DataTable)
        rows = self.roster.rows()
        keep = self._selected()
        table.clear()
        for row in rows:
            table.add_row(*self._cells(row), key=row.session_id)
        if keep is not None:
            for index, row in enumerate(rows):
                if row.session_id == keep:
                    table.move_cursor(row=index, animate=False)
        online = sum(1 for r in rows if r.connected and not r.is_team)
        self.query_one("#room-count", Static).update(f"{online} connected · {len(rows)} sessions")
        room = self.dashboard.room()
        parts = []
        left = remaining(room.timebox_ends)
        if left:
            step = f" for {step_title(room.timebox_step)}" if room.timebox_step else ""
            parts.append(f"Timebox{step}: {left}")
        if room.announcement:
            parts.append(f"Announcement: {one_line(room.announcement, 120)}")
        self.query_one("#room-state", Static).update(
            Text(" · ".join(parts) or "No timebox, no announcement.")
        )

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key.value if key is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        session_id = self._selected()
        row = next((r for r in self.roster.rows() if r.session_id == session_id), None)
        if row is not None and row.expected:
            return  # no session yet: nothing to open
        if session_id is not None:
            path = self.roster.sessions_dir / f"{session_id}.toml"
            self.app.push_screen(SessionScreen(path))

    # -- teams (through the server's hub: it moves connected people at once) -------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_team", "rename_team", "move_person"):
            return self.dashboard.teams_link is not None
        return True

    def _selected_row(self) -> Row | None:
        selected = self._selected()
        return next((r for r in self.roster.rows() if r.session_id == selected), None)

    def action_new_team(self) -> None:
        from .teams import TeamNameScreen

        def done(name: str | None) -> None:
            link = self.dashboard.teams_link
            if name and link is not None:
                link.request("create", name=name)

        self.app.push_screen(TeamNameScreen("Name of the new team:"), done)

    def action_rename_team(self) -> None:
        from .teams import TeamNameScreen

        row = self._selected_row()
        if row is None or not row.is_team:
            self.notify("Choose a team's row first.", severity="warning")
            return

        def done(name: str | None) -> None:
            link = self.dashboard.teams_link
            if name and link is not None and row is not None:
                link.request("rename", team=row.session_id, name=name)

        current = row.title.removeprefix("Team ")
        self.app.push_screen(TeamNameScreen("New name of the team:", current), done)

    def action_move_person(self) -> None:
        from .teams import NO_TEAM, PickTeamScreen

        row = self._selected_row()
        link = self.dashboard.teams_link
        if row is None or row.is_team or link is None:
            self.notify("Choose a person's row first.", severity="warning")
            return
        person = row.session_id
        teams = [(str(t["id"]), str(t.get("name", t["id"]))) for t in link.teams]

        def done(choice: str | None) -> None:
            if choice is not None and link is not None:
                link.request("assign", person=person, team=None if choice == NO_TEAM else choice)

        self.app.push_screen(PickTeamScreen(row.title, teams), done)

    def action_timebox(self) -> None:
        def done(result: tuple[float, str | None] | None) -> None:
            if result is not None:
                self.dashboard.set_timebox(*result)
                self.refresh_room()

        self.app.push_screen(TimeboxScreen(), done)

    def action_clear_timebox(self) -> None:
        self.dashboard.set_timebox(None, None)
        self.refresh_room()

    def action_announce(self) -> None:
        def done(text: str | None) -> None:
            if text is not None:
                self.dashboard.announce(text)
                self.refresh_room()

        self.app.push_screen(AnnounceScreen(self.dashboard.room().announcement or ""), done)
