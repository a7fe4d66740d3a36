"""Reading one session file, and the one-line errors of the session store.

Apart from `store.py` so that `bmc-tui check` (which reads files and never opens, locks
or writes one) does not import the store: start-up is part of the budget of `check`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .codec import SessionFormatError, parse_toml
from .model import Session

ENV_SESSIONS = "BMC_TUI_SESSIONS"
DEFAULT_SESSIONS_DIR = "sessions"
MAX_FILE_BYTES = 8 * 1024 * 1024


class StoreError(Exception):
    """A one-line, user-facing error that names the file or folder concerned."""


class ConflictError(StoreError):
    """The file changed on disk since this process read it; saving would overwrite it."""


def new_file_mode() -> int:
    """The mode a new file gets from the process's umask, as `open` would give it.

    Saves go through a temp file (created 0600); this puts back what the user's umask
    allows (0644 usually, 0600 under `bmc-tui serve`, which sets a private umask).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    # No /proc: read it by setting it and at once back (a file another thread creates in
    # between gets 0600 at worst).
    mask = os.umask(0o077)
    os.umask(mask)
    return 0o666 & ~mask


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def read_file(path: Path) -> tuple[bytes, os.stat_result]:
    try:
        with path.open("rb") as handle:
            st = os.fstat(handle.fileno())
            # Read one byte past the limit rather than trusting st_size: pipes and devices
            # (/dev/zero) report 0 and may never end.
            data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                size = f"{st.st_size} bytes" if st.st_size > MAX_FILE_BYTES else "no end in sight"
                raise StoreError(f"{path}: the file is too large to be a session ({size})")
            return data, st
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a session file") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {_reason(error)}") from None


def format_error(path: Path | str, error: SessionFormatError) -> str:
    where = f"{path}"
    if error.line is not None and "line" not in error.detail:
        where += f":{error.line}"
    return f"{where}: {error}"


def load_session(path: Path, *, allow_newer: bool = False) -> Session:
    """Read one session file, or raise StoreError with a one-line message."""
    data, _ = read_file(path)
    try:
        return parse_toml(data, allow_newer=allow_newer)
    except SessionFormatError as error:
        raise StoreError(format_error(path, error)) from None


def resolve_sessions_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """`--sessions-dir` wins, then $BMC_TUI_SESSIONS, then ./sessions."""
    if option:
        return Path(option)
    return Path(os.environ.get(ENV_SESSIONS) or DEFAULT_SESSIONS_DIR)
