"""Rules about the file contradicting itself: broken links, repeated ids, dates out of order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..model import KIND_STEP, KIND_TITLES, LINK_SCHEMA
from ..text import one_line
from .base import Context, Hit, Rule, name


def dangling(ctx: Context) -> Iterator[Hit]:
    for kind, item in ctx.session.all_items():
        for link_field, allowed in LINK_SCHEMA[kind].items():
            for target in item.linked(link_field):
                if ctx.resolves(target, allowed):
                    continue
                wanted = " or ".join(KIND_TITLES[k].lower() for k in allowed)
                found = ctx.kinds_of.get(target)
                problem = (
                    f"which is a {KIND_TITLES[sorted(found)[0]].lower()}, not a {wanted}"
                    if found
                    else "which does not exist"
                )
                yield Hit(
                    (item.id, target),
                    f"{KIND_TITLES[kind]} {name(item)} links “{one_line(target, 40)}” "
                    f"in {link_field}, {problem}.",
                    step=KIND_STEP[kind],
                    target=item.id,
                )


def duplicate_id(ctx: Context) -> Iterator[Hit]:
    counts = Counter(item.id for _, item in ctx.session.all_items())
    for item_id, count in counts.items():
        if count > 1:
            kind = sorted(ctx.kinds_of[item_id])[0]
            yield Hit(
                (item_id,),
                f"{count} items share the id “{one_line(item_id, 40)}”; links to it are ambiguous.",
                step=KIND_STEP[kind],
                target=item_id,
            )


def period_invalid(ctx: Context) -> Iterator[Hit]:
    s = ctx.session.strategy
    if s.start and s.end and s.end < s.start:
        yield Hit((), f"The strategy period ends ({s.end}) before it starts ({s.start}).")


def plan_dates_invalid(ctx: Context) -> Iterator[Hit]:
    for item in ctx.session.plan:
        if item.start and item.end and item.end < item.start:
            yield Hit(
                (item.id,),
                f"Plan item {name(item)} ends ({item.end}) before it starts ({item.start}).",
                target=item.id,
            )


RULES = (
    Rule(
        "link.dangling",
        "error",
        "summary",
        "a link names a missing item or one of the wrong kind",
        "A link must name an item of the right kind that exists; otherwise it says nothing.",
        dangling,
    ),
    Rule(
        "link.duplicate-id",
        "error",
        "summary",
        "two or more items share an id",
        "Ids tie the session together; two items with one id make every link to it ambiguous.",
        duplicate_id,
    ),
    Rule(
        "strategy.period-invalid",
        "error",
        "strategy",
        "the strategy ends before it starts",
        "A strategy covers a defined period; an end before the start defines none.",
        period_invalid,
    ),
    Rule(
        "plan.dates-invalid",
        "error",
        "plan",
        "a plan item ends before it starts",
        "The plan is the when; dates in the wrong order cannot be scheduled.",
        plan_dates_invalid,
    ),
)
