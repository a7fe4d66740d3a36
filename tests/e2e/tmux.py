"""Driving the real `bmc-tui` binary in a real terminal: tmux, send-keys, capture-pane."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def bmc_tui_binary() -> str:
    """The console script installed next to the running interpreter (the venv's bin)."""
    candidate = Path(sys.executable).with_name("bmc-tui")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("bmc-tui")
    if found is None:
        pytest.fail("the bmc-tui console script is not installed (pip install -e .)")
    return found


def require_tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required in CI (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    return tmux


class Terminal:
    """One tmux session running one command, on its own tmux server (socket)."""

    def __init__(self, tmux: str, socket: Path, name: str) -> None:
        self.tmux = tmux
        self.socket = socket
        self.name = name

    def _run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [self.tmux, "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
        )
        return result.stdout

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", self.name, check=False)

    def record(self, path: Path) -> None:
        """Append every byte the program writes to its terminal to `path` (tmux pipe-pane)."""
        self._run("pipe-pane", "-o", "-t", self.name, f"cat >> {shlex.quote(str(path))}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self._run("send-keys", "-t", self.name, key)

    def type(self, text: str) -> None:
        self._run("send-keys", "-t", self.name, "-l", text)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared on screen:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 15.0) -> str:
        """Wait until `text` is no longer on screen (e.g. a key hint leaving the Footer)."""
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} stayed on screen:\n{screen}")

    def alive(self) -> bool:
        out = self._run("list-panes", "-t", self.name, "-F", "#{pane_dead}", check=False)
        return out.strip() == "0"

    def wait_exit(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return
            time.sleep(0.05)
        raise AssertionError(f"the program did not exit:\n{self.screen()}")


@contextmanager
def terminal(
    command: list[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (100, 30),
) -> Iterator[Terminal]:
    tmux = require_tmux()
    socket = cwd / f"tmux-{uuid.uuid4().hex[:8]}.sock"
    name = "bmc"
    full_env = {**os.environ, **(env or {}), "TERM": "xterm-256color"}
    full_env.pop("TMUX", None)
    shell_command = " ".join(shlex.quote(part) for part in command)
    # Keep the pane after the program exits, so the test can read its last screen.
    config = cwd / f"{socket.stem}.conf"
    config.write_text(
        "set -g remain-on-exit on\nset -g status off\nset -sg escape-time 0\n", "utf-8"
    )
    subprocess.run(
        [
            tmux,
            "-S",
            str(socket),
            "-f",
            str(config),
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            shell_command,
        ],
        cwd=cwd,
        env=full_env,
        check=True,
        timeout=10,
    )
    term = Terminal(tmux, socket, name)
    try:
        yield term
    finally:
        subprocess.run(
            [tmux, "-S", str(socket), "kill-server"], check=False, timeout=10, capture_output=True
        )
