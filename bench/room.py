"""The room over real SSH (asyncssh clients, the real `bmc-tui serve` on loopback): how fast
a summon moves thirty connected participants, and how fast the facilitator's gallery pages
compared with a participant changing step on the same server in the same run.

- Summon: thirty participants connected (ten at a time), each on the social step. The bench
  writes the summon into the room file exactly as the dashboard does (`write_room`), then
  times, per participant, until the canvas's first question is in what their terminal got.
  Three summons (canvas, social, canvas); the budget is on the slowest participant of all.
- Gallery: the facilitator (a 100×30 terminal) opens the gallery (g) and presses n or p; each
  press is timed until the next session's id is on screen. The baseline: one participant
  presses F3/F2 (canvas/social) and is timed until that step's first question is on screen.
  The two alternate, one of each per round.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncssh

from .common import Row, median, p95, ratio_row, temp_dir
from .serve import Term, _tree_cpu, make_sessions, start_server, stop_server, until_quiet

PEOPLE = 30
CANVAS = b"Who do you create value for?"
SOCIAL = b"Opening question"
BOSS = "bench-boss-code"


class Person:
    def __init__(self, port: int, name: str, password: str | None = None) -> None:
        self.port, self.name, self.password = port, name, password
        self.conn: Any = None
        self.term: Term | None = None

    async def connect(self, ready: bytes) -> None:
        self.conn = await asyncssh.connect(
            "127.0.0.1",
            self.port,
            username=self.name,
            password=self.password,
            known_hosts=None,
            client_keys=None,
            agent_path=None,
            connect_timeout=30,
        )
        _, self.term = await self.conn.create_session(
            Term, term_type="xterm-256color", term_size=(100, 30), encoding=None
        )
        await self.term.wait_for(ready, 0, 60)

    async def press(self, key: bytes, needle: bytes, timeout: float = 10.0) -> float:
        """Seconds from sending `key` to `needle` in the output that follows it."""
        assert self.term is not None
        since = len(self.term.output)
        start = time.perf_counter()
        self.term.chan.write(key)
        return await self.term.wait_for(needle, since, timeout) - start

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.conn.wait_closed(), 5)


async def _summon(
    sessions: Path,
    people: list[Person],
    step: str,
    needle: bytes,
    cpu: list[float],
    server: int,
    target: str = "all",
) -> list[float]:
    from bmc_tui.room import Summon, fresh_id, read_room, write_room

    offsets = [len(p.term.output) for p in people if p.term is not None]
    room = read_room(sessions)
    now = datetime.now(UTC)
    summon = Summon(fresh_id(now, [room.summon.id] if room.summon else []), step, target, now)
    tree0, own0 = _tree_cpu(server), time.process_time()
    start = time.perf_counter()
    write_room(sessions, replace(room, summon=summon))
    ends = await asyncio.gather(
        *(
            p.term.wait_for(needle, since, 10)
            for p, since in zip(people, offsets, strict=True)
            if p.term
        )
    )
    # What the move cost (the apps, the SSH server, and these clients): over the cores,
    # the shortest the slowest participant's wait can be.
    cpu.append(_tree_cpu(server) - tree0 + time.process_time() - own0)
    return [end - start for end in ends]


async def _bench(port: int, server: int, sessions: Path, quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    people = [Person(port, f"r{n:03d}") for n in range(PEOPLE)]
    for start in range(0, PEOPLE, 10):
        await asyncio.gather(*(p.connect(SOCIAL) for p in people[start : start + 10]))
    # Every first screen drawn, and every app's steps built ahead (they are, once their
    # user pauses: BUILD_AHEAD_IDLE); a summon in a workshop comes minutes after joining.
    out["settled"] = await until_quiet(server)
    # One participant alone first: the summon's own delay (the room-file look-up, then one
    # step change), without 29 others changing step on the same cores.
    cpu: list[float] = []
    alone = []
    for step, needle in (("canvas", CANVAS), ("social", SOCIAL)) * 2:
        alone += await _summon(sessions, people[:1], step, needle, [], server, "person:r000")
        await asyncio.sleep(1.0)
    rounds = []
    for step, needle in (("canvas", CANVAS), ("social", SOCIAL), ("canvas", CANVAS)):
        rounds.append(await _summon(sessions, people, step, needle, cpu, server))
        await asyncio.sleep(2.0)
    out["summon"], out["summon_cpu"], out["summon_alone"] = rounds, cpu, alone
    # The gallery against a participant's own step change, alternating.
    boss = Person(port, "facilitator", BOSS)
    await boss.connect(b"connected")
    await asyncio.sleep(1.0)
    await boss.press(b"g", b"(r000)")
    await asyncio.sleep(0.5)
    walker = people[0]
    gallery, steps = [], []
    index = 0
    for n in range(10 if quick else 25):
        forward = n % 4 != 3
        index = (index + (1 if forward else -1)) % PEOPLE
        gallery.append(await boss.press(b"n" if forward else b"p", f"(r{index:03d})".encode()))
        await asyncio.sleep(0.3)
        key, needle = (b"\x1bOR", CANVAS) if n % 2 == 0 else (b"\x1bOQ", SOCIAL)  # F3 / F2
        steps.append(await walker.press(key, needle))
        await asyncio.sleep(0.3)
    out["gallery"], out["step"] = gallery, steps
    await boss.close()
    for p in people:
        await p.close()
    return out


def run(quick: bool = False) -> list[Row]:
    with temp_dir("room") as folder:
        sessions = folder / "sessions"
        make_sessions(sessions, [f"r{n:03d}" for n in range(PEOPLE)], step="social")
        proc, port = start_server(sessions, folder / "serve.log", ("--facilitator-passcode", BOSS))
        try:
            out = asyncio.run(_bench(port, proc.pid, sessions, quick))
        finally:
            stop_server(proc)
    cores = os.cpu_count() or 0
    every = [x for r in out["summon"] for x in r]
    worst = max(every)
    rows = [
        Row(
            "room",
            f"summon of {PEOPLE} connected participants: slowest moved ({cores} cores)",
            f"max {worst:.2f} s",
            f"median {median(every):.2f} s; per summon max "
            + ", ".join(f"{max(r):.2f}" for r in out["summon"])
            + f"; alone {max(out['summon_alone']):.2f} s; CPU per summon "
            + f"{median(out['summon_cpu']):.2f} s (server tree + clients)",
            None,
            "≤ 1 s",
            worst <= 1.0,
            {"samples": out["summon"], "cpu": out["summon_cpu"], "alone": out["summon_alone"]},
        ),
        ratio_row(
            "room",
            f"gallery next/previous ({PEOPLE} sessions) vs a participant's step change",
            median(out["gallery"]),
            median(out["step"]),
            2.0,
            baseline_name="step change",
            data={
                "gallery": out["gallery"],
                "step": out["step"],
                "p95_gallery_ms": round(p95(out["gallery"]) * 1000, 1),
                "p95_step_ms": round(p95(out["step"]) * 1000, 1),
            },
        ),
    ]
    return rows
