"""Who may come in: one `Gate` per TCP connection, deciding authentication and role."""

from __future__ import annotations

import asyncio
import hmac
import logging

import asyncssh

from ..store import slugify
from ..text import one_line
from .config import FACILITATOR
from .session import Identity, WorkshopSession
from .workshop import Workshop

log = logging.getLogger("bmc_tui.serve")

# A wrong passcode costs the guesser this long; a person mistyping barely notices.
FAILED_AUTH_DELAY = 1.0


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())


class Gate(asyncssh.SSHServer):
    def __init__(self, workshop: Workshop, authorized_keys: asyncssh.SSHAuthorizedKeys | None):
        self.workshop = workshop
        self.config = workshop.config
        self._keys = authorized_keys
        self._conn: asyncssh.SSHServerConnection | None = None
        self._peer = "?"
        self._refusal: str | None = None
        self._user = ""
        self._slug = ""

    @property
    def _facilitator(self) -> bool:
        return self._slug == FACILITATOR

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername")
        self._peer = str(peer[0]) if peer else "?"
        self.workshop.connections += 1
        if self.workshop.connections > self.config.connection_cap:
            self._refusal = "The workshop server is busy; try again in a moment."
            log.warning("connection cap reached, refusing %s", self._peer)
        elif not self.workshop.rate.allow(self._peer):
            self._refusal = "Too many new connections from your address; wait a minute."
            log.warning("too many connections from %s", self._peer)

    def connection_lost(self, exc: Exception | None) -> None:
        self.workshop.connections -= 1

    def begin_auth(self, username: str) -> bool:
        self._user = username
        self._slug = slugify(username)
        if self._refusal is not None:
            assert self._conn is not None
            self._conn.send_auth_banner(self._refusal + "\r\n")
            return True
        if self._facilitator:
            return True
        if self.config.open:
            return False
        if self._keys is not None and self._conn is not None:
            self._conn.set_authorized_keys(self._keys)
        return True

    def password_auth_supported(self) -> bool:
        if self._refusal is not None:
            return False
        return self._facilitator or self.config.passcode is not None

    async def validate_password(self, username: str, password: str) -> bool:
        expected = self.config.facilitator_passcode if self._facilitator else self.config.passcode
        if _same(password, expected):
            return True
        log.warning("wrong passcode for %s from %s", one_line(username, 40), self._peer)
        await asyncio.sleep(FAILED_AUTH_DELAY)
        return False

    def public_key_auth_supported(self) -> bool:
        return self._refusal is None and not self._facilitator and self._keys is not None

    def kbdint_auth_supported(self) -> bool:
        # NotImplemented would tie keyboard-interactive to passwords (a "Password:" prompt),
        # which is what OpenSSH clients try first; when no password applies, say no.
        return NotImplemented if self.password_auth_supported() else False

    def session_requested(self) -> WorkshopSession:
        identity = Identity(self._user, self._slug, self._facilitator, self._peer)
        return WorkshopSession(self.workshop, identity)
