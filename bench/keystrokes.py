"""Keystroke latency, headless (`run_test`), and what autosave costs.

Each key is sent the way Pilot sends it (a Key event through the driver) and timed twice:

- **echo**: until the app has composed a frame that shows the key (a spy on
  `App._display`, which the screen calls with every update it composes, headless too);
- **settled**: until then *and* every widget of the screen has handled what it had
  queued (Pilot's `_wait_for_screen`).

Pilot's own `press` is not used as the clock: it ends with `wait_for_idle`, which sleeps in
20 ms steps until the whole process used under 1 ms of CPU in a step. That quantises every
key to 20 ms, and it charges a key for any work of another thread — the autosave writer
included — even when the frame with the key was long on screen.

Keys come at a typist's irregular pace (30-150 ms apart, seeded), so the debounced work
the app does after typing — findings after 250 ms, the autosave once typing pauses —
lands between or during keys as it would for a person, and the p95 shows it when it does.
CPU per keystroke is the process's CPU over the whole typing run divided by the keys: what
a server with many participants pays, the debounced work included.
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


async def _type(pilot: Any, keys: list[tuple[str, str]], seed: int) -> dict[str, list[float]]:
    """Type into the focused Input at a typist's pace: echo and settled times per key."""
    from textual import events
    from textual.widgets import Input

    app = pilot.app
    field = app.focused
    assert isinstance(field, Input), field
    rng = random.Random(seed)
    echoed = asyncio.Event()
    want = 0
    display = app._display

    def spy(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and len(field.value) >= want:
            echoed.set()

    app._display = spy
    echo: list[float] = []
    settled: list[float] = []
    cpu0 = time.process_time()
    try:
        for key, char in keys:
            await asyncio.sleep(rng.uniform(0.03, 0.15))
            want = len(field.value) + 1
            echoed.clear()
            event = events.Key(key, char)
            event.set_sender(app)
            t0 = time.perf_counter()
            app._driver.send_message(event)
            await asyncio.wait_for(echoed.wait(), 30)
            echo.append(time.perf_counter() - t0)
            await pilot._wait_for_screen()
            settled.append(time.perf_counter() - t0)
        await pilot.pause()  # the debounced work of the last keys belongs to this run
        cpu = (time.process_time() - cpu0) / len(keys)
    finally:
        app._display = display
    return {"echo": echo, "settled": settled, "cpu": [cpu]}


def _keys(count: int) -> list[tuple[str, str]]:
    names = {" ": "space", ":": "colon"}
    chars = [(names.get(c, c), c) for c in TEXT]
    return [chars[i % len(chars)] for i in range(count)]


async def bare_typing(count: int, seed: int) -> dict[str, list[float]]:
    from .bare_app import BareApp

    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return await _type(pilot, _keys(count), seed)


async def bmc_typing(
    session: Path, count: int, seed: int, autosave_delay: float, settings: Path
) -> tuple[dict[str, list[float]], int]:
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
        times = await _type(pilot, _keys(count), seed)
    return times, saves


async def _measure(quick: bool) -> dict[str, Any]:
    count = 60 if quick else 150
    rounds = 2 if quick else 3
    results: dict[str, dict[str, list[float]]] = {}
    saves: dict[str, int] = {"on": 0, "off": 0}

    def add(name: str, times: dict[str, list[float]]) -> None:
        entry = results.setdefault(name, {})
        for key, values in times.items():
            entry.setdefault(key, []).extend(values)

    with temp_dir("keys") as folder:
        settings = folder / "settings.toml"
        # Rounds alternate the variants so the machine's noise is spread over all of them.
        for r in range(rounds):
            add("bare", await bare_typing(count, seed=r))
            for mode, delay in (("on", 0.5), ("off", 3600.0)):
                sessions = folder / f"s-{r}-{mode}"
                sessions.mkdir()
                path = build_large_session(sessions)
                times, n = await bmc_typing(path, count, r, delay, settings)
                add(mode, times)
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
            "key → settled p95, canvas of the large session vs bare Textual app",
            p95(on["settled"]),
            p95(bare["settled"]),
            2.0,
            label="p95",
            baseline_name="bare",
            data={
                "median_ms": ms(median(on["settled"])),
                "bare_median_ms": ms(median(bare["settled"])),
                "n": len(on["settled"]),
            },
        ),
        ratio_row(
            "keystrokes",
            "key → echo frame p95, large session vs bare",
            p95(on["echo"]),
            p95(bare["echo"]),
            None,
            label="p95",
            baseline_name="bare",
            data={
                "median_ms": ms(median(on["echo"])),
                "bare_median_ms": ms(median(bare["echo"])),
            },
        ),
        ratio_row(
            "keystrokes",
            "CPU per keystroke (whole run ÷ keys), large session vs bare",
            statistics.fmean(on["cpu"]),
            statistics.fmean(bare["cpu"]),
            None,
            label="mean",
            baseline_name="bare",
        ),
        ratio_row(
            "autosave",
            "key → settled p95 with autosave on vs off",
            p95(on["settled"]),
            p95(off["settled"]),
            1.10,
            label="p95",
            baseline_name="off",
            data={"saves_during_typing": measured["saves"]},
        ),
        ratio_row(
            "autosave",
            "key → echo frame p95 with autosave on vs off",
            p95(on["echo"]),
            p95(off["echo"]),
            1.10,
            label="p95",
            baseline_name="off",
        ),
        ratio_row(
            "autosave",
            "key → settled median with autosave on vs off",
            median(on["settled"]),
            median(off["settled"]),
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
    from . import pty_keys

    rows[3:3] = pty_keys.run(quick)
    return rows
