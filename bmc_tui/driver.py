"""Textual's Linux driver, with an input thread that sleeps until there is input.

Textual's input thread wakes ten times a second (`select(0.1)`) whatever happens, for two
reasons: to time out a lone Esc (a key, or the start of an escape sequence?), and to
notice that the app is stopping. Measured on one idle participant (schedstat, per thread):
the input thread used 1.6 ms of CPU per second, twice the app's own main thread; behind
`bmc-tui serve`, 50 idle participants are 500 such wake-ups a second.

Here the thread sleeps until its terminal has input, until a pending escape sequence is
due to time out, or until a pipe wakes it because the app is stopping. Everything else —
parsing, the keys and mouse events it posts, Esc handling — is Textual's own code.
Written against Textual 8.2.8 (pinned); `tests/e2e/test_driver.py` drives it on a PTY.
"""

from __future__ import annotations

import contextlib
import os
import selectors
from codecs import getincrementaldecoder
from threading import Event
from typing import Any

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


class QuietLinuxDriver(LinuxDriver):
    """LinuxDriver whose input thread does not poll while nothing happens."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        self.exit_event = _WakingEvent(self._wake_write)

    def close(self) -> None:
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
