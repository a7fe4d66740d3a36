"""What a client may ask of its terminal, clamped to what is safe to hand to a child."""

from __future__ import annotations

import fcntl
import struct
import termios
from collections.abc import Mapping
from pathlib import Path

MIN_COLS, MAX_COLS = 20, 500
MIN_ROWS, MAX_ROWS = 5, 200
DEFAULT_SIZE = (80, 24)
DEFAULT_TERM = "xterm-256color"
# Terminal types Textual renders well and that every terminfo install knows; anything
# else (or a name carrying odd bytes) falls back to the default.
SAFE_TERMS = frozenset(
    {
        "xterm",
        "xterm-256color",
        "xterm-color",
        "xterm-direct",
        "xterm-kitty",
        "screen",
        "screen-256color",
        "tmux",
        "tmux-256color",
        "vt100",
        "vt220",
        "linux",
        "rxvt-unicode",
        "rxvt-unicode-256color",
        "alacritty",
        "foot",
        "wezterm",
    }
)
SAFE_COLORTERMS = frozenset({"truecolor", "24bit"})


def clamp_size(cols: int, rows: int) -> tuple[int, int]:
    """A window size a child can live with; zero means "unknown" in SSH."""
    cols = cols if cols > 0 else DEFAULT_SIZE[0]
    rows = rows if rows > 0 else DEFAULT_SIZE[1]
    return min(max(cols, MIN_COLS), MAX_COLS), min(max(rows, MIN_ROWS), MAX_ROWS)


def safe_term(term: str | None) -> str:
    return term if term in SAFE_TERMS else DEFAULT_TERM


def set_window_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def child_environment(
    *,
    path: str,
    home: Path,
    sessions_dir: Path,
    term: str | None,
    client_env: Mapping[str, str],
    settings: Path | None = None,
) -> dict[str, str]:
    """The whole environment of a child: nothing of the server's own leaks through.

    `settings` is the participant's own folder for preferences (the theme) and crash notes:
    without it they would share one home, and one person's choice would reach the next.
    """
    env = {
        "PATH": path,
        "HOME": str(home),
        "TERM": safe_term(term),
        "LANG": "C.UTF-8",
        "BMC_TUI_SESSIONS": str(sessions_dir),
    }
    if settings is not None:
        env["XDG_CONFIG_HOME"] = str(settings / "config")
        env["XDG_STATE_HOME"] = str(settings / "state")
    colorterm = client_env.get("COLORTERM")
    if colorterm in SAFE_COLORTERMS:
        env["COLORTERM"] = colorterm
    return env
