"""A connection taken over or ended leaves the participant's terminal as it found it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import READY, Server, Tmux, ssh_argv, tmux, wait_until
from .test_openssh import _participant

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]

MODES = (
    "wrap_flag",
    "cursor_flag",
    "alternate_on",
    "mouse_any_flag",
    "mouse_all_flag",
    "mouse_button_flag",
    "mouse_standard_flag",
    "mouse_sgr_flag",
)
SANE = {"wrap_flag": "1", "cursor_flag": "1"} | {m: "0" for m in MODES[2:]}


def _then_a_long_line(command: list[str]) -> list[str]:
    """The client, then (in the same terminal) a 150-character line and a marker."""
    client = " ".join("'" + word.replace("'", "'\\''") + "'" for word in command)
    script = f"{client}; printf 'W%.0s' $(seq 1 150); echo; echo AFTER"
    return ["sh", "-c", script]


def _wrapped(mux: Tmux, window: str) -> bool:
    """Whether the long line wrapped (100 columns, then 50) rather than being cut."""
    rows = [row.rstrip() for row in mux.screen(window).splitlines()]
    return "W" * 100 in rows and "W" * 50 in rows


def test_a_takeover_leaves_a_working_terminal(
    serve: Callable[..., Server], client_key: tuple[Path, Path], tmp_path: Path
) -> None:
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized))
    with tmux(tmp_path) as mux:
        mux.start("ana", _then_a_long_line(_participant(server.port, "ana", key)))
        mux.wait_for("ana", READY)
        assert mux.flags("ana", "wrap_flag", "alternate_on") == {
            "wrap_flag": "0",  # the app turned wrap off: the reset must turn it back on
            "alternate_on": "1",
        }
        mux.start("again", _participant(server.port, "ana", key))
        mux.wait_for("again", READY)
        screen = mux.wait_for("ana", "AFTER")
        assert "Nothing is lost: your work is saved." in screen.replace("\n", "")
        assert "RuntimeWarning" not in screen and "Traceback" not in screen
        assert _wrapped(mux, "ana"), screen
        assert mux.flags("ana", *MODES) == SANE


def test_the_end_of_the_workshop_leaves_a_working_terminal(
    serve: Callable[..., Server], client_key: tuple[Path, Path], tmp_path: Path
) -> None:
    key, authorized = client_key
    server = serve("--authorized-keys", str(authorized), "--facilitator-passcode", "boss")
    with tmux(tmp_path) as mux:
        mux.start("ana", _then_a_long_line(_participant(server.port, "ana", key)))
        mux.wait_for("ana", READY)
        mux.start("room", _then_a_long_line(ssh_argv(server.port, "facilitator")))
        mux.wait_for("room", "Password:")
        mux.keys("room", "boss", literal=True)
        mux.keys("room", "Enter")
        mux.wait_for("room", "1 connected")
        assert server.stop() == 0
        for window in ("ana", "room"):
            screen = mux.wait_for(window, "AFTER")
            assert "RuntimeWarning" not in screen and "Traceback" not in screen
            wait_until(lambda w=window: _wrapped(mux, w), 5, f"the long line to wrap in {window}")
            assert mux.flags(window, *MODES) == SANE
        assert "The workshop has ended. Your work is saved." in mux.screen("ana")
