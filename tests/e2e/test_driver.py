"""The quiet input driver (bmc_tui/driver.py) on a real PTY: keys, a lone Esc, quitting,
and an input thread that does not run while nothing happens."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bmc_tui.codec import parse_toml
from bmc_tui.examples import load_example
from bmc_tui.store import Store

from .tmux import bmc_tui_binary


def unread_input(pid: int) -> int:
    """Bytes typed into a process's terminal that it has not read yet."""
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        return int(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])
    finally:
        os.close(fd)


class Pty:
    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.output = bytearray()
        self.exit_status: int | None = None

    def read_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            readable, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if readable:
                try:
                    self.output.extend(os.read(self.fd, 65536))
                except OSError:
                    return

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            self.read_for(0.05)

    def wait_for(self, text: bytes, since: int = 0) -> None:
        self.wait_until(lambda: text in self.output[since:], repr(text))

    def still(self) -> bool:
        """True when nothing was drawn for 0.3 s (read meanwhile)."""
        before = len(self.output)
        self.read_for(0.3)
        return len(self.output) == before

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def exited(self) -> bool:
        if self.exit_status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exit_status = status
        return self.exit_status is not None

    def thread_slices(self) -> dict[str, int]:
        """How many times each thread of the app has been on a CPU (from schedstat)."""
        tasks = Path(f"/proc/{self.pid}/task")
        return {
            t.name: int((t / "schedstat").read_text().split()[2])
            for t in tasks.iterdir()
            if t.name != str(self.pid)
        }


@contextmanager
def app_on_pty(argv: list[str], env: dict[str, str]) -> Iterator[Pty]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: set the size, then become the app
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    term = Pty(pid, fd)
    try:
        yield term
    finally:
        if not term.exited():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)


