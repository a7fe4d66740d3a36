"""The room: what a facilitator shares with every participant of a workshop.

It is one small TOML file, `.room.toml`, in the workshop's sessions folder. The
facilitator's dashboard writes it; each participant's app reads it every second or so.
Keeping it a file (not a message between processes) means the participants' processes
and the facilitator's never reach into each other, and a restart of either loses nothing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .model import STEPS
from .text import one_line

ROOM_FILE = ".room.toml"
MAX_ANNOUNCEMENT = 200


@dataclass(frozen=True)
class Room:
    announcement: str | None = None
    announced_at: datetime | None = None
    # The step the timebox is for (None: whatever step each participant is on).
    timebox_step: str | None = None
    timebox_ends: datetime | None = None


def room_path(folder: Path) -> Path:
    return Path(folder) / ROOM_FILE


def read_room(folder: Path) -> Room:
    """The room as last written; a missing or unreadable file is an empty room, never an error."""
    try:
        doc = tomllib.loads(room_path(folder).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Room()
    announcement = doc.get("announcement")
    announced_at = doc.get("announced_at")
    step = doc.get("timebox_step")
    ends = doc.get("timebox_ends")
    return Room(
        announcement=one_line(announcement, MAX_ANNOUNCEMENT) or None
        if isinstance(announcement, str)
        else None,
        announced_at=announced_at if isinstance(announced_at, datetime) else None,
        timebox_step=step if isinstance(step, str) and step in STEPS else None,
        timebox_ends=ends if isinstance(ends, datetime) and ends.tzinfo else None,
    )


def write_room(folder: Path, room: Room) -> None:
    """Replace the room file atomically, so a reader never sees half of it."""
    import tomli_w

    doc: dict[str, object] = {}
    if room.announcement:
        doc["announcement"] = one_line(room.announcement, MAX_ANNOUNCEMENT)
    if room.announced_at:
        doc["announced_at"] = room.announced_at
    if room.timebox_step:
        doc["timebox_step"] = room.timebox_step
    if room.timebox_ends:
        doc["timebox_ends"] = room.timebox_ends
    folder = Path(folder)
    fd, tmp = tempfile.mkstemp(prefix=".room.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tomli_w.dumps(doc).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, room_path(folder))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
