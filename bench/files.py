"""`bmc-tui check` and `bmc-tui list` over 1,000 session files, against the parsing floor.

The floor is a fresh interpreter that only runs `tomllib.load` over the same files: TOML
parsing is what any reader of these files must pay, so the ratio says what bmc-tui adds
(start-up, the codec's checks, the 38 rules, the report). In-process timings of the parts
are kept in the JSON for diagnosis.
"""

from __future__ import annotations

import time
from pathlib import Path

from .common import (
    PYTHON,
    Row,
    bmc_tui_binary,
    clean_env,
    interleaved,
    interleaved_row,
    run_timed,
    temp_dir,
)

FLOOR = """
import sys, tomllib
for name in open(sys.argv[1]).read().split("\\n"):
    if name:
        with open(name, "rb") as handle:
            tomllib.load(handle)
"""


def make_files(folder: Path, count: int) -> list[Path]:
    """`count` sessions: the two shipped examples (real workshop sizes), each with its own id."""
    import re

    from bmc_tui.examples import __file__ as examples_init

    sources = sorted(Path(examples_init).parent.glob("*.toml"))
    texts = [s.read_text("utf-8") for s in sources]
    paths = []
    for n in range(count):
        text = texts[n % len(texts)]
        session_id = f"session-{n:04d}"
        text = re.sub(r'(?m)^id = ".*"$', f'id = "{session_id}"', text, count=1)
        path = folder / f"{session_id}.toml"
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def in_process_parts(paths: list[Path]) -> dict[str, float]:
    """Seconds for each stage over all files, in this process (already imported)."""
    import tomllib

    from bmc_tui.codec import session_from_dict
    from bmc_tui.rules import evaluate

    out: dict[str, float] = {}
    t0 = time.perf_counter()
    docs = [tomllib.loads(p.read_text("utf-8")) for p in paths]
    out["tomllib"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sessions = [session_from_dict(d) for d in docs]
    out["codec"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in sessions:
        evaluate(s)
    out["rules"] = time.perf_counter() - t0
    return out


def run(quick: bool = False) -> list[Row]:
    binary = bmc_tui_binary()
    env = clean_env()
    rows: list[Row] = []
    with temp_dir("files") as folder:
        sessions = folder / "sessions"
        sessions.mkdir()
        paths = make_files(sessions, 1000)
        listing = folder / "files.txt"
        listing.write_text("\n".join(str(p) for p in paths), "utf-8")
        floor_script = folder / "floor.py"
        floor_script.write_text(FLOOR, "utf-8")
        names = [str(p) for p in paths]
        rounds = 3 if quick else 7
        samples = interleaved(
            {
                "check": lambda: run_timed(
                    [binary, "check", "--fail-on", "never", *names], env=env
                ),
                "list": lambda: run_timed(
                    [binary, "list", "--sessions-dir", str(sessions)], env=env
                ),
                "floor": lambda: run_timed([PYTHON, str(floor_script), str(listing)], env=env),
            },
            rounds,
        )
        parts = in_process_parts(paths)
    data = {k: [round(v, 4) for v in s] for k, s in samples.items()}
    data["in_process_s"] = {k: round(v, 4) for k, v in parts.items()}
    rows.append(
        interleaved_row(
            "1,000 files",
            "bmc-tui check ×1000 vs tomllib.load ×1000",
            samples,
            "check",
            "floor",
            1.5,
            unit="s",
            baseline_name="tomllib",
            data=data,
        )
    )
    rows.append(
        interleaved_row(
            "1,000 files",
            "bmc-tui list (1000 sessions) vs tomllib.load ×1000",
            samples,
            "list",
            "floor",
            None,
            unit="s",
            baseline_name="tomllib",
        )
    )
    p = parts
    rows.append(
        Row(
            "1,000 files",
            "in-process split: tomllib / codec / rules",
            f"{p['tomllib']:.2f} / {p['codec']:.2f} / {p['rules']:.2f} s",
            "",
            None,
            "",
            None,
            {k: round(v, 4) for k, v in p.items()},
        )
    )
    return rows
