"""Rules of the marketing plan: the when and the how, tied to the strategy."""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType

from ..text import is_blank
from .base import Context, Hit, Rule, name

# Which plan purposes serve each strategy focus (a new market needs awareness more than upsell).
EXPECTED_PURPOSES = MappingProxyType(
    {
        "new-market": frozenset({"awareness", "acquisition"}),
        "launch": frozenset({"awareness", "acquisition"}),
        "awareness": frozenset({"awareness", "acquisition"}),
        "market-share": frozenset({"acquisition"}),
        "upsell": frozenset({"upsell"}),
        "retention": frozenset({"retention", "upsell"}),
    }
)


def random_act(ctx: Context) -> Iterator[Hit]:
    for item in ctx.session.plan:
        if not ctx.links("plan", item, "goals") and not ctx.links("plan", item, "programs"):
            yield Hit(
                (item.id,),
                f"Plan item {name(item)} serves no goal or program: a random act of marketing.",
                target=item.id,
            )


def no_kpi(ctx: Context) -> Iterator[Hit]:
    for item in ctx.session.plan:
        lacking = [
            k.upper() if k == "kpi" else k for k in ("kpi", "target") if is_blank(getattr(item, k))
        ]
        if lacking:
            yield Hit(
                (item.id,),
                f"Plan item {name(item)} has no {' and no '.join(lacking)} to track progress.",
                target=item.id,
            )


def no_owner(ctx: Context) -> Iterator[Hit]:
    for item in ctx.session.plan:
        if is_blank(item.owner):
            yield Hit((item.id,), f"Plan item {name(item)} has no owner.", target=item.id)


def no_dates(ctx: Context) -> Iterator[Hit]:
    for item in ctx.session.plan:
        if item.start is None or item.end is None:
            # Name only the date that is missing when the other one is set.
            missing = (
                "start or end date"
                if item.start is None and item.end is None
                else "start date"
                if item.start is None
                else "end date"
            )
            yield Hit((item.id,), f"Plan item {name(item)} has no {missing}.", target=item.id)


def outside_period(ctx: Context) -> Iterator[Hit]:
    s = ctx.session.strategy
    if s.start is None or s.end is None or s.end < s.start:
        return
    for item in ctx.session.plan:
        if item.start is None or item.end is None or item.end < item.start:
            continue
        if item.start < s.start or item.end > s.end:
            yield Hit(
                (item.id,),
                f"Plan item {name(item)} ({item.start} to {item.end}) runs outside the "
                f"strategy period ({s.start} to {s.end}).",
                target=item.id,
            )


def off_strategy_segment(ctx: Context) -> Iterator[Hit]:
    focus = ctx.linked_by("markets", "segments")
    if not focus:
        return
    for item in ctx.session.plan:
        segments = ctx.links("plan", item, "segments")
        if segments and not focus.intersection(segments):
            yield Hit(
                (item.id,),
                f"Plan item {name(item)} works on segments outside the strategy's focus markets.",
                target=item.id,
            )


def mix_mismatch(ctx: Context) -> Iterator[Hit]:
    focus = ctx.session.strategy.focus
    if focus is None or focus not in EXPECTED_PURPOSES:
        return
    purposes = [item.purpose for item in ctx.session.plan if item.purpose is not None]
    if len(purposes) < 3:
        return
    expected = EXPECTED_PURPOSES[focus]
    matching = sum(1 for purpose in purposes if purpose in expected)
    if matching * 2 < len(purposes):
        wanted = " and ".join(sorted(expected))
        yield Hit(
            (),
            f"The strategy's focus is {focus}, but only {matching} of {len(purposes)} plan items "
            f"are about {wanted}.",
        )


RULES = (
    Rule(
        "plan.random-act",
        "warning",
        "plan",
        "a plan item serves no goal or program",
        "An activity tied to no goal is a random act of marketing: not integrated, not "
        "measurable, impossible to justify.",
        random_act,
    ),
    Rule(
        "plan.no-kpi",
        "warning",
        "plan",
        "a plan item has no KPI or target",
        "The plan tracks its progress with leading indicators and the targets they aim at.",
        no_kpi,
    ),
    Rule(
        "plan.no-owner",
        "warning",
        "plan",
        "a plan item has no owner",
        "Accountability needs clear roles: someone owns each item.",
        no_owner,
    ),
    Rule(
        "plan.no-dates",
        "warning",
        "plan",
        "a plan item has no dates",
        "The plan is the when: each item needs a start and an end.",
        no_dates,
    ),
    Rule(
        "plan.outside-period",
        "warning",
        "plan",
        "a plan item runs outside the strategy period",
        "The plan carries out the strategy within the period the strategy covers.",
        outside_period,
    ),
    Rule(
        "plan.off-strategy-segment",
        "warning",
        "plan",
        "a plan item works outside the focus markets",
        "The plan should work on the markets the strategy chose to focus on.",
        off_strategy_segment,
    ),
    Rule(
        "plan.mix-mismatch",
        "warning",
        "plan",
        "the plan's mix does not follow the focus",
        "The mix of the plan follows from the strategy: opening a new market calls for "
        "awareness and acquisition more than upsell.",
        mix_mismatch,
    ),
)
