"""Rate limits: input bytes per participant, new connections per address."""

from __future__ import annotations

import time
from collections import deque


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
