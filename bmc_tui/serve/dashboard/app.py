"""The dashboard app: owns the sessions folder and the room; screens own their UI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from ...room import Room, read_room, write_room
from .screens.room import RoomScreen

if TYPE_CHECKING:
    from ..member import TeamMember


class DashboardApp(App[None]):
    CSS_PATH = "dashboard.tcss"
    TITLE = "bmc-tui · facilitator"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit")]

    def __init__(
        self, sessions_dir: Path, hub: Path | None = None, secret: str | None = None
    ) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self.hub = hub
        self.secret = secret
        self.teams_link: TeamMember | None = None  # forming teams goes through the hub

    def on_mount(self) -> None:
        self.push_screen(RoomScreen(self.sessions_dir))
        if self.hub is not None:
            self.run_worker(self._connect_hub(), group="hub")

    async def _connect_hub(self) -> None:
        from ..member import TeamError, TeamMember

        assert self.hub is not None
        link = TeamMember(
            self.hub,
            self.secret or "",
            on_said=lambda text: self.notify(text, title="Teams", severity="warning"),
        )
        try:
            await link.join()
        except TeamError as error:
            self.notify(f"Teams cannot be changed: {error}", severity="error", timeout=10)
            return
        self.teams_link = link
        await link.run()

    # The room file is the only channel to the participants' screens.

    def room(self) -> Room:
        return read_room(self.sessions_dir)

    def announce(self, text: str | None) -> None:
        room = self.room()
        now = datetime.now(UTC).replace(microsecond=0)
        write_room(
            self.sessions_dir,
            Room(
                announcement=text or None,
                announced_at=now if text else None,
                timebox_step=room.timebox_step,
                timebox_ends=room.timebox_ends,
            ),
        )

    def set_timebox(self, minutes: float | None, step: str | None) -> None:
        room = self.room()
        ends = None
        if minutes:
            ends = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=minutes)
        write_room(
            self.sessions_dir,
            Room(
                announcement=room.announcement,
                announced_at=room.announced_at,
                timebox_step=step if ends else None,
                timebox_ends=ends,
            ),
        )
