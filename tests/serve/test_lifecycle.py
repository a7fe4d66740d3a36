"""Children come and go with their connections: takeovers, disconnects, shutdown."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .client import connect, terminal
from .helpers import READY, Server, in_sessions, until

pytestmark = pytest.mark.timeout(60)


async def test_second_connection_takes_the_session_over(serve: Callable[..., Server]) -> None:
    server = serve("--open")
    async with await connect(server.port, "ana") as first_conn:
        first = await terminal(first_conn)
        await first.wait_for(READY)
        (old_pid,) = server.children()
        async with await connect(server.port, "ana") as second_conn:
            second = await terminal(second_conn)
            assert await first.wait_closed() == 1
            assert "opened from another connection" in first.text
            await second.wait_for(READY)
            (new_pid,) = server.children()
            assert new_pid != old_pid
            assert not in_sessions({old_pid})
            # One writer: the new child has the session, not a read-only copy.
            assert "read-only" not in second.text


async def test_no_child_survives_a_disconnect(serve: Callable[..., Server]) -> None:
    server = serve("--open")
    terms = []
    for name in ("ana", "bob", "cy"):
        conn = await connect(server.port, name)
        term = await terminal(conn)
        terms.append((conn, term))
    for _, term in terms:
        await term.wait_for(READY)
    assert len(server.children()) == 3
    sessions = set(server.children())
    for conn, _ in terms:
        conn.close()
        await conn.wait_closed()
    await until(lambda: not server.children(), 10, "every child to end")
    await until(lambda: not in_sessions(sessions), 10, "every process group to end")


async def test_no_child_survives_the_server(serve: Callable[..., Server]) -> None:
    server = serve("--open")
    conns = [await connect(server.port, name) for name in ("ana", "bob")]
    terms = [await terminal(conn) for conn in conns]
    for term in terms:
        await term.wait_for(READY)
    sessions = set(server.children())
    assert len(sessions) == 2
    assert server.stop() == 0
    for term in terms:
        await term.wait_closed()
    assert "workshop has ended" in terms[0].text
    await until(lambda: not in_sessions(sessions), 10, "every process group to end")
    for conn in conns:
        conn.close()
