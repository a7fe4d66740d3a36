"""What a team member's process and the server's team hub say to each other.

One JSON object per line over a Unix socket, at most :data:`MAX_MESSAGE` bytes a line.
A member's process says, in this order:

* ``{"type": "hello", "secret": S}`` first: the per-launch secret the server gave that
  process. It names the person and the team; nothing else is accepted before it.
* ``{"type": "op", "n": N, "base": SEQ, "op": {"name": ..., "args": {...}}}``: one Editor
  call (see ``bmc_tui.collab``). ``n`` numbers the sender's own operations; ``base`` is the
  last team change it had seen (in the field it writes: on the person's screen).
  ``"tell": true`` (optional): it knowingly replaces a teammate's change (bringing one's
  own text back), and that teammate is told.
* ``{"type": "presence", "step": STEP, "editing": [KIND, ITEM_ID, FIELD] | null}``.
* ``{"type": "keep_votes"}``: copy the results of the closed votes on the team's session
  from the room file into it (the hub reads the room file; nothing comes from the member).

The hub answers:

* ``{"type": "welcome", "me", "team", "client", "seq", "session": TOML}``: the team's
  session as it is now, and the number of the last change in it.
* ``{"type": "applied", "seq", "author", "client", "n", "op", "overwrote", "base",
  "told"}``: every change the team applied, in order, to every member (its sender
  included); ``overwrote`` names the teammate whose change to the field it replaced
  without having seen it (or, with ``told``, knowingly).
* ``{"type": "refused", "n": N, "reason": TEXT}``: one of the sender's operations was not
  applied (nothing of it was).
* ``{"type": "presence", "members": {NAME: {"connected", "step", "editing"}}}``.
* ``{"type": "error", "reason": TEXT}``: a message that was not one; the connection stays
  (after a bad hello it is closed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from ..collab import BadOperation, Op
from ..model import STEPS
from ..text import one_line

# Big enough for a session of thousands of items in a welcome, and for a restored item.
MAX_MESSAGE: Final = 4 * 1024 * 1024
# What a member's process may send in one line: an operation carries at most one text.
MAX_CLIENT_MESSAGE: Final = 256 * 1024
MAX_SECRET: Final = 128


class ProtocolError(ValueError):
    """A message that is not one; the reason is for the log."""


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes, limit: int = MAX_MESSAGE) -> dict[str, Any]:
    if len(line) > limit:
        raise ProtocolError(f"a message of {len(line)} bytes (at most {limit})")
    try:
        message = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProtocolError(f"not JSON: {one_line(str(error), 80)}") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolError("a message is an object with a type")
    return message


@dataclass(frozen=True)
class Hello:
    secret: str


@dataclass(frozen=True)
class OpMessage:
    n: int
    base: int
    op: Op
    tell: bool = False  # knowingly replaces a teammate's change: they are told


@dataclass(frozen=True)
class Presence:
    step: str | None
    editing: tuple[str, str, str] | None


@dataclass(frozen=True)
class Request:
    """A change to the teams: `join`/`leave` (anyone, for themselves); `create`, `rename`
    and `assign` (the facilitator only)."""

    kind: str
    team: str | None = None
    name: str | None = None
    person: str | None = None
    start: str | None = None  # create: an example's name or "copy:PERSON"; None: empty


REQUESTS: Final = {
    "join": ("team",),
    "leave": (),
    "create": ("name", "start"),  # start null or missing: an empty canvas
    "rename": ("team", "name"),
    "assign": ("person", "team"),  # team null: out of any team
    # A member saw a vote on the team's session closed: the hub copies its result from the
    # room file into the session (it is the file's one writer; the member sends no data).
    "keep_votes": (),
}
# The fields that may be null (or missing).
OPTIONAL: Final = frozenset({("assign", "team"), ("create", "start")})
MAX_FIELD: Final = 200

ClientMessage = Hello | OpMessage | Presence | Request


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53


def parse_client(line: bytes) -> ClientMessage:
    """A member's message, checked all the way down, or ProtocolError."""
    message = decode(line, MAX_CLIENT_MESSAGE)
    kind = message["type"]
    if kind == "hello":
        secret = message.get("secret")
        if not isinstance(secret, str) or not 0 < len(secret) <= MAX_SECRET:
            raise ProtocolError("hello without a secret")
        return Hello(secret)
    if kind == "op":
        n, base = message.get("n"), message.get("base")
        if not isinstance(n, int) or not isinstance(base, int) or not _int(n) or not _int(base):
            raise ProtocolError("op: n and base must be whole numbers")
        try:
            op = Op.parse(message.get("op"))
        except BadOperation as error:
            raise ProtocolError(str(error)) from None
        tell = message.get("tell", False)
        if not isinstance(tell, bool):
            raise ProtocolError("op: tell must be true or false")
        return OpMessage(n, base, op, tell)
    if kind == "presence":
        step, editing = message.get("step"), message.get("editing")
        if step is not None and step not in STEPS:
            raise ProtocolError("presence: unknown step")
        if editing is not None and not (
            isinstance(editing, list)
            and len(editing) == 3
            and all(isinstance(p, str) and len(p) <= 200 for p in editing)
        ):
            raise ProtocolError("presence: editing is [kind, item id, field] or null")
        where = (editing[0], editing[1], editing[2]) if editing is not None else None
        return Presence(step, where)
    if kind in REQUESTS:
        fields: dict[str, str | None] = {}
        for name in REQUESTS[kind]:
            value = message.get(name)
            optional = (kind, name) in OPTIONAL
            if value is None and optional:
                fields[name] = None
                continue
            if not isinstance(value, str) or not 0 < len(value) <= MAX_FIELD:
                raise ProtocolError(f"{kind}: {name} must be a short text")
            fields[name] = value
        return Request(kind, **fields)
    raise ProtocolError(f"unknown message type {one_line(kind, 40)!r}")
