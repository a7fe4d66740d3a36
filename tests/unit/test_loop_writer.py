"""The driver's output (bmc_tui/driver.py `LoopWriter`), on a real PTY: written by the
event loop without blocking it, in order, and never the cause of a hang."""

from __future__ import annotations

import asyncio
import os
import pty
import select
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO

from bmc_tui.driver import LoopWriter


@contextmanager
def terminal() -> Iterator[tuple[int, IO[str]]]:
    """A PTY: the reading end (what a terminal or `bmc-tui serve` reads) and the app's side."""
    reader, app_side = pty.openpty()
    os.set_blocking(reader, False)
    file = os.fdopen(app_side, "w", encoding="utf-8", errors="strict")
    try:
        yield reader, file
    finally:
        file.close()
        os.close(reader)


def read_all(fd: int, want: int, timeout: float = 10.0) -> bytes:
    got = bytearray()
    deadline = time.monotonic() + timeout
    while len(got) < want and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            got += os.read(fd, 65536)
    return bytes(got)


def test_only_a_terminal_gets_one() -> None:
    with tempfile.TemporaryFile("w+") as not_a_terminal:
        assert LoopWriter.open(not_a_terminal) is None
    assert LoopWriter.open(None) is None


def test_a_frame_is_on_the_terminal_as_soon_as_it_is_written() -> None:
    with terminal() as (reader, file):
        writer = LoopWriter.open(file)
        assert writer is not None
        writer.write("\x1b[2;3HCustomer Segments ✎")
        # No thread, no loop turn: the bytes are there when write returns.
        assert read_all(reader, 1, timeout=0.5) == "\x1b[2;3HCustomer Segments ✎".encode()
        writer.close()


async def test_a_terminal_that_stops_reading_never_blocks_the_loop() -> None:
    with terminal() as (reader, file):
        writer = LoopWriter.open(file)
        assert writer is not None
        frames = [f"frame {n:05d} ".ljust(1000, "x") for n in range(400)]  # ~400 KB
        start = time.perf_counter()
        for frame in frames:
            writer.write(frame)
        # Far more than a PTY holds, and nobody reading: the loop went on regardless.
        assert time.perf_counter() - start < 1.0
        assert writer._pending, "the PTY took everything: the test proves nothing"
        # The reader comes back: the loop writes the rest as the PTY takes it, in order.
        got = bytearray()
        expected = "".join(frames).encode()
        deadline = time.monotonic() + 20
        while len(got) < len(expected) and time.monotonic() < deadline:
            try:
                got += os.read(reader, 65536)
            except BlockingIOError:
                await asyncio.sleep(0.01)
        assert bytes(got) == expected
        assert not writer._pending
        writer.close()


def test_closing_waits_for_a_slow_reader_but_not_for_a_dead_one() -> None:
    with terminal() as (reader, file):
        writer = LoopWriter.open(file)
        assert writer is not None
        writer.LAST_WAIT = 0.5
        start = time.perf_counter()
        # Outside the loop (the app stopping): what the PTY cannot take is waited for, but
        # nobody reads, so it is given up after LAST_WAIT instead of hanging the exit.
        writer.write("y" * 300_000)
        assert 0.4 < time.perf_counter() - start < 3.0
        assert not writer._pending
        writer.close()

    with terminal() as (reader, file):
        writer = LoopWriter.open(file)
        assert writer is not None
        got = bytearray()

        def slow_reader() -> None:
            while len(got) < 300_000:
                time.sleep(0.01)
                with suppress(BlockingIOError):
                    got.extend(os.read(reader, 4096))

        thread = threading.Thread(target=slow_reader)
        thread.start()
        writer.write("z" * 300_000)  # a reader that keeps taking a little: all of it arrives
        writer.close()
        thread.join(10)
        assert bytes(got) == b"z" * 300_000


def test_a_hung_up_terminal_drops_output_quietly() -> None:
    reader, app_side = pty.openpty()
    file = os.fdopen(app_side, "w", encoding="utf-8")
    writer = LoopWriter.open(file)
    assert writer is not None
    os.close(reader)  # the terminal (or the SSH connection behind it) is gone
    writer.write("still drawing\n" * 10_000)
    writer.flush(timeout=1.0)
    assert not writer._pending
    writer.close()
    file.close()
