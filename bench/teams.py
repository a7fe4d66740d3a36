"""Teams co-editing under `bmc-tui serve`: 5 teams of 4 over real SSH, against one person alone.

All in one run, on one server (the real binary, `--open` on loopback, a roster of 5 teams):

1. the baseline: a participant on their own session, typing ~3 keys a second (random
   intervals), alone on the server;
2. 20 team members (5 teams of 4, each team on its own canvas) all typing at that pace at
   once, each into an item of their own in the team's first block.

Measured: a member's own echo (key written → the text typed so far is back on their own
screen), a teammate's change (key written → it shows on each of the three teammates'
screens), the CPU of the whole server tree per key typed, and the USS of each member's
app process against the participant's. Each typing round starts, and each USS is read,
once the server's tree has been quiet for three seconds (every app settled: first screen
drawn, next step built ahead), so the two sides are compared in the same state.

For context, with no verdict: 3. twenty participants typing at that pace at once, each on
a session of their own (no teams). Its echo against the lone participant's is what the
load of twenty typists costs on this machine; the team line against it is what co-editing
adds.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from typing import Any

import asyncssh

from .common import Row, median, p95, ratio_row, temp_dir, uss_bytes
from .serve import (
    _tree_cpu,
    make_sessions,
    participant_pids,
    start_server,
    stop_server,
    until_quiet,
)

MiB = 1024 * 1024
TEAMS = 5
PER_TEAM = 4
SCREEN = b"Customer Segments"
# Wide enough that an item's text (up to ~46 characters in a full run) stays on one line of
# the list: a teammate's update is recognised by its last characters arriving in one piece.
COLUMNS = 200
TIMEOUT = 15.0
LETTERS = "abcdefghijklmnoprstuvwy"


class Screen(asyncssh.SSHClientSession[bytes]):
    """What the server sends one client, with waiters for text to appear in it."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.chan: Any = None
        self._waiters: list[tuple[bytes, int, asyncio.Future[float]]] = []

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.output += data
        now = time.perf_counter()
        still = []
        for needle, since, future in self._waiters:
            if future.done():
                continue
            if needle in self.output[since:]:
                future.set_result(now)
            else:
                still.append((needle, since, future))
        self._waiters = still

    def seen(self, needle: bytes, since: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if needle in self.output[since:]:
            future.set_result(time.perf_counter())
        else:
            self._waiters.append((needle, since, future))
        return future


async def connect(port: int, name: str) -> tuple[Any, Screen]:
    conn = await asyncssh.connect(
        "127.0.0.1",
        port,
        username=name,
        known_hosts=None,
        client_keys=None,
        agent_path=None,
        connect_timeout=30,
    )
    _, session = await conn.create_session(
        Screen, term_type="xterm-256color", term_size=(COLUMNS, 36), encoding=None
    )
    assert isinstance(session, Screen)
    await asyncio.wait_for(session.seen(SCREEN, 0), 60)
    return conn, session


async def connect_all(port: int, people: list[str]) -> tuple[list[Any], list[Screen]]:
    """Everyone connected, PER_TEAM at a time; their connections and screens, in order."""
    conns, screens = [], []
    for start in range(0, len(people), PER_TEAM):
        got = await asyncio.gather(*(connect(port, n) for n in people[start : start + PER_TEAM]))
        for conn, screen in got:
            conns.append(conn)
            screens.append(screen)
    return conns, screens


async def start_item(screen: Screen) -> None:
    """Add an item: its text field takes the focus (wait for the empty item, then a bit)."""
    drawn = screen.output.count(b"(no text yet)")
    screen.chan.write(b"a")
    deadline = time.monotonic() + TIMEOUT
    while screen.output.count(b"(no text yet)") <= drawn and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.3)


async def type_keys(
    screen: Screen, others: list[Screen], keys: int, seed: int, out: dict[str, list[float]]
) -> None:
    """~3 keys a second; each key timed to its echo, and to each teammate's screen."""
    rng = random.Random(seed)
    typed = f"Zq{seed:03d}x"
    screen.chan.write(typed.encode())
    await asyncio.wait_for(screen.seen(typed.encode(), 0), TIMEOUT)
    for _ in range(keys):
        await asyncio.sleep(rng.uniform(0.15, 0.52))  # ~3 keys a second, at random
        typed += rng.choice(LETTERS)
        # The field scrolls and the list wraps long texts: match the tail typed so far.
        tail = typed[-10:].encode()
        marks = [len(screen.output), *(len(o.output) for o in others)]
        start = time.perf_counter()
        screen.chan.write(typed[-1].encode())
        echo = screen.seen(tail, marks[0])
        seen = [o.seen(tail, mark) for o, mark in zip(others, marks[1:], strict=True)]
        try:
            out["echo"].append(await asyncio.wait_for(echo, TIMEOUT) - start)
        except TimeoutError:
            out["echo"].append(TIMEOUT)
        for future in seen:
            # Not awaited one by one: they arrive while the next keys are typed.
            future.add_done_callback(_recorder(out["seen"], start))
    await asyncio.sleep(1.5)  # the last keys' teammates


def _recorder(into: list[float], start: float) -> Any:
    def record(future: asyncio.Future[float]) -> None:
        if not future.cancelled():
            into.append(future.result() - start)

    return record


def names(team: int) -> list[str]:
    return [f"t{team}m{m}" for m in range(PER_TEAM)]


SOLOS = [f"solo{n}" for n in range(TEAMS * PER_TEAM)]


