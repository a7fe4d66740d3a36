"""The room report of 50 sessions against 50 single exports, in one process.

Both sides read the same 50 files from disk and render HTML (the printable page): the
baseline is `bmc-tui export SESSION --format html` for each session in turn, the room
report is `bmc-tui export --room DIR --format html`. Timed in this process (everything
already imported), interleaved, so the ratio is what the room report adds or saves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .common import Row, interleaved, interleaved_row, temp_dir
from .files import make_files

SESSIONS = 50


def _timed(work: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        t0 = time.perf_counter()
        work()
        return time.perf_counter() - t0

    return run


def run(quick: bool = False) -> list[Row]:
    from bmc_tui.export import render
    from bmc_tui.export.room import read_room_report, render_room
    from bmc_tui.store import load_session

    rows: list[Row] = []
    with temp_dir("room") as folder:
        sessions = folder / "sessions"
        sessions.mkdir()
        paths: list[Path] = make_files(sessions, SESSIONS)
        sizes: dict[str, int] = {}

        def singles(fmt: str) -> None:
            sizes[f"singles-{fmt}"] = sum(
                len(render(load_session(p, allow_newer=True), fmt)) for p in paths
            )

        def room(fmt: str) -> None:
            sizes[f"room-{fmt}"] = len(render_room(read_room_report(sessions), fmt))

        samples = interleaved(
            {
                "room-html": _timed(lambda: room("html")),
                "singles-html": _timed(lambda: singles("html")),
                "room-md": _timed(lambda: room("md")),
                "singles-md": _timed(lambda: singles("md")),
            },
            3 if quick else 7,
        )
    data = {k: [round(v, 4) for v in s] for k, s in samples.items()}
    data["output_chars"] = sizes
    rows.append(
        interleaved_row(
            "room report",
            f"export --room of {SESSIONS} sessions (html) vs {SESSIONS} single html exports",
            samples,
            "room-html",
            "singles-html",
            1.5,
            unit="s",
            baseline_name=f"{SESSIONS} exports",
            data=data,
        )
    )
    rows.append(
        interleaved_row(
            "room report",
            f"the same in Markdown (md) vs {SESSIONS} single md exports",
            samples,
            "room-md",
            "singles-md",
            None,
            unit="s",
            baseline_name=f"{SESSIONS} exports",
        )
    )
    return rows
