"""Teams in a workshop: who is expected, which teams there are, and who is in which.

The facilitator may declare them before the workshop in a roster file
(``bmc-tui serve --roster FILE``)::

    people = ["ana", "bo", "cy", "dee"]     # optional: who is expected

    [[teams]]
    name = "Red"
    members = ["ana", "bo"]                 # optional
    start = "platform"                      # optional: a shipped example; or "copy:ana"

Names are the names people connect with (``ssh ana@HOST``), compared as the server does
(lower case, letters, digits and -). While the workshop runs the teams change (created,
renamed, joined, left); the server keeps the current state in
``<sessions-dir>/.serve/teams.toml`` (same format, plus each team's ``id``), which the
dashboard reads. A team's canvas is the session ``<id>.toml`` in the workshop folder.
No Textual, no network.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import tomli_w

from ..store import slugify
from ..text import one_line

TEAMS_FILE: Final = Path(".serve") / "teams.toml"
MAX_TEAMS: Final = 100
MAX_NAME: Final = 40
# Every team's id, and so its canvas `team-….toml`, starts so; no person's name may.
TEAM_PREFIX: Final = "team-"


class RosterError(ValueError):
    """A roster file that cannot be used; the message names the file and the key."""


@dataclass
class Team:
    team_id: str
    name: str
    members: list[str] = field(default_factory=list)
    start: str | None = None  # None: empty; an example's name; "copy:PERSON"


@dataclass
class Teams:
    people: list[str] = field(default_factory=list)  # expected (may not have arrived)
    teams: list[Team] = field(default_factory=list)

    # -- looking up ------------------------------------------------------------------

    def team_of(self, person: str) -> Team | None:
        return next((t for t in self.teams if person in t.members), None)

    def find(self, ref: str) -> Team | None:
        """A team by id or by name (any case)."""
        wanted = ref.strip().casefold()
        return next(
            (t for t in self.teams if t.team_id == ref or t.name.casefold() == wanted), None
        )

    # -- changing --------------------------------------------------------------------

    def create(self, name: str, start: str | None = None) -> Team:
        clean = _team_name(name)
        if self.find(clean) is not None:
            raise RosterError(f"there is already a team called “{clean}”")
        if len(self.teams) >= MAX_TEAMS:
            raise RosterError(f"at most {MAX_TEAMS} teams")
        base = TEAM_PREFIX + slugify(clean)[:40].rstrip("-")
        team_id, n = base, 1
        while any(t.team_id == team_id for t in self.teams):
            n += 1
            team_id = f"{base}-{n}"
        team = Team(team_id, clean, start=start)
        self.teams.append(team)
        return team

    def rename(self, team: Team, name: str) -> None:
        """A new name; the id (and so the session file) stays."""
        clean = _team_name(name)
        other = self.find(clean)
        if other is not None and other is not team:
            raise RosterError(f"there is already a team called “{clean}”")
        team.name = clean

    def assign(self, person: str, team: Team | None) -> None:
        """Put a person in a team (out of any other), or in none."""
        for other in self.teams:
            if person in other.members:
                other.members.remove(person)
        if team is not None:
            team.members.append(person)

    # -- files -----------------------------------------------------------------------

    def to_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"people": list(self.people)}
        doc["teams"] = [
            {"id": t.team_id, "name": t.name, "members": list(t.members)}
            | ({"start": t.start} if t.start else {})
            for t in self.teams
        ]
        return doc

    def save(self, sessions_dir: Path) -> None:
        """Write the state for the dashboard (atomically: it reads while we write)."""
        path = sessions_dir / TEAMS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        data = tomli_w.dumps(self.to_document()).encode()
        fd, tmp = tempfile.mkstemp(prefix=".teams-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def team_title(team: Team) -> str:
    """The title of a team's session (and its label in the room): kept to the team's name."""
    return f"Team {team.name}"


def _team_name(name: Any) -> str:
    if not isinstance(name, str) or not one_line(name, None).strip():
        raise RosterError("a team needs a name")
    clean = one_line(name, None).strip()
    if len(clean) > MAX_NAME:
        raise RosterError(f"a team's name has at most {MAX_NAME} characters")
    return clean


def _names(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RosterError(f"{where} must be a list of names")
    people = []
    for name in value:
        slug = slugify(name)
        if slug.startswith(TEAM_PREFIX):
            raise RosterError(f"{where}: “{name}” starts with “{TEAM_PREFIX}”, kept for teams")
        if slug not in people:
            people.append(slug)
    return people


def parse_teams(doc: dict[str, Any], source: str) -> Teams:
    """Teams from a roster (or state) document; RosterError naming `source` and the key."""
    try:
        teams = Teams(people=_names(doc.get("people", []), "people"))
        tables = doc.get("teams", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            raise RosterError("teams must be [[teams]] tables")
        for index, table in enumerate(tables):
            where = f"teams[{index}]"
            unknown = set(table) - {"id", "name", "members", "start"}
            if unknown:
                raise RosterError(f"{where}: unknown key “{sorted(unknown)[0]}”")
            start = table.get("start")
            if start is not None and not isinstance(start, str):
                raise RosterError(f"{where}.start must be an example's name or copy:NAME")
            try:
                team = teams.create(table.get("name"), start)
            except RosterError as error:
                raise RosterError(f"{where}: {error}") from None
            team_id = table.get("id")
            if isinstance(team_id, str) and team_id.startswith(TEAM_PREFIX):
                team.team_id = slugify(team_id)
            for person in _names(table.get("members", []), f"{where}.members"):
                if teams.team_of(person) is not None:
                    raise RosterError(f"{where}: {person} is in two teams")
                team.members.append(person)
        unknown = set(doc) - {"people", "teams"}
        if unknown:
            raise RosterError(f"unknown key “{sorted(unknown)[0]}”")
    except RosterError as error:
        raise RosterError(f"{source}: {error}") from None
    return teams


def read_roster(path: Path) -> Teams:
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except OSError as error:
        raise RosterError(f"{path}: cannot read it ({error.strerror or error})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RosterError(f"{path}: not TOML ({error})") from None
    return parse_teams(doc, str(path))


def read_teams(sessions_dir: Path) -> Teams:
    """The server's current teams (empty when there are none, or the file is unreadable)."""
    try:
        return read_roster(sessions_dir / TEAMS_FILE)
    except RosterError:
        return Teams()


def clear_teams(sessions_dir: Path) -> None:
    (sessions_dir / TEAMS_FILE).unlink(missing_ok=True)
