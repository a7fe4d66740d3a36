"""Textual's Linux driver, with an input thread that sleeps until there is input.

Textual's input thread wakes ten times a second (`select(0.1)`) whatever happens, for two
reasons: to time out a lone Esc (a key, or the start of an escape sequence?), and to
notice that the app is stopping. Measured on one idle participant (schedstat, per thread):
the input thread used 1.6 ms of CPU per second, twice the app's own main thread; behind
`bmc-tui serve`, 50 idle participants are 500 such wake-ups a second.

Here the thread sleeps until its terminal has input, until a pending escape sequence is
due to time out, or until a pipe wakes it because the app is stopping. Everything else —
parsing, the keys and mouse events it posts, Esc handling — is Textual's own code.

Output is written by the event loop itself (`LoopWriter`), not handed to Textual's writer
thread: each frame handed over woke that thread, which then waited for the interpreter
lock while the loop went on (up to the 5 ms switch interval). Behind `bmc-tui serve`, with
a room typing, that hand-off was a sixth of a member's busy time and a wait on every echo.
Written against Textual 8.2.8 (pinned); `tests/e2e/test_driver.py` drives it on a PTY.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import selectors
import time
from codecs import getincrementaldecoder
from threading import Event
from typing import IO, Any

from textual._loop import loop_last
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver


class _WakingEvent(Event):
    """An Event that also writes to a pipe when set, to wake a thread blocked in select."""

    def __init__(self, wake_fd: int) -> None:
        super().__init__()
        self._wake_fd = wake_fd

    def set(self) -> None:
        super().set()
        with contextlib.suppress(OSError):
            os.write(self._wake_fd, b"x")


class LoopWriter:
    """Writes to the terminal from the event loop's thread, without blocking it.

    The terminal is opened a second time, non-blocking (the app's own descriptors, which
    its input thread reads, stay as they are). What the terminal cannot take at once waits
    here, in order, and is written when the loop sees the terminal writable again.
    """

    MOST_PENDING = 1 << 20
    """Past this much unwritten output the app waits for its terminal, as Textual's writer
    thread makes it wait when 30 writes are queued: a reader that stopped reading must not
    make the app's memory grow without end."""

    LAST_WAIT = 5.0
    """How long closing waits for a terminal that takes nothing (a dead connection)."""

    def __init__(self, fd: int, encoding: str, errors: str) -> None:
        self._fd = fd
        self._encoding = encoding
        self._errors = errors
        self._pending = bytearray()
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def open(cls, file: IO[str] | None) -> LoopWriter | None:
        """A writer to `file`'s terminal, or None when it is no terminal (then Textual's
        writer thread does the writing, as always)."""
        if file is None:
            return None
        try:
            fd = file.fileno()
            if not os.isatty(fd):
                return None
            own = os.open(os.ttyname(fd), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        except (OSError, ValueError):
            return None
        encoding = getattr(file, "encoding", None) or "utf-8"
        errors = getattr(file, "errors", None) or "strict"
        return cls(own, encoding, errors)

    def write(self, text: str) -> None:
        data = text.encode(self._encoding, self._errors)
        if self._pending:
            self._pending += data
            if len(self._pending) > self.MOST_PENDING:
                self._drain(None)
            return
        written = self._write_now(data)
        if written < len(data):
            self._pending += data[written:]
            self._wait_writable()

    def flush(self, timeout: float | None = None) -> None:
        """Write everything pending now (leaving the terminal, suspending, quitting),
        giving up once the terminal has taken nothing for `timeout` (LAST_WAIT) seconds."""
        if self._pending:
            self._drain(self.LAST_WAIT if timeout is None else timeout)

    def close(self) -> None:
        self.flush()
        self._stop_waiting()
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def _write_now(self, data: bytes | bytearray) -> int:
        try:
            return os.write(self._fd, data)
        except BlockingIOError:
            return 0
        except OSError:
            # The terminal is gone (hung up): nothing will ever read this.
            self._pending.clear()
            return len(data)

    def _wait_writable(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # written outside the loop (stopping): write it out now
            self._drain(self.LAST_WAIT)
            return
        if self._loop is None:
            self._loop = loop
            loop.add_writer(self._fd, self._writable)

    def _stop_waiting(self) -> None:
        if self._loop is not None:
            with contextlib.suppress(Exception):  # the loop may be closed already
                self._loop.remove_writer(self._fd)
            self._loop = None

    def _writable(self) -> None:
        written = self._write_now(self._pending)
        del self._pending[:written]
        if not self._pending:
            self._stop_waiting()

    def _drain(self, timeout: float | None) -> None:
        """Write out what is pending, waiting for the terminal; give up once it has taken
        nothing for `timeout` seconds (None: wait as long as it takes)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._pending:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                self._pending.clear()  # a terminal that took nothing for this long is gone
                break
            _, ready, _ = select.select([], [self._fd], [], left)
            if ready:
                written = self._write_now(self._pending)
                del self._pending[:written]
                if written and timeout is not None:
                    deadline = time.monotonic() + timeout
        if not self._pending:
            self._stop_waiting()


class QuietLinuxDriver(LinuxDriver):
    """LinuxDriver whose input thread does not poll while nothing happens, and whose
    output is written by the event loop (`LoopWriter`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        self.exit_event = _WakingEvent(self._wake_write)
        self._output = LoopWriter.open(self._file)

    def write(self, data: str) -> None:
        if self._output is None:
            super().write(data)
        else:
            self._output.write(data)

    def flush(self) -> None:
        # Textual calls this after every frame. Output is written as fast as the terminal
        # takes it; waiting here would stall the app behind a terminal that stopped reading
        # (a dropped connection: the hang-up could not even be handled). As with Textual's
        # writer thread, only closing waits (`LoopWriter.close`).
        return

    def close(self) -> None:
        if self._output is not None:
            self._output.close()
        super().close()
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _sigcont_application(self, *args: Any) -> None:
        # Continued after a stop Textual did not make itself (SIGSTOP from outside, a
        # debugger, an administrator pausing a participant): the terminal was never left and
        # the input thread still runs. Textual would start application mode again, with a
        # second input thread racing the first for the same keys (losing or reordering them).
        if self._key_thread is not None and self._key_thread.is_alive():
            return
        super()._sigcont_application(*args)

    def _drain_wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            while os.read(self._wake_read, 512):
                pass

    def run_input_thread(self) -> None:
        """Textual's `LinuxDriver.run_input_thread`, blocking instead of polling."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)

        fileno = self.fileno
        wake = self._wake_read
        EVENT_READ = selectors.EVENT_READ

        parser = XTermParser(self._debug)
        feed = parser.feed
        tick = parser.tick

        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def timeout() -> float | None:
            # The parser holds a partial sequence (a lone Esc, say) until it times out;
            # otherwise there is nothing to wait for but input or the wake pipe.
            due = parser._timeout_time
            return None if due is None else max(0.0, due - get_time())

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]],
            final: bool = False,
        ) -> None:
            for last, (selector_key, mask) in loop_last(selector_events):
                if selector_key.fd == wake:
                    self._drain_wake()
                    continue
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            self._drain_wake()
            while not self.exit_event.is_set():
                process_selector_events(selector.select(timeout()))
            selector.unregister(self.fileno)
            selector.unregister(wake)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
