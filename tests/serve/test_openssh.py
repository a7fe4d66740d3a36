"""The real OpenSSH client in a real terminal (tmux), as participants and facilitator use it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import READY, SSH_OPTIONS, Server, Tmux, ssh_argv, tmux, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]


def _participant(port: int, user: str, key: Path) -> list[str]:
    return ssh_argv(port, user, "-i", str(key), "-o", "BatchMode=yes")


def _type(mux: Tmux, window: str, text: str) -> None:
    mux.keys(window, text, literal=True)


def _add_segment(mux: Tmux, window: str, text: str) -> None:
    """Go to the canvas step, add a customer segment, type its text (the app saves as we type)."""
    mux.keys(window, "F3")
    mux.wait_for(window, "Who do you create value for?")
    mux.keys(window, "a")
    mux.wait_for(window, "(no text yet)")
    # The new item shows before its text field takes focus; typing earlier would send the
    # keys to the list. The Footer drops the list's "a Add" once the field has focus.
    wait_until(lambda: "a Add" not in mux.screen(window), 15, "the text field's focus")
    mux.keys(window, text, literal=True)


def _saved(sessions_dir: Path, session: str, text: str) -> bool:
    path = sessions_dir / f"{session}.toml"
    return path.exists() and text in path.read_text("utf-8")


def test_participant_works_leaves_and_finds_everything_saved(
    serve: Callable[..., Server], client_key: tuple[Path, Path], sessions_dir: Path, tmp_path: Path
) -> None:
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized))
    with tmux(tmp_path) as mux:
        mux.start("ana", _participant(server.port, "ana", key))
        mux.wait_for("ana", READY)
        _add_segment(mux, "ana", "Ferry commuters")
        wait_until(lambda: _saved(sessions_dir, "ana", "Ferry commuters"), 20, "the save")
        mux.keys("ana", "Enter")
        mux.keys("ana", "~.")  # ssh's own escape: drop the connection, as a network would
        mux.wait_for("ana", "EXIT=")
        wait_until(lambda: not server.children(), 10, "the child to end")
        mux.start("again", _participant(server.port, "ana", key))
        mux.wait_for("again", "Ferry commuters")


def test_no_pty_gets_a_clear_refusal(
    serve: Callable[..., Server], client_key: tuple[Path, Path]
) -> None:
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized))
    result = subprocess.run(
        ["ssh", "-T", "-p", str(server.port), *SSH_OPTIONS, "-i", str(key)]
        + ["-o", "BatchMode=yes", "ana@127.0.0.1"],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert "needs a terminal" in result.stdout + result.stderr
    assert server.children() == []


def test_participants_are_apart_and_the_facilitator_sees_both(
    serve: Callable[..., Server], client_key: tuple[Path, Path], sessions_dir: Path, tmp_path: Path
) -> None:
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized), "--facilitator-passcode", "boss-code")
    with tmux(tmp_path) as mux:
        mux.start("ana", _participant(server.port, "ana", key))
        mux.start("bob", _participant(server.port, "bob", key))
        mux.wait_for("ana", READY)
        mux.wait_for("bob", READY)
        _add_segment(mux, "ana", "Harbor coffee")
        _add_segment(mux, "bob", "Bike repair")
        wait_until(lambda: _saved(sessions_dir, "ana", "Harbor coffee"), 20, "ana's save")
        wait_until(lambda: _saved(sessions_dir, "bob", "Bike repair"), 20, "bob's save")
        assert not _saved(sessions_dir, "ana", "Bike repair")
        assert not _saved(sessions_dir, "bob", "Harbor coffee")
        assert "Bike repair" not in mux.screen("ana")
        assert "Harbor coffee" not in mux.screen("bob")

        mux.start("room", ssh_argv(server.port, "facilitator"))
        mux.wait_for("room", "Password:")
        _type(mux, "room", "boss-code")
        mux.keys("room", "Enter")
        screen = mux.wait_for("room", "2 connected")
        assert "● ana" in screen and "● bob" in screen, screen


def test_three_team_members_type_into_one_block_at_once(
    serve: Callable[..., Server], client_key: tuple[Path, Path], sessions_dir: Path, tmp_path: Path
) -> None:
    """Three real clients on one team canvas: every screen shows every item, the file too."""
    key, authorized = client_key
    roster = tmp_path / "roster.toml"
    roster.write_text('[[teams]]\nname = "Red"\nmembers = ["ana", "bo", "cy"]\n')
    server = serve("--authorized-keys", str(authorized), "--roster", str(roster))
    texts = {"ana": "Ferry riders", "bo": "Night owls", "cy": "Cargo bikers"}
    with tmux(tmp_path) as mux:
        mux.cols, mux.rows = 120, 36
        for name in texts:
            mux.start(name, _participant(server.port, name, key))
        for name in texts:
            mux.wait_for(name, "Team Red", 30)
            mux.keys(name, "F3")
            mux.wait_for(name, "Who do you create value for?")
        for name in texts:
            mux.keys(name, "a")
            wait_until(lambda n=name: "a Add" not in mux.screen(n), 15, "the text field's focus")
        # Everyone types at once, a few keys each in turn.
        for start in range(0, max(len(t) for t in texts.values()), 3):
            for name, text in texts.items():
                if text[start : start + 3]:
                    _type(mux, name, text[start : start + 3])
        for name in texts:
            mux.keys(name, "Enter")
        for name in texts:
            for text in texts.values():
                mux.wait_for(name, text, 15)

        def all_saved() -> bool:
            path = sessions_dir / "team-red.toml"
            body = path.read_text("utf-8") if path.exists() else ""
            return all(f'"{text}"' in body for text in texts.values())

        wait_until(all_saved, 10, "every item in the team's file")
