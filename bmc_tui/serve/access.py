"""Which sessions a name that has logged in may open: decided here, and only here.

The workshop opens a participant's own session (or their team's); `export` streams a
session only when `access_for(...).allows(...)` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Access:
    own: str | None  # the session `export` with no name gives; None for the facilitator
    sessions: frozenset[str] = frozenset()
    everything: bool = False  # the facilitator: every session, and the room report

    def allows(self, session_id: str) -> bool:
        return self.everything or session_id in self.sessions


def access_for(slug: str, facilitator: bool, sessions_dir: Path) -> Access:
    """The sessions this name may open: their own session, named after them, and, while
    they are in a team, the team's canvas (which `export` with no name then gives)."""
    if facilitator:
        return Access(own=None, everything=True)
    from .teams import read_teams

    team = read_teams(sessions_dir).team_of(slug)
    if team is None:
        return Access(own=slug, sessions=frozenset({slug}))
    return Access(own=team.team_id, sessions=frozenset({slug, team.team_id}))
