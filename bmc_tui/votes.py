"""Dot voting: what a vote is, what a ballot may hold, and how the dots are counted.

The facilitator's dashboard opens a vote by writing it into the room file (the candidates
are copied there when the vote opens, so every screen shows the same list and nobody
needs to read another person's session). Each participant's own process writes that
person's dots into a small file of their own, `.serve/votes/<vote>/<person>.toml` (by the
name they connect with, not by session: the members of a team share one session, and each
of them has their own dots); only the
dashboard reads them all, to show the tally and, at the close, to write the result into the
room file. One writer per file: no locks, no races.

A ballot file is never trusted: every reader passes it through `clean_ballot`, which keeps
only known candidates and whole, positive counts, at most one per item when the vote says
so, and at most the vote's number of dots in all, whatever was written or typed.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .model import BLOCK_TITLES, BLOCKS, Session
from .text import one_line

DEFAULT_DOTS = 3
MAX_DOTS = 20
MAX_CANDIDATES = 300
MAX_CANDIDATE_TEXT = 120
VOTES_DIR = ".serve/votes"
# Vote ids and people's names become file names: nothing that could climb out of the folder.
SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class VoteError(ValueError):
    """Why a vote cannot be opened, in one line for the facilitator."""


@dataclass(frozen=True)
class Candidate:
    key: str  # "<session>/<item id>": unique in the vote, stable across edits
    text: str
    session: str
    session_title: str


@dataclass(frozen=True)
class Vote:
    id: str
    block: str
    scope: str | None  # one session's id, or None for every session in the room
    scope_title: str
    dots: int
    one_per_item: bool
    candidates: tuple[Candidate, ...]
    opened_at: datetime
    closes_at: datetime | None = None
    closed_at: datetime | None = None
    # At the close: the dots per candidate key and how many people voted.
    result: tuple[tuple[str, int], ...] | None = None
    voters: int = 0

    @property
    def title(self) -> str:
        where = self.scope_title if self.scope else "the room"
        return f"{BLOCK_TITLES.get(self.block, self.block)} of {where}"

    @property
    def rules(self) -> str:
        each = f"{self.dots} dot{'s' if self.dots != 1 else ''} each"
        return each + (", at most one per item" if self.one_per_item else "")

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and (self.closes_at is None or now < self.closes_at)

    def candidate(self, key: str) -> Candidate | None:
        for c in self.candidates:
            if c.key == key:
                return c
        return None

    def ranked(self) -> list[tuple[Candidate, int]]:
        """The result, most dots first (ties in the candidates' order); [] before the close."""
        if self.result is None:
            return []
        counts = dict(self.result)
        order = {c.key: n for n, c in enumerate(self.candidates)}
        ranked = [(c, counts.get(c.key, 0)) for c in self.candidates]
        return sorted(ranked, key=lambda pair: (-pair[1], order[pair[0].key]))


def candidates_from(sessions: Iterable[tuple[str, Session]], block: str) -> tuple[Candidate, ...]:
    """The items of one canvas block of these sessions (by id), as vote candidates."""
    if block not in BLOCKS:
        raise VoteError(f"Unknown block: {block}")
    found = []
    for session_id, session in sessions:
        title = one_line(session.title, 40) or session_id
        for item in session.canvas.block(block):
            text = one_line(item.text, MAX_CANDIDATE_TEXT)
            if text:
                found.append(Candidate(f"{session_id}/{item.id}", text, session_id, title))
    return tuple(found[:MAX_CANDIDATES])


def new_vote(
    vote_id: str,
    block: str,
    candidates: tuple[Candidate, ...],
    *,
    scope: str | None,
    scope_title: str,
    dots: int,
    one_per_item: bool,
    opened_at: datetime,
    closes_at: datetime | None,
) -> Vote:
    """A vote ready to open, or VoteError saying why not (empty list, bad numbers)."""
    where = scope_title if scope else "any session in the room"
    if not candidates:
        raise VoteError(
            f"Nothing to vote on: {BLOCK_TITLES.get(block, block)} is empty in {where}."
        )
    if not 1 <= dots <= MAX_DOTS:
        raise VoteError(f"Dots per person: between 1 and {MAX_DOTS}.")
    if one_per_item and dots > len(candidates):
        # Not an error: with one dot per item nobody can place more dots than items.
        dots = len(candidates)
    if closes_at is not None and closes_at <= opened_at:
        raise VoteError("The closing time must be in the future.")
    return Vote(
        vote_id,
        block,
        scope,
        scope_title,
        dots,
        one_per_item,
        candidates,
        opened_at,
        closes_at,
    )


# -- ballots ---------------------------------------------------------------------------


def clean_ballot(vote: Vote, raw: object) -> dict[str, int]:
    """The dots of a ballot as the vote allows them: known candidates only, whole counts
    of at least one, at most one per item if so, and no more than `vote.dots` in all
    (the dots beyond it are dropped in the candidates' order, so the result is stable)."""
    if not isinstance(raw, Mapping):
        return {}
    cap = 1 if vote.one_per_item else vote.dots
    left = vote.dots
    clean: dict[str, int] = {}
    for candidate in vote.candidates:
        count = raw.get(candidate.key)
        if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
            continue
        count = min(count, cap, left)
        if count:
            clean[candidate.key] = count
            left -= count
        if not left:
            break
    return clean


def dots_used(ballot: Mapping[str, int]) -> int:
    return sum(ballot.values())


def add_dot(vote: Vote, ballot: Mapping[str, int], key: str) -> dict[str, int]:
    """The ballot with one more dot on `key`, or unchanged if the vote does not allow it."""
    return clean_ballot(vote, _bump(vote, ballot, key, +1))


def remove_dot(vote: Vote, ballot: Mapping[str, int], key: str) -> dict[str, int]:
    """The ballot with one dot fewer on `key` (never below none)."""
    return clean_ballot(vote, _bump(vote, ballot, key, -1))


def _bump(vote: Vote, ballot: Mapping[str, int], key: str, delta: int) -> dict[str, int]:
    current = clean_ballot(vote, ballot)
    if vote.candidate(key) is None:
        return current
    if delta > 0 and dots_used(current) >= vote.dots:
        return current
    current[key] = max(current.get(key, 0) + delta, 0)
    return current


def tally(vote: Vote, ballots: Iterable[object]) -> dict[str, int]:
    """Dots per candidate key over these (raw) ballots; every key of the vote is present."""
    counts = {c.key: 0 for c in vote.candidates}
    for raw in ballots:
        for key, count in clean_ballot(vote, raw).items():
            counts[key] += count
    return counts


def ballot_dir(folder: Path, vote_id: str) -> Path:
    if not SAFE_NAME.fullmatch(vote_id):
        raise ValueError(f"not a vote id: {vote_id!r}")
    return Path(folder) / VOTES_DIR / vote_id


def ballot_path(folder: Path, vote_id: str, person: str) -> Path:
    if not SAFE_NAME.fullmatch(person):
        raise ValueError(f"not a person's name: {person!r}")
    return ballot_dir(folder, vote_id) / f"{person}.toml"


def _read_dots(path: Path, vote_id: str) -> object:
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    if doc.get("vote") != vote_id:
        return {}
    return doc.get("dots", {})


def read_ballot(folder: Path, vote: Vote, person: str) -> dict[str, int]:
    """One person's dots (cleaned); none if they have not voted or the file is bad."""
    try:
        path = ballot_path(folder, vote.id, person)
    except ValueError:
        return {}
    return clean_ballot(vote, _read_dots(path, vote.id))


def read_ballots(folder: Path, vote: Vote) -> dict[str, dict[str, int]]:
    """Every ballot of the vote by person, each cleaned (the dashboard's view)."""
    try:
        entries = list(os.scandir(ballot_dir(folder, vote.id)))
    except (OSError, ValueError):
        return {}
    ballots = {}
    for entry in entries:
        stem = entry.name.removesuffix(".toml")
        if entry.name.endswith(".toml") and SAFE_NAME.fullmatch(stem):
            ballot = clean_ballot(vote, _read_dots(Path(entry.path), vote.id))
            if ballot:
                ballots[stem] = ballot
    return ballots


def write_ballot(folder: Path, vote: Vote, person: str, ballot: Mapping[str, int]) -> None:
    """Replace this person's ballot file atomically (their own process is its only writer)."""
    import tomli_w

    path = ballot_path(folder, vote.id, person)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    doc = {"vote": vote.id, "person": person, "dots": clean_ballot(vote, ballot)}
    fd, tmp = tempfile.mkstemp(prefix=".ballot.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tomli_w.dumps(doc).encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- the copy kept in a session file -----------------------------------------------------

# A vote on one session's block is also kept in that session's file, under this top-level
# key (a key the session format does not define, so every bmc-tui keeps it as it is).
# Only the session's one writer adds it, when it sees the result: the participant's own
# process for a person's session, the server's team hub for a team's (see `keep_results`).
SESSION_KEY = "room_votes"


def keep_results(extra: dict[str, object], votes: Iterable[Vote], session_id: str) -> bool:
    """Add the result of every closed vote on `session_id` not kept yet to a session's
    `extra` (its top-level keys the format does not define); True if anything was added.
    A hand-edited key holding something else is left alone."""
    mine = [v for v in votes if v.scope == session_id and v.result is not None]
    kept = extra.get(SESSION_KEY, [])
    if not mine or not isinstance(kept, list):
        return False
    have = {entry.get("id") for entry in kept if isinstance(entry, dict)}
    new = [session_copy(v) for v in mine if v.id not in have]
    if new:
        extra[SESSION_KEY] = [*kept, *new]
    return bool(new)


@dataclass(frozen=True)
class VoteRecord:
    """A closed vote as kept in a session file: what exports show."""

    id: str
    block: str
    closed_at: datetime | None
    dots: int
    voters: int
    results: tuple[tuple[str, int], ...]  # (item text, dots), most dots first

    @property
    def title(self) -> str:
        return f"Dot vote on {BLOCK_TITLES.get(self.block, self.block)}"


def session_copy(vote: Vote) -> dict[str, object]:
    """The result of a closed vote on one session, as a table for that session's file."""
    counts = dict(vote.result or ())
    doc: dict[str, object] = {
        "id": vote.id,
        "block": vote.block,
        "dots": vote.dots,
        "one_per_item": vote.one_per_item,
        "voters": vote.voters,
    }
    if vote.closed_at is not None:
        doc["closed_at"] = vote.closed_at
    doc["results"] = [
        {"item": c.key.split("/", 1)[1], "text": c.text, "dots": counts.get(c.key, 0)}
        for c, _ in vote.ranked()
    ]
    return doc


def session_votes(session: Session) -> list[VoteRecord]:
    """The vote results kept in a session (tolerant: a hand-edited entry that does not fit
    is skipped, never an error)."""
    raw = session.extra.get(SESSION_KEY)
    found = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            continue
        vote_id, block, dots, voters = (entry.get(k) for k in ("id", "block", "dots", "voters"))
        rows = entry.get("results")
        if not (isinstance(vote_id, str) and block in BLOCKS and isinstance(rows, list)):
            continue
        results = tuple(
            (one_line(r["text"], MAX_CANDIDATE_TEXT), r["dots"])
            for r in rows
            if isinstance(r, dict)
            and isinstance(r.get("text"), str)
            and isinstance(r.get("dots"), int)
            and not isinstance(r.get("dots"), bool)
            and r["dots"] >= 0
        )
        closed = entry.get("closed_at")
        found.append(
            VoteRecord(
                one_line(vote_id, 40),
                str(block),
                closed if isinstance(closed, datetime) else None,
                dots if isinstance(dots, int) and not isinstance(dots, bool) else 0,
                voters if isinstance(voters, int) and not isinstance(voters, bool) else 0,
                results,
            )
        )
    return found
