"""A child process under its own PTY: the one place that knows how children are started.

`launch_child` is the seam: today it execs a fresh interpreter per participant; a
pre-forking launcher (a process that has already imported the app) can replace it
without the server noticing, as long as it returns a `Child`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import subprocess
import termios
from dataclasses import dataclass
from pathlib import Path

from .terminal import set_window_size


@dataclass(frozen=True)
class ChildSpec:
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    cols: int
    rows: int


def _take_terminal() -> None:
    # Runs in the child after setsid(): the PTY on fd 0 becomes its controlling
    # terminal, so the kernel delivers SIGWINCH to it on every TIOCSWINSZ.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Child:
    """A running child: its PTY master (non-blocking) and its process group.

    The child need not be ours to reap (a fork server may be its parent): its end is
    seen through a pidfd, which works for any process we may signal.
    """

    def __init__(
        self, pid: int, master_fd: int, process: subprocess.Popen[bytes] | None = None
    ) -> None:
        self.pid = pid
        self.process = process
        self.master_fd = master_fd
        loop = asyncio.get_running_loop()
        self._exited: asyncio.Future[int] = loop.create_future()
        try:
            self._pidfd = os.pidfd_open(pid)
        except ProcessLookupError:  # gone already
            self._pidfd = -1
            self._exited.set_result(0)
        else:
            loop.add_reader(self._pidfd, self._on_exit)

    def _on_exit(self) -> None:
        asyncio.get_running_loop().remove_reader(self._pidfd)
        os.close(self._pidfd)
        self._pidfd = -1
        status = self.process.wait() if self.process is not None else 0
        if not self._exited.done():
            self._exited.set_result(status)

    @property
    def exited(self) -> asyncio.Future[int]:
        return self._exited

    def resize(self, cols: int, rows: int) -> None:
        with contextlib.suppress(OSError):
            set_window_size(self.master_fd, cols, rows)

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    async def stop(self, grace: float = 3.0) -> None:
        """End the whole process group: SIGHUP (what a hung-up terminal sends), then SIGKILL."""
        if not self._exited.done():
            self._signal_group(signal.SIGHUP)
            self._signal_group(signal.SIGCONT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._exited), grace)
        # Whatever the leader left behind in its group goes too, then the leader itself.
        self._signal_group(signal.SIGKILL)
        if not self._exited.done():
            await asyncio.shield(self._exited)
        self.close_master()

    def close_master(self) -> None:
        if self.master_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.master_fd)
            self.master_fd = -1


def launch_child(spec: ChildSpec) -> Child:
    """Start `spec.argv` as the session leader of a new PTY sized cols x rows."""
    master, slave = os.openpty()
    try:
        set_window_size(slave, spec.cols, spec.rows)
        process = subprocess.Popen(
            spec.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=spec.env,
            cwd=spec.cwd,
            start_new_session=True,
            preexec_fn=_take_terminal,
            close_fds=True,
        )
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(slave)
    os.set_blocking(master, False)
    return Child(process.pid, master, process)


class ExecLauncher:
    """A fresh interpreter per child: simple, and ~0.4 s of CPU before the first screen."""

    async def launch(self, spec: ChildSpec) -> Child:
        return launch_child(spec)

    async def close(self) -> None:
        return None
