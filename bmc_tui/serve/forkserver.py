"""A fork server: one process that has imported the app forks a child per participant.

Every fresh interpreter pays ~0.2 s importing Textual and the app before it draws
anything; thirty participants arriving together on two cores would wait seconds. The fork
server pays that once. Its children also share the imported code's memory pages until
they write to them, which keeps idle participants cheap.

The server sends a request (argv, env, cwd) with the PTY's slave end attached
(SCM_RIGHTS) over a socket pair; the fork server forks, the child takes the PTY as its
controlling terminal and runs the module of `argv` as `python -m` would, and the fork
server answers with the child's pid. The server never waits on these children (they are
not its own): it watches them through pidfds and signals their process groups.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import gc
import importlib
import json
import os
import pkgutil
import runpy
import select
import signal
import socket
import subprocess
import sys
import termios
import traceback
from typing import Any

from .child import Child, ChildSpec
from .terminal import set_window_size

# Imported once in the fork server so that no child pays for them: the apps, and what
# Textual and Rich only import once an app runs on a real terminal (found by comparing
# sys.modules before and after a child's first screen).
PRELOAD = (
    "bmc_tui.cli",
    "bmc_tui.app",
    "bmc_tui.serve.dashboard.app",
    "bmc_tui.serve.member",
    "textual.drivers.linux_driver",
    "textual.drivers._writer_thread",
    "textual._xterm_parser",
    "textual._keyboard_protocol",
    "textual.scrollbar",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "hashlib",
    "queue",
)
PRELOAD_PACKAGES = ("bmc_tui.screens", "bmc_tui.widgets", "bmc_tui.serve.dashboard.screens")
MAX_REQUEST = 256 * 1024
READY = b"ready"


# -- the server's side -------------------------------------------------------------------


class ForkServer:
    """The server's handle on the fork server process; one request at a time."""

    def __init__(self, process: subprocess.Popen[bytes], sock: socket.socket) -> None:
        self.process = process
        self.sock = sock
        self._lock = asyncio.Lock()

    @classmethod
    async def start(cls, env: dict[str, str], timeout: float = 20.0) -> ForkServer:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "bmc_tui.serve.forkserver", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                close_fds=True,
            )
        finally:
            theirs.close()
        ours.setblocking(False)
        server = cls(process, ours)
        try:
            answer = await asyncio.wait_for(asyncio.get_running_loop().sock_recv(ours, 64), timeout)
        except BaseException:
            await server.close()
            raise
        if answer != READY:
            await server.close()
            raise OSError("the fork server did not start")
        return server

    async def launch(self, spec: ChildSpec) -> Child:
        master, slave = os.openpty()
        try:
            set_window_size(slave, spec.cols, spec.rows)
            request = json.dumps({"argv": spec.argv, "env": spec.env, "cwd": str(spec.cwd)})
            loop = asyncio.get_running_loop()
            async with self._lock:
                await _send_fds(loop, self.sock, request.encode(), [slave])
                answer = await asyncio.wait_for(loop.sock_recv(self.sock, 4096), 10)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        if not answer:
            os.close(master)
            raise OSError("the fork server has gone")
        pid = int(json.loads(answer)["pid"])
        if pid <= 0:
            os.close(master)
            raise OSError("the fork server could not start the child")
        os.set_blocking(master, False)
        return Child(pid, master)

    async def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        # The fork server leaves when its socket closes; its children are in their own
        # sessions and are ended by the server, one process group each.
        with contextlib.suppress(subprocess.TimeoutExpired):
            await asyncio.get_running_loop().run_in_executor(None, self.process.wait, 5)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


async def _send_fds(
    loop: asyncio.AbstractEventLoop, sock: socket.socket, data: bytes, fds: list[int]
) -> None:
    while True:
        try:
            socket.send_fds(sock, [data], fds)
            return
        except BlockingIOError:
            writable = loop.create_future()
            loop.add_writer(sock.fileno(), writable.set_result, None)
            try:
                await writable
            finally:
                loop.remove_writer(sock.fileno())


# -- the fork server's side --------------------------------------------------------------


def _preload() -> None:
    for name in PRELOAD:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for package_name in PRELOAD_PACKAGES:
        try:
            package = importlib.import_module(package_name)
        except Exception:
            continue
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            with contextlib.suppress(Exception):
                importlib.import_module(f"{package_name}.{info.name}")
    with contextlib.suppress(Exception):
        # Rich's cell-width table for the Unicode version the children will use.
        from rich._unicode_data import load

        load()


def _stdio(fd: int, mode: str, errors: str) -> Any:
    buffering = 1 if mode == "w" else -1
    # Lives as long as the child: no context manager can own it.
    return open(fd, mode, encoding="utf-8", errors=errors, closefd=False, buffering=buffering)  # noqa: SIM115


def _reopen_stdio() -> None:
    # The interpreter's stdio objects were made for the fork server's /dev/null; a child
    # needs them on its terminal, line-buffered, UTF-8.
    for name, fd, mode, errors in (
        ("stdin", 0, "r", "replace"),
        ("stdout", 1, "w", "replace"),
        ("stderr", 2, "w", "backslashreplace"),
    ):
        stream = _stdio(fd, mode, errors)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _become_child(request: dict[str, Any], slave: int) -> None:
    """In the forked child: take the PTY, the environment, and run the module. Never returns."""
    code: Any = 1
    try:
        os.setsid()
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        for sig in (signal.SIGINT, signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        _reopen_stdio()
        argv = request["argv"]
        if len(argv) < 3 or argv[1] != "-m":
            raise ValueError("the fork server runs modules only (python -m MODULE ...)")
        sys.argv = [argv[2], *argv[3:]]
        # Running a module the preload imported would warn (RuntimeWarning, on the
        # participant's screen) and run it twice over one name; it runs fresh as __main__.
        sys.modules.pop(argv[2], None)
        runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as leaving:
        code = leaving.code
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code if isinstance(code, int) else (0 if code is None else 1))


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while True:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return


def serve_forever(sock: socket.socket) -> None:
    # Ctrl+C in the facilitator's terminal reaches this process too; the server decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _preload()
    # Keep the preloaded objects out of the collector's reach: a child's first collection
    # would otherwise write to (and so copy) every shared page.
    gc.collect()
    gc.freeze()
    sock.sendall(READY)
    while True:
        _reap()
        readable, _, _ = select.select([sock], [], [], 1.0)
        if not readable:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(sock, MAX_REQUEST, 4)
        except OSError:
            return
        if not data:
            return
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            sock.sendall(json.dumps({"pid": -1}).encode())
            continue
        request = json.loads(data)
        pid = os.fork()
        if pid == 0:
            sock.close()
            _become_child(request, fds[0])
        os.close(fds[0])
        sock.sendall(json.dumps({"pid": pid}).encode())


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    sock.setblocking(True)
    try:
        serve_forever(sock)
    finally:
        _reap()


if __name__ == "__main__":
    main()
