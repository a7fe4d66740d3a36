"""One SSH session: the bytes between a client's channel and its child's PTY."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncssh

from .child import Child
from .limits import PasteAwareCut, TokenBucket
from .takehome import BadCommand, parse_command
from .terminal import DEFAULT_SIZE, clamp_size

if TYPE_CHECKING:
    from .workshop import Workshop

log = logging.getLogger("bmc_tui.serve")

# Undo everything the app (Textual) turns on, so the terminal is as it was: first end a
# sequence or a synchronized frame the child may have been cut off in the middle of (CAN,
# ?2026l), then mouse reporting (1000/1002/1003/1006/1015/1016), bracketed paste (2004),
# resize reports (2048), focus reports (1004), the kitty keyboard mode, the alternate
# screen, line wrap (off in Textual: without ?7h every later line is cut at the edge),
# the cursor, and colours. Sent before any message once a child is gone.
RESET_TERMINAL = (
    b"\x18\x1b[?2026l"
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1016l"
    b"\x1b[?2004l\x1b[?2048l\x1b[?1004l\x1b[<u"
    b"\x1b[?1049l\x1b[?7h\x1b[?25h\x1b[0m\r\n"
)
# Input a child has not read yet; beyond this the client is flooding and bytes are dropped.
MAX_PENDING_INPUT = 256 * 1024
# A read ending in what may be the start of a paste marker waits this long for the rest
# (the caps must never cut a marker); a lone Escape key is passed on after it.
HOLD_PARTIAL = 0.03
# Keys typed while the child is still starting are kept for it, up to this much.
MAX_EARLY_INPUT = 4096
# An export is written to the channel in pieces of this size, as the client takes them.
EXPORT_CHUNK = 64 * 1024


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
        self._cut = PasteAwareCut()
        self._release_timer: asyncio.TimerHandle | None = None
        self._closed = False
        self._ended = False
        self._writable = asyncio.Event()
        self._writable.set()
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
        # Accepted so that `export` can run, and any other command be refused in words
        # rather than as a failed request.
        self._command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def break_received(self, msec: int) -> bool:
        return False

    def session_started(self) -> None:
        if self._command is not None:
            self.workshop.spawn(self._export(self._command))
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
        if self._ended or (self._child is not None and self._child.master_fd < 0):
            return
        self._take_input(lambda allow: self._cut.cut(data, allow))
        if self._cut.held and self._release_timer is None:
            loop = asyncio.get_running_loop()
            self._release_timer = loop.call_later(HOLD_PARTIAL, self._release_held)

    def _release_held(self) -> None:
        self._release_timer = None
        if self._cut.held and not self._ended:
            self._take_input(self._cut.release)

    def _take_input(self, cut: Callable[[Callable[[int], int]], tuple[bytes, int]]) -> None:
        """Queue input for the child, as much as the caps allow (`cut` decides which)."""
        early = self._child is None  # kept for the child while it starts, up to a little
        room = (MAX_EARLY_INPUT if early else MAX_PENDING_INPUT) - len(self._pending)

        def allow(wanted: int) -> int:
            nonlocal room
            granted = min(wanted, max(0, room))
            if not early:
                granted = self._bucket.take(granted)
            room -= granted
            return granted

        data, dropped = cut(allow)
        if dropped:
            if not self._dropped:
                log.warning("%s: input over the cap, dropping the excess", self.identity.slug)
            self._dropped += dropped
        self._pending += data
        if not early:
            self._flush_input()

    def eof_received(self) -> bool:
        # An export's client sends EOF at once (nothing on its stdin) and still reads
        # what follows: keep the channel half-open for it. A workshop session ends on EOF.
        return self._command is not None

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = clamp_size(width, height)
        if self._child is not None:
            self._child.resize(*self._size)

    def pause_writing(self) -> None:
        self._paused = True
        self._writable.clear()
        self._stop_reading()

    def resume_writing(self) -> None:
        self._paused = False
        self._writable.set()
        self._start_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._writable.set()  # an export waiting to write sees the connection is gone
        self._stop_reading()
        self.workshop.spawn(self.workshop.detach(self))

    # -- export: the one command -------------------------------------------------------

    async def _export(self, command: str) -> None:
        """Stream the export the command asks for, or refuse it in one line (on stderr,
        so `> copy.html` does not swallow the reason)."""
        ident = self.identity
        try:
            request = parse_command(command, facilitator=ident.facilitator)
            data = await self.workshop.export(ident, request)
        except (BadCommand, Refused) as reason:
            self.refuse(f"bmc-tui: {reason}", stderr=True)
            return
        except Exception:
            # Never leave the client waiting on a channel nobody will close.
            self.refuse("bmc-tui: the export failed; ask the facilitator.", stderr=True)
            raise
        try:
            await self._send_export(data)
        except (OSError, asyncssh.Error):  # the client went away mid-way
            return
        what = "the room report" if request.room else (request.session or ident.slug)
        log.info(
            "%s fetched %s (%s, %d bytes) from %s",
            "facilitator" if ident.facilitator else f"participant {ident.slug}",
            what,
            request.fmt,
            len(data),
            ident.peer,
        )
        self.end(b"", 0, reset=False)

    async def _send_export(self, data: bytes) -> None:
        """Write in pieces, waiting while the client's window is full: a big room report
        never piles up in the server's memory faster than the client reads it."""
        for start in range(0, len(data), EXPORT_CHUNK):
            await self._writable.wait()
            if self._closed or self._ended or not self._send(data[start : start + EXPORT_CHUNK]):
                return

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
    def local_address(self) -> str | None:
        """The server's address as this client reached it."""
        if self._chan is None:
            return None
        sockname = self._chan.get_extra_info("sockname")
        return str(sockname[0]) if sockname else None

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
        if not self._closed and not self._ended:
            self._send(data)

    def _send(self, data: bytes) -> bool:
        """Write to the client; a channel already closing is normal (the client left while
        the child still wrote): say so once, stop reading the child, and go on."""
        if self._chan is None:
            return False
        try:
            self._chan.write(data)
        except (BrokenPipeError, ConnectionError, asyncssh.Error) as error:
            if not self._closed:
                log.info("%s: the connection closed while writing (%s)", self.identity.slug, error)
            self._closed = True
            self._stop_reading()
            return False
        return True

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
            if not data or not self._send(data):
                break

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

    def refuse(self, message: str, status: int = 1, *, stderr: bool = False) -> None:
        log.info("refused %s from %s: %s", self.identity.slug, self.identity.peer, message)
        self.end(message.encode("utf-8"), status, reset=False, stderr=stderr)

    def end(self, message: bytes, status: int, *, reset: bool = True, stderr: bool = False) -> None:
        """Say why (if anything) and close the channel with an exit status."""
        if self._ended or self._chan is None:
            return
        self._ended = True
        self._stop_reading()
        with contextlib.suppress(Exception):
            if reset:
                self._chan.write(RESET_TERMINAL)
            if message:
                # A terminal needs "\r\n"; without one (a command's output piped or
                # redirected) a plain "\n" keeps the line clean for scripts.
                newline = b"\r\n" if self._term is not None else b"\n"
                line = message.replace(b"\n", newline) + newline
                if stderr:
                    self._chan.write_stderr(line)
                else:
                    self._chan.write(line)
            self._chan.exit(status)