async def _bench(port: int, server: int, keys: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # 1. Alone.
    conn, solo = await connect(port, "solo")
    # Someone in no team is asked first whether to join one: on their own, for the baseline.
    await asyncio.wait_for(solo.seen(b"This workshop has teams", 0), 30)
    solo.chan.write(b"\x1b")
    await asyncio.sleep(0.5)
    await start_item(solo)
    await until_quiet(server)
    alone: dict[str, list[float]] = {"echo": [], "seen": []}
    cpu0 = _tree_cpu(server)
    await type_keys(solo, [], keys * 2, 1, alone)
    out["alone_cpu_per_key"] = (_tree_cpu(server) - cpu0) / len(alone["echo"])
    out["alone_echo"] = alone["echo"]
    await until_quiet(server)
    out["uss_solo"] = [uss_bytes(pid) for pid in participant_pids(server)]
    conn.close()
    await asyncio.sleep(2.0)
    # 2. Five teams of four.
    members = [name for t in range(TEAMS) for name in names(t)]
    conns, screens = await connect_all(port, members)
    for screen in screens:
        await start_item(screen)
    await until_quiet(server)
    team: dict[str, list[float]] = {"echo": [], "seen": []}
    cpu0 = _tree_cpu(server)
    jobs = []
    for index, screen in enumerate(screens):
        t = index // PER_TEAM
        mates = [s for i, s in enumerate(screens) if i // PER_TEAM == t and s is not screen]
        jobs.append(type_keys(screen, mates, keys, 100 + index, team))
    await asyncio.gather(*jobs)
    out["team_cpu_per_key"] = (_tree_cpu(server) - cpu0) / max(1, len(team["echo"]))
    out["team_echo"] = team["echo"]
    out["team_seen"] = team["seen"]
    out["expected_seen"] = len(team["echo"]) * (PER_TEAM - 1)
    await until_quiet(server)
    out["uss_members"] = [uss_bytes(pid) for pid in participant_pids(server)]
    for c in conns:
        c.close()
    await asyncio.sleep(2.0)
    # 3. For context: as many typing at once, each on their own session.
    conns, screens = await connect_all(port, SOLOS)
    for screen in screens:
        await asyncio.wait_for(screen.seen(b"This workshop has teams", 0), 30)
        screen.chan.write(b"\x1b")
    await asyncio.sleep(0.5)
    for screen in screens:
        await start_item(screen)
    await until_quiet(server)
    solos: dict[str, list[float]] = {"echo": [], "seen": []}
    await asyncio.gather(*(type_keys(s, [], keys, 300 + i, solos) for i, s in enumerate(screens)))
    out["solos_echo"] = solos["echo"]
    for c in conns:
        c.close()
    return out


def run(quick: bool = False) -> list[Row]:
    keys = 15 if quick else 40
    with temp_dir("teams") as folder:
        sessions = folder / "sessions"
        make_sessions(sessions, ["solo", *SOLOS, *(f"team-t{t}" for t in range(TEAMS))])
        roster = folder / "roster.toml"
        roster.write_text(
            "".join(
                f'[[teams]]\nname = "T{t}"\nmembers = {json.dumps(names(t))}\n'
                for t in range(TEAMS)
            )
        )
        proc, port = start_server(sessions, folder / "serve.log", ("--roster", str(roster)))
        try:
            out = asyncio.run(_bench(port, proc.pid, keys))
        finally:
            stop_server(proc)
    cores = os.cpu_count() or 0
    seen = out["team_seen"]
    missing = out["expected_seen"] - len(seen)
    rows = [
        ratio_row(
            "teams",
            f"own echo p95, 5 teams of 4 typing vs 1 alone ({cores} cores)",
            p95(out["team_echo"]),
            p95(out["alone_echo"]),
            1.5,
            label="p95",
            baseline_name="alone",
            data={"n": len(out["team_echo"]), "alone_n": len(out["alone_echo"])},
        ),
        ratio_row(
            "teams",
            f"(context) own echo p95, {len(SOLOS)} typing each on their own session vs 1 alone",
            p95(out["solos_echo"]),
            p95(out["alone_echo"]),
            None,
            label="p95",
            baseline_name="alone",
            data={
                "n": len(out["solos_echo"]),
                "team_vs_these": round(p95(out["team_echo"]) / p95(out["solos_echo"]), 2),
            },
        ),
        Row(
            "teams",
            "a teammate's key on the other 3 screens, p95 (budget 300 ms)",
            f"p95 {p95(seen) * 1000:.0f} ms" if seen else "none seen",
            budget="≤ 300 ms",
            holds=bool(seen) and p95(seen) <= 0.3 and missing == 0,
            data={
                "n": len(seen),
                "not_seen": missing,
                "median_ms": median(seen) * 1000 if seen else None,
            },
        ),
        Row(
            "teams",
            "a teammate's key on the other 3 screens, max (budget 1 s)",
            f"max {max(seen) * 1000:.0f} ms" if seen else "none seen",
            budget="≤ 1000 ms",
            holds=bool(seen) and max(seen) <= 1.0 and missing == 0,
            data={"not_seen": missing},
        ),
        ratio_row(
            "teams",
            "CPU per key typed, server tree: team of 4 vs alone",
            out["team_cpu_per_key"],
            out["alone_cpu_per_key"],
            2.0,
            label="",
            baseline_name="alone",
        ),
        ratio_row(
            "teams",
            "USS per member's app vs a participant's (median)",
            median(out["uss_members"]) / MiB,
            median(out["uss_solo"]) / MiB,
            1.1,
            unit="MiB",
            baseline_name="participant",
            data={"members": len(out["uss_members"])},
        ),
    ]
    return rows
