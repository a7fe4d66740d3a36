"""Who is connected: `.serve/connected.toml`, kept by the server, read by the dashboard.

The server rewrites it atomically on every connect and disconnect, at most once a second
while participants type (for "last activity"), and every few seconds as a heartbeat. A
reader that finds it older than `STALE_AFTER` treats nobody as connected: the server is
gone, and with it every participant's connection.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

STATUS_DIR = ".serve"
STATUS_FILE = "connected.toml"
HEARTBEAT = 5.0
STALE_AFTER = timedelta(seconds=20)


@dataclass(frozen=True)
class Connection:
    session: str
    since: datetime
    last_input: datetime
    # The step a team member is on: theirs, not the team file's (see collab.py: the step
    # is presence). None for someone on their own session, whose file says it.
    step: str | None = None


@dataclass(frozen=True)
class Status:
    updated: datetime | None = None
    connections: tuple[Connection, ...] = ()

    def connected(self, now: datetime | None = None) -> dict[str, Connection]:
        """The live connections by session id; none if the server stopped writing."""
        now = now or datetime.now(UTC)
        if self.updated is None or now - self.updated > STALE_AFTER:
            return {}
        return {c.session: c for c in self.connections}


def status_path(sessions_dir: Path) -> Path:
    return Path(sessions_dir) / STATUS_DIR / STATUS_FILE


def write_status(sessions_dir: Path, connections: list[Connection]) -> None:
    import tomli_w

    folder = status_path(sessions_dir).parent
    folder.mkdir(mode=0o700, exist_ok=True)
    doc = {
        "version": 1,
        "updated": datetime.now(UTC).replace(microsecond=0),
        "connected": [
            {
                "session": c.session,
                "since": c.since.replace(microsecond=0),
                "last_input": c.last_input.replace(microsecond=0),
            }
            | ({"step": c.step} if c.step else {})
            for c in connections
        ],
    }
    fd, tmp = tempfile.mkstemp(prefix=".connected.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tomli_w.dumps(doc).encode("utf-8"))
        os.replace(tmp, status_path(sessions_dir))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def clear_status(sessions_dir: Path) -> None:
    with contextlib.suppress(OSError):
        status_path(sessions_dir).unlink()


def read_status(sessions_dir: Path) -> Status:
    """The status as last written; missing or unreadable means nobody is connected."""
    try:
        doc = tomllib.loads(status_path(sessions_dir).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Status()
    updated = doc.get("updated")
    rows = doc.get("connected")
    connections = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        session, since, last = row.get("session"), row.get("since"), row.get("last_input")
        step = row.get("step")
        if isinstance(session, str) and isinstance(since, datetime) and isinstance(last, datetime):
            connections.append(
                Connection(session, since, last, step if isinstance(step, str) else None)
            )
    return Status(
        updated=updated if isinstance(updated, datetime) and updated.tzinfo else None,
        connections=tuple(connections),
    )
