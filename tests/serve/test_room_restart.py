"""The room's spotlight and an open vote (with the dots placed) survive a server restart."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bmc_tui.model import Item
from bmc_tui.room import read_room
from bmc_tui.store import Store

from .client import connect, terminal
from .helpers import Server, until

pytestmark = pytest.mark.timeout(120)


def _plain(output: bytes) -> str:
    """What the terminal shows, roughly: the text without its escape sequences (the title's
    parts are drawn as separately styled pieces)."""
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", output.decode("utf-8", "replace"))


def _sessions(sessions_dir: Path) -> None:
    store = Store(sessions_dir)
    for name in ("ana", "bob"):
        handle = store.create(name, name)
        handle.session.step = "canvas"
        handle.session.canvas.value_propositions.append(Item("vp-1", f"{name.title()} idea"))
        store.save(handle)
        store.close(handle)


async def test_spotlight_and_vote_come_back_after_a_restart(
    serve: Callable[..., Server], sessions_dir: Path
) -> None:
    _sessions(sessions_dir)
    first = serve("--open", "--facilitator-passcode", "boss")
    async with (
        await connect(first.port, "facilitator", "boss") as boss_conn,
        await connect(first.port, "ana") as ana_conn,
    ):
        boss = await terminal(boss_conn, 100, 30)
        await boss.wait_for("2 sessions")
        ana = await terminal(ana_conn, 100, 30)
        await ana.wait_for("Who do you create value for?")
        await boss.wait_for("1 connected")
        boss.write(b"v")
        await boss.wait_for("Dot vote on the block")
        boss.write(b"\r")
        await boss.wait_for("Open: 0 dots")
        await ana.wait_for("Your dots left: 3 of 3")
        ana.write(b" ")
        await ana.wait_for("Your dots left: 2 of 3")
        since = len(boss.output)
        boss.write(b"\x1b")  # back to the room
        await until(lambda: "Vote open" in _plain(boss.output[since:]), 10, "the room screen")
        boss.write(b"\x1b[B")  # Bob's row
        boss.write(b"p")
        await until(lambda: "Spotlight: bob" in _plain(boss.output), 10, "the room state")
    assert first.stop() == 0

    second = serve("--open", "--facilitator-passcode", "boss")
    room = read_room(sessions_dir)
    assert room.spotlight is not None and room.spotlight.session == "bob"
    async with (
        await connect(second.port, "ana") as ana_conn,
        await connect(second.port, "facilitator", "boss") as boss_conn,
    ):
        ana = await terminal(ana_conn, 100, 30)
        # The vote is back, with the dot placed before the restart; under it, the spotlight.
        await ana.wait_for("Your dots left: 2 of 3")
        since = len(ana.output)
        ana.write(b"\x1b")
        await until(lambda: "Spotlight: bob" in _plain(ana.output[since:]), 10, "the spotlight")
        boss = await terminal(boss_conn, 100, 30)
        await boss.wait_for("Vote open")
        boss.write(b"v")
        await boss.wait_for("Open: 1 dot from 1")
        boss.write(b"c")
        await boss.wait_for("Closed: 1 dot from 1 person")
        await ana.wait_for("Result: 1 dot from 1 person")
    vote = read_room(sessions_dir).votes[-1]
    assert dict(vote.result or ()) == {"ana/vp-1": 1, "bob/vp-1": 0}
