"""The room file watch: replacing the file (as the dashboard does) wakes the watcher."""

from __future__ import annotations

import select
import sys
from pathlib import Path

import pytest

from bmc_tui.filewatch import FileWatch
from bmc_tui.room import Room, room_path, write_room

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


def _woken(watch: FileWatch, timeout: float = 5.0) -> bool:
    ready, _, _ = select.select([watch.fileno()], [], [], timeout)
    return bool(ready)


def test_a_replaced_room_file_wakes_the_watch_each_time(tmp_path: Path) -> None:
    watch = FileWatch.open()
    assert watch is not None
    try:
        assert not watch.arm(room_path(tmp_path))  # no file yet: the caller polls
        write_room(tmp_path, Room(announcement="one"))
        assert watch.arm(room_path(tmp_path))
        assert not _woken(watch, 0)
        write_room(tmp_path, Room(announcement="two"))
        assert _woken(watch)
        watch.drain()
        watch.arm(room_path(tmp_path))  # the new file
        assert not _woken(watch, 0)
        write_room(tmp_path, Room(announcement="three"))
        assert _woken(watch)
        # Another file in the folder (a session being saved) does not wake it.
        watch.drain()
        watch.arm(room_path(tmp_path))
        (tmp_path / "ana.toml").write_text("x")
        assert not _woken(watch, 0.2)
    finally:
        watch.close()
