"""How far a session has got, per step: shared by the app's step bar, `list` and the dashboard."""

from __future__ import annotations

from .model import BLOCKS, FITNESS_KEYS, PRINCIPLES, PlanItem, Session
from .text import is_blank

# The steps that have something to fill in (the summary only shows).
WORK_STEPS = ("social", "canvas", "practices", "strategy", "plan", "fitness")


PLAN_ITEM_CHECKS = 6  # the length of _plan_item_checks


def _plan_item_checks(item: PlanItem) -> tuple[bool, ...]:
    """What a plan item needs, one check each. Counted one by one, like every other step's
    checklist: counting only finished items showed a plan with work in it as not started."""
    return (
        not is_blank(item.text),
        not is_blank(item.owner),
        item.start is not None and item.end is not None,
        not is_blank(item.kpi),
        not is_blank(item.target),
        bool(item.linked("goals") or item.linked("programs")),
    )


def step_progress(session: Session) -> dict[str, tuple[int, int]]:
    """(done, total) per work step. Totals are small, fixed checklists, not effort estimates."""
    social = session.social
    strategy = session.strategy
    kept = sum(1 for p in session.practices if p.kept)
    strategy_checks = (
        strategy.start is not None and strategy.end is not None,
        not is_blank(strategy.vision),
        not is_blank(strategy.transformation),
        strategy.focus is not None,
        not is_blank(strategy.budget),
        bool(strategy.goals),
        bool(strategy.markets),
        bool(strategy.programs),
        bool(strategy.messages),
    )
    # An empty plan is one item's checklist away from done.
    plan_total = max(len(session.plan), 1) * PLAN_ITEM_CHECKS
    plan_done = sum(sum(_plan_item_checks(item)) for item in session.plan)
    return {
        "social": (
            (social.problem is not None)
            + sum(1 for key in PRINCIPLES if key in social.ratings)
            + any(not is_blank(v) for v in social.answers.values()),
            1 + len(PRINCIPLES) + 1,
        ),
        "canvas": (sum(1 for block in BLOCKS if session.canvas.block(block)), len(BLOCKS)),
        "practices": (min(kept, 3), 3),
        "strategy": (sum(strategy_checks), len(strategy_checks)),
        "plan": (plan_done, plan_total),
        "fitness": (
            sum(1 for key in FITNESS_KEYS if session.fitness.answer(key) is not None),
            len(FITNESS_KEYS),
        ),
    }


def overall(session: Session) -> float:
    """The share of the workshop done, 0..1, each step weighing the same."""
    parts = step_progress(session)
    return sum(done / total for done, total in parts.values()) / len(parts)
