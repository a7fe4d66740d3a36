"""`bmc-tui serve` under a room's load, over real SSH connections on loopback (asyncssh).

The server is the real binary (`bmc-tui serve --open` on 127.0.0.1, an ephemeral port,
a temp sessions folder). Each participant's session is made beforehand at the canvas step,
so every participant lands where typing echoes into a text field.

Echo latency: a participant adds an item (the text field takes focus), types a unique
marker, then one key at a time, each timed from the write to the moment the text typed
so far appears in what the server sends back (the unique marker makes a false match in
escape sequences impossible).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import selectors
import subprocess
import time
from pathlib import Path
from typing import Any

import asyncssh

from .common import (
    Row,
    bmc_tui_binary,
    children_of,
    clean_env,
    cpu_seconds,
    median,
    p95,
    ratio_row,
    temp_dir,
    uss_bytes,
)

SCREEN_TEXT = b"Customer Segments"  # the canvas's first block: on the first full frame
FIRST_SCREEN_TIMEOUT = 30.0
ECHO_TIMEOUT = 10.0
MiB = 1024 * 1024


class Term(asyncssh.SSHClientSession[bytes]):
    """An asyncssh client session collecting what the server sends."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.changed = asyncio.Event()
        self.chan: Any = None

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.output += data
        self.changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.changed.set()

    async def wait_for(self, needle: bytes, since: int, timeout: float) -> float:
        """Time at which `needle` is in the output after offset `since`."""
        deadline = time.perf_counter() + timeout
        while True:
            if needle in self.output[since:]:
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{needle!r} not seen")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))


class Participant:
    def __init__(self, port: int, name: str, source: str | None = None) -> None:
        self.port = port
        self.name = name
        # The address this participant connects from. A room is many machines: serve
        # admits at most 20 logins in progress per address (serve/limits.py), so a burst of
        # 30 comes from several loopback addresses (all of 127/8 is this machine).
        self.source = source
        self.conn: Any = None
        self.term: Term | None = None

    async def connect(self) -> float:
        """Seconds from the TCP connect to the first screen drawn."""
        start = time.perf_counter()
        self.conn = await asyncssh.connect(
            "127.0.0.1",
            self.port,
            username=self.name,
            known_hosts=None,
            client_keys=None,
            agent_path=None,
            connect_timeout=30,
            password=None,
            local_addr=(self.source, 0) if self.source else None,
        )
        _, term = await self.conn.create_session(
            Term, term_type="xterm-256color", term_size=(100, 30), encoding=None
        )
        self.term = term
        end = await term.wait_for(SCREEN_TEXT, 0, FIRST_SCREEN_TIMEOUT)
        return end - start

    async def start_typing(self) -> None:
        """Add an item: its text field takes the focus (once the empty item is drawn; a
        loaded server can take longer than any fixed wait, and keys typed before the field
        has the focus go to the list as commands)."""
        term = self.term
        assert term is not None
        drawn = term.output.count(b"(no text yet)")
        term.chan.write(b"a")
        deadline = time.perf_counter() + ECHO_TIMEOUT
        while term.output.count(b"(no text yet)") <= drawn:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{self.name}: the new item was never drawn")
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)

    async def type_keys(self, count: int, seed: int) -> list[float]:
        """Latency of each key from write to echo, typed at a person's pace."""
        assert self.term is not None
        rng = random.Random(seed)
        marker = f"Zq{seed % 1000:03d}x"
        term = self.term
        for ch in marker:  # the marker itself is not timed
            term.chan.write(ch.encode())
            await asyncio.sleep(0.02)
        await term.wait_for(marker.encode(), 0, ECHO_TIMEOUT)
        typed = marker
        latencies = []
        letters = "abcdefghijklmnoprstuvwy"
        for _ in range(count):
            await asyncio.sleep(rng.uniform(0.05, 0.2))
            ch = rng.choice(letters)
            typed += ch
            since = len(term.output)
            start = time.perf_counter()
            term.chan.write(ch.encode())
            # The input scrolls once the text is wider than it: match the visible tail.
            end = await term.wait_for(typed[-12:].encode(), since, ECHO_TIMEOUT)
            latencies.append(end - start)
        # Clear the field for the next round (Ctrl+U deletes to the start).
        term.chan.write(b"\x15")
        await asyncio.sleep(0.2)
        return latencies

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.conn.wait_closed(), 5)


