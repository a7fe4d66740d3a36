"""asyncssh as a test client: a terminal session whose output is collected as bytes."""

from __future__ import annotations

import asyncio

import asyncssh

from .helpers import until


class Terminal(asyncssh.SSHClientSession[bytes]):
    def __init__(self) -> None:
        self.output = bytearray()
        self.closed = asyncio.Event()
        self.chan: asyncssh.SSHClientChannel[bytes] | None = None

    def connection_made(self, chan: asyncssh.SSHClientChannel[bytes]) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.output += data

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    async def wait_for(self, needle: str | bytes, timeout: float = 15.0) -> None:
        raw = needle.encode() if isinstance(needle, str) else needle
        await until(lambda: raw in self.output, timeout, f"{needle!r} in the output")

    async def wait_closed(self, timeout: float = 15.0) -> int | None:
        await asyncio.wait_for(self.closed.wait(), timeout)
        assert self.chan is not None
        return self.chan.get_exit_status()

    def write(self, data: bytes) -> None:
        assert self.chan is not None
        self.chan.write(data)


async def connect(
    port: int, user: str, password: str | None = None
) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        username=user,
        password=password,
        known_hosts=None,
        client_keys=None,
        agent_path=None,
        connect_timeout=10,
    )


async def terminal(
    conn: asyncssh.SSHClientConnection,
    cols: int = 80,
    rows: int = 24,
    term: str | None = "xterm-256color",
) -> Terminal:
    kwargs: dict[str, object] = {"encoding": None}
    if term is not None:
        kwargs.update(term_type=term, term_size=(cols, rows))
    _, session = await conn.create_session(Terminal, **kwargs)  # type: ignore[arg-type]
    return session
