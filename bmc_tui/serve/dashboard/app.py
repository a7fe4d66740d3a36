"""The dashboard app: owns the sessions folder and the room; screens own their UI.

It is the room file's only writer: every change here reads the room, changes one part of
it and writes it back whole (atomically), so the parts never undo each other.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual._time import get_time
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ...model import STEPS, Session
from ...room import EVERYONE, Room, Spotlight, Summon, fresh_id, read_room, write_room
from ...store import StoreError, load_session
from ...text import one_line
from ...votes import Vote, VoteError, candidates_from, new_vote, read_ballots, tally
from .screens.room import RoomScreen

CLOSE_CHECK_SECONDS = 1.0


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


if TYPE_CHECKING:
    from textual.driver import Driver

    from ..member import TeamMember


class DashboardApp(App[None]):
    CSS_PATH = "dashboard.tcss"
    TITLE = "bmc-tui · facilitator"
    # Priority: they work in every screen and dialog, not only in the room.
    BINDINGS = [
        Binding("f1", "keys", "Keys", id="keys", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    # Keys belong to the screen that was on top when they were typed: an Enter typed twice
    # in a dialog must not close it and then open a participant in the room below.

    def pop_screen(self) -> Any:
        self._fence = get_time()
        return super().pop_screen()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.time < self._fence:
            event.stop()
            return
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # An announcement or a team's name pasted: cleaned and fitted, as in the app.
            from ...widgets.paste import paste_for

            event = paste_for(self, event)
        await super().on_event(event)

    def get_driver_class(self) -> type[Driver]:
        # The app's driver: pastes arrive whole and in order (bmc_tui/driver.py).
        from ...driver import driver_for

        return driver_for(super().get_driver_class())

    def action_keys(self) -> None:
        from .screens.keys import KeysScreen, keys_of

        if isinstance(self.screen, KeysScreen):
            return
        title = getattr(self.screen, "KEYS_TITLE", "the dashboard")
        self.push_screen(KeysScreen(title, keys_of(self.screen)))

    def __init__(
        self,
        sessions_dir: Path,
        hub: Path | None = None,
        secret: str | None = None,
        take_home: str | None = None,
    ) -> None:
        super().__init__()
        self.sessions_dir = sessions_dir
        self.hub = hub
        self.secret = secret
        self.teams_link: TeamMember | None = None  # forming teams goes through the hub
        self._team_names: dict[str, str] = {}  # by id, as last heard from the hub
        # `ssh -p PORT facilitator@HOST`, under `serve`: to say how to fetch a room report.
        self.take_home = take_home
        # Keys typed before this moment were meant for a screen that has closed since.
        self._fence = 0.0

    def on_mount(self) -> None:
        self.push_screen(RoomScreen(self.sessions_dir))
        # A vote with a closing time closes here, even when nobody looks at its screen
        # (and, after a restart, as soon as the dashboard is back).
        self.close_due_vote()
        self.set_interval(CLOSE_CHECK_SECONDS, self.close_due_vote)
        if self.hub is not None:
            self.run_worker(self._connect_hub(), group="hub")

    async def _connect_hub(self) -> None:
        from ..member import TeamError, TeamMember

        assert self.hub is not None
        link = TeamMember(
            self.hub,
            self.secret or "",
            on_said=lambda text: self.notify(text, title="Teams", severity="warning"),
            on_teams=self._teams_changed,
        )
        try:
            await link.join()
        except TeamError as error:
            self.notify(f"Teams cannot be changed: {error}", severity="error", timeout=10)
            return
        self._team_names = self._names_of(link)
        self.teams_link = link
        await link.run()

    @staticmethod
    def _names_of(link: TeamMember) -> dict[str, str]:
        return {str(t["id"]): str(t.get("name", t["id"])) for t in link.teams}

    def _teams_changed(self) -> None:
        """The hub's word that the teams changed: what the facilitator asked is done."""
        link = self.teams_link
        if link is None:
            return
        before, self._team_names = self._team_names, self._names_of(link)
        for team_id, name in self._team_names.items():
            old = before.get(team_id)
            if old is None:
                self.notify(
                    f"Team {one_line(name, 40)} is ready: m puts people in it.", title="Teams"
                )
            elif old != name:
                self.notify(
                    f"Team {one_line(old, 40)} is now Team {one_line(name, 40)}.", title="Teams"
                )
                self._retitle(team_id, one_line(f"Team {name}", 40))

    def _retitle(self, session_id: str, title: str) -> None:
        """Every screen showing a renamed team's work says whose it is by its new name:
        the spotlight, and the votes on its canvas (their title and their candidates)."""
        room = self.room()
        spot = room.spotlight
        if spot is not None and spot.session == session_id:
            spot = replace(spot, title=title)
        votes = tuple(
            replace(
                vote,
                scope_title=title if vote.scope == session_id else vote.scope_title,
                candidates=tuple(
                    replace(c, session_title=title) if c.session == session_id else c
                    for c in vote.candidates
                ),
            )
            for vote in room.votes
        )
        if spot != room.spotlight or votes != room.votes:
            self._write(replace(room, spotlight=spot, votes=votes))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # The dashboard always runs over SSH: a screenshot would land on the server.
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

    # The room file is the only channel to the participants' screens.

    def shown_name(self, session_id: str) -> str:
        """A session as the room knows it: a team by its name ("Team Red"), not its file's
        id ("team-red"); a person's by their name, which is its id."""
        link = self.teams_link
        team = link.team_name(session_id) if link is not None else ""
        return f"Team {team}" if team else session_id

    def room(self) -> Room:
        return read_room(self.sessions_dir)

    def _write(self, room: Room) -> None:
        write_room(self.sessions_dir, room)

    def announce(self, text: str | None) -> None:
        now = _now()
        self._write(
            replace(self.room(), announcement=text or None, announced_at=now if text else None)
        )

    def set_timebox(self, minutes: float | None, step: str | None) -> None:
        ends = None
        if minutes:
            ends = _now() + timedelta(minutes=minutes)
        self._write(replace(self.room(), timebox_step=step if ends else None, timebox_ends=ends))

    def summon(self, target: str, step: str) -> Summon:
        """Bring `target` (EVERYONE, "person:<id>", "team:<name>") to a step."""
        if step not in STEPS:
            raise ValueError(step)
        room = self.room()
        now = _now()
        taken = [room.summon.id] if room.summon else []
        summon = Summon(fresh_id(now, taken), step, target or EVERYONE, now)
        self._write(replace(room, summon=summon))
        return summon

    def spotlight(self, session_id: str | None) -> None:
        """Put one session on every participant's screen (None ends the spotlight)."""
        spot = None
        if session_id is not None:
            title = session_id
            with contextlib.suppress(StoreError):
                title = one_line(self._load(session_id).title, 40) or session_id
            if session_id in self._team_names:  # its name now, even before its file follows
                title = one_line(f"Team {self._team_names[session_id]}", 40)
            spot = Spotlight(session_id, title, _now())
        self._write(replace(self.room(), spotlight=spot))

    def _load(self, session_id: str) -> Session:
        return load_session(self.sessions_dir / f"{session_id}.toml", allow_newer=True)

    # -- votes -------------------------------------------------------------------------

    def open_vote(
        self,
        block: str,
        scope: str | None,
        *,
        dots: int,
        one_per_item: bool,
        minutes: float | None,
    ) -> Vote:
        """Open a vote on one block of one session (or of every session); VoteError if not."""
        room = self.room()
        now = _now()
        if room.open_vote(now) is not None:
            raise VoteError("A vote is already open: close it first (c on the vote screen).")
        if scope is not None:
            ids = [scope]
        else:
            ids = sorted(
                p.stem for p in self.sessions_dir.glob("*.toml") if not p.name.startswith(".")
            )
        sessions = []
        scope_title = ""
        for session_id in ids:
            try:
                session = self._load(session_id)
            except StoreError:
                continue  # an unreadable file has nothing to vote on
            sessions.append((session_id, session))
            if session_id == scope:
                scope_title = one_line(session.title, 40) or session_id
        vote = new_vote(
            fresh_id(now, [v.id for v in room.votes]),
            block,
            candidates_from(sessions, block),
            scope=scope,
            scope_title=scope_title or (scope or ""),
            dots=dots,
            one_per_item=one_per_item,
            opened_at=now,
            closes_at=now + timedelta(minutes=minutes) if minutes else None,
        )
        self._write(replace(room, votes=(*room.votes, vote)))
        return vote

    def tally(self, vote: Vote) -> tuple[dict[str, int], int]:
        """The dots so far (every ballot cleaned) and how many people have placed any."""
        ballots = read_ballots(self.sessions_dir, vote)
        return tally(vote, ballots.values()), len(ballots)

    def close_vote(self) -> Vote | None:
        """Close the last vote now: its result goes into the room file for every screen."""
        room = self.room()
        vote = room.last_vote
        if vote is None or vote.closed_at is not None:
            return None
        counts, voters = self.tally(vote)
        closed = replace(
            vote,
            closed_at=min(_now(), vote.closes_at) if vote.closes_at else _now(),
            result=tuple(counts.items()),
            voters=voters,
        )
        self._write(replace(room, votes=(*room.votes[:-1], closed)))
        return closed

    def close_due_vote(self) -> None:
        vote = self.room().last_vote
        due = vote is not None and vote.closes_at is not None and vote.closes_at <= _now()
        if due and vote is not None and vote.closed_at is None:
            self.close_vote()
