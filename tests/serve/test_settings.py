"""Each participant's preferences are their own: one person's theme never reaches another."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest

from .client import Terminal, connect
from .helpers import READY, Server, until

pytestmark = pytest.mark.timeout(60)

# The high-contrast theme's yellow (footer keys), as a truecolor escape.
YELLOW = b"38;2;255;255;0"


async def _terminal(conn: asyncssh.SSHClientConnection) -> Terminal:
    _, session = await conn.create_session(
        Terminal,  # type: ignore[arg-type]
        term_type="xterm-256color",
        term_size=(100, 30),
        env={"COLORTERM": "truecolor"},
        encoding=None,
    )
    return session


async def test_two_participants_keep_their_own_theme(
    serve: Callable[..., Server], sessions_dir: Path
) -> None:
    server = serve("--open")
    async with (
        await connect(server.port, "ana") as ana_conn,
        await connect(server.port, "bob") as bob_conn,
    ):
        ana, bob = await _terminal(ana_conn), await _terminal(bob_conn)
        await ana.wait_for(READY)
        await bob.wait_for(READY)
        assert YELLOW not in ana.output
        ana.write(b"\x10")  # Ctrl+P: the command palette
        await ana.wait_for("Search for commands")
        ana.write(b"High-contrast")
        await ana.wait_for("For projectors")
        ana.write(b"\r")
        await ana.wait_for(YELLOW)
    await until(lambda: not server.children(), 10, "both children to end")
    async with (
        await connect(server.port, "bob") as bob_conn,
        await connect(server.port, "ana") as ana_conn,
    ):
        bob, ana = await _terminal(bob_conn), await _terminal(ana_conn)
        await bob.wait_for(READY)
        await ana.wait_for(READY)
        await ana.wait_for(YELLOW)  # ana's choice came back with her...
        assert YELLOW not in bob.output  # ...and never reached bob
    assert list((sessions_dir / ".serve" / "people").iterdir())
