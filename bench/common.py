"""What every benchmark shares: statistics, result rows, temp folders, the large session.

Every number in the table is a ratio to a baseline measured in the same invocation (the
machines are noisy; a lone absolute time says little), or an absolute figure with its own
budget (autosave ms, CPU share, seconds to first screen).
"""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


def bmc_tui_binary() -> str:
    """The console script next to the running interpreter (the venv's bin): the real binary."""
    candidate = Path(PYTHON).with_name("bmc-tui")
    if candidate.exists():
        return str(candidate)
    raise SystemExit("bench: the bmc-tui console script is not installed (pip install -e .)")


# -- statistics ----------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by nearest rank: with 200 samples, the 10th slowest."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(0.95 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# -- result rows -----------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table. `ratio` is value/baseline; `holds` is None when no budget."""

    bench: str
    what: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    budget: str = ""
    holds: bool | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def verdict(self) -> str:
        if self.holds is None:
            return "—" if not self.budget.startswith("TODO") else "TODO"
        return "holds" if self.holds else "FAILS"


def ratio_row(
    bench: str,
    what: str,
    value: float,
    baseline: float,
    limit: float | None,
    *,
    unit: str = "ms",
    label: str = "median",
    baseline_name: str = "",
    data: dict[str, Any] | None = None,
    paired: tuple[Sequence[float], Sequence[float]] | None = None,
) -> Row:
    """A row comparing `value` to a same-run `baseline` (both in seconds), budget `limit`x.

    With `paired` (the two commands' samples, round by round, from `interleaved`), the ratio
    is the median of the per-round ratios. This machine's noise comes in spells that slow
    every process for a while (start-up times here are bimodal: ~half the rounds 1.5x
    slower); the two runs of one round share a spell, so their ratio is stable where the
    ratio of two medians is not — it moved between 1.30x and 1.68x over runs of the same
    code, as the medians fell on either side of the gap. The ratio of the medians is kept in
    the row's data.
    """
    ratio = value / baseline if baseline > 0 else float("inf")
    extra = dict(data or {})
    if paired is not None:
        rounds = [a / b for a, b in zip(*paired, strict=True) if b > 0]
        extra["ratio_of_medians"] = round(ratio, 3)
        extra["per_round_ratios"] = [round(r, 3) for r in rounds]
        ratio = statistics.median(rounds)
    data = extra
    return Row(
        bench,
        what,
        f"{label} {_fmt(value, unit)}",
        f"{baseline_name} {_fmt(baseline, unit)}".strip(),
        round(ratio, 2),
        f"≤ {limit}×" if limit is not None else "",
        None if limit is None else ratio <= limit,
        data or {},
    )


def interleaved_row(
    bench: str,
    what: str,
    samples: dict[str, list[float]],
    name: str,
    baseline: str,
    limit: float | None,
    *,
    baseline_name: str,
    unit: str = "ms",
    data: dict[str, Any] | None = None,
) -> Row:
    """`ratio_row` for two commands of one `interleaved` run: medians, per-round ratio."""
    return ratio_row(
        bench,
        what,
        median(samples[name]),
        median(samples[baseline]),
        limit,
        unit=unit,
        baseline_name=baseline_name,
        data=data,
        paired=(samples[name], samples[baseline]),
    )


def _fmt(seconds: float, unit: str) -> str:
    if unit == "ms":
        return f"{seconds * 1000:.1f} ms"
    if unit == "s":
        return f"{seconds:.2f} s"
    return f"{seconds:.1f} {unit}"


# -- processes -------------------------------------------------------------------------


