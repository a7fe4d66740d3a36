"""How rows read on screen: short bars, relative times. No Textual here."""

from __future__ import annotations

from datetime import UTC, datetime

from ...model import STEP_TITLES

BAR_CELLS = 3
# Short enough that the whole table fits an 80-column terminal (ssh's usual size).
STEP_HEADS = {
    "social": "Soc",
    "canvas": "Can",
    "practices": "Prc",
    "strategy": "Str",
    "plan": "Pln",
    "fitness": "Fit",
    "summary": "Sum",
}


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


def steps_cell(steps: tuple[str, ...], width: int) -> str:
    """Where a team's connected members are: one step by name, several by their heads
    ("Can/Str"), cut with "+N" when they do not fit; "-" when nobody is connected."""
    if not steps:
        return "-"
    if len(steps) == 1:
        return steps[0]
    heads = [STEP_HEADS.get(step, step[:3]) for step in steps]
    for shown in range(len(heads), 0, -1):
        text = "/".join(heads[:shown]) + (f"+{len(heads) - shown}" if shown < len(heads) else "")
        if len(text) <= width:
            return text
    return f"{len(heads)} steps"
