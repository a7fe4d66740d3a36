"""The marketing fitness check: four yes/no questions."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import FITNESS_KEYS
from .base import Context, Hit, Rule

# What each question asks for, as a name (the exports label the answers with it).
FITNESS_NAMES = {
    "scalable_process": "a repeatable, scalable marketing process",
    "accountability": "accountability: measurable goals and clear roles",
    "market_driven": "a market-driven approach, guided by the customer's voice",
    "efficient_execution": "efficient execution across teams",
}
# Whole sentences per question: "no " + a noun phrase read "no a repeatable…".
FITNESS_GAPS = {
    "scalable_process": "marketing does not run on a repeatable process that can scale yet",
    "accountability": "the team is not held to measurable goals with clear roles yet",
    "market_driven": "decisions are not led by the market and the customer's voice yet",
    "efficient_execution": "work does not yet flow efficiently across teams",
}


def gap(ctx: Context) -> Iterator[Hit]:
    for key in FITNESS_KEYS:
        if ctx.session.fitness.answer(key) is False:
            yield Hit((key,), f"Fitness gap: {FITNESS_GAPS[key]}.", target=key)


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