def run_timed(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> float:
    """Wall time of one process from spawn to exit (its output discarded).

    The wait is a blocking `waitpid`, and the timeout a timer that kills the child: with a
    timeout, `subprocess.run` polls `waitpid` with sleeps that double up to 50 ms, which
    rounds every duration up to the next poll (a 64 ms run read as 115 ms).
    """
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    killer = threading.Timer(timeout, child.kill)
    killer.start()
    try:
        child.wait()
    finally:
        killer.cancel()
    return time.perf_counter() - start


def interleaved(
    commands: dict[str, Callable[[], float]], rounds: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Run each measurement once per round, in a shuffled order each round.

    Interleaving spreads the machine's noise (other tenants, CPU frequency, page cache)
    evenly over the commands compared, which one block per command would not.
    """
    rng = random.Random(1234)
    names = list(commands)
    for _ in range(warmup):
        for name in names:
            commands[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        rng.shuffle(names)
        for name in names:
            samples[name].append(commands[name]())
    return samples


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for child processes: no colour, no developer sessions folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BMC_TUI", "TEXTUAL"))}
    env.update({"NO_COLOR": "1", "LANG": "C.UTF-8"}, **extra)
    return env


@contextlib.contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"bmc-bench-{prefix}-") as name:
        yield Path(name)


# -- memory and CPU from /proc ------------------------------------------------------------


def uss_bytes(pid: int) -> int:
    """Unique set size: the pages only this process holds (Private_Clean + Private_Dirty)."""
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1]) * 1024
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far: every live thread's run time, in nanoseconds.

    From `/proc/PID/task/*/schedstat` (the scheduler's own clock). `utime + stime` from
    `/proc/PID/stat` is sampled at the timer tick (10 ms here): a process that wakes for
    0.1 ms now and then is charged a whole tick whenever one lands in it (one idle app on a
    PTY: 2-3 ms of CPU per second by ticks, 0.73 ms/s by schedstat). Threads that have
    exited are not counted; the apps' threads (input, writer, save worker) live as long as
    the app. Falls back to `stat` where schedstat is missing.
    """
    try:
        total = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            with (
                contextlib.suppress(FileNotFoundError, ProcessLookupError),
                open(f"/proc/{pid}/task/{task}/schedstat") as handle,
            ):
                total += int(handle.read().split()[0])
        return total / 1e9
    except (FileNotFoundError, PermissionError):
        text = Path(f"/proc/{pid}/stat").read_text()
        fields = text[text.rindex(")") + 2 :].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks


def children_of(pid: int) -> list[int]:
    kids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = Path(f"/proc/{name}/stat").read_text()
            if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
                kids.append(int(name))
    return kids


# -- the large session -----------------------------------------------------------------


BLOCK_ITEMS = 30
PLAN_ITEMS = 60


def build_large_session(folder: Path, *, session_id: str = "large", step: str = "canvas") -> Path:
    """9 blocks × 30 items and 60 plan items, linked as a real workshop would link them.

    Built through the Editor (the only way the app changes a session), so ids, links and
    texts look like what participants make; written by the Store like an autosave.
    """
    from bmc_tui.editing import Editor
    from bmc_tui.model import BLOCK_TITLES, BLOCKS, LINK_SCHEMA
    from bmc_tui.store import Store

    rng = random.Random(42)
    store = Store(folder)
    handle = store.create(f"Large {session_id}", session_id)
    editor = Editor(handle.session, history=0)
    words = (
        "ferry",
        "harbor",
        "coffee",
        "commuter",
        "night",
        "shift",
        "kiosk",
        "subscription",
        "platform",
        "market",
        "weekly",
        "local",
        "fresh",
        "delivery",
        "partner",
        "team",
    )
    ids: dict[str, list[str]] = {}
    # Blocks in spec order: every link target (segments, resources, activities) is added
    # before the blocks that link to it, except activities → resources, done afterwards.
    order = [b for b in BLOCKS if b != "key_activities"] + ["key_activities"]
    for block in order:
        ids[block] = []
        for n in range(BLOCK_ITEMS):
            text = f"{BLOCK_TITLES[block]} {n}: " + " ".join(rng.choice(words) for _ in range(6))
            links: dict[str, list[str]] = {}
            for link_field, kinds in LINK_SCHEMA[block].items():
                pool = [i for k in kinds for i in ids.get(k, [])]
                if pool:
                    links[link_field] = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
            item = editor.add_item(block, text, **links)
            ids[block].append(item.id)
    goals = [
        editor.add_item(
            "goals", f"Goal {n}: grow {rng.choice(words)}", metric="customers", target=str(100 * n)
        ).id
        for n in range(1, 6)
    ]
    programs = [
        editor.add_item("programs", f"Program {n}", goals=[goals[n % 5]]).id for n in range(5)
    ]
    for n in range(PLAN_ITEMS):
        editor.add_item(
            "plan",
            f"Campaign {n}: " + " ".join(rng.choice(words) for _ in range(4)),
            owner=rng.choice(("Ana", "Ben", "Chloe")),
            start=f"2026-{1 + n % 12:02d}-01",
            end=f"2026-{1 + n % 12:02d}-20",
            kpi="sign-ups",
            target=str(10 * n),
            purpose="acquisition",
            goals=[goals[n % 5]],
            programs=[programs[n % 5]],
            segments=rng.sample(ids["customer_segments"], k=2),
        )
    editor.set_session_field("step", step)
    store.save(handle)
    store.close(handle)
    return handle.path


def write_json(name: str, rows: list[Row], extra: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    import json

    path = RESULTS / f"{name}.json"
    path.write_text(
        json.dumps({"rows": [asdict(r) for r in rows], **extra}, indent=2, default=str), "utf-8"
    )
    return path
