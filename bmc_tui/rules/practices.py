"""Rules of core practices: three kept, each a real practice that passes both tests."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Practice
from .base import Context, Hit, Rule, name


def _kept(ctx: Context) -> list[Practice]:
    return [p for p in ctx.session.practices if p.kept]


def not_three(ctx: Context) -> Iterator[Hit]:
    if not ctx.session.practices:
        return
    kept = len(_kept(ctx))
    if kept != 3:
        kept_words = {0: "No practice is", 1: "1 practice is"}.get(kept, f"{kept} practices are")
        yield Hit((), f"{kept_words} kept; keep the three that pass the test best.")


def not_a_practice(ctx: Context) -> Iterator[Hit]:
    for practice in _kept(ctx):
        if practice.kind in ("routine", "campaign"):
            what = "a routine task" if practice.kind == "routine" else "a campaign activity"
            yield Hit(
                (practice.id,),
                f"{name(practice)} is kept as a core practice but is {what}.",
                target=practice.id,
            )


def fails_test(ctx: Context) -> Iterator[Hit]:
    for practice in _kept(ctx):
        failed = []
        if practice.improves is False:
            failed.append("you do not get better at it over time")
        if practice.long_term_value is False:
            failed.append("it does not build long-term value for customers")
        if failed:
            yield Hit(
                (practice.id,),
                f"Kept practice {name(practice)} fails the test: {' and '.join(failed)}.",
                target=practice.id,
            )


def untested(ctx: Context) -> Iterator[Hit]:
    for practice in _kept(ctx):
        if practice.improves is None or practice.long_term_value is None:
            yield Hit(
                (practice.id,),
                f"Kept practice {name(practice)} has not been through both questions of the test.",
                target=practice.id,
            )


def no_value_link(ctx: Context) -> Iterator[Hit]:
    for practice in _kept(ctx):
        if not ctx.links("practices", practice, "value_propositions"):
            yield Hit(
                (practice.id,),
                f"Kept practice {name(practice)} strengthens no value proposition.",
                target=practice.id,
            )


def checklist_task(ctx: Context) -> Iterator[Hit]:
    for practice in _kept(ctx):
        if practice.checklist is True:
            yield Hit(
                (practice.id,),
                f"{name(practice)} is kept as a core practice, but someone else could do it "
                "from a checklist: it is a task for the plan.",
                target=practice.id,
            )


RULES = (
    Rule(
        "practices.not-three",
        "warning",
        "practices",
        "not exactly three practices are kept",
        "Keep the three practices that pass the test best: few enough to live by every day.",
        not_three,
    ),
    Rule(
        "practices.not-a-practice",
        "warning",
        "practices",
        "a routine task or campaign is kept",
        "Routine tasks and campaigns are part of running the business, not of its model: they "
        "do not build value for customers over the long term.",
        not_a_practice,
    ),
    Rule(
        "practices.fails-test",
        "warning",
        "practices",
        "a kept practice fails the test",
        "A core practice is one you keep getting better at and that builds customer value "
        "over the long term.",
        fails_test,
    ),
    Rule(
        "practices.untested",
        "info",
        "practices",
        "a kept practice is not tested yet",
        "Answer both questions: do you get better at it, and does it build long-term value?",
        untested,
    ),
    Rule(
        "practices.no-value-link",
        "warning",
        "practices",
        "a kept practice strengthens no value",
        "Core practices are where value gets created; say which value proposition each feeds.",
        no_value_link,
    ),
    Rule(
        "practices.checklist-task",
        "warning",
        "practices",
        "a kept item could be done from a checklist",
        "Work that anyone, or software, can do by following a checklist belongs in the plan; "
        "a core practice is owned by the people who lead the business and grows with them.",
        checklist_task,
    ),
)
