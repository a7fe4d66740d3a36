"""What the server turns away, and that it says why."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest

from bmc_tui.cli import build_parser
from bmc_tui.serve.config import config_from_args
from bmc_tui.serve.hostkey import load_or_create_host_key
from bmc_tui.serve.server import start_server
from bmc_tui.serve.workshop import Workshop

from .client import connect, terminal
from .helpers import READY, Server, until

pytestmark = pytest.mark.timeout(60)


async def test_no_pty_is_refused_in_words(serve: Callable[..., Server]) -> None:
    server = serve("--open")
    async with await connect(server.port, "ana") as conn:
        term = await terminal(conn, term=None)
        assert await term.wait_closed() == 1
    assert "needs a terminal" in term.text
    assert server.children() == []


async def test_commands_sftp_and_forwarding_are_refused(serve: Callable[..., Server]) -> None:
    server = serve("--open")
    async with await connect(server.port, "ana") as conn:
        result = await conn.run("cat /etc/passwd", timeout=10)
        assert result.exit_status == 1
        # The reason goes to stderr, so `> file` never captures it as if it were output.
        assert "only runs the workshop" in str(result.stderr)
        assert result.stdout == ""
        assert "root:" not in str(result.stderr)
        with pytest.raises((asyncssh.Error, OSError)):
            await conn.start_sftp_client()
        with pytest.raises((asyncssh.Error, OSError)):
            await conn.open_connection("127.0.0.1", server.port)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)
    assert server.children() == []


async def test_wrong_passcode_is_refused(serve: Callable[..., Server]) -> None:
    server = serve("--passcode", "right-one", "--facilitator-passcode", "boss")
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "ana", "wrong")
    # The facilitator's passcode is not a participant's, nor the other way round.
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, "facilitator", "right-one")
    async with await connect(server.port, "ana", "right-one") as conn:
        term = await terminal(conn)
        await term.wait_for(READY)


async def test_participant_cap(serve: Callable[..., Server]) -> None:
    server = serve("--open", "--max-participants", "2")
    async with (
        await connect(server.port, "ana") as a,
        await connect(server.port, "bob") as b,
        await connect(server.port, "cy") as c,
    ):
        first, second = await terminal(a), await terminal(b)
        await first.wait_for(READY)
        await second.wait_for(READY)
        third = await terminal(c)
        assert await third.wait_closed() == 1
        assert "workshop is full" in third.text
        assert len(server.children()) == 2


async def test_idle_participants_are_closed(serve: Callable[..., Server]) -> None:
    server = serve("--open", "--idle-timeout", "2s")
    async with await connect(server.port, "ana") as conn:
        term = await terminal(conn)
        await term.wait_for(READY)
        assert await term.wait_closed(timeout=10) == 1
    assert "without input" in term.text


class _BannerClient(asyncssh.SSHClient):
    def __init__(self) -> None:
        self.banner = ""

    def auth_banner_received(self, msg: str, lang: str) -> None:
        self.banner += msg


async def test_too_many_connections_from_one_address_are_told_so(sessions_dir: Path) -> None:
    args = build_parser().parse_args(["serve", "--open", "--port", "0"])
    config = dataclasses.replace(config_from_args(args, sessions_dir), connections_per_address=2)
    workshop = Workshop(config)
    acceptor = await start_server(workshop, load_or_create_host_key(sessions_dir / "key"))
    try:
        for _ in range(2):
            conn = await connect(workshop.port, "ana")
            conn.close()
            await conn.wait_closed()
        client = _BannerClient()
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect(
                "127.0.0.1",
                workshop.port,
                username="ana",
                known_hosts=None,
                client_keys=None,
                agent_path=None,
                client_factory=lambda: client,
            )
        assert "Too many new connections" in client.banner
    finally:
        acceptor.close()
        await workshop.shutdown()


async def test_a_crowd_arriving_at_once_does_not_overshoot_the_cap(
    serve: Callable[..., Server],
) -> None:
    server = serve("--open", "--max-participants", "3")
    conns = await asyncio.gather(*(connect(server.port, f"p{i}") for i in range(6)))
    try:
        terms = await asyncio.gather(*(terminal(conn) for conn in conns))
        await until(
            lambda: (
                sum(READY.encode() in t.output for t in terms) == 3
                and sum(t.closed.is_set() for t in terms) == 3
            ),
            20,
            "three in, three told the workshop is full",
        )
        assert sum("workshop is full" in t.text for t in terms) == 3
        assert len(server.children()) == 3
    finally:
        for conn in conns:
            conn.close()
