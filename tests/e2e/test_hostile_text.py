"""A session file is something people send each other: nothing in it may drive the terminal.

The session below holds an OSC 52 (write the clipboard), an OSC 0 (set the window title),
CSI 2J (clear the screen), C1 controls, a right-to-left override and a zero-width space in
every kind of text the app shows. The test records every byte the real binary writes to
its terminal (tmux pipe-pane) while it visits each screen, and looks for any of them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from bmc_tui.codec import dump_toml, parse_toml
from bmc_tui.examples import load_example
from bmc_tui.model import BLOCKS, Item

from .tmux import bmc_tui_binary, terminal

HOSTILE = "\x1b]52;c;SGVsbG8=\x07\x1b]0;PWNED\x1b\\\x1b[2J\x9b31m\x85\x9d\u202eevil\u200b"
# What must never reach the terminal (as UTF-8 bytes): the sequences, their payloads, the
# C1 controls, the bidi override and the zero-width space.
FORBIDDEN = (
    b"\x1b]52",
    b"SGVsbG8=",
    b"\x1b]0;PWNED",
    b"PWNED",
    b"\x1b[2J",
    "\x9b".encode(),
    "\x85".encode(),
    "\x9d".encode(),
    "\u202e".encode(),
    "\u200b".encode(),
)


def hostile_session(folder: Path) -> Path:
    session = load_example("platform")
    session.id = "hostile"
    session.title = HOSTILE + "Spare Shift"
    session.step = "social"
    session.facilitator = HOSTILE
    for block in BLOCKS:
        for item in getattr(session.canvas, block):
            item.text = HOSTILE + item.text
    # A link to an id that does not exist: its target is quoted by findings and forms.
    proposition = session.canvas.value_propositions[0]
    proposition.links["segments"] = [*proposition.linked("segments"), HOSTILE + "gone"]
    session.canvas.channels.append(Item(HOSTILE + "id-only", ""))  # shown by its id
    for key in list(session.social.answers):
        session.social.answers[key] = HOSTILE + session.social.answers[key]
    for practice in session.practices:
        practice.text = HOSTILE + practice.text
    strategy = session.strategy
    strategy.vision = HOSTILE + (strategy.vision or "")
    strategy.budget = HOSTILE + (strategy.budget or "")
    for goal in strategy.goals:
        goal.text, goal.metric, goal.target = (HOSTILE + goal.text, HOSTILE, HOSTILE)
    for plan_item in session.plan:
        plan_item.text = HOSTILE + plan_item.text
        plan_item.owner, plan_item.kpi = HOSTILE, HOSTILE
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.toml"
    path.write_text(dump_toml(session), "utf-8")
    return path


def leaks(recording: Path) -> list[bytes]:
    data = recording.read_bytes()
    return [pattern for pattern in FORBIDDEN if pattern in data]


def test_no_escape_sequence_from_a_session_file_reaches_the_terminal(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    path = hostile_session(sessions)
    recording = tmp_path / "terminal.bin"
    binary = bmc_tui_binary()
    with terminal([binary, "--sessions-dir", str(sessions)], cwd=tmp_path, size=(120, 40)) as term:
        term.record(recording)
        term.wait_for("Spare Shift")  # the start screen lists it
        term.keys("Enter")
        term.wait_for("F2")
        # Each screen is waited for by words only it shows (the step bar names them all).
        for key, shown in (
            ("F2", "Opening question"),
            ("F3", "Blocks 1-9"),
            ("Enter", "Text"),  # the item form, its text in an input field
            ("Escape", "Blocks 1-9"),
            ("F4", "keep the best three"),
            ("F5", "Sections 1-9"),
            ("F6", "Random acts"),
            ("F7", "yes-or-no questions"),
            ("F8", "Every misalignment"),
            ("C-o", "Edit canvas"),
            ("Escape", "Every misalignment"),
            ("C-p", "Search"),
        ):
            term.keys(key)
            term.wait_for(shown)
        term.type("Export")
        term.wait_for("Markdown report")  # the palette's command, not the summary's key
        term.keys("Escape")
        term.wait_gone("Markdown report")
        term.keys("C-q")
        term.wait_exit()
    assert b"evil" in recording.read_bytes()  # the text around the sequences is shown
    assert leaks(recording) == []
    # Showing is not editing: the file's text is as it was.
    session = parse_toml(path.read_bytes())
    assert session.canvas.customer_segments[0].text.startswith(HOSTILE)
    assert session.social.answers and all(
        a.startswith(HOSTILE) for a in session.social.answers.values()
    )


def test_list_prints_no_escape_sequence_bidi_override_or_zero_width_space(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    hostile_session(sessions)
    result = subprocess.run(
        [bmc_tui_binary(), "list", "--sessions-dir", str(sessions)],
        capture_output=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert b"evilSpare Shift" in result.stdout
    assert [p for p in FORBIDDEN if p in result.stdout + result.stderr] == []
