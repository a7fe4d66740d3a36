"""The report as a small document tree, built once and rendered as Markdown or as HTML.

Participant text travels through this tree as plain strings; each renderer escapes it
for its own markup at the last moment, so no text can be escaped twice or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..model import BLOCK_TITLES, BLOCKS, STEP_TITLES, STRATEGY_LISTS, Item, Session
from ..money import totals_line
from ..report import plural
from ..rules import Finding, counts
from . import _common as c

# A span is (style, text); style is "" (plain), "b" (strong), "i" (emphasis), "br" (a line
# break inside the same paragraph or list item; its text is ignored).
Span = tuple[str, str]
Inline = tuple[Span, ...]
BR: Final[Span] = ("br", "")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    spans: Inline
    # The last span keeps its own line breaks (a free-text answer); the others lead it in.
    multiline: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Note:
    text: str


Block = Heading | Para | Bullets | Table | Note


def _links(names: c.Names, kind: str, item: Item) -> list[Span]:
    spans: list[Span] = []
    for label, views in names.links(kind, item):
        shown = ", ".join(v.name + (" (missing)" if v.missing else "") for v in views)
        spans += [("", " — "), ("i", f"{label}:"), ("", f" {shown}")]
    return spans


def _facts(session: Session | None, item: Item) -> list[Span]:
    spans: list[Span] = []
    if session is not None:
        for label, value in c.item_facts(session, item):
            spans += [("", " — "), ("i", f"{label}:"), ("", f" {value}")]
    return spans


def _item_line(names: c.Names, kind: str, item: Item, session: Session | None = None) -> Inline:
    return (("", c.item_name(item, None)), *_facts(session, item), *_links(names, kind, item))


def _items(
    names: c.Names, kind: str, items: Sequence[Item], empty: str, session: Session | None = None
) -> Block:
    if not items:
        return Note(empty)
    return Bullets(tuple(_item_line(names, kind, item, session) for item in items))


def head_blocks(session: Session) -> list[Block]:
    facts: list[Inline] = [(("b", "Session:"), ("", f" {session.id}"))]
    if session.created:
        facts.append((("b", "Date:"), ("", f" {c.day(session.created.date())}")))
    if session.updated:
        facts.append((("b", "Last updated:"), ("", f" {c.day(session.updated)}")))
    if session.facilitator and session.facilitator.strip():
        facts.append((("b", "Facilitator:"), ("", f" {session.facilitator}")))
    if session.participants:
        facts.append((("b", "Participants:"), ("", " " + ", ".join(session.participants))))
    if session.step:
        facts.append((("b", "Step reached:"), ("", f" {STEP_TITLES.get(session.step, '')}")))
    if session.currency and session.currency.strip():
        facts.append((("b", "Currency:"), ("", f" {session.currency}")))
    return [Heading(1, session.title), Bullets(tuple(facts))]


def social_blocks(session: Session) -> Iterator[Block]:
    social = session.social
    yield Heading(2, "Social business model")
    problem = c.PROBLEM_LABELS.get(social.problem or "", "not answered")
    yield Para((("b", c.PROBLEM_QUESTION), ("", f" {problem}")))
    yield Heading(3, "Principles")
    rows = [(label, c.rating(social.ratings.get(key))) for key, label in c.PRINCIPLE_LABELS.items()]
    rows += [
        (key, c.rating(v)) for key, v in social.ratings.items() if key not in c.PRINCIPLE_LABELS
    ]
    yield Table(("Principle", "Self-rating"), tuple(rows))
    yield Heading(3, "Answers")
    groups = c.answer_groups(social.answers)
    if not groups:
        yield Note("No answers yet.")
    for title, answers in groups:
        yield Heading(4, title)
        for label, text in answers:
            yield Para((("b", f"{label}:"), ("", f" {text}")), multiline=True)


def canvas_blocks(session: Session, names: c.Names) -> Iterator[Block]:
    yield Heading(2, "Business Model Canvas")
    yield Note(c.ATTRIBUTION)
    for block in BLOCKS:
        yield Heading(3, BLOCK_TITLES[block])
        yield _items(names, block, session.canvas.block(block), "Nothing here yet.", session)
    money = totals_line(session)
    if money:
        yield Heading(3, "Money per month")
        shown = money.removeprefix("Per month: ")
        yield Para((("", shown[:1].upper() + shown[1:]),))


def practice_blocks(session: Session, names: c.Names) -> Iterator[Block]:
    yield Heading(2, "Core practices")
    kept = c.kept_practices(session)
    lines: list[Inline] = []
    for practice in kept:
        kind = c.PRACTICE_KIND_LABELS.get(practice.kind or "", "kind not set")
        lines.append(
            (
                ("b", c.item_name(practice, None)),
                ("", f" ({kind})"),
                BR,
                ("i", "Gets better over time:"),
                ("", f" {c.yes_no(practice.improves)}; "),
                ("i", "creates long-term customer value:"),
                ("", f" {c.yes_no(practice.long_term_value)}"),
                *_checklist(practice),
                *_links(names, "practices", practice),
            )
        )
    yield Bullets(tuple(lines)) if lines else Note("No practice kept yet.")
    others = [p for p in session.practices if not p.kept]
    if others:
        shown = "; ".join(c.item_name(p, 80) for p in others)
        yield Para((("i", "Also considered:"), ("", f" {shown}")))


def _checklist(practice: Any) -> list[Span]:
    answer = getattr(practice, "checklist", None)
    if answer is None:
        return []  # a file from before the question: the report reads as it did
    return [("", "; "), ("i", "could be done from a checklist:"), ("", f" {c.yes_no(answer)}")]


def strategy_blocks(session: Session, names: c.Names) -> Iterator[Block]:
    s = session.strategy
    yield Heading(2, "Strategy")
    facts: list[Inline] = []
    for label, value in (
        ("Period:", c.period(s.start, s.end)),
        ("Focus:", c.FOCUS_LABELS.get(s.focus or "", "")),
        ("Budget:", s.budget or ""),
    ):
        if value.strip():
            facts.append((("b", label), ("", f" {value}")))
    if facts:
        yield Bullets(tuple(facts))
    for label, text in (
        ("Vision", s.vision),
        ("Transformation", s.transformation),
        ("Buyer context", s.buyers),
    ):
        if text and text.strip():
            yield Para((("b", f"{label}:"), ("", f" {text}")), multiline=True)
    for name in STRATEGY_LISTS:
        items = session.items_of(name)
        if items:
            yield Heading(3, c.STRATEGY_LIST_TITLES[name])
            yield Bullets(tuple(_strategy_line(names, name, item) for item in items))
    if not facts and not any(session.items_of(n) for n in STRATEGY_LISTS):
        yield Note("No strategy yet.")


def _strategy_line(names: c.Names, kind: str, item: Item) -> Inline:
    line = list(_item_line(names, kind, item))
    metric, target = getattr(item, "metric", None), getattr(item, "target", None)
    if metric:
        line += [("", " — "), ("i", "metric:"), ("", f" {metric}")]
    if target:
        line += [("", " — "), ("i", "target:"), ("", f" {target}")]
    when = getattr(item, "date", None)
    if kind == "dates" and when is not None:
        line = [("b", c.day(when)), ("", " — "), *line]
    return tuple(line)


PLAN_HEAD: Final = (
    "Action",
    "Purpose",
    "Start",
    "End",
    "Owner",
    "Budget",
    "KPI",
    "Target",
    "Works toward",
    "Segments",
)


def plan_blocks(session: Session, names: c.Names) -> Iterator[Block]:
    yield Heading(2, "Plan")
    if not session.plan:
        yield Note("No plan items yet.")
        return
    rows = []
    for item in session.plan:
        toward = [
            v.name + (" (missing)" if v.missing else "")
            for field, kinds in (("goals", ("goals",)), ("programs", ("programs",)))
            for v in (names.link(i, kinds) for i in item.linked(field))
        ]
        segments = [names.link(i, ("customer_segments",)) for i in item.linked("segments")]
        rows.append(
            (
                c.item_name(item, None),
                item.purpose or "",
                c.day(item.start),
                c.day(item.end),
                item.owner or "",
                c.number(item.budget),
                item.kpi or "",
                item.target or "",
                "; ".join(toward),
                "; ".join(v.name + (" (missing)" if v.missing else "") for v in segments),
            )
        )
    yield Table(PLAN_HEAD, tuple(rows))


def fitness_blocks(session: Session) -> Iterator[Block]:
    yield Heading(2, "Marketing fitness")
    rows = tuple(
        (label, c.yes_no(session.fitness.answer(key))) for key, label in c.FITNESS_LABELS.items()
    )
    yield Table(("Do we have…", "Answer"), rows)


def finding_blocks(findings: Sequence[Finding]) -> Iterator[Block]:
    yield Heading(2, "Findings")
    if not findings:
        yield Note("Aligned: no findings.")
        return
    n = counts(findings)
    yield Para(
        (
            (
                "",
                f"{plural(n['error'], 'error')}, {plural(n['warning'], 'warning')}, "
                f"{n['info']} not done yet.",
            ),
        )
    )
    for heading, group in c.grouped_findings(findings):
        yield Heading(3, heading)
        lines = []
        for finding in group:
            line: list[Span] = [("", finding.message)]
            if finding.why:
                line += [BR, ("i", "Why:"), ("", f" {finding.why}")]
            lines.append(tuple(line))
        yield Bullets(tuple(lines))


def vote_blocks(session: Session) -> Iterator[Block]:
    """The dot votes the room held on this session (none: no section at all)."""
    from ..votes import session_votes

    records = session_votes(session)
    if not records:
        return
    yield Heading(2, "Dot votes")
    for record in records:
        when = f", closed {record.closed_at:%Y-%m-%d %H:%M}" if record.closed_at else ""
        yield Heading(3, f"{record.title}{when}")
        yield Para(
            (
                (
                    "",
                    f"{record.voters} {'person' if record.voters == 1 else 'people'} voted, "
                    f"{plural(record.dots, 'dot')} each.",
                ),
            )
        )
        yield Table(("Dots", "Item"), tuple((str(n), text) for text, n in record.results))


def body_blocks(session: Session, findings: Sequence[Finding]) -> list[Block]:
    """Everything after the title block, in workshop order, findings last."""
    names = c.Names(session)
    return [
        *social_blocks(session),
        *canvas_blocks(session, names),
        *practice_blocks(session, names),
        *strategy_blocks(session, names),
        *plan_blocks(session, names),
        *fitness_blocks(session),
        *vote_blocks(session),
        *finding_blocks(findings),
    ]
