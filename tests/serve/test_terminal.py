"""The byte pump under stress: resizes, floods, hostile names and answers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest

from bmc_tui.model import Item
from bmc_tui.store import Store

from .client import connect, terminal
from .helpers import READY, Server, until, window_size

pytestmark = pytest.mark.timeout(60)


async def test_resize_reaches_the_child_and_is_clamped(serve: Callable[..., Server]) -> None:
    server = serve("--open")
    async with await connect(server.port, "ana") as conn:
        term = await terminal(conn, 90, 25)
        await term.wait_for(READY)
        (pid,) = server.children()
        assert window_size(pid) == (90, 25)
        assert term.chan is not None
        term.chan.change_terminal_size(120, 40)
        await until(lambda: window_size(pid) == (120, 40), 5, "the new size")
        term.chan.change_terminal_size(10**9, 4_000_000_000)
        await until(lambda: window_size(pid) == (500, 200), 5, "the clamped size")
        term.chan.change_terminal_size(0, 1)
        await until(lambda: window_size(pid) == (80, 5), 5, "the smallest size")
        term.chan.change_terminal_size(100, 30)
        await until(lambda: window_size(pid) == (100, 30), 5, "a normal size again")
        assert server.children() == [pid]
        assert server.proc.poll() is None


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def test_paste_flood_is_capped_and_others_stay_served(
    serve: Callable[..., Server], tmp_path: Path
) -> None:
    server = serve("--open")
    before = _rss_kb(server.proc.pid)
    async with (
        await connect(server.port, "flood") as flooding,
        await connect(server.port, "calm") as calm,
    ):
        flood = await terminal(flooding)
        await flood.wait_for(READY)
        (flooded_pid,) = server.children()
        chunk = b"x" * 32768
        started = time.monotonic()
        for _ in range(64):  # 2 MiB as fast as the channel takes it
            flood.write(chunk)
            await asyncio.sleep(0)
        other = await terminal(calm)
        await other.wait_for(READY, timeout=5)
        assert time.monotonic() - started < 10
        assert flooded_pid in server.children()
    log = (tmp_path / "serve0.log").read_text()
    assert "input over the cap" in log
    assert _rss_kb(server.proc.pid) - before < 64 * 1024


async def test_escapes_in_a_user_name_are_refused_before_anything_is_made(
    serve: Callable[..., Server], sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = serve("--open")
    # The client would refuse to send such a name; make it send it as a hostile one would.
    monkeypatch.setattr(asyncssh.connection, "saslprep", lambda text: text)
    with pytest.raises((asyncssh.Error, OSError)):
        async with await connect(server.port, "ana\x1b]0;pwned\x07\x1b[2J") as conn:
            await terminal(conn)
    assert not list(sessions_dir.glob("*.toml"))
    assert server.proc.poll() is None


async def test_odd_names_and_hostile_answers_never_reach_the_facilitator(
    serve: Callable[..., Server], sessions_dir: Path
) -> None:
    server = serve("--open", "--facilitator-passcode", "boss")
    async with await connect(server.port, "Ána ]0;pwned [2J") as conn:
        term = await terminal(conn)
        await term.wait_for(READY)
    (path,) = sessions_dir.glob("*.toml")
    assert path.stem == "ana-0-pwned-2j"
    store = Store(sessions_dir)
    await until(lambda: not server.children(), 10, "the child to end")
    handle = store.open(path)
    handle.session.title = "Evil\x1b]0;title\x07 Co"
    handle.session.canvas.customer_segments.append(
        Item("cs-1", "Commuters\x1b[2J\x1b]52;c;cGF5bG9hZA==\x07 on ferries")
    )
    store.save(handle)
    store.close(handle)
    async with await connect(server.port, "facilitator", "boss") as conn:
        view = await terminal(conn, 120, 40)
        await view.wait_for("Evil")
        view.write(b"o")
        await view.wait_for("on ferries")
    # Textual's own output has OSC sequences (pointer shape); the participant's must not.
    assert b"]0;title" not in view.output
    assert b"]52;" not in view.output
    assert b"cGF5bG9hZA" not in view.output
