"""Rules of the social business model: does the model fit you and your customers?"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import PRINCIPLES
from .base import Context, Hit, Rule

PRINCIPLE_NAMES = {
    "evolving_customer": "customers are people who keep changing",
    "conversation": "your market is a conversation you join, not one you steer",
    "function_first": "what the offer does comes before its format or price",
    "mastery_and_ease": "you work at your best and customers feel at ease",
    "customer_guided": "the customer's view is part of every decision",
}


def _weak(ctx: Context) -> list[str]:
    ratings = ctx.session.social.ratings
    return [key for key in PRINCIPLES if ratings.get(key) in (1, 2)]


def weak_principle(ctx: Context) -> Iterator[Hit]:
    for key in _weak(ctx):
        rating = ctx.session.social.ratings[key]
        yield Hit(
            (key,),
            f"You rated “{PRINCIPLE_NAMES[key]}” {rating} of 5: the model works against you here.",
            target=key,
        )


def promotion_first(ctx: Context) -> Iterator[Hit]:
    if ctx.session.social.problem == "promotion" and _weak(ctx):
        yield Hit(
            (),
            "You see promotion as the problem, yet some principles of your model rate low: "
            "look at the model before buying more promotion.",
            target="problem",
        )


RULES = (
    Rule(
        "social.weak-principle",
        "warning",
        "social",
        "a principle is rated 1 or 2",
        "A model that runs against your strengths or against how your customers want to be "
        "served costs energy every day, and no amount of promotion wins that energy back.",
        weak_principle,
    ),
    Rule(
        "social.promotion-first",
        "warning",
        "social",
        "promotion is named as the problem while the model rates low",
        "When the model does not suit you and your customer, more promotion rarely helps: "
        "the model is usually the thing to fix first.",
        promotion_first,
    ),
)
