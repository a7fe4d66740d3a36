"""Run every benchmark and print one table: `.venv/bin/python -m bench [--quick] [--only NAME]`.

Each row compares against a baseline measured in this same invocation. The table goes to
stdout (Markdown, ready for docs/performance.md) and, with the machine's description and
every sample, to bench/results/<UTC time>.json and bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .common import RESULTS, Row, write_json

SUITES = ("cold_start", "keystrokes", "files", "room_report", "serve", "room", "teams")


def machine() -> dict[str, Any]:
    import textual

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "textual": textual.__version__,
        "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in load],
    }


def table(rows: list[Row]) -> str:
    lines = [
        "| bench | what | value | baseline | ratio | budget | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        lines.append(
            f"| {r.bench} | {r.what} | {r.value} | {r.baseline} | {ratio} | "
            f"{r.budget} | {r.verdict()} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    parser.add_argument("--only", choices=SUITES, action="append", help="run only these")
    args = parser.parse_args(argv)
    # Bytecode goes to a private cache (written on the warm-up run), never into the
    # checkout, and is not disabled: PYTHONDONTWRITEBYTECODE would make every start
    # recompile bmc_tui and measure the compiler instead of the program.
    import tempfile

    cache = tempfile.mkdtemp(prefix="bmc-bench-pycache-")
    os.environ["PYTHONPYCACHEPREFIX"] = cache
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    info = machine()
    print(
        f"bmc-tui benchmarks — {info['date']}, {info['nproc']} × {info['cpu']}, "
        f"Python {info['python']}, Textual {info['textual']}",
        flush=True,
    )
    rows: list[Row] = []
    timings: dict[str, float] = {}
    bare_start: float | None = None
    for suite in args.only or SUITES:
        started = time.monotonic()
        print(f"… {suite}", file=sys.stderr, flush=True)
        try:
            if suite == "cold_start":
                from . import cold_start

                got = cold_start.run(args.quick)
                samples = got[0].data.get("bare")
                if samples:
                    from .common import median

                    bare_start = median(samples)
            elif suite == "keystrokes":
                from . import keystrokes

                got = keystrokes.run(args.quick)
            elif suite == "files":
                from . import files

                got = files.run(args.quick)
            elif suite == "room_report":
                from . import room_report

                got = room_report.run(args.quick)
            elif suite == "room":
                from . import room

                got = room.run(args.quick)
            elif suite == "teams":
                from . import teams

                got = teams.run(args.quick)
            else:
                from . import serve

                got = serve.run(args.quick, bare_start)
        except Exception as error:  # noqa: BLE001 - one broken suite must not hide the others
            got = [
                Row(
                    suite,
                    "could not run",
                    f"{type(error).__name__}: {error}",
                    budget="",
                    holds=False,
                )
            ]
        rows += got
        timings[suite] = round(time.monotonic() - started, 1)
    shutil_rm(cache)
    print(table(rows))
    failing = [r for r in rows if r.holds is False]
    print(
        f"\n{len(rows) - len(failing)} of {len(rows)} lines hold or have no budget; "
        f"{len(failing)} fail."
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    extra = {"machine": info, "quick": args.quick, "seconds": timings, "table": table(rows)}
    path = write_json(stamp, rows, extra)
    write_json("latest", rows, extra)
    print(f"results: {path.relative_to(RESULTS.parents[1])}", file=sys.stderr)
    return 0


def shutil_rm(folder: str) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
