"""A name opens only its own session: another spelling of it never takes a colleague's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .client import connect, terminal
from .helpers import READY, Server, until

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("other", ["ANA", "Ana", "ana%", "ana "])
async def test_a_name_that_maps_to_a_connected_session_is_refused(
    serve: Callable[..., Server], sessions_dir: Path, other: str
) -> None:
    server = serve("--open")
    async with await connect(server.port, "ana") as first_conn:
        first = await terminal(first_conn)
        await first.wait_for(READY)
        (pid,) = server.children()
        async with await connect(server.port, other) as second_conn:
            second = await terminal(second_conn)
            assert await second.wait_closed() == 1
        assert "belongs to 'ana'" in second.text
        assert "session 'ana'" in second.text
        # Ana is still there, undisturbed.
        assert not first.closed.is_set()
        assert server.children() == [pid]
        assert "opened from another connection" not in first.text
    assert [p.name for p in sessions_dir.glob("*.toml")] == ["ana.toml"]


async def test_another_spelling_is_refused_when_the_owner_is_away_too(
    serve: Callable[..., Server],
) -> None:
    server = serve("--open")
    async with await connect(server.port, "Ana") as conn:
        term = await terminal(conn)
        await term.wait_for(READY)
    await until(lambda: not server.children(), 10, "the child to end")
    async with await connect(server.port, "ana") as conn:
        term = await terminal(conn)
        assert await term.wait_closed() == 1
    assert "belongs to 'Ana'" in term.text
    # The owner comes back to their own session.
    async with await connect(server.port, "Ana") as conn:
        term = await terminal(conn)
        await term.wait_for(READY)
