"""Rules of the marketing strategy: the why and the what, for a defined period."""

from __future__ import annotations

from collections.abc import Iterator

from ..text import is_blank
from .base import Context, Hit, Rule, name


def missing(ctx: Context) -> Iterator[Hit]:
    if ctx.session.plan and not ctx.session.strategy.goals:
        yield Hit((), "The plan has items but the strategy has no goals: a plan needs a why.")


def no_period(ctx: Context) -> Iterator[Hit]:
    s = ctx.session.strategy
    if s.goals and (s.start is None or s.end is None):
        if s.start is None and s.end is None:
            yield Hit((), "The strategy has goals but no period: set its start and end dates.")
        else:
            # Name only the date that is missing: the other one is set already.
            which = "start date" if s.start is None else "end date"
            yield Hit((), f"The strategy has goals but no {which}: set its {which}.")


def goal_unmeasured(ctx: Context) -> Iterator[Hit]:
    for goal in ctx.session.strategy.goals:
        lacking = [k for k in ("metric", "target") if is_blank(getattr(goal, k))]
        if lacking:
            yield Hit(
                (goal.id,),
                f"Goal {name(goal)} has no {' and no '.join(lacking)}: how will success be seen?",
                target=goal.id,
            )


def market_outside_model(ctx: Context) -> Iterator[Hit]:
    for market in ctx.session.strategy.markets:
        if not ctx.links("markets", market, "segments"):
            yield Hit(
                (market.id,),
                f"Focus market {name(market)} is not linked to a customer segment of the canvas.",
                target=market.id,
            )


def program_without_goal(ctx: Context) -> Iterator[Hit]:
    for program in ctx.session.strategy.programs:
        if not ctx.links("programs", program, "goals"):
            yield Hit(
                (program.id,),
                f"Program {name(program)} is not linked to a goal it works toward.",
                target=program.id,
            )


def served_goals(ctx: Context) -> set[str]:
    """Goals some plan item works toward, directly or through one of its programs."""
    # Two programs may share an id (a `link.duplicate-id` error); a link to that id reaches
    # both, so their goals are pooled rather than the last one winning.
    programs: dict[str, set[str]] = {}
    for program in ctx.session.strategy.programs:
        programs.setdefault(program.id, set()).update(ctx.links("programs", program, "goals"))
    served: set[str] = set()
    for item in ctx.session.plan:
        served.update(ctx.links("plan", item, "goals"))
        for program_id in ctx.links("plan", item, "programs"):
            served.update(programs.get(program_id, ()))
    return served


def goal_unserved(ctx: Context) -> Iterator[Hit]:
    served = served_goals(ctx)
    for goal in ctx.session.strategy.goals:
        if goal.id not in served:
            yield Hit(
                (goal.id,),
                f"Nothing in the plan works toward goal {name(goal)}.",
                target=goal.id,
            )


def no_budget(ctx: Context) -> Iterator[Hit]:
    s = ctx.session.strategy
    if s.goals and is_blank(s.budget):
        yield Hit((), "The strategy has goals but no budget request yet.", target="budget")


def no_buyer_context(ctx: Context) -> Iterator[Hit]:
    s = ctx.session.strategy
    if s.markets and is_blank(s.buyers):
        yield Hit(
            (),
            "The strategy names focus markets but not who buys there, or how they decide and buy.",
            target="buyers",
        )


RULES = (
    Rule(
        "strategy.missing",
        "warning",
        "strategy",
        "a plan without strategy goals",
        "A plan with no strategy behind it has nothing to defend it, and is the first thing "
        "pushed aside when new requests arrive.",
        missing,
    ),
    Rule(
        "strategy.no-period",
        "warning",
        "strategy",
        "strategy goals without a period",
        "A strategy is the why and the what for a stated period of time.",
        no_period,
    ),
    Rule(
        "strategy.goal-unmeasured",
        "warning",
        "strategy",
        "a goal lacks a metric or target",
        "Success has to be defined before it can be funded, tracked or defended.",
        goal_unmeasured,
    ),
    Rule(
        "strategy.market-outside-model",
        "warning",
        "strategy",
        "a focus market is no segment",
        "The markets a strategy focuses on have to be segments the business model serves.",
        market_outside_model,
    ),
    Rule(
        "strategy.program-without-goal",
        "warning",
        "strategy",
        "a program serves no goal",
        "Programs are chosen to reach the strategy's goals; one with no goal has no reason.",
        program_without_goal,
    ),
    Rule(
        "strategy.goal-unserved",
        "warning",
        "strategy",
        "no plan item works toward the goal",
        "A goal that nothing in the plan works toward remains a wish.",
        goal_unserved,
    ),
    Rule(
        "strategy.no-budget",
        "info",
        "strategy",
        "the strategy has no budget request",
        "The budget request follows from the goals, markets and programs; make it explicit.",
        no_budget,
    ),
    Rule(
        "strategy.no-buyer-context",
        "info",
        "strategy",
        "focus markets without buyer context",
        "Choosing markets, programs and messages only makes sense once you know who decides "
        "to buy and how.",
        no_buyer_context,
    ),
)
