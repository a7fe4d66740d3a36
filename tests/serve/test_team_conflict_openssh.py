"""Two team members write one field at the same time, over real OpenSSH clients in tmux.

"At the same time" is made exact, not left to luck: both members' apps and then the server
are stopped (SIGSTOP) while their keys are already waiting in each app's terminal, so each
app makes its change without having seen the other's, and the hub takes ana's before bo's
(ana's app runs first and her change is in the hub's socket before bo's app runs). Bo's
change was made on the version before ana's: it wins, and ana is the one told.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import struct
import subprocess
import termios
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .helpers import Server, ssh_argv, tmux, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


def _participant(port: int, user: str, key: Path) -> list[str]:
    return ssh_argv(port, user, "-i", str(key), "-o", "BatchMode=yes")


def _waiting_input(pid: int) -> int:
    """Bytes typed into a process's terminal that it has not read yet."""
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        return int(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])
    finally:
        os.close(fd)


def _unread_sent(pid: int, server_pid: int) -> int:
    """Bytes a process has written to the team hub (a Unix socket of the server's) that
    the hub has not read yet."""
    shown = subprocess.run(
        ["ss", "-xpnH", "state", "established"], capture_output=True, text=True, timeout=10
    ).stdout
    sockets = {}  # inode: (Send-Q, peer inode, the pids holding it)
    for line in shown.splitlines():
        fields = line.split()
        if len(fields) >= 7:
            pids = set(map(int, re.findall(r"pid=(\d+),", line)))
            sockets[fields[4]] = (int(fields[2]), fields[6], pids)
    return sum(
        send_q
        for send_q, peer, pids in sockets.values()
        if pid in pids and server_pid in sockets.get(peer, (0, "", set()))[2]
    )


@contextlib.contextmanager
def _stopped(*pids: int) -> Iterator[None]:
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


def _saved_text(sessions_dir: Path) -> list[str]:
    path = sessions_dir / "team-red.toml"
    body = path.read_text("utf-8") if path.exists() else ""
    return re.findall(r'text = "([^"]*)"', body)


def _one_new_child(server: Server, known: set[int]) -> int:
    def new() -> int | None:
        fresh = set(server.children()) - known
        return fresh.pop() if len(fresh) == 1 else None

    pid = wait_until(new, 30, "the member's app")
    assert isinstance(pid, int)
    return pid


def test_two_members_in_one_field_the_later_wins_the_other_is_told_and_gets_it_back(
    serve: Callable[..., Server], client_key: tuple[Path, Path], sessions_dir: Path, tmp_path: Path
) -> None:
    if shutil.which("ss") is None:  # iproute2: how the test sees what waits in a socket
        if os.environ.get("CI"):
            pytest.fail("ss is required in CI (.ci/run installs iproute2)")
        pytest.skip("ss (iproute2) is not installed")
    key, authorized = client_key
    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\nmembers = ["ana", "bo"]\n')
    server = serve("--authorized-keys", str(authorized), "--roster", str(roster))
    with tmux(tmp_path) as mux:
        mux.cols, mux.rows = 120, 36
        apps: dict[str, int] = {}
        for name in ("ana", "bo"):
            mux.start(name, _participant(server.port, name, key))
            apps[name] = _one_new_child(server, set(apps.values()))
            mux.wait_for(name, "Team Red", 30)
            mux.keys(name, "F3")
            mux.wait_for(name, "Who do you create value for?")

        # Ana adds a segment and types it; bo opens the same item's text once he sees it.
        mux.keys("ana", "a")
        wait_until(lambda: "a Add" not in mux.screen("ana"), 15, "ana's text field's focus")
        mux.keys("ana", "Ana's words", literal=True)
        mux.wait_for("bo", "Ana's words")
        mux.keys("bo", "Enter")
        wait_until(lambda: "a Add" not in mux.screen("bo"), 15, "bo's text field's focus")
        mux.keys("bo", "End")
        mux.wait_for("ana", "bo ✎")
        wait_until(lambda: _saved_text(sessions_dir) == ["Ana's words"], 15, "ana's save")

        # Both type at once: each app has its keys before it sees the other's change.
        with _stopped(apps["ana"], apps["bo"]):
            wait_until(
                lambda: not any(_unread_sent(p, server.proc.pid) for p in apps.values()),
                30,
                "quiet lines",
            )
            mux.keys("ana", "!", literal=True)
            mux.keys("bo", " too", literal=True)
            wait_until(lambda: _waiting_input(apps["ana"]) >= 1, 15, "ana's key in her app")
            wait_until(lambda: _waiting_input(apps["bo"]) >= 4, 15, "bo's keys in his app")
            with _stopped(server.proc.pid):
                os.kill(apps["ana"], signal.SIGCONT)
                wait_until(
                    lambda: _unread_sent(apps["ana"], server.proc.pid) > 0, 15, "ana's change sent"
                )
                os.kill(apps["bo"], signal.SIGCONT)
                wait_until(lambda: _waiting_input(apps["bo"]) == 0, 15, "bo's keys read")
                wait_until(
                    lambda: _unread_sent(apps["bo"], server.proc.pid) > 0, 15, "bo's change sent"
                )

        # The later change (bo's) is on both screens and in the file; ana is told in a line.
        try:
            wait_until(lambda: _saved_text(sessions_dir) == ["Ana's words too"], 15, "bo's save")
        except AssertionError as error:
            # What the team ended with tells which change the hub took last.
            raise AssertionError(f"{error}; saved: {_saved_text(sessions_dir)}") from None
        for name in ("ana", "bo"):
            mux.wait_for(name, "Ana's words too")
        told = mux.wait_for("ana", "Ctrl+Z brings yours back")
        assert "bo changed" in told, told
        assert "brings yours back" not in mux.screen("bo")

        # Ana's Ctrl+Z brings her text back, for bo and in the file too.
        mux.keys("ana", "Escape")
        mux.keys("ana", "C-z")
        mux.wait_for("bo", "Ana's words!")
        wait_until(lambda: _saved_text(sessions_dir) == ["Ana's words!"], 15, "ana's text back")
        assert "Ana's words too" not in mux.screen("ana")

        # Bo's Ctrl+Z would take away ana's change: it is refused, and her text stays.
        mux.keys("bo", "Escape")
        mux.keys("bo", "C-z")
        mux.wait_for("bo", "ana has changed it since")
        mux.wait_for("ana", "Ana's words!")
        assert "Ana's words!" in mux.screen("bo")
        assert _saved_text(sessions_dir) == ["Ana's words!"]
