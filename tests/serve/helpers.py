"""Waiting with deadlines, a server under test, tmux screens and process bookkeeping."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import selectors
import signal
import struct
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SSH_OPTIONS = [
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "ConnectTimeout=5",
]


def wait_until(check: Callable[[], object], timeout: float = 10.0, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or check}")
        time.sleep(0.05)


async def until(check: Callable[[], object], timeout: float = 10.0, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or check}")
        await asyncio.sleep(0.05)


async def until_async(
    check: Callable[[], Awaitable[object]], timeout: float = 10.0, what: str = ""
) -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)


# -- processes -----------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(ppid, pgrp, session) of a process, from /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[2]), int(fields[3])


def all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def children_of(pid: int) -> list[int]:
    return [p for p in all_pids() if (st := _stat(p)) is not None and st[0] == pid]


def participants_of(server_pid: int) -> list[int]:
    """The server's participant processes: session leaders among its descendants (its own
    children, or a fork server's)."""
    stats = {p: st for p in all_pids() if (st := _stat(p)) is not None}
    found, frontier = [], [server_pid]
    while frontier:
        parent = frontier.pop()
        for pid, st in stats.items():
            if st[0] == parent:
                frontier.append(pid)
                if st[2] == pid and _alive(pid):
                    found.append(pid)
    return sorted(found)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def in_sessions(sids: set[int]) -> list[int]:
    """Processes still alive (not zombies) in any of these sessions."""
    alive = []
    for p in all_pids():
        st = _stat(p)
        if st is None or st[2] not in sids:
            continue
        if _alive(p):
            alive.append(p)
    return alive


def window_size(pid: int) -> tuple[int, int]:
    """(cols, rows) of the terminal on a process's stdin."""
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        rows, cols = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))[:2]
    finally:
        os.close(fd)
    return cols, rows


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int
    sessions_dir: Path
    banner: str
    facilitator_passcode: str | None
    seen_sessions: set[int] = field(default_factory=set)

    def children(self) -> list[int]:
        """Participant (and dashboard) processes, each the leader of its own session."""
        kids = participants_of(self.proc.pid)
        self.seen_sessions.update(kids)
        return kids

    def stop(self) -> int:
        self.children()
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def start_server(sessions_dir: Path, *args: str, stderr_path: Path) -> Server:
    """`bmc-tui serve` on a free loopback port; returns once it prints how to connect."""
    command = [sys.executable, "-m", "bmc_tui.cli", "serve", "--port", "0"]
    command += ["--sessions-dir", str(sessions_dir), *args]
    err = stderr_path.open("w")
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=err,
        text=True,
    )
    err.close()
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    banner = ""
    deadline = time.monotonic() + 15
    while "Ctrl+C" not in banner:
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise AssertionError(f"server did not start: {banner}{stderr_path.read_text()}")
        if selector.select(timeout=0.2):
            # Raw reads: a buffered readline would hide lines from the next select().
            banner += os.read(proc.stdout.fileno(), 4096).decode()
    match = re.search(r"127\.0\.0\.1:(\d+)", banner)
    assert match, banner
    code = re.search(r"made for this run\): (\S+)", banner)
    return Server(proc, int(match.group(1)), sessions_dir, banner, code.group(1) if code else None)


# -- tmux: a real terminal for the real ssh client ----------------------------------------


class Tmux:
    def __init__(self, socket_dir: Path, cols: int = 100, rows: int = 30) -> None:
        self.socket = str(socket_dir / f"tmux-{uuid.uuid4().hex[:8]}")
        self.cols, self.rows = cols, rows
        self.windows: list[str] = []

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        return result.stdout

    def start(self, name: str, command: list[str]) -> None:
        # `; sleep` keeps the pane (and what the client printed last) on screen. A dropped
        # connection can end the app's output inside an escape sequence, which would eat
        # the "E" of EXIT= (seen on a busy CI machine): CAN (\030) ends any sequence first.
        line = " ".join(_quote(c) for c in command)
        line += "; rc=$?; printf '\\030\\n'; echo EXIT=$rc; sleep 60"
        if not self.windows:
            self._run(
                "new-session",
                "-d",
                "-s",
                "t",
                "-n",
                name,
                "-x",
                str(self.cols),
                "-y",
                str(self.rows),
                line,
            )
        else:
            self._run("new-window", "-d", "-t", "t", "-n", name, line)
        self.windows.append(name)

    def screen(self, name: str) -> str:
        return self._run("capture-pane", "-p", "-t", f"t:{name}")

    def keys(self, name: str, *keys: str, literal: bool = False) -> None:
        self._run("send-keys", "-t", f"t:{name}", *(["-l"] if literal else []), *keys)

    def flags(self, name: str, *formats: str) -> dict[str, str]:
        """The pane's terminal modes as tmux tracks them (wrap_flag, cursor_flag, ...)."""
        shown = self._run(
            "display", "-p", "-t", f"t:{name}", " ".join(f"#{{{f}}}" for f in formats)
        )
        return dict(zip(formats, shown.split(), strict=True))

    def paste(self, name: str, path: Path) -> None:
        """Paste a file's text as a terminal does: bracketed, when the app asked for that."""
        self._run("load-buffer", "-b", "paste", str(path))
        self._run("paste-buffer", "-p", "-d", "-b", "paste", "-t", f"t:{name}")

    def wait_for(self, name: str, text: str, timeout: float = 15.0) -> str:
        def seen() -> str | None:
            screen = self.screen(name)
            return screen if text in screen else None

        try:
            found = wait_until(seen, timeout, f"{text!r} on the {name} screen")
        except AssertionError as error:
            raise AssertionError(f"{error}; the screen:\n{self.screen(name)}") from None
        return str(found)

    def close(self) -> None:
        self._run("kill-server")


def _quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


@contextlib.contextmanager
def tmux(socket_dir: Path) -> Iterator[Tmux]:
    mux = Tmux(socket_dir)
    try:
        yield mux
    finally:
        mux.close()


def ssh_argv(port: int, user: str, *extra: str) -> list[str]:
    return ["ssh", "-tt", "-p", str(port), *SSH_OPTIONS, *extra, f"{user}@127.0.0.1"]


# What a participant's first screen shows once the app runs (the first social section).
READY = "Opening question"
