"""One SSH session: the bytes between a client's channel and its child's PTY."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncssh

from .child import Child
from .limits import TokenBucket
from .terminal import DEFAULT_SIZE, clamp_size

if TYPE_CHECKING:
    from .workshop import Workshop

log = logging.getLogger("bmc_tui.serve")

# Undo what a full-screen app may have left on: alternate screen, mouse reporting,
# bracketed paste, hidden cursor. Sent before any message once a child is gone.
RESET_TERMINAL = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"
    b"\x1b[?2004l\x1b[?1004l\x1b[?1049l\x1b[?25h\x1b[0m\r\n"
)
# Input a child has not read yet; beyond this the client is flooding and bytes are dropped.
MAX_PENDING_INPUT = 256 * 1024
# Keys typed while the child is still starting are kept for it, up to this much.
MAX_EARLY_INPUT = 4096


class Refused(Exception):
    """A reason to turn a connection away, shown to its user."""


@dataclass(frozen=True)
class Identity:
    user: str  # as the client sent it: never shown unescaped
    slug: str
    facilitator: bool
    peer: str


class WorkshopSession(asyncssh.SSHServerSession[bytes]):
    def __init__(self, workshop: Workshop, identity: Identity) -> None:
        self.workshop = workshop
        self.identity = identity
        self.started = time.monotonic()
        self.last_input = self.started
        self.connected_at = time.time()
        self.last_input_at = self.connected_at
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._term: str | None = None
        self._size = DEFAULT_SIZE
        self._command: str | None = None
        self._child: Child | None = None
        self._reading = False
        self._paused = False
        self._pending = bytearray()
        self._writing = False
        self._dropped = 0
        self._bucket = TokenBucket(workshop.config.input_rate, workshop.config.input_burst)
        self._closed = False
        self._ended = False
        self.switching = False  # the child is ending to start again on another session

    # -- asyncssh callbacks --------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object
    ) -> bool:
        self._term = term_type
        self._size = clamp_size(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted only so the refusal can be said in words rather than as a failed request.
        self._command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def break_received(self, msec: int) -> bool:
        return False

    def session_started(self) -> None:
        hint = f"ssh -p {self.workshop.port} NAME@{self.workshop.config.host}"
        if self._command is not None:
            self.refuse(f"This server only runs the workshop; connect without a command: {hint}")
        elif self._term is None:
            self.refuse(
                f"bmc-tui needs a terminal. Connect from a terminal, or force one with: ssh -t -p "
                f"{self.workshop.port} NAME@{self.workshop.config.host}"
            )
        else:
            self.workshop.spawn(self._run())

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.last_input = time.monotonic()
        self.last_input_at = time.time()
        self.workshop.touched()
        if self._child is None:
            if not self._ended:
                self._pending += data[: max(0, MAX_EARLY_INPUT - len(self._pending))]
            return
        if self._child.master_fd < 0:
            return
        allowed = self._bucket.take(len(data))
        room = MAX_PENDING_INPUT - len(self._pending)
        allowed = max(0, min(allowed, room))
        if allowed < len(data):
            if not self._dropped:
                log.warning("%s: input over the cap, dropping the excess", self.identity.slug)
            self._dropped += len(data) - allowed
            data = data[:allowed]
        self._pending += data
        self._flush_input()

    def eof_received(self) -> bool:
        return False

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = clamp_size(width, height)
        if self._child is not None:
            self._child.resize(*self._size)

    def pause_writing(self) -> None:
        self._paused = True
        self._stop_reading()

    def resume_writing(self) -> None:
        self._paused = False
        self._start_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._stop_reading()
        self.workshop.spawn(self.workshop.detach(self))

    # -- the child -----------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    @property
    def term(self) -> str | None:
        return self._term

    @property
    def client_env(self) -> dict[str, str]:
        if self._chan is None:
            return {}
        env = self._chan.get_environment()
        return {k: v for k, v in env.items() if isinstance(k, str) and isinstance(v, str)}

    @property
    def child(self) -> Child | None:
        return self._child

    async def _run(self) -> None:
        try:
            child = await self.workshop.attach(self)
        except Refused as reason:
            self.refuse(str(reason))
            return
        if child is None:  # the connection went away while waiting
            return
        status = await child.exited
        while self.switching and self._child is child:
            # A team change: the same connection goes on with a new child.
            self.switching = False
            new = await self.workshop.relaunch(self)
            if new is None:
                return
            child = new
            status = await child.exited
        if self._child is not child:  # released: taken over, or the connection is gone
            return
        self._drain_output()
        if not self._ended:
            self.end(b"", 0 if status == 0 else 1)

    def attach_child(self, child: Child) -> None:
        self._child = child
        self._start_reading()
        if self._pending:
            self._flush_input()

    def _start_reading(self) -> None:
        child = self._child
        if child is None or self._reading or self._paused or child.master_fd < 0 or self._closed:
            return
        asyncio.get_running_loop().add_reader(child.master_fd, self._pump_output)
        self._reading = True

    def _stop_reading(self) -> None:
        if self._reading and self._child is not None and self._child.master_fd >= 0:
            asyncio.get_running_loop().remove_reader(self._child.master_fd)
        self._reading = False

    def _pump_output(self) -> None:
        child = self._child
        if child is None:
            return
        try:
            data = os.read(child.master_fd, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: the child closed its side of the PTY
            data = b""
        if not data:
            self._stop_reading()
            return
        if self._chan is not None and not self._closed and not self._ended:
            self._chan.write(data)

    def _drain_output(self) -> None:
        """What the child wrote just before it exited (its last screen, an error)."""
        child = self._child
        if child is None or child.master_fd < 0 or self._closed:
            return
        self._stop_reading()
        for _ in range(64):
            try:
                data = os.read(child.master_fd, 65536)
            except OSError:
                break
            if not data:
                break
            if self._chan is not None:
                self._chan.write(data)

    def _flush_input(self) -> None:
        child = self._child
        if child is None or child.master_fd < 0:
            self._pending.clear()
            return
        loop = asyncio.get_running_loop()
        while self._pending:
            try:
                written = os.write(child.master_fd, self._pending)
            except BlockingIOError:
                break
            except OSError:
                self._pending.clear()
                break
            del self._pending[:written]
        if self._pending and not self._writing:
            loop.add_writer(child.master_fd, self._flush_input)
            self._writing = True
        elif not self._pending and self._writing:
            loop.remove_writer(child.master_fd)
            self._writing = False

    def release_child(self) -> Child | None:
        """Detach the child from this channel (no more reads or writes) and hand it over."""
        child = self._child
        # Unhook the descriptor before it can be closed: a new child may get its number.
        self._stop_reading()
        if child is not None and self._writing and child.master_fd >= 0:
            asyncio.get_running_loop().remove_writer(child.master_fd)
        self._writing = False
        self._child = None
        self._pending.clear()
        return child

    # -- ending ----------------------------------------------------------------------

    def refuse(self, message: str, status: int = 1) -> None:
        log.info("refused %s from %s: %s", self.identity.slug, self.identity.peer, message)
        self.end(message.encode("utf-8"), status, reset=False)

    def end(self, message: bytes, status: int, *, reset: bool = True) -> None:
        """Say why (if anything) and close the channel with an exit status."""
        if self._ended or self._chan is None:
            return
        self._ended = True
        self._stop_reading()
        with contextlib.suppress(Exception):
            if reset:
                self._chan.write(RESET_TERMINAL)
            if message:
                self._chan.write(message.replace(b"\n", b"\r\n") + b"\r\n")
            self._chan.exit(status)
