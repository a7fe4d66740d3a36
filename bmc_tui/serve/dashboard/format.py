"""How rows read on screen: short bars, relative times. No Textual here."""

from __future__ import annotations

from datetime import UTC, datetime

from ...model import STEP_TITLES

BAR_CELLS = 3


def bar(done: int, total: int) -> str:
    if total <= 0:
        return "·" * BAR_CELLS
    filled = round(BAR_CELLS * min(done, total) / total)
    return "█" * filled + "░" * (BAR_CELLS - filled)


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return "-"
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return f"{seconds}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


def remaining(ends: datetime | None, now: datetime | None = None) -> str | None:
    if ends is None:
        return None
    now = now or datetime.now(UTC)
    seconds = int((ends - now).total_seconds())
    if seconds <= 0:
        return "time is up"
    return f"{seconds // 60}:{seconds % 60:02d} left"


def step_title(step: str | None) -> str:
    return STEP_TITLES.get(step, "-") if step else "-"
