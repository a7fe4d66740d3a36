"""CPU per keystroke in a real terminal: the app on a PTY, keys typed at a person's pace.

The headless keystroke bench never encodes a frame for a terminal (Textual skips that
when headless); this one does, as every participant behind `bmc-tui serve` does. It is
the app's share of what one typed key costs a server, next to the bare Textual app's.
"""

from __future__ import annotations

import fcntl
import os
import pty
import random
import select
import signal
import struct
import termios
import time
from pathlib import Path

from .common import PYTHON, ROOT, Row, bmc_tui_binary, clean_env, cpu_seconds, temp_dir

READY_TIMEOUT = 30.0


def _cpu_per_key(
    argv: list[str], ready: bytes, first: list[bytes], keys: int, seed: int, env: dict[str, str]
) -> tuple[float, float]:
    """CPU seconds and output bytes per key of `argv` on a 100x30 PTY."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    output = bytearray()

    def read_for(seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            readable, _, _ = select.select([fd], [], [], min(left, 0.01))
            if readable:
                try:
                    output.extend(os.read(fd, 65536))
                except OSError:
                    return

    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while ready not in output:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{ready!r} not seen from {argv}")
            read_for(0.05)
        read_for(1.0)  # the first screen's follow-up work is not a keystroke's
        for key in first:
            os.write(fd, key)
            read_for(0.3)
        read_for(1.0)
        rng = random.Random(seed)
        cpu0, bytes0 = cpu_seconds(pid), len(output)
        for i in range(keys):
            os.write(fd, bytes([ord("a") + i % 26]))
            read_for(rng.uniform(0.05, 0.2))
        read_for(1.0)  # debounced work after the last key belongs to the typing
        return (cpu_seconds(pid) - cpu0) / keys, (len(output) - bytes0) / keys
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def run(quick: bool = False) -> list[Row]:
    from .serve import make_sessions

    keys = 60 if quick else 120
    rounds = 1 if quick else 2
    with temp_dir("pty") as folder:
        sessions = folder / "sessions"
        make_sessions(sessions, ["typist"])
        env = clean_env(
            TERM="xterm-256color", HOME=str(folder), XDG_CONFIG_HOME=str(folder / "config")
        )
        bare_cmd = [PYTHON, str(ROOT / "bench" / "bare_app.py")]
        bmc_cmd = [bmc_tui_binary(), "open", str(Path(sessions, "typist.toml")), "--participant"]
        bare: list[tuple[float, float]] = []
        bmc: list[tuple[float, float]] = []
        for r in range(rounds):
            bare.append(_cpu_per_key(bare_cmd, b"Bare ready", [], keys, r, env))
            # "a" adds an item on the canvas and puts the cursor in its text field.
            bmc.append(_cpu_per_key(bmc_cmd, b"Customer Segments", [b"a"], keys, r, env))
    cpu_bare = sum(c for c, _ in bare) / len(bare)
    cpu_bmc = sum(c for c, _ in bmc) / len(bmc)
    bytes_bare = sum(b for _, b in bare) / len(bare)
    bytes_bmc = sum(b for _, b in bmc) / len(bmc)
    return [
        Row(
            "keystrokes",
            "CPU per key in a real terminal (PTY, canvas, participant) vs bare app",
            f"mean {cpu_bmc * 1000:.1f} ms ({bytes_bmc:.0f} B out)",
            f"bare {cpu_bare * 1000:.1f} ms ({bytes_bare:.0f} B out)",
            round(cpu_bmc / cpu_bare, 2) if cpu_bare else None,
            "",
            None,
            {"bmc": bmc, "bare": bare, "keys": keys},
        )
    ]
