"""A workshop server in the test's own event loop, with settings a command line cannot set."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncssh

from bmc_tui.cli import build_parser
from bmc_tui.serve.config import config_from_args
from bmc_tui.serve.hostkey import load_or_create_host_key
from bmc_tui.serve.server import start_server
from bmc_tui.serve.workshop import Workshop


@asynccontextmanager
async def workshop(sessions_dir: Path, *args: str, **settings: Any) -> AsyncIterator[Workshop]:
    parsed = build_parser().parse_args(["serve", "--port", "0", *args])
    config = dataclasses.replace(config_from_args(parsed, sessions_dir), **settings)
    room = Workshop(config)
    acceptor = await start_server(room, load_or_create_host_key(sessions_dir / "key"))
    try:
        yield room
    finally:
        acceptor.close()
        await room.shutdown()


class Client(asyncssh.SSHClient):
    """Collects the auth banners the server sends (its refusals, in words)."""

    def __init__(self) -> None:
        self.banner = ""

    def auth_banner_received(self, msg: str, lang: str) -> None:
        self.banner += msg


async def login(
    port: int,
    user: str,
    password: str | None = None,
    *,
    source: str = "127.0.0.1",
    client: asyncssh.SSHClient | None = None,
) -> asyncssh.SSHClientConnection:
    """Connect from a loopback address of our choosing (127.0.0.0/8 is all ours)."""
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        username=user,
        password=password,
        known_hosts=None,
        client_keys=None,
        agent_path=None,
        connect_timeout=10,
        local_addr=(source, 0),
        client_factory=(lambda: client) if client is not None else None,
    )
