"""Who may come in: one `Gate` per TCP connection, deciding authentication and role.

Guessing is slowed and bounded at three levels: one passcode at a time and a few per
connection (then it is closed), a budget of wrong passcodes per address, and one for
everyone; a spent budget locks passcode logins out for a while. Connections still logging
in are counted apart from those who are in (`Admission`), with places kept for the
facilitator, so idle half-open connections cannot shut the room.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time

import asyncssh

from ..store import slugify
from ..text import one_line
from .config import FACILITATOR
from .session import Identity, WorkshopSession
from .workshop import Workshop

log = logging.getLogger("bmc_tui.serve")

# A wrong passcode costs the guesser this long; a person mistyping barely notices.
FAILED_AUTH_DELAY = 1.0
# The key of the room-wide failure budget.
EVERYONE = "*"
BUSY = "The workshop server is busy; try again in a moment."


def _same(given: str, expected: str | None) -> bool:
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class Gate(asyncssh.SSHServer):
    def __init__(self, workshop: Workshop, authorized_keys: asyncssh.SSHAuthorizedKeys | None):
        self.workshop = workshop
        self.config = workshop.config
        self._keys = authorized_keys
        self._conn: asyncssh.SSHServerConnection | None = None
        self._peer = "?"
        self._refusal: str | None = None  # why this connection may not log in at all
        self._denied: str | None = None  # why the name it asked for may not log in
        self._admitted: str | None = None  # its place while logging in ("open", "reserve")
        self._authenticated = False
        self._closer: asyncio.TimerHandle | None = None
        self._user = ""
        self._slug = ""
        self._failures = 0
        self._next_attempt = 0.0  # a passcode before this is one sent while one is pending

    @property
    def _facilitator(self) -> bool:
        return self._slug == FACILITATOR

    # -- connecting --------------------------------------------------------------------

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        peer = conn.get_extra_info("peername")
        self._peer = str(peer[0]) if peer else "?"
        if not self.workshop.rate.allow(self._peer):
            self._refuse("Too many new connections from your address; wait a minute.")
            self.workshop.log_once(f"rate {self._peer}", "too many connections from %s", self._peer)
            return
        self._admitted = self.workshop.admission.admit(self._peer)
        if self._admitted is None:
            self._refuse(BUSY)
            self.workshop.log_once(
                f"busy {self._peer}",
                "too many connections logging in (from %s or in all), refusing new ones",
                self._peer,
            )

    def _refuse(self, message: str) -> None:
        # Told why at its first login request, then closed: a refused connection holds
        # nothing for long.
        self._refusal = message
        loop = asyncio.get_running_loop()
        self._closer = loop.call_later(self.config.refused_grace, self._close)

    def _close(self) -> None:
        if self._conn is not None and not self._authenticated:
            self._conn.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._closer is not None:
            self._closer.cancel()
        self._leave_admission()
        if self._authenticated and not self._facilitator:
            self.workshop.authenticated -= 1
        self._authenticated = False
        self._conn = None

    def _leave_admission(self) -> None:
        if self._admitted is not None:
            self.workshop.admission.release(self._peer)
            self._admitted = None

    def auth_completed(self) -> None:
        self._leave_admission()
        self._authenticated = True
        self.workshop.known_addresses.add(self._peer)
        if not self._facilitator:
            self.workshop.authenticated += 1

    # -- authenticating ----------------------------------------------------------------

    def _locked(self) -> float:
        """Seconds passcodes from this address stay refused (0: they may be tried)."""
        mine = self.workshop.failures_by_address.locked(self._peer)
        if self._peer in self.workshop.known_addresses:
            return mine
        return max(mine, self.workshop.failures_total.locked(EVERYONE))

    def begin_auth(self, username: str) -> bool:
        self._user = username
        self._slug = slugify(username)
        self._denied = self._refusal
        if self._denied is None and not self._facilitator:
            if self._admitted == "reserve":
                self._denied = BUSY
            elif self.workshop.authenticated >= self.config.connection_cap:
                self._denied = BUSY
                self.workshop.log_once("cap", "connection cap reached, refusing %s", self._peer)
        if self._denied is not None:
            self._banner(self._denied)
            return True
        locked = self._locked()
        if locked and (self._facilitator or self.config.passcode is not None):
            self._banner(f"Too many wrong passcodes; passcodes are refused for {_minutes(locked)}.")
        if self._facilitator:
            return True
        if self.config.open:
            return False
        if self._keys is not None and self._conn is not None:
            self._conn.set_authorized_keys(self._keys)
        return True

    def _banner(self, text: str) -> None:
        if self._conn is not None:
            self._conn.send_auth_banner(text + "\r\n")

    def password_auth_supported(self) -> bool:
        if self._denied is not None or self._locked():
            return False
        return self._facilitator or self.config.passcode is not None

    async def validate_password(self, username: str, password: str) -> bool:
        now = time.monotonic()
        if now < self._next_attempt:
            # A new passcode while the last wrong one is still being answered: only a
            # script sends those (it would cut the delay short). One at a time, so close.
            self._failed()
            raise asyncssh.PermissionDenied("One passcode at a time.")
        if not self._locked():
            expected = (
                self.config.facilitator_passcode if self._facilitator else self.config.passcode
            )
            if _same(password, expected):
                return True
            log.warning("wrong passcode for %s from %s", one_line(username, 40), self._peer)
        self._next_attempt = now + FAILED_AUTH_DELAY
        self._failed()
        await asyncio.sleep(FAILED_AUTH_DELAY)
        if self._failures >= self.config.auth_attempts:
            raise asyncssh.PermissionDenied("Too many wrong passcodes.")
        return False

    def _failed(self) -> None:
        """Count a wrong passcode against this connection, its address and everyone."""
        self._failures += 1
        config = self.config
        if self.workshop.failures_by_address.record(self._peer):
            log.warning(
                "%d wrong passcodes from %s in %s: passcodes from it are refused for %s",
                config.failures_per_address,
                self._peer,
                _minutes(config.failure_window),
                _minutes(config.lockout),
            )
        if self.workshop.failures_total.record(EVERYONE):
            log.warning(
                "%d wrong passcodes in %s: passcodes are refused for %s, except from "
                "addresses someone logged in from",
                config.failures_total,
                _minutes(config.failure_window),
                _minutes(config.lockout),
            )

    def public_key_auth_supported(self) -> bool:
        return self._denied is None and not self._facilitator and self._keys is not None

    def kbdint_auth_supported(self) -> bool:
        # NotImplemented would tie keyboard-interactive to passwords (a "Password:" prompt),
        # which is what OpenSSH clients try first; when no password applies, say no.
        return NotImplemented if self.password_auth_supported() else False

    def session_requested(self) -> WorkshopSession:
        identity = Identity(self._user, self._slug, self._facilitator, self._peer)
        return WorkshopSession(self.workshop, identity)
