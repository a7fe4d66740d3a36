"""Rate limits: input bytes per participant, new connections per address."""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable


class TokenBucket:
    """Allows `rate` units a second on average and bursts up to `burst`."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._stamp = time.monotonic()

    def take(self, wanted: int) -> int:
        """How many of `wanted` units may pass now (the rest is over the cap)."""
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        granted = min(wanted, int(self._tokens))
        self._tokens -= granted
        return granted


class ConnectionRate:
    """At most `limit` new connections per address within `window` seconds."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, deque[float]] = {}

    def allow(self, address: str) -> bool:
        now = time.monotonic()
        stamps = self._seen.setdefault(address, deque())
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        if len(stamps) >= self.limit:
            return False
        stamps.append(now)
        # Forget quiet addresses so a scan of many sources cannot grow this without bound.
        if len(self._seen) > 4096:
            for key in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
                del self._seen[key]
        return True


class FailureBudget:
    """Wrong passcodes: at most `limit` within `window` seconds per key, then `lockout`
    seconds of refusals. `record` says when a failure starts a lockout, so the log can say
    it once rather than once per guess."""

    def __init__(self, limit: int, window: float, lockout: float) -> None:
        self.limit = limit
        self.window = window
        self.lockout = lockout
        self._failures: dict[str, deque[float]] = {}
        self._locked_until: dict[str, float] = {}

    def locked(self, key: str) -> float:
        """Seconds left of the key's lockout (0 when it may try)."""
        until = self._locked_until.get(key)
        if until is None:
            return 0.0
        left = until - time.monotonic()
        if left <= 0:
            del self._locked_until[key]
            return 0.0
        return left

    def record(self, key: str) -> bool:
        """Count a failure; True when it starts a lockout."""
        now = time.monotonic()
        stamps = self._failures.setdefault(key, deque())
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        stamps.append(now)
        if len(self._failures) > 4096:
            for old in [k for k, v in self._failures.items() if not v or now - v[-1] > self.window]:
                del self._failures[old]
        if len(stamps) < self.limit or self.locked(key):
            return False
        stamps.clear()
        self._locked_until[key] = now + self.lockout
        return True


class Admission:
    """Connections not logged in yet, counted per address and in total, apart from the
    participants who are in: a crowd of half-open connections can fill only its own room.
    Beyond `total` there are `reserve` more places, kept for the facilitator."""

    def __init__(self, per_address: int, total: int, reserve: int) -> None:
        self.per_address = per_address
        self.total = total
        self.reserve = reserve
        self._by_address: dict[str, int] = {}
        self._count = 0

    @property
    def count(self) -> int:
        return self._count

    def admit(self, address: str) -> str | None:
        """ "open", "reserve" (facilitator only) or None (refused); admitted ones must be
        `release`d once they log in or leave."""
        if self._by_address.get(address, 0) >= self.per_address:
            return None
        if self._count >= self.total + self.reserve:
            return None
        kind = "open" if self._count < self.total else "reserve"
        self._by_address[address] = self._by_address.get(address, 0) + 1
        self._count += 1
        return kind

    def release(self, address: str) -> None:
        left = self._by_address.get(address, 0) - 1
        if left > 0:
            self._by_address[address] = left
        else:
            self._by_address.pop(address, None)
        self._count = max(0, self._count - 1)


PASTE_MARKER = re.compile(rb"\x1b\[20[01]~")
PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"


class PasteAwareCut:
    """Cuts input over a cap without ever cutting a bracketed paste's start or end marker.

    An app in the middle of a paste takes everything as pasted text until the end marker;
    if a cap dropped it, function keys and typing would be saved as text until a reconnect.
    So the markers always pass and only the text around them is cut. A read that ends with
    what may be the start of a marker keeps it back (`held`) until the next read shows
    whether it is one; the caller releases it after a moment if no read comes (a lone
    Escape key looks like a marker's first byte).
    """

    def __init__(self) -> None:
        self.in_paste = False
        self.held = b""

    def cut(self, data: bytes, allow: Callable[[int], int]) -> tuple[bytes, int]:
        """(the bytes to pass on, how many were dropped); `allow(n)` says how many of `n`
        bytes of content may pass."""
        data = self.held + data
        self.held = b""
        out = bytearray()
        dropped = 0
        start = 0
        while start < len(data):
            found = PASTE_MARKER.search(data, start)
            end = found.start() if found else len(data)
            chunk = data[start:end]
            if found is None:
                held = _marker_prefix(chunk)
                if held:
                    self.held, chunk = chunk[-held:], chunk[:-held]
            if chunk:
                granted = allow(len(chunk))
                out += chunk[:granted]
                dropped += len(chunk) - granted
            if found is None:
                break
            out += found.group()
            self.in_paste = found.group() == PASTE_START
            start = found.end()
        return bytes(out), dropped

    def release(self, allow: Callable[[int], int]) -> tuple[bytes, int]:
        """What was held back, as ordinary input: no marker followed it."""
        held, self.held = self.held, b""
        granted = allow(len(held))
        return held[:granted], len(held) - granted


def _marker_prefix(chunk: bytes) -> int:
    """How many bytes at the end of `chunk` could be the start of a paste marker."""
    for size in range(min(len(PASTE_END) - 1, len(chunk)), 0, -1):
        tail = chunk[-size:]
        if PASTE_END.startswith(tail) or PASTE_START.startswith(tail):
            return size
    return 0