def start_server(
    sessions: Path, log: Path, extra: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], int]:
    """`bmc-tui serve --open` on a free loopback port (`extra`: more serve options), once it
    says it is ready; the process and its port."""
    command = [bmc_tui_binary(), "serve", "--open", "--host", "127.0.0.1", "--port", "0"]
    command += ["--sessions-dir", str(sessions), "--max-participants", "60", *extra]
    with log.open("wb") as err:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, env=clean_env())
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    banner = b""
    deadline = time.monotonic() + 30
    while b"Ctrl+C" not in banner:
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(f"serve did not start: {banner!r} {log.read_text()}")
        if selector.select(timeout=0.2):
            banner += os.read(proc.stdout.fileno(), 4096)
    match = re.search(rb"127\.0\.0\.1:(\d+)", banner)
    assert match, banner
    return proc, int(match.group(1))


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop `serve` (SIGTERM: it saves and closes every session), killed after 20 s."""
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


def make_sessions(sessions: Path, names: list[str], step: str = "canvas") -> None:
    """Each participant's session, from the platform example, at `step`."""
    from bmc_tui.examples import load_example
    from bmc_tui.store import Store

    store = Store(sessions)
    template = load_example("platform")
    template.step = step
    for name in names:
        handle = store.create(name, name, template=template)
        handle.session.step = step
        store.save(handle)
        store.close(handle)  # the server's apps open them: this process must not hold a lock


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = children_of(todo.pop())
        found += kids
        todo += kids
    return found


def participant_pids(server: int) -> list[int]:
    """The app processes: session leaders (each owns its PTY) below the server."""
    pids = []
    for pid in descendants(server):
        with contextlib.suppress(OSError, ValueError):
            text = Path(f"/proc/{pid}/stat").read_text()
            fields = text[text.rindex(")") + 2 :].split()
            if int(fields[3]) == pid:
                pids.append(pid)
    return pids


def bare_uss() -> tuple[int, float]:
    """USS of the bare Textual app on a PTY, once its first screen is drawn; and that time."""
    from .bare_app import READY_TEXT
    from .common import PYTHON, ROOT

    master, slave = os.openpty()
    from bmc_tui.serve.terminal import set_window_size

    set_window_size(slave, 100, 30)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [PYTHON, str(ROOT / "bench" / "bare_app.py")],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env=clean_env(TERM="xterm-256color"),
    )
    os.close(slave)
    out = b""
    try:
        deadline = time.monotonic() + 30
        while READY_TEXT.encode() not in out and time.monotonic() < deadline:
            sel = selectors.DefaultSelector()
            sel.register(master, selectors.EVENT_READ)
            if sel.select(0.2):
                out += os.read(master, 65536)
        took = time.perf_counter() - start
        time.sleep(1.0)  # let it settle, as the participants do before they are measured
        return uss_bytes(proc.pid), took
    finally:
        proc.kill()
        proc.wait(10)
        os.close(master)


async def _typing_round(people: list[Participant], keys: int, seed: int) -> list[float]:
    results = await asyncio.gather(*(p.type_keys(keys, seed + i) for i, p in enumerate(people)))
    return [x for r in results for x in r]


def _tree_cpu(server: int) -> float:
    return sum(_cpu(pid) for pid in [server, *descendants(server)])


async def until_quiet(
    server: int, share: float = 0.1, seconds: int = 3, timeout: float = 300.0
) -> float:
    """Wait until the server's tree uses under `share` of a core for `seconds` seconds in a
    row (the apps have drawn their screens and built their steps ahead: an app that finds
    no core to spare looks again within 1.5 s); the seconds waited."""
    start = time.perf_counter()
    quiet = 0
    while time.perf_counter() - start < timeout:
        before = _tree_cpu(server)
        await asyncio.sleep(1.0)
        quiet = quiet + 1 if _tree_cpu(server) - before < share else 0
        if quiet >= seconds:
            return time.perf_counter() - start
    raise RuntimeError(f"the server never went quiet in {timeout:.0f} s")


async def _measured_round(
    out: dict[str, Any], name: str, server: int, people: list[Participant], keys: int, seed: int
) -> None:
    """A typing round, with the CPU it cost: the server's tree and this (client) process.

    These show where the limit is: n people typing at a person's pace ask for
    n × keys/s × CPU per key, and past the cores there are, keys wait in line.
    """
    tree0, own0, wall0 = _tree_cpu(server), time.process_time(), time.perf_counter()
    ssh0 = _cpu(server)
    latencies = await _typing_round(people, keys, seed)
    wall = time.perf_counter() - wall0
    typed = len(latencies)
    out[f"echo_{name}"] = latencies
    out[f"cpu_{name}"] = {
        "server_ms_per_key": (_tree_cpu(server) - tree0) / typed * 1000,
        "ssh_server_ms_per_key": (_cpu(server) - ssh0) / typed * 1000,
        "client_ms_per_key": (time.process_time() - own0) / typed * 1000,
        "keys_per_s": typed / wall,
    }


