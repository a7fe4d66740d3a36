"""The room for the facilitator: one row per session file, joined with who is connected.

Reads only files (the sessions and `.serve/connected.toml`); never talks to a participant's
process. Parsed sessions are cached by file stamp, so a refresh each second re-reads only
the files that changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ..model import STEPS
from ..progress import step_progress
from ..rules import counts, evaluate
from ..store import StoreError, load_session
from ..text import one_line
from .status import read_status
from .teams import read_teams


@dataclass(frozen=True)
class Row:
    session_id: str
    title: str
    connected: bool = False
    step: str | None = None
    progress: dict[str, tuple[int, int]] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    last_activity: datetime | None = None
    problem: str | None = None  # why the file could not be read
    members: tuple[str, ...] = ()  # a team's session: who is in the team
    online: int = 0  # a team's session: how many of its members are connected
    # A team's session: the steps its connected members are on, in the workshop's order
    # (the file's own step is nobody's: each member's step is their own).
    steps: tuple[str, ...] = ()
    # On the roster, not arrived yet (no session, not connected); a team: its canvas is not
    # made yet (it is, when its first member arrives).
    expected: bool = False

    @property
    def is_team(self) -> bool:
        return bool(self.members) or self.session_id.startswith("team-")


@dataclass(frozen=True)
class _Parsed:
    stamp: tuple[int, int, int]
    row: Row


class Roster:
    def __init__(self, sessions_dir: Path) -> None:
        self.sessions_dir = Path(sessions_dir)
        self._cache: dict[Path, _Parsed] = {}
        # People connected at the last `rows()`, team members included: a team's row
        # stands for several people, so counting connected rows would leave them out.
        self.people_connected = 0
        self.connected: frozenset[str] = frozenset()  # who, at the last `rows()`

    def _parse(self, path: Path) -> Row | None:
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        cached = self._cache.get(path)
        if cached is not None and cached.stamp == stamp:
            return cached.row
        try:
            session = load_session(path, allow_newer=True)
        except StoreError as error:
            row = Row(path.stem, one_line(path.stem, 40), problem=one_line(str(error), 120))
        else:
            found = counts(evaluate(session))
            row = Row(
                session.id,
                one_line(session.title, 40) or session.id,
                step=session.step,
                progress=step_progress(session),
                errors=found["error"],
                warnings=found["warning"],
                last_activity=session.updated,
            )
        self._cache[path] = _Parsed(stamp, row)
        return row

    def rows(self) -> list[Row]:
        try:
            paths = sorted(
                Path(entry.path)
                for entry in os.scandir(self.sessions_dir)
                if entry.name.endswith(".toml") and not entry.name.startswith(".")
            )
        except OSError:
            self.people_connected, self.connected = 0, frozenset()
            return []
        for gone in set(self._cache) - set(paths):
            del self._cache[gone]
        connected = read_status(self.sessions_dir).connected(datetime.now(UTC))
        self.people_connected = len(connected)
        self.connected = frozenset(connected)
        teams = {t.team_id: t for t in read_teams(self.sessions_dir).teams}
        rows = []
        for path in paths:
            row = self._parse(path)
            if row is None:
                continue
            team = teams.get(row.session_id)
            if team is not None:
                # A team's row: connected while any member is; busy as its busiest member.
                links = [connected[m] for m in team.members if m in connected]
                times = [t for t in (row.last_activity, *(c.last_input for c in links)) if t]
                on = {c.step for c in links}
                row = replace(
                    row,
                    title=one_line(f"Team {team.name}", 40),
                    members=tuple(team.members),
                    online=len(links),
                    step=None,
                    steps=tuple(step for step in STEPS if step in on),
                    connected=bool(links),
                    last_activity=max(times) if times else None,
                )
                rows.append(row)
                continue
            link = connected.get(row.session_id)
            if link is not None:
                last = max(filter(None, (row.last_activity, link.last_input)))
                row = replace(row, connected=True, last_activity=last)
            rows.append(row)
        # Teams whose canvas is not made yet: a row from the moment they exist, so a new
        # team is seen at once and its row does not appear later under the cursor.
        made = {row.session_id for row in rows}
        for team in teams.values():
            if team.team_id not in made:
                links = [connected[m] for m in team.members if m in connected]
                rows.append(
                    Row(
                        team.team_id,
                        one_line(f"Team {team.name}", 40),
                        connected=bool(links),
                        members=tuple(team.members),
                        online=len(links),
                        steps=tuple(step for step in STEPS if step in {c.step for c in links}),
                        expected=True,
                    )
                )
        # Expected people who have not arrived: the facilitator sees who is missing.
        known = {row.session_id for row in rows} | set(connected)
        expected = read_teams(self.sessions_dir)
        names = list(expected.people) + [m for t in expected.teams for m in t.members]
        for name in dict.fromkeys(names):
            if name not in known:
                rows.append(Row(name, one_line(name, 40), expected=True))
        return rows
