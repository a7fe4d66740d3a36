"""The installed binary in a real terminal: start, type, quit, and the file is there."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bmc_tui.codec import parse_toml

from .tmux import bmc_tui_binary, terminal


def test_new_session_typed_in_a_real_terminal_is_saved(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    binary = bmc_tui_binary()
    with terminal([binary, "--sessions-dir", str(sessions)], cwd=tmp_path) as term:
        term.wait_for("No sessions yet")
        term.keys("n")
        term.wait_for("New session")
        term.type("Harbor Coffee")
        term.keys("Enter")
        term.wait_for("F3")
        term.keys("F3")
        term.wait_for("Customer Segments")
        term.wait_for("a Add")
        term.keys("a")
        term.wait_gone("a Add")  # the Footer drops the list's keys once the text field has focus
        term.type("Ferry commuters")
        term.keys("Enter")
        term.wait_for("Ferry commuters")
        term.keys("C-q")
        term.wait_exit()
    path = sessions / "harbor-coffee.toml"
    session = parse_toml(path.read_bytes())
    assert [s.text for s in session.canvas.customer_segments] == ["Ferry commuters"]
    assert session.step == "canvas"
    check = subprocess.run(
        [binary, "check", str(path), "--format", "json"], capture_output=True, text=True, timeout=30
    )
    assert check.returncode == 0, check.stderr
    assert '"canvas.segment-without-value"' in check.stdout


def test_killing_the_terminal_keeps_what_was_typed(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    binary = bmc_tui_binary()
    subprocess.run(
        [binary, "new", "Kiosk", "--sessions-dir", str(sessions), "--no-open"],
        check=True,
        capture_output=True,
        timeout=30,
    )
    path = sessions / "kiosk.toml"
    with terminal([binary, "open", "kiosk", "--sessions-dir", str(sessions)], cwd=tmp_path) as term:
        term.wait_for("F3")
        term.keys("F3")
        term.wait_for("Customer Segments")
        term.wait_for("a Add")
        term.keys("a")
        term.wait_gone("a Add")  # the Footer drops the list's keys once the text field has focus
        term.type("Night owls")
        term.wait_for("Night owls")
        # Wait for the debounced save, then hang up the terminal like a dropped SSH link.
        deadline_text = "Night owls"
        import time

        deadline = time.monotonic() + 5
        while deadline_text not in path.read_text("utf-8") and time.monotonic() < deadline:
            time.sleep(0.05)
        term.keys("x")  # typed after the save: the hang-up handler must write it too
        term.wait_for("Night owlsx")
        subprocess.run([term.tmux, "-S", str(term.socket), "kill-server"], check=False, timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "Night owlsx" not in path.read_text("utf-8"):
        time.sleep(0.05)
    assert [s.text for s in parse_toml(path.read_bytes()).canvas.customer_segments] == [
        "Night owlsx"
    ]
