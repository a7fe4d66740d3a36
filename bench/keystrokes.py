"""Keystroke latency, headless (`run_test`), and what autosave costs.

A keystroke is timed from `pilot.press` to the screen settled: Pilot posts the key, waits
for the app to go idle, then for every widget of the screen to have processed what it
had queued (`_wait_for_screen`). Keys come at a typist's irregular pace (30-150 ms apart,
seeded), so the debounced work the app does after typing — findings after 150 ms, the
autosave after 500 ms — lands between or during presses as it would for a person, and
the p95 shows it when it does.

CPU per keystroke (process time, not wall time) is reported beside it: Pilot's idle
waits are the same for both apps and dilute wall-time ratios; CPU is what a server with
many participants pays.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from pathlib import Path
from typing import Any

from .common import Row, build_large_session, median, ms, p95, ratio_row, temp_dir

TEXT = "ferry commuters who want coffee before the 7:40 boat "
SIZE = (120, 40)


async def _type(pilot: Any, keys: list[str], seed: int) -> tuple[list[float], list[float]]:
    """Press each key at a typist's pace; wall and CPU seconds per key."""
    rng = random.Random(seed)
    wall: list[float] = []
    cpu: list[float] = []
    for key in keys:
        await asyncio.sleep(rng.uniform(0.03, 0.15))
        c0, t0 = time.process_time(), time.perf_counter()
        await pilot.press(key)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def _keys(count: int) -> list[str]:
    chars = [("space" if c == " " else c) for c in TEXT]
    return [chars[i % len(chars)] for i in range(count)]


async def bare_typing(count: int, seed: int) -> tuple[list[float], list[float]]:
    from .bare_app import BareApp

    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return await _type(pilot, _keys(count), seed)


async def bmc_typing(
    session: Path, count: int, seed: int, autosave_delay: float, settings: Path
) -> tuple[list[float], list[float], int]:
    """Type into the text field of a value proposition (it has links) on the canvas."""
    from bmc_tui.app import AppConfig, BmcApp
    from bmc_tui.screens.canvas import CanvasScreen

    app = BmcApp(
        AppConfig(
            sessions_dir=session.parent,
            session_path=session,
            settings_file=settings,
            autosave_delay=autosave_delay,
        )
    )
    saves = 0
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):  # the canvas is pushed after mount: wait for it, bounded
            if isinstance(app.screen, CanvasScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, CanvasScreen), app.screen
        await pilot.press("2")  # Value Propositions: items that link segments
        await pilot.press("down", "down", "enter")  # edit the third item's text
        await pilot.press("end")
        await pilot.pause()
        # The app saves in two halves (serialise on the loop, write in a thread): count the
        # writes, whichever path (autosave or flush) made them.
        store_write = app.store.write_prepared

        def counting_write(*args: Any, **kwargs: Any) -> None:
            nonlocal saves
            saves += 1
            store_write(*args, **kwargs)

        app.store.write_prepared = counting_write  # type: ignore[method-assign]
        wall, cpu = await _type(pilot, _keys(count), seed)
        await pilot.pause()
    return wall, cpu, saves


async def _measure(quick: bool) -> dict[str, Any]:
    count = 60 if quick else 150
    rounds = 2 if quick else 3
    results: dict[str, dict[str, list[float]]] = {}
    saves: dict[str, int] = {"on": 0, "off": 0}

    def add(name: str, wall: list[float], cpu: list[float]) -> None:
        entry = results.setdefault(name, {"wall": [], "cpu": []})
        entry["wall"] += wall
        entry["cpu"] += cpu

    with temp_dir("keys") as folder:
        settings = folder / "settings.toml"
        # Rounds alternate the variants so the machine's noise is spread over all of them.
        for r in range(rounds):
            add("bare", *await bare_typing(count, seed=r))
            for mode, delay in (("on", 0.5), ("off", 3600.0)):
                sessions = folder / f"s-{r}-{mode}"
                sessions.mkdir()
                path = build_large_session(sessions)
                wall, cpu, n = await bmc_typing(path, count, r, delay, settings)
                add(mode, wall, cpu)
                saves[mode] += n
    return {"results": results, "saves": saves}


def autosave_times(quick: bool) -> dict[str, list[float]]:
    """Store.save on the large session, and its parts: serialise, and write+fsync."""
    from bmc_tui.codec import dump_toml
    from bmc_tui.store import Store

    n = 15 if quick else 40
    out: dict[str, list[float]] = {"save": [], "serialise": [], "write": []}
    with temp_dir("save") as folder:
        path = build_large_session(folder)
        store = Store(folder)
        handle = store.open(path)
        try:
            for i in range(n):
                handle.session.title = f"Large {i}"  # a real change each time
                t0 = time.perf_counter()
                store.save(handle)
                out["save"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                dump_toml(handle.session)
                out["serialise"].append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                store._write(handle)
                out["write"].append(time.perf_counter() - t0)
            out["size"] = [float(path.stat().st_size)]
        finally:
            store.close(handle)
    return out


def run(quick: bool = False) -> list[Row]:
    measured = asyncio.run(_measure(quick))
    res = measured["results"]
    bare, on, off = res["bare"], res["on"], res["off"]
    rows = [
        ratio_row(
            "keystrokes",
            "typing p95, canvas of the large session vs bare Textual app",
            p95(on["wall"]),
            p95(bare["wall"]),
            2.0,
            label="p95",
            baseline_name="bare",
            data={
                "median_ms": ms(median(on["wall"])),
                "bare_median_ms": ms(median(bare["wall"])),
                "n": len(on["wall"]),
            },
        ),
        ratio_row(
            "keystrokes",
            "typing median, large session vs bare",
            median(on["wall"]),
            median(bare["wall"]),
            None,
            baseline_name="bare",
        ),
        ratio_row(
            "keystrokes",
            "CPU per keystroke (median), large session vs bare",
            median(on["cpu"]),
            median(bare["cpu"]),
            None,
            baseline_name="bare",
            data={
                "mean_ms_on": ms(statistics.fmean(on["cpu"])),
                "mean_ms_bare": ms(statistics.fmean(bare["cpu"])),
            },
        ),
        ratio_row(
            "autosave",
            "typing p95 with autosave on (0.5 s) vs off",
            p95(on["wall"]),
            p95(off["wall"]),
            1.10,
            label="p95",
            baseline_name="off",
            data={"saves_during_typing": measured["saves"]},
        ),
        ratio_row(
            "autosave",
            "typing median with autosave on vs off",
            median(on["wall"]),
            median(off["wall"]),
            1.10,
            baseline_name="off",
        ),
    ]
    saves = autosave_times(quick)
    save = median(saves["save"])
    rows.insert(
        3,
        Row(
            "autosave",
            "Store.save of the large session (serialise + atomic write + fsync)",
            f"median {save * 1000:.1f} ms",
            f"p95 {p95(saves['save']) * 1000:.1f} ms",
            None,
            "≤ 20 ms",
            save <= 0.020,
            {
                "serialise_ms": ms(median(saves["serialise"])),
                "write_ms": ms(median(saves["write"])),
                "bytes": saves["size"][0],
                "saves_during_typing": measured["saves"],
            },
        ),
    )
    rows[3].value += (
        f" (serialise {median(saves['serialise']) * 1000:.1f}, write+fsync "
        f"{median(saves['write']) * 1000:.1f})"
    )
    return rows
