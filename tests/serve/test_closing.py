"""A channel that closes while its child still writes is normal: one line, no traceback."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bmc_tui.serve.child import Child
from bmc_tui.serve.config import ServeConfig
from bmc_tui.serve.session import Identity, WorkshopSession
from bmc_tui.serve.workshop import Workshop

from .client import connect, terminal
from .helpers import READY, Server, until

pytestmark = pytest.mark.timeout(60)


async def test_input_ending_early_logs_no_traceback(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    server = serve("--open")
    names = [f"p{n}" for n in range(12)]
    for name in names:
        async with await connect(server.port, name) as conn:
            term = await terminal(conn)
            await term.wait_for(READY)
            assert term.chan is not None
            term.write(b"\x1bOR\x1bOQ" * 50)  # keys that make the child redraw...
            term.chan.write_eof()  # ...and the input ends, and the client goes
            term.chan.close()
            await asyncio.wait_for(term.closed.wait(), 15)
    await until(lambda: not server.children(), 10, "the children to end")
    log_file = tmp_path / "serve0.log"
    # The server logs a disconnection once the child's end has been handled: wait for it.
    await until(
        lambda: all(f"participant {name} disconnected" in log_file.read_text() for name in names),
        15,
        "every disconnection logged",
    )
    log = log_file.read_text()
    assert "Traceback" not in log and "BrokenPipeError" not in log, log
    assert all(log.count(f"participant {name} disconnected") == 1 for name in names)


class _ClosedChannel:
    """A channel the client has already closed, as asyncssh answers a write to it."""

    def write(self, data: bytes) -> None:
        raise BrokenPipeError("Channel not open for sending")

    def exit(self, status: int) -> None:
        raise BrokenPipeError("Channel not open for sending")


async def test_output_to_a_closed_channel_is_one_line(
    sessions_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "bmc_tui.serve")
    workshop = Workshop(ServeConfig(sessions_dir=sessions_dir, open=True))
    session = WorkshopSession(workshop, Identity("ana", "ana", False, "127.0.0.1"))
    session.connection_made(_ClosedChannel())  # type: ignore[arg-type]
    sleeper = subprocess.Popen(["sleep", "30"])
    master, other = os.pipe()
    os.set_blocking(master, False)
    child = Child(sleeper.pid, master)
    try:
        session.attach_child(child)
        for _ in range(3):
            os.write(other, b"a frame of the child's screen" * 100)
            session._pump_output()  # what the event loop calls when the child writes
            session._drain_output()
        lines = [r for r in caplog.records if "closed while writing" in r.message]
        assert len(lines) == 1
        assert all(r.exc_info is None for r in caplog.records)
    finally:
        session.release_child()
        sleeper.kill()
        await child.stop()
        os.close(other)
        await workshop.shutdown()
