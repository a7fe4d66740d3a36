"""The room: every participant's session, live, and the actions on the whole room."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ....archive import ARCHIVE_DIR, archive_session
from ....progress import WORK_STEPS
from ....room import EVERYONE, PERSON, TEAM
from ....screens.confirm import ConfirmScreen
from ....store import StoreError
from ....text import one_line
from ....votes import Vote
from ....widgets.footer import KeysFooter
from ...roster import Roster, Row
from ...teams import read_teams
from ..format import BAR_CELLS, STEP_HEADS, ago, bar, remaining, step_title, steps_cell
from .announce import AnnounceScreen
from .archive import ArchiveScreen
from .gallery import GalleryScreen
from .session import SessionScreen
from .summon import SummonScreen
from .timebox import TimeboxScreen
from .vote_setup import VoteSetupScreen
from .vote_tally import VoteTallyScreen

if TYPE_CHECKING:
    from ..app import DashboardApp

REFRESH_SECONDS = 1.0
# Where the dashboard writes room reports, beside the sessions.
REPORTS_DIR = "reports"
NAME_WIDTH = 15
STEP_WIDTH = 9


class RoomScreen(Screen[None]):
    BINDINGS = [
        Binding("o", "open", "Open read-only", id="open"),
        Binding("t", "timebox", "Timebox", id="timebox"),
        Binding("a", "announce", "Announce", id="announce"),
        Binding("x", "clear_timebox", "Stop timebox", id="clear-timebox"),
        Binding("r", "room_report", "Room report", id="room-report"),
        Binding("d", "archive", "Archive", id="archive"),
        Binding("u", "archived", "Archived", id="archived"),
        Binding("s", "summon", "Summon", id="summon"),
        Binding("p", "spotlight", "Spotlight", id="spotlight"),
        Binding("g", "gallery", "Gallery", id="gallery"),
        Binding("v", "vote", "Vote", id="vote"),
        Binding("n", "new_team", "New team", id="new-team"),
        Binding("e", "rename_team", "Rename team", id="rename-team", show=False),
        Binding("m", "move_person", "Move to team", id="move-person"),
    ]
    KEYS_TITLE = "the room"

    def __init__(self, sessions_dir: Path) -> None:
        super().__init__()
        self.roster = Roster(sessions_dir)
        self._rows: dict[str, Row] = {}
        # The order rows were first shown in: names that arrive later go to the end, so no
        # row ever moves under the facilitator's cursor.
        self._order: dict[str, int] = {}

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
        table.add_column("Participant", key="name", width=NAME_WIDTH)
        table.add_column("Step", key="step", width=STEP_WIDTH)
        for step in WORK_STEPS:
            table.add_column(STEP_HEADS[step], key=step, width=BAR_CELLS)
        table.add_column("Err", key="err", width=3)
        table.add_column("Warn", key="warn", width=4)
        table.add_column("Active", key="active", width=7)
        self.refresh_room()
        self.set_interval(REFRESH_SECONDS, self.refresh_room)

    def _cells(self, row: Row) -> list[Text | str]:
        # A team's count stays in sight: its name is cut (with "…") to leave room for it.
        count = f" {row.online}/{len(row.members)}" if row.is_team else ""
        room = max(NAME_WIDTH - 2 - len(count), 4)
        name = Text.assemble(
            ("● ", "green") if row.connected else ("○ ", "dim"),
            (one_line(row.title, room), "bold" if row.connected else "dim"),
        )
        name.append(count, style="cyan")
        if row.expected and row.is_team:  # its canvas is made when its first member arrives
            return [name, steps_cell(row.steps, STEP_WIDTH), *[""] * len(WORK_STEPS), "", "", ""]
        if row.expected:
            name.append(" (not here)", style="dim italic")
            return [name, "-", *[""] * len(WORK_STEPS), "", "", ""]
        if row.problem:
            return [name, Text("unreadable", style="red"), *[""] * len(WORK_STEPS), "", "", ""]
        bars = [bar(*row.progress.get(step, (0, 0))) for step in WORK_STEPS]
        errors = Text(str(row.errors), style="bold red" if row.errors else "")
        active = ago(row.last_activity)
        step = steps_cell(row.steps, STEP_WIDTH) if row.is_team else row.step or "-"
        return [name, step, *bars, errors, str(row.warnings), active]

    def _stable(self, rows: list[Row]) -> list[Row]:
        for row in rows:  # the roster's order (by name) for the first ones, then arrivals
            self._order.setdefault(row.session_id, len(self._order))
        return sorted(rows, key=lambda row: self._order[row.session_id])

    def refresh_room(self) -> None:
        table = self.query_one(DataTable)
        rows = self._stable(self.roster.rows())
        self._rows = {row.session_id: row for row in rows}
        keep = self._selected()
        table.clear()
        for row in rows:
            table.add_row(*self._cells(row), key=row.session_id)
        if keep is not None:
            for index, row in enumerate(rows):
                if row.session_id == keep:
                    table.move_cursor(row=index, animate=False)
        online = self.roster.people_connected
        self.query_one("#room-count", Static).update(f"{online} connected · {len(rows)} sessions")
        room = self.dashboard.room()
        parts = []
        left = remaining(room.timebox_ends)
        if left:
            step = f" for {step_title(room.timebox_step)}" if room.timebox_step else ""
            parts.append(f"Timebox{step}: {left}")
        if room.announcement:
            parts.append(f"Announcement: {one_line(room.announcement, 120)}")
        if room.spotlight:
            parts.append(f"Spotlight: {room.spotlight.title} (p on it ends it)")
        vote = room.open_vote(datetime.now(UTC))
        last = room.last_vote
        if vote is not None:
            parts.append(f"Vote open: {vote.title} (v)")
        elif last is not None and last.result is not None and last.ranked():
            top, dots = last.ranked()[0]
            parts.append(f"Last vote: {last.title}, most dots: {one_line(top.text, 40)} ({dots})")
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
        from ....examples import list_examples
        from .teams import NewTeamScreen

        def done(answer: tuple[str, str | None] | None) -> None:
            link = self.dashboard.teams_link
            if answer is not None and link is not None:
                name, start = answer
                link.request("create", name=name, start=start)

        # From a shipped example, or a copy of someone's own session (theirs stays as it is).
        starts = [(f"example: {one_line(s.title, 40)}", name) for name, s in list_examples()]
        starts += [
            (f"a copy of {row.title}", f"copy:{row.session_id}")
            for row in self.roster.rows()
            if not (row.is_team or row.expected or row.problem)
        ]
        self.app.push_screen(NewTeamScreen(starts), done)

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

        # The name itself, not the row's title: that is cut to fit the table.
        link = self.dashboard.teams_link
        current = link.team_name(row.session_id) if link is not None else ""
        self.app.push_screen(TeamNameScreen("New name of the team:", current), done)

    def action_move_person(self) -> None:
        """Move the highlighted person; on a team's row, first ask which of its members."""
        from .teams import PickMemberScreen

        row = self._selected_row()
        link = self.dashboard.teams_link
        if row is None or link is None:
            self.notify("Choose a person's or a team's row first.", severity="warning")
            return
        if not row.is_team:
            self._move(row.session_id, row.title)
            return
        if not row.members:
            self.notify(f"{row.title} has nobody in it yet.", severity="warning")
            return
        here = set(self.roster.connected)
        members = [(m, m in here) for m in row.members]

        def chosen(person: str | None) -> None:
            if person is not None:
                self._move(person, person)

        self.app.push_screen(PickMemberScreen(row.title, members), chosen)

    def _move(self, person: str, title: str) -> None:
        from .teams import NO_TEAM, PickTeamScreen

        link = self.dashboard.teams_link
        if link is None:
            return
        teams = [(str(t["id"]), str(t.get("name", t["id"]))) for t in link.teams]
        now = next((str(t["id"]) for t in link.teams if person in t.get("members", ())), None)

        def done(choice: str | None) -> None:
            if choice is not None and link is not None:
                link.request("assign", person=person, team=None if choice == NO_TEAM else choice)

        self.app.push_screen(PickTeamScreen(title, teams, now), done)

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

    # -- the room report and the archive ---------------------------------------------------

    async def action_room_report(self) -> None:
        folder = self.roster.sessions_dir
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / REPORTS_DIR / f"room-{stamp}.html"

        def work() -> Path:
            from ....export import write_text
            from ....export.room import read_room_report, render_room

            target.parent.mkdir(exist_ok=True)
            return write_text(target, render_room(read_room_report(folder), "html"))

        self.notify("Making the room report…", timeout=3)
        try:
            # A room of fifty takes a moment: the table keeps refreshing meanwhile.
            written = await asyncio.to_thread(work)
        except (StoreError, OSError) as error:
            self.notify(one_line(str(error), 200), title="No room report", severity="error")
            return
        message = f"Written to {written}"
        take_home = self.dashboard.take_home
        if take_home:
            message += (
                f"\nTo your own computer: {take_home} export --room --format html > room.html"
            )
        self.notify(message, title="Room report", timeout=30)

    def action_archive(self) -> None:
        session_id = self._selected()
        row = self._rows.get(session_id or "")
        if session_id is None or row is None:
            return
        if row.connected:
            self.notify(
                f"{row.title} is connected: archive the session once they have left.",
                title="Not archived",
                severity="warning",
            )
            return

        def done(sure: bool | None) -> None:
            if not sure:
                return
            current = self._rows.get(session_id)
            if current is not None and current.connected:
                self.notify(f"{row.title} has just connected: not archived.", severity="warning")
                return
            try:
                moved = archive_session(self.roster.sessions_dir, session_id)
            except StoreError as error:
                self.notify(one_line(str(error), 200), title="Not archived", severity="error")
                return
            self.notify(f"{row.title} is in {moved.parent.name}/{moved.name}.", title="Archived")
            self.refresh_room()

        self.app.push_screen(
            ConfirmScreen(
                f"Archive {row.title}?",
                f"{session_id}.toml moves to the {ARCHIVE_DIR}/ folder beside the sessions and "
                "leaves the room. Nothing is deleted: u (Archived) brings it back.",
                confirm_label="Archive",
            ),
            done,
        )

    def action_archived(self) -> None:
        def done(_: None) -> None:
            self.refresh_room()

        self.app.push_screen(ArchiveScreen(self.roster.sessions_dir), done)

    # -- the live room: summon, spotlight, gallery, votes ---------------------------------

    def _people(self) -> list[tuple[str, str]]:
        return [(row.title, row.session_id) for row in self.roster.rows() if not row.problem]

    def _summon_targets(self) -> list[tuple[str, str]]:
        """Whom a summon may bring: every team (by id: a rename keeps it), then every
        person by the name they connect with, team members among them (a team's members
        share its session, so a person is never named by a session)."""
        teams = read_teams(self.roster.sessions_dir).teams
        targets = [(one_line(f"Team {t.name}", 40), f"{TEAM}{t.team_id}") for t in teams]
        people: dict[str, str] = {}
        in_teams = {m for t in teams for m in t.members}
        for row in self.roster.rows():
            if row.problem:
                continue
            if row.is_team:
                for member in row.members:
                    people.setdefault(member, member)
            elif row.session_id not in in_teams:
                people.setdefault(row.session_id, row.title)
        for member in sorted(in_teams):
            people.setdefault(member, member)
        return targets + [(title, f"{PERSON}{name}") for name, title in people.items()]

    def action_summon(self) -> None:
        targets = self._summon_targets()
        labels = dict((target, label) for label, target in targets)

        def done(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.dashboard.summon(*result)
                who, step = result
                whom = "everyone" if who == EVERYONE else labels.get(who, who.split(":", 1)[1])
                self.notify(f"Summoned {whom} to {step_title(step)}.", timeout=4)

        self.app.push_screen(SummonScreen(targets), done)

    def action_spotlight(self) -> None:
        """Spotlight the selected session; on the one in the spotlight, end it."""
        session_id = self._selected()
        current = self.dashboard.room().spotlight
        if current is not None and (session_id is None or current.session == session_id):
            self.dashboard.spotlight(None)
            self.notify("Spotlight ended on every screen.", timeout=4)
        elif session_id is not None:
            row = self._rows.get(session_id)
            if row is not None and row.expected:
                self.notify("Nothing to show yet: no canvas.", severity="warning")
                return
            self.dashboard.spotlight(session_id)
            shown = one_line(self.dashboard.shown_name(session_id), 40)
            self.notify(f"{shown} is in the spotlight on every screen.", timeout=4)
        self.refresh_room()

    def action_gallery(self) -> None:
        self.app.push_screen(GalleryScreen(self.roster.sessions_dir, self._selected()))

    def action_vote(self) -> None:
        """The open vote's tally; with none open, a new vote."""
        vote = self.dashboard.room().open_vote(datetime.now(UTC))
        if vote is not None:
            self.app.push_screen(VoteTallyScreen(vote.id))
            return

        def done(vote: Vote | None) -> None:
            if vote is not None:
                self.app.push_screen(VoteTallyScreen(vote.id))

        self.app.push_screen(VoteSetupScreen(self._people(), self._selected()), done)
