"""The dashboard app: owns the sessions folder and the room; screens own their UI."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ...room import Room, read_room, write_room
from .screens.room import RoomScreen


class DashboardApp(App[None]):
    CSS_PATH = "dashboard.tcss"
    TITLE = "bmc-tui · facilitator"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit")]

    def __init__(self, sessions_dir: Path) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir

    def on_mount(self) -> None:
        self.push_screen(RoomScreen(self.sessions_dir))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # The dashboard always runs over SSH: a screenshot would land on the server.
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

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
