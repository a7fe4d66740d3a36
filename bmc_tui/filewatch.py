"""Being told when one file is replaced, without looking every fraction of a second.

Linux's inotify, through ctypes (no dependency): a watch on the file's inode fires when the
file is rewritten or replaced (an atomic `os.replace` drops the old inode's link count,
which inotify reports as IN_ATTRIB). The caller adds the descriptor to its event loop and,
on each wake-up, drains it, re-arms the watch on the path (now the new inode) and reads the
file. Where inotify is not available, `FileWatch.open()` returns None and the caller keeps
polling. Core module: no Textual, no state at module level beyond constants.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
from pathlib import Path

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVE_SELF = 0x00000800
IN_DELETE_SELF = 0x00000400
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000
MASK = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF


class FileWatch:
    """One inotify descriptor watching (at most) one file at a time."""

    def __init__(self, fd: int, libc: ctypes.CDLL) -> None:
        self._fd = fd
        self._libc = libc
        self._wd: int | None = None

    @classmethod
    def open(cls) -> FileWatch | None:
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (OSError, AttributeError):
            return None
        if fd < 0:
            return None
        return cls(fd, libc)

    def fileno(self) -> int:
        return self._fd

    def arm(self, path: Path) -> bool:
        """Watch the file now at `path` (False if there is none yet: keep polling)."""
        if self._wd is not None:
            # The old inode may be gone already (its watch then went with it): harmless.
            self._libc.inotify_rm_watch(self._fd, self._wd)
            self._wd = None
        wd = self._libc.inotify_add_watch(self._fd, os.fsencode(path), MASK)
        if wd < 0:
            return False
        self._wd = wd
        return True

    @property
    def armed(self) -> bool:
        return self._wd is not None

    def drain(self) -> None:
        """Read and drop whatever events are queued (which ones does not matter)."""
        with contextlib.suppress(BlockingIOError, InterruptedError, OSError):
            while os.read(self._fd, 65536):
                pass

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)
