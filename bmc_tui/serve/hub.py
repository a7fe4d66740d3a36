"""The team hub: the server's copy of every team session, and its only writer.

Members' processes connect to one Unix socket (in the server's private folder) and say
which launch they are with the secret the server handed that launch (`admit`): the secret
names the person and the team, so a process can only change the session of the team its
person is in. Operations are applied in arrival order (``collab.TeamState``), sent to every
member of the team, and the file is saved atomically at most `SAVE_DELAY` after the first
unsaved change, and on `close`.

A message that is not one, or too big, is refused and logged; the connection and the team
carry on. An operation the session cannot take is refused to its sender, with the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..codec import dump_toml
from ..collab import Applied, Op, Refused, TeamState
from ..model import STEPS
from ..room import read_room
from ..store import ConflictError, Handle, Store, StoreError
from ..text import one_line
from ..votes import keep_results
from .protocol import (
    MAX_CLIENT_MESSAGE,
    Hello,
    OpMessage,
    Presence,
    ProtocolError,
    Request,
    encode,
    parse_client,
)

log = logging.getLogger("bmc_tui.serve")

SAVE_DELAY: Final = 0.5
# A member whose process reads nothing while this much waits for it is cut off (it
# reconnects and gets the whole session again); the team is not held up by it.
MAX_BACKLOG: Final = 16 * 1024 * 1024
# A member's process that says nothing useful: this many bad messages and it is cut off.
MAX_BAD_MESSAGES: Final = 20
# The author of the changes the server makes for the facilitator (a team's new title).
FACILITATOR: Final = "facilitator"


@dataclass(frozen=True)
class Grant:
    """What one launch's secret opens: a team's session (or none), as whom."""

    team: str | None
    person: str
    facilitator: bool = False


# The server's answer to a request about teams: None when done, else why not (for people).
OnRequest = Callable[[Grant, Request], str | None]


@dataclass
class _Client:
    person: str
    team: str | None
    client_id: str
    writer: asyncio.StreamWriter
    grant: Grant = field(default_factory=lambda: Grant(None, ""))
    step: str | None = None
    editing: tuple[str, str, str] | None = None


@dataclass
class Team:
    """One team session held by the hub."""

    team_id: str
    handle: Handle
    state: TeamState
    clients: dict[str, _Client] = field(default_factory=dict)
    save_timer: asyncio.TimerHandle | None = None
    dirty: bool = False
    saving: bool = False
    problem: str | None = None  # why changes are no longer taken (the file conflict)

    @property
    def people(self) -> list[str]:
        return sorted({c.person for c in self.clients.values()})


class Hub:
    def __init__(self, store: Store, socket_path: Path) -> None:
        self.store = store
        self.socket_path = socket_path
        self.teams: dict[str, Team] = {}
        self._secrets: dict[str, Grant] = {}
        self.lobby: dict[str, _Client] = {}  # connected launches that are in no team
        self.teams_document: dict[str, Any] = {"teams": []}
        self.on_request: OnRequest | None = None
        # Someone's presence (their step) changed: the server's status file follows.
        self.on_presence: Callable[[], None] | None = None
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._writes: set[asyncio.Task[Any]] = set()  # saves in flight: awaited, never cut
        self.bad_messages = 0  # how many were refused (for tests and the log)

    # -- the server's side -----------------------------------------------------------

    async def start(self) -> None:
        self._server = await asyncio.start_unix_server(
            self._serve, path=str(self.socket_path), limit=MAX_CLIENT_MESSAGE + 1
        )
        self.socket_path.chmod(0o600)

    def open_team(self, team_id: str, path: Path) -> Team:
        """Hold a team's session (the file must exist); StoreError if it cannot be written."""
        team = self.teams.get(team_id)
        if team is not None:
            return team
        handle = self.store.open(path, write=True)
        if handle.read_only:
            self.store.close(handle)
            raise StoreError(f"The team's session cannot be written: {handle.read_only}")
        team = Team(team_id, handle, TeamState(handle.session))
        self.teams[team_id] = team
        # A vote on the team that closed while nobody of it was connected.
        self.keep_votes(team)
        return team

    def keep_votes(self, team: Team) -> None:
        """Copy the results of the closed votes on the team's session from the room file
        (the dashboard's record) into the session, to be saved with it: the hub writes the
        team's file, never a member's process. Each vote once; nothing when nothing is new."""
        if team.problem is not None:
            return
        votes = read_room(self.store.root).votes
        if keep_results(team.state.session.extra, votes, team.handle.path.stem):
            log.info("team %s: vote results kept in its session", team.team_id)
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # opened outside the server's loop (a tool, a test)
                team.dirty = True
                self._save_sync(team)
            else:
                self._changed(team)

    def admit(self, team_id: str | None, person: str, *, facilitator: bool = False) -> str:
        """A secret for one launch of `person`'s process: in a team (open_team first), or
        in none (it may then only ask to join one; the facilitator may change teams)."""
        if team_id is not None and team_id not in self.teams:
            raise KeyError(team_id)
        secret = secrets.token_urlsafe(32)
        self._secrets[secret] = Grant(team_id, person, facilitator)
        return secret

    def set_title(self, team_id: str, path: Path, title: str) -> None:
        """The team was renamed: its session's title follows, as one change of the team's
        (every member's copy follows; saved like any change). Nothing to do for a team
        whose canvas is not made yet: it will be made under the new name."""
        team = self.teams.get(team_id)
        if team is None:
            if not path.exists():
                return
            try:
                team = self.open_team(team_id, path)
            except StoreError as error:
                log.error("team %s: the new title is not saved: %s", team_id, error)
                return
        if team.problem is not None or team.state.session.title == title:
            return
        op = Op.make("set_session_field", name="title", value=title)
        try:
            applied = team.state.apply(FACILITATOR, op, base=team.state.seq)
        except Refused as error:
            log.error("team %s: the new title is refused: %s", team_id, error)
            return
        self._broadcast(team, {"type": "applied", **applied.to_json()})
        self._changed(team)

    def steps(self) -> dict[str, str]:
        """The step each connected team member is on (what they last said)."""
        return {
            c.person: c.step
            for team in self.teams.values()
            for c in team.clients.values()
            if c.step is not None
        }

    def publish_teams(self, document: dict[str, Any]) -> None:
        """The teams changed: every connected launch hears of it."""
        self.teams_document = document
        message = {"type": "teams", **document}
        for client in [
            *self.lobby.values(),
            *(c for t in self.teams.values() for c in t.clients.values()),
        ]:
            self._send(client, message)

    def forget(self, secret: str) -> None:
        """That launch is over: its secret opens nothing any more."""
        self._secrets.pop(secret, None)

    async def close(self) -> None:
        """Stop taking connections, save every team, let go of the files."""
        if self._server is not None:
            self._server.close()
        for team in self.teams.values():
            for client in list(team.clients.values()):
                client.writer.close()
        for client in list(self.lobby.values()):
            client.writer.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        if self._writes:
            await asyncio.wait(list(self._writes), timeout=10)
        for team in self.teams.values():
            self._save_sync(team)
            self.store.close(team.handle)
        self.teams.clear()
        with contextlib.suppress(OSError):
            self.socket_path.unlink()

    # -- one member's connection -----------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        client: _Client | None = None
        try:
            client = await self._hello(reader, writer)
            if client is not None:
                await self._read_ops(client, reader)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            if client is not None:
                self._leave(client)
            writer.close()

    async def _line(self, reader: asyncio.StreamReader) -> bytes | None:
        """The next line (None at the end); an over-long one comes back as b"" (refused)."""
        try:
            line = await reader.readline()
        except ValueError:  # longer than the limit: asyncio dropped it
            return b"\x00too long"
        return line or None

    async def _hello(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> _Client | None:
        try:
            line = await asyncio.wait_for(self._line(reader), 10)
        except TimeoutError:
            return None
        if line is None:
            return None
        try:
            message = parse_client(line)
        except ProtocolError as error:
            self._bad(None, str(error))
            message = None
        grant = self._secrets.get(message.secret) if isinstance(message, Hello) else None
        if grant is None or (grant.team is not None and grant.team not in self.teams):
            self._bad(None, "a connection without a valid secret")
            writer.write(encode({"type": "error", "reason": "not a member of a team"}))
            return None
        if grant.team is None:
            client = _Client(grant.person, None, secrets.token_hex(8), writer, grant)
            self.lobby[client.client_id] = client
            writer.write(
                encode(
                    {
                        "type": "welcome",
                        "me": grant.person,
                        "team": None,
                        "client": client.client_id,
                        "teams": self.teams_document,
                    }
                )
            )
            return client
        team = self.teams[grant.team]
        client = _Client(grant.person, team.team_id, secrets.token_hex(8), writer, grant)
        # The same person connecting again (a reconnect, a takeover) replaces the old line.
        for old in [c for c in team.clients.values() if c.person == client.person]:
            del team.clients[old.client_id]
            old.writer.close()
        team.clients[client.client_id] = client
        writer.write(
            encode(
                {
                    "type": "welcome",
                    "me": client.person,
                    "team": team.team_id,
                    "client": client.client_id,
                    "seq": team.state.seq,
                    "session": dump_toml(team.state.session),
                    "teams": self.teams_document,
                }
            )
        )
        log.info("team %s: %s joined", team.team_id, client.person)
        self._presence(team)
        return client

    async def _read_ops(self, client: _Client, reader: asyncio.StreamReader) -> None:
        bad = 0
        while True:
            line = await self._line(reader)
            if line is None:
                return
            team = self.teams.get(client.team) if client.team is not None else None
            if team is None and client.client_id not in self.lobby:
                return  # replaced by a newer connection of the same person
            if team is not None and team.clients.get(client.client_id) is not client:
                return
            try:
                message = parse_client(line)
            except ProtocolError as error:
                bad += 1
                self._bad(client, str(error))
                self._send(client, {"type": "error", "reason": str(error)})
                if bad >= MAX_BAD_MESSAGES:
                    return
                continue
            if isinstance(message, Request):
                self._request(client, message)
            elif team is None:
                self._send(client, {"type": "error", "reason": "not in a team"})
            elif isinstance(message, OpMessage):
                self._op(team, client, message)
            elif isinstance(message, Presence):
                client.step, client.editing = message.step, message.editing
                self._reached(team, message.step)
                self._presence(team)
            # A second hello changes nothing: a connection is one launch.

    def _reached(self, team: Team, step: str | None) -> None:
        """The team's file says the furthest step a member has been on (each member's own
        step is presence, not a change of the team's): what exports, `check` and the
        dashboard's read-only view call the step reached, and where a newcomer starts."""
        session = team.state.session
        now = STEPS.index(session.step) if session.step in STEPS else 0
        if step in STEPS and STEPS.index(step) > now:
            session.step = step
            self._changed(team)

    def _request(self, client: _Client, request: Request) -> None:
        if request.kind == "keep_votes":
            team = self.teams.get(client.team) if client.team is not None else None
            if team is not None:
                self.keep_votes(team)
            return
        if request.kind in ("create", "rename", "assign") and not client.grant.facilitator:
            self._send(client, {"type": "said", "text": "Only the facilitator can do that."})
            return
        answer = "Teams cannot be changed here." if self.on_request is None else None
        if self.on_request is not None:
            answer = self.on_request(client.grant, request)
        if answer:
            self._send(client, {"type": "said", "text": answer})

    def _bad(self, client: _Client | None, reason: str) -> None:
        self.bad_messages += 1
        who = f"{client.person} (team {client.team})" if client else "a connection"
        log.warning("team hub: refused a message from %s: %s", who, one_line(reason, 120))

    def _op(self, team: Team, client: _Client, message: OpMessage) -> None:
        if team.problem is not None:
            self._send(client, {"type": "refused", "n": message.n, "reason": team.problem})
            return
        try:
            applied = team.state.apply(
                client.person,
                message.op,
                base=message.base,
                client=client.client_id,
                n=message.n,
                tell=message.tell,
            )
        except Refused as error:
            log.info(
                "team %s: refused %s's %s: %s", team.team_id, client.person, message.op.name, error
            )
            self._send(client, {"type": "refused", "n": message.n, "reason": str(error)})
            return
        self._broadcast(team, {"type": "applied", **applied.to_json()})
        self._changed(team)

    def _leave(self, client: _Client) -> None:
        if self.lobby.get(client.client_id) is client:
            del self.lobby[client.client_id]
            return
        team = self.teams.get(client.team) if client.team is not None else None
        if team is not None and team.clients.get(client.client_id) is client:
            del team.clients[client.client_id]
            log.info("team %s: %s left", team.team_id, client.person)
            self._presence(team)

    # -- sending -----------------------------------------------------------------------

    def _send(self, client: _Client, message: dict[str, Any]) -> None:
        writer = client.writer
        if writer.is_closing():
            return
        transport = writer.transport
        if transport.get_write_buffer_size() > MAX_BACKLOG:
            log.warning("team %s: %s reads nothing; cut off", client.team, client.person)
            writer.close()
            return
        writer.write(encode(message))

    def _broadcast(self, team: Team, message: dict[str, Any]) -> None:
        data = encode(message)
        for client in list(team.clients.values()):
            if client.writer.is_closing():
                continue
            if client.writer.transport.get_write_buffer_size() > MAX_BACKLOG:
                log.warning("team %s: %s reads nothing; cut off", team.team_id, client.person)
                client.writer.close()
                continue
            client.writer.write(data)

    def _presence(self, team: Team) -> None:
        members = {
            c.person: {
                "connected": True,
                "step": c.step,
                "editing": list(c.editing) if c.editing else None,
            }
            for c in team.clients.values()
        }
        self._broadcast(team, {"type": "presence", "members": members})
        if self.on_presence is not None:
            self.on_presence()

    # -- saving ------------------------------------------------------------------------

    def _changed(self, team: Team) -> None:
        team.dirty = True
        if team.save_timer is None:
            # At most SAVE_DELAY after the first unsaved change, however fast people type.
            loop = asyncio.get_running_loop()
            team.save_timer = loop.call_later(SAVE_DELAY, self._save_soon, team)

    def _save_soon(self, team: Team) -> None:
        team.save_timer = None
        if not team.dirty:
            return
        if team.saving:
            team.save_timer = asyncio.get_running_loop().call_later(
                SAVE_DELAY, self._save_soon, team
            )
            return
        try:
            data = self.store.prepare_save(team.handle)
        except StoreError as error:
            self._save_failed(team, error)
            return
        team.dirty = False
        team.saving = True
        task = asyncio.get_running_loop().create_task(self._write(team, data))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _write(self, team: Team, data: dict[str, Any]) -> None:
        try:
            await asyncio.to_thread(self.store.write_prepared, team.handle, data)
        except StoreError as error:
            team.dirty = True
            self._save_failed(team, error)
        finally:
            team.saving = False

    def _save_sync(self, team: Team) -> None:
        if team.save_timer is not None:
            team.save_timer.cancel()
            team.save_timer = None
        if (team.dirty or team.saving) and team.problem is None:
            try:
                self.store.save(team.handle)
            except StoreError as error:
                self._save_failed(team, error)
            else:
                team.dirty = False

    def flush(self) -> None:
        """Save every team now (tests, and a clean stop)."""
        for team in self.teams.values():
            self._save_sync(team)

    def _save_failed(self, team: Team, error: StoreError) -> None:
        log.error("team %s: not saved: %s", team.team_id, error)
        if isinstance(error, ConflictError):
            # The existing rule: a file changed by another program is never overwritten.
            team.problem = (
                "the team's file was changed by another program; changes are no longer saved "
                "(ask the facilitator)"
            )
            team.handle.read_only = team.problem


def applied_from(message: dict[str, Any]) -> Applied:
    """The `applied` message as an Applied (a member's side uses it)."""
    return Applied.parse(message)
