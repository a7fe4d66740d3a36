"""Both ways of starting a child, in-process: a fresh interpreter, and the fork server."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from bmc_tui.cli import build_parser
from bmc_tui.serve.config import config_from_args
from bmc_tui.serve.hostkey import load_or_create_host_key
from bmc_tui.serve.server import start_server
from bmc_tui.serve.workshop import Workshop

from .client import connect, terminal
from .helpers import READY, in_sessions, participants_of, until, window_size

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("launcher", ["exec", "fork"])
async def test_child_owns_its_terminal_and_ends_with_the_connection(
    sessions_dir: Path, launcher: str
) -> None:
    args = build_parser().parse_args(["serve", "--open", "--port", "0"])
    config = dataclasses.replace(config_from_args(args, sessions_dir), launcher=launcher)
    workshop = Workshop(config)
    acceptor = await start_server(workshop, load_or_create_host_key(sessions_dir / "key"))
    try:
        async with await connect(workshop.port, "ana") as conn:
            term = await terminal(conn, 90, 28)
            await term.wait_for(READY)
            (pid,) = workshop.child_pids()
            assert pid in participants_of(os.getpid())
            # Session leader with the PTY as its controlling terminal: resizes reach it.
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
            assert int(stat[3]) == pid and int(stat[4]) != 0
            assert window_size(pid) == (90, 28)
        await until(lambda: not workshop.child_pids(), 10, "the child to be released")
        await until(lambda: not in_sessions({pid}), 10, "the process group to end")
    finally:
        acceptor.close()
        await workshop.shutdown()