async def _bench(port: int, server: subprocess.Popen[bytes], quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    keys = 15 if quick else 30
    # 1. One participant: connect-to-first-screen, several times, alone on the server.
    singles = []
    for _ in range(3 if quick else 5):
        p = Participant(port, "solo")
        singles.append(await p.connect())
        await p.close()
        await asyncio.sleep(0.5)
    out["single_connect"] = singles
    # 2. One participant typing.
    solo = Participant(port, "solo")
    await solo.connect()
    await solo.start_typing()
    await _measured_round(out, "1", server.pid, [solo], keys * 2, 1)
    await solo.close()
    await asyncio.sleep(1.0)
    # 3. Thirty participants connecting in the same second.
    burst = [Participant(port, f"b{n:03d}", f"127.0.0.{2 + n % 3}") for n in range(30)]
    tree0, own0, wall0 = _tree_cpu(server.pid), time.process_time(), time.perf_counter()
    out["burst_30"] = list(await asyncio.gather(*(p.connect() for p in burst)))
    # What the burst cost, measured before anyone leaves (a closed child's CPU is gone
    # from the tree): the lower bound of its duration is this CPU over the cores.
    out["burst_cpu"] = {
        "server_tree_s": _tree_cpu(server.pid) - tree0,
        "client_s": time.process_time() - own0,
        "wall_s": time.perf_counter() - wall0,
    }
    for p in burst:
        await p.close()
    await asyncio.sleep(3.0)
    # 4. Ten, then fifty participants, all typing at once.
    room = [Participant(port, f"p{n:03d}", f"127.0.0.{2 + n % 5}") for n in range(50)]
    for p in room[:10]:
        await p.connect()
        await p.start_typing()
    await _measured_round(out, "10", server.pid, room[:10], keys, 100)
    await asyncio.gather(*(p.connect() for p in room[10:20]))
    for p in room[10:20]:
        await p.start_typing()
    await _measured_round(out, "20", server.pid, room[:20], keys, 150)
    for start in range(20, 50, 10):  # the rest arrive ten at a time
        await asyncio.gather(*(p.connect() for p in room[start : start + 10]))
    for p in room[20:]:
        await p.start_typing()
    # 5. Idle: fifty connected, nobody typing. First each app builds its other steps ahead
    # (once, after its user's pause: screens/keeper.py), a cost of its own; then the room
    # is idle for good: CPU of every process of the server's tree, and memory. Counted from
    # the last key: building starts 2 s into the pause (it was missed when counted later).
    ahead0 = _tree_cpu(server.pid)
    await asyncio.sleep(3.0)
    out["ahead_wait_s"] = 3.0 + await until_quiet(server.pid)
    out["ahead_cpu_s"] = _tree_cpu(server.pid) - ahead0
    pids = [server.pid, *descendants(server.pid)]
    window = 5.0 if quick else 10.0
    before = {pid: _cpu(pid) for pid in pids}
    await asyncio.sleep(window)
    used = sum(max(0.0, _cpu(pid) - before[pid]) for pid in pids)
    out["idle_cpu_share"] = used / window
    out["idle_pids"] = len(pids)
    apps = participant_pids(server.pid)
    out["uss"] = [uss_bytes(pid) for pid in apps]
    await _measured_round(out, "50", server.pid, room, keys, 200)
    for p in room:
        await p.close()
    return out


def _cpu(pid: int) -> float:
    try:
        return cpu_seconds(pid)
    except OSError:
        return 0.0


def run(quick: bool = False, bare_cold_start: float | None = None) -> list[Row]:
    rows: list[Row] = []
    uss_bare, bare_pty_start = bare_uss()
    bare_start = bare_cold_start if bare_cold_start is not None else bare_pty_start
    with temp_dir("serve") as folder:
        sessions = folder / "sessions"
        names = ["solo"] + [f"b{n:03d}" for n in range(30)] + [f"p{n:03d}" for n in range(50)]
        make_sessions(sessions, names)
        proc, port = start_server(sessions, folder / "serve.log")
        try:
            out = asyncio.run(_bench(port, proc, quick))
        finally:
            stop_server(proc)
    cores = os.cpu_count() or 0
    e1, e10, e50 = out["echo_1"], out["echo_10"], out["echo_50"]
    rows.append(
        ratio_row(
            "serve",
            f"keystroke→echo p95, 10 typing vs 1 ({cores} cores)",
            p95(e10),
            p95(e1),
            None,
            label="p95",
            baseline_name="1 typing",
            data={"n": len(e10)},
        )
    )
    rows.append(
        ratio_row(
            "serve",
            f"keystroke→echo p95, 20 typing vs 1 ({cores} cores)",
            p95(out["echo_20"]),
            p95(e1),
            None,
            label="p95",
            baseline_name="1 typing",
            data={"n": len(out["echo_20"])},
        )
    )
    rows.append(
        ratio_row(
            "serve",
            f"keystroke→echo p95, 50 typing vs 1 ({cores} cores)",
            p95(e50),
            p95(e1),
            3.0,
            label="p95",
            baseline_name="1 typing",
            data={
                "median_1_ms": round(median(e1) * 1000, 1),
                "median_50_ms": round(median(e50) * 1000, 1),
                "n": len(e50),
            },
        )
    )
    one, fifty = out["cpu_1"], out["cpu_50"]
    per_key = one["server_ms_per_key"] + one["client_ms_per_key"]
    # The typists' pace: a key every 50-200 ms (125 ms on average) while typing.
    asked = 50 * (1 / 0.125) * per_key / 1000
    rows.append(
        Row(
            "serve",
            "CPU per key typed (1 typing): server tree + the bench's SSH client",
            f"{one['server_ms_per_key']:.1f} ms (SSH server {one['ssh_server_ms_per_key']:.1f}, "
            f"apps {one['server_ms_per_key'] - one['ssh_server_ms_per_key']:.1f}) + client "
            f"{one['client_ms_per_key']:.1f} ms",
            f"50 typing ask {asked:.1f} cores",
            None,
            "",
            None,
            {"cpu_1": one, "cpu_10": out["cpu_10"], "cpu_20": out["cpu_20"], "cpu_50": fifty},
        )
    )
    uss = out["uss"]
    mean_uss = sum(uss) / len(uss) if uss else float("nan")
    rows.append(
        Row(
            "serve",
            f"USS per participant ({len(uss)} connected) vs bare Textual app",
            f"mean {mean_uss / MiB:.1f} MiB",
            f"bare {uss_bare / MiB:.1f} MiB",
            round(mean_uss / uss_bare, 2),
            "≤ 1.0× (≈24 MiB)",
            mean_uss <= uss_bare,
            {"uss_mib": [round(u / MiB, 1) for u in uss]},
        )
    )
    share = out["idle_cpu_share"]
    rows.append(
        Row(
            "serve",
            "CPU of 50 idle participants (whole server tree)",
            f"{share * 100:.1f}% of one core",
            f"{out['idle_pids']} processes",
            None,
            "< 10% of one core",
            share < 0.10,
            {},
        )
    )
    rows.append(
        Row(
            "serve",
            "50 participants build their steps ahead (once, in a pause): whole server tree",
            f"{out['ahead_cpu_s'] / 50 * 1000:.0f} ms CPU per participant",
            f"{out['ahead_cpu_s']:.1f} s CPU in all, quiet after {out['ahead_wait_s']:.1f} s",
            None,
            "",
            None,
            {},
        )
    )
    single = median(out["single_connect"])
    rows.append(
        ratio_row(
            "serve",
            "one participant: connect → first screen vs bare cold start",
            single,
            bare_start,
            1.5,
            baseline_name="bare",
            data={"samples": out["single_connect"]},
        )
    )
    burst = out["burst_30"]
    spent = out["burst_cpu"]
    cpu_total = spent["server_tree_s"] + spent["client_s"]
    rows.append(
        Row(
            "serve",
            "30 connecting in the same second: slowest first screen",
            f"max {max(burst):.2f} s",
            f"median {median(burst):.2f} s; CPU {spent['server_tree_s']:.2f} s server "
            f"+ {spent['client_s']:.2f} s clients (≥ {cpu_total / max(cores, 1):.2f} s "
            f"on {cores} cores)",
            None,
            "≤ 2 s",
            max(burst) <= 2.0,
            {"samples": burst, "cpu": spent},
        )
    )
    return rows
