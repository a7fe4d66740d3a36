"""Guessing passcodes: one at a time, a few per connection, budgets per address and in all."""

from __future__ import annotations

import logging
from pathlib import Path

import asyncssh
import pytest
from asyncssh.packet import Boolean, String

from .inprocess import Client, login, workshop

pytestmark = pytest.mark.timeout(60)

ARGS = ("--passcode", "right-one", "--facilitator-passcode", "boss-code")


class Pipeliner(Client):
    """Sends wrong passcodes back to back on one connection, then the right one, without
    waiting for answers: each new request used to cancel the one waiting out its delay."""

    def __init__(self, wrong: list[str], right: str) -> None:
        super().__init__()
        self.wrong, self.right = wrong, right
        self.conn: asyncssh.SSHClientConnection | None = None
        self.sent = False

    def connection_made(self, conn: asyncssh.SSHClientConnection) -> None:
        self.conn = conn

    async def password_auth_requested(self) -> str | None:
        if self.sent:
            return None
        self.sent = True
        assert self.conn is not None
        for guess in self.wrong:
            await self.conn.send_userauth_request(
                b"password", Boolean(False), String(guess.encode())
            )
        return self.right


class Sequential(Client):
    """A patient guesser: one passcode after another, each after the last one's answer."""

    def __init__(self, guesses: list[str]) -> None:
        super().__init__()
        self.guesses = list(guesses)

    def password_auth_requested(self) -> str | None:
        return self.guesses.pop(0) if self.guesses else None


@pytest.mark.parametrize("user,right", [("ana", "right-one"), ("facilitator", "boss-code")])
async def test_pipelined_guesses_on_one_connection_are_cut_off(
    sessions_dir: Path, user: str, right: str
) -> None:
    async with workshop(sessions_dir, *ARGS) as room:
        client = Pipeliner([f"guess-{n}" for n in range(200)], right)
        with pytest.raises(asyncssh.PermissionDenied):
            await login(room.port, user, client=client)
        # Only the pipelining connection is shut: a person typing the passcode gets in.
        async with await login(room.port, user, right):
            pass


async def test_a_connection_gets_three_passcodes_then_is_closed(sessions_dir: Path) -> None:
    async with workshop(sessions_dir, *ARGS) as room:
        client = Sequential(["no", "nope", "still-no", "right-one"])
        with pytest.raises(asyncssh.PermissionDenied):
            await login(room.port, "ana", client=client)
        assert client.guesses == ["right-one"]


async def test_an_address_that_keeps_guessing_is_locked_out_and_logged_once(
    sessions_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with workshop(sessions_dir, *ARGS, failures_per_address=4) as room:
        for _ in range(3):
            with pytest.raises(asyncssh.PermissionDenied):
                await login(room.port, "ana", client=Sequential(["a", "b"]), source="127.0.0.2")
        # Locked: even the right passcode is refused from there, and it is told why...
        client = Client()
        with pytest.raises(asyncssh.PermissionDenied):
            await login(room.port, "ana", "right-one", source="127.0.0.2", client=client)
        assert "Too many wrong passcodes" in client.banner
        # ...while other addresses are not.
        async with await login(room.port, "ana", "right-one", source="127.0.0.3"):
            pass
    lockouts = [r for r in caplog.records if "passcodes from it are refused" in r.message]
    assert len(lockouts) == 1
    assert "127.0.0.2" in lockouts[0].message


async def test_guessing_from_many_addresses_locks_out_all_but_known_ones(
    sessions_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with workshop(sessions_dir, *ARGS, failures_total=6) as room:
        async with await login(room.port, "facilitator", "boss-code", source="127.0.0.9"):
            pass
        for n in range(2, 5):
            with pytest.raises(asyncssh.PermissionDenied):
                await login(room.port, "x", client=Sequential(["a", "b"]), source=f"127.0.0.{n}")
        with pytest.raises(asyncssh.PermissionDenied):
            await login(room.port, "ana", "right-one", source="127.0.0.5")
        # Someone who logged in before the guessing still can.
        async with await login(room.port, "facilitator", "boss-code", source="127.0.0.9"):
            pass
    with caplog.at_level(logging.WARNING):
        assert sum("passcodes are refused for" in r.message for r in caplog.records) == 1
