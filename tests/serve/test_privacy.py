"""What `serve` writes is for the user running it only: files 0600, folders 0700."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bmc_tui.export import write_text

from .client import connect, terminal
from .helpers import READY, in_sessions, start_server, until

pytestmark = pytest.mark.timeout(60)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_sessions_backups_and_folders_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "workshop"  # made by the server
    server = start_server(folder, "--open", stderr_path=tmp_path / "serve.log")
    try:
        async with await connect(server.port, "ana") as conn:
            term = await terminal(conn)
            await term.wait_for(READY)
            session = folder / "ana.toml"
            await until(session.exists, 10, "the session file")
            await term.wait_for("Answer")  # the footer: the section list has the focus
            term.write(b"\r")  # into the first section's question, a choice of three

            def answered() -> bool:
                # Space chooses (once the choice has the focus), until a save replaced the
                # file made at login, which it keeps as the backup.
                if not (folder / "ana.toml.bak").exists():
                    term.write(b" ")
                    return False
                return True

            await until(answered, 20, "a save and its backup")
            server.children()
        assert _mode(folder) == 0o700
        assert _mode(folder / ".serve") == 0o700
        assert _mode(session) == 0o600
        assert _mode(folder / "ana.toml.bak") == 0o600
        others = [p for p in folder.rglob("*") if p.is_file() and _mode(p) & 0o077]
        assert others == []
    finally:
        assert server.stop() == 0
        await until(lambda: not in_sessions(server.seen_sessions), 10, "no orphans")


def test_exports_follow_the_umask(tmp_path: Path) -> None:
    before = os.umask(0o077)
    try:
        private = write_text(tmp_path / "private.md", "x")
    finally:
        os.umask(before)
    os.umask(0o022)
    try:
        shared = write_text(tmp_path / "shared.md", "x")
    finally:
        os.umask(before)
    assert _mode(private) == 0o600
    assert _mode(shared) == 0o644
