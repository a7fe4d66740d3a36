"""Idle connections that never log in cannot shut the room."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest

from .client import terminal
from .helpers import READY, Server
from .inprocess import Client, login, workshop

pytestmark = pytest.mark.timeout(90)


async def _idle(port: int, source: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A TCP connection that reads the server's greeting and then says nothing."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    assert (await asyncio.wait_for(reader.readline(), 10)).startswith(b"SSH-2.0-")
    return reader, writer


async def _closed_by_server(reader: asyncio.StreamReader) -> bool:
    try:
        while await asyncio.wait_for(reader.read(4096), 20):
            pass
    except (ConnectionError, TimeoutError):
        return False
    return True


async def test_idle_connections_from_two_addresses_do_not_lock_the_room(
    serve: Callable[..., Server],
) -> None:
    server = serve("--passcode", "right-one", "--facilitator-passcode", "boss-code")
    idle = []
    for _ in range(70):
        for source in ("127.0.0.2", "127.0.0.3"):
            idle.append(await _idle(server.port, source))
    try:
        async with (
            await login(server.port, "ana", "right-one") as ana,
            await login(server.port, "facilitator", "boss-code") as boss,
        ):
            mine = await terminal(ana)
            await mine.wait_for(READY)
            room = await terminal(boss, 120, 40)
            await room.wait_for("connected")
        # Those over the per-address cap are closed soon, not held for the login deadline.
        closed = await asyncio.gather(*(_closed_by_server(reader) for reader, _ in idle[-20:]))
        assert all(closed)
    finally:
        for _, writer in idle:
            writer.close()


async def test_places_are_kept_for_the_facilitator(sessions_dir: Path) -> None:
    settings = {"unauthenticated_total": 4, "facilitator_reserve": 1, "refused_grace": 30.0}
    args = ("--passcode", "right-one", "--facilitator-passcode", "boss-code")
    async with workshop(sessions_dir, *args, **settings) as room:
        idle = [await _idle(room.port, f"127.0.0.{n}") for n in range(2, 6)]
        try:
            client = Client()
            with pytest.raises(asyncssh.PermissionDenied):
                await login(room.port, "ana", "right-one", client=client)
            assert "busy" in client.banner
            async with await login(room.port, "facilitator", "boss-code"):
                pass
        finally:
            for _, writer in idle:
                writer.close()


async def test_an_idle_connection_is_closed_at_the_login_deadline(sessions_dir: Path) -> None:
    async with workshop(sessions_dir, "--open", login_timeout=2.0) as room:
        reader, writer = await _idle(room.port, "127.0.0.2")
        try:
            assert await _closed_by_server(reader)
        finally:
            writer.close()
