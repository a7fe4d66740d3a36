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

Its parser (`PasteParser`) also takes escape sequences out of bracketed pastes: Textual's
would type them, and the pasted text after them, as keys ahead of the paste itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import select
import selectors
import time
from codecs import getincrementaldecoder
from collections.abc import Callable, Iterable
from threading import Event
from typing import IO, Any

from textual._loop import loop_last
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message


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


PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
# An escape sequence inside a paste, complete: CSI (its parameters, intermediates and final
# byte; the paste's end marker is one) or a two-byte escape (ST among them). As in text.py.
# An OSC string (Esc ]) is dropped up to its BEL or the next Esc, which may be in a later read.
_PASTED_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
_OSC_END = re.compile(r"[\x07\x1b]")
_UNFINISHED_CSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*)?")
_LONGEST_HELD = 64
"""An unfinished CSI in a paste longer than this is no sequence a terminal sends: dropped."""
# A terminal that does not bracket its pastes (tmux's paste-buffer without -p, some
# terminals) sends the text as keys: 20,000 characters took half a minute to type in, and
# every line end was Enter, after which the rest of the text acted as commands on the list
# ("a" adds, "d" deletes). One read of this much text with no escape or control character
# but tabs and line ends is no one typing (a person's keys come a few at a time, even over
# a slow link): it is read as a paste. Reads following within UNBRACKETED_GAP seconds
# continue it, so its end is not typed as keys either; the whole of it is handed on as one
# paste once the reads stop (a field taking one line takes the first line of all of it).
UNBRACKETED_PASTE = 128
UNBRACKETED_GAP = 0.05
_PLAIN = re.compile(r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


class PasteParser(XTermParser):
    """Textual's XTermParser, given bracketed pastes without escape sequences in them.

    Inside a paste, Textual's parser (8.2.8) reads an Esc as the start of a sequence to
    match and, failing, reissues it and whatever follows, up to the next Esc or 32
    characters, as *keys*: `Hello<ESC>[31mWorld` pasted typed "^[31mWorld" at once and
    inserted "Hello" after it; a Backspace or Ctrl+A among those characters edited the
    field, a Tab left it. No escape sequence belongs in a field (text.py would take it out
    anyway), so here they are taken out of a paste before Textual's parser reads it: the
    only Esc it sees inside a paste is the end marker, whole (held back until complete, so
    a marker split between two reads is not timed out as a lone Esc either). Control
    characters stay in the pasted text, which the app cleans (`widgets/paste.py`).
    """

    def __init__(self, debug: bool = False, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(debug)
        self._clock = clock
        self._unbracketed: list[str] = []  # an unbracketed paste read so far, held
        self._unbracketed_until = -1.0  # … and reads before this time continue it
        self._in_paste = False
        self._tail = ""  # outside a paste: the end of the input so far, if a marker's start
        self._held = ""  # inside a paste: an escape sequence not complete yet
        self._in_osc = False  # inside a paste: an OSC string being dropped

    def feed(self, data: str) -> Iterable[Message]:
        if self._continues_unbracketed(data):
            self._unbracketed.append(data)
            return ()
        held = self._unbracketed_paste()  # a paste read before this comes first
        if not data:
            return [*held, *super().feed(data)]  # the end of input, as for Textual's parser
        kept = self.without_pasted_escapes(data)
        # Nothing left (all of it an escape sequence in a paste) is not the end of input.
        return [*held, *super().feed(kept)] if kept else held

    def tick(self) -> Iterable[Message]:
        if self._unbracketed and self._clock() >= self._unbracketed_until:
            yield from self._unbracketed_paste()
        yield from super().tick()

    def due(self) -> float | None:
        """When `tick` next has something to do (None: only when input comes), in the
        clock's time: a lone Esc to time out, or an unbracketed paste to hand on."""
        due = self._timeout_time
        if self._unbracketed:
            until = self._unbracketed_until - self._clock() + get_time()
            due = until if due is None else min(due, until)
        return due

    def _continues_unbracketed(self, data: str) -> bool:
        """Whether this read is (more of) a paste the terminal did not bracket."""
        if not data or self._in_paste or self._tail or _PLAIN.fullmatch(data) is None:
            return False
        now = self._clock()
        going_on = bool(self._unbracketed) and now < self._unbracketed_until
        if len(data) < UNBRACKETED_PASTE and not going_on:
            return False
        self._unbracketed_until = now + UNBRACKETED_GAP
        return True

    def _unbracketed_paste(self) -> list[Message]:
        """The held unbracketed paste, as Textual's parser makes a bracketed one."""
        if not self._unbracketed:
            return []
        text = "".join(self._unbracketed)
        self._unbracketed.clear()
        return list(super().feed(PASTE_START + text + PASTE_END))

    def without_pasted_escapes(self, data: str) -> str:
        """`data` as read, less the escape sequences inside bracketed pastes."""
        out: list[str] = []
        while data:
            if not self._in_paste:
                # Passed on as it is, never held: a lone Esc must reach the parser at once.
                seen = self._tail + data
                at = seen.find(PASTE_START)
                if at < 0:
                    out.append(data)
                    self._tail = _marker_start(seen)
                    break
                after = at + len(PASTE_START) - len(self._tail)
                out.append(data[:after])
                data = data[after:]
                self._tail = ""
                self._in_paste = True
                continue
            data = self._paste_text(data, out)
        return "".join(out)

    def _paste_text(self, data: str, out: list[str]) -> str:
        """Pass on pasted text up to the paste's end (returns what follows it)."""
        data = self._held + data
        self._held = ""
        while data:
            if self._in_osc:
                # An OSC string runs to BEL, or to an Esc (ST is Esc + backslash).
                end = _OSC_END.search(data)
                if end is None:
                    return ""
                self._in_osc = False
                data = data[end.end() :] if end.group() == "\x07" else data[end.start() :]
                continue
            esc = data.find("\x1b")
            if esc < 0:
                out.append(data)
                return ""
            out.append(data[:esc])
            data = data[esc:]
            if data.startswith("\x1b]"):
                self._in_osc = True
                data = data[2:]
                continue
            found = _PASTED_ESCAPE.match(data)
            if found is not None:
                data = data[found.end() :]
                if found.group() == PASTE_END:
                    out.append(PASTE_END)
                    self._in_paste = False
                    return data
                continue
            if _UNFINISHED_CSI.fullmatch(data) is not None:
                if len(data) <= _LONGEST_HELD:
                    self._held = data  # the rest comes with the next read
                return ""
            data = data[1:]  # an Esc that starts no sequence: the Esc alone goes
        return ""


def _marker_start(text: str) -> str:
    """The end of `text` when it could be the start of a paste's start marker."""
    for size in range(min(len(PASTE_START) - 1, len(text)), 0, -1):
        if PASTE_START.startswith(text[-size:]):
            return text[-size:]
    return ""


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

        parser = PasteParser(self._debug)
        feed = parser.feed
        tick = parser.tick

        decode = getincrementaldecoder("utf-8")().decode
        read = os.read

        def timeout() -> float | None:
            # The parser holds a partial sequence (a lone Esc, say) until it times out, and
            # an unbracketed paste until its reads stop; otherwise there is nothing to wait
            # for but input or the wake pipe.
            due = parser.due()
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


def driver_for(default: type[Driver]) -> type[Driver]:
    """The driver an app runs on: this one where Textual would use its Linux driver (and
    TEXTUAL_DRIVER does not choose another)."""
    if not os.environ.get("TEXTUAL_DRIVER") and default is LinuxDriver:
        return QuietLinuxDriver
    return default
