"""The dashboard app: owns the sessions folder and the room; screens own their UI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual import events
from textual._time import get_time
from textual.app import App
from textual.binding import Binding

from ...room import Room, read_room, write_room
from .screens.room import RoomScreen


class DashboardApp(App[None]):
    CSS_PATH = "dashboard.tcss"
    TITLE = "bmc-tui · facilitator"
    # Priority: they work in every screen and dialog, not only in the room.
    BINDINGS = [
        Binding("f1", "keys", "Keys", id="keys", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, sessions_dir: Path, take_home: str | None = None) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        # `ssh -p PORT facilitator@HOST`, under `serve`: to say how to fetch a room report.
        self.take_home = take_home
        # Keys typed before this moment were meant for a screen that has closed since.
        self._fence = 0.0

    def on_mount(self) -> None:
        self.push_screen(RoomScreen(self.sessions_dir))

    # Keys belong to the screen that was on top when they were typed: an Enter typed twice
    # in a dialog must not close it and then open a participant in the room below.

    def pop_screen(self) -> Any:
        self._fence = get_time()
        return super().pop_screen()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.time < self._fence:
            event.stop()
            return
        await super().on_event(event)

    def action_keys(self) -> None:
        from .screens.keys import KeysScreen, keys_of

        if isinstance(self.screen, KeysScreen):
            return
        title = getattr(self.screen, "KEYS_TITLE", "the dashboard")
        self.push_screen(KeysScreen(title, keys_of(self.screen)))

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
