"""The marketing fitness check: four yes/no questions."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import FITNESS_KEYS
from .base import Context, Hit, Rule

FITNESS_NAMES = {
    "scalable_process": "a repeatable, scalable marketing process",
    "accountability": "accountability: measurable goals and clear roles",
    "market_driven": "a market-driven approach, guided by the customer's voice",
    "efficient_execution": "efficient execution across teams",
}


def gap(ctx: Context) -> Iterator[Hit]:
    for key in FITNESS_KEYS:
        if ctx.session.fitness.answer(key) is False:
            yield Hit((key,), f"Fitness gap: no {FITNESS_NAMES[key]}.", target=key)


RULES = (
    Rule(
        "fitness.gap",
        "warning",
        "fitness",
        "a fitness question is answered no",
        "Without process, accountability, a market focus and efficient execution, marketing "
        "drifts into random acts.",
        gap,
    ),
)