def participant_on_empty_canvas(
    tmp_path: Path, title: str
) -> tuple[Path, list[str], dict[str, str]]:
    """A session at the canvas with no customer segments, and the installed binary's
    participant command line and environment to open it (Textual's own driver not forced)."""
    store = Store(tmp_path / "sessions")
    template = load_example("platform")
    template.canvas.customer_segments = []
    template.step = "canvas"
    handle = store.create(title, template=template)
    handle.session.step = "canvas"
    store.save(handle)
    store.close(handle)
    env = {
        **{k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"},
        "TERM": "xterm-256color",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    return handle.path, [bmc_tui_binary(), "open", str(handle.path), "--participant"], env


def test_keys_esc_idle_and_quit_on_a_real_terminal(tmp_path: Path) -> None:
    path, argv, env = participant_on_empty_canvas(tmp_path, "Quiet")
    with app_on_pty(argv, env) as term:
        term.wait_for(b"Customer Segments")

        # Idle: once the screen is still, the threads beside the main one stay asleep.
        # (Textual's own driver wakes its input thread ten times a second.)
        term.wait_until(term.still, "the screen to settle")
        quiet_since = len(term.output)
        before = term.thread_slices()
        term.read_for(1.5)
        after = term.thread_slices()
        woke = sum(after[t] - before.get(t, 0) for t in after)
        assert len(term.output) == quiet_since, "the app drew while idle"
        assert woke <= 2, f"threads woke {woke} times in 1.5 s of idle"

        # Keys reach the app; a lone Esc (delivered only once the parser times it out)
        # leaves the text field, so the next `a` adds a second item instead of typing.
        term.send(b"a")
        term.wait_until(term.still, "the form to open")
        mark = len(term.output)
        term.send(b"Night shifts")
        term.wait_for(b"Night shifts", mark)
        term.wait_until(term.still, "the typing to settle")
        mark = len(term.output)
        term.send(b"\x1b")
        term.wait_until(lambda: len(term.output) > mark, "a frame after Esc")
        term.wait_until(term.still, "the list to take the focus")
        term.send(b"a")
        term.wait_until(term.still, "the second item's form to open")
        mark = len(term.output)
        term.send(b"Bakers")
        term.wait_for(b"Bakers", mark)

        # Ctrl+Q quits at once: the input thread is woken, not waited for.
        term.send(b"\x11")
        term.wait_until(term.exited, "the app to exit", timeout=10.0)
    assert term.exit_status is not None and os.waitstatus_to_exitcode(term.exit_status) == 0
    session = parse_toml(path.read_bytes())
    assert [s.text for s in session.canvas.customer_segments] == ["Night shifts", "Bakers"]


def test_a_paste_with_escape_sequences_arrives_in_order(tmp_path: Path) -> None:
    """A bracketed paste as tmux `paste-buffer -p` sends it: Textual's parser typed what
    followed the Esc as keys, ahead of the paste ("^[31mWorldHello")."""
    path, argv, env = participant_on_empty_canvas(tmp_path, "Pasted")
    with app_on_pty(argv, env) as term:
        term.wait_for(b"Customer Segments")
        term.wait_for(b"\x1b[?2004h")  # the app asked for bracketed pastes
        term.send(b"a")
        term.wait_until(term.still, "the form to open")
        # In two reads, split inside a colour code, as a slow link may deliver it.
        term.send(b"\x1b[200~Hello\x1b[3")
        term.wait_until(lambda: unread_input(term.pid) == 0, "the app to read the first part")
        term.send(b"1mWorld\x07\x1b[0m!\x1b[201~")
        term.wait_until(lambda: b"HelloWorld!" in path.read_bytes(), "the save")
        term.wait_until(term.still, "the paste to settle")
        term.send(b"\x11")
        term.wait_until(term.exited, "the app to exit", timeout=10.0)
    session = parse_toml(path.read_bytes())
    assert [s.text for s in session.canvas.customer_segments] == ["HelloWorld!"]


def test_an_unbracketed_paste_is_one_paste_and_its_lines_do_not_act_as_keys(
    tmp_path: Path,
) -> None:
    """A terminal that does not bracket its pastes (tmux `paste-buffer` without -p): the
    text came as keys, a line end was Enter, and the lines after it acted on the list
    ("a" added items, "d" asked to delete one)."""
    path, argv, env = participant_on_empty_canvas(tmp_path, "Unbracketed")
    lines = [f"Commuters on the {n}:{n:02d} ferry, and a dock for them" for n in range(60)]
    text = "\r".join(lines).encode()  # ~2,900 characters, as a terminal sends them
    with app_on_pty(argv, env) as term:
        term.wait_for(b"Customer Segments")
        term.send(b"a")
        term.wait_until(term.still, "the form to open")
        term.send(text)
        term.wait_until(lambda: lines[0].encode() in path.read_bytes(), "the save")
        term.wait_until(term.still, "the paste to settle")
        term.send(b"\x11")
        term.wait_until(term.exited, "the app to exit", timeout=10.0)
    session = parse_toml(path.read_bytes())
    # A one-line field takes the first line; nothing else was added or typed anywhere.
    assert [s.text for s in session.canvas.customer_segments] == [lines[0]]


def test_stopped_and_continued_from_outside_it_keeps_one_input_thread(tmp_path: Path) -> None:
    """SIGSTOP/SIGCONT not made by the app (an administrator, a debugger): the keys typed
    meanwhile arrive once and in order, read by the one input thread there was before."""
    path, argv, env = participant_on_empty_canvas(tmp_path, "Paused")
    with app_on_pty(argv, env) as term:
        term.wait_for(b"Customer Segments")
        term.send(b"a")
        term.wait_until(term.still, "the form to open")
        threads = set(term.thread_slices())
        os.kill(term.pid, signal.SIGSTOP)
        term.send(b"Dock workers")
        os.kill(term.pid, signal.SIGCONT)
        mark = len(term.output)
        term.wait_for(b"Dock workers", mark)
        # Saved (in a short-lived worker thread, gone once the file holds the text).
        term.wait_until(lambda: b"Dock workers" in path.read_bytes(), "the save")
        term.wait_until(term.still, "the typing to settle")
        # Textual's own answer to SIGCONT starts application mode again: a second thread.
        assert set(term.thread_slices()) == threads
        term.send(b"\x11")
        term.wait_until(term.exited, "the app to exit", timeout=10.0)
    session = parse_toml(path.read_bytes())
    assert [s.text for s in session.canvas.customer_segments] == ["Dock workers"]


def test_a_terminal_that_stops_reading_does_not_stall_the_hang_up(tmp_path: Path) -> None:
    """Nobody reads the terminal any more (a dropped connection whose PTY is still open):
    frames pile up, yet the app still handles the hang-up at once and saves what was typed."""
    path, argv, env = participant_on_empty_canvas(tmp_path, "Stalled")
    with app_on_pty(argv, env) as term:
        term.wait_for(b"Customer Segments")
        term.send(b"a")
        term.wait_until(term.still, "the form to open")
        term.send(b"Ferry riders")
        term.wait_for(b"Ferry riders")
        # From here on nothing is read: whole screens (every step in turn) fill the PTY.
        for _ in range(6):
            for key in (b"\x1bOQ", b"\x1bOR", b"\x1bOS", b"\x1b[15~", b"\x1b[17~"):
                term.send(key)  # F2-F6
        time.sleep(1.0)
        readable, _, _ = select.select([term.fd], [], [], 0)
        assert readable, "the app drew nothing while unread: the test proves nothing"
        os.kill(term.pid, signal.SIGHUP)
        start = time.monotonic()
        while not term.exited() and time.monotonic() - start < 10:
            time.sleep(0.05)  # still not reading
        assert term.exited(), "the app never handled the hang-up"
        assert time.monotonic() - start < 2.0, "the hang-up waited for the terminal"
    session = parse_toml(path.read_bytes())
    assert [s.text for s in session.canvas.customer_segments] == ["Ferry riders"]
