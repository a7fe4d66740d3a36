"""The room for the facilitator: one row per session file, joined with who is connected.

Reads only files (the sessions and `.serve/connected.toml`); never talks to a participant's
process. Parsed sessions are cached by file stamp, so a refresh each second re-reads only
the files that changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ..progress import step_progress
from ..rules import counts, evaluate
from ..store import StoreError, load_session
from ..text import one_line
from .status import read_status


@dataclass(frozen=True)
class Row:
    session_id: str
    title: str
    connected: bool = False
    step: str | None = None
    progress: dict[str, tuple[int, int]] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    last_activity: datetime | None = None
    problem: str | None = None  # why the file could not be read


@dataclass(frozen=True)
class _Parsed:
    stamp: tuple[int, int, int]
    row: Row


class Roster:
    def __init__(self, sessions_dir: Path) -> None:
        self.sessions_dir = Path(sessions_dir)
        self._cache: dict[Path, _Parsed] = {}

    def _parse(self, path: Path) -> Row | None:
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        cached = self._cache.get(path)
        if cached is not None and cached.stamp == stamp:
            return cached.row
        try:
            session = load_session(path, allow_newer=True)
        except StoreError as error:
            row = Row(path.stem, one_line(path.stem, 40), problem=one_line(str(error), 120))
        else:
            found = counts(evaluate(session))
            row = Row(
                session.id,
                one_line(session.title, 40) or session.id,
                step=session.step,
                progress=step_progress(session),
                errors=found["error"],
                warnings=found["warning"],
                last_activity=session.updated,
            )
        self._cache[path] = _Parsed(stamp, row)
        return row

    def rows(self) -> list[Row]:
        try:
            paths = sorted(
                Path(entry.path)
                for entry in os.scandir(self.sessions_dir)
                if entry.name.endswith(".toml") and not entry.name.startswith(".")
            )
        except OSError:
            return []
        for gone in set(self._cache) - set(paths):
            del self._cache[gone]
        connected = read_status(self.sessions_dir).connected(datetime.now(UTC))
        rows = []
        for path in paths:
            row = self._parse(path)
            if row is None:
                continue
            link = connected.get(row.session_id)
            if link is not None:
                last = max(filter(None, (row.last_activity, link.last_input)))
                row = replace(row, connected=True, last_activity=last)
            rows.append(row)
        return rows
