"""The facilitator and the participants, through the files they share."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bmc_tui.room import read_room

from .client import connect, terminal
from .helpers import READY, Server, until

pytestmark = pytest.mark.timeout(60)


async def test_the_room_follows_arrivals_and_announcements_reach_everyone(
    serve: Callable[..., Server],
) -> None:
    server = serve("--open", "--facilitator-passcode", "boss")
    async with (
        await connect(server.port, "facilitator", "boss") as boss,
        await connect(server.port, "ana") as ana_conn,
    ):
        room = await terminal(boss, 100, 30)
        await room.wait_for("0 connected")
        ana = await terminal(ana_conn, 100, 30)
        await ana.wait_for(READY)
        # The dashboard polls files: within 2 s of Ana's first screen, it shows her.
        await room.wait_for("1 connected", timeout=2)

        room.write(b"a")
        await room.wait_for("Announcement to every participant")
        room.write(b"Coffee break until 11")
        room.write(b"\r")
        await until(
            lambda: read_room(server.sessions_dir).announcement == "Coffee break until 11",
            5,
            "the room file",
        )
        await ana.wait_for("Coffee break until 11", timeout=5)
