"""The room with real OpenSSH clients in tmux: the facilitator summons, spotlights and runs
a dot vote; every participant's screen follows, and the room file holds the result."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bmc_tui.model import Item
from bmc_tui.room import read_room
from bmc_tui.store import Store

from .helpers import Server, Tmux, ssh_argv, tmux, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

PEOPLE = ("ana", "bob", "cy")
CANVAS = "Who do you create value for?"
SOCIAL = "Opening question"


def _sessions(sessions_dir: Path, step: str = "social") -> None:
    """Each person's session, made before the workshop, with one value proposition."""
    store = Store(sessions_dir)
    for name in PEOPLE:
        handle = store.create(name, name)
        handle.session.step = step
        handle.session.canvas.value_propositions.append(Item("vp-1", f"{name.title()} idea"))
        store.save(handle)
        store.close(handle)


def _participant(port: int, user: str, key: Path) -> list[str]:
    return ssh_argv(port, user, "-i", str(key), "-o", "BatchMode=yes")


def _facilitator(mux: Tmux, port: int) -> None:
    mux.start("room", ssh_argv(port, "facilitator"))
    mux.wait_for("room", "Password:")
    mux.keys("room", "boss-code", literal=True)
    mux.keys("room", "Enter")
    mux.wait_for("room", "3 connected", timeout=20)


def _start(
    serve: Callable[..., Server], client_key: tuple[Path, Path], mux: Tmux, ready: str
) -> Server:
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized), "--facilitator-passcode", "boss-code")
    for name in PEOPLE:
        mux.start(name, _participant(server.port, name, key))
    for name in PEOPLE:
        mux.wait_for(name, ready, timeout=30)
    _facilitator(mux, server.port)
    return server


def test_summon_moves_every_screen_and_a_spotlight_shows_on_all_until_esc(
    serve: Callable[..., Server], client_key: tuple[Path, Path], sessions_dir: Path, tmp_path: Path
) -> None:
    _sessions(sessions_dir)
    with tmux(tmp_path) as mux:
        _start(serve, client_key, mux, SOCIAL)
        mux.keys("room", "s")
        mux.wait_for("room", "Bring to which step?")
        mux.keys("room", "Enter")  # the canvas, for everyone
        for name in PEOPLE:
            mux.wait_for(name, CANVAS, timeout=10)
            mux.wait_for(name, "brings you to Canvas", timeout=10)
        # They can still move on their own.
        mux.keys("bob", "F2")
        mux.wait_for("bob", SOCIAL)

        mux.keys("room", "p")  # the first row: Ana
        for name in PEOPLE:
            mux.wait_for(name, "Spotlight: ana", timeout=10)
        assert "Ana idea" in mux.screen("cy")
        mux.keys("cy", "Escape")
        wait_until(lambda: "Spotlight: ana" not in mux.screen("cy"), 10, "cy back at work")
        mux.wait_for("cy", CANVAS)
        mux.keys("room", "p")  # ends it for everyone else
        wait_until(lambda: "Spotlight: ana" not in mux.screen("bob"), 10, "bob back")
        mux.wait_for("bob", SOCIAL)
        wait_until(lambda: "Spotlight: ana" not in mux.screen("ana"), 10, "ana back")
        assert read_room(sessions_dir).spotlight is None


def test_a_dot_vote_with_three_people_and_a_reconnect(
    serve: Callable[..., Server], client_key: tuple[Path, Path], sessions_dir: Path, tmp_path: Path
) -> None:
    _sessions(sessions_dir, step="canvas")
    key, _ = client_key
    with tmux(tmp_path) as mux:
        server = _start(serve, client_key, mux, CANVAS)
        mux.keys("room", "v")
        mux.wait_for("room", "Dot vote on the block")
        mux.keys("room", "Enter")  # value propositions of the whole room, 3 dots each
        mux.wait_for("room", "Open: 0 dots from 0")
        for name in PEOPLE:
            mux.wait_for(name, "Your dots left: 3 of 3", timeout=10)
        mux.keys("ana", "Space", "Space", "Space", "Space")  # the fourth is refused
        mux.wait_for("ana", "Your dots left: 0 of 3")
        mux.keys("bob", "Down", "Space")
        mux.wait_for("bob", "Your dots left: 2 of 3")
        # Bob's connection drops; he comes back to the vote with his dot.
        mux.keys("bob", "Enter", "~.")
        mux.wait_for("bob", "EXIT=")
        mux.start("bob2", _participant(server.port, "bob", key))
        mux.wait_for("bob2", "Your dots left: 2 of 3", timeout=30)
        mux.keys("bob2", "Space")  # the cursor starts at the top: Ana's idea
        mux.wait_for("bob2", "Your dots left: 1 of 3")
        mux.keys("cy", "Down", "Down", "Space", "Space")
        mux.wait_for("cy", "Your dots left: 1 of 3")
        mux.wait_for("room", "Open: 7 dots from 3", timeout=10)
        mux.keys("room", "c")
        mux.wait_for("room", "Closed: 7 dots from 3 people")
        for name in ("ana", "bob2", "cy"):
            screen = mux.wait_for(name, "Result: 7 dots from 3 people", timeout=10)
            lines = [line.strip("│ ") for line in screen.splitlines() if "idea" in line]
            # Most dots first: Ana's idea 4, Cy's 2, Bob's 1.
            assert [line.split()[0] for line in lines[:3]] == ["4", "2", "1"], screen
            assert "Ana idea" in lines[0] and "Cy idea" in lines[1], screen
            wait_until(lambda n=name: "Place a dot" not in mux.screen(n), 10, "keys gone")
    vote = read_room(sessions_dir).votes[-1]
    assert vote.voters == 3
    assert dict(vote.result or ()) == {"ana/vp-1": 4, "bob/vp-1": 1, "cy/vp-1": 2}
