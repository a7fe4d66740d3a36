"""Which sessions a name that has logged in may open: decided here, and only here.

The workshop opens a participant's own session; `export` streams a session only when
`access_for(...).allows(...)` says so. A team's session, once names belong to teams, is
one more id in `Access.sessions` (and may become the `own` one): nothing else changes.
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
    """The sessions this name may open. `sessions_dir` is where a roster of teams would be
    read from; a participant today opens exactly their own session, named after them."""
    if facilitator:
        return Access(own=None, everything=True)
    return Access(own=slug, sessions=frozenset({slug}))
