"""The room: what a facilitator shares with every participant of a workshop.

It is one small TOML file, `.room.toml`, in the workshop's sessions folder. The
facilitator's dashboard writes it (and nothing else does); each participant's app notices
a change within a quarter of a second (a `stat`) and reads it. Keeping it a file (not a
message between processes) means the participants' processes and the facilitator's never
reach into each other, and a restart of either (or of the server) loses nothing: the
announcement, the timebox, the last summon, the spotlight and every vote are in it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .model import BLOCKS, STEPS
from .text import one_line
from .votes import MAX_CANDIDATE_TEXT, MAX_DOTS, SAFE_NAME, Candidate, Vote

ROOM_FILE = ".room.toml"
MAX_ANNOUNCEMENT = 200
# Closed votes kept in the room file (the oldest go first); the open one is always kept.
MAX_VOTES = 30
EVERYONE = "all"
PERSON = "person:"
TEAM = "team:"


@dataclass(frozen=True)
class Summon:
    """ "Everyone (or one person, or one team) to this step": applied once per `id`."""

    id: str
    step: str
    # EVERYONE, "person:<name>" (the name a person connects with: a team member too, in
    # the team's session) or "team:<team id>" (as in the teams file: a rename keeps it).
    target: str
    at: datetime

    def applies_to(self, session_id: str, teams: frozenset[str] = frozenset()) -> bool:
        if self.target == EVERYONE:
            return True
        if self.target.startswith(PERSON):
            return self.target.removeprefix(PERSON) == session_id
        if self.target.startswith(TEAM):
            return self.target.removeprefix(TEAM) in teams
        return False


@dataclass(frozen=True)
class Spotlight:
    """One session on every participant's screen, read-only, until the facilitator ends it."""

    session: str
    title: str
    since: datetime


@dataclass(frozen=True)
class Room:
    announcement: str | None = None
    announced_at: datetime | None = None
    # The step the timebox is for (None: whatever step each participant is on).
    timebox_step: str | None = None
    timebox_ends: datetime | None = None
    summon: Summon | None = None
    spotlight: Spotlight | None = None
    # Every vote, oldest first; only the last one may still be open.
    votes: tuple[Vote, ...] = ()

    @property
    def last_vote(self) -> Vote | None:
        return self.votes[-1] if self.votes else None

    def open_vote(self, now: datetime) -> Vote | None:
        vote = self.last_vote
        return vote if vote is not None and vote.is_open(now) else None


def room_path(folder: Path) -> Path:
    return Path(folder) / ROOM_FILE


