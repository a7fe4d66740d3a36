"""A team member's process, connected to the server's team hub (no Textual here).

`TeamMember.join` connects with the launch's secret and returns the member's copy of the
team session (a ``collab.Replica``); `run` then takes what the hub sends until the line
drops, and reports each change through the callbacks (the app refreshes what changed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..codec import SessionFormatError, parse_toml
from ..collab import Applied, BadOperation, Change, Op, Replica
from .protocol import MAX_MESSAGE, ProtocolError, decode, encode

log = logging.getLogger("bmc_tui.team")


class TeamError(Exception):
    """The team cannot be reached or refused us; said for people."""


@dataclass(frozen=True)
class Whereabouts:
    """Where a teammate is: their step, and the item field they are typing in."""

    step: str | None = None
    editing: tuple[str, str, str] | None = None


@dataclass
class TeamMember:
    socket_path: Path
    secret: str
    on_change: Callable[[Change], None] = lambda change: None
    on_presence: Callable[[], None] = lambda: None
    on_lost: Callable[[], None] = lambda: None
    on_teams: Callable[[], None] = lambda: None
    on_said: Callable[[str], None] = lambda text: None
    me: str = ""
    team: str | None = None
    teams: list[dict[str, Any]] = field(default_factory=list)  # {"id", "name", "members"}
    client: str = ""
    replica: Replica | None = None
    presence: dict[str, Whereabouts] = field(default_factory=dict)
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    async def join(self, timeout: float = 10.0) -> Replica | None:
        """Connect; the member's copy of the team session, or None when in no team."""
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_unix_connection(str(self.socket_path), limit=MAX_MESSAGE + 1),
                timeout,
            )
            self._reader, self._writer = reader, writer
            writer.write(encode({"type": "hello", "secret": self.secret}))
            line = await asyncio.wait_for(reader.readline(), timeout)
            welcome = decode(line)
        except (OSError, TimeoutError, ValueError) as error:
            raise TeamError(f"the team's session cannot be reached ({error})") from None
        if welcome.get("type") != "welcome":
            raise TeamError(str(welcome.get("reason") or "the team refused this connection"))
        self._take_teams(welcome.get("teams"))
        self.me, self.client = str(welcome.get("me", "")), str(welcome.get("client", ""))
        if welcome.get("team") is None:
            return None
        try:
            session = parse_toml(str(welcome["session"]).encode())
            seq = int(welcome["seq"])
        except (KeyError, ValueError, SessionFormatError) as error:
            raise TeamError(f"the team's session could not be read ({error})") from None
        self.team = str(welcome["team"])
        self.replica = Replica(session, seq=seq, me=self.me, send=self._send_op)
        return self.replica

    def _send_op(self, n: int, base: int, op: Op, tell: bool) -> None:
        message: dict[str, Any] = {"type": "op", "n": n, "base": base, "op": op.to_json()}
        if tell:
            message["tell"] = True
        self._write(message)

    def send_presence(self, step: str | None, editing: tuple[str, str, str] | None) -> None:
        self._write(
            {"type": "presence", "step": step, "editing": list(editing) if editing else None}
        )

    def request(self, kind: str, **fields: str | None) -> None:
        """Ask the server to change the teams (join, leave; create, rename, assign)."""
        self._write({"type": kind, **fields})

    def team_name(self, team_id: str | None) -> str:
        return next((str(t.get("name")) for t in self.teams if t.get("id") == team_id), "")

    def _take_teams(self, document: Any) -> None:
        teams = document.get("teams") if isinstance(document, dict) else None
        if isinstance(teams, list):
            self.teams = [t for t in teams if isinstance(t, dict) and isinstance(t.get("id"), str)]

    def _write(self, message: dict[str, Any]) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(encode(message))

    @property
    def connected(self) -> bool:
        return self._writer is not None and not self._writer.is_closing()

    async def run(self) -> None:
        """Take the hub's messages until the line drops (then `on_lost`)."""
        assert self._reader is not None
        try:
            while True:
                line = await self._reader.readline()
                if not line:
                    break
                try:
                    self.handle(decode(line))
                except (ProtocolError, BadOperation) as error:
                    log.warning("team: a message from the hub was not understood: %s", error)
        except (ConnectionError, ValueError):
            pass
        finally:
            self.close()
            self.on_lost()

    def handle(self, message: dict[str, Any]) -> None:
        replica = self.replica
        kind = message["type"]
        if kind == "teams":
            self._take_teams(message)
            self.on_teams()
            return
        if kind == "said":
            self.on_said(str(message.get("text", "")))
            return
        if replica is None:
            return
        if kind == "applied":
            applied = Applied.parse(message)
            change = replica.receive(applied, mine=applied.client == self.client)
            if change:
                self.on_change(change)
        elif kind == "refused":
            n = message.get("n")
            if isinstance(n, int):
                self.on_change(replica.refused(n, str(message.get("reason", ""))))
        elif kind == "presence":
            members = message.get("members")
            if isinstance(members, dict):
                self.presence = {
                    str(name): _whereabouts(info)
                    for name, info in members.items()
                    if isinstance(info, dict)
                }
                self.on_presence()
        elif kind == "error":
            log.warning("team hub: %s", message.get("reason"))

    def close(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()


def _whereabouts(info: dict[str, Any]) -> Whereabouts:
    step = info.get("step")
    editing = info.get("editing")
    where = None
    if isinstance(editing, list) and len(editing) == 3 and all(isinstance(p, str) for p in editing):
        where = (editing[0], editing[1], editing[2])
    return Whereabouts(step if isinstance(step, str) else None, where)
