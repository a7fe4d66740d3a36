"""Reading one session file, and the one-line errors of the session store.

Apart from `store.py` so that `bmc-tui check` (which reads files and never opens, locks
or writes one) does not import the store: start-up is part of the budget of `check`.
"""

from __future__ import annotations

import os
import stat
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


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a session file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a session file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a session file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a session file"
    return "is not a regular file"


def _missing(path: Path) -> str:
    if os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"{path}: is a symbolic link to {target}, which does not exist"
    return f"{path}: no such file"


def read_file(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of a session file, or StoreError with one line naming the file.

    Only regular files are read. A FIFO, socket or device named `*.toml` would block the
    reader forever (or have side effects when opened): they are refused from a `stat`
    before opening, and the open itself is non-blocking and checked again with `fstat`
    (the path may have been swapped in between).
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"{path}: {_kind(st.st_mode)}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise StoreError(_missing(path)) from None
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {_reason(error)}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"{path}: {_kind(st.st_mode)}")
        # Read one byte past the limit rather than trusting st_size: a file can grow while
        # it is read.
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
        if len(data) > MAX_FILE_BYTES:
            raise StoreError(
                f"{path}: the file is too large to be a session ({max(st.st_size, size)} bytes)"
            )
        return data, st
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {_reason(error)}") from None
    finally:
        os.close(fd)


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