def read_room(folder: Path) -> Room:
    """The room as last written; a missing or unreadable file is an empty room, never an error."""
    try:
        doc = tomllib.loads(room_path(folder).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Room()
    announcement = doc.get("announcement")
    announced_at = doc.get("announced_at")
    step = doc.get("timebox_step")
    ends = doc.get("timebox_ends")
    votes = doc.get("votes")
    parsed = [_vote(v) for v in votes] if isinstance(votes, list) else []
    return Room(
        announcement=one_line(announcement, MAX_ANNOUNCEMENT) or None
        if isinstance(announcement, str)
        else None,
        announced_at=announced_at if isinstance(announced_at, datetime) else None,
        timebox_step=step if isinstance(step, str) and step in STEPS else None,
        timebox_ends=_when(ends),
        summon=_summon(doc.get("summon")),
        spotlight=_spotlight(doc.get("spotlight")),
        votes=tuple(v for v in parsed if v is not None),
    )


def _when(value: object) -> datetime | None:
    """A moment with a time zone (a local time without one would mean different things)."""
    return value if isinstance(value, datetime) and value.tzinfo else None


def _name(value: object) -> str | None:
    return value if isinstance(value, str) and SAFE_NAME.fullmatch(value) else None


def _summon(raw: object) -> Summon | None:
    if not isinstance(raw, dict):
        return None
    summon_id, step, target, at = (raw.get(k) for k in ("id", "step", "target", "at"))
    if not (_name(summon_id) and isinstance(step, str) and step in STEPS and _when(at)):
        return None
    if not isinstance(target, str) or not (target == EVERYONE or target.startswith((PERSON, TEAM))):
        return None
    return Summon(str(summon_id), step, one_line(target, 80), at)  # type: ignore[arg-type]


def _spotlight(raw: object) -> Spotlight | None:
    if not isinstance(raw, dict):
        return None
    session, title, since = raw.get("session"), raw.get("title"), raw.get("since")
    if not (_name(session) and _when(since)):
        return None
    title = one_line(title, 40) if isinstance(title, str) else ""
    return Spotlight(str(session), title or str(session), since)  # type: ignore[arg-type]


def _vote(raw: object) -> Vote | None:
    """A vote from the room file, or None if any part of it is not what the dashboard
    writes (a hand-edited room file must not crash, or mislead, anybody's screen)."""
    if not isinstance(raw, dict):
        return None
    vote_id, block, dots = _name(raw.get("id")), raw.get("block"), raw.get("dots")
    opened = _when(raw.get("opened_at"))
    if vote_id is None or block not in BLOCKS or opened is None:
        return None
    if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= MAX_DOTS:
        return None
    scope = raw.get("scope")
    if scope is not None and _name(scope) is None:
        return None
    candidates = []
    for item in raw.get("candidates", []) if isinstance(raw.get("candidates"), list) else []:
        if not isinstance(item, dict):
            continue
        key, text, session, title = (item.get(k) for k in ("key", "text", "session", "title"))
        if all(isinstance(v, str) for v in (key, text, session, title)):
            candidates.append(
                Candidate(
                    one_line(str(key), 200),
                    one_line(str(text), MAX_CANDIDATE_TEXT),
                    str(session),
                    one_line(str(title), 40),
                )
            )
    if len({c.key for c in candidates}) != len(candidates) or not candidates:
        return None
    result_raw = raw.get("result")
    result = None
    if isinstance(result_raw, dict):
        known = {c.key for c in candidates}
        result = tuple(
            (key, count)
            for key, count in result_raw.items()
            if key in known
            and isinstance(count, int)
            and not isinstance(count, bool)
            and count >= 0
        )
    voters = raw.get("voters", 0)
    scope_title = raw.get("scope_title", "")
    return Vote(
        vote_id,
        str(block),
        scope if isinstance(scope, str) else None,
        one_line(scope_title, 40) if isinstance(scope_title, str) else "",
        dots,
        raw.get("one_per_item") is True,
        tuple(candidates),
        opened,
        _when(raw.get("closes_at")),
        _when(raw.get("closed_at")),
        result,
        voters if isinstance(voters, int) and not isinstance(voters, bool) and voters >= 0 else 0,
    )


def _vote_doc(vote: Vote) -> dict[str, object]:
    doc: dict[str, object] = {
        "id": vote.id,
        "block": vote.block,
        "dots": vote.dots,
        "one_per_item": vote.one_per_item,
        "opened_at": vote.opened_at,
    }
    if vote.scope:
        doc["scope"] = vote.scope
        doc["scope_title"] = vote.scope_title
    if vote.closes_at:
        doc["closes_at"] = vote.closes_at
    if vote.closed_at:
        doc["closed_at"] = vote.closed_at
    if vote.result is not None:
        doc["result"] = dict(vote.result)
        doc["voters"] = vote.voters
    doc["candidates"] = [
        {"key": c.key, "text": c.text, "session": c.session, "title": c.session_title}
        for c in vote.candidates
    ]
    return doc


def write_room(folder: Path, room: Room) -> None:
    """Replace the room file atomically, so a reader never sees half of it."""
    import tomli_w

    doc: dict[str, object] = {}
    if room.announcement:
        doc["announcement"] = one_line(room.announcement, MAX_ANNOUNCEMENT)
    if room.announced_at:
        doc["announced_at"] = room.announced_at
    if room.timebox_step:
        doc["timebox_step"] = room.timebox_step
    if room.timebox_ends:
        doc["timebox_ends"] = room.timebox_ends
    if room.summon:
        s = room.summon
        doc["summon"] = {"id": s.id, "step": s.step, "target": s.target, "at": s.at}
    if room.spotlight:
        sp = room.spotlight
        doc["spotlight"] = {"session": sp.session, "title": sp.title, "since": sp.since}
    votes = list(room.votes)
    while len(votes) > MAX_VOTES:
        votes.pop(0)
    if votes:
        doc["votes"] = [_vote_doc(v) for v in votes]
    folder = Path(folder)
    fd, tmp = tempfile.mkstemp(prefix=".room.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tomli_w.dumps(doc).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, room_path(folder))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def fresh_id(now: datetime, taken: Iterable[str] = ()) -> str:
    """An id for a summon or a vote from the time (readable in the file), never one taken."""
    base = f"{now:%Y%m%d-%H%M%S}"
    used = set(taken)
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
